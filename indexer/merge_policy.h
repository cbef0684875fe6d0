/** @file merge_policy.h
 *  @brief When an updated index is compacted: keeps it within a fixed share of a fresh build's size.
 *
 *  Deleting and adding passages (schema 7) leaves glass's B-trees with
 *  half-empty blocks and the old revisions' freed blocks: after many small
 *  updates an index grows well past a fresh build of the same files, and a
 *  first build that was interrupted and resumed ends up larger too. Like
 *  Lucene's merge policy, which rewrites segments once deletions and small
 *  segments cost enough, bisearch compacts the whole index (Xapian's
 *  compactor into a new generation, generation.h) once it has grown enough
 *  past the size it had when it was last compacted:
 *
 *   - after a first build, a rebuild and every compaction, the size in bytes
 *     and the passage count are recorded (metadata bisearch.compacted,
 *     schema.h);
 *   - after an update run that changed the index, the expected size is the
 *     recorded size scaled by passages now / passages recorded; the index is
 *     compacted when it is more than kMaxGrowth times that and at least
 *     kMinExcessBytes over it (small indexes are not rewritten for a few
 *     blocks), or when nothing was recorded (an interrupted first build, or
 *     one made with --no-compact before).
 *
 *  A compaction reads the whole index once (about a tenth of a build's
 *  time), so updates that each change a little compact now and then, never
 *  every run. --no-compact turns the policy off.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bisearch::indexer {

/// Compacted when more than this times the expected size...
inline constexpr double kMaxGrowth = 1.2;
/// ...and at least this many bytes over it.
inline constexpr uint64_t kMinExcessBytes = 1ull << 20;

/// The index as last compacted (or built).
struct CompactedSize {
  uint64_t bytes = 0;
  uint64_t passages = 0;
  bool operator==(const CompactedSize&) const = default;
};

/// The metadata value of bisearch.compacted: "<bytes> <passages>".
std::string serialize_compacted(const CompactedSize& size);
/// std::nullopt when @p value is empty or malformed.
std::optional<CompactedSize> parse_compacted(std::string_view value);

/// The size expected of an index of @p passages passages, from @p recorded:
/// recorded.bytes scaled by passages / recorded.passages (recorded.bytes when
/// it recorded no passages).
uint64_t expected_bytes(const CompactedSize& recorded, uint64_t passages);

/// Whether an index of @p bytes bytes holding @p passages passages, last
/// compacted at @p recorded (std::nullopt: never), should be compacted now.
bool should_compact(uint64_t bytes, uint64_t passages, const std::optional<CompactedSize>& recorded);

}  // namespace bisearch::indexer
