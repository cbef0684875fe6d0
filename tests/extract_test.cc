// extract_test.cc: headers, text/markdown/JSONL documents, refused files, and the input walk.
#include "indexer/extract.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/jsonl.h"
#include "indexer/walk.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;

// Keeps everything extract() hands over.
struct Collect : DocumentSink {
  std::vector<Document> docs;
  std::vector<Problem> problems;
  bool document(Document&& d) override {
    docs.push_back(std::move(d));
    return true;
  }
  void problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

Collect extract_path(const fs::path& path, std::string rel, const ExtractOptions& o = {}) {
  SourceFile f{path, std::move(rel), format_for(path).value_or(Format::kText), 0};
  Collect c;
  extract(f, o, c);
  return c;
}

fs::path fixture(const std::string& name) { return testing::fixtures_dir() / "index" / name; }

std::string body_of(const Document& d) { return d.text.substr(d.body_begin); }

TEST(ParseHeader, YamlFrontMatter) {
  const std::string text =
      "---\ntitle: \"Alliance: Next\"\ndate: 2024-07-11\nTags: [a, b]\n# a comment\n---\nBody text\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_EQ(h.fields.at("title"), "Alliance: Next");
  EXPECT_EQ(h.fields.at("date"), "2024-07-11");
  EXPECT_EQ(h.fields.at("tags"), "[a, b]");
  EXPECT_EQ(text.substr(h.body_begin), "Body text\n");
}

TEST(ParseHeader, KeyValueLinesClosedByDashes) {
  const std::string text =
      "source_url: https://example.org/a\ntitle: FACT SHEET: Visit\nlanguage: en\n---\nPresident Biden\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_EQ(h.fields.at("source_url"), "https://example.org/a");
  EXPECT_EQ(h.fields.at("title"), "FACT SHEET: Visit");
  EXPECT_EQ(text.substr(h.body_begin), "President Biden\n");
}

TEST(ParseHeader, CrlfHeaderAndByteOrderMark) {
  const std::string text = "\xEF\xBB\xBFtitle: T\r\ndate: 2020\r\n---\r\nBody\r\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_EQ(h.fields.at("title"), "T");
  EXPECT_EQ(h.fields.at("date"), "2020");
  EXPECT_EQ(text.substr(h.body_begin), "Body\r\n");
  const Header none = parse_header("\xEF\xBB\xBFJust text");
  EXPECT_FALSE(none.found);
  EXPECT_EQ(none.body_begin, 3u);
}

TEST(ParseHeader, ProseIsNotAHeader) {
  // A first line that looks like "key: value" but prose follows before any "---".
  EXPECT_FALSE(parse_header("Note: this is prose\nthat goes on.\n---\nmore\n").found);
  EXPECT_FALSE(parse_header("Plain text without any header.\n").found);
  EXPECT_FALSE(parse_header("http://example.org is a link\n---\n").found);
  // An opening "---" that is never closed.
  const Header open = parse_header("---\ntitle: x\nno end\n");
  EXPECT_FALSE(open.found);
  EXPECT_EQ(open.body_begin, 0u);
  // A lone "---" line (a markdown rule) at the start is no key-value header.
  EXPECT_FALSE(parse_header("---\n").found);
}

TEST(TextDocument, KeyValueFixture) {
  Collect c = extract_path(fixture("key-value.txt"), "core/key-value.txt");
  ASSERT_TRUE(c.problems.empty()) << c.problems[0].message();
  ASSERT_EQ(c.docs.size(), 1u);
  const Document& d = c.docs[0];
  EXPECT_EQ(d.doc_id, "core/key-value.txt");
  EXPECT_EQ(d.title, "Joint Readout: Inaugural NCG Meeting");
  EXPECT_EQ(d.date, "2023-07-18");
  EXPECT_EQ(d.url, "https://example.org/readout");
  EXPECT_EQ(d.language, "en");
  EXPECT_EQ(d.fields.at("license"), "public domain");
  EXPECT_EQ(d.fields.count("title"), 0u);
  EXPECT_TRUE(body_of(d).starts_with("The United States and the Republic of Korea"));
  EXPECT_TRUE(d.text.starts_with("source_url:"));  // offsets count the header
  EXPECT_EQ(d.source, fixture("key-value.txt").string());
}

TEST(TextDocument, FrontMatterMarkdownKeepsDeclaredTitle) {
  Collect c = extract_path(fixture("front-matter.md"), "front-matter.md");
  ASSERT_EQ(c.docs.size(), 1u);
  const Document& d = c.docs[0];
  EXPECT_EQ(d.title, "Alliance: the Next Step");
  EXPECT_EQ(d.date, "2024-07-11");
  EXPECT_EQ(d.url, "https://example.org/alliance");
  EXPECT_TRUE(body_of(d).starts_with("# A heading that is not the title"));
}

TEST(TextDocument, MarkdownTitleFallsBackToFirstHeading) {
  Collect c = extract_path(fixture("heading-title.md"), "heading-title.md");
  ASSERT_EQ(c.docs.size(), 1u);
  EXPECT_EQ(c.docs[0].title, "Extended Deterrence Notes");
  EXPECT_EQ(c.docs[0].body_begin, 0u);
  // A .txt file gets no title from a "#" line.
  testing::TempDir dir;
  const fs::path p = dir.write("notes.txt", "# Not a title\n\nText.\n");
  EXPECT_EQ(extract_path(p, "notes.txt").docs.at(0).title, "");
  EXPECT_EQ(markdown_title("```\n# in code\n```\n## Second level\n# Real ##\n", 0), "Real");
}

TEST(TextDocument, RefusedFilesNameTheReason) {
  testing::TempDir dir;
  struct Case {
    std::string name, content;
    ProblemKind kind;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"empty.txt", "", ProblemKind::kEmpty, "empty file"},
      {"binary.txt", std::string("PK\x03\x04\0\0data", 10), ProblemKind::kBinary, "binary file (NUL byte at offset 4)"},
      {"cp949.txt", "abc \xC7\xD1\xB1\xB9", ProblemKind::kEncoding,
       "not valid UTF-8 (byte 4); legacy encodings such as CP949 are not supported yet"},
      {"overlong.txt", "ok\xC0\xAF", ProblemKind::kEncoding,
       "not valid UTF-8 (byte 2); legacy encodings such as CP949 are not supported yet"},
  };
  for (const Case& c : cases) {
    const fs::path p = dir.write(c.name, c.content);
    Collect got = extract_path(p, c.name);
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(got.docs.empty());
    ASSERT_EQ(got.problems.size(), 1u);
    EXPECT_EQ(got.problems[0].kind, c.kind);
    EXPECT_EQ(got.problems[0].where, p.string());
    EXPECT_EQ(got.problems[0].reason, c.reason);
  }
  Collect missing = extract_path(dir.path() / "gone.txt", "gone.txt");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0].kind, ProblemKind::kUnreadable);
  EXPECT_TRUE(missing.problems[0].reason.starts_with("cannot open: ")) << missing.problems[0].reason;
}

TEST(Jsonl, IdTextAndMetadata) {
  Collect c = extract_path(fixture("docs.jsonl"), "data/docs.jsonl");
  ASSERT_TRUE(c.problems.empty()) << c.problems[0].message();
  ASSERT_EQ(c.docs.size(), 3u);  // the blank line is ignored
  EXPECT_EQ(c.docs[0].doc_id, "ncg-1");
  EXPECT_EQ(c.docs[0].title, "NCG");
  EXPECT_EQ(c.docs[0].date, "2023-07-18");
  EXPECT_EQ(c.docs[0].language, "en");
  EXPECT_EQ(c.docs[0].url, "https://example.org/ncg");
  EXPECT_EQ(c.docs[0].text, "The Nuclear Consultative Group strengthens extended deterrence.");
  EXPECT_EQ(c.docs[0].where, fixture("docs.jsonl").string() + ":1");
  EXPECT_EQ(c.docs[1].doc_id, "42");  // numbers are fine as ids
  EXPECT_EQ(c.docs[1].text, "한미 양국은 핵협의그룹을 통해 확장억제를 강화하였다.");
  EXPECT_EQ(c.docs[2].doc_id, "ncg-3");
  EXPECT_EQ(c.docs[2].where, fixture("docs.jsonl").string() + ":4");
  EXPECT_NE(c.docs[2].text.find("\n\n"), std::string::npos);  // JSON escapes decoded
}

TEST(Jsonl, MissingIdBecomesPathAndLine) {
  Collect c = extract_path(fixture("missing-id.jsonl"), "sub/missing-id.jsonl");
  ASSERT_EQ(c.docs.size(), 2u);
  EXPECT_EQ(c.docs[0].doc_id, "sub/missing-id.jsonl:1");
  EXPECT_EQ(c.docs[1].doc_id, "sub/missing-id.jsonl:2");
}

TEST(Jsonl, BadLinesAreReportedWithTheirLineNumberAndTheRestIsRead) {
  Collect c = extract_path(fixture("bad-line.jsonl"), "bad-line.jsonl");
  ASSERT_EQ(c.docs.size(), 2u);
  EXPECT_EQ(c.docs[0].doc_id, "good-1");
  EXPECT_EQ(c.docs[1].doc_id, "good-2");
  ASSERT_EQ(c.problems.size(), 3u);
  const std::string path = fixture("bad-line.jsonl").string();
  EXPECT_EQ(c.problems[0].where, path + ":2");
  EXPECT_EQ(c.problems[0].kind, ProblemKind::kBadLine);
  EXPECT_TRUE(c.problems[0].reason.starts_with("not valid JSON (")) << c.problems[0].reason;
  EXPECT_EQ(c.problems[1].where, path + ":3");
  EXPECT_EQ(c.problems[1].reason, "not a JSON object but an array");
  EXPECT_EQ(c.problems[2].where, path + ":4");
  EXPECT_EQ(c.problems[2].kind, ProblemKind::kNoText);
  EXPECT_NE(c.problems[2].reason.find("the line has: id, title"), std::string::npos) << c.problems[2].reason;
}

TEST(Jsonl, SpeechTextFallbackWithIdFieldAndCrlf) {
  ExtractOptions o;
  o.id_field = "division_number";
  Collect c = extract_path(fixture("speeches-like.jsonl"), "speeches-like.jsonl", o);
  ASSERT_TRUE(c.problems.empty()) << c.problems[0].message();
  ASSERT_EQ(c.docs.size(), 2u);
  EXPECT_EQ(c.docs[0].doc_id, "1308525");
  EXPECT_EQ(c.docs[0].title, "취임사");
  EXPECT_EQ(c.docs[0].date, "1998.02.25");
  EXPECT_TRUE(c.docs[0].text.starts_with("\r\n\u00a0\r\n존경하고")) << c.docs[0].text;
  EXPECT_EQ(c.docs[1].doc_id, "1308526");
  // Naming the field explicitly turns the fallback off.
  o.text_field = "text";
  o.text_field_given = true;
  Collect strict = extract_path(fixture("speeches-like.jsonl"), "speeches-like.jsonl", o);
  EXPECT_TRUE(strict.docs.empty());
  ASSERT_EQ(strict.problems.size(), 2u);
  EXPECT_TRUE(strict.problems[0].reason.starts_with("no field \"text\"")) << strict.problems[0].reason;
  o.text_field = "speech_text";
  EXPECT_EQ(extract_path(fixture("speeches-like.jsonl"), "s.jsonl", o).docs.size(), 2u);
}

TEST(Jsonl, LineLevelChecks) {
  const SourceFile f{"x.jsonl", "x.jsonl", Format::kJsonl, 0};
  const ExtractOptions o;
  Document d;
  Problem p;
  EXPECT_FALSE(parse_jsonl_line("{\"id\": \"a\", \"text\": \"  \"}", 7, 0, f, o, &d, &p));
  EXPECT_EQ(p.where, "x.jsonl:7");
  EXPECT_EQ(p.reason, "field \"text\" is empty");
  EXPECT_FALSE(parse_jsonl_line("{\"id\": \"a\", \"text\": 5}", 1, 0, f, o, &d, &p));
  EXPECT_EQ(p.reason, "field \"text\" is a number, not a string");
  EXPECT_FALSE(parse_jsonl_line("{\"id\": [1], \"text\": \"t\"}", 1, 0, f, o, &d, &p));
  EXPECT_EQ(p.kind, ProblemKind::kBadField);
  EXPECT_FALSE(parse_jsonl_line("{\"id\": \"a\", \"text\": \"caf\xe9\"}", 3, 100, f, o, &d, &p));
  EXPECT_EQ(p.reason, "not valid UTF-8 (byte 124); legacy encodings such as CP949 are not supported yet");
  EXPECT_FALSE(parse_jsonl_line("{\"a_text\": \"x\", \"b_text\": \"y\"}", 1, 0, f, o, &d, &p));
  EXPECT_NE(p.reason.find("several *_text fields (a_text, b_text)"), std::string::npos) << p.reason;
  ASSERT_TRUE(parse_jsonl_line("{\"content\": \"from content\", \"id\": 1.5}", 1, 0, f, o, &d, &p));
  EXPECT_EQ(d.text, "from content");
  EXPECT_EQ(d.doc_id, "1.5");
  ASSERT_TRUE(parse_jsonl_line("{\"body\": \"from body\", \"id\": null}", 9, 0, f, o, &d, &p));
  EXPECT_EQ(d.doc_id, "x.jsonl:9");
}

TEST(Jsonl, RefusedFiles) {
  testing::TempDir dir;
  Collect empty = extract_path(dir.write("e.jsonl", ""), "e.jsonl");
  ASSERT_EQ(empty.problems.size(), 1u);
  EXPECT_EQ(empty.problems[0].reason, "empty file");
  Collect binary = extract_path(dir.write("b.jsonl", std::string("{\"id\":1}\n\0\0", 11)), "b.jsonl");
  ASSERT_EQ(binary.problems.size(), 1u);
  EXPECT_EQ(binary.problems[0].kind, ProblemKind::kBinary);
  EXPECT_TRUE(binary.docs.empty());
  // Invalid UTF-8 on line 2: reported with the file's byte offset; line 1 still read.
  const std::string line1 = "{\"id\": \"ok\", \"text\": \"fine\"}\n";
  Collect bad = extract_path(dir.write("u.jsonl", line1 + "{\"text\": \"\xff\"}\n"), "u.jsonl");
  ASSERT_EQ(bad.docs.size(), 1u);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].where, (dir.path() / "u.jsonl").string() + ":2");
  EXPECT_EQ(bad.problems[0].reason, "not valid UTF-8 (byte " + std::to_string(line1.size() + 10) +
                                        "); legacy encodings such as CP949 are not supported yet");
}

TEST(Jsonl, LongLinesAcrossReadChunks) {
  testing::TempDir dir;
  const std::string big(3 * 1024 * 1024, 'a');  // longer than one read
  const fs::path p = dir.write("big.jsonl", "{\"id\": \"big\", \"text\": \"" + big + "\"}\n{\"id\": \"small\", \"text\": \"s\"}");
  Collect c = extract_path(p, "big.jsonl");
  ASSERT_EQ(c.docs.size(), 2u);
  EXPECT_EQ(c.docs[0].text.size(), big.size());
  EXPECT_EQ(c.docs[1].doc_id, "small");
  EXPECT_EQ(c.docs[1].source_end, fs::file_size(p));
}

TEST(Walk, SortedRecursiveOnlyKnownExtensions) {
  testing::TempDir dir;
  dir.write("root/b.txt", "b");
  dir.write("root/a.md", "a");
  dir.write("root/sub/c.jsonl", "{}");
  dir.write("root/sub/d.odt", "PK");
  dir.write("root/.hidden/e.txt", "e");
  dir.write("root/Z.TXT", "z");
  const fs::path root = dir.path() / "root";
  const WalkResult w = collect_inputs({root}, dir.path() / "db");
  std::vector<std::string> rels;
  for (const SourceFile& f : w.files) rels.push_back(f.rel);
  EXPECT_EQ(rels, (std::vector<std::string>{"Z.TXT", "a.md", "b.txt", "sub/c.jsonl"}));
  EXPECT_EQ(w.files[3].format, Format::kJsonl);
  EXPECT_EQ(w.files[3].path, root / "sub" / "c.jsonl");
  EXPECT_EQ(w.skipped.size(), 2u);  // .hidden, d.odt
  EXPECT_TRUE(w.problems.empty());
  EXPECT_EQ(w.roots, (std::vector<std::string>{root.lexically_normal().string()}));
}

TEST(Walk, ExplicitFilesMissingPathsLoopsAndTheIndexDirectory) {
  testing::TempDir dir;
  const fs::path data = dir.write("data/report.csv", "x").parent_path();
  dir.write("data/keep.txt", "k");
  dir.write("data/idx/iamglass", "");
  fs::create_directory_symlink(data, data / "loop");  // a loop back to data/
  const WalkResult w =
      collect_inputs({data / "report.csv", data, dir.path() / "nope", data / "keep.txt"}, data / "idx");
  ASSERT_EQ(w.files.size(), 2u);
  EXPECT_EQ(w.files[0].rel, "report.csv");  // named explicitly: read as text
  EXPECT_EQ(w.files[0].format, Format::kText);
  EXPECT_EQ(w.files[1].rel, "keep.txt");  // taken once although listed twice
  ASSERT_EQ(w.problems.size(), 1u);
  EXPECT_EQ(w.problems[0].kind, ProblemKind::kMissing);
  EXPECT_EQ(w.problems[0].where, (dir.path() / "nope").string());
  EXPECT_EQ(w.inputs_found, 3u);
  bool saw_loop = false, saw_index = false;
  for (const std::string& s : w.skipped) {
    saw_loop |= s.find("loop (symbolic link to a directory") != std::string::npos;
    saw_index |= s.find("idx (the index directory)") != std::string::npos;
  }
  EXPECT_TRUE(saw_loop);
  EXPECT_TRUE(saw_index);
}

}  // namespace
}  // namespace bisearch::indexer
