// options.cc: the one place where command-line arguments are checked.
#include "indexer/options.h"

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "analysis/parts.h"
#include "indexer/errors.h"

namespace bisearch::indexer {

IndexerOptions to_options(const IndexArgs& args) {
  IndexerOptions o;
  if (args.db.empty()) throw UsageError("--db DIR is required");
  if (args.paths.empty()) throw UsageError("no input PATH given");
  for (const std::string& p : args.paths) {
    if (p.empty()) throw UsageError("an input PATH is empty");
    o.inputs.emplace_back(p);
  }
  if (args.quiet && args.verbose) throw UsageError("--quiet and --verbose exclude each other");
  if (args.batch == 0) throw UsageError("--batch must be at least 1");
  if (args.max_errors_per_file == 0) throw UsageError("--max-errors-per-file must be at least 1");
  if (args.id_field.empty()) throw UsageError("--id-field must not be empty");
  // "idx/" is "idx": the index's siblings (idx.building, the compactor's
  // idx.compacting) are named after it.
  o.db = std::filesystem::path(args.db).lexically_normal();
  while (!o.db.has_filename() && o.db.has_relative_path()) o.db = o.db.parent_path();
  o.extract.id_field = args.id_field;
  if (!args.text_field.empty()) {
    o.extract.text_field = args.text_field;
    o.extract.text_field_given = true;
  }
  o.batch_passages = args.batch;
  if (args.memory_budget_mib < 64) throw UsageError("--memory-budget must be at least 64 (MiB)");
  o.memory_budget = static_cast<uint64_t>(args.memory_budget_mib) << 20;
  o.compact = !args.no_compact;
  if (args.threads > 2) throw UsageError("--threads must be 1 or 2");
  o.threads = args.threads != 0 ? args.threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
  o.max_problems_per_file = args.max_errors_per_file;
  o.verbose = args.verbose;
  o.quiet = args.quiet;
  o.progress = !args.no_progress && !args.quiet;
  o.dry_run = args.dry_run;
  o.retry_failed = args.retry_failed;
  o.rebuild = args.rebuild;
  if (!args.shard.empty()) {
    ShardId id;
    if (!analysis::parse_shard_id(args.shard, &id.index, &id.count))
      throw UsageError("--shard: expected I/N with 0 <= I < N <= " + std::to_string(analysis::kMaxShards) +
                       " (shard I of N, counted from 0), got \"" + args.shard + "\"");
    o.shard = id;
  }
  for (const std::string& kv : args.lexicon) {
    const size_t eq = kv.find('=');
    double v = 0;
    try {
      if (eq == std::string::npos) throw std::invalid_argument("no '='");
      size_t used = 0;
      v = std::stod(kv.substr(eq + 1), &used);
      if (used != kv.size() - eq - 1 || v < 0) throw std::invalid_argument("not a number");
    } catch (const std::exception&) {
      throw UsageError("--lexicon: expected KEY=NUMBER (>= 0), got \"" + kv + "\"");
    }
    const std::string key = kv.substr(0, eq);
    if (key == "min_links") o.lexicon.min_links = static_cast<uint32_t>(v);
    else if (key == "min_share") o.lexicon.min_link_share = v;
    else if (key == "min_g2") o.lexicon.min_g2 = v;
    else if (key == "min_dice") o.lexicon.min_dice = v;
    else if (key == "max_translations") o.lexicon.max_translations = static_cast<size_t>(v);
    else if (key == "strong_links") o.lexicon.strong_links = static_cast<uint32_t>(v);
    else if (key == "strong_share") o.lexicon.strong_link_share = v;
    else if (key == "strong_dice") o.lexicon.strong_min_dice = v;
    else throw UsageError("--lexicon: unknown key \"" + key + "\" (min_links, min_share, min_g2, min_dice, max_translations, strong_links, strong_share, strong_dice)");
  }
  for (const std::string& g : args.glossaries) {
    if (g.empty()) throw UsageError("--glossary FILE is empty");
    o.glossaries.emplace_back(g);
  }
  return o;
}

}  // namespace bisearch::indexer
