// segment_test.cc: passages from paragraphs, long lines, sentence cuts; offset invariants.
#include "indexer/segment.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/language.h"
#include "analysis/normalize.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {

const auto slurp = &bisearch::testing::read_file;

std::vector<std::string> texts(std::string_view text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(text.substr(s.begin, s.size()));
  return out;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Offsets in order, inside [from, size), non-empty, trimmed, and every byte
// outside the spans is (ASCII) whitespace.
void expect_invariants(std::string_view text, size_t from, const std::vector<Span>& spans) {
  size_t prev_end = from;
  for (const Span& s : spans) {
    ASSERT_LT(s.begin, s.end);
    ASSERT_GE(s.begin, prev_end);
    ASSERT_LE(s.end, text.size());
    EXPECT_FALSE(is_ascii_space(text[s.begin])) << "span starts with whitespace at " << s.begin;
    EXPECT_FALSE(is_ascii_space(text[s.end - 1])) << "span ends with whitespace at " << s.end;
    for (size_t i = prev_end; i < s.begin; ++i) ASSERT_TRUE(is_ascii_space(text[i])) << "byte " << i << " lost";
    prev_end = s.end;
  }
  for (size_t i = prev_end; i < text.size(); ++i) ASSERT_TRUE(is_ascii_space(text[i])) << "byte " << i << " lost";
}

// "Sentence number N is here to fill the paragraph." of about 50 code points each.
std::string sentences(int n, const std::string& sep = " ") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += sep;
    out += "Sentence number " + std::to_string(i) + " is here to fill a long paragraph.";
  }
  return out;
}

TEST(Segment, CorpusFileGivesOneKoreanAndOneEnglishPassage) {
  const std::string text = slurp(testing::corpus_dir() / "extended-deterrence-2.0.ko-en.txt");
  ASSERT_FALSE(text.empty());
  const auto spans = segment(text, 0, SegmentOptions{});
  ASSERT_EQ(spans.size(), 2u);
  const size_t nl = text.find('\n');
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, nl);
  EXPECT_EQ(spans[1].begin, nl + 1);
  EXPECT_EQ(spans[1].end, text.find_last_not_of("\r\n \t") + 1);
  const auto t = texts(text, spans);
  EXPECT_TRUE(t[0].starts_with("한미 양국은 핵협의그룹"));
  EXPECT_TRUE(t[1].starts_with("The Republic of Korea and the United States"));
  EXPECT_EQ(analysis::detect_language(t[0]), "ko");
  EXPECT_EQ(analysis::detect_language(t[1]), "en");
  expect_invariants(text, 0, spans);
}

TEST(Segment, BlankLinesSeparateParagraphs) {
  const std::string a = "The first paragraph talks about deterrence.";
  const std::string b = "The second paragraph talks about consultation.";
  const std::string c = "한국어로 된 세 번째 문단은 확장억제를 다룹니다. 충분히 길게 씁니다.";
  const std::string text = "\n" + a + "\n\n" + b + "\n \t\n\n" + c + "\n";
  const auto spans = segment(text, 0, SegmentOptions{});
  EXPECT_EQ(texts(text, spans), (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(spans[0].begin, 1u);
  expect_invariants(text, 0, spans);
}

TEST(Segment, NoBreakSpaceAndIdeographicSpaceLinesAreBlank) {
  const std::string a = "First paragraph, separated by a no-break space line.";
  const std::string b = "Second paragraph, separated by an ideographic space.";
  const std::string c = "Third paragraph closes the small test document here.";
  const std::string text = a + "\n\u00a0\n" + b + "\n\u3000\n" + c;
  EXPECT_EQ(texts(text, segment(text, 0, SegmentOptions{})), (std::vector<std::string>{a, b, c}));
}

TEST(Segment, HardWrappedLinesJoinIntoOneParagraph) {
  const std::string p1 =
      "President Biden of the United States welcomed President Yoon of the\n"
      "Republic of Korea (ROK) on April 26, 2023, for a State Visit to\n"
      "commemorate the 70th anniversary of the U.S.-ROK Alliance.";
  const std::string p2 =
      "The two presidents reaffirmed their ironclad commitment to what has\n"
      "become a global alliance.";
  const std::string text = p1 + "\n\n" + p2 + "\n";
  const auto spans = segment(text, 0, SegmentOptions{});
  EXPECT_EQ(texts(text, spans), (std::vector<std::string>{p1, p2}));
}

TEST(Segment, LongLineEndsItsParagraphCountedInCodePoints) {
  const std::string long_line(100, 'x');  // exactly 100 code points
  const std::string short_line(99, 'y');
  std::string text = long_line + "\nnext line after the long one, which starts a new paragraph";
  EXPECT_EQ(segment(text, 0, SegmentOptions{}).size(), 2u);
  text = short_line + "\nnext line after a 99-character line, same paragraph";
  EXPECT_EQ(segment(text, 0, SegmentOptions{}).size(), 1u);
  // 40 Hangul syllables are 120 bytes but only 40 code points: no break.
  std::string hangul;
  for (int i = 0; i < 40; ++i) hangul += "가";
  text = hangul + "\n" + hangul;
  EXPECT_EQ(segment(text, 0, SegmentOptions{}).size(), 1u);
}

TEST(Segment, ShortParagraphsJoinTheirNeighbour) {
  const std::string body = "The body paragraph that follows the greeting is long enough.";
  std::string text = "감사합니다.\n\n" + body;
  auto spans = segment(text, 0, SegmentOptions{});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (Span{0, text.size()}));
  text = body + "\n\nThank you.\n";
  spans = segment(text, 0, SegmentOptions{});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(texts(text, spans)[0], body + "\n\nThank you.");
  SegmentOptions no_join;
  no_join.min_paragraph_chars = 0;
  EXPECT_EQ(segment(text, 0, no_join).size(), 2u);
}

TEST(Segment, LongParagraphIsCutAtSentenceEndsWithinTheLimit) {
  const SegmentOptions o;
  const std::string para = sentences(80);  // ~4,300 code points on one line
  ASSERT_GT(display_width(para), o.max_paragraph_columns);
  const std::string text = "Intro paragraph that stays whole and is long enough.\n\n" + para + "\n";
  const auto spans = segment(text, 0, o);
  ASSERT_GE(spans.size(), 7u);
  const auto t = texts(text, spans);
  for (size_t i = 1; i < t.size(); ++i) {
    const size_t n = count_code_points(t[i]);
    EXPECT_LE(n, o.target_chars + o.min_piece_chars) << t[i];
    if (i + 1 < t.size()) {
      EXPECT_LE(n, o.target_chars) << t[i];
    }
    EXPECT_TRUE(t[i].starts_with("Sentence number ")) << t[i];
    EXPECT_TRUE(t[i].ends_with("paragraph.")) << t[i];
  }
  expect_invariants(text, 0, spans);
}

TEST(Segment, KoreanSentencesEndAfterDaPeriod) {
  std::string para;
  for (int i = 0; i < 80; ++i) para += "한미 양국은 확장억제 협의 체계를 구축하였고 이를 계속 강화할 것이다. ";
  const SegmentOptions o;
  const auto spans = segment(para, 0, o);
  ASSERT_GT(spans.size(), 1u);
  for (const std::string& t : texts(para, spans)) {
    EXPECT_TRUE(t.starts_with("한미 양국은")) << t;
    EXPECT_TRUE(t.ends_with("것이다.")) << t;
    EXPECT_LE(count_code_points(t), o.max_sentence_chars);
  }
}

TEST(Segment, OverlongSentenceIsCutAtWhitespace) {
  std::string para;
  for (int i = 0; i < 700; ++i) para += "word" + std::to_string(i % 10) + " ";  // 4,200 code points, no period
  const SegmentOptions o;
  const auto spans = segment(para, 0, o);
  ASSERT_GE(spans.size(), 7u);
  for (const Span& s : spans) {
    EXPECT_LE(count_code_points(std::string_view(para).substr(s.begin, s.size())), o.target_chars);
    EXPECT_TRUE(s.begin == 0 || para[s.begin - 1] == ' ') << "cut inside a word at " << s.begin;
    EXPECT_TRUE(s.end == para.size() || para[s.end] == ' ') << "cut inside a word at " << s.end;
  }
  expect_invariants(para, 0, spans);
}

TEST(Segment, RunWithoutSpacesIsCutBetweenCodePoints) {
  std::string para;
  for (int i = 0; i < 3000; ++i) para += "핵";
  const SegmentOptions o;
  const auto spans = segment(para, 0, o);
  ASSERT_GE(spans.size(), 5u);
  for (const Span& s : spans) {
    const std::string_view t = std::string_view(para).substr(s.begin, s.size());
    EXPECT_TRUE(analysis::is_valid_utf8(t));
    EXPECT_LE(count_code_points(t), o.max_sentence_chars);
  }
  expect_invariants(para, 0, spans);
}

TEST(Segment, CrlfAndCrLineEndings) {
  const std::string text =
      "The first line of a hard-wrapped paragraph\r\ncontinues on the second line.\r\n\r\n"
      "A second paragraph after a CRLF blank line.\r\n";
  auto t = texts(text, segment(text, 0, SegmentOptions{}));
  EXPECT_EQ(t, (std::vector<std::string>{
                   "The first line of a hard-wrapped paragraph\r\ncontinues on the second line.",
                   "A second paragraph after a CRLF blank line."}));
  // Speech style: "\n\r\n" is a line break and a blank line.
  const std::string speech =
      "존경하고 사랑하는 국민 여러분께 오늘 처음으로 인사를 드립니다! \n\r\n오늘 저는 국민 여러분의 뜻에 따라 대한민국 대통령에 취임하게 되었습니다.";
  t = texts(speech, segment(speech, 0, SegmentOptions{}));
  EXPECT_EQ(t, (std::vector<std::string>{"존경하고 사랑하는 국민 여러분께 오늘 처음으로 인사를 드립니다!",
                                         "오늘 저는 국민 여러분의 뜻에 따라 대한민국 대통령에 취임하게 되었습니다."}));
  const std::string cr = "Old Mac files use a lone carriage return.\r\rAs line ends, like this one here.";
  EXPECT_EQ(segment(cr, 0, SegmentOptions{}).size(), 2u);
}

TEST(Segment, StartsAtFromAndKeepsFileOffsets) {
  const std::string header = "title: T\n---\n";
  const std::string body = "Body paragraph of the document, long enough to stand alone.";
  const std::string text = header + body;
  const auto spans = segment(text, header.size(), SegmentOptions{});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (Span{header.size(), text.size()}));
}

TEST(SplitSentences, AbbreviationsInitialsAndNumbersDoNotEndSentences) {
  const std::string text =
      "The U.S. and the ROK met on Jan. 5 in Washington, D.C. today. Mr. Biden spoke about Extended "
      "Deterrence 2.0 first. Joseph R. Biden left! Was it over? \"Yes.\" Then the talks ended... and "
      "resumed. 회의가 끝났다. 다음 회의는 서울에서 열린다.";
  const auto t = texts(text, split_sentences(text, Span{0, text.size()}));
  EXPECT_EQ(t, (std::vector<std::string>{
                   "The U.S. and the ROK met on Jan. 5 in Washington, D.C. today.",
                   "Mr. Biden spoke about Extended Deterrence 2.0 first.",
                   "Joseph R. Biden left!",
                   "Was it over?",
                   "\"Yes.\"",
                   "Then the talks ended... and resumed.",
                   "회의가 끝났다.",
                   "다음 회의는 서울에서 열린다."}));
}

TEST(Segment, EmptyAndWhitespaceOnlyInputGiveNoPassages) {
  EXPECT_TRUE(segment("", 0, SegmentOptions{}).empty());
  EXPECT_TRUE(segment(" \r\n\t\n\n  ", 0, SegmentOptions{}).empty());
  EXPECT_TRUE(segment("abc", 3, SegmentOptions{}).empty());
  EXPECT_TRUE(segment("abc", 10, SegmentOptions{}).empty());
}

TEST(Segment, RandomInputKeepsInvariants) {
  // Small limits so that paragraphs, cuts and merges all happen often.
  SegmentOptions o;
  o.long_line_chars = 12;
  o.min_paragraph_chars = 4;
  o.max_paragraph_columns = 40;
  o.target_chars = 15;
  o.max_sentence_chars = 30;
  o.min_piece_chars = 5;
  const std::vector<std::string> pieces = {"a", "Bc", "word", " ", " ", "\n", "\r\n", "\r", "\n\n", ".",
                                           "!", "? ", "\"", "한", "국어", "다. ", "U.S.", "\xff", "\xe2\x80",
                                           "\t", "。", "Mr. "};
  std::mt19937 rng(12345);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    const size_t from = text.empty() ? 0 : rng() % (text.size() + 1);
    const auto spans = segment(text, from, o);
    SCOPED_TRACE("round " + std::to_string(round));
    expect_invariants(text, from, spans);
    for (const Span& s : spans) {
      const std::string_view t = std::string_view(text).substr(s.begin, s.size());
      EXPECT_TRUE(display_width(t) <= o.max_paragraph_columns || count_code_points(t) <= o.max_sentence_chars)
          << "oversized passage: " << t;
    }
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace bisearch::indexer
