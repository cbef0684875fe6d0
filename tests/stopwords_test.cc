// stopwords_test.cc: function words (analysis/stopwords.h) and the parser's stop marks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/stopwords.h"
#include "query/parse.h"

namespace bisearch {
namespace {

using analysis::is_stopword;

TEST(StopwordsTest, EnglishFunctionWordsInAnyCase) {
  for (const char* w : {"the", "The", "of", "and", "in", "on", "What", "is", "to", "with", "their", "the,", "(and"}) {
    SCOPED_TRACE(w);
    EXPECT_TRUE(is_stopword(w));
  }
  // Content words, acronyms and words that are also content words in policy text.
  for (const char* w : {"deterrence", "NCG", "US", "IT", "WHO", "us", "may", "will", "May", "nuclear", "Theater",
                        "Andes", "2023", "U.S.", ""}) {
    SCOPED_TRACE(w);
    EXPECT_FALSE(is_stopword(w));
  }
}

TEST(StopwordsTest, KoreanPronounOrDependentNounPlusParticles) {
  // Built from the analyzer's particle stripping, not listed: any particle
  // (or chain of them) after a pronoun or dependent noun.
  for (const char* w : {"것은", "그것이", "이는", "수가", "것", "이것을", "그들은", "때문에", "등을", "것으로는",
                        "우리는", "무엇을", "이를", "것도", "그것은?"}) {
    SCOPED_TRACE(w);
    EXPECT_TRUE(is_stopword(w));
  }
  // Nouns that start with such a syllable, and content words with particles.
  for (const char* w : {"수도", "이란", "수만", "나라", "이라크", "수출", "이번", "그동안", "확장억제를", "양국은",
                        "것들의역사", "등록", "한미"}) {
    SCOPED_TRACE(w);
    EXPECT_FALSE(is_stopword(w));
  }
}

TEST(StopwordsTest, ParserMarksPlainFunctionWordsOnly) {
  using query::Modifier;
  const auto c = query::parse_query(
      "what is the role of the NCG \"the Washington Declaration\" +the -of 것은 확장억제 a OR the");
  std::vector<std::string> stops;
  for (const auto& cl : c)
    if (cl.stop) stops.push_back(cl.text);
  // what is the of the 것은: plain words. Not: the phrase, +the, -of, the OR group.
  EXPECT_EQ(stops, (std::vector<std::string>{"what", "is", "the", "of", "the", "것은"}));
  for (const auto& cl : c) {
    if (cl.phrase || cl.modifier != Modifier::kNone || cl.or_group != 0) EXPECT_FALSE(cl.stop) << cl.text;
  }
  // A query of stopwords only is still marked: the builder keeps them then.
  const auto only = query::parse_query("to be or not");
  ASSERT_EQ(only.size(), 4u);
  EXPECT_TRUE(only[0].stop);
  EXPECT_TRUE(only[1].stop);
  EXPECT_TRUE(only[2].stop);
  EXPECT_FALSE(only[3].stop);  // "not" is kept: it is a query word that means something
}

TEST(StopwordsTest, TitleFieldPrefix) {
  const auto c = query::parse_query("title:declaration TITLE:\"fact sheet\" -title:remarks title: OR title:OR");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_TRUE(c[0].title);
  EXPECT_EQ(c[0].text, "declaration");
  EXPECT_TRUE(c[1].title);
  EXPECT_TRUE(c[1].phrase);
  EXPECT_EQ(c[1].text, "fact sheet");
  EXPECT_TRUE(c[2].title);
  EXPECT_EQ(c[2].modifier, query::Modifier::kExcluded);
  EXPECT_EQ(c[2].text, "remarks");
  // "title:" alone is a word, and title:OR is the word OR in titles.
  EXPECT_FALSE(c[3].title);
  EXPECT_EQ(c[3].text, "title:");
  EXPECT_TRUE(c[4].title);
  EXPECT_EQ(c[4].text, "OR");
  EXPECT_EQ(c[3].or_group, c[4].or_group);
  EXPECT_NE(c[3].or_group, 0);
}

}  // namespace
}  // namespace bisearch
