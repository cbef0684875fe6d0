// merge_policy.cc: the compaction decision for updated indexes and its recorded sizes.
#include "indexer/merge_policy.h"

#include <charconv>

namespace bisearch::indexer {

std::string serialize_compacted(const CompactedSize& size) {
  return std::to_string(size.bytes) + " " + std::to_string(size.passages);
}

std::optional<CompactedSize> parse_compacted(std::string_view value) {
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  CompactedSize out;
  auto number = [](std::string_view text, uint64_t* n) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *n);
    return !text.empty() && ec == std::errc() && p == text.data() + text.size();
  };
  if (!number(value.substr(0, space), &out.bytes) || !number(value.substr(space + 1), &out.passages))
    return std::nullopt;
  return out;
}

uint64_t expected_bytes(const CompactedSize& recorded, uint64_t passages) {
  if (recorded.passages == 0) return recorded.bytes;
  return static_cast<uint64_t>(static_cast<double>(recorded.bytes) * static_cast<double>(passages) /
                               static_cast<double>(recorded.passages));
}

bool should_compact(uint64_t bytes, uint64_t passages, const std::optional<CompactedSize>& recorded) {
  if (!recorded) return true;
  const uint64_t expected = expected_bytes(*recorded, passages);
  return static_cast<double>(bytes) > kMaxGrowth * static_cast<double>(expected) &&
         bytes >= expected + kMinExcessBytes;
}

}  // namespace bisearch::indexer
