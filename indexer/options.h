/** @file options.h
 *  @brief What an indexing run is asked to do: raw arguments and validated options.
 *
 *  main.cc lets CLI11 fill a plain IndexArgs; to_options() checks it once
 *  and turns it into IndexerOptions, which the library takes by const
 *  reference. Nothing in the library reads argv, the environment or globals.
 */
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "indexer/extract.h"
#include "indexer/lexicon.h"
#include "indexer/partition.h"
#include "indexer/segment.h"

namespace bisearch::indexer {

/// The command line as parsed, before any check.
struct IndexArgs {
  std::string db;
  std::vector<std::string> paths;
  std::string id_field = "id";
  std::string text_field;  ///< "" = default "text" with fallbacks
  size_t batch = 1000;
  size_t memory_budget_mib = 512;
  bool no_compact = false;
  unsigned threads = 0;  ///< 0 = default (2 when the machine has 2+ cores)
  size_t max_errors_per_file = 5;
  bool quiet = false;
  bool verbose = false;
  bool no_progress = false;
  bool dry_run = false;
  bool retry_failed = false;
  bool rebuild = false;
  std::string shard;                    ///< --shard I/N ("" = none)
  std::vector<std::string> lexicon;     ///< --lexicon KEY=VALUE settings
  std::vector<std::string> glossaries;  ///< --glossary FILE
};

struct IndexerOptions {
  /// Index directory; created when missing. Required.
  std::filesystem::path db;
  /// Files and directories to index, in order. Required, at least one.
  std::vector<std::filesystem::path> inputs;
  /// JSONL field names and file checks. Defaults: id / text with fallbacks.
  ExtractOptions extract;
  /// Passage sizes. Defaults: see segment.h.
  SegmentOptions segment;
  /// Passages per transaction commit (whole documents only). Larger uses
  /// more memory and loses more on a crash, and beyond ~1,000 it is also
  /// slower: Xapian's in-memory change maps grow with the batch and cost
  /// more than the commits saved (docs/benchmark.md). Default 1,000.
  size_t batch_passages = 1000;
  /// Bytes the open batch may use (WriterOptions::memory_budget): a batch
  /// is committed early when its estimated memory reaches half of it, which
  /// keeps the indexer's peak RSS under the budget unless one document alone
  /// is larger. Default 512 MiB.
  uint64_t memory_budget = 512ull << 20;
  /// After a fresh build (a new --db or a rebuild), compact the database
  /// (write.h compact_in_place); after an update, compact it into a new
  /// generation when it has grown enough (merge_policy.h). Default on.
  bool compact = true;
  /// Writer threads for a fresh build (shard.h): 2 builds about twice as
  /// fast on two free cores. Needs `compact` (the shard is merged by the
  /// compactor). A first build with 2 is written into DB.building and
  /// renamed to DB when done, so a killed first build starts over (with
  /// 1 it resumes). Updates of an existing index always use 1. Default 2
  /// when the machine has two or more cores, else 1.
  unsigned threads = 1;
  /// Problems shown per file before "N more problems" (the count is exact). Default 5.
  size_t max_problems_per_file = 5;
  /// Report skipped entries and per-file counts through RunHooks::note. Default off.
  bool verbose = false;
  /// Print nothing but problems (no summary, no progress). Default off.
  bool quiet = false;
  /// Allow a progress line (the CLI shows it only when stderr is a terminal). Default on.
  bool progress = true;
  /// Work out what the run would do (RunHooks::action) and write nothing. Default off.
  bool dry_run = false;
  /// Index files whose last attempt failed even when they did not change
  /// since (otherwise they are only reported again). Default off.
  bool retry_failed = false;
  /// Build the given paths into a new database beside the live one and swap
  /// it in atomically when done (generation.h). Default off.
  bool rebuild = false;
  /// Build shard I of N of the collection (partition.h): only the documents
  /// this shard owns are indexed. Default none (every document).
  std::optional<ShardId> shard;
  /// Thresholds of the translation lexicon learned from aligned text
  /// (lexicon.h). Defaults there.
  LexiconOptions lexicon;
  /// Glossary files (TSV or CSV: ko, en, optional note) to load or refresh
  /// (glossary.h). Files loaded before are checked on every run.
  std::vector<std::filesystem::path> glossaries;
};

/// Validates @p args. Throws UsageError with a one-line message.
IndexerOptions to_options(const IndexArgs& args);

}  // namespace bisearch::indexer
