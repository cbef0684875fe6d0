// analyzer_test.cc: terms, byte offsets and positions of the shared analyzer.
#include "analysis/analyzer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "analysis/dump.h"
#include "analysis/hangul.h"
#include "analysis/language.h"
#include "analysis/normalize.h"
#include "test_util.h"

namespace bisearch::analysis {
namespace {

// Checks what every analyzer output must satisfy, for any input.
void CheckInvariants(std::string_view text, const std::vector<Token>& tokens) {
  uint32_t last_pos = 0, last_begin = 0;
  bool first = true;
  for (const Token& t : tokens) {
    SCOPED_TRACE(t.text);
    EXPECT_FALSE(t.text.empty());
    EXPECT_LT(t.begin, t.end);
    EXPECT_LE(t.end, text.size());
    // Spans start and end on code point boundaries.
    if (t.begin < text.size()) {
      EXPECT_NE(static_cast<unsigned char>(text[t.begin]) & 0xC0, 0x80);
    }
    if (t.end < text.size()) {
      EXPECT_NE(static_cast<unsigned char>(text[t.end]) & 0xC0, 0x80);
    }
    EXPECT_TRUE(is_valid_utf8(t.text)) << "term is not UTF-8";
    if (t.positional()) {
      if (!first) {
        EXPECT_EQ(t.position, last_pos + 1) << "positions of positional terms are consecutive";
        EXPECT_GE(t.begin, last_begin) << "offsets never go backwards";
      }
      first = false;
      last_pos = t.position;
      last_begin = t.begin;
    }
  }
}

// Analyzes @p text, checks invariants and compares the compact dump.
void ExpectTokens(std::string_view text, std::string_view expected) {
  SCOPED_TRACE(std::string(text));
  const auto tokens = analyze(text);
  CheckInvariants(text, tokens);
  EXPECT_EQ(dump_tokens(tokens), expected);
}

TEST(AnalyzerTest, KoreanWordGivesBigramsAndParticleStrippedWord) {
  // 양국은: 양국@1 spans bytes [0,6); the particle 은 is outside the word term.
  ExpectTokens("양국은", "양국@1[0,6) 국은@2[3,9) K양국@1[0,6)");
  ExpectTokens("확장억제를", "확장@1[0,6) 장억@2[3,9) 억제@3[6,12) 제를@4[9,15) K확장억제@1[0,12)");
  ExpectTokens("구축했다", "구축@1[0,6) 축했@2[3,9) 했다@3[6,12) K구축@1[0,6)");
  ExpectTokens("국민들은", "국민@1[0,6) 민들@2[3,9) 들은@3[6,12) K국민@1[0,6)");
}

TEST(AnalyzerTest, TwoSyllableWordsKeepTheirLastSyllable) {
  ExpectTokens("국가", "국가@1[0,6) K국가@1[0,6)");
  ExpectTokens("사이에", "사이@1[0,6) 이에@2[3,9) K사이@1[0,6)");
}

TEST(AnalyzerTest, SingleSyllableIsUnigram) {
  ExpectTokens("및 등", "및@1[0,3) 등@2[4,7)");
}

TEST(AnalyzerTest, MiddleDotAndHyphenJoinHangul) {
  const std::string expected_terms = "한미 K한미";
  for (const char* text : {"한미", "한·미", "한ㆍ미", "한-미", "한・미", "한‧미"}) {
    SCOPED_TRACE(text);
    std::string terms;
    for (const auto& t : analyze(text)) terms += (terms.empty() ? "" : " ") + index_term(t);
    EXPECT_EQ(terms, expected_terms);
  }
  // The span of the bigram covers the dot: 한 [0,3) · [3,5) 미 [5,8).
  ExpectTokens("한·미", "한미@1[0,8) K한미@1[0,8)");
  ExpectTokens("한·미·일", "한미@1[0,8) 미일@2[5,13) K한미일@1[0,13)");
}

TEST(AnalyzerTest, JoinedWordsKeepOneWordTermEach) {
  ExpectTokens("한미연합사·미국", "한미@1[0,6) 미연@2[3,9) 연합@3[6,12) 합사@4[9,15) 사미@5[12,20) 미국@6[17,23) "
               "K한미연합사@1[0,15) K미국@6[17,23)");
}

TEST(AnalyzerTest, MixedScriptTokens) {
  // Pitfalls named in analyzer.h: script changes split tokens.
  ExpectTokens("AI기반", "ai@1[0,2) Zai@1[0,2) 기반@2[2,8) K기반@2[2,8)");
  ExpectTokens("COVID-19백신", "covid@1[0,5) Zcovid@1[0,5) 19@2[6,8) 백신@3[8,14) K백신@3[8,14)");
  // A particle glued to a Latin word or a closing bracket gives no terms.
  ExpectTokens("NCG는", "ncg@1[0,3) Zncg@1[0,3)");
  ExpectTokens("(NCG)을", "ncg@1[1,4) Zncg@1[1,4)");
  ExpectTokens("2.0시대", "2.0@1[0,3) 시대@2[3,9) K시대@2[3,9)");
}

TEST(AnalyzerTest, EnglishStemsAcronymsAndNumbers) {
  ExpectTokens("Extended deterrence", "extended@1[0,8) Zextend@1[0,8) deterrence@2[9,19) Zdeterr@2[9,19)");
  // ROK-U.S.: adjacent positions, dots of the acronym dropped.
  ExpectTokens("ROK-U.S.", "rok@1[0,3) Zrok@1[0,3) us@2[4,8) Zus@2[4,8)");
  // Possessive 's stays in the span, not in the term (’ is 3 bytes).
  ExpectTokens("Korea’s", "korea@1[0,9) Zkorea@1[0,9)");
  ExpectTokens("1,000 2.0", "1000@1[0,5) 2.0@2[6,9)");
}

TEST(AnalyzerTest, NormalizationFoldsWidthCaseAndDecomposedJamo) {
  // Fullwidth ＮＣＧ (3 bytes each) folds to ncg; offsets stay in the source.
  ExpectTokens("ＮＣＧ", "ncg@1[0,9) Zncg@1[0,9)");
  // NFD 한국 (six conjoining jamo, 3 bytes each) composes to 한국.
  ExpectTokens("\u1112\u1161\u11AB\u1100\u116E\u11A8", "한국@1[0,18) K한국@1[0,18)");
}

TEST(AnalyzerTest, CorpusSentenceHasExpectedTerms) {
  const std::string text = "한미 양국은 핵협의그룹(NCG: Nuclear Consultative Group)을 통한";
  ExpectTokens(text,
               "한미@1[0,6) K한미@1[0,6) 양국@2[7,13) 국은@3[10,16) K양국@2[7,13) 핵협@4[17,23) 협의@5[20,26) "
               "의그@6[23,29) 그룹@7[26,32) K핵협의그룹@4[17,32) ncg@8[33,36) Zncg@8[33,36) nuclear@9[38,45) "
               "Znuclear@9[38,45) consultative@10[46,58) Zconsult@10[46,58) group@11[59,64) Zgroup@11[59,64) "
               "통한@12[69,75) K통한@12[69,75)");
}

TEST(AnalyzerTest, FirstPositionIsHonoured) {
  const auto tokens = analyze("동맹 alliance", 100);
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens.front().position, 100u);
}

TEST(AnalyzerTest, RandomMixedScriptAndInvalidBytes) {
  // Random strings drawn from Hangul, Latin, digits, joiners, brackets,
  // spaces, combining marks and raw invalid bytes.
  const std::vector<std::string> pieces = {
      "가", "한", "국", "은", "를", "a", "Z", "5", ".", ",", "-", "·", "ㆍ", "'", "’", "(", ")", " ", "\n",
      "\xe1\x84\x92", "\xe1\x85\xa1", "\xcc\x81", "ﬁ", "Ｎ", "中", "\xff", "\xc3", "\xe0\x80", "U.S.", "NCG는"};
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) text += pieces[rng() % pieces.size()];
    SCOPED_TRACE(text);
    CheckInvariants(text, analyze(text));
    if (::testing::Test::HasFailure()) break;
  }
}

// Records what a TokenSink is handed, optionally declining the unpositioned kinds.
class RecordingSink : public TokenSink {
 public:
  explicit RecordingSink(bool unpositioned) : unpositioned_(unpositioned) {}
  void token(const TokenView& v) override { tokens.push_back(v.token()); }
  bool wants(TokenKind kind) const override {
    return unpositioned_ || (kind != TokenKind::kStem && kind != TokenKind::kKoWord);
  }
  bool wants_run(std::u32string_view chars) const override {
    return run_char_ == 0 || chars.find(run_char_) != std::u32string_view::npos;
  }
  std::vector<Token> tokens;
  char32_t run_char_ = 0;  // when set, only CJK runs holding it are wanted

 private:
  bool unpositioned_;
};

std::string TokenLine(const Token& t) {
  std::ostringstream o;
  o << static_cast<int>(t.kind) << ':' << t.text << '@' << t.position << '+' << t.position_length << '[' << t.begin
    << ',' << t.end << ")r" << t.run << 's' << static_cast<int>(t.script);
  return o.str();
}

// The token-by-token analysis (the highlighter's) is the same analysis as
// analyze() (the indexer's): the same tokens in the same order, and a sink
// that declines stems and Korean word terms gets every other token unchanged.
TEST(AnalyzerTest, SinkGetsTheSameTokensAsAnalyze) {
  std::vector<std::string> texts;
  for (const auto& entry : std::filesystem::directory_iterator(bisearch::testing::corpus_dir())) {
    std::ifstream in(entry.path(), std::ios::binary);
    for (std::string line; std::getline(in, line);) texts.push_back(line);
  }
  ASSERT_FALSE(texts.empty());
  texts.push_back("ＮＣＧ는 한·미·일 U.S.-ROK's 2.0시대 \xe1\x84\x92\xe1\x85\xa1 ﬁnal 국민들은 \xff 效率的인");
  size_t seen_ko = 0, seen_stem = 0, seen_runs = 0;
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    const std::vector<Token> expected = analyze(text, 7);
    RecordingSink all(true), positioned(false);
    analyze(text, all, 7);
    analyze(text, positioned, 7);
    ASSERT_EQ(all.tokens.size(), expected.size());
    std::vector<std::string> kept;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(TokenLine(all.tokens[i]), TokenLine(expected[i]));
      if (expected[i].kind == TokenKind::kKoWord) ++seen_ko;
      if (expected[i].kind == TokenKind::kStem) ++seen_stem;
      if (expected[i].kind != TokenKind::kStem && expected[i].kind != TokenKind::kKoWord)
        kept.push_back(TokenLine(expected[i]));
    }
    std::vector<std::string> got;
    for (const Token& t : positioned.tokens) got.push_back(TokenLine(t));
    EXPECT_EQ(got, kept);
    // Declining the CJK runs without 확: the others' tokens are unchanged,
    // positions included.
    RecordingSink some(true);
    some.run_char_ = U'확';
    analyze(text, some, 7);
    std::set<uint32_t> runs_with;
    for (const Token& t : expected)
      if ((t.script == Script::kHangul || t.script == Script::kCjk) && t.text.find("확") != std::string::npos)
        runs_with.insert(t.run);
    std::vector<std::string> want_some, got_some;
    for (const Token& t : expected)
      if ((t.script != Script::kHangul && t.script != Script::kCjk) || runs_with.count(t.run))
        want_some.push_back(TokenLine(t));
    for (const Token& t : some.tokens) got_some.push_back(TokenLine(t));
    EXPECT_EQ(got_some, want_some);
    if (!runs_with.empty()) ++seen_runs;
    // What the highlighter's wants_stem relies on: a stem starts with the
    // first byte of its word (Snowball's English stemmer rewrites endings).
    for (size_t i = 1; i < expected.size(); ++i)
      if (expected[i].kind == TokenKind::kStem) {
        ASSERT_EQ(expected[i - 1].kind, TokenKind::kWord);
        EXPECT_EQ(expected[i].text[0], expected[i - 1].text[0]) << expected[i - 1].text << " -> " << expected[i].text;
      }
  }
  EXPECT_GT(seen_runs, 0u);
  EXPECT_GT(seen_ko, 50u);
  EXPECT_GT(seen_stem, 50u);
}

TEST(HangulTest, SuffixStripping) {
  EXPECT_EQ(strip_suffix_length(U"양국은"), 1u);
  EXPECT_EQ(strip_suffix_length(U"한국에서는"), 3u);
  EXPECT_EQ(strip_suffix_length(U"통합하는"), 2u);
  EXPECT_EQ(strip_suffix_length(U"국가"), 0u);   // would leave one syllable
  EXPECT_EQ(strip_suffix_length(U"핵협의그룹"), 0u);
  EXPECT_TRUE(is_particle(U"는"));
  EXPECT_TRUE(is_particle(U"에서"));
  EXPECT_FALSE(is_particle(U"기반"));
}

TEST(LanguageTest, DetectsKoreanEnglishMixed) {
  EXPECT_EQ(detect_language("한미 양국은 핵협의그룹(NCG)을 통한 긴밀한 협의를 통해"), "ko");
  EXPECT_EQ(detect_language("The Republic of Korea and the United States (U.S.)"), "en");
  EXPECT_EQ(detect_language("확장억제 extended deterrence 협력 cooperation framework"), "mixed");
  EXPECT_EQ(detect_language("2024 — 1,000"), "mixed");
}

TEST(LanguageTest, KoreanSentenceWithLatinNameStaysKorean) {
  // Korean grammar around a Latin name or acronym: the larger part is Korean.
  EXPECT_EQ(detect_language("그의 이름은 Francis Galton이었다."), "ko");
  EXPECT_EQ(detect_language("TV 꺼라."), "ko");
  EXPECT_EQ(detect_language("그는 The Washington Post에 기고했다."), "ko");
  EXPECT_EQ(detect_language("Donald Trump 대통령과 Kim Jong Un 위원장이 Singapore에서 만났다."), "ko");
  // An English sentence with a Korean gloss stays English.
  EXPECT_EQ(detect_language("The allies agreed to strengthen extended deterrence (확장억제) against North Korea."),
            "en");
  // A Latin word taking a particle is part of the Korean text; the same word alone is English.
  EXPECT_GT(hangul_share("NCG를 말한다"), hangul_share("NCG 말한다"));
  EXPECT_EQ(hangul_share("2024 — 1,000"), -1.0);
  EXPECT_EQ(hangul_share("한국"), 1.0);
  EXPECT_EQ(hangul_share("Korea"), 0.0);
}

TEST(NormalizeTest, ValidUtf8) {
  size_t bad = 0;
  EXPECT_TRUE(is_valid_utf8("한국 abc"));
  EXPECT_FALSE(is_valid_utf8("ab\xff", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
}

}  // namespace
}  // namespace bisearch::analysis
