// gloss_test.cc: parenthetical gloss extraction (analysis/gloss.h) on real sentences,
// bad parentheses and random input.
#include "analysis/gloss.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace bisearch::analysis {
namespace {

struct Expected {
  std::string ko, en, acronym;
};

struct Case {
  const char* source;  // where the sentence comes from
  std::string text;
  std::vector<Expected> glosses;
};

// Checks the pairs, and that every side's offsets hold exactly its text.
void expect_glosses(const Case& c) {
  SCOPED_TRACE(std::string(c.source) + ": " + c.text);
  const auto found = find_glosses(c.text);
  ASSERT_EQ(found.size(), c.glosses.size());
  for (size_t i = 0; i < found.size(); ++i) {
    const Gloss& g = found[i];
    EXPECT_EQ(g.ko.text, c.glosses[i].ko);
    EXPECT_EQ(g.en.text, c.glosses[i].en);
    EXPECT_EQ(g.acronym.text, c.glosses[i].acronym);
    for (const GlossTerm* t : {&g.ko, &g.en, &g.acronym}) {
      ASSERT_LE(t->begin, t->end);
      ASSERT_LE(t->end, c.text.size());
      EXPECT_EQ(c.text.substr(t->begin, t->end - t->begin), t->text);
    }
    const std::string open = c.text.substr(g.open, c.text[g.open] == '(' ? 1 : 3);
    const size_t close_at = c.text[g.close - 1] == ')' ? g.close - 1 : g.close - 3;
    const std::string close = c.text.substr(close_at, g.close - close_at);
    EXPECT_TRUE(open == "(" || open == "（") << open;
    EXPECT_TRUE(close == ")" || close == "）") << close;
  }
}

TEST(GlossTest, ByteOffsetsOfTheCorpusFirstGloss) {
  const std::string text = "한미 양국은 핵협의그룹(NCG: Nuclear Consultative Group)을 통한 긴밀한 협의를";
  const auto found = find_glosses(text);
  ASSERT_EQ(found.size(), 1u);
  const Gloss& g = found[0];
  // 한미(6) + space + 양국은(9) + space: 핵협의그룹 is bytes [17, 32).
  EXPECT_EQ(g.ko.begin, 17u);
  EXPECT_EQ(g.ko.end, 32u);
  EXPECT_EQ(g.open, 32u);
  EXPECT_EQ(g.acronym.begin, 33u);
  EXPECT_EQ(g.acronym.end, 36u);
  EXPECT_EQ(g.en.begin, 38u);
  EXPECT_EQ(g.en.end, 64u);
  EXPECT_EQ(g.close, 65u);
}

// Sentences of corpus/extended-deterrence-2.0.ko-en.txt.
TEST(GlossTest, CorpusSentences) {
  const std::vector<Case> cases = {
      {"corpus ko", "한미 양국은 핵협의그룹(NCG: Nuclear Consultative Group)을 통한 긴밀한 협의를 통해 전례 없는 ‘확장억제 2.0 시대’를 열었다.",
       {{"핵협의그룹", "Nuclear Consultative Group", "NCG"}}},
      // The English side has three parts (Conventional, Nuclear, Integration)
      // and CNI three letters: 핵·재래식 통합 covers them, 한미 is left out.
      {"corpus ko", "이제 한미 군사 당국은 한국의 재래식 능력과 미국의 핵능력을 효율적으로 통합하는 방안을 공동 기획하여 ‘한미 핵·재래식 통합(CNI:Conventional-Nuclear Integration)방안’을 마련해야 한다.",
       {{"핵·재래식 통합", "Conventional-Nuclear Integration", "CNI"}}},
      // Two English words: two Korean words, so 미·중·러 is not taken.
      {"corpus ko", "그러나 중국과 러시아의 핵능력 증강에 초점을 맞추고 미·중·러 3각 억제(trilateral deterrence)를 구현하려는 미국과,",
       {{"3각 억제", "trilateral deterrence", ""}}},
      {"corpus en", "The Republic of Korea and the United States (U.S.) have inaugurated an unprecedented “Era of Extended Deterrence 2.0” through close consultations via the Nuclear Consultative Group (NCG).",
       {{"", "United States", "U.S."}, {"", "Nuclear Consultative Group", "NCG"}}},
      // The translator reordered the words; the letters still match.
      {"corpus en", "and prepare a “ROK-U.S. Nuclear-Conventional Integration (CNI) Plan.”",
       {{"", "Nuclear-Conventional Integration", "CNI"}}},
      // A parenthesis of English words after English words is no gloss.
      {"corpus en", "implementing trilateral deterrence (U.S.-China-Russia), and South Korea", {}},
  };
  for (const auto& c : cases) expect_glosses(c);
}

// Sentences of the presidential speeches in ../shared/data/speeches-ko
// (Korean state works, free use).
TEST(GlossTest, SpeechSentences) {
  const std::vector<Case> cases = {
      {"speech", "열린정부파트너십(OGP : Open Government Partnership) 설립 10년을 맞았습니다.",
       {{"열린정부파트너십", "Open Government Partnership", "OGP"}}},
      {"speech", "둘째, APEC 회원국들은 지식기반경제(knowledge-based economies)로 이행하기 위해 서로 제휴하여야 합니다.",
       {{"지식기반경제", "knowledge-based economies", ""}}},
      // An acronym glossed in Korean.
      {"speech", "96연부터 KEDO(한반도에너지개발기구)의 회원국으로서 중유를 제공해온 '적극적 후원자'이기도 합니다.",
       {{"한반도에너지개발기구", "", "KEDO"}}},
      // Four letters: two words of four syllables; the quote mark stops the walk.
      {"speech", "제가 지난 1998년 하노이 정상회의에서 제안하여 출범하게 된 ‘동아시아 비전그룹(EAVG)’ 이 작성한 보고서를",
       {{"동아시아 비전그룹", "", "EAVG"}}},
      // A short word before an acronym is its transliteration; the second
      // parenthesis is an explanation, not a gloss.
      {"speech", "올해 우리는 P4G(녹색성장 및 2030 글로벌 목표를 위한 연대) 정상회의와 한·중·일정상회의를 개최하고, 믹타(MIKTA) 의장국으로 활동하게 됩니다.",
       {{"믹타", "", "MIKTA"}}},
      // A word with an ending (교장이었던) is never part of the term.
      {"speech", "연희전문학교 교장이었던 에비슨(Oliver R. Avison) 선생은 임시정부가 국제적으로 승인받을 수 있도록 노력해주었고, 루이스 쇼(Samuel Lewis Shaw) 선생은 독립운동가의 망명과 무기반입, 군자금 전달을 도왔습니다.",
       {{"에비슨", "Oliver R. Avison", ""}, {"루이스 쇼", "Samuel Lewis Shaw", ""}}},
      {"speech", "접종에 사용될 최소잔여형(LDS : Low Dead Space) 주사기 생산업체 풍림파마텍을 방문하게 됐습니다.",
       {{"최소잔여형", "Low Dead Space", "LDS"}}},
  };
  for (const auto& c : cases) expect_glosses(c);
}

TEST(GlossTest, EnglishGlossedInKoreanAndOtherShapes) {
  const std::vector<Case> cases = {
      {"made", "미국의 extended deterrence(확장억제) 공약", {{"확장억제", "extended deterrence", ""}}},
      {"made", "the concept of extended deterrence (확장억제) matters", {{"확장억제", "extended deterrence", ""}}},
      {"made", "the Republic of Korea (ROK) and an Intercontinental Ballistic Missile (ICBM)",
       {{"", "Republic of Korea", "ROK"}, {"", "Intercontinental Ballistic Missile", "ICBM"}}},
      {"made", "핵협의그룹 (NCG) 회의", {{"핵협의그룹", "", "NCG"}}},
      {"made", "전면적 핵협의그룹（NCG）회의", {{"핵협의그룹", "", "NCG"}}},
      {"made", "“(NCG: Nuclear Consultative Group)”", {{"", "Nuclear Consultative Group", "NCG"}}},
  };
  for (const auto& c : cases) expect_glosses(c);
}

TEST(GlossTest, NotGlosses) {
  for (const char* text : {"확장억제 2.0 시대(2023년)를", "억제(抑制)", "APEC(나눔과 협력의 호혜정신)", "'(UNDP)",
                           "신국제금융체제(신국제금융체제의 구축)", "n(신국제금융체제)", "(확장억제)", "핵협의그룹()",
                           "핵협의그룹( )", "deterrence (see above, page 3!)", "정부는 (가) 항목"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(find_glosses(text).empty());
  }
}

TEST(GlossTest, UnbalancedAndNestedParentheses) {
  for (const char* text : {"핵협의그룹(NCG: Nuclear Consultative Group", "핵협의그룹NCG)", "))((", "(((", ")))",
                           "a(b(c)d)e", "핵(협(의)그룹)", "핵협의그룹((NCG))", "(", ")", "", "（"}) {
    SCOPED_TRACE(text);
    for (const Gloss& g : find_glosses(text)) EXPECT_LE(g.close, std::string_view(text).size());
  }
  // A broken parenthesis does not hide a good gloss after it.
  const auto found = find_glosses("결과((미정 핵협의그룹(NCG) 회의");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].ko.text, "핵협의그룹");
}

TEST(GlossTest, RandomInputNeverBreaksOffsets) {
  const std::vector<std::string> pieces = {"(", ")", " ", "（", "）", "핵", "협의", "그룹", "은", "·", "-", ":", ",",
                                           "NCG", "U.S.", "Nuclear", "of", "a", "\n", "3", "\xff", "\xe1\x84", "확장억제",
                                           "deterrence", "‘", "’", "抑"};
  std::mt19937 rng(20261125);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    if (round % 10 == 0)
      for (int i = 0; i < 8; ++i) text += static_cast<char>(rng() % 256);
    for (const Gloss& g : find_glosses(text)) {
      ASSERT_LT(g.open, g.close) << text;
      ASSERT_LE(g.close, text.size()) << text;
      int sides = 0;
      for (const GlossTerm* t : {&g.ko, &g.en, &g.acronym}) {
        ASSERT_LE(t->begin, t->end) << text;
        ASSERT_LE(t->end, text.size()) << text;
        ASSERT_EQ(text.substr(t->begin, t->end - t->begin), t->text) << text;
        // A side is either before the parenthesis or inside it.
        ASSERT_TRUE(t->empty() || t->end <= g.open || (t->begin > g.open && t->end < g.close)) << text;
        sides += !t->empty();
      }
      ASSERT_GE(sides, 2) << text;
    }
    term_key(text);  // must not throw
  }
}

TEST(GlossTest, TermKeys) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"핵·재래식 통합", "핵재래식통합"},
      {"핵재래식통합", "핵재래식통합"},
      {"핵협의그룹을", "핵협의그룹"},
      {"Nuclear Consultative Group", "nuclear consultative group"},
      {"nuclear  consultative\ngroup", "nuclear consultative group"},
      {"Conventional-Nuclear Integration", "conventional nuclear integration"},
      {"U.S.", "us"},
      {"3각 억제", "3각억제"},
      {"", ""},
      {"(", ""},
  };
  for (const auto& [in, key] : cases) EXPECT_EQ(term_key(in), key) << in;
}

}  // namespace
}  // namespace bisearch::analysis
