// partition.cc: the shard that owns a document id, and whether a run fits an index's shard.
#include "indexer/partition.h"

#include <algorithm>
#include <cctype>

namespace bisearch::indexer {
namespace {

// Longest first, so "en-US" is taken whole rather than as "en".
constexpr std::string_view kTags[] = {"eng-US", "eng-GB", "ko-KR", "en-US", "en-GB", "kor", "eng", "ko", "kr", "en"};

bool separator(char c) { return c == '.' || c == '_' || c == '-' || c == '/'; }

bool same_letters(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string partition_key(std::string_view id) {
  size_t tag_pos = std::string_view::npos, tag_len = 0;
  for (size_t pos = 0; pos < id.size(); ++pos) {
    if (pos > 0 && !separator(id[pos - 1])) continue;
    for (std::string_view tag : kTags) {
      const size_t end = pos + tag.size();
      if (end > id.size() || !same_letters(id.substr(pos, tag.size()), tag)) continue;
      if (end != id.size() && !separator(id[end])) continue;
      tag_pos = pos;
      tag_len = tag.size();
      break;
    }
  }
  if (tag_pos == std::string_view::npos) return std::string(id);
  return std::string(id.substr(0, tag_pos)) + std::string(id.substr(tag_pos + tag_len));
}

uint64_t fnv1a64(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

unsigned shard_of(std::string_view doc_id, unsigned count) {
  if (count <= 1) return 0;
  return static_cast<unsigned>(fnv1a64(partition_key(doc_id)) % count);
}

std::string check_shard(const std::optional<ShardId>& wanted, const std::string& recorded, uint64_t doccount) {
  const std::string want = wanted ? wanted->text() : "";
  if (want == recorded) return "";
  if (recorded.empty()) {
    if (doccount == 0) return "";  // a new (or empty) index takes the id
    return "the index was not built with --shard; --shard " + want +
           " would leave the other shards' files in it (build each shard into its own new --db)";
  }
  if (!wanted)
    return "the index is shard " + recorded + " of a collection; give --shard " + recorded +
           " (without it every file would be indexed into this shard)";
  return "the index is shard " + recorded + ", not " + want + "; each shard keeps its --shard I/N (to change N, " +
         "build the shards again into new directories)";
}

}  // namespace bisearch::indexer
