/** @file indexer.h
 *  @brief One indexing run: walk -> extract -> segment -> analyze -> write, and its summary.
 *
 *  run() indexes every input of IndexerOptions into the index at
 *  options.db and returns what it did. It reports through RunHooks only (no
 *  printing, no globals), so the CLI decides what reaches the terminal.
 *
 *  Problems with single inputs (a missing path, a binary file, a bad JSONL
 *  line, a duplicate document id) are reported and skipped; at most
 *  max_problems_per_file are shown per file, then one "N more errors not
 *  shown" line. A JSONL file none of whose lines has text (a manifest, say)
 *  is reported as one problem. Fatal errors (the index cannot be opened,
 *  analyzer mismatch, no input path exists, a write failure) are thrown as
 *  FatalError after the open batch is cancelled; everything committed before
 *  stays valid.
 *
 *  Interruption: stop_requested is polled between documents; when it
 *  returns true the run commits what it has, stops and returns with
 *  `interrupted` set.
 *
 *  Document ids must be unique within a run: a second document with an id
 *  already indexed by this run is a problem (kDuplicateId) and is not
 *  indexed. Across runs, indexing a document again replaces its passages.
 *
 *  Updates. The index keeps a manifest (manifest.h) of every file it
 *  indexed. A run on an index that has one does only the work that changed:
 *   - every walked file that has an entry is read and hashed (reading is
 *     cheap, analysis is not); same hash: unchanged, no analysis (a new
 *     mtime or size is only recorded); other hash: changed, its old
 *     passages are replaced;
 *   - a file without an entry is new (added);
 *   - an entry under a walked root whose file was not found is removed with
 *     its passages ("under a walked root": the root is a directory given in
 *     this run and listed without error, and no directory on the way to the
 *     file failed to list; for a file given directly, that file only). Roots
 *     not given in this run, and missing inputs, are left alone;
 *   - a new file with the same content hash, size and format as a removed
 *     one is a rename: its passages are re-labelled (doc id, source) without
 *     re-analysis; an id of the form "<old rel>:<line>" (JSONL line without
 *     an id) becomes "<new rel>:<line>";
 *   - a file whose last attempt failed is not read again until its content
 *     changes (or options.retry_failed); its problems are reported again;
 *   - a file that fails now keeps none of its old passages: what it still
 *     gives (good JSONL lines) replaces them, and the entry says failed.
 *  Rebuilds: options.rebuild, or an index built by another analyzer when
 *  this run's paths cover every file of its manifest (the run says so
 *  through RunHooks::notice; otherwise the index is refused as before),
 *  build the given paths into a new generation beside the live index while
 *  holding its write lock, and swap it in atomically (generation.h). An
 *  interrupted or failed rebuild leaves the old index live and untouched.
 *  Work order: removals, renames, then the walk order. Each file's passage
 *  changes and its manifest entry are written in the same transaction; a
 *  commit in the middle of a large file writes its entry as "incomplete"
 *  (listing what is in the index so far), so the next run redoes it.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "indexer/errors.h"
#include "indexer/options.h"

namespace bisearch::indexer {

/// Where a run stands, for a progress display.
struct ProgressInfo {
  size_t files_done = 0;
  size_t files_total = 0;
  uint64_t documents = 0;
  uint64_t passages = 0;
  uint64_t bytes_done = 0;   ///< bytes of input read so far
  uint64_t bytes_total = 0;  ///< bytes of all input files
  double seconds = 0;
};

/// Callbacks of a run; any may be empty.
struct RunHooks {
  std::function<void(const Problem&)> problem;           ///< each problem shown
  std::function<void(const std::string&)> note;          ///< verbose notes (only when options.verbose)
  std::function<void(const ProgressInfo&)> progress;     ///< after every document and file
  std::function<bool()> stop_requested;                  ///< polled between documents
  /// Each planned change, e.g. "add PATH", "change PATH", "remove PATH",
  /// "rename OLD -> NEW", "failed PATH (unchanged)", before it is done
  /// (with options.dry_run: instead of doing it).
  std::function<void(const std::string&)> action;
  /// Messages the user must see, e.g. that an analyzer change makes the run
  /// a full rebuild.
  std::function<void(const std::string&)> notice;
};

/// What a run did.
struct IndexSummary {
  uint64_t documents = 0;      ///< documents written
  uint64_t passages = 0;       ///< passages written (= passages_ko + _en + _mixed)
  uint64_t passages_ko = 0;
  uint64_t passages_en = 0;
  uint64_t passages_mixed = 0;
  uint64_t files = 0;          ///< files that gave at least one document
  uint64_t files_failed = 0;   ///< inputs with at least one problem
  uint64_t files_skipped = 0;  ///< entries skipped while walking (other extensions, hidden, ...)
  uint64_t problems = 0;       ///< all problems, shown or not
  uint64_t bytes_read = 0;     ///< input bytes
  double seconds = 0;          ///< wall time of the run
  bool compacted = false;      ///< the writer compacted the index (a two-writer build's merge)
  bool changed = false;        ///< the run wrote to the index
  /// The merge policy (merge_policy.h) compacted the updated index into a
  /// new generation; its size before (index_bytes is after).
  bool update_compacted = false;
  uint64_t bytes_before_compaction = 0;
  uint64_t index_bytes = 0;    ///< size of the index directory afterwards
  bool interrupted = false;    ///< stopped early by stop_requested
  // What the update did, by file (see "Updates" above).
  bool updated = false;        ///< the index had a manifest before the run
  uint64_t files_added = 0;
  uint64_t files_changed = 0;  ///< re-indexed because the content changed (or retried / incomplete)
  uint64_t files_removed = 0;
  uint64_t files_renamed = 0;
  uint64_t files_unchanged = 0;  ///< same content: not analyzed (touched ones included)
  /// Of files_changed: files of many documents whose interrupted indexing
  /// was resumed at the first document not committed.
  uint64_t files_resumed = 0;
  /// Failed before and unchanged (or only renamed), so not retried: not a
  /// failure of this run (neither in files_failed nor in problems).
  uint64_t files_still_failed = 0;
  bool dry_run = false;
  bool rebuilt = false;        ///< a new generation was built and swapped in
  // Cross-language data (crosslang.h), after the run.
  uint64_t aligned_groups = 0;     ///< documents / document pairs aligned across languages
  uint64_t lexicon_pairs = 0;      ///< sentence pairs the lexicon was learned from
  uint64_t lexicon_size = 0;       ///< (ko, en) translations in it
  bool lexicon_relearned = false;  ///< the run learned the lexicon again
  uint64_t glossaries = 0;         ///< glossary files kept in the index
  // Dates normalize_date() (analysis/dates.h) did not understand: the
  // documents are indexed without a date value (no --since/--until/--sort
  // date for them); a warning, not a problem.
  uint64_t dates_not_understood = 0;
  std::string date_example;        ///< the first: "WHERE: 'value'"
};

/// Indexes options.inputs into options.db. Throws FatalError (see above).
IndexSummary run(const IndexerOptions& options, const RunHooks& hooks);

/// The one-line summary, e.g. "indexed 1 document, 2 passages (ko 1, en 1,
/// mixed 0) from 1 file in 0.05 s; 0 failed, 0 skipped; index idx (312 KiB)",
/// followed by "; 2 dates not understood, e.g. a.txt: '2023-13-45'" when
/// some were not.
std::string format_summary(const IndexSummary& summary, const std::string& db);

/// The cross-language line, e.g. "cross-language: 1 aligned group; lexicon
/// of 12 translations from 20 sentence pairs"; "" when the run did not
/// learn the lexicon again.
std::string format_crosslang(const IndexSummary& summary);

/// The per-file line of an update, e.g. "files: 2 added, 1 changed, 0
/// removed, 1 renamed, 40 unchanged, 0 failed".
std::string format_changes(const IndexSummary& summary);

/// "compacted: 78.5 MiB -> 57.9 MiB (grown past 1.2x its size when last
/// compacted)" when the merge policy compacted the updated index
/// (merge_policy.h), else "".
std::string format_compaction(const IndexSummary& summary);

/// "2 files still not indexable (unchanged since they failed; not retried);
/// see bisearch-index --db DB status", or "" when there are none.
std::string format_still_failed(const IndexSummary& summary, const std::string& db);

/// The manifest's view of an index, for `bisearch-index --db DIR status`:
/// one line per file ("ok  3 passages  PATH", failed files with their
/// reasons), then totals, then "passage digest HEX": the sum of the
/// FNV-1a hashes of every passage's stored record, equal for two indexes
/// that hold the same passages (with the same sources). Throws FatalError when the index cannot be opened.
std::string format_status(const std::filesystem::path& db);

/// "512 B", "312 KiB", "41.5 MiB", "1.20 GiB".
std::string format_size(uint64_t bytes);

/// 0 when nothing failed in this run, 1 when some input read in this run
/// had a problem (a new or changed file, or one retried with
/// --retry-failed; files still failing unchanged do not count), 130 when
/// interrupted (fatal errors, exit 2, are exceptions instead).
int exit_code(const IndexSummary& summary);

}  // namespace bisearch::indexer
