// formats_shared_test.cc: the format readers on the 55 real sample files of shared/data/formats: every
// file read or refused for a stated reason, agreement with an independent extractor (pdftotext for
// PDF; the HWP and HWPX saves of one document against each other), and every file found by a word of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/hangul.h"
#include "indexer/extract.h"
#include "indexer/sniff.h"
#include "indexer/walk.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;

// Thresholds stated in docs/formats.md: share of Hangul syllables (as a
// multiset) that two extractions of the same document have in common,
// relative to the larger of the two.
constexpr double kPdfAgreement = 0.98;
constexpr double kHwpPairAgreement = 0.98;

fs::path formats_dir() { return testing::shared_dir() / "data" / "formats"; }

using Syllables = std::map<char32_t, size_t>;

Syllables hangul_syllables(std::string_view s) {
  Syllables out;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xF0) != 0xE0) continue;
    const char32_t cp = (c & 0x0F) << 12 | (static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6 |
                        (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    if (analysis::is_hangul_syllable(cp)) ++out[cp];
  }
  return out;
}

size_t total(const Syllables& s) {
  size_t n = 0;
  for (const auto& [c, k] : s) n += k;
  return n;
}

// Multiset overlap / the larger total; 1 when both are empty.
double agreement(const Syllables& a, const Syllables& b) {
  size_t common = 0;
  for (const auto& [c, k] : a)
    if (auto it = b.find(c); it != b.end()) common += std::min(k, it->second);
  const size_t larger = std::max(total(a), total(b));
  return larger == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(larger);
}

struct Read {
  fs::path path;
  std::string rel;
  Format format = Format::kText;
  Extracted ex;
  std::string problem;  // "" when read
  ProblemKind kind = ProblemKind::kUnreadable;
  std::string text;  // all blocks
};

// Every sample file of a format we read, extracted once for all tests.
const std::vector<Read>& samples() {
  static const std::vector<Read> reads = [] {
    std::vector<Read> out;
    const WalkResult walk = collect_inputs({formats_dir()}, {});
    for (const WalkedFile& f : walk.files) {
      const std::string bytes = testing::read_file(f.path);
      const std::optional<Format> format = sniff_format(bytes);
      if (!format || *format == Format::kText) continue;  // SOURCE.txt, MANIFEST.tsv
      Read r;
      r.path = f.path;
      r.rel = f.rel;
      r.format = *format;
      try {
        extract_blocks(bytes, *format, FormatLimits{}, &r.ex);
      } catch (const FormatError& e) {
        r.problem = e.what();
        r.kind = e.kind();
      }
      for (const TextBlock& b : r.ex.blocks) r.text += b.text + "\n\n";
      out.push_back(std::move(r));
    }
    return out;
  }();
  return reads;
}

TEST(FormatsShared, EveryFileReadOrRefusedForAReason) {
  std::map<std::string, std::pair<size_t, size_t>> per_format;  // files, Hangul syllables
  std::vector<std::string> refused;
  for (const Read& r : samples()) {
    auto& [files, hangul] = per_format[std::string(format_name(r.format))];
    ++files;
    hangul += total(hangul_syllables(r.text));
    if (!r.problem.empty()) {
      refused.push_back(r.rel);
      EXPECT_EQ(r.kind, ProblemKind::kNotIndexable) << r.rel << ": " << r.problem;
      continue;
    }
    EXPECT_FALSE(r.ex.blocks.empty()) << r.rel;
  }
  for (const auto& [name, counts] : per_format)
    std::printf("%-5s %2zu files, %6zu Hangul syllables\n", name.c_str(), counts.first, counts.second);
  EXPECT_EQ(per_format["pdf"].first, 9u);
  EXPECT_EQ(per_format["html"].first, 7u);
  EXPECT_EQ(per_format["docx"].first, 2u);
  EXPECT_EQ(per_format["hwpx"].first, 17u);
  EXPECT_EQ(per_format["hwp"].first, 19u);
  // The sample set's two distribution (배포용) documents, and nothing else, are refused.
  EXPECT_EQ(refused, (std::vector<std::string>{"hwplib/distribution.hwp", "tika/testHWP-v5-dist.hwp"}));
}

TEST(FormatsShared, PdfWordsSplitAcrossLinesAreWholeAgain) {
  const Read* guide = nullptr;
  for (const Read& r : samples())
    if (r.rel == "debian-installation-guide-ko/install.ko.pdf") guide = &r;
  ASSERT_NE(guide, nullptr);
  EXPECT_EQ(guide->ex.title, "데비안 GNU/리눅스 설치 안내서");
  EXPECT_EQ(guide->ex.date, "2023-07-09");
  std::map<uint32_t, std::string> pages;
  for (const TextBlock& b : guide->ex.blocks) pages[b.place] += b.text + "\n";
  EXPECT_EQ(pages.size(), 151u);
  // Page 11 (pdftotext: "설치\n설명서입니다", "환영하지 않습\n니다", "잘못\n번역된").
  for (const char* s : {"(코드명 “bookworm” ) 설치 설명서입니다.", "환영하지 않습니다.)", "잘못 번역된 부분이"})
    EXPECT_NE(pages[11].find(s), std::string::npos) << s << "\n" << pages[11];
  // Hyphens at line ends (U+2011 here): "preconfigura‑\ntion" is one word,
  // "isc‑dhcp‑\nserver" keeps its hyphen.
  EXPECT_NE(guide->text.find("지원하고 있습니다. preconfiguration 파일은"), std::string::npos);
  EXPECT_NE(guide->text.find("/etc/init.d/isc\u2011dhcp\u2011server restart"), std::string::npos);
}

TEST(FormatsShared, PdfAgreesWithPdftotext) {
  const fs::path pdftotext = "/usr/bin/pdftotext";
  ASSERT_TRUE(fs::exists(pdftotext)) << "pdftotext missing: tools/install-deps.sh installs poppler-utils";
  size_t files = 0;
  for (const Read& r : samples()) {
    if (r.format != Format::kPdf) continue;
    const testing::RunResult p = testing::run({pdftotext.string(), "-q", "-enc", "UTF-8", r.path.string(), "-"});
    ASSERT_EQ(p.exit_code, 0) << r.rel << ": " << p.err;
    const Syllables ours = hangul_syllables(r.text), theirs = hangul_syllables(p.out);
    const double a = agreement(ours, theirs);
    std::printf("%-50s %6zu Hangul (pdftotext %6zu), agreement %.4f\n", r.rel.c_str(), total(ours), total(theirs), a);
    EXPECT_GE(a, kPdfAgreement) << r.rel;
    ++files;
  }
  EXPECT_EQ(files, 9u);
}

TEST(FormatsShared, HwpAndHwpxOfOneDocumentAgree) {
  std::map<std::string, const Read*> by_rel;
  for (const Read& r : samples()) by_rel[r.rel] = &r;
  size_t pairs = 0;
  for (const auto& [rel, r] : by_rel) {
    if (r->format != Format::kHwp) continue;
    const std::string twin = rel + "x";
    if (!by_rel.count(twin)) continue;
    const Read* x = by_rel[twin];
    const double a = agreement(hangul_syllables(r->text), hangul_syllables(x->text));
    std::printf("%-28s %5zu Hangul, %-28s %5zu, agreement %.4f\n", rel.c_str(), total(hangul_syllables(r->text)),
                twin.c_str(), total(hangul_syllables(x->text)), a);
    EXPECT_GE(a, kHwpPairAgreement) << rel;
    EXPECT_GT(total(hangul_syllables(r->text)), 0u) << rel;
    ++pairs;
  }
  EXPECT_EQ(pairs, 4u);  // hwpjs: hyperlink, outline, strikethrough, table2
}

// Words of @p text: runs of ASCII letters (3+), of Hangul syllables (1+),
// or of other non-ASCII characters such as Old Hangul jamo (2+ bytes).
std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> out;
  auto cls = [&](size_t i, size_t* len) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    *len = 1;
    if (c < 0x80) return std::isalpha(c) ? 'a' : ' ';
    *len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (*len == 3 && !hangul_syllables(std::string_view(text).substr(i, 3)).empty()) return 'h';
    if (*len == 3 && c == 0xE3 && static_cast<unsigned char>(text[i + 1]) < 0x84) return ' ';  // CJK punctuation
    if (*len == 2 && c == 0xC2) return ' ';  // Latin-1 punctuation, NBSP
    return 'o';
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 0;
    const char k = cls(i, &len);
    size_t e = i + len, n = 1;
    while (e < text.size()) {
      size_t l = 0;
      if (cls(e, &l) != k) break;
      e += l;
      ++n;
    }
    if ((k == 'a' && n >= 3 && n <= 20) || (k == 'h' && n <= 8) || (k == 'o' && e - i >= 4 && n <= 8))
      out.insert(text.substr(i, e - i));
    i = e;
  }
  return out;
}

const Read& sample(const std::string& rel) {
  for (const Read& r : samples())
    if (r.rel == rel) return r;
  throw std::runtime_error("no sample " + rel);
}

// Government draft templates (kordoc): empty click-here fields (누름틀) show
// their guide text, which a user sees and searches for.
TEST(FormatsShared, HwpxEmptyClickHereFieldsGiveTheirGuide) {
  const Read& simple = sample("kordoc/간이기안문_서식.hwpx");
  EXPECT_NE(simple.text.find("※필요한 경우 보고근거 및 보고내용을 요약하여 적을 수 있음"), std::string::npos) << simple.text;
  EXPECT_NE(simple.text.find("작성일"), std::string::npos);
  const Read& general = sample("kordoc/일반기안문_서식.hwpx");
  for (const char* guide : {"처리과명-일련번호", "행정기관명", "공무원의 전자우편주소", "제목을 입력하세요"})
    EXPECT_NE(general.text.find(guide), std::string::npos) << guide << "\n" << general.text;
  // A field with text typed in it shows that text, not its guide as well
  // (hwpxlib's TestFinder types each field's guide into it: once, not twice).
  const Read& finder = sample("hwpxlib/TestFinder.hwpx");
  const size_t first = finder.text.find("팔드A2");
  ASSERT_NE(first, std::string::npos) << finder.text;
  EXPECT_EQ(finder.text.find("팔드A2", first + 1), std::string::npos) << finder.text;
}

TEST(FormatsShared, DrawingObjectDescriptionsAreRead) {
  EXPECT_NE(sample("hwpxlib/RectInPara.hwpx").text.find("사각형입니다."), std::string::npos);
  EXPECT_NE(sample("hwpxlib/TestFinder.hwpx").text.find("타원입니다."), std::string::npos);
  const Read& hwp = sample("hwplib/getting_clickhere_text.hwp");
  EXPECT_NE(hwp.text.find("원본 그림의 이름: 105915014.png"), std::string::npos) << hwp.text;
  // Its click-here fields hold typed text: that text is read, their guide is not.
  EXPECT_NE(hwp.text.find("테스트 누름틀"), std::string::npos) << hwp.text;
  EXPECT_NE(hwp.text.find("테이블안"), std::string::npos) << hwp.text;
  EXPECT_EQ(hwp.text.find("이곳을 마우스로 누르고"), std::string::npos) << hwp.text;
}

TEST(FormatsShared, EveryFileIsFoundByAWordOfItsOwnWithItsPlace) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "idx").string();
  const testing::RunResult ix = testing::run_index({"--db", db, formats_dir().string()});
  ASSERT_EQ(ix.exit_code, 1) << ix.err;  // the two distribution documents
  std::printf("%s", ix.out.c_str());
  for (const char* dist : {"hwplib/distribution.hwp", "tika/testHWP-v5-dist.hwp"})
    EXPECT_NE(ix.err.find((formats_dir() / dist).string() + ": hwp: distribution (배포용) HWP document"),
              std::string::npos)
        << ix.err;

  // In how many files each word's search key occurs: the query drops a
  // Korean word's particles and endings (소프트웨어로부터 searches 소프트웨어),
  // so rarity is judged on that stem.
  auto key = [](const std::string& w) {
    if (w.size() % 3 != 0) return w;
    std::u32string u;
    for (size_t i = 0; i < w.size(); i += 3) {
      const Syllables s = hangul_syllables(std::string_view(w).substr(i, 3));
      if (s.size() != 1) return w;  // not all Hangul syllables
      u += s.begin()->first;
    }
    const size_t strip = analysis::strip_suffix_length(u);
    return w.substr(0, 3 * (u.size() - strip));
  };
  std::map<std::string, std::set<std::string>> files_with;
  std::map<std::string, std::set<std::string>> words;
  for (const Read& r : samples()) {
    words[r.rel] = words_of(r.text);
    for (const std::string& w : words[r.rel]) files_with[key(w)].insert(r.rel);
  }
  // Per file, its rarest word (then the longest): one batch of queries.
  std::string batch;
  std::map<std::string, const Read*> asked;
  std::map<std::string, std::string> asked_word;
  for (const Read& r : samples()) {
    if (!r.problem.empty()) continue;
    std::string best;
    for (const std::string& w : words[r.rel]) {
      const size_t n = files_with[key(w)].size(), best_n = best.empty() ? 0 : files_with[key(best)].size();
      if (best.empty() || n < best_n || (n == best_n && w.size() > best.size())) best = w;
    }
    if (best.empty()) {
      ADD_FAILURE() << r.rel << ": no word to search for";
      continue;
    }
    batch += r.rel + "\t\"" + best + "\"\n";  // as a phrase
    asked[r.rel] = &r;
    asked_word[r.rel] = best;
  }
  const fs::path batch_file = dir.write("queries.tsv", batch);
  const testing::RunResult q = testing::run(
      {testing::query_bin(), "--db", db, "--json", "--all", "--per-doc", "0", "--limit", "100", "--batch", batch_file.string()});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  // Found: a hit of the file whose passage holds the word, on a page or
  // section (PDF, HWP, HWPX; null for the others) whose text holds it.
  std::set<std::string> found;
  for (const auto& j : testing::json_lines(q.out)) {
    if (j["type"] != "hit" || j["doc_id"] != j["query_id"]) continue;
    const Read* r = asked.at(j["query_id"]);
    const std::string& word = asked_word[r->rel];
    if (j["text"].get<std::string>().find(word) == std::string::npos) continue;  // matched by its title
    const bool paged = r->format == Format::kPdf || r->format == Format::kHwp || r->format == Format::kHwpx;
    if (!paged) {
      EXPECT_TRUE(j["place"].is_null()) << r->rel;
      found.insert(r->rel);
      continue;
    }
    EXPECT_EQ(j["place"]["unit"], r->format == Format::kPdf ? "page" : "section") << r->rel;
    const uint32_t first = j["place"]["first"].get<uint32_t>(), last = j["place"]["last"].get<uint32_t>();
    for (const TextBlock& b : r->ex.blocks)
      if (b.place >= first && b.place <= last && b.text.find(word) != std::string::npos) found.insert(r->rel);
  }
  for (const auto& [rel, r] : asked) EXPECT_TRUE(found.count(rel)) << rel << " not found by " << asked_word[rel];
  EXPECT_EQ(found.size(), 52u);
}

}  // namespace
}  // namespace bisearch::indexer
