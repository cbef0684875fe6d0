// rank.cc: opening indexes and running ranked passage searches.
#include "query/rank.h"

#include <filesystem>

#include "analysis/analyzer.h"

namespace bisearch::query {
namespace {

Xapian::Database open_one(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw SearchError(path + ": no such index (directory not found)");
  Xapian::Database db;
  try {
    db = Xapian::Database(path);
  } catch (const Xapian::Error& e) {
    throw SearchError(path + ": cannot open index: " + e.get_msg());
  }
  const std::string analyzer = db.get_metadata(schema::kMetaAnalyzer);
  if (analyzer.empty()) throw SearchError(path + ": not a bisearch index (no analyzer recorded)");
  if (analyzer != schema::analyzer_id())
    throw SearchError(path + ": index was built by analyzer " + analyzer + ", this program uses " +
                      schema::analyzer_id() + "; rebuild the index with this version's bisearch-index");
  return db;
}

}  // namespace

Searcher::Searcher(SearchOptions options) : options_(std::move(options)) {
  if (options_.dbs.empty()) throw SearchError("no index given (--db DIR)");
  for (const auto& path : options_.dbs) db_.add_database(open_one(path));
}

SearchResult Searcher::search(std::string_view query_text) {
  for (int attempt = 0;; ++attempt) {
    try {
      return search_once(query_text);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 3) throw SearchError("index kept changing during the search; try again");
      db_.reopen();
    } catch (const Xapian::Error& e) {
      throw SearchError("search failed: " + e.get_description());
    }
  }
}

SearchResult Searcher::search_once(std::string_view query_text) {
  SearchResult result;
  const BuiltQuery built = build_query(parse_query(query_text), options_.build);
  result.description = built.description;
  if (built.query.empty()) return result;

  Xapian::Query q = built.query;
  std::vector<Xapian::Query> filters;
  if (!options_.lang.empty()) filters.emplace_back(std::string(schema::kPrefixLang) + options_.lang);
  if (!options_.docs.empty()) {
    std::vector<Xapian::Query> docs;
    for (const auto& d : options_.docs) docs.emplace_back(schema::doc_term(d));
    filters.emplace_back(Xapian::Query::OP_OR, docs.begin(), docs.end());
  }
  for (const auto& f : filters) q = Xapian::Query(Xapian::Query::OP_FILTER, q, f);

  Xapian::Enquire enquire(db_);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, 0, 1, options_.bm25_b, 0.5));
  const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(options_.offset),
                                             static_cast<Xapian::doccount>(options_.limit));
  result.total_estimate = mset.get_matches_estimated();
  size_t rank = options_.offset;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = it.get_weight();
    auto record = schema::deserialize(it.get_document().get_data());
    if (!record) throw SearchError("passage " + std::to_string(*it) + " has data this program cannot read");
    hit.record = std::move(*record);
    hit.highlights = highlight(hit.record.text, built.units);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace bisearch::query
