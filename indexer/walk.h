/** @file walk.h
 *  @brief From the input paths of the command line to the list of files to read.
 *
 *  - A directory is walked recursively, entries in byte order of their names.
 *    Only files with an extension extract.h reads are taken (.txt, .md,
 *    .jsonl, .pdf, .html, .htm, .xhtml, .docx, .hwpx, .hwp); other files
 *    are skipped.
 *    Hidden entries (names starting with '.') are skipped. Symbolic links to
 *    files are read; symbolic links to directories are not followed, so a
 *    link loop cannot hang the walk. The index directory itself is never
 *    walked into. Each file's `rel` is its path relative to the directory.
 *  - A file named directly is taken whatever its extension (unknown
 *    extensions are read as plain text); its `rel` is its file name.
 *  - A path that does not exist, or a directory that cannot be listed, is a
 *    Problem; the walk goes on.
 *  - A file reached twice (same device and inode) is taken once.
 */
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/errors.h"
#include "indexer/extract.h"

namespace bisearch::indexer {

/// A file found by the walk, with what the manifest needs.
struct WalkedFile : SourceFile {
  std::string root;      ///< normal_root() of the directory `rel` is relative to
  int64_t mtime_ns = 0;  ///< modification time when walked, ns since the epoch
};

struct WalkResult {
  std::vector<WalkedFile> files;   ///< in the order to index them
  std::vector<Problem> problems;   ///< missing inputs, unlistable directories
  std::vector<std::string> skipped;  ///< "PATH (reason)" for each skipped entry
  std::vector<std::string> roots;  ///< absolute root of each existing input
  size_t inputs_found = 0;         ///< inputs that exist
  /// Normalized absolute roots of the directory inputs that could be listed:
  /// every file under them that is not in `files` is gone.
  std::vector<std::string> dir_roots;
  /// (root, rel) of each file input that exists.
  std::vector<std::pair<std::string, std::string>> file_inputs;
  /// (root, rel prefix ending in '/') of directories below a root that could
  /// not be listed: files under them are not known to be gone.
  std::vector<std::pair<std::string, std::string>> unlisted;
};

/// @p path made absolute and lexically normal, without a trailing '/'.
std::string normal_root(const std::filesystem::path& path);

/// Collects the files under @p inputs. @p exclude (the index directory; may
/// not exist yet) is never entered.
WalkResult collect_inputs(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& exclude);

}  // namespace bisearch::indexer
