// manifest.cc: encoding and loading the per-file manifest kept in the index metadata.
#include "indexer/manifest.h"

#include <charconv>
#include <cstdio>

namespace bisearch::indexer {
namespace {

constexpr std::string_view kEntryVersion = "m1";

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

bool get(std::string_view& in, std::string_view* field) {
  const size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  size_t len = 0;
  auto [p, ec] = std::from_chars(in.data(), in.data() + colon, len);
  if (ec != std::errc() || p != in.data() + colon || len > in.size() - colon - 1) return false;
  *field = in.substr(colon + 1, len);
  in.remove_prefix(colon + 1 + len);
  return true;
}

template <typename T>
bool get_number(std::string_view& in, T* value, int base = 10) {
  std::string_view f;
  if (!get(in, &f)) return false;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), *value, base);
  return ec == std::errc() && p == f.data() + f.size();
}

std::string hex64(uint64_t v) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

uint64_t content_hash(std::string_view bytes) {
  ContentHash h;
  h.update(bytes);
  return h.value();
}

std::string_view status_name(FileStatus status) {
  switch (status) {
    case FileStatus::kOk: return "ok";
    case FileStatus::kFailed: return "failed";
    case FileStatus::kIncomplete: return "incomplete";
  }
  return "?";
}

std::string FileEntry::path() const {
  if (root.empty()) return rel;
  return root.back() == '/' ? root + rel : root + "/" + rel;
}

uint64_t FileEntry::passages() const {
  uint64_t n = 0;
  for (const DocEntry& d : docs) n += d.passages;
  return n;
}

std::string file_key(std::string_view root, std::string_view rel) {
  ContentHash h;
  h.update(root);
  h.update("\n");
  h.update(rel);
  std::string key(kManifestPrefix);
  key += hex64(h.value());
  return key;
}

std::string serialize_entry(const FileEntry& e) {
  std::string out;
  put(out, kEntryVersion);
  put(out, e.root);
  put(out, e.rel);
  put(out, std::to_string(e.size));
  put(out, std::to_string(e.mtime_ns));
  put(out, hex64(e.hash));
  put(out, e.analyzer);
  put(out, status_name(e.status));
  put(out, e.encoding);
  put(out, std::to_string(e.problem_count));
  put(out, std::to_string(e.problems.size()));
  for (const StoredProblem& p : e.problems) {
    put(out, p.at);
    put(out, p.reason);
  }
  put(out, std::to_string(e.docs.size()));
  for (const DocEntry& d : e.docs) {
    put(out, d.id);
    put(out, std::to_string(d.passages));
  }
  return out;
}

std::optional<FileEntry> parse_entry(std::string_view in) {
  FileEntry e;
  std::string_view f;
  if (!get(in, &f) || f != kEntryVersion) return std::nullopt;
  if (!get(in, &f)) return std::nullopt;
  e.root.assign(f);
  if (!get(in, &f)) return std::nullopt;
  e.rel.assign(f);
  if (!get_number(in, &e.size) || !get_number(in, &e.mtime_ns) || !get_number(in, &e.hash, 16)) return std::nullopt;
  if (!get(in, &f)) return std::nullopt;
  e.analyzer.assign(f);
  if (!get(in, &f)) return std::nullopt;
  if (f == "ok")
    e.status = FileStatus::kOk;
  else if (f == "failed")
    e.status = FileStatus::kFailed;
  else if (f == "incomplete")
    e.status = FileStatus::kIncomplete;
  else
    return std::nullopt;
  if (!get(in, &f)) return std::nullopt;
  e.encoding.assign(f);
  size_t n = 0;
  if (!get_number(in, &e.problem_count) || !get_number(in, &n)) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    StoredProblem p;
    if (!get(in, &f)) return std::nullopt;
    p.at.assign(f);
    if (!get(in, &f)) return std::nullopt;
    p.reason.assign(f);
    e.problems.push_back(std::move(p));
  }
  if (!get_number(in, &n)) return std::nullopt;
  e.docs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    DocEntry d;
    if (!get(in, &f)) return std::nullopt;
    d.id.assign(f);
    if (!get_number(in, &d.passages)) return std::nullopt;
    e.docs.push_back(std::move(d));
  }
  return e;
}

std::map<std::string, FileEntry> load_manifest(const Xapian::Database& db, size_t* unreadable) {
  std::map<std::string, FileEntry> out;
  if (unreadable) *unreadable = 0;
  const std::string prefix(kManifestPrefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string key = *it;
    auto e = parse_entry(db.get_metadata(key));
    if (e)
      out.emplace(key, std::move(*e));
    else if (unreadable)
      ++*unreadable;
  }
  return out;
}

bool has_manifest(const Xapian::Database& db) {
  const std::string prefix(kManifestPrefix);
  return db.metadata_keys_begin(prefix) != db.metadata_keys_end(prefix);
}

}  // namespace bisearch::indexer
