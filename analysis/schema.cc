// schema.cc: passage record (document data) encoding and id terms.
#include "analysis/schema.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "analysis/analyzer.h"
#include "analysis/normalize.h"
#include "analysis/record_codec.h"

namespace bisearch::schema {

void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

bool read_field(std::string_view& in, std::string_view* field) {
  const size_t colon = in.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  size_t len = 0;
  auto [p, ec] = std::from_chars(in.data(), in.data() + colon, len);
  if (ec != std::errc() || p != in.data() + colon || len > in.size() - colon - 1) return false;
  *field = in.substr(colon + 1, len);
  in.remove_prefix(colon + 1 + len);
  return true;
}

std::string analyzer_id() {
  return std::string(analysis::kAnalyzerName) + "/" + std::to_string(analysis::kAnalyzerVersion);
}

std::string serialize(const PassageRecord& r, const RecordCodec* codec) {
  std::string out;
  out.reserve(r.text.size() + r.doc_id.size() + r.title.size() + 64);
  append_field(out, kRecordVersion);
  append_field(out, r.doc_id);
  append_field(out, r.title);
  append_field(out, r.date);
  append_field(out, r.url);
  append_field(out, r.source);
  append_field(out, std::to_string(r.passage));
  append_field(out, r.lang);
  append_field(out, std::to_string(r.begin));
  append_field(out, std::to_string(r.end));
  append_field(out, r.text);
  if (!r.place_unit.empty() && r.place_first > 0)
    append_field(out, r.place_unit + "=" + std::to_string(r.place_first) + "-" +
                          std::to_string(std::max(r.place_first, r.place_last)));
  if (!r.path.empty()) append_field(out, "path=" + r.path);
  if (!r.doc_key.empty()) append_field(out, "key=" + r.doc_key);
  for (const auto& [key, value] : r.fields) append_field(out, "field=" + key + "=" + value);
  return codec ? codec->compress(out) : out;
}

namespace {

std::optional<PassageRecord> parse(std::string_view in);

}  // namespace

std::optional<PassageRecord> deserialize(std::string_view data) {
  const std::optional<uint32_t> id = stored_dictionary_id(data);
  if (!id) return parse(data);
  const auto codec = registered_codec(*id);
  if (!codec) return std::nullopt;
  const std::optional<std::string> plain = codec->decompress(data);
  if (!plain) return std::nullopt;
  return parse(*plain);
}

std::optional<PassageRecord> deserialize(std::string_view data, const Xapian::Database& db) {
  const std::optional<uint32_t> id = stored_dictionary_id(data);
  if (id && !registered_codec(*id)) codec_of(db);
  return deserialize(data);
}

std::string stored_record(const Xapian::Document& doc) {
  std::string value = doc.get_value(kSlotRecord);
  return value.empty() ? doc.get_data() : value;
}

std::optional<PassageRecord> read_record(const Xapian::Document& doc, const Xapian::Database& db) {
  return deserialize(stored_record(doc), db);
}

void set_stored_record(Xapian::Document& doc, const PassageRecord& record, const RecordCodec* codec) {
  doc.add_value(kSlotRecord, serialize(record, codec));
}

namespace {

std::optional<PassageRecord> parse(std::string_view in) {
  PassageRecord r;
  std::string_view f;
  if (!read_field(in, &f) || f != kRecordVersion) return std::nullopt;
  for (std::string* s : {&r.doc_id, &r.title, &r.date, &r.url, &r.source}) {
    if (!read_field(in, &f)) return std::nullopt;
    s->assign(f);
  }
  if (!read_number_field(in, &r.passage)) return std::nullopt;
  if (!read_field(in, &f)) return std::nullopt;
  r.lang.assign(f);
  if (!read_number_field(in, &r.begin) || !read_number_field(in, &r.end)) return std::nullopt;
  if (!read_field(in, &f)) return std::nullopt;
  r.text.assign(f);
  // Optional named trailing fields; unknown ones are skipped.
  while (!in.empty() && read_field(in, &f)) {
    if (f.starts_with("path=")) {
      r.path.assign(f.substr(5));
      continue;
    }
    if (f.starts_with("key=")) {
      r.doc_key.assign(f.substr(4));
      continue;
    }
    if (f.starts_with("field=")) {
      const std::string_view kv = f.substr(6);
      const size_t eq = kv.find('=');
      if (eq != std::string_view::npos && eq > 0) r.fields.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      continue;
    }
    for (std::string_view unit : {"page", "section"}) {
      if (!f.starts_with(unit) || f.size() <= unit.size() || f[unit.size()] != '=') continue;
      std::string_view v = f.substr(unit.size() + 1);
      const size_t dash = v.find('-');
      uint32_t first = 0, last = 0;
      if (dash == std::string_view::npos) continue;
      const std::string_view a = v.substr(0, dash), b = v.substr(dash + 1);
      auto [pa, ea] = std::from_chars(a.data(), a.data() + a.size(), first);
      auto [pb, eb] = std::from_chars(b.data(), b.data() + b.size(), last);
      if (ea != std::errc() || eb != std::errc() || pa != a.data() + a.size() || pb != b.data() + b.size() ||
          first == 0 || last < first)
        continue;
      r.place_unit.assign(unit);
      r.place_first = first;
      r.place_last = last;
    }
  }
  return r;
}

}  // namespace

namespace {

// 64-bit FNV-1a-style hash (schema.h: its offset basis is part of the format).
uint64_t term_hash(std::string_view value) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : value) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

std::string bounded_term(std::string_view prefix, std::string_view value) {
  constexpr size_t kMaxTerm = 240;
  std::string t(prefix);
  if (prefix.size() + value.size() <= kMaxTerm) {
    t += value;
    return t;
  }
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(term_hash(value)));
  size_t keep = kMaxTerm - prefix.size() - 17;
  while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
  t += value.substr(0, keep);
  t += '~';
  t += hex;
  return t;
}

std::string uid_term(std::string_view doc_id, uint32_t passage) {
  char buf[40];
  snprintf(buf, sizeof buf, "%016llx#%u", static_cast<unsigned long long>(term_hash(doc_id)), passage);
  return std::string(kPrefixUid) + buf;
}

std::string doc_term(std::string_view doc_id) { return bounded_term(kPrefixDoc, doc_id); }

bool valid_field_key(std::string_view key) {
  if (key.empty() || key.size() > 64 || key[0] < 'a' || key[0] > 'z') return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

std::string title_term(std::string_view index_term) {
  std::string t(kPrefixTitle);
  t += index_term;
  return t;
}

std::vector<std::string> folder_terms(std::string_view rel) {
  std::vector<std::string> out;
  if (rel.empty()) return out;
  for (size_t slash = rel.find('/'); slash != std::string_view::npos; slash = rel.find('/', slash + 1))
    if (slash > 0) out.push_back(bounded_term(kPrefixFolder, rel.substr(0, slash)));
  out.push_back(bounded_term(kPrefixFolder, rel));
  return out;
}

std::string folder_of(std::string_view rel) {
  const size_t slash = rel.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(rel.substr(0, slash));
}

std::string field_term(std::string_view key, std::string_view value) {
  std::string folded;
  bool space = false;
  for (const analysis::NormChar& c : analysis::normalize(value)) {
    if (c.cp == ' ' || c.cp == '\t' || c.cp == '\n' || c.cp == '\r' || c.cp == '\f' || c.cp == '\v' || c.cp == 0xA0 ||
        c.cp == 0x3000) {
      space = !folded.empty();
      continue;
    }
    if (space) folded += ' ';
    space = false;
    analysis::append_utf8(folded, c.cp);
  }
  std::string kv(key);
  kv += '=';
  kv += folded;
  return bounded_term(kPrefixField, kv);
}

std::string content_key(std::string_view body) {
  uint64_t h = 1469598103934665603ULL;
  bool space = false, any = false;
  for (unsigned char c : body) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = any;
      continue;
    }
    if (space) h = (h ^ ' ') * 1099511628211ULL;
    space = false;
    any = true;
    h = (h ^ c) * 1099511628211ULL;
  }
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace bisearch::schema
