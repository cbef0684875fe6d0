// query_options_test.cc: bisearch-query's option checks (query/options.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/options.h"

namespace bisearch::query {
namespace {

QueryArgs base() {
  QueryArgs a;
  a.dbs = {"idx"};
  a.query_words = {"extended", "deterrence"};
  return a;
}

// The message of the UsageError to_options throws, "" when it accepts @p a.
std::string error_of(const QueryArgs& a) {
  try {
    to_options(a);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(QueryOptionsTest, DefaultsAndQueryJoined) {
  const QueryRun r = to_options(base());
  EXPECT_EQ(r.query, "extended deterrence");
  EXPECT_EQ(r.search.per_doc, 2u);
  EXPECT_EQ(r.search.sort, SearchOptions::Sort::kRelevance);
  EXPECT_TRUE(r.search.since.empty());
  EXPECT_TRUE(r.search.facets.empty());
  EXPECT_EQ(r.search.limit, 10u);
}

TEST(QueryOptionsTest, DatesInEveryWrittenFormBecomeIsoBounds) {
  for (const char* since : {"2023-04-26", "2023.04.26", "2023. 4. 26.", "2023년 4월 26일", "April 26, 2023"}) {
    SCOPED_TRACE(since);
    QueryArgs a = base();
    a.since = since;
    a.until = since;
    const QueryRun r = to_options(a);
    EXPECT_EQ(r.search.since, "2023-04-26");
    EXPECT_EQ(r.search.until, "2023-04-26");
  }
}

TEST(QueryOptionsTest, PartialDatesCoverTheirWholePeriod) {
  EXPECT_EQ(date_bound("--until", "2023", true), "2023-12-31");
  EXPECT_EQ(date_bound("--until", "2024-02", true), "2024-02-29");  // leap year
  EXPECT_EQ(date_bound("--until", "2023.02", true), "2023-02-28");
  EXPECT_EQ(date_bound("--until", "2023-04", true), "2023-04-30");
  // A lower bound keeps the partial form, which sorts before the period's
  // first day, so documents dated only "2023" are inside --since 2023.
  const std::string since = date_bound("--since", "2023", false);
  EXPECT_LE(since, "2023");
  EXPECT_LT(since, "2023-01-01");
  EXPECT_GT(since, "2022-12-31");
}

TEST(QueryOptionsTest, BadDatesNameTheOptionAndValue) {
  QueryArgs a = base();
  a.since = "2023-13-45";
  std::string e = error_of(a);
  EXPECT_NE(e.find("--since"), std::string::npos) << e;
  EXPECT_NE(e.find("2023-13-45"), std::string::npos) << e;
  a = base();
  a.until = "last week";
  e = error_of(a);
  EXPECT_NE(e.find("--until"), std::string::npos) << e;
  EXPECT_NE(e.find("last week"), std::string::npos) << e;
  a = base();
  a.since = "2024-01-01";
  a.until = "2023-12-31";
  e = error_of(a);
  EXPECT_NE(e.find("after --until"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(QueryOptionsTest, SortValues) {
  QueryArgs a = base();
  a.sort = "date";
  EXPECT_EQ(to_options(a).search.sort, SearchOptions::Sort::kDate);
  a.sort = "-date";
  EXPECT_EQ(to_options(a).search.sort, SearchOptions::Sort::kDateDesc);
  a.sort = "newest";
  const std::string e = error_of(a);
  EXPECT_NE(e.find("--sort"), std::string::npos);
  EXPECT_NE(e.find("newest"), std::string::npos);
}

TEST(QueryOptionsTest, PathPrefixesAreNormalized) {
  QueryArgs a = base();
  a.paths = {"core/", "./whitehouse-korea/statements-releases", "core"};
  const QueryRun r = to_options(a);
  EXPECT_EQ(r.search.paths, (std::vector<std::string>{"core", "whitehouse-korea/statements-releases"}));
  for (const char* bad : {"", "/", "/work/data/core", "core/../x", "a//b"}) {
    SCOPED_TRACE(bad);
    a.paths = {bad};
    const std::string e = error_of(a);
    EXPECT_NE(e.find("--path"), std::string::npos) << e;
  }
}

TEST(QueryOptionsTest, FieldsAreKeyValuePairs) {
  QueryArgs a = base();
  a.fields = {"president=Joseph R. Biden", " division_number = 1 "};
  const QueryRun r = to_options(a);
  ASSERT_EQ(r.search.fields.size(), 2u);
  EXPECT_EQ(r.search.fields[0], (std::pair<std::string, std::string>{"president", "Joseph R. Biden"}));
  EXPECT_EQ(r.search.fields[1], (std::pair<std::string, std::string>{"division_number", "1"}));
  for (const char* bad : {"president", "=Biden", "president="}) {
    SCOPED_TRACE(bad);
    a.fields = {bad};
    const std::string e = error_of(a);
    EXPECT_NE(e.find("--field"), std::string::npos) << e;
    EXPECT_NE(e.find(bad), std::string::npos) << e;
  }
}

TEST(QueryOptionsTest, FacetsAreCheckedAndKeptInOrder) {
  QueryArgs a = base();
  a.facets = {"year,lang", "folder,field: president,year"};
  EXPECT_EQ(to_options(a).search.facets, (std::vector<std::string>{"year", "lang", "folder", "field:president"}));
  for (const char* bad : {"author", "lang,,year", "field:", "Year"}) {
    SCOPED_TRACE(bad);
    a.facets = {bad};
    const std::string e = error_of(a);
    EXPECT_NE(e.find("--facets"), std::string::npos) << e;
  }
}

TEST(QueryOptionsTest, PerDocIsZeroOrMore) {
  QueryArgs a = base();
  a.per_doc = 0;
  EXPECT_EQ(to_options(a).search.per_doc, 0u);
  a.per_doc = 5;
  EXPECT_EQ(to_options(a).search.per_doc, 5u);
  a.per_doc = -1;
  EXPECT_NE(error_of(a).find("--per-doc"), std::string::npos);
}

TEST(QueryOptionsTest, TuneSettingsApplyAndBadOnesAreNamed) {
  QueryArgs a = base();
  a.tune = {"k1=1.2", "prox=0", "cross_max=3"};
  const QueryRun r = to_options(a);
  EXPECT_DOUBLE_EQ(r.search.bm25_k1, 1.2);
  EXPECT_DOUBLE_EQ(r.search.proximity_weight, 0);
  EXPECT_EQ(r.search.expand.max_per_clause, 3u);
  // The title field and the stopwords can be weighed or switched off.
  EXPECT_TRUE(r.search.build.stopwords);
  a.tune = {"title_weight=0.8", "title_boost=0", "stopwords=0"};
  const QueryRun t = to_options(a);
  EXPECT_DOUBLE_EQ(t.search.build.title_weight, 0.8);
  EXPECT_DOUBLE_EQ(t.search.build.title_boost, 0);
  EXPECT_FALSE(t.search.build.stopwords);
  for (const char* bad : {"k1", "k1=abc", "k1=1.2x", "colour=1"}) {
    SCOPED_TRACE(bad);
    a.tune = {bad};
    const std::string e = error_of(a);
    EXPECT_NE(e.find("--tune"), std::string::npos) << e;
  }
}

TEST(QueryOptionsTest, ModesAndConflicts) {
  QueryArgs a = base();
  a.query_words.clear();
  EXPECT_NE(error_of(a).find("no query"), std::string::npos);
  a.batch = "questions.tsv";
  EXPECT_EQ(to_options(a).batch, "questions.tsv");
  a.query_words = {"stray"};
  EXPECT_NE(error_of(a).find("--batch"), std::string::npos);
  a = base();
  a.query_words = {"deterrence", "--sinse"};
  EXPECT_NE(error_of(a).find("unknown option --sinse"), std::string::npos);
  a = base();
  a.terms = true;
  a.since = "2023";
  EXPECT_NE(error_of(a).find("--terms"), std::string::npos);
  a = base();
  a.lang = "fr";
  EXPECT_NE(error_of(a).find("--lang"), std::string::npos);
  a = base();
  a.limit = 0;
  EXPECT_NE(error_of(a).find("--limit"), std::string::npos);
  a = base();
  a.color = "sometimes";
  EXPECT_NE(error_of(a).find("--color"), std::string::npos);
}

}  // namespace
}  // namespace bisearch::query
