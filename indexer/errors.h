/** @file errors.h
 *  @brief How the indexer reports trouble: per-input problems and fatal errors.
 *
 *  Two kinds of trouble, two types:
 *   - Problem: one input (a file, or one line of a JSONL file) cannot be
 *     indexed. It is reported as `WHERE: REASON` and the run goes on; the
 *     run's exit code becomes 1.
 *   - FatalError: the whole job cannot proceed (bad arguments, the index
 *     cannot be opened, created or locked, analyzer mismatch, no input path
 *     exists). Its message already names the path it concerns; the CLI
 *     prints it and exits 2. Xapian errors are caught where the index is
 *     written and re-thrown as FatalError naming the index directory.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace bisearch::indexer {

/// What went wrong with one input; lets callers treat classes of problems
/// alike (for example, a JSONL file none of whose lines has text).
enum class ProblemKind {
  kMissing,      ///< an input path given on the command line does not exist
  kUnreadable,   ///< open/read/directory listing failed (errno message)
  kEmpty,        ///< file of zero bytes
  kBinary,       ///< NUL byte in the first bytes
  kEncoding,     ///< not valid UTF-8
  kBadLine,      ///< a JSONL line that is not a JSON object
  kNoText,       ///< nothing to index (no text field, empty text, header only)
  kBadField,     ///< a JSONL field of the wrong type
  kDuplicateId,  ///< document id already used by another input of this run
  kTooMany,      ///< "N more problems not shown" for one file
  kDamaged,      ///< a PDF/HTML/DOCX/HWPX/HWP file that cannot be parsed (truncated, corrupt)
  kTooLarge,     ///< a document beyond the readers' bounds (formats.h FormatLimits)
  kNotIndexable, ///< text that cannot be read: encrypted, password-protected, distribution HWP
  kBadHeader,    ///< a metadata header line that cannot be read (the rest of the file is indexed)
};

/// One input that could not be (fully) indexed.
struct Problem {
  ProblemKind kind = ProblemKind::kUnreadable;
  std::string where;   ///< "PATH" or "PATH:LINE" (1-based line of a JSONL file)
  std::string reason;  ///< one line, lower case, no trailing period

  /// "WHERE: REASON", the form printed after "bisearch-index: ".
  std::string message() const { return where + ": " + reason; }
};

/// The whole job failed. what() names the file or directory concerned.
class FatalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The arguments are invalid (exit 2, like FatalError, but the CLI also
/// points to --help).
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace bisearch::indexer
