// params.cc: query-string decoding and API parameter validation.
#include "server/params.h"

#include "query/options.h"

#include <algorithm>
#include <charconv>

namespace bisearch::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A parameter name as shown in an error message (bounded, printable).
std::string shown(std::string_view name) {
  std::string s;
  for (char c : name.substr(0, 40)) s += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return s;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07;
    else return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

Params Params::parse(std::string_view qs) {
  Params p;
  size_t start = 0;
  while (start <= qs.size()) {
    size_t amp = qs.find('&', start);
    if (amp == std::string_view::npos) amp = qs.size();
    const std::string_view pair = qs.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view raw_name = pair.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto name = percent_decode(raw_name, true);
    if (!name) throw RequestError(400, "malformed percent-encoding in a parameter name", shown(raw_name));
    if (!valid_utf8(*name)) throw RequestError(400, "parameter name is not valid UTF-8", shown(*name));
    auto value = percent_decode(raw_value, true);
    if (!value) throw RequestError(400, "malformed percent-encoding (a '%' must be followed by two hex digits)", *name);
    if (!valid_utf8(*value)) throw RequestError(400, "value is not valid UTF-8", *name);
    if (value->find('\0') != std::string::npos) throw RequestError(400, "value contains a NUL character", *name);
    p.pairs_.emplace_back(std::move(*name), std::move(*value));
  }
  return p;
}

void Params::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [name, value] : pairs_) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw RequestError(400, "unknown parameter; this route takes " + list, shown(name));
    }
  }
}

std::optional<std::string> Params::get(std::string_view name) const {
  std::optional<std::string> v;
  for (const auto& [n, value] : pairs_)
    if (n == name) v = value;
  return v;
}

std::vector<std::string> Params::all(std::string_view name) const {
  std::vector<std::string> v;
  for (const auto& [n, value] : pairs_)
    if (n == name) v.push_back(value);
  return v;
}

std::string parse_date_param(std::string_view name, std::string_view value, bool end) {
  try {
    return query::date_bound(name, value, end);  // the forms and bounds of bisearch-query --since/--until
  } catch (const query::UsageError& e) {
    std::string message = e.what();
    const std::string prefix = std::string(name) + ": ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    throw RequestError(400, message, std::string(name));
  }
}

size_t parse_count_param(std::string_view name, std::string_view value, size_t lo, size_t hi) {
  size_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (value.empty() || ec != std::errc() || p != value.data() + value.size() || v < lo || v > hi)
    throw RequestError(400, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
                       std::string(name));
  return v;
}

bool parse_bool_param(std::string_view name, std::string_view value) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off") return false;
  throw RequestError(400, "must be 1 or 0 (true/false)", std::string(name));
}

std::string query_text_param(const Params& params, std::string_view name) {
  auto q = params.get(name);
  if (!q || q->find_first_not_of(" \t\r\n") == std::string::npos)
    throw RequestError(400, "missing: give the words to look for", std::string(name));
  if (q->size() > kMaxQueryBytes)
    throw RequestError(400, "too long (at most " + std::to_string(kMaxQueryBytes) + " bytes)", std::string(name));
  return *q;
}

query::SearchOptions search_params(const Params& params, const query::SearchOptions& base,
                                   const std::vector<std::string>& known_fields, std::string* query) {
  params.only({"q", "lang", "since", "until", "sort", "path", "per_doc", "limit", "offset", "facets", "cross",
               "all", "field"});
  query::SearchOptions o = base;
  *query = query_text_param(params, "q");
  if (auto v = params.get("lang"); v && !v->empty()) {
    if (*v != "ko" && *v != "en" && *v != "mixed") throw RequestError(400, "must be ko, en or mixed", "lang");
    o.lang = *v;
  }
  if (auto v = params.get("since"); v && !v->empty()) o.since = parse_date_param("since", *v, false);
  if (auto v = params.get("until"); v && !v->empty()) o.until = parse_date_param("until", *v, true);
  if (!o.since.empty() && !o.until.empty() && o.since > o.until)
    throw RequestError(400, "is after until (" + o.until + ")", "since");
  if (auto v = params.get("sort"); v && !v->empty()) {
    if (*v == "relevance") o.sort = query::SearchOptions::Sort::kRelevance;
    else if (*v == "date") o.sort = query::SearchOptions::Sort::kDate;
    else if (*v == "-date") o.sort = query::SearchOptions::Sort::kDateDesc;
    else throw RequestError(400, "must be relevance, date or -date", "sort");
  }
  for (auto p : params.all("path")) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p.empty() || p == "/") continue;
    if (p.size() > 1000) throw RequestError(400, "too long (at most 1000 bytes)", "path");
    if (p.front() == '/') throw RequestError(400, "give a folder relative to the indexed one, as doc ids are", "path");
    if (std::find(o.paths.begin(), o.paths.end(), p) == o.paths.end()) o.paths.push_back(p);
  }
  if (auto v = params.get("per_doc")) o.per_doc = parse_count_param("per_doc", *v, 0, kMaxPerDoc);
  if (auto v = params.get("limit")) o.limit = parse_count_param("limit", *v, 1, kMaxLimit);
  if (auto v = params.get("offset")) o.offset = parse_count_param("offset", *v, 0, kMaxOffset);
  if (auto v = params.get("cross")) o.cross = parse_bool_param("cross", *v);
  if (auto v = params.get("all")) o.build.match_all = parse_bool_param("all", *v);
  for (const auto& list : params.all("facets")) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      const std::string f = list.substr(start, comma - start);
      start = comma + 1;
      if (f.empty()) continue;
      const bool field = f.rfind("field:", 0) == 0;
      if (field && std::find(known_fields.begin(), known_fields.end(), f.substr(6)) == known_fields.end())
        throw RequestError(400, "the index keeps no metadata field '" + f.substr(6) + "'", "facets");
      if (!field && f != "lang" && f != "year" && f != "folder")
        throw RequestError(400, "unknown facet '" + f + "'; facets are lang, year, folder and field:KEY", "facets");
      if (std::find(o.facets.begin(), o.facets.end(), f) == o.facets.end()) o.facets.push_back(f);
    }
  }
  for (const auto& kv : params.all("field")) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw RequestError(400, "expected KEY=VALUE", "field");
    const std::string key = kv.substr(0, eq);
    if (std::find(known_fields.begin(), known_fields.end(), key) == known_fields.end())
      throw RequestError(400, "the index keeps no metadata field '" + key + "'", "field");
    o.fields.emplace_back(key, kv.substr(eq + 1));
  }
  return o;
}

}  // namespace bisearch::server
