// rank.cc: opening indexes and running ranked passage searches.
#include "query/rank.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <queue>
#include <thread>

#include "analysis/analyzer.h"
#include "analysis/record_codec.h"
#include "query/counterpart.h"

namespace bisearch::query {
namespace {

Xapian::Database open_one(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw SearchError(path + ": no such index (directory not found)");
  // A writer committing at the same moment can make an open (or the first
  // read) see a half-replaced revision: retry a few times before giving up.
  Xapian::Database db;
  std::string analyzer;
  for (int attempt = 0;; ++attempt) {
    try {
      db = Xapian::Database(path);
      analyzer = db.get_metadata(schema::kMetaAnalyzer);
      // Its record dictionary, registered now: a combined database's
      // metadata is its first part's, so later lookups could not find the
      // others'. Read here, so a commit landing meanwhile is retried too.
      if (!analyzer.empty()) schema::codec_of(db);
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 5) throw SearchError(path + ": cannot open index: " + e.get_msg());
    } catch (const Xapian::DatabaseCorruptError& e) {
      if (attempt >= 5) throw SearchError(path + ": cannot open index: " + e.get_msg());
    } catch (const Xapian::Error& e) {
      throw SearchError(path + ": cannot open index: " + e.get_msg());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
  }
  if (analyzer.empty()) throw SearchError(path + ": not a bisearch index (no analyzer recorded)");
  if (analyzer != schema::analyzer_id())
    throw SearchError(path + ": index was built by analyzer " + analyzer + ", this program uses " +
                      schema::analyzer_id() + "; rebuild the index with this version's bisearch-index");
  return db;
}

// Whether a candidate passage really matches: the units found in its text,
// or else in its title (whose terms the passage is also indexed under), must
// cover at least one clause and every required group; and no excluded unit
// may occur in either. A query without positive clauses (only '-' ones)
// passes every passage that holds no excluded unit. @p units and
// @p excluded are built.units and built.excluded_units, prepared once.
bool passes(const BuiltQuery& built, const Matcher& units, const Matcher& excluded,
            const std::vector<UnitMatch>& text_matches, const schema::PassageRecord& record) {
  if (!built.excluded_units.empty()) {
    if (!excluded.find(record.text).empty()) return false;
    if (!record.title.empty() && !excluded.find(record.title).empty()) return false;
  }
  if (built.clauses == 0) return true;
  std::vector<char> seen(built.clauses, 0);
  auto covered = [&] {
    std::vector<char> group(built.group_required.size(), 0);
    bool any = false;
    for (uint32_t c = 0; c < built.clauses; ++c)
      if (seen[c]) {
        group[built.clause_group[c]] = 1;
        any = true;
      }
    if (!any) return false;
    for (size_t g = 0; g < group.size(); ++g)
      if (built.group_required[g] && !group[g]) return false;
    return true;
  };
  for (const UnitMatch& m : text_matches) seen[m.clause] = 1;
  if (covered()) return true;
  if (record.title.empty()) return false;
  for (const UnitMatch& m : units.find(record.title)) seen[m.clause] = 1;
  return covered();
}

}  // namespace

double Searcher::proximity(const std::vector<UnitMatch>& matches, uint32_t clauses) const {
  // Most distinct clauses seen within proximity_window positions, as a
  // fraction of the clauses beyond the first.
  std::vector<const UnitMatch*> by_pos;
  for (const auto& m : matches) by_pos.push_back(&m);
  std::sort(by_pos.begin(), by_pos.end(), [](auto* a, auto* b) { return a->position < b->position; });
  std::vector<uint32_t> count(clauses, 0);
  uint32_t distinct = 0, best = 0;
  size_t lo = 0;
  for (size_t hi = 0; hi < by_pos.size(); ++hi) {
    if (count[by_pos[hi]->clause]++ == 0) ++distinct;
    while (by_pos[hi]->position - by_pos[lo]->position > options_.proximity_window)
      if (--count[by_pos[lo++]->clause] == 0) --distinct;
    best = std::max(best, distinct);
  }
  return best <= 1 ? 0.0 : static_cast<double>(best - 1) / (clauses - 1);
}

Searcher::Searcher(SearchOptions options) : options_(std::move(options)) {
  if (options_.dbs.empty()) throw SearchError("no index given (--db DIR)");
  for (const auto& path : options_.dbs) {
    parts_.push_back(open_one(path));
    db_.add_database(parts_.back());
  }
  // A commit landing between the open and this read is met by reopening.
  const std::string kNoDeadList = "cannot read the index's list of superseded passages: ";
  for (int attempt = 0;; ++attempt) {
    try {
      if (attempt > 0) db_.reopen();
      load_liveness();
      return;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 3) throw SearchError(kNoDeadList + e.get_description());
    } catch (const Xapian::Error& e) {
      throw SearchError(kNoDeadList + e.get_description());
    }
  }
}

void Searcher::load_liveness() { liveness_ = analysis::Liveness(parts_); }

SearchResult Searcher::search(std::string_view query_text) {
  for (int attempt = 0;; ++attempt) {
    try {
      // A commit that discarded the revision being read: reopen (the parts
      // share their internals with db_) and read the dead lists again.
      if (attempt > 0) {
        db_.reopen();
        load_liveness();
      }
      return search_once(query_text);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 3) throw SearchError("index kept changing during the search; try again");
    } catch (const Xapian::Error& e) {
      throw SearchError("search failed: " + e.get_description());
    }
  }
}

SearchResult Searcher::search_once(std::string_view query_text) {
  SearchResult result;
  const std::vector<Clause> clauses = parse_query(query_text);
  Alternatives alternatives;
  if (options_.cross) {
    result.expansions = find_expansions(db_, liveness_, clauses, options_.expand);
    alternatives = to_alternatives(result.expansions);
  }
  const BuiltQuery built = build_query(clauses, options_.build, alternatives);
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
  // Superseded passages are still in the index (analysis/dead.h).
  q = analysis::without_dead(q, liveness_);

  // The units are matched against every candidate's text (and title).
  const Matcher units(built.units), excluded(built.excluded_units);

  Xapian::Enquire enquire(db_);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, 0, 1, options_.bm25_b, 0.5));
  const bool rerank = options_.proximity_weight > 0 && built.clauses > 1;
  const size_t wanted = options_.offset + options_.limit;
  // Checked hits to collect: the page (from the first hit: the check can
  // drop candidates, so the offset counts checked hits), or the re-rank pool.
  const size_t pool = rerank ? std::max(wanted, options_.rerank_depth) : wanted;
  std::vector<Hit> hits;
  // Re-ranking can at most multiply a score by 1 + proximity_weight, and the
  // MSet comes best first: once a passage's best possible score falls below
  // the wanted-th best re-ranked score so far, neither it nor any after it
  // can enter the page, so they are not read or analyzed (same result).
  const double max_boost = 1 + std::max(0.0, options_.proximity_weight);
  std::priority_queue<double, std::vector<double>, std::greater<double>> page_scores;  // the best `wanted`
  Xapian::doccount start = 0;
  auto window = static_cast<Xapian::doccount>(pool);
  uint64_t estimate = 0;
  size_t examined = 0, rejected = 0;
  bool exhausted = false, stopped = false;
  while (hits.size() < pool && !exhausted && !stopped && examined < options_.max_checked) {
    const Xapian::MSet mset = enquire.get_mset(start, window);
    if (start == 0) estimate = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end() && hits.size() < pool; ++it) {
      if (rerank && page_scores.size() >= wanted && it.get_weight() * max_boost < page_scores.top()) {
        stopped = true;
        break;
      }
      ++examined;
      Hit hit;
      hit.score = it.get_weight();
      auto record = schema::read_record(it.get_document(), db_);
      if (!record) throw SearchError("passage " + std::to_string(*it) + " has data this program cannot read");
      hit.record = std::move(*record);
      const std::vector<UnitMatch> matches = units.find(hit.record.text);
      if (!passes(built, units, excluded, matches, hit.record)) {
        ++rejected;
        continue;
      }
      if (rerank) hit.score *= 1 + options_.proximity_weight * proximity(matches, built.clauses);
      hit.highlights = merge_ranges(matches);
      if (rerank) {
        page_scores.push(hit.score);
        if (page_scores.size() > wanted) page_scores.pop();
      }
      hits.push_back(std::move(hit));
    }
    start += mset.size();
    exhausted = mset.size() < window;
    // Candidates dropped by the check are made up for by a larger window.
    window = std::min<Xapian::doccount>(2 * window, 1000);
  }
  // Xapian's estimate counts the unchecked candidates: scale it by the share
  // that passed; exact when every candidate was checked.
  if (exhausted && examined == start)
    result.total_estimate = examined - rejected;
  else if (examined > 0)
    result.total_estimate = std::max<uint64_t>(
        examined - rejected, static_cast<uint64_t>(static_cast<double>(estimate) * static_cast<double>(examined - rejected) /
                                                       static_cast<double>(examined) + 0.5));
  else
    result.total_estimate = estimate;
  if (rerank)
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
  hits.erase(hits.begin(), hits.begin() + static_cast<long>(std::min(options_.offset, hits.size())));
  if (hits.size() > options_.limit) hits.resize(options_.limit);
  size_t rank = options_.offset;
  for (auto& h : hits) {
    h.rank = ++rank;
    h.counterpart = find_counterpart(db_, liveness_, h.record);
  }
  result.hits = std::move(hits);
  return result;
}

}  // namespace bisearch::query
