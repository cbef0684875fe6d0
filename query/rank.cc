// rank.cc: opening indexes and running ranked passage searches.
#include "query/rank.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <queue>
#include <thread>

#include "analysis/analyzer.h"
#include "analysis/record_codec.h"
#include "query/counterpart.h"
#include "query/facets.h"
#include "query/filters.h"
#include "query/shards.h"

namespace bisearch::query {
namespace {

// Candidates read at most per group on a page, to count its other
// passages (Hit::more_in_doc) and find its copies.
constexpr size_t kGroupReads = 100;

// Opens one shard (shards.h) and reads its own metadata. A writer
// committing at the same moment can make an open (or the first read) see a
// half-replaced revision: retry a few times before giving up.
Xapian::Database open_one(const ShardSpec& shard, ShardMeta* meta) {
  Xapian::Database db;
  for (int attempt = 0;; ++attempt) {
    try {
      db = open_shard(shard);
      *meta = read_shard_meta(db);
      // Its record dictionary, registered now: a combined database's
      // metadata is its first part's, so later lookups could not find the
      // others'. Read here, so a commit landing meanwhile is retried too.
      if (meta->analyzer == schema::analyzer_id()) schema::codec_of(db);
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 5) throw SearchError(shard.name + ": cannot open index: " + e.get_msg());
    } catch (const Xapian::DatabaseCorruptError& e) {
      if (attempt >= 5) throw SearchError(shard.name + ": cannot open index: " + e.get_msg());
    } catch (const Xapian::NetworkError& e) {
      throw SearchError(shard.name + ": shard unreachable: " + e.get_msg());
    } catch (const Xapian::Error& e) {
      throw SearchError(shard.name + ": cannot open index: " + e.get_msg());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
  }
  return db;
}

// Ties: scores equal to 1e-9 (relative) are equal, so that the sums of
// floating-point statistics over several shards order passages as one index.
bool same_score(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a)); }

// Collects the document ids of every match (a boolean pass over all of them).
class Collector : public Xapian::MatchSpy {
 public:
  explicit Collector(std::vector<Xapian::docid>* out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_->push_back(doc.get_docid()); }

 private:
  std::vector<Xapian::docid>* out_;
};

}  // namespace

Xapian::Query all_documents_filter(const Xapian::Query& q) {
  return q.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, every_document(), q);
}

namespace {

// Every document matching @p q, ascending. A match spy is handed each
// shard's own document ids (Xapian 1.4), so over several local shards each
// is searched on its own and its ids are mapped to the combined numbering
// (local id d of shard i of n: (d - 1) * n + i + 1). With a remote shard
// the ids come in the MSet: the remote protocol cannot run our spy.
std::vector<Xapian::docid> all_matches(const Xapian::Database& db, const std::vector<Xapian::Database>& parts,
                                       const Xapian::Query& q, bool remote) {
  std::vector<Xapian::docid> ids;
  if (q.empty()) return ids;
  auto enquire_on = [&](const Xapian::Database& d) {
    Xapian::Enquire enquire(d);
    enquire.set_query(all_documents_filter(q));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    return enquire;
  };
  if (remote) {
    const Xapian::MSet all = enquire_on(db).get_mset(0, db.get_doccount());
    for (auto it = all.begin(); it != all.end(); ++it) ids.push_back(*it);
  } else if (parts.size() <= 1) {
    Xapian::Enquire enquire = enquire_on(db);
    Collector spy(&ids);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db.get_doccount());
  } else {
    const auto n = static_cast<Xapian::docid>(parts.size());
    for (Xapian::docid i = 0; i < n; ++i) {
      std::vector<Xapian::docid> local;
      Xapian::Enquire enquire = enquire_on(parts[i]);
      Collector spy(&local);
      enquire.add_matchspy(&spy);
      enquire.get_mset(0, 0, parts[i].get_doccount());
      for (Xapian::docid d : local) ids.push_back((d - 1) * n + i + 1);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// How many documents match @p q (exact: every match is counted).
Xapian::doccount count_matches(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(all_documents_filter(q));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

// The date sort key: the ISO date, undated passages last either way.
class DateKey : public Xapian::KeyMaker {
 public:
  explicit DateKey(bool descending) : descending_(descending) {}
  std::string operator()(const Xapian::Document& doc) const override {
    std::string v = doc.get_value(schema::kSlotDate);
    if (v.empty()) return descending_ ? std::string() : std::string("\xff");
    return v;
  }

 private:
  bool descending_;
};

// The passages that are hits without reading their text: those matching a
// one-term unit (exact in the index, text or title) of every required
// group, or of any group when none is required. Empty when the query has
// an excluded sequence (only the text can tell).
Xapian::Query sure_query(const BuiltQuery& built) {
  for (const auto* list : {&built.excluded_units, &built.excluded_title_units})
    for (const auto& u : *list)
      if (u.terms.size() > 1) return {};
  std::vector<std::vector<Xapian::Query>> by_group(built.group_required.size());
  auto add = [&](const std::vector<analysis::MatchUnit>& units, bool text) {
    for (const auto& u : units) {
      if (u.terms.size() != 1) continue;
      auto& g = by_group[built.clause_group[u.clause]];
      if (text) g.emplace_back(u.terms[0]);
      g.emplace_back(std::string(schema::kPrefixTitle) + u.terms[0]);
    }
  };
  add(built.units, true);
  add(built.title_units, false);
  std::vector<Xapian::Query> required, any;
  for (size_t g = 0; g < by_group.size(); ++g) {
    if (by_group[g].empty()) {
      if (built.group_required[g]) return {};
      continue;
    }
    Xapian::Query q(Xapian::Query::OP_OR, by_group[g].begin(), by_group[g].end());
    (built.group_required[g] ? required : any).push_back(q);
  }
  if (!required.empty()) return Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
  if (any.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
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

Searcher::Searcher(SearchOptions options) : options_(std::move(options)) { open_shards(); }

void Searcher::open_shards() {
  // Opened and checked aside, then swapped in: a failed reconnect leaves the
  // searcher as it was (failing on the lost shard), never with fewer shards.
  std::vector<ShardSpec> shards = resolve_shards(options_.dbs);
  std::vector<ShardMeta> meta(shards.size());
  std::vector<Xapian::Database> parts;
  Xapian::Database db;
  bool remote = false;
  for (size_t i = 0; i < shards.size(); ++i) {
    parts.push_back(open_one(shards[i], &meta[i]));
    db.add_database(parts.back());
    remote = remote || shards[i].remote();
  }
  check_shards(shards, meta);
  registration_ = analysis::PartsRegistration();
  shards_ = std::move(shards);
  parts_ = std::move(parts);
  db_ = std::move(db);
  remote_ = remote;
  registration_ = analysis::PartsRegistration(db_, parts_);
}

std::string Searcher::failed_shard() {
  // The remote shards are asked in turn; the first that does not answer
  // is the one named (a lost connection stays lost).
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (!shards_[i].remote()) continue;
    try {
      parts_[i].reopen();
      (void)parts_[i].get_doccount();
    } catch (const Xapian::Error&) {
      return shards_[i].name;
    }
  }
  std::string all;
  for (const ShardSpec& s : shards_)
    if (s.remote()) all += (all.empty() ? "" : ", ") + s.name;
  return "one of " + all;
}

SearchResult Searcher::search(std::string_view query_text) {
  bool reconnected = false;
  for (int attempt = 0;; ++attempt) {
    try {
      // A commit that discarded the revision being read: reopen (the parts
      // share their internals with db_).
      if (attempt > 0) db_.reopen();
      return search_once(query_text);
    } catch (const Xapian::DatabaseModifiedError&) {
      // A search reads more than the page (exact counts, facets, grouping),
      // so a writer committing quickly can overtake it more than once: retry
      // after a short, growing pause (at most ~0.5 s in all).
      if (attempt >= 8) throw SearchError("index kept changing during the search; try again");
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    } catch (const Xapian::NetworkError& e) {
      // A remote shard's connection can close under a long-lived searcher
      // (its server restarted, its connection process ended): connect
      // again once and repeat the search; a shard that still does not
      // answer is named.
      if (!reconnected) {
        reconnected = true;
        open_shards();  // a shard that does not answer: SearchError naming it
        continue;
      }
      throw SearchError(failed_shard() + ": shard unreachable during the search: " + e.get_msg());
    } catch (const Xapian::Error& e) {
      throw SearchError("search failed: " + e.get_description());
    }
  }
}

SearchResult Searcher::search_once(std::string_view query_text) {
  SearchResult result;
  // Bad facet names, field keys and dates are errors even for a query
  // that would find nothing.
  const std::vector<std::string> keys = field_keys(parts_);
  const std::vector<FacetSpec> facet_specs = parse_facets(options_.facets, keys);
  const Xapian::Query filter = filter_query(options_, parts_);
  if (options_.sort != SearchOptions::Sort::kRelevance && remote_)
    throw SearchError("--sort date/-date is not available with remote shards (Xapian's remote protocol cannot "
                      "run bisearch's date order); sort by relevance, or search the shards as local indexes");

  const std::vector<Clause> clauses = parse_query(query_text);
  Alternatives alternatives;
  if (options_.cross) {
    result.expansions = find_expansions(db_, clauses, options_.expand);
    alternatives = to_alternatives(result.expansions);
  }
  const BuiltQuery built = build_query(clauses, options_.build, alternatives);
  result.description = built.description;
  if (built.query.empty()) return result;

  Xapian::Query q = built.query;
  if (!filter.empty()) q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter);

  // The units are matched against every checked candidate's text and title.
  std::vector<analysis::MatchUnit> title_side = built.units;
  title_side.insert(title_side.end(), built.title_units.begin(), built.title_units.end());
  const Matcher text_units(built.units), title_units(title_side);
  const Matcher excluded(built.excluded_units), excluded_title(built.excluded_title_units);

  // Whether a candidate really matches: the units found in its text, or
  // else in its title, cover at least one clause and every required group;
  // no excluded unit occurs in its text or title (a '-title:' one: title).
  auto passes = [&](const std::vector<UnitMatch>& text_matches, const schema::PassageRecord& r) {
    if (!built.excluded_units.empty()) {
      if (!excluded.find(r.text).empty()) return false;
      if (!r.title.empty() && !excluded.find(r.title).empty()) return false;
    }
    if (!built.excluded_title_units.empty() && !r.title.empty() && !excluded_title.find(r.title).empty()) return false;
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
    if (r.title.empty()) return false;
    for (const UnitMatch& m : title_units.find(r.title)) seen[m.clause] = 1;
    return covered();
  };
  auto read = [&](Xapian::docid id) {
    auto record = schema::read_record(db_.get_document(id, Xapian::DOC_ASSUME_VALID), db_);
    if (!record) throw SearchError("passage " + std::to_string(id) + " has data this program cannot read");
    return std::move(*record);
  };
  // Known-item search (build_query.h): whether Xapian gave a passage the
  // title bonus (its title holds every group's terms) and how much of it
  // the passage keeps: the bonus less the share of the title's words left
  // unmatched, or nothing when the terms are there only apart.
  struct TitleBonus {
    bool given = false;
    double kept = 0;
  };
  const size_t groups = built.group_required.size();
  auto weigh_title = [&](const std::string& title) -> TitleBonus {
    const std::vector<analysis::Token> tokens = analysis::analyze(title);
    std::unordered_set<std::string> terms;
    for (const auto& t : tokens) terms.insert(analysis::index_term(t));
    std::vector<char> has(groups, 0);
    for (const auto* list : {&built.units, &built.title_units})
      for (const auto& u : *list)
        if (std::all_of(u.terms.begin(), u.terms.end(), [&](const std::string& t) { return terms.count(t) > 0; }))
          has[built.clause_group[u.clause]] = 1;
    if (std::find(has.begin(), has.end(), 0) != has.end()) return {};  // no bonus
    const std::vector<UnitMatch> matches = title_units.find(title);
    std::vector<char> seen(groups, 0);
    for (const auto& m : matches) seen[built.clause_group[m.clause]] = 1;
    if (std::find(seen.begin(), seen.end(), 0) != seen.end()) return {true, 0};
    const std::vector<Range> ranges = merge_ranges(matches);
    size_t words = 0, matched = 0;
    for (const auto& t : tokens) {
      if (!t.positional()) continue;
      ++words;
      for (const auto& [b, e] : ranges)
        if (t.begin >= b && t.end <= e) {
          ++matched;
          break;
        }
    }
    if (words == 0) return {true, built.title_bonus};
    return {true, built.title_bonus * static_cast<double>(matched) / static_cast<double>(words)};
  };
  // The passages of a document share its title: each title is weighed once.
  std::unordered_map<std::string, TitleBonus> bonus_of_title;
  auto title_bonus = [&](const schema::PassageRecord& r) -> TitleBonus {
    if (built.title_bonus <= 0 || r.title.empty()) return {};
    if (auto it = bonus_of_title.find(r.title); it != bonus_of_title.end()) return it->second;
    return bonus_of_title[r.title] = weigh_title(r.title);
  };
  std::unordered_map<Xapian::docid, bool> checked;  // candidates whose text was read
  auto check = [&](Xapian::docid id) {
    if (auto it = checked.find(id); it != checked.end()) return it->second;
    const schema::PassageRecord r = read(id);
    return checked[id] = passes(text_units.find(r.text), r);
  };

  // --- The ranked page. ---
  Xapian::Enquire enquire(db_);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, 0, 1, options_.bm25_b, 0.5));
  const bool by_date = options_.sort != SearchOptions::Sort::kRelevance;
  const bool descending = options_.sort == SearchOptions::Sort::kDateDesc;
  DateKey date_key(descending);
  if (by_date) enquire.set_sort_by_key_then_relevance(&date_key, descending);
  const bool rerank = !by_date && options_.proximity_weight > 0 && built.clauses > 1;
  // Scores change after the check (re-ranking, the title bonus taken
  // back): collect by the bound below rather than by count.
  const bool bounded = !by_date && (rerank || built.title_bonus > 0);
  const size_t wanted = options_.offset + options_.limit;
  // Hits to collect: the page (from the first hit: the check can drop
  // candidates, so the offset counts checked hits), or the re-rank pool;
  // with grouping, hits a page can show (per_doc of a document and its copies).
  const size_t pool = rerank ? std::max(wanted, options_.rerank_depth) : wanted;
  struct Collected {
    Hit hit;
    std::string key;       // the document key (its copies share it)
    std::string sort_key;  // the date key when sorting by date
    double plain_score = 0;  // hit.score without the title bonus
    bool has_bonus = false;  // hit.score includes some of the title bonus
  };
  std::vector<Collected> hits;
  std::unordered_map<std::string, std::vector<uint32_t>> admitted_of;  // key -> passages admitted
  size_t admitted = 0;
  // Re-ranking can at most multiply a score by 1 + proximity_weight (the
  // title bonus taken back only lowers it), and the MSet comes best first:
  // once a passage's best possible score falls below the wanted-th best
  // score so far (counted without title bonuses, which only one passage of
  // a document keeps), neither it nor any after it can enter the page, so
  // they are not read or analyzed (same result).
  const double max_boost = rerank ? 1 + std::max(0.0, options_.proximity_weight) : 1.0;
  std::priority_queue<double, std::vector<double>, std::greater<double>> page_scores;  // the best `wanted`
  // Once the pool is full, candidates tied with its last one are still
  // taken, so that which of them make the page never depends on the order
  // Xapian numbered them in (ties are broken by doc id and passage below).
  std::optional<std::pair<double, std::string>> boundary;
  Xapian::doccount start = 0;
  auto window = static_cast<Xapian::doccount>(std::max<size_t>(pool, 10));
  // Over several shards Xapian 1.4's matcher can skip a document that
  // belongs in the page when it prunes by weight bounds (seen on policy-en
  // in 3 shards: "information bipartisan" lost its 3rd hit, 1 query in
  // 1,000); asking it to check every match turns that pruning off.
  const Xapian::doccount check_at_least = parts_.size() > 1 ? db_.get_doccount() : 0;
  size_t examined = 0;
  bool exhausted = false, done = false;
  while (!done && !exhausted && examined < options_.max_checked) {
    const Xapian::MSet mset = enquire.get_mset(start, window, check_at_least);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const double weight = it.get_weight();
      const std::string sort_key = by_date ? it.get_sort_key() : std::string();
      if (boundary && (!same_score(weight, boundary->first) || sort_key != boundary->second)) {
        done = true;
        break;
      }
      if (bounded && page_scores.size() >= wanted && weight * max_boost < page_scores.top()) {
        done = true;
        break;
      }
      if (examined >= options_.max_checked) break;
      ++examined;
      Collected c;
      c.hit.record = read(*it);
      const std::vector<UnitMatch> matches = text_units.find(c.hit.record.text);
      bool pass;
      if (auto known = checked.find(*it); known != checked.end()) pass = known->second;
      else pass = checked[*it] = passes(matches, c.hit.record);
      if (!pass) continue;
      // The score without the title bonus, and with what the passage keeps
      // of it (only its document's best passage keeps it, below).
      const TitleBonus bonus = title_bonus(c.hit.record);
      const double factor = rerank ? 1 + options_.proximity_weight * proximity(matches, built.clauses) : 1.0;
      c.plain_score = (weight - (bonus.given ? built.title_bonus : 0)) * factor;
      c.hit.score = c.plain_score + bonus.kept * factor;
      c.has_bonus = bonus.kept > 0;
      c.hit.highlights = merge_ranges(matches);
      c.hit.title_only = matches.empty() && built.clauses > 0;
      c.key = it.get_document().get_value(schema::kSlotDocKey);
      if (c.key.empty()) c.key = "\x01" + c.hit.record.doc_id;  // an index without document keys
      c.sort_key = sort_key;
      bool admit = true;
      if (options_.per_doc > 0) {
        auto& passages = admitted_of[c.key];
        admit = passages.size() < options_.per_doc &&
                std::find(passages.begin(), passages.end(), c.hit.record.passage) == passages.end();
        if (admit) passages.push_back(c.hit.record.passage);
      }
      if (admit) {
        ++admitted;
        if (bounded) {
          page_scores.push(c.plain_score);  // its final score is at least this
          if (page_scores.size() > wanted) page_scores.pop();
        }
      }
      hits.push_back(std::move(c));
      if (!boundary && admitted >= pool && (rerank || !bounded)) boundary.emplace(weight, sort_key);
    }
    start += mset.size();
    exhausted = mset.size() < window;
    // Candidates dropped by the check or the grouping are made up for by a larger window.
    window = std::min<Xapian::doccount>(2 * window, 1000);
  }

  // --- The total, facets and dates: over every matching passage. ---
  // Candidates are the query's matches; without a sequence to check they
  // are all hits. Otherwise those holding a one-term unit are hits (sure)
  // and the others are checked on their text: all of them when they are at
  // most count_bound (exact), else an evenly spaced sample of count_bound
  // whose share of hits stands for the rest (about).
  // Without facets and without a sequence to check, the count alone is
  // needed: Xapian counts every match, no passage is read. Counted after
  // the page, so the candidates the page checked are not read again.
  std::vector<Xapian::docid> sure;
  if (!built.needs_check && facet_specs.empty()) {
    result.total_exact = true;
    result.total_estimate = count_matches(db_, q);
  } else {
    const std::vector<Xapian::docid> candidates = all_matches(db_, parts_, q, remote_);
    if (built.needs_check) {
      if (const Xapian::Query sq = sure_query(built); !sq.empty())
        sure = all_matches(db_, parts_, Xapian::Query(Xapian::Query::OP_FILTER, q, sq), remote_);
    } else {
      sure = candidates;
    }
    std::vector<Xapian::docid> unsure;
    std::set_difference(candidates.begin(), candidates.end(), sure.begin(), sure.end(), std::back_inserter(unsure));
    std::vector<std::pair<Xapian::docid, double>> counted;
    for (Xapian::docid id : sure) counted.emplace_back(id, 1.0);
    const size_t bound = std::max<size_t>(options_.count_bound, 1);
    result.total_exact = unsure.size() <= bound;
    if (result.total_exact) {
      for (Xapian::docid id : unsure)
        if (check(id)) counted.emplace_back(id, 1.0);
    } else {
      const double stands_for = static_cast<double>(unsure.size()) / static_cast<double>(bound);
      for (size_t i = 0; i < bound; ++i) {
        const Xapian::docid id = unsure[static_cast<size_t>(static_cast<double>(i) * stands_for)];
        if (check(id)) counted.emplace_back(id, stands_for);
      }
    }
    std::sort(counted.begin(), counted.end());
    PassageSet matching;  // ascending ids, weights when sampled
    bool weighted = false;
    double total = 0;
    for (const auto& [id, w] : counted) {
      matching.ids.push_back(id);
      matching.weights.push_back(w);
      weighted = weighted || w != 1.0;
      total += w;
    }
    if (!weighted) matching.weights.clear();
    result.total_estimate = static_cast<uint64_t>(std::llround(total));
    if (!facet_specs.empty()) {
      result.facets = count_facets(db_, facet_specs, matching);
      for (const std::string& d : slot_values(db_, schema::kSlotDate, matching.ids)) {
        if (d.empty()) continue;
        if (result.date_first.empty() || d < result.date_first) result.date_first = d;
        if (result.date_last.empty() || d > result.date_last) result.date_last = d;
      }
    }
  }

  // The title bonus lifts a document once: its best passage (and that
  // passage of its copies) keeps it, the others rank without it.
  {
    auto before = [](const Collected& a, const Collected& b) {
      if (!same_score(a.hit.score, b.hit.score)) return a.hit.score > b.hit.score;
      if (a.hit.record.doc_id != b.hit.record.doc_id) return a.hit.record.doc_id < b.hit.record.doc_id;
      return a.hit.record.passage < b.hit.record.passage;
    };
    std::unordered_map<std::string, size_t> best_of;  // key -> index in hits
    for (size_t i = 0; i < hits.size(); ++i) {
      if (!hits[i].has_bonus) continue;
      auto [it, added] = best_of.emplace(hits[i].key, i);
      if (!added && before(hits[i], hits[it->second])) it->second = i;
    }
    for (Collected& c : hits) {
      if (!c.has_bonus) continue;
      const Collected& best = hits[best_of[c.key]];
      if (c.hit.record.passage != best.hit.record.passage) c.hit.score = c.plain_score;
    }
  }

  // The order: date (when sorting by it), score, then doc id and passage,
  // so equal scores come out the same on every build of the index.
  std::sort(hits.begin(), hits.end(), [&](const Collected& a, const Collected& b) {
    if (by_date && a.sort_key != b.sort_key) return descending ? a.sort_key > b.sort_key : a.sort_key < b.sort_key;
    if (!same_score(a.hit.score, b.hit.score)) return a.hit.score > b.hit.score;
    if (a.hit.record.doc_id != b.hit.record.doc_id) return a.hit.record.doc_id < b.hit.record.doc_id;
    return a.hit.record.passage < b.hit.record.passage;
  });
  // Grouping: per_doc passages of a document key; the same passage of an
  // exact copy is the same hit.
  std::vector<Collected> shown;
  std::unordered_map<std::string, std::vector<size_t>> group_shown;
  {
    std::unordered_map<std::string, std::vector<size_t>>& shown_of = group_shown;  // key -> indexes in shown
    for (Collected& c : hits) {
      if (options_.per_doc == 0) {
        shown.push_back(std::move(c));
        continue;
      }
      auto& in_group = shown_of[c.key];
      bool copy = false;
      for (size_t i : in_group)
        if (shown[i].hit.record.passage == c.hit.record.passage) copy = true;
      if (copy || in_group.size() >= options_.per_doc) continue;
      in_group.push_back(shown.size());
      shown.push_back(std::move(c));
    }
  }
  shown.erase(shown.begin(), shown.begin() + static_cast<long>(std::min(options_.offset, shown.size())));
  if (shown.size() > options_.limit) shown.resize(options_.limit);

  // The page's groups: the other matching passages of the document (its
  // XD term within the query's matches; at most kGroupReads checked) and
  // the copies collected with it (same key, same passages, equal scores).
  if (options_.per_doc > 0 && !shown.empty()) {
    std::unordered_map<std::string, std::vector<size_t>> page_groups;
    for (size_t i = 0; i < shown.size(); ++i) page_groups[shown[i].key].push_back(i);
    for (auto& [key, members_shown] : page_groups) {
      const std::string& doc_id = shown[members_shown[0]].hit.record.doc_id;
      std::set<std::string> doc_ids;
      for (const Collected& c : hits)
        if (c.key == key) doc_ids.insert(c.hit.record.doc_id);
      uint64_t passages = 0;
      size_t reads = 0;
      for (Xapian::docid id :
           all_matches(db_, parts_, Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(schema::doc_term(doc_id))),
                       remote_)) {
        if (!built.needs_check || std::binary_search(sure.begin(), sure.end(), id)) {
          ++passages;
        } else if (auto known = checked.find(id); known != checked.end()) {
          passages += known->second;
        } else if (reads < kGroupReads) {
          ++reads;
          passages += check(id);
        } else {
          ++passages;  // unchecked beyond the bound: counted as a match
        }
      }
      const size_t shown_total = group_shown[key].size();
      const uint64_t more = passages > shown_total ? passages - shown_total : 0;
      for (size_t i : members_shown) {
        Hit& h = shown[i].hit;
        h.more_in_doc = more;
        for (const auto& d : doc_ids)
          if (d != h.record.doc_id) h.copies.push_back(d);
      }
    }
  }

  size_t rank = options_.offset;
  for (Collected& c : shown) {
    Hit& h = c.hit;
    h.rank = ++rank;
    if (!h.record.title.empty()) h.title_highlights = merge_ranges(title_units.find(h.record.title));
    h.counterpart = find_counterpart(db_, h.record);
    result.hits.push_back(std::move(h));
  }
  return result;
}

}  // namespace bisearch::query
