// fields_index_test.cc: schema 6 on the index side: metadata headers as users
// write them (continuations, quotes, block scalars, unreadable lines), the
// document's title/folder/field terms, its normalized date, key and folder
// values, the record's new fields, and the indexer's date warning.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/schema.h"
#include "indexer/extract.h"
#include "indexer/write.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

struct Collect : DocumentSink {
  std::vector<Document> docs;
  std::vector<Problem> problems;
  bool document(Document&& d) override {
    docs.push_back(std::move(d));
    return true;
  }
  void problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

Collect extract_text(const TempDir& dir, const std::string& rel, const std::string& content) {
  const fs::path path = dir.write(rel, content);
  SourceFile f{path, rel, format_for(path).value_or(Format::kText), 0};
  Collect c;
  extract(f, ExtractOptions{}, c);
  return c;
}

std::vector<std::string> terms_of(const Xapian::Document& d) {
  // record_document's document is not in a database: its termlist is its own.
  std::vector<std::string> out;
  for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it) out.push_back(*it);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(HeaderContinuation, WrappedValueIsJoinedWithOneSpace) {
  const std::string text =
      "source_url: https://example.org/a\n"
      "title: Remarks by Vice President Harris and Prime Minister Kishida of Japan Before\n"
      "  Bilateral Meeting\n"
      "date: 2023-01-13\n"
      "---\n"
      "Body.\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_TRUE(h.problems.empty());
  EXPECT_EQ(h.fields.at("title"),
            "Remarks by Vice President Harris and Prime Minister Kishida of Japan Before Bilateral Meeting");
  EXPECT_EQ(h.fields.at("date"), "2023-01-13");
  EXPECT_EQ(h.fields.at("source_url"), "https://example.org/a");
  EXPECT_EQ(text.substr(h.body_begin), "Body.\n");
}

TEST(HeaderContinuation, QuotedValuesAcrossLinesAndEscapes) {
  const std::string text =
      "---\n"
      "title: \"Leaders' Statement:\n"
      "  the \\\"Next\\\" Decade\"\n"
      "subtitle: 'it''s here'\n"
      "empty: ''\n"
      "---\n"
      "Body\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_TRUE(h.problems.empty());
  EXPECT_EQ(h.fields.at("title"), "Leaders' Statement: the \"Next\" Decade");
  EXPECT_EQ(h.fields.at("subtitle"), "it's here");
  EXPECT_EQ(h.fields.at("empty"), "");
}

TEST(HeaderContinuation, BlockScalarsAndLists) {
  const std::string text =
      "---\n"
      "title: >\n"
      "  Joint Statement on the\n"
      "  Guidelines\n"
      "summary: |-\n"
      "  line one\n"
      "  line two\n"
      "tags:\n"
      "  - nuclear\n"
      "  - \"NCG\"\n"
      "people:\n"
      "- Yoon\n"
      "- Biden\n"
      "# a comment\n"
      "date: 2024-07-11\n"
      "---\n"
      "Body\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  EXPECT_TRUE(h.problems.empty()) << h.problems[0].second;
  EXPECT_EQ(h.fields.at("title"), "Joint Statement on the Guidelines");
  EXPECT_EQ(h.fields.at("summary"), "line one\nline two");
  EXPECT_EQ(h.fields.at("tags"), "nuclear, NCG");
  EXPECT_EQ(h.fields.at("people"), "Yoon, Biden");
  EXPECT_EQ(h.fields.at("date"), "2024-07-11");
}

TEST(HeaderProblems, UnreadableLinesAreReportedWithTheirLineAndSkipped) {
  const std::string text =
      "title: Alliance Review\n"
      "this line has no colon\n"
      "Source URL: https://example.org\n"
      "date: 2023-04-26\n"
      "language: en\n"
      "---\n"
      "The body text.\n";
  const Header h = parse_header(text);
  ASSERT_TRUE(h.found);
  ASSERT_EQ(h.problems.size(), 2u);
  EXPECT_EQ(h.problems[0].first, 2u);
  EXPECT_NE(h.problems[0].second.find("no colon"), std::string::npos) << h.problems[0].second;
  EXPECT_EQ(h.problems[1].first, 3u);
  EXPECT_NE(h.problems[1].second.find("\"Source URL\""), std::string::npos) << h.problems[1].second;
  EXPECT_EQ(h.fields.at("title"), "Alliance Review");
  EXPECT_EQ(h.fields.at("date"), "2023-04-26");
  EXPECT_EQ(text.substr(h.body_begin), "The body text.\n");
}

TEST(HeaderProblems, LineNumbersCountTheOpeningFence) {
  const Header h = parse_header("---\ntitle: T\n  \n   orphan\nnot a line\n---\nBody\n");
  ASSERT_TRUE(h.found);
  // "   orphan" continues title (an indented line); "not a line" (line 5) is not readable.
  EXPECT_EQ(h.fields.at("title"), "T orphan");
  ASSERT_EQ(h.problems.size(), 1u);
  EXPECT_EQ(h.problems[0].first, 5u);
}

TEST(HeaderProblems, ProseStaysText) {
  EXPECT_FALSE(parse_header("Note: this is prose\nthat goes on.\n---\nmore\n").found);
  EXPECT_FALSE(parse_header("Summary: one\nline two\nline three\n---\n").found);
  // Markdown rules around prose are no front matter.
  const Header rules = parse_header("---\nJust a paragraph between rules.\n---\nMore.\n");
  EXPECT_FALSE(rules.found);
  EXPECT_EQ(rules.body_begin, 0u);
}

TEST(HeaderProblems, ExtractReportsProblemsAndIndexesTheRest) {
  TempDir dir;
  const Collect c = extract_text(dir, "notes/a.txt",
                                 "title: Review\nno colon here\ndate: 2023-04-26\n---\nThe text of the review.\n");
  ASSERT_EQ(c.docs.size(), 1u);
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].kind, ProblemKind::kBadHeader);
  EXPECT_EQ(c.problems[0].where, (dir.path() / "notes/a.txt").string() + ":2");
  const Document& d = c.docs[0];
  EXPECT_EQ(d.title, "Review");
  EXPECT_EQ(d.date, "2023-04-26");
  EXPECT_EQ(d.text.substr(d.body_begin), "The text of the review.\n");
  EXPECT_EQ(d.rel, "notes/a.txt");
  EXPECT_EQ(d.content_key, schema::content_key("The text of the review.\n"));
}

TEST(Schema6, ContentKeyIgnoresHeadersAndWhitespaceOnly) {
  TempDir dir;
  const Collect a = extract_text(dir, "core/a.txt", "title: A\nrepo_path: x/a\n---\nSame text\nwrapped here.\n");
  const Collect b = extract_text(dir, "copies/b.txt", "title: B\nrepo_path: y/b\n---\r\nSame text wrapped\r\nhere.\r\n");
  const Collect other = extract_text(dir, "c.txt", "title: A\n---\nSame text wrapped here!\n");
  ASSERT_EQ(a.docs.size(), 1u);
  ASSERT_EQ(b.docs.size(), 1u);
  ASSERT_EQ(other.docs.size(), 1u);
  EXPECT_EQ(a.docs[0].content_key.size(), 16u);
  EXPECT_EQ(a.docs[0].content_key, b.docs[0].content_key);
  EXPECT_NE(a.docs[0].content_key, other.docs[0].content_key);
}

TEST(Schema6, FolderTermsAndFolder) {
  EXPECT_EQ(schema::folder_terms("core/wd.txt"), (std::vector<std::string>{"XPcore", "XPcore/wd.txt"}));
  EXPECT_EQ(schema::folder_terms("a/b/c.jsonl"), (std::vector<std::string>{"XPa", "XPa/b", "XPa/b/c.jsonl"}));
  EXPECT_EQ(schema::folder_terms("top.txt"), (std::vector<std::string>{"XPtop.txt"}));
  EXPECT_TRUE(schema::folder_terms("").empty());
  EXPECT_EQ(schema::folder_of("a/b/c.txt"), "a/b");
  EXPECT_EQ(schema::folder_of("c.txt"), "");
}

TEST(Schema6, FieldTermsAreCaseFolded) {
  EXPECT_EQ(schema::field_term("president", "김대중"), "XFpresident=김대중");
  EXPECT_EQ(schema::field_term("kind", "  Press   Release "), "XFkind=press release");
  EXPECT_EQ(schema::field_term("kind", "ＰＲＥＳＳ"), "XFkind=press");
  EXPECT_LE(schema::field_term("k", std::string(500, 'x')).size(), 240u);
}

TEST(Schema6, KeptFieldsAreShortNamedScalars) {
  Document d;
  d.fields = {{"president", "김대중"}, {"Kind", "취임사"}, {"__index_level_0__", "8557"},
              {"long", std::string(schema::kMaxFieldValueBytes + 1, 'x')}, {"empty", ""},
              {"multi", "a\nb"}, {"two words", "x"}};
  const auto kept = kept_fields(d);
  EXPECT_EQ(kept, (std::vector<std::pair<std::string, std::string>>{{"kind", "취임사"}, {"president", "김대중"}}));
}

Document sample_document() {
  Document d;
  d.doc_id = "core/wd.txt";
  d.rel = "core/wd.txt";
  d.source = "/data/core/wd.txt";
  d.title = "Washington Declaration";
  d.date = "April 26, 2023";
  d.fields = {{"kind", "Statement"}, {"license", "public domain"}};
  d.text = "title: Washington Declaration\n---\nThe alliance met in Seoul.\n";
  d.body_begin = d.text.find("The");
  d.content_key = schema::content_key(std::string_view(d.text).substr(d.body_begin));
  return d;
}

TEST(Schema6, PassageTermsAndValues) {
  const Document d = sample_document();
  const Span span{d.body_begin, d.text.size()};
  const Xapian::Document xd = passage_document(d, 0, span, "en", title_tokens(d.title));
  const std::vector<std::string> t = terms_of(xd);
  // Title words are S terms, not free text.
  EXPECT_TRUE(has(t, "Swashington"));
  EXPECT_TRUE(has(t, "Sdeclaration"));
  EXPECT_TRUE(has(t, "SZdeclar"));
  EXPECT_FALSE(has(t, "washington"));
  EXPECT_FALSE(has(t, "declaration"));
  EXPECT_TRUE(has(t, "alliance"));
  EXPECT_TRUE(has(t, "seoul"));
  EXPECT_FALSE(has(t, "Salliance"));
  EXPECT_TRUE(has(t, "XPcore"));
  EXPECT_TRUE(has(t, "XPcore/wd.txt"));
  EXPECT_TRUE(has(t, "XFkind=statement"));
  EXPECT_TRUE(has(t, "XFlicense=public domain"));
  EXPECT_EQ(xd.get_value(schema::kSlotDate), "2023-04-26");
  EXPECT_EQ(xd.get_value(schema::kSlotDocKey), d.content_key);
  EXPECT_EQ(xd.get_value(schema::kSlotFolder), "core");
  const auto r = schema::deserialize(schema::stored_record(xd));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->date, "April 26, 2023");  // the original, for display
  EXPECT_EQ(r->path, "core/wd.txt");
  EXPECT_EQ(r->doc_key, d.content_key);
  EXPECT_EQ(r->fields, (std::vector<std::pair<std::string, std::string>>{{"kind", "Statement"},
                                                                          {"license", "public domain"}}));
  // The record alone gives the same document again (what a rename does).
  const Xapian::Document again = record_document(*r, title_tokens(r->title));
  EXPECT_EQ(terms_of(again), t);
  EXPECT_EQ(again.get_value(schema::kSlotDate), "2023-04-26");
  EXPECT_EQ(again.get_value(schema::kSlotFolder), "core");
}

TEST(Schema6, UnderstoodAndNotUnderstoodDates) {
  Document d = sample_document();
  const Span span{d.body_begin, d.text.size()};
  d.date = "2023-13-45";
  const Xapian::Document bad = passage_document(d, 0, span, "en", {});
  EXPECT_EQ(bad.get_value(schema::kSlotDate), "");
  EXPECT_EQ(schema::deserialize(schema::stored_record(bad))->date, "2023-13-45");
  d.date = "1993.03";
  EXPECT_EQ(passage_document(d, 0, span, "en", {}).get_value(schema::kSlotDate), "1993-03");
  d.rel = "top.txt";
  EXPECT_EQ(passage_document(d, 0, span, "en", {}).get_value(schema::kSlotFolder), "");
}

TEST(Schema6, RecordsWithoutTheNewFieldsStillRead) {
  schema::PassageRecord r;
  r.doc_id = "x";
  r.text = "hello";
  r.end = 5;
  r.lang = "en";
  const auto back = schema::deserialize(schema::serialize(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->path, "");
  EXPECT_EQ(back->doc_key, "");
  EXPECT_TRUE(back->fields.empty());
  r.fields = {{"a", "x=y"}};
  EXPECT_EQ(schema::deserialize(schema::serialize(r))->fields, r.fields);
}

// The CLI: bad dates are a warning in the summary, unreadable header lines a
// problem naming FILE:LINE; the rest is indexed and the header never is.
TEST(Schema6Cli, BadDateAndHeaderLine) {
  TempDir dir;
  dir.write("in/good.txt", "title: Good\ndate: 2023. 4. 26.\n---\nThe nuclear consultative group met.\n");
  dir.write("in/sub/bad-date.txt", "title: Bad Date\ndate: 2023-13-45\n---\nExtended deterrence was discussed.\n");
  dir.write("in/sub/bad-line.txt",
            "title: Bad Line\nsomething zebrafish without colon\nkind: memo\n---\nThe alliance was reviewed.\n");
  const std::string db = (dir.path() / "idx").string();
  const testing::RunResult r = testing::run_index({"--db", db, (dir.path() / "in").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string bad_line = (dir.path() / "in/sub/bad-line.txt").string() + ":2: ";
  EXPECT_NE(r.err.find(bad_line), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("1 date not understood, e.g. " + (dir.path() / "in/sub/bad-date.txt").string() +
                       ": '2023-13-45'"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("indexed 3 documents"), std::string::npos) << r.out;
  Xapian::Database x(db);
  EXPECT_EQ(x.get_metadata(schema::kMetaFields), "kind");
  EXPECT_EQ(testing::live_postings(x, "zebrafish"), 0u);  // the unreadable line is not text
  EXPECT_EQ(testing::live_postings(x, "XFkind=memo"), 1u);
  EXPECT_EQ(testing::live_postings(x, "XPsub"), 2u);
  EXPECT_EQ(testing::live_postings(x, "XPgood.txt"), 1u);
  EXPECT_EQ(testing::live_postings(x, "Sgood"), 1u);
  EXPECT_EQ(testing::live_postings(x, "good"), 0u);
  for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
    const Xapian::Document d = x.get_document(*it);
    const auto rec = schema::read_record(d, x);
    ASSERT_TRUE(rec);
    if (rec->title == "Good") {
      EXPECT_EQ(d.get_value(schema::kSlotDate), "2023-04-26");
    }
    if (rec->title == "Bad Date") {
      EXPECT_EQ(d.get_value(schema::kSlotDate), "");
    }
    EXPECT_EQ(d.get_value(schema::kSlotFolder), rec->title == "Good" ? "" : "sub");
  }
}

// A renamed file's passages get the new folder terms and folder value.
TEST(Schema6Cli, RenameMovesFolderTerms) {
  TempDir dir;
  dir.write("in/old/a.txt", "title: Moved\n---\nA passage about the alliance.\n");
  const std::string db = (dir.path() / "idx").string();
  ASSERT_EQ(testing::run_index({"--db", db, (dir.path() / "in").string()}).exit_code, 0);
  fs::create_directories(dir.path() / "in/new");
  fs::rename(dir.path() / "in/old/a.txt", dir.path() / "in/new/a.txt");
  const testing::RunResult r = testing::run_index({"--db", db, (dir.path() / "in").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 renamed"), std::string::npos) << r.out;
  Xapian::Database x(db);
  EXPECT_EQ(testing::live_postings(x, "XPold"), 0u);
  EXPECT_EQ(testing::live_postings(x, "XPnew"), 1u);
  EXPECT_EQ(testing::live_postings(x, "XPnew/a.txt"), 1u);
  EXPECT_EQ(testing::live_postings(x, "Smoved"), 1u);
}

}  // namespace
}  // namespace bisearch::indexer
