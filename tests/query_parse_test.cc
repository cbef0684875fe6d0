// query_parse_test.cc: query syntax and query building.
#include <gtest/gtest.h>

#include "test_util.h"

#include "query/build_query.h"
#include "query/highlight.h"
#include "query/parse.h"

namespace bisearch::query {
namespace {

TEST(ParseTest, WordsPhrasesModifiersAndOr) {
  const auto c = parse_query("확장억제 \"extended deterrence\" -중국 +NCG 동맹 OR alliance");
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].text, "확장억제");
  EXPECT_FALSE(c[0].phrase);
  EXPECT_EQ(c[1].text, "extended deterrence");
  EXPECT_TRUE(c[1].phrase);
  EXPECT_EQ(c[2].modifier, Modifier::kExcluded);
  EXPECT_EQ(c[2].text, "중국");
  EXPECT_EQ(c[3].modifier, Modifier::kRequired);
  EXPECT_EQ(c[4].or_group, c[5].or_group);
  EXPECT_NE(c[4].or_group, 0);
  EXPECT_EQ(c[3].or_group, 0);
}

TEST(ParseTest, NaturalLanguagePunctuationNeverFails) {
  for (const char* q : {"임종석이 여의도 농민 폭력 시위를 주도한 혐의로 지명수배 된 날은?", "\"unclosed phrase",
                        "((( ))) ?? -- ++ OR OR", "“curly quotes” and 'single'", "-", "\"\"", ""}) {
    SCOPED_TRACE(q);
    const auto clauses = parse_query(q);
    const auto built = build_query(clauses, {});
    for (const auto& cl : clauses) EXPECT_FALSE(cl.text.empty());
    (void)built;
  }
  const auto c = parse_query("\"unclosed phrase");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].phrase);
  EXPECT_EQ(c[0].text, "unclosed phrase");
  EXPECT_EQ(parse_query("((( ))) ?? OR").size(), 3u);  // punctuation words; a dangling OR is dropped
}

TEST(BuildQueryTest, KoreanWordIsAdjacentBigramsOrWordTerm) {
  const auto built = build_query(parse_query("확장억제를"), {});
  EXPECT_EQ(built.description, "(\"확장 장억 억제\" | K확장억제 | spaced x1)");
  const std::string d = built.query.get_description();
  // No positions in the index: the bigrams are an AND, their adjacency is
  // the unit's window, checked on the passage text (QueryCheckTest).
  EXPECT_NE(d.find("확장 AND 장억 AND 억제"), std::string::npos) << d;
  ASSERT_FALSE(built.units.empty());
  EXPECT_EQ(built.units[0].terms, (std::vector<std::string>{"확장", "장억", "억제"}));
  EXPECT_EQ(built.units[0].window, 3u);
  EXPECT_EQ(d.find("제를"), std::string::npos) << "the particle is not searched: " << d;
}

TEST(BuildQueryTest, EnglishUsesStemsAndPhrasesUseExactWords) {
  EXPECT_EQ(build_query(parse_query("deterrence"), {}).description, "Zdeterr");
  EXPECT_EQ(build_query(parse_query("\"Extended Deterrence\""), {}).description, "\"extended deterrence\"");
  EXPECT_EQ(build_query(parse_query("ROK-U.S."), {}).description, "\"rok us\"");
}

TEST(BuildQueryTest, GlossedWordSplitsAtBrackets) {
  const auto built = build_query(parse_query("핵협의그룹(NCG)을"), {});
  EXPECT_EQ(built.description, "(\"핵협 협의 의그 그룹\" | K핵협의그룹 | spaced x2) OR Zncg");
}

TEST(BuildQueryTest, ExcludeAndRequire) {
  const auto built = build_query(parse_query("+동맹 억제 -중국"), {});
  EXPECT_EQ(built.description, "+[(동맹 | K동맹)] ~[(억제 | K억제)] NOT ((중국 | K중국))");
  BuildOptions all;
  all.match_all = true;
  EXPECT_EQ(build_query(parse_query("동맹 억제"), all).description, "(동맹 | K동맹) AND (억제 | K억제)");
}

TEST(HighlightTest, MarksAdjacentSyllablesOnly) {
  const std::string text = "한미 확장억제를 강화하고 억제 실패 이후";
  const auto built = build_query(parse_query("확장억제"), {});
  const auto ranges = highlight(text, built.units);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(text.substr(ranges[0].first, ranges[0].second - ranges[0].first), "확장억제");

  // 레이어 must not light up scattered syllables (오버레이 … 이어붙인다).
  const std::string scattered = "오버레이 기능으로 이어붙인다";
  EXPECT_TRUE(highlight(scattered, build_query(parse_query("레이어"), {}).units).empty());
}

TEST(HighlightTest, SolidCompoundMatchesSpacedText) {
  // 델타블루스 typed solid finds 델타 블루스 written with a space, and the
  // highlight covers both words.
  const std::string text = "미시시피 델타 블루스로 불리기도 하는";
  const auto ranges = highlight(text, build_query(parse_query("델타블루스"), {}).units);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(text.substr(ranges[0].first, ranges[0].second - ranges[0].first), "델타 블루스");
}

TEST(HighlightTest, MarksEnglishInflectionsAndPhrases) {
  const std::string text = "Deterrence deters; extended deterrence is extended.";
  const auto ranges = highlight(text, build_query(parse_query("\"extended deterrence\""), {}).units);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(text.substr(ranges[0].first, ranges[0].second - ranges[0].first), "extended deterrence");
  const auto stems = highlight(text, build_query(parse_query("deterrence"), {}).units);
  EXPECT_EQ(stems.size(), 2u);  // Deterrence and deterrence; "deters" stems to "deter"
}

TEST(HighlightTest, SnippetWindowStaysOnCodePoints) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "가나다 ";
  text += "확장억제";
  const auto ranges = highlight(text, build_query(parse_query("확장억제"), {}).units);
  ASSERT_EQ(ranges.size(), 1u);
  const Range w = snippet_window(text, ranges, 50);
  EXPECT_LE(w.first, ranges[0].first);
  EXPECT_GE(w.second, ranges[0].second);
  EXPECT_NE(static_cast<unsigned char>(text[w.first]) & 0xC0, 0x80);
}

TEST(HighlightTest, SnippetWindowStartsAndEndsOnWholeWords) {
  // The sample corpus's English abstract, searched for a phrase in its middle.
  const std::string text = testing::read_file(testing::corpus_dir() / "extended-deterrence-2.0.ko-en.txt");
  const std::string en = text.substr(text.find('\n') + 1);
  const auto ranges = highlight(en, build_query(parse_query("\"Nuclear Consultative Group\""), {}).units);
  ASSERT_FALSE(ranges.empty());
  for (size_t chars : {60, 100, 160, 280}) {
    const Range w = snippet_window(en, ranges, chars);
    EXPECT_LE(w.first, ranges[0].first);
    // A word boundary: a space on one side of each end.
    EXPECT_TRUE(w.first == 0 || en[w.first - 1] == ' ' || en[w.first] == ' ') << chars << ": " << en.substr(w.first, 20);
    EXPECT_TRUE(w.second == en.size() || en[w.second] == ' ' || en[w.second - 1] == ' ')
        << chars << ": " << en.substr(w.second - 10, 20);
  }
}

}  // namespace
}  // namespace bisearch::query
