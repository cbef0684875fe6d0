/** @file partition.h
 *  @brief Which shard owns a document: bisearch-index --shard I/N.
 *
 *  N machines or processes build the N shards of one collection from the
 *  same folders, each with --shard I/N; a search over all N (query/shards.h)
 *  answers as one index. A document belongs to shard
 *  fnv1a64(partition key) % N, where the key is its doc id with its language
 *  tag taken out (report.ko.txt and report.en.txt, JSONL ids 17.ko and 17.en,
 *  ko/a.md and en/a.md have one key), so a translation pair lands in one
 *  shard and is aligned there (indexer/crosslang.h). The rule depends on
 *  nothing but the id: the same file always lands in the same shard, and
 *  its updates and deletion are seen only by that shard's runs.
 *
 *  A file other than JSON Lines is one document whose id is its path
 *  relative to its root: a shard does not even read the files of the
 *  others. A .jsonl file is read by every shard, each keeping its own
 *  documents (the file is in every shard's manifest with those).
 *
 *  The index records "I/N" (schema.h kMetaShard) at its first build;
 *  check_shard() refuses a run whose --shard (or its absence) differs.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bisearch::indexer {

/// Shard I of N (0 <= index < count).
struct ShardId {
  unsigned index = 0;
  unsigned count = 1;
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

/// @p doc_id with its last language tag (ko, kor, kr, ko-KR, en, eng,
/// en-US, en-GB, eng-US, eng-GB, any case, standing between '.', '_', '-',
/// '/' or the ends) removed; @p doc_id itself when it has none.
std::string partition_key(std::string_view doc_id);

/// The 64-bit FNV-1a hash (the published offset basis and prime) of @p text.
uint64_t fnv1a64(std::string_view text);

/// The shard (0-based) of @p count that owns document @p doc_id.
unsigned shard_of(std::string_view doc_id, unsigned count);

/// Whether @p shard owns @p doc_id (always true without sharding).
inline bool owns(const std::optional<ShardId>& shard, std::string_view doc_id) {
  return !shard || shard->count <= 1 || shard_of(doc_id, shard->count) == shard->index;
}

/// "" when a run with @p wanted (--shard, or none) may write an index that
/// records @p recorded (kMetaShard; "" for none) and holds @p doccount
/// passages; else the one-line reason it may not.
std::string check_shard(const std::optional<ShardId>& wanted, const std::string& recorded, uint64_t doccount);

}  // namespace bisearch::indexer
