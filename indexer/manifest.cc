// manifest.cc: encoding and loading the per-file manifest kept in the index metadata.
#include "indexer/manifest.h"

#include <charconv>
#include <cstdio>

#include "analysis/schema.h"

namespace bisearch::indexer {
namespace {

using schema::append_field;
using schema::read_field;
using schema::read_number_field;

constexpr std::string_view kEntryVersion = schema::kManifestEntryVersion;

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
  append_field(out, kEntryVersion);
  append_field(out, e.root);
  append_field(out, e.rel);
  append_field(out, std::to_string(e.size));
  append_field(out, std::to_string(e.mtime_ns));
  append_field(out, hex64(e.hash));
  append_field(out, e.analyzer);
  append_field(out, status_name(e.status));
  append_field(out, e.encoding);
  append_field(out, std::to_string(e.problem_count));
  append_field(out, std::to_string(e.problems.size()));
  for (const StoredProblem& p : e.problems) {
    append_field(out, p.at);
    append_field(out, p.reason);
  }
  append_field(out, std::to_string(e.docs.size()));
  for (const DocEntry& d : e.docs) {
    append_field(out, d.id);
    append_field(out, std::to_string(d.passages));
  }
  return out;
}

std::optional<FileEntry> parse_entry(std::string_view in) {
  FileEntry e;
  std::string_view f;
  if (!read_field(in, &f) || f != kEntryVersion) return std::nullopt;
  if (!read_field(in, &f)) return std::nullopt;
  e.root.assign(f);
  if (!read_field(in, &f)) return std::nullopt;
  e.rel.assign(f);
  if (!read_number_field(in, &e.size) || !read_number_field(in, &e.mtime_ns) || !read_number_field(in, &e.hash, 16)) return std::nullopt;
  if (!read_field(in, &f)) return std::nullopt;
  e.analyzer.assign(f);
  if (!read_field(in, &f)) return std::nullopt;
  if (f == "ok")
    e.status = FileStatus::kOk;
  else if (f == "failed")
    e.status = FileStatus::kFailed;
  else if (f == "incomplete")
    e.status = FileStatus::kIncomplete;
  else
    return std::nullopt;
  if (!read_field(in, &f)) return std::nullopt;
  e.encoding.assign(f);
  size_t n = 0;
  if (!read_number_field(in, &e.problem_count) || !read_number_field(in, &n)) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    StoredProblem p;
    if (!read_field(in, &f)) return std::nullopt;
    p.at.assign(f);
    if (!read_field(in, &f)) return std::nullopt;
    p.reason.assign(f);
    e.problems.push_back(std::move(p));
  }
  if (!read_number_field(in, &n)) return std::nullopt;
  e.docs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    DocEntry d;
    if (!read_field(in, &f)) return std::nullopt;
    d.id.assign(f);
    if (!read_number_field(in, &d.passages)) return std::nullopt;
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
