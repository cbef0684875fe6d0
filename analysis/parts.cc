// parts.cc: the per-thread registry of combined databases' parts.
#include "analysis/parts.h"

#include <charconv>
#include <map>
#include <utility>

namespace bisearch::analysis {
namespace {

struct Entry {
  int count = 0;
  std::vector<Xapian::Database> parts;
};

std::map<std::string, Entry>& registry() {
  thread_local std::map<std::string, Entry> map;
  return map;
}

void release(const std::string& key) {
  if (key.empty()) return;
  auto& map = registry();
  if (auto it = map.find(key); it != map.end() && --it->second.count <= 0) map.erase(it);
}

}  // namespace

PartsRegistration::PartsRegistration(const Xapian::Database& combined, std::vector<Xapian::Database> parts) {
  if (parts.size() <= 1) return;
  key_ = combined.get_uuid();
  Entry& e = registry()[key_];
  ++e.count;
  e.parts = std::move(parts);
}

PartsRegistration::~PartsRegistration() { release(key_); }

PartsRegistration::PartsRegistration(PartsRegistration&& other) noexcept : key_(std::move(other.key_)) {
  other.key_.clear();
}

PartsRegistration& PartsRegistration::operator=(PartsRegistration&& other) noexcept {
  if (this != &other) {
    release(key_);
    key_ = std::move(other.key_);
    other.key_.clear();
  }
  return *this;
}

bool parse_shard_id(std::string_view text, unsigned* index, unsigned* count) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  auto number = [](std::string_view digits, unsigned* out) {
    if (digits.empty() || digits.size() > 5) return false;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
    return ec == std::errc() && p == digits.data() + digits.size();
  };
  unsigned i = 0, n = 0;
  if (!number(text.substr(0, slash), &i) || !number(text.substr(slash + 1), &n)) return false;
  if (n < 1 || n > kMaxShards || i >= n) return false;
  *index = i;
  *count = n;
  return true;
}

std::vector<std::string> part_metadata(const Xapian::Database& db, const std::string& key) {
  if (db.size() > 1) {
    const auto& map = registry();
    if (auto it = map.find(db.get_uuid()); it != map.end()) {
      std::vector<std::string> out;
      for (const Xapian::Database& part : it->second.parts) out.push_back(part.get_metadata(key));
      return out;
    }
  }
  return {db.get_metadata(key)};
}

}  // namespace bisearch::analysis
