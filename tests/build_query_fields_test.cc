// Tests of build_query's title field and stopword handling (issue 12).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/schema.h"
#include "query/build_query.h"

namespace bisearch::query {
namespace {

Clause word(std::string text, bool stop = false, Modifier m = Modifier::kNone) {
  Clause c;
  c.text = std::move(text);
  c.stop = stop;
  c.modifier = m;
  return c;
}

std::vector<std::string> query_terms(const Xapian::Query& q) {
  std::vector<std::string> terms;
  for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) terms.push_back(*t);
  return terms;
}

bool any_unit_has(const std::vector<analysis::MatchUnit>& units, const std::string& term) {
  for (const auto& u : units)
    for (const auto& t : u.terms)
      if (t == term) return true;
  return false;
}

TEST(BuildQueryStop, StopClauseIsDroppedWhenTheQueryHasOtherWords) {
  const BuiltQuery b = build_query({word("the", true), word("deterrence"), word("of", true)}, {});
  EXPECT_EQ(b.clauses, 1u);
  EXPECT_FALSE(any_unit_has(b.units, "Zthe"));
  EXPECT_FALSE(any_unit_has(b.units, "Zof"));
  EXPECT_TRUE(any_unit_has(b.units, "Zdeterr"));
  for (const auto& t : query_terms(b.query)) {
    EXPECT_NE(t, "Zthe");
    EXPECT_NE(t, "SZthe");
  }
  EXPECT_EQ(b.description.find("the"), std::string::npos) << b.description;
}

TEST(BuildQueryStop, SwitchedOffEveryClauseIsSearched) {
  BuildOptions o;
  o.stopwords = false;  // --tune stopwords=0
  const BuiltQuery b = build_query({word("the", true), word("deterrence"), word("of", true)}, o);
  EXPECT_EQ(b.clauses, 3u);
}

TEST(BuildQueryStop, StopwordsAloneAreKept) {
  const BuiltQuery b = build_query({word("the", true), word("who", true)}, {});
  EXPECT_EQ(b.clauses, 2u);
  EXPECT_TRUE(any_unit_has(b.units, "Zthe"));
  EXPECT_FALSE(b.query.empty());
}

TEST(BuildQueryStop, AnExcludedStopwordStillExcludes) {
  const BuiltQuery b = build_query({word("deterrence"), word("the", true, Modifier::kExcluded)}, {});
  EXPECT_EQ(b.clauses, 1u);
  EXPECT_TRUE(any_unit_has(b.excluded_units, "Zthe"));
}

TEST(BuildQueryStop, AKoreanStopFormGoesAndTheContentWordStays) {
  const BuiltQuery b = build_query({word("것은", true), word("확장억제")}, {});
  EXPECT_EQ(b.clauses, 1u);
  for (const auto& u : b.units) EXPECT_EQ(u.clause, 0u);
  EXPECT_TRUE(any_unit_has(b.units, "K확장억제"));
  const BuiltQuery alone = build_query({word("것은", true)}, {});
  ASSERT_FALSE(alone.units.empty());
  for (const auto& u : alone.units)
    for (const auto& term : u.terms) EXPECT_FALSE(any_unit_has(b.units, term)) << term;
}

TEST(BuildQueryTitle, AWordMatchesTextOrTitleTerms) {
  const BuiltQuery b = build_query({word("Washington")}, {});
  const auto terms = query_terms(b.query);
  const std::string title_term = std::string(schema::kPrefixTitle) + "Zwashington";
  EXPECT_NE(std::find(terms.begin(), terms.end(), "Zwashington"), terms.end());
  EXPECT_NE(std::find(terms.begin(), terms.end(), title_term), terms.end());
  EXPECT_TRUE(b.title_units.empty());
  EXPECT_FALSE(b.needs_check);  // one-term units: every candidate is a hit
}

TEST(BuildQueryTitle, TitleWeightAndBoostZeroLeaveTheTextOnly) {
  BuildOptions o;
  o.title_weight = 0;
  o.title_boost = 0;
  const BuiltQuery b = build_query({word("Washington")}, o);
  for (const auto& t : query_terms(b.query)) EXPECT_NE(t[0], 'S') << t;
  EXPECT_EQ(b.title_bonus, 0);
}

TEST(BuildQueryTitle, TheTitleBonusIsPerClauseGroup) {
  BuildOptions o;
  o.title_boost = 2.5;
  Clause a = word("Washington"), b = word("Seoul");
  a.or_group = b.or_group = 1;  // one group
  EXPECT_DOUBLE_EQ(build_query({a, b, word("Declaration")}, o).title_bonus, 5.0);
  EXPECT_DOUBLE_EQ(build_query({word("Washington"), word("Declaration"), word("of", true)}, o).title_bonus, 5.0);
}

TEST(BuildQueryTitle, TitleClauseQueriesTitleTermsOnly) {
  Clause t = word("확장억제");
  t.title = true;
  const BuiltQuery b = build_query({t, word("nuclear")}, {});
  EXPECT_EQ(b.clauses, 2u);
  EXPECT_TRUE(any_unit_has(b.title_units, "K확장억제"));
  EXPECT_FALSE(any_unit_has(b.units, "K확장억제"));
  EXPECT_TRUE(any_unit_has(b.units, "Znuclear"));
  EXPECT_TRUE(b.needs_check);  // the bigram sequence of a Korean word
  bool korean_text_term = false;
  for (const auto& term : query_terms(b.query))
    if (term == "K확장억제" || term == "확장") korean_text_term = true;
  EXPECT_FALSE(korean_text_term);
  EXPECT_NE(b.description.find("title:"), std::string::npos) << b.description;
}

TEST(BuildQueryTitle, ExcludedTitleClauseExcludesByTitleOnly) {
  Clause t = word("Aotearoa", false, Modifier::kExcluded);
  t.title = true;
  const BuiltQuery b = build_query({word("deterrence"), t}, {});
  EXPECT_TRUE(b.excluded_units.empty());
  EXPECT_TRUE(any_unit_has(b.excluded_title_units, "Zaotearoa"));
  const auto terms = query_terms(b.query);
  EXPECT_EQ(std::find(terms.begin(), terms.end(), "Zaotearoa"), terms.end());
  EXPECT_NE(std::find(terms.begin(), terms.end(), "SZaotearoa"), terms.end());
}

}  // namespace
}  // namespace bisearch::query
