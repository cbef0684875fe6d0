/** @file parts.h
 *  @brief The shards of a combined database, so metadata is read from each of them.
 *
 *  Xapian's Database::get_metadata() on a database combined from several
 *  (a stub file, repeated --db, query/shards.h) reads only the first one.
 *  bisearch keeps per-index data in metadata (translations, counterparts),
 *  so a reader handed the combined database must ask every shard. The
 *  opener of a combined database (query::Searcher) registers its parts here
 *  for its own thread (Xapian database handles are not shared between
 *  threads); part_metadata() then returns the value of each registered part,
 *  or the database's own value when it is a single one or not registered.
 *  The registry is keyed by the combined database's UUID (Xapian joins its
 *  parts' UUIDs). Also here, shared by the indexer and the searcher: the
 *  shard id "I/N" of schema::kMetaShard and --shard.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

/// Registers @p parts as the parts of @p combined in this thread until the
/// object is destroyed (counted: two registrations of the same parts are
/// fine). Does nothing for a single database.
class PartsRegistration {
 public:
  PartsRegistration() = default;
  PartsRegistration(const Xapian::Database& combined, std::vector<Xapian::Database> parts);
  ~PartsRegistration();
  PartsRegistration(const PartsRegistration&) = delete;
  PartsRegistration& operator=(const PartsRegistration&) = delete;
  PartsRegistration(PartsRegistration&& other) noexcept;
  PartsRegistration& operator=(PartsRegistration&& other) noexcept;

 private:
  std::string key_;  // "" when nothing is registered
};

/// The largest N of `--shard I/N`.
inline constexpr unsigned kMaxShards = 1024;

/// Parses a shard id "I/N" (schema::kMetaShard, --shard): 0 <= I < N <=
/// kMaxShards, decimal; false when malformed or out of range.
bool parse_shard_id(std::string_view text, unsigned* index, unsigned* count);

/// The value of metadata @p key in each part of @p db (one value, possibly
/// "", per registered part; {db.get_metadata(key)} otherwise).
std::vector<std::string> part_metadata(const Xapian::Database& db, const std::string& key);

}  // namespace bisearch::analysis
