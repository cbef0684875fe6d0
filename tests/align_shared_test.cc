// align_shared_test.cc: sentence alignment of the shared line-aligned parallel sets, cut into passages as the
// indexer cuts them (segment.h), with LF and with CRLF line ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "analysis/crosslang.h"
#include "analysis/language.h"
#include "indexer/align.h"
#include "indexer/segment.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

std::string without_cr(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  return s;
}

std::string with_crlf(const std::string& s) {
  std::string out;
  for (char c : without_cr(s)) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// One side as the indexer sees it: the document's passages, and for each
// byte offset of the document the 0-based line it is on.
struct Side {
  std::string text;
  std::vector<indexer::Span> spans;
  std::vector<std::string_view> passages;
  std::vector<uint32_t> line_starts;  // byte offset of each line's start

  explicit Side(std::string t) : text(std::move(t)) {
    spans = indexer::segment(text, 0, indexer::SegmentOptions{});
    for (const auto& s : spans) passages.push_back(std::string_view(text).substr(s.begin, s.size()));
    line_starts.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts.push_back(static_cast<uint32_t>(i + 1));
  }
  uint32_t line_of(const indexer::AlignUnit& u) const {
    const size_t at = spans[u.passage].begin + u.begin;
    return static_cast<uint32_t>(std::upper_bound(line_starts.begin(), line_starts.end(), at) - line_starts.begin() -
                                 1);
  }
};

struct Score {
  size_t right_lines = 0;  // lines (of side A) in beads joining exactly the same lines on both sides
  size_t wrong_beads = 0;  // beads joining different lines
  size_t one_to_one = 0;
};

Score score(const Side& a, const Side& b) {
  const indexer::Alignment al = indexer::align_passages(a.passages, b.passages);
  EXPECT_TRUE(al.line_aligned);
  Score s;
  for (const auto& bead : al.beads) {
    std::set<uint32_t> la, lb;
    for (uint32_t k = bead.a_begin; k < bead.a_begin + bead.a_count; ++k) la.insert(a.line_of(al.a_units[k]));
    for (uint32_t k = bead.b_begin; k < bead.b_begin + bead.b_count; ++k) lb.insert(b.line_of(al.b_units[k]));
    if (la.empty() || lb.empty()) continue;
    if (la == lb) {
      s.right_lines += la.size();
      if (la.size() == 1) ++s.one_to_one;
    } else {
      ++s.wrong_beads;
    }
  }
  return s;
}

// @p noise: lines of the set that are not translations of each other (the
// news sets hold some: "영한사전 약어표" against an English news sentence),
// which the aligner may leave out or join with a neighbour.
void expect_line_by_line(const std::string& ko_path, const std::string& en_path, size_t lines, size_t noise) {
  const std::string ko = read_file(shared_dir() / "data/parallel" / ko_path);
  const std::string en = read_file(shared_dir() / "data/parallel" / en_path);
  for (bool crlf : {false, true}) {
    const Side a(crlf ? with_crlf(ko) : without_cr(ko)), b(crlf ? with_crlf(en) : without_cr(en));
    const Score s = score(a, b);
    SCOPED_TRACE(ko_path + (crlf ? " (CRLF)" : " (LF)"));
    EXPECT_LE(s.wrong_beads, noise);
    EXPECT_GE(s.right_lines, lines - noise);  // every line paired with its own translation
    EXPECT_GE(s.one_to_one, lines * 99 / 100 - noise);  // and nearly all of them alone
  }
}

TEST(AlignShared, NtrexPairsEveryLineWithItsTranslation) {
  // Passages of the Korean side cut some lines in two (a Korean paragraph of
  // short lines is long in columns and is cut at sentence ends).
  expect_line_by_line("ntrex-128/newstest2019-ref.kor.txt", "ntrex-128/newstest2019-ref.eng-US.txt", 1997, 0);
}

TEST(AlignShared, NewsDevAndTestPairEveryLineWithItsTranslation) {
  expect_line_by_line("jungyeul/korean-english-news-v1/korean-english-park.dev.ko",
                      "jungyeul/korean-english-news-v1/korean-english-park.dev.en", 1000, 25);
  expect_line_by_line("jungyeul/korean-english-news-v1/korean-english-park.test.ko",
                      "jungyeul/korean-english-news-v1/korean-english-park.test.en", 2000, 25);
}

// A figure of the indexer's summary record ("\npairs N", "\ntranslations N").
size_t crosslang_figure(const std::filesystem::path& db, const std::string& name) {
  const std::string record = Xapian::Database(db.string()).get_metadata(analysis::kMetaCrosslang);
  const size_t at = record.find("\n" + name + " ");
  return at == std::string::npos ? 0 : std::stoul(record.substr(at + name.size() + 2));
}

TEST(AlignShared, IndexedDocumentPairsGiveEveryLine) {
  // End to end: the files as a document pair (news.kor.txt / news.eng-US.txt),
  // with LF line ends (the NTREX files come with CRLF) and as they are.
  const auto dir = shared_dir() / "data/parallel";
  const std::string ko = read_file(dir / "ntrex-128/newstest2019-ref.kor.txt");
  const std::string en = read_file(dir / "ntrex-128/newstest2019-ref.eng-US.txt");
  size_t pairs[2], translations[2];
  for (bool crlf : {false, true}) {
    SCOPED_TRACE(crlf ? "CRLF" : "LF");
    TempDir tmp;
    tmp.write("corpus/news.kor.txt", crlf ? with_crlf(ko) : without_cr(ko));
    tmp.write("corpus/news.eng-US.txt", crlf ? with_crlf(en) : without_cr(en));
    const auto r = run_index({"--no-progress", "--db", (tmp.path() / "db").string(), (tmp.path() / "corpus").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    pairs[crlf] = crosslang_figure(tmp.path() / "db", "pairs");
    translations[crlf] = crosslang_figure(tmp.path() / "db", "translations");
    // Each of the 1,997 lines in a pair; a line cut in two passages is one pair.
    EXPECT_LE(pairs[crlf], 1997u);
    EXPECT_GE(pairs[crlf], 1997u * 99 / 100);
  }
  // Line ends change nothing (they gave 195 translations with LF, 758 with CRLF).
  EXPECT_EQ(pairs[0], pairs[1]);
  EXPECT_EQ(translations[0], translations[1]);
  EXPECT_GE(translations[0], 500u);
}

TEST(AlignShared, FewKoreanLinesAreLabelledOtherThanKorean) {
  // Korean sentences naming people and places in Latin letters stay Korean.
  const std::string ko = without_cr(read_file(shared_dir() / "data/parallel/ntrex-128/newstest2019-ref.kor.txt"));
  size_t lines = 0, korean = 0;
  for (size_t b = 0, e; b < ko.size(); b = e + 1) {
    e = ko.find('\n', b);
    if (e == std::string::npos) e = ko.size();
    if (e == b) continue;
    ++lines;
    korean += analysis::detect_language(std::string_view(ko).substr(b, e - b)) == "ko";
  }
  EXPECT_EQ(lines, 1997u);
  EXPECT_GE(korean, lines * 995 / 1000) << korean;
}

}  // namespace
}  // namespace bisearch::testing
