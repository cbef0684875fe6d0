// filters.cc: the boolean filter of a search (language, documents, dates, folders, fields).
#include "query/filters.h"

#include <algorithm>

#include "analysis/schema.h"
#include "analysis/dates.h"

namespace bisearch::query {
namespace {


Xapian::Query any_of(const std::vector<std::string>& terms) {
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

std::string iso_bound(const std::string& text, const char* option) {
  const std::optional<std::string> iso = normalize_date(text);
  if (!iso) throw SearchError(std::string(option) + " " + text + ": not a date (e.g. 2023-04-26, 2023-04, 2023)");
  return *iso;
}

// A --path prefix as the indexer writes folder terms: no "./", no trailing '/'.
std::string clean_path(std::string p) {
  while (p.starts_with("./")) p.erase(0, 2);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string join_keys(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
  return s.empty() ? "none" : s;
}

}  // namespace

std::vector<std::string> field_keys(const std::vector<Xapian::Database>& parts) {
  std::vector<std::string> keys;
  // A combined database's metadata is its first part's: read each part's.
  for (const Xapian::Database& db : parts) {
    const std::string list = db.get_metadata(schema::kMetaFields);
    size_t at = 0;
    while (at < list.size()) {
      size_t nl = list.find('\n', at);
      if (nl == std::string::npos) nl = list.size();
      if (nl > at) keys.push_back(list.substr(at, nl - at));
      at = nl + 1;
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Xapian::Query filter_query(const SearchOptions& o, const std::vector<Xapian::Database>& parts) {
  std::vector<Xapian::Query> filters;
  if (!o.lang.empty()) filters.emplace_back(std::string(schema::kPrefixLang) + o.lang);
  if (!o.docs.empty()) {
    std::vector<std::string> docs;
    for (const auto& d : o.docs) docs.push_back(schema::doc_term(d));
    filters.push_back(any_of(docs));
  }
  if (!o.since.empty() || !o.until.empty()) {
    const std::string since = o.since.empty() ? "" : iso_bound(o.since, "--since");
    const std::string until = o.until.empty() ? "" : date_upper_bound(iso_bound(o.until, "--until"));
    if (!since.empty() && !until.empty() && since >= until)
      throw SearchError("--since " + o.since + " is after --until " + o.until);
    // The upper bound sorts after every date of the period and equals none.
    if (since.empty()) filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, until);
    else if (until.empty()) filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, since);
    else filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, since, until);
  }
  if (!o.paths.empty()) {
    std::vector<std::string> terms;
    for (const auto& p : o.paths) {
      const std::string clean = clean_path(p);
      if (clean.empty() || clean == "." || clean == "/") {
        terms.clear();  // the root: every passage
        break;
      }
      terms.push_back(schema::bounded_term(schema::kPrefixFolder, clean));
    }
    if (!terms.empty()) filters.push_back(any_of(terms));
  }
  if (!o.fields.empty()) {
    const std::vector<std::string> keys = field_keys(parts);
    for (const auto& [key, value] : o.fields) {
      if (!std::binary_search(keys.begin(), keys.end(), key))
        throw SearchError("--field " + key + ": the index keeps no field of that name (fields: " + join_keys(keys) + ")");
      filters.emplace_back(schema::field_term(key, value));
    }
  }
  if (filters.empty()) return {};
  if (filters.size() == 1) return filters[0];
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace bisearch::query
