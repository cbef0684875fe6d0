// formats_test.cc: the document-format readers (sniffing, PDF, HTML, DOCX, HWPX, HWP) on the sample
// files of tests/fixtures/formats and on hostile files built here (zip bombs, deep nesting, truncation).
#include <gtest/gtest.h>
#include <zip.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "analysis/schema.h"
#include "indexer/extract.h"
#include "indexer/formats.h"
#include "indexer/hwp_records.h"
#include "indexer/sniff.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

fs::path fixture(const std::string& name) { return testing::fixtures_dir() / "formats" / name; }

std::string bytes_of(const std::string& name) { return testing::read_file(fixture(name)); }

Extracted read_as(const std::string& bytes, Format format, const FormatLimits& limits = {}) {
  Extracted ex;
  extract_blocks(bytes, format, limits, &ex);
  return ex;
}

// The FormatError a reader throws (kind and reason), or kUnreadable/"" when none.
std::pair<ProblemKind, std::string> failure(const std::string& bytes, Format format, const FormatLimits& limits = {}) {
  try {
    read_as(bytes, format, limits);
  } catch (const FormatError& e) {
    return {e.kind(), e.what()};
  }
  return {ProblemKind::kUnreadable, ""};
}

std::string all_text(const Extracted& ex) {
  std::string s;
  for (const TextBlock& b : ex.blocks) s += b.text + "\n\n";
  return s;
}

const TextBlock* block_with(const Extracted& ex, const std::string& needle) {
  for (const TextBlock& b : ex.blocks)
    if (b.text.find(needle) != std::string::npos) return &b;
  return nullptr;
}

struct Entry {
  std::string name;
  std::string data;
  bool deflate = true;
};

// A zip file of @p entries written with libzip; its bytes.
std::string make_zip(const TempDir& dir, const std::vector<Entry>& entries) {
  const fs::path path = dir.path() / "made.zip";
  fs::remove(path);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  for (const Entry& e : entries) {
    zip_source_t* src = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
    const zip_int64_t i = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(i, 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(i), e.deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
  }
  EXPECT_EQ(zip_close(z), 0);
  return testing::read_file(path);
}

const char* kWordNs = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string docx_with(const TempDir& dir, const std::string& body, std::vector<Entry> more = {}) {
  std::vector<Entry> entries = {
      {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"word/document.xml", std::string("<?xml version=\"1.0\"?><w:document ") + kWordNs + "><w:body>" + body +
                                "</w:body></w:document>"}};
  for (Entry& e : more) entries.push_back(std::move(e));
  return make_zip(dir, entries);
}

const char* kHwpxNs = "xmlns:hp=\"http://www.hancom.co.kr/hwpml/2011/paragraph\" "
                      "xmlns:hs=\"http://www.hancom.co.kr/hwpml/2011/section\"";

std::string hwpx_section(const std::string& paragraphs) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><hs:sec ") + kHwpxNs + ">" + paragraphs + "</hs:sec>";
}

// --- sniffing and dispatch ---

TEST(Sniff, EachFixtureByItsBytes) {
  EXPECT_EQ(sniff_format(bytes_of("obchaptertoc-doc.pdf")), Format::kPdf);
  EXPECT_EQ(sniff_format(bytes_of("ch01s01.html")), Format::kHtml);
  EXPECT_EQ(sniff_format(bytes_of("install-guide-ko-ch01.docx")), Format::kDocx);
  EXPECT_EQ(sniff_format(bytes_of("table2.hwpx")), Format::kHwpx);
  EXPECT_EQ(sniff_format(bytes_of("table2.hwp")), Format::kHwp);
  EXPECT_EQ(sniff_format(bytes_of("etc.hwp")), Format::kHwp);
  EXPECT_EQ(sniff_format("plain text"), std::nullopt);
  EXPECT_EQ(sniff_format("\xEF\xBB\xBF <!-- c --> <!DOCTYPE HTML><p>x"), Format::kHtml);
  EXPECT_EQ(format_for("a/B.HWPX"), Format::kHwpx);
  EXPECT_EQ(format_for("x.xhtml"), Format::kHtml);
  EXPECT_EQ(format_for("x.odt"), std::nullopt);
}

class Collect : public DocumentSink {
 public:
  bool document(Document&& d) override {
    docs.push_back(std::move(d));
    return true;
  }
  void problem(Problem&& p) override { problems.push_back(std::move(p)); }
  void content(uint64_t, uint64_t bytes) override { content_bytes = bytes; }
  std::vector<Document> docs;
  std::vector<Problem> problems;
  uint64_t content_bytes = 0;
};

Collect extract_file(const fs::path& path) {
  SourceFile f;
  f.path = path;
  f.rel = path.filename().string();
  f.format = format_for(path).value_or(Format::kText);
  f.size = fs::file_size(path);
  Collect c;
  extract(f, ExtractOptions{}, c);
  return c;
}

TEST(Dispatch, ContentDecidesOverTheExtension) {
  TempDir dir;
  // A PDF named .txt and an HWPX named .docx are read as what they are.
  const fs::path pdf = dir.write("report.txt", bytes_of("obchaptertoc-doc.pdf"));
  Collect c = extract_file(pdf);
  ASSERT_EQ(c.docs.size(), 1u) << (c.problems.empty() ? "" : c.problems[0].message());
  EXPECT_EQ(c.docs[0].format, "pdf");
  EXPECT_EQ(c.docs[0].place_unit, "page");
  EXPECT_EQ(c.docs[0].source_end, fs::file_size(pdf));
  EXPECT_EQ(c.content_bytes, fs::file_size(pdf));
  c = extract_file(dir.write("table.docx", bytes_of("table2.hwpx")));
  ASSERT_EQ(c.docs.size(), 1u);
  EXPECT_EQ(c.docs[0].format, "hwpx");
  // Bytes that are no such format: one problem naming the file and why.
  for (const auto& [name, data, why] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"fake.pdf", "just text", "not a PDF (no %PDF- signature)"},
           {"fake.hwp", "HWP Document File V3.00 \x1a\x01\x02", "an HWP 3.0 document: only HWP 5.0 (and HWPX) can be read"},
           {"fake.docx", "not a zip", "not a DOCX (not a zip archive)"},
           {"broken.pdf", "%PDF-1.4\n1 0 obj garbage", "pdf: damaged PDF (poppler cannot open it)"}}) {
    const fs::path p = dir.write(name, data);
    c = extract_file(p);
    EXPECT_TRUE(c.docs.empty()) << name;
    ASSERT_EQ(c.problems.size(), 1u) << name;
    EXPECT_EQ(c.problems[0].where, p.string());
    EXPECT_EQ(c.problems[0].reason, why);
  }
  // A zip that is neither DOCX nor HWPX.
  c = extract_file(dir.write("odd.hwpx", make_zip(dir, {{"a.txt", "hello"}})));
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].reason, std::string(kUnknownZip));
  // Text files keep the binary-file check; binary formats do not have it.
  c = extract_file(dir.write("nul.txt", std::string("ab\0cd", 5)));
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].kind, ProblemKind::kBinary);
}

TEST(Dispatch, PlacesOfAPassage) {
  Extracted ex;
  ex.unit = "page";
  ex.add("first page", 1, 1000);
  ex.add("second page", 2, 1000);
  ex.add("still second", 2, 1000);
  ex.add("   ", 3, 1000);  // blank blocks are dropped
  ex.add("fourth", 4, 1000);
  SourceFile f;
  f.rel = "x.pdf";
  const Document doc = blocks_document(std::move(ex), f, Format::kPdf, 123);
  EXPECT_EQ(doc.text, "first page\n\nsecond page\n\nstill second\n\nfourth");
  ASSERT_EQ(doc.places.size(), 3u);
  EXPECT_EQ(places_of(doc, 0, 10), std::make_pair(1u, 1u));
  EXPECT_EQ(places_of(doc, 12, 37), std::make_pair(2u, 2u));
  EXPECT_EQ(places_of(doc, 0, doc.text.size()), std::make_pair(1u, 4u));
  EXPECT_EQ(doc.source_end, 123u);
}

TEST(Schema, PlaceFieldIsOptionalAndNamed) {
  schema::PassageRecord r;
  r.doc_id = "a.pdf";
  r.text = "text";
  r.place_unit = "page";
  r.place_first = 12;
  r.place_last = 13;
  const std::string data = schema::serialize(r);
  auto back = schema::deserialize(data);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->place_unit, "page");
  EXPECT_EQ(back->place_first, 12u);
  EXPECT_EQ(back->place_last, 13u);
  // A record written before the field existed, and one with an unknown trailing field first.
  r.place_unit.clear();
  const std::string old = schema::serialize(r);
  EXPECT_EQ(old.find("page="), std::string::npos);
  back = schema::deserialize(old);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->place_unit, "");
  EXPECT_EQ(back->place_first, 0u);
  std::string extended = old;
  schema::append_field(extended, "counterpart=x");
  schema::append_field(extended, "section=2-2");
  back = schema::deserialize(extended);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->place_unit, "section");
  EXPECT_EQ(back->place_first, 2u);
}

// --- PDF ---

TEST(Pdf, PagesDateAndJoinedLines) {
  const Extracted ex = read_as(bytes_of("obchaptertoc-doc.pdf"), Format::kPdf);
  EXPECT_EQ(ex.unit, "page");
  EXPECT_EQ(ex.date, "2020-09-03");
  uint32_t last = 0;
  for (const TextBlock& b : ex.blocks) {
    EXPECT_GE(b.place, last);  // in page order
    last = b.place;
    EXPECT_EQ(b.text.find('\n'), std::string::npos) << b.text;  // lines of a paragraph are joined
  }
  EXPECT_EQ(last, 3u);
  const TextBlock* b = block_with(ex, "3.1 \\chaptertoc 명령");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->place, 2u);
  b = block_with(ex, "작년 memoir 스터디그룹에서 이 문제를 다루었는데, 그 때 토론한 내용을 바탕으로 패키지로 만들었습니다.");
  ASSERT_NE(b, nullptr) << all_text(ex);
  EXPECT_EQ(b->place, 1u);
}

TEST(Pdf, TruncatedFileFailsOrYieldsLess) {
  const std::string pdf = bytes_of("obchaptertoc-doc.pdf");
  for (size_t keep : {size_t{100}, pdf.size() / 3, pdf.size() - 200}) {
    Extracted ex;
    try {
      extract_blocks(pdf.substr(0, keep), Format::kPdf, {}, &ex);
    } catch (const FormatError& e) {
      EXPECT_EQ(e.kind(), ProblemKind::kDamaged) << e.what();
      continue;
    }
    EXPECT_LE(ex.blocks.size(), read_as(pdf, Format::kPdf).blocks.size());
  }
}

TEST(Pdf, PageLimit) {
  FormatLimits limits;
  limits.max_pages = 2;
  const auto [kind, why] = failure(bytes_of("obchaptertoc-doc.pdf"), Format::kPdf, limits);
  EXPECT_EQ(kind, ProblemKind::kTooLarge);
  EXPECT_EQ(why, "PDF of 3 pages, more than 2; not indexed");
}

// --- HTML ---

TEST(Html, VisibleTextTitleAndBlocks) {
  const Extracted ex = read_as(bytes_of("ch01s01.html"), Format::kHtml);
  EXPECT_EQ(ex.title, "1.1. 데비안이란?");
  ASSERT_FALSE(ex.blocks.empty());
  EXPECT_EQ(ex.blocks[0].text, "1.1. 데비안이란?");  // the heading is its own block; the navigation header is gone
  EXPECT_EQ(ex.blocks[0].place, 0u);
  EXPECT_NE(block_with(ex, "데비안은 자유 소프트웨어를 개발하고"), nullptr);
  EXPECT_EQ(block_with(ex, "1.2. GNU/리눅스란?"), nullptr) << all_text(ex);  // navfooter links
}

TEST(Html, ScriptsStylesNavigationDropped) {
  const std::string html =
      "<!DOCTYPE html><html lang=\"ko\"><head><title> 제목  페이지 </title><style>p{color:red}</style>"
      "<script>var secret = 1;</script></head><body><nav>홈 | 목록</nav>"
      "<header>사이트 머리글</header><main><h1>확장억제</h1><p>한미 양국은\n  협의를<br>계속한다.</p>"
      "<div hidden>숨김</div><p aria-hidden=\"true\">아이콘</p><table><tr><td>셀1</td><td>셀2</td></tr></table>"
      "<noscript>자바스크립트</noscript></main><footer>저작권</footer></body></html>";
  const Extracted ex = read_as(html, Format::kHtml);
  EXPECT_EQ(ex.title, "제목 페이지");
  EXPECT_EQ(ex.language, "ko");
  std::vector<std::string> texts;
  for (const TextBlock& b : ex.blocks) texts.push_back(b.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"확장억제", "한미 양국은 협의를\n계속한다.", "셀1 셀2"}));
}

TEST(Html, DeclaredLegacyCharsetAndUndeclaredUtf8) {
  // "한국어" in EUC-KR, declared by <meta charset>.
  const std::string euc = "<html><head><meta charset=\"euc-kr\"></head><body><p>\xC7\xD1\xB1\xB9\xBE\xEE</p></body></html>";
  EXPECT_EQ(read_as(euc, Format::kHtml).blocks.at(0).text, "한국어");
  const std::string utf8 = "<html><body><p>한국어</p></body></html>";
  EXPECT_EQ(read_as(utf8, Format::kHtml).blocks.at(0).text, "한국어");
}

TEST(Html, InvalidByteInADeclaredUtf8PageIsReplacedNotFatal) {
  // libxml2 passes the stray byte after '&' through as it is (found by fuzzing:
  // tests/fuzz/regressions/formats/); the page is read, the byte becomes U+FFFD.
  const std::string html =
      "<html><head><meta charset=\"utf-8\"><title>t\x8b</title></head><body><p>abc &\x8b def</p>"
      "<p lang=\"k\xffo\">한국어</p></body></html>";
  const Extracted ex = read_as(html, Format::kHtml);
  ASSERT_EQ(ex.blocks.size(), 2u);
  EXPECT_EQ(ex.blocks[0].text, "abc &\xEF\xBF\xBD def");
  EXPECT_EQ(ex.blocks[1].text, "한국어");
  EXPECT_EQ(ex.title, "t\xEF\xBF\xBD");
  // DEL is a control character like the C0 ones: dropped (found by fuzzing).
  const Extracted del = read_as("<html><body><p>ab\x7f" "cd \x7f</p><p>\x7f</p></body></html>", Format::kHtml);
  ASSERT_EQ(del.blocks.size(), 1u);
  EXPECT_EQ(del.blocks[0].text, "abcd");
}

TEST(Html, DeepNestingIsBounded) {
  // libxml2's HTML parser stops nesting at 256 levels (it drops what is
  // deeper); our own walk would refuse deeper trees (check_depth).
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "깊은 곳</body></html>";
  const auto start = std::chrono::steady_clock::now();
  const auto [kind, why] = failure(html, Format::kHtml);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(why.empty() || why == "elements nested deeper than 256 levels; not indexed") << why;
  EXPECT_THROW(check_depth(257, FormatLimits{}), FormatError);
}

// --- DOCX ---

TEST(Docx, FixtureTitleAndParagraphs) {
  const Extracted ex = read_as(bytes_of("install-guide-ko-ch01.docx"), Format::kDocx);
  EXPECT_EQ(ex.title, "1.3. 데비안 GNU/리눅스란?");
  EXPECT_EQ(ex.unit, "");
  EXPECT_NE(block_with(ex, "데비안은 자유 소프트웨어를 개발하고"), nullptr);
  EXPECT_GT(ex.blocks.size(), 30u);
}

TEST(Docx, TablesNotesHeadersAndRevisions) {
  TempDir dir;
  const std::string body =
      "<w:p><w:r><w:t xml:space=\"preserve\">한미 </w:t></w:r><w:r><w:t>동맹</w:t></w:r>"
      "<w:del><w:r><w:delText>지운 글</w:delText></w:r></w:del><w:r><w:tab/><w:t>70주년</w:t></w:r></w:p>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>칸 하나</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:fldChar/><w:instrText>PAGE</w:instrText><w:t>칸 둘</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:sectPr/>";
  const std::string hdr = std::string("<w:hdr ") + kWordNs + "><w:p><w:r><w:t>머리글</w:t></w:r></w:p></w:hdr>";
  const std::string core =
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
      "<dc:title>동맹 보고서</dc:title><dc:language>ko-KR</dc:language>"
      "<dcterms:created>2023-04-26T09:00:00Z</dcterms:created></cp:coreProperties>";
  const Extracted ex = read_as(docx_with(dir, body,
                                         {{"word/header1.xml", hdr},
                                          {"word/header2.xml", hdr},  // the same header twice: once in the text
                                          {"docProps/core.xml", core}}),
                               Format::kDocx);
  std::vector<std::string> texts;
  for (const TextBlock& b : ex.blocks) texts.push_back(b.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"한미 동맹\t70주년", "칸 하나", "칸 둘", "머리글"}));
  EXPECT_EQ(ex.title, "동맹 보고서");
  EXPECT_EQ(ex.language, "ko-KR");
  EXPECT_EQ(ex.date, "2023-04-26");
}

TEST(Docx, NoExternalEntitiesNoNetwork) {
  TempDir dir;
  const fs::path secret = dir.write("secret.txt", "비밀");
  const std::string doc = std::string("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY x SYSTEM \"file://") +
                          secret.string() + "\">]><w:document " + kWordNs +
                          "><w:body><w:p><w:r><w:t>앞 &x; 뒤</w:t></w:r></w:p></w:body></w:document>";
  const std::string zip = make_zip(dir, {{"word/document.xml", doc}});
  Extracted ex;
  try {
    extract_blocks(zip, Format::kDocx, {}, &ex);
  } catch (const FormatError&) {
  }
  EXPECT_EQ(all_text(ex).find("비밀"), std::string::npos);
}

TEST(Docx, ZipBombAndSizeLimits) {
  TempDir dir;
  // 4 MiB of one letter compresses about 1000:1, past the 200:1 ratio.
  const std::string bomb = docx_with(dir, "<w:p><w:r><w:t>" + std::string(4 << 20, 'a') + "</w:t></w:r></w:p>");
  auto [kind, why] = failure(bomb, Format::kDocx);
  EXPECT_EQ(kind, ProblemKind::kTooLarge);
  EXPECT_EQ(why, "zip entry word/document.xml inflates past 200 times its compressed size (zip bomb?); not indexed");
  // Stored (not compressed) but larger than one part may be.
  FormatLimits small;
  small.max_part_bytes = 1 << 20;
  const std::string big = make_zip(
      dir, {{"word/document.xml",
             std::string("<w:document ") + kWordNs + "><w:body>" + std::string(2 << 20, ' ') + "</w:body></w:document>",
             false}});
  std::tie(kind, why) = failure(big, Format::kDocx, small);
  EXPECT_EQ(kind, ProblemKind::kTooLarge);
  EXPECT_EQ(why, "zip entry word/document.xml inflates past 1 MiB (zip bomb?); not indexed");
}

TEST(Docx, TruncatedAndMalformed) {
  TempDir dir;
  const std::string docx = bytes_of("install-guide-ko-ch01.docx");
  auto [kind, why] = failure(docx.substr(0, docx.size() / 2), Format::kDocx);
  EXPECT_EQ(kind, ProblemKind::kDamaged);
  EXPECT_TRUE(why.starts_with("damaged zip archive: ")) << why;
  std::tie(kind, why) = failure(docx_with(dir, "<w:p><w:r><w:t>unclosed</w:r></w:p>"), Format::kDocx);
  EXPECT_EQ(kind, ProblemKind::kDamaged);
  EXPECT_TRUE(why.starts_with("word/document.xml is not well-formed XML (line 1: ")) << why;
  // Nesting past libxml2's 256 levels.
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<w:r>";
  std::tie(kind, why) = failure(docx_with(dir, "<w:p>" + deep + "</w:p>"), Format::kDocx);
  EXPECT_EQ(kind, ProblemKind::kTooLarge);
  EXPECT_EQ(why, "word/document.xml: elements nested deeper than 256 levels; not indexed");
}

// --- HWPX and HWP ---

TEST(Hwpx, SameTextAsTheHwpOfTheSameDocument) {
  const Extracted x = read_as(bytes_of("table2.hwpx"), Format::kHwpx);
  const Extracted h = read_as(bytes_of("table2.hwp"), Format::kHwp);
  EXPECT_EQ(x.unit, "section");
  EXPECT_EQ(h.unit, "section");
  ASSERT_EQ(x.blocks.size(), h.blocks.size());
  for (size_t i = 0; i < x.blocks.size(); ++i) {
    EXPECT_EQ(x.blocks[i].text, h.blocks[i].text);
    EXPECT_EQ(x.blocks[i].place, 1u);
    EXPECT_EQ(h.blocks[i].place, 1u);
  }
  EXPECT_EQ(h.blocks.at(0).text, "표 아래 캡션 개체와의 간격 3.00mm 바깥여백 모두 1.00mm");
}

TEST(Hwpx, SectionsFromTheZipListingWithoutManifestOrPackageFile) {
  TempDir dir;
  const std::string hwpx = make_zip(
      dir, {{"mimetype", "application/hwp+zip", false},
            {"Contents/section10.xml", hwpx_section("<hp:p><hp:run><hp:t>열째</hp:t></hp:run></hp:p>")},
            {"Contents/section1.xml", hwpx_section("<hp:p><hp:run><hp:t>둘째<hp:lineBreak/>줄</hp:t></hp:run></hp:p>")},
            {"Contents/section0.xml",
             hwpx_section("<hp:p><hp:run><hp:t>첫째<hp:tab/>칸</hp:t></hp:run><hp:linesegarray><hp:lineseg/>"
                          "</hp:linesegarray></hp:p><hp:p><hp:run><hp:tbl><hp:tr><hp:tc><hp:subList><hp:p><hp:run>"
                          "<hp:t>표 안</hp:t></hp:run></hp:p></hp:subList></hp:tc></hp:tr></hp:tbl></hp:run></hp:p>")}});
  EXPECT_EQ(sniff_format(hwpx), Format::kHwpx);
  const Extracted ex = read_as(hwpx, Format::kHwpx);
  std::vector<std::pair<std::string, uint32_t>> got;
  for (const TextBlock& b : ex.blocks) got.emplace_back(b.text, b.place);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, uint32_t>>{
                     {"첫째\t칸", 1}, {"표 안", 1}, {"둘째\n줄", 2}, {"열째", 3}}));
}

TEST(Hwpx, EncryptedPackageIsNotIndexable) {
  TempDir dir;
  const std::string hwpx =
      make_zip(dir, {{"mimetype", "application/hwp+zip", false},
                     {"META-INF/manifest.xml",
                      "<manifest><file-entry full-path=\"Contents/section0.xml\"><encryption-data/></file-entry></manifest>"},
                     {"Contents/section0.xml", "\x01\x02 encrypted bytes"}});
  const auto [kind, why] = failure(hwpx, Format::kHwpx);
  EXPECT_EQ(kind, ProblemKind::kNotIndexable);
  EXPECT_EQ(why, "password-protected HWPX (encrypted parts); not indexable");
}

// UTF-16LE code units of @p s (ASCII and BMP only) with control @p c (8 units: c, id, 4 zeros, c).
std::string utf16(const std::u16string& s) {
  std::string out;
  for (char16_t c : s) {
    out += static_cast<char>(c & 0xFF);
    out += static_cast<char>(c >> 8);
  }
  return out;
}
std::u16string control(char16_t c, const char id[4]) {
  return std::u16string{c, static_cast<char16_t>(id[3] | id[2] << 8), static_cast<char16_t>(id[1] | id[0] << 8),
                        0, 0, 0, 0, c};
}
// A click-here CTRL_HEADER body: id, property, etc. byte, command (u16 length + UTF-16LE).
std::string clickhere_header(const std::u16string& command) {
  std::string b = "klc%";
  b += std::string("\x01\x80\x00\x00\x09", 5);
  b += static_cast<char>(command.size() & 0xFF);
  b += static_cast<char>(command.size() >> 8);
  return b + utf16(command);
}

TEST(Hwp, EmptyClickHereFieldShowsItsGuide) {
  const std::u16string cmd = u"Clickhere:set:58:Direction:wstring:9:처리과명-일련번호 HelpState:wstring:0:  ";
  const std::string header = clickhere_header(cmd);
  const std::u16string empty = u"번호: " + control(3, "%clk") + control(4, "%clk") + u" 끝\r";
  const std::u16string filled = u"번호: " + control(3, "%clk") + u"총무과-12" + control(4, "%clk") + u"\r";
  const std::string e = utf16(empty), f = utf16(filled);
  EXPECT_EQ(hwp_paragraph_text(reinterpret_cast<const unsigned char*>(e.data()), e.size() / 2, {header}),
            "번호: 처리과명-일련번호 끝");
  EXPECT_EQ(hwp_paragraph_text(reinterpret_cast<const unsigned char*>(f.data()), f.size() / 2, {header}),
            "번호: 총무과-12");
  // Without its control record the field shows nothing.
  EXPECT_EQ(hwp_paragraph_text(reinterpret_cast<const unsigned char*>(e.data()), e.size() / 2, {}), "번호: 끝");
  EXPECT_EQ(clickhere_guide("Clickhere:set:66:Direction:wstring:23:이곳을 마우스로 누르고 내용을 입력하세요. "
                            "HelpState:wstring:0:  "),
            "이곳을 마우스로 누르고 내용을 입력하세요.");
  EXPECT_EQ(clickhere_guide("Clickhere:set:48:Direction:wstring:1:  HelpState:wstring:0:  "), "");
  EXPECT_EQ(clickhere_guide("Clickhere:set:48:Direction:wstring:99"), "");
}

TEST(Hwp, UncompressedBody) {
  const Extracted ex = read_as(bytes_of("etc.hwp"), Format::kHwp);
  ASSERT_FALSE(ex.blocks.empty());
  EXPECT_EQ(ex.blocks[0].text, "가나다라ABCDFEFDFEFDFEFDFEFDFEFDFEF");
  EXPECT_NE(block_with(ex, "가 나다"), nullptr);
}

TEST(Hwp, DistributionDocumentIsNotIndexable) {
  const auto [kind, why] = failure(bytes_of("testHWP-v5-dist.hwp"), Format::kHwp);
  EXPECT_EQ(kind, ProblemKind::kNotIndexable);
  EXPECT_EQ(why,
            "distribution (배포용) HWP document: its text is encrypted in ViewText, BodyText holds only a notice; "
            "not indexable");
}

// table2.hwp with its FileHeader property flags changed in place (the
// stream sits contiguously in the file, after its signature).
std::string with_hwp_flags(uint8_t set, uint8_t clear) {
  std::string hwp = bytes_of("table2.hwp");
  const size_t sig = hwp.find("HWP Document File");
  EXPECT_NE(sig, std::string::npos);
  hwp[sig + 36] = static_cast<char>((static_cast<uint8_t>(hwp[sig + 36]) | set) & ~clear);
  return hwp;
}

TEST(Hwp, FileHeaderFlags) {
  auto [kind, why] = failure(with_hwp_flags(2, 0), Format::kHwp);
  EXPECT_EQ(kind, ProblemKind::kNotIndexable);
  EXPECT_EQ(why, "password-protected HWP document: its text is encrypted; not indexable");
  std::tie(kind, why) = failure(with_hwp_flags(4, 0), Format::kHwp);
  EXPECT_EQ(kind, ProblemKind::kNotIndexable);
  EXPECT_TRUE(why.starts_with("distribution (배포용) HWP document")) << why;
  // Compressed sections read as if they were not: records run past the stream.
  std::tie(kind, why) = failure(with_hwp_flags(0, 1), Format::kHwp);
  EXPECT_EQ(kind, ProblemKind::kDamaged);
  EXPECT_TRUE(why.starts_with("BodyText/Section0: ")) << why;
}

TEST(Hwp, TruncatedAndForeignOleFiles) {
  const std::string hwp = bytes_of("table2.hwp");
  for (size_t keep : {size_t{512}, size_t{4096}, hwp.size() / 2}) {
    const auto [kind, why] = failure(hwp.substr(0, keep), Format::kHwp);
    EXPECT_EQ(kind, ProblemKind::kDamaged) << keep << ": " << why;
    EXPECT_NE(why, "");
  }
}

// Damaged copies of every fixture (bytes overwritten at random places, or
// cut): each is read or refused with a FormatError, nothing else escapes,
// and (under ASan in CI) nothing is read out of bounds.
TEST(AllFormats, RandomlyDamagedFilesAreReadOrRefused) {
  std::mt19937 rng(20240611);
  const std::vector<std::pair<std::string, Format>> files = {
      {"obchaptertoc-doc.pdf", Format::kPdf}, {"ch01s01.html", Format::kHtml},
      {"install-guide-ko-ch01.docx", Format::kDocx}, {"table2.hwpx", Format::kHwpx},
      {"table2.hwp", Format::kHwp}, {"etc.hwp", Format::kHwp}};
  size_t read = 0, refused = 0;
  for (const auto& [name, format] : files) {
    const std::string original = bytes_of(name);
    for (int trial = 0; trial < 40; ++trial) {
      std::string bytes = original;
      if (trial % 4 == 3) {
        bytes.resize(rng() % bytes.size());
      } else {
        for (int k = 0; k < 1 + trial % 8; ++k) {
          const size_t at = rng() % bytes.size();
          for (size_t i = at; i < std::min(bytes.size(), at + 1 + rng() % 16); ++i) bytes[i] = static_cast<char>(rng());
        }
      }
      Extracted ex;
      try {
        extract_blocks(bytes, format, {}, &ex);
        ++read;
      } catch (const FormatError& e) {
        EXPECT_NE(std::string(e.what()), "") << name;
        ++refused;
      }
    }
  }
  EXPECT_EQ(read + refused, 240u);
  EXPECT_GT(refused, 0u);
}

}  // namespace
}  // namespace bisearch::indexer
