// options.cc: the one place where bisearch-query's arguments are checked.
#include "query/options.h"

#include <algorithm>
#include <charconv>

#include "analysis/dates.h"
#include "analysis/schema.h"

namespace bisearch::query {
namespace {

std::string in_quotes(std::string_view v) { return "\"" + std::string(v) + "\""; }

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string join_words(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += ' ';
    q += w;
  }
  return q;
}

// A --path value as the index stores folder prefixes: relative to the
// indexed folder, '/'-separated, no "./" or trailing '/'.
std::string folder_prefix(std::string_view value) {
  std::string p = trim(value);
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p.empty() || p == "." || p == "/")
    throw UsageError("--path: empty prefix " + in_quotes(value) + "; give a folder or file under an indexed folder");
  if (p.front() == '/')
    throw UsageError("--path: " + in_quotes(value) +
                     " is absolute; give it relative to the indexed folder, as the hits' doc ids are (e.g. core/)");
  size_t start = 0;
  while (start <= p.size()) {
    const size_t slash = std::min(p.find('/', start), p.size());
    const std::string_view part(p.data() + start, slash - start);
    if (part.empty() || part == "." || part == "..")
      throw UsageError("--path: " + in_quotes(value) + " has an empty, '.' or '..' component");
    start = slash + 1;
  }
  return p;
}

std::pair<std::string, std::string> field_filter(std::string_view kv) {
  const size_t eq = kv.find('=');
  if (eq == std::string_view::npos)
    throw UsageError("--field: expected KEY=VALUE, got " + in_quotes(kv));
  std::string key = trim(kv.substr(0, eq)), value = trim(kv.substr(eq + 1));
  if (key.empty()) throw UsageError("--field: no key before '=' in " + in_quotes(kv));
  if (value.empty()) throw UsageError("--field: no value after '=' in " + in_quotes(kv));
  // The key as typed: header keys are indexed in lower case, JSONL keys as
  // written; the searcher names the index's keys when this one is not there.
  return {key, value};
}

// Appends the facets of one --facets value (comma-separated), in order,
// without repeating one.
void add_facets(std::string_view list, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = trim(list.substr(start, comma - start));
    start = comma + 1;
    bool known = std::find(std::begin(kFacetNames), std::end(kFacetNames), name) != std::end(kFacetNames);
    if (name.rfind("field:", 0) == 0) {
      if (trim(name.substr(6)).empty()) throw UsageError("--facets: field: needs a key (field:KEY) in " + in_quotes(list));
      known = true;
    }
    if (name.empty()) throw UsageError("--facets: empty name in " + in_quotes(list) + "; expected lang,year,folder,field:KEY");
    if (!known)
      throw UsageError("--facets: unknown facet " + in_quotes(name) + "; expected lang, year, folder or field:KEY");
    std::string canon = name;
    if (canon.rfind("field:", 0) == 0) canon = "field:" + trim(canon.substr(6));
    if (std::find(out.begin(), out.end(), canon) == out.end()) out.push_back(canon);
  }
}

double tune_number(const std::string& kv, size_t eq) {
  const std::string v = kv.substr(eq + 1);
  double x = 0;
  size_t used = 0;
  try {
    x = std::stod(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (v.empty() || used != v.size())
    throw UsageError("--tune: expected KEY=NUMBER, got " + in_quotes(kv));
  return x;
}

}  // namespace

std::string date_bound(std::string_view option, std::string_view value, bool upper) {
  const std::optional<std::string> iso = normalize_date(trim(value));
  if (!iso)
    throw UsageError(std::string(option) + ": " + in_quotes(value) +
                     " is not a date (e.g. 2023-04-26, 2023.04.26, 2023년 4월 26일, April 26, 2023, 2023-04, 2023)");
  if (!upper || iso->size() == 10) return *iso;  // a partial lower bound sorts before its first day
  // The last day of the year or month.
  const int year = std::stoi(iso->substr(0, 4));
  const int month = iso->size() >= 7 ? std::stoi(iso->substr(5, 2)) : 12;
  int day = 31;
  while (day > 28 && !valid_date(year, month, day)) --day;
  char buf[16];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

void apply_tuning(const std::vector<std::string>& settings, SearchOptions& o) {
  for (const auto& kv : settings) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) throw UsageError("--tune: expected KEY=NUMBER, got " + in_quotes(kv));
    const std::string key = kv.substr(0, eq);
    const double v = tune_number(kv, eq);
    if (key == "k1") o.bm25_k1 = v;
    else if (key == "b") o.bm25_b = v;
    else if (key == "word") o.build.terms.whole_word_weight = v;
    else if (key == "backoff") o.build.terms.ending_backoff = v != 0;
    else if (key == "backoff_weight") o.build.terms.backoff_weight = v;
    else if (key == "prox") o.proximity_weight = v;
    else if (key == "prox_window") o.proximity_window = static_cast<uint32_t>(v);
    else if (key == "depth") o.rerank_depth = static_cast<size_t>(v);
    else if (key == "split") o.build.terms.split_weight = v;
    else if (key == "max_backoff") o.build.terms.max_backoff = static_cast<size_t>(v);
    else if (key == "cross_weight") o.expand.weight = v;
    else if (key == "cross_max") o.expand.max_per_clause = static_cast<size_t>(v);
    else if (key == "cross_min_evidence") o.expand.min_evidence = static_cast<size_t>(v);
    else if (key == "title_weight") o.build.title_weight = v;
    else if (key == "title_boost") o.build.title_boost = v;
    else if (key == "title_with_text") o.build.title_with_text = v;
    else if (key == "stopwords") o.build.stopwords = v != 0;
    else
      throw UsageError("--tune: unknown setting " + in_quotes(key) +
                       "; expected one of k1, b, word, split, prox, prox_window, depth, backoff, backoff_weight, "
                       "max_backoff, cross_weight, cross_max, cross_min_evidence, title_weight, title_boost, title_with_text, "
                       "stopwords");
  }
}

DocIds resolve_doc_ids(const Xapian::Database& db, const std::vector<std::string>& values) {
  // Every document id of the index: the XD terms, with ids too long for a
  // term (bounded_term cut them and added a hash) read from a passage's record.
  std::vector<std::string> ids;
  const std::string prefix(schema::kPrefixDoc);
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    std::string id = (*t).substr(prefix.size());
    // A cut id ends in '~' and 16 hex digits; the record has it whole.
    const bool cut = id.size() > 17 && id[id.size() - 17] == '~' &&
                     id.find_first_not_of("0123456789abcdef", id.size() - 16) == std::string::npos;
    if (cut) {
      auto p = db.postlist_begin(*t);
      if (p == db.postlist_end(*t)) continue;
      const auto record = schema::read_record(db.get_document(*p), db);
      if (!record) continue;
      id = record->doc_id;
    }
    ids.push_back(std::move(id));
  }
  DocIds out;
  auto add = [&out](const std::string& id) {
    if (std::find(out.ids.begin(), out.ids.end(), id) == out.ids.end()) out.ids.push_back(id);
  };
  for (const std::string& value : values) {
    if (std::find(ids.begin(), ids.end(), value) != ids.end()) {
      add(value);
      continue;
    }
    const std::string tail = "/" + value;
    std::vector<std::string> ends, starts, within;
    for (const std::string& id : ids) {
      if (id.size() > tail.size() && id.compare(id.size() - tail.size(), tail.size(), tail) == 0) ends.push_back(id);
      if (id.rfind(value, 0) == 0) starts.push_back(id);
      if (id.find(value) != std::string::npos) within.push_back(id);
    }
    // Ids inside the value's matches that are one file under several folders.
    auto one_file = [](const std::vector<std::string>& v) {
      auto name = [](const std::string& id) { return id.substr(id.rfind('/') + 1); };
      return std::all_of(v.begin(), v.end(), [&](const std::string& id) { return name(id) == name(v[0]); });
    };
    if (!ends.empty()) {
      for (const auto& id : ends) add(id);
    } else if (starts.size() == 1) {
      add(starts[0]);
    } else if (!within.empty() && one_file(within)) {
      for (const auto& id : within) add(id);
    } else if (within.empty()) {
      add(value);
      out.unknown.push_back(value);
    } else {
      std::sort(within.begin(), within.end());
      std::string some;
      for (size_t i = 0; i < std::min<size_t>(3, within.size()); ++i) some += (i ? ", " : "") + within[i];
      throw UsageError("--doc: " + in_quotes(value) + " is part of " + std::to_string(within.size()) +
                       " document ids (" + some + (within.size() > 3 ? ", ..." : "") + "); give more of it");
    }
  }
  return out;
}

QueryRun to_options(const QueryArgs& args) {
  QueryRun run;
  SearchOptions& s = run.search;
  if (args.dbs.empty()) throw UsageError("--db DIR is required");
  for (const auto& db : args.dbs)
    if (db.empty()) throw UsageError("--db: empty index path");
  for (const auto& w : args.query_words)
    if (w.rfind("--", 0) == 0 && w.size() > 2) throw UsageError("unknown option " + w + "; see --help");
  run.query = join_words(args.query_words);
  run.batch = args.batch;
  const bool blank = run.query.find_first_not_of(" \t") == std::string::npos;
  if (args.batch.empty() && blank) throw UsageError("no query given (a QUERY argument or --batch FILE); see --help");
  if (!args.batch.empty() && !blank)
    throw UsageError("--batch " + args.batch + " reads the queries from the file; do not also give QUERY words");
  s.dbs = args.dbs;

  if (args.limit < 1 || args.limit > 100000)
    throw UsageError("--limit: " + std::to_string(args.limit) + " is out of range (1 to 100000)");
  s.limit = args.limit;
  s.offset = args.offset;
  if (!args.lang.empty() && args.lang != "ko" && args.lang != "en" && args.lang != "mixed")
    throw UsageError("--lang: " + in_quotes(args.lang) + " is not one of ko, en, mixed");
  s.lang = args.lang;
  for (const auto& d : args.docs)
    if (trim(d).empty()) throw UsageError("--doc: empty document id");
  s.docs = args.docs;
  s.build.match_all = args.all;
  s.cross = args.cross;
  s.expand.default_lexicon = args.default_lexicon;
  apply_tuning(args.tune, s);

  if (!args.since.empty()) s.since = date_bound("--since", args.since, false);
  if (!args.until.empty()) s.until = date_bound("--until", args.until, true);
  if (!s.since.empty() && !s.until.empty() && s.since > s.until)
    throw UsageError("--since " + args.since + " is after --until " + args.until);
  if (args.sort == "relevance") s.sort = SearchOptions::Sort::kRelevance;
  else if (args.sort == "date") s.sort = SearchOptions::Sort::kDate;
  else if (args.sort == "-date") s.sort = SearchOptions::Sort::kDateDesc;
  else throw UsageError("--sort: " + in_quotes(args.sort) + " is not one of relevance, date, -date");
  for (const auto& p : args.paths) {
    std::string prefix = folder_prefix(p);
    if (std::find(s.paths.begin(), s.paths.end(), prefix) == s.paths.end()) s.paths.push_back(std::move(prefix));
  }
  for (const auto& f : args.fields) s.fields.push_back(field_filter(f));
  for (const auto& f : args.facets) add_facets(f, s.facets);
  if (args.per_doc < 0) throw UsageError("--per-doc: " + std::to_string(args.per_doc) + " is negative (0 = no grouping)");
  s.per_doc = static_cast<size_t>(args.per_doc);

  if (args.color != "auto" && args.color != "always" && args.color != "never")
    throw UsageError("--color: " + in_quotes(args.color) + " is not one of auto, always, never");
  if (args.snippet == 0) throw UsageError("--snippet: must be at least 1 character");
  run.output.explain = args.explain;
  run.output.snippet_chars = args.snippet;
  run.output.color = args.color == "always";
  run.json = args.json;
  run.terms = args.terms;
  if (args.terms) {
    if (!args.batch.empty()) throw UsageError("--terms takes one term, not --batch");
    if (!args.docs.empty()) throw UsageError("--terms looks the term up in the whole index; --doc does not apply");
    const bool narrowed = !s.since.empty() || !s.until.empty() || !s.paths.empty() || !s.fields.empty() ||
                          !s.facets.empty() || s.sort != SearchOptions::Sort::kRelevance;
    if (narrowed)
      throw UsageError("--terms looks the term up in the whole index; --since, --until, --sort, --path, --field "
                       "and --facets do not apply");
  }
  return run;
}

}  // namespace bisearch::query
