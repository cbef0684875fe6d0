// Tests of the searcher's counts, ties, grouping, sorting, filters and
// facets (issue 12), on small indexes built with bisearch-index.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "query/rank.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

using query::SearchOptions;
using query::Searcher;

std::string jsonl_line(const std::string& id, const std::string& text, const std::string& title = "",
                       const std::string& date = "", const std::string& lang = "") {
  nlohmann::json j{{"id", id}, {"text", text}};
  if (!title.empty()) j["title"] = title;
  if (!date.empty()) j["date"] = date;
  if (!lang.empty()) j["lang"] = lang;
  return j.dump() + "\n";
}

SearchOptions options_for(const std::string& db) {
  SearchOptions o;
  o.dbs = {db};
  return o;
}

query::SearchResult search(SearchOptions o, const std::string& q) { return Searcher(std::move(o)).search(q); }

// The corpus plus some documents; the searches below count on it.
class SearchNarrowing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::string jsonl;
    // Identical texts under ids in reverse order: one writer numbers them
    // z, m, a, so Xapian's own tie order is the reverse of the doc ids'.
    for (const char* id : {"tie-z", "tie-m", "tie-a"})
      jsonl += jsonl_line(id, "The quokka census counted every quokka on the island.");
    // A long document: many passages on one subject.
    std::string long_text;
    for (int i = 0; i < 8; ++i)
      long_text += "Paragraph " + std::to_string(i) +
                   " of the long report discusses semiconductor supply chains and their resilience in detail. "
                   "It weighs the cost of new plants against the risk of relying on a few suppliers, looks at "
                   "how allies share the burden, and lists what each partner has promised to build by when. "
                   "Its closing lines say what the next review has to check before any further funding.\n\n";
    jsonl += jsonl_line("long-report", long_text, "Long report", "2021-03-04", "en");
    jsonl += jsonl_line("short-note", "A short note on semiconductor export rules.", "Note", "2023-05-06", "en");
    jsonl += jsonl_line("undated", "An undated memo about semiconductor fabs.", "Memo", "", "en");
    jsonl += jsonl_line("ko-1", "반도체 공급망 협력을 강화한다.", "반도체 협력", "2022-01-02", "ko");
    dir_->write("src/docs.jsonl", jsonl);
    std::filesystem::copy(corpus_dir(), dir_->path() / "src" / "corpus", std::filesystem::copy_options::recursive);
    db_ = (dir_->path() / "db").string();
    const RunResult r = run_index({"--db", db_, (dir_->path() / "src").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* SearchNarrowing::dir_ = nullptr;
std::string SearchNarrowing::db_;

TEST_F(SearchNarrowing, TotalIsTheSameForEveryPageAndKnownPastTheEnd) {
  for (const std::string q : {"확장억제", "semiconductor", "deterrence NCG"}) {
    SearchOptions all = options_for(db_);
    all.limit = 100000;
    all.per_doc = 0;
    const auto every = search(all, q);
    ASSERT_TRUE(every.total_exact) << q;
    ASSERT_GE(every.total_estimate, 2u) << q;
    // The total counts the matching passages: all of them when not grouped.
    EXPECT_EQ(every.total_estimate, every.hits.size()) << q;
    for (size_t limit : {1, 3, 10}) {
      for (size_t offset : {0, 2, 1000}) {
        for (size_t per_doc : {0, 1, 2}) {
          SearchOptions o = options_for(db_);
          o.limit = limit;
          o.offset = offset;
          o.per_doc = per_doc;
          const auto r = search(o, q);
          EXPECT_EQ(r.total_estimate, every.total_estimate) << q << " limit " << limit << " offset " << offset;
          EXPECT_TRUE(r.total_exact);
          if (offset == 1000) {
            EXPECT_TRUE(r.hits.empty());
          }
        }
      }
    }
  }
}

TEST_F(SearchNarrowing, EstimateBeyondTheCountBoundIsMarked) {
  // 확장억제's candidates that hold only its bigrams apart need a text check.
  SearchOptions exact = options_for(db_);
  const auto e = search(exact, "\"확장 억제\"");
  ASSERT_TRUE(e.total_exact);
  ASSERT_GT(e.total_estimate, 1u);
  SearchOptions bounded = options_for(db_);
  bounded.count_bound = 1;
  const auto b = search(bounded, "\"확장 억제\"");
  EXPECT_FALSE(b.total_exact);
  EXPECT_GT(b.total_estimate, 0u);
  EXPECT_EQ(b.hits.front().record.doc_id, e.hits.front().record.doc_id);
}

TEST_F(SearchNarrowing, EqualScoresBreakByDocIdThenPassage) {
  SearchOptions o = options_for(db_);
  o.per_doc = 0;
  o.limit = 3;
  const auto r = search(o, "quokka");
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(r.hits[0].record.doc_id, "tie-a");
  EXPECT_EQ(r.hits[1].record.doc_id, "tie-m");
  EXPECT_EQ(r.hits[2].record.doc_id, "tie-z");
  EXPECT_EQ(r.hits[0].score, r.hits[2].score);
  // The page of one still takes the tie-breaking first, not Xapian's first.
  o.limit = 1;
  const auto one = search(o, "quokka");
  ASSERT_EQ(one.hits.size(), 1u);
  EXPECT_EQ(one.hits[0].record.doc_id, "tie-a");
  o.offset = 1;
  const auto second = search(o, "quokka");
  ASSERT_EQ(second.hits.size(), 1u);
  EXPECT_EQ(second.hits[0].record.doc_id, "tie-m");
}

TEST_F(SearchNarrowing, AtMostPerDocPassagesOfOneDocument) {
  SearchOptions raw = options_for(db_);
  raw.per_doc = 0;
  raw.limit = 100;
  raw.lang = "en";
  const auto all = search(raw, "semiconductor");
  size_t long_hits = 0;
  for (const auto& h : all.hits) long_hits += h.record.doc_id == "long-report";
  ASSERT_GE(long_hits, 4u);
  for (size_t per_doc : {1, 2, 3}) {
    SearchOptions o = raw;
    o.per_doc = per_doc;
    const auto r = search(o, "semiconductor");
    std::map<std::string, size_t> of_doc;
    for (const auto& h : r.hits) ++of_doc[h.record.doc_id];
    EXPECT_EQ(of_doc["long-report"], per_doc);
    EXPECT_EQ(of_doc["short-note"], 1u);
    EXPECT_EQ(of_doc["undated"], 1u);
    EXPECT_EQ(r.total_estimate, all.total_estimate);  // the total still counts passages
  }
}

TEST_F(SearchNarrowing, SortByDateWithUndatedLast) {
  SearchOptions o = options_for(db_);
  o.per_doc = 1;
  o.lang = "en";
  o.sort = SearchOptions::Sort::kDate;
  const auto asc = search(o, "semiconductor");
  ASSERT_EQ(asc.hits.size(), 3u);
  EXPECT_EQ(asc.hits[0].record.doc_id, "long-report");
  EXPECT_EQ(asc.hits[1].record.doc_id, "short-note");
  EXPECT_EQ(asc.hits[2].record.doc_id, "undated");
  o.sort = SearchOptions::Sort::kDateDesc;
  const auto desc = search(o, "semiconductor");
  ASSERT_EQ(desc.hits.size(), 3u);
  EXPECT_EQ(desc.hits[0].record.doc_id, "short-note");
  EXPECT_EQ(desc.hits[1].record.doc_id, "long-report");
  EXPECT_EQ(desc.hits[2].record.doc_id, "undated");
  // The date span comes with the facets (it is counted over every match).
  EXPECT_TRUE(asc.date_first.empty());
  o.facets = {"year"};
  const auto span = search(o, "semiconductor");
  EXPECT_EQ(span.date_first, "2021-03-04");
  EXPECT_EQ(span.date_last, "2023-05-06");
}

TEST_F(SearchNarrowing, SinceAndUntilKeepDatedPassagesInRange) {
  SearchOptions o = options_for(db_);
  o.per_doc = 0;
  o.limit = 100;
  o.since = "2022-01-01";
  auto r = search(o, "semiconductor 반도체");
  ASSERT_FALSE(r.hits.empty());
  for (const auto& h : r.hits) EXPECT_TRUE(h.record.doc_id == "short-note" || h.record.doc_id == "ko-1") << h.record.doc_id;
  EXPECT_EQ(r.total_estimate, 2u);
  o.since = "";
  o.until = "2022";  // the whole year
  r = search(o, "semiconductor 반도체");
  std::map<std::string, size_t> of_doc;
  for (const auto& h : r.hits) ++of_doc[h.record.doc_id];
  EXPECT_EQ(of_doc.size(), 2u);
  EXPECT_GE(of_doc["long-report"], 4u);
  EXPECT_EQ(of_doc["ko-1"], 1u);
  o.until = "2023-13-45";
  EXPECT_THROW(
      {
        try {
          search(o, "semiconductor");
        } catch (const query::SearchError& e) {
          EXPECT_NE(std::string(e.what()).find("--until 2023-13-45"), std::string::npos) << e.what();
          throw;
        }
      },
      query::SearchError);
}

TEST_F(SearchNarrowing, FacetsCountEveryMatchingPassage) {
  SearchOptions raw = options_for(db_);
  raw.per_doc = 0;
  raw.limit = 100000;
  const std::string q = "semiconductor OR 반도체 OR deterrence";
  const auto all = search(raw, q);
  std::map<std::string, uint64_t> lang, year;
  for (const auto& h : all.hits) {
    ++lang[h.record.lang];
    if (h.record.date.size() >= 4) ++year[h.record.date.substr(0, 4)];
  }
  SearchOptions o = options_for(db_);
  o.limit = 1;
  o.facets = {"year", "lang"};
  const auto r = search(o, q);
  ASSERT_EQ(r.facets.size(), 2u);
  EXPECT_EQ(r.facets[0].name, "year");
  EXPECT_EQ(r.facets[1].name, "lang");
  std::map<std::string, uint64_t> got_lang(r.facets[1].values.begin(), r.facets[1].values.end());
  std::map<std::string, uint64_t> got_year(r.facets[0].values.begin(), r.facets[0].values.end());
  EXPECT_EQ(got_lang, lang);
  EXPECT_EQ(got_year, year);
  // Most passages first.
  for (size_t i = 1; i < r.facets[1].values.size(); ++i)
    EXPECT_GE(r.facets[1].values[i - 1].second, r.facets[1].values[i].second);
}

TEST_F(SearchNarrowing, UnknownFacetOrFieldIsAnErrorNamingIt) {
  SearchOptions o = options_for(db_);
  o.facets = {"lang", "colour"};
  try {
    search(o, "semiconductor");
    ADD_FAILURE() << "no error for an unknown facet";
  } catch (const query::SearchError& e) {
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos) << e.what();
  }
  o.facets = {"field:nosuchkey"};
  EXPECT_THROW(search(o, "semiconductor"), query::SearchError);
  o.facets.clear();
  o.fields = {{"nosuchkey", "x"}};
  try {
    search(o, "semiconductor");
    ADD_FAILURE() << "no error for an unknown field";
  } catch (const query::SearchError& e) {
    EXPECT_NE(std::string(e.what()).find("nosuchkey"), std::string::npos) << e.what();
  }
}

TEST_F(SearchNarrowing, TitleBonusLiftsOneDocumentOnce) {
  // "Long report" is the long document's title: the bonus for a title
  // holding the query goes to its best passage only; its other passages
  // score as they would with no bonus at all.
  auto scores_of = [&](double title_boost) {
    SearchOptions o = options_for(db_);
    o.per_doc = 0;
    o.limit = 100;
    o.build.title_boost = title_boost;
    o.proximity_weight = 0;  // scores as BM25 gives them (re-ranking would scale the bonus)
    std::vector<std::pair<uint32_t, double>> out;  // passage, score
    for (const auto& h : search(o, "long report").hits)
      if (h.record.doc_id == "long-report") out.emplace_back(h.record.passage, h.score);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto with = scores_of(6.0), without = scores_of(0.0);
  ASSERT_EQ(with.size(), 8u);
  ASSERT_EQ(without.size(), with.size());
  size_t lifted = 0;
  for (size_t i = 0; i < with.size(); ++i) {
    ASSERT_EQ(with[i].first, without[i].first);
    if (with[i].second > without[i].second + 1.0) {
      ++lifted;
      // The whole title matched: the full bonus (two words, 6 each).
      EXPECT_NEAR(with[i].second - without[i].second, 12.0, 12.0 * 0.01 + 1e-6) << "passage " << with[i].first;
      // The lifted passage is the one that ranks best without the bonus.
      for (const auto& [passage, score] : without) EXPECT_LE(score, without[i].second + 1e-9) << passage;
    } else {
      EXPECT_NEAR(with[i].second, without[i].second, 1e-6) << "passage " << with[i].first;
    }
  }
  EXPECT_EQ(lifted, 1u);
}

}  // namespace
}  // namespace bisearch::testing
