// indexer_cli_test.cc: bisearch-index end to end (exit codes, messages, index contents) and run() hooks.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/schema.h"
#include "indexer/indexer.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;
using testing::RunResult;
using testing::TempDir;

const auto index = &testing::run_index;

const auto slurp = &bisearch::testing::read_file;

std::vector<schema::PassageRecord> records(const Xapian::Database& db) {
  std::vector<schema::PassageRecord> out;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    auto r = schema::deserialize(schema::stored_record(db.get_document(*it)));
    EXPECT_TRUE(r.has_value());
    if (r) out.push_back(*r);
  }
  return out;
}

size_t count_lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

const char* kGood =
    "title: Good file\n"
    "date: 2024-01-02\n"
    "---\n"
    "The Nuclear Consultative Group met again to discuss deterrence.\n"
    "\n"
    "한미 양국은 확장억제 협의를 계속하기로 하였으며 다음 회의는 서울에서 열린다.\n";

TEST(IndexerCli, IndexesTheCorpus) {
  TempDir tmp;
  const fs::path db = tmp.path() / "idx";
  const RunResult r = index({"--db", db.string(), testing::corpus_dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal
  EXPECT_TRUE(std::regex_match(
      r.out, std::regex("indexed 1 document, 2 passages \\(ko 1, en 1, mixed 0\\) from 1 file in [0-9.]+ s; "
                        "0 failed, 0 skipped; index .*idx \\([0-9.]+ (KiB|MiB)\\)\n"
                        "cross-language: 1 aligned group; lexicon of [0-9]+ translations from 7 sentence pairs\n")))
      << r.out;

  Xapian::Database x(db.string());
  EXPECT_EQ(bisearch::testing::live_passages(x), 2u);
  EXPECT_EQ(x.get_metadata(schema::kMetaAnalyzer), schema::analyzer_id());
  EXPECT_EQ(x.get_metadata(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
  EXPECT_EQ(x.get_metadata(schema::kMetaRoot), fs::absolute(testing::corpus_dir()).lexically_normal().string());
  EXPECT_EQ(bisearch::testing::live_postings(x, "Lko"), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "Len"), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "K핵협의그룹"), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "확장"), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "Zdeterr"), 2u);  // the Korean abstract has "(trilateral deterrence)" too
  EXPECT_EQ(bisearch::testing::live_postings(x, "Zinaugur"), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "nuclear"), 2u);
  const std::string id = "extended-deterrence-2.0.ko-en.txt";
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term(id)), 2u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::uid_term(id, 0)), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::uid_term(id, 1)), 1u);
  EXPECT_FALSE(x.has_positions()) << "schema 3 stores no positions";

  const std::string file = slurp(testing::corpus_dir() / id);
  const auto recs = records(x);
  ASSERT_EQ(recs.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(recs[i].doc_id, id);
    EXPECT_EQ(recs[i].passage, i);
    EXPECT_EQ(recs[i].text, file.substr(recs[i].begin, recs[i].end - recs[i].begin));
    EXPECT_EQ(recs[i].source, (testing::corpus_dir() / id).string());
  }
  EXPECT_EQ(recs[0].lang, "ko");
  EXPECT_EQ(recs[1].lang, "en");
  EXPECT_EQ(recs[0].begin, 0u);

  // The passage id term finds the passage; the language is a value.
  Xapian::Document d = x.get_document(*x.postlist_begin(schema::uid_term(id, 1)));
  const auto rec = schema::deserialize(schema::stored_record(d));
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->doc_id, id);
  EXPECT_EQ(rec->passage, 1u);
  EXPECT_EQ(d.get_value(schema::kSlotLang), "en");
  EXPECT_EQ(schema::uid_term(id, 1).size(), 1u + 16 + 2);
  EXPECT_NE(schema::uid_term(id, 1), schema::uid_term(id + "x", 1));
}

TEST(IndexerCli, BadFilesFailOneByOneAndTheGoodFileIsIndexed) {
  TempDir tmp;
  tmp.write("in/good.txt", kGood);
  tmp.write("in/binary.txt", std::string("\x7f" "ELF\0\0\0\0", 8));
  tmp.write("in/latin1.txt", "caf\xe9 au lait");
  tmp.write("in/empty.md", "");
  tmp.write("in/image.png", "not indexed");
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  const RunResult r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("bisearch-index: " + (in / "binary.txt").string() + ": binary file (NUL byte at offset 4)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bisearch-index: " + (in / "latin1.txt").string() +
                       ": not valid UTF-8 (byte 3); legacy encodings such as CP949 are not supported yet\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bisearch-index: " + (in / "empty.md").string() + ": empty file\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("good.txt"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 3u) << r.err;
  EXPECT_NE(r.out.find("indexed 1 document, 2 passages (ko 1, en 1, mixed 0) from 1 file in "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("; 3 failed, 1 skipped; "), std::string::npos) << r.out;

  Xapian::Database x(db.string());
  const auto recs = records(x);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].doc_id, "good.txt");
  EXPECT_EQ(recs[0].title, "Good file");
  EXPECT_EQ(recs[0].date, "2024-01-02");
  EXPECT_EQ(recs[0].text, "The Nuclear Consultative Group met again to discuss deterrence.");
  EXPECT_EQ(recs[0].begin, std::string(kGood).find("The Nuclear"));  // offsets count the header
  EXPECT_EQ(recs[1].lang, "ko");
  EXPECT_EQ(x.get_document(*x.postlist_begin("Lko")).get_value(schema::kSlotDate), "2024-01-02");
}

TEST(IndexerCli, MissingInputs) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  const std::string nope = (tmp.path() / "no-such-dir").string();
  RunResult r = index({"--db", db.string(), nope});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bisearch-index: " + nope + ": no such file or directory\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(db));  // nothing to index: no empty index is created
  // One missing input among existing ones is a failed input, not a failed job.
  const fs::path good = tmp.write("good.txt", kGood);
  r = index({"--db", db.string(), nope, good.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(nope + ": no such file or directory"), std::string::npos) << r.err;
  EXPECT_EQ(bisearch::testing::live_passages(db), 2u);
}

TEST(IndexerCli, ReindexingReplacesInsteadOfDuplicating) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  const fs::path f = tmp.write("in/doc.txt", std::string(kGood) + "\nA third paragraph that will later be removed again.\n");
  ASSERT_EQ(index({"--db", db.string(), (tmp.path() / "in").string()}).exit_code, 0);
  EXPECT_EQ(bisearch::testing::live_passages(db), 3u);
  RunResult r = index({"--db", db.string(), (tmp.path() / "in").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(bisearch::testing::live_passages(db), 3u);
  tmp.write("in/doc.txt", kGood);  // the document shrinks to two passages
  r = index({"--db", db.string(), f.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Xapian::Database x(db.string());
  EXPECT_EQ(bisearch::testing::live_passages(x), 2u);
  EXPECT_EQ(bisearch::testing::live_postings(x, "removed"), 0u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("doc.txt")), 2u);
}

TEST(IndexerCli, AnalyzerMismatchFailsTheWholeRun) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  ASSERT_EQ(index({"--db", db.string(), testing::corpus_dir().string()}).exit_code, 0);
  {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    w.set_metadata(schema::kMetaAnalyzer, "other-analyzer/7");
    w.commit();
  }
  const fs::path more = tmp.write("more.txt", kGood);
  const RunResult r = index({"--db", db.string(), more.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index was built by analyzer other-analyzer/7, this is " +
                       schema::analyzer_id() + "; index into a new --db\n");
  Xapian::Database x(db.string());
  EXPECT_EQ(bisearch::testing::live_passages(x), 2u);
  EXPECT_EQ(x.get_metadata(schema::kMetaAnalyzer), "other-analyzer/7");
}

TEST(IndexerCli, LockedIndexAndForeignDirectory) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  const fs::path good = tmp.write("good.txt", kGood);
  {
    Xapian::WritableDatabase holder(db.string(), Xapian::DB_CREATE_OR_OPEN);
    const RunResult r = index({"--db", db.string(), good.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index is being updated by another process (lock held)\n");
  }
  const fs::path notes = tmp.write("notes/readme.txt", "my notes").parent_path();
  const RunResult r = index({"--db", notes.string(), good.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(notes.string() + ": directory exists and is not a Xapian index"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(notes / "iamglass"));
}

TEST(IndexerCli, JsonlFieldFlagsAndLineErrors) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  const fs::path fixtures = testing::fixtures_dir() / "index";
  RunResult r = index({"--db", db.string(), "--id-field", "division_number", (fixtures / "speeches-like.jsonl").string(),
                       (fixtures / "bad-line.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string bad = (fixtures / "bad-line.jsonl").string();
  EXPECT_NE(r.err.find(bad + ":2: not valid JSON ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad + ":3: not a JSON object"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad + ":4: no text field"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("indexed 4 documents"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 failed (3 errors)"), std::string::npos) << r.out;
  Xapian::Database x(db.string());
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("1308525")), 2u);  // "\n\r\n" splits the speech
  // --id-field applies to every input: bad-line.jsonl has no division_number.
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("bad-line.jsonl:1")), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("bad-line.jsonl:5")), 1u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("good-1")), 0u);
  // The record keeps offsets into the decoded text field.
  const auto recs = records(x);
  ASSERT_FALSE(recs.empty());
  EXPECT_EQ(recs[0].doc_id, "1308525");
  EXPECT_EQ(recs[0].begin, std::string("\r\n\u00a0\r\n").size());
  EXPECT_TRUE(recs[0].text.starts_with("존경하고"));
}

TEST(IndexerCli, ManyLineErrorsAreCappedAndTextlessFilesFoldIntoOneLine) {
  TempDir tmp;
  std::string many, manifest;
  for (int i = 0; i < 9; ++i) many += "{\"id\": " + std::to_string(i) + ", \"text\": \"bad\n";
  many += "{\"id\": \"fine\", \"text\": \"one good line\"}\n";
  for (int i = 0; i < 40; ++i) manifest += "{\"path\": \"a/" + std::to_string(i) + ".txt\", \"title\": \"t\"}\n";
  tmp.write("in/many.jsonl", many);
  tmp.write("in/manifest.jsonl", manifest);
  const RunResult r = index({"--db", (tmp.path() / "db").string(), (tmp.path() / "in").string()});
  EXPECT_EQ(r.exit_code, 1);
  const std::string m = (tmp.path() / "in" / "many.jsonl").string();
  EXPECT_NE(r.err.find(m + ":5: not valid JSON"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(m + ":6: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(m + ": 4 more errors not shown\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((tmp.path() / "in" / "manifest.jsonl").string() +
                       ": none of its 40 lines has text: no text field (looked for \"text\", \"body\", \"content\", "
                       "\"*_text\"; the line has: path, title); name one with --text-field\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count_lines(r.err), 7u) << r.err;
  EXPECT_NE(r.out.find("indexed 1 document, 1 passage "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 failed (49 errors)"), std::string::npos) << r.out;
}

TEST(IndexerCli, DuplicateIdsInOneRun) {
  TempDir tmp;
  tmp.write("a.jsonl",
            "{\"id\": \"same\", \"text\": \"first text for the id\"}\n{\"id\": \"same\", \"text\": \"second text\"}\n");
  const RunResult r = index({"--db", (tmp.path() / "db").string(), (tmp.path() / "a.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  const std::string a = (tmp.path() / "a.jsonl").string();
  EXPECT_NE(r.err.find(a + ":2: document id \"same\" is already used by " + a + ":1; not indexed"), std::string::npos)
      << r.err;
  Xapian::Database x((tmp.path() / "db").string());
  ASSERT_EQ(bisearch::testing::live_passages(x), 1u);
  EXPECT_EQ(records(x)[0].text, "first text for the id");
}

TEST(IndexerCli, ArgumentsHelpQuietVerbose) {
  TempDir tmp;
  RunResult r = index({testing::corpus_dir().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
  r = index({"--db", (tmp.path() / "db").string()});
  EXPECT_EQ(r.exit_code, 2);
  r = index({"--db", (tmp.path() / "db").string(), "--batch", "0", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--batch must be at least 1"), std::string::npos) << r.err;
  r = index({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"--id-field", "--text-field", "Passages:", "Exit status:", "bisearch-index --db idx corpus/"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;

  tmp.write("in/a.txt", kGood);
  tmp.write("in/b.odt", "PK");
  r = index({"--db", (tmp.path() / "db").string(), "--quiet", (tmp.path() / "in").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  r = index({"--db", (tmp.path() / "db").string(), "--verbose", (tmp.path() / "in").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("skipped " + (tmp.path() / "in" / "b.odt").string() + " (not a format bisearch reads)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find((tmp.path() / "in" / "a.txt").string() + ": 1 document, 2 passages"), std::string::npos)
      << r.err;
}

TEST(IndexerRun, StopRequestCommitsWholeDocumentsAndReportsInterruption) {
  TempDir tmp;
  for (int i = 0; i < 5; ++i)
    tmp.write("in/doc" + std::to_string(i) + ".txt",
              "Paragraph one of document " + std::to_string(i) + " is long enough.\n\nParagraph two follows it with enough words.\n");
  IndexArgs args;
  args.db = (tmp.path() / "db").string();
  args.paths = {(tmp.path() / "in").string()};
  args.batch = 1;  // commit after every document
  const IndexerOptions options = to_options(args);
  int documents_seen = 0;
  RunHooks hooks;
  hooks.progress = [&](const ProgressInfo& p) { documents_seen = static_cast<int>(p.documents); };
  hooks.stop_requested = [&] { return documents_seen >= 2; };
  const IndexSummary s = run(options, hooks);
  EXPECT_TRUE(s.interrupted);
  EXPECT_EQ(exit_code(s), 130);
  EXPECT_EQ(s.documents, 2u);
  EXPECT_EQ(s.passages, 4u);
  EXPECT_TRUE(format_summary(s, "db").starts_with("interrupted; indexed 2 documents, 4 passages")) << format_summary(s, "db");
  Xapian::Database x(args.db);
  EXPECT_EQ(bisearch::testing::live_passages(x), 4u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("doc1.txt")), 2u);
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("doc2.txt")), 0u);
}

TEST(IndexerRun, SummaryFormatting) {
  IndexSummary s;
  s.documents = 1;
  s.passages = 2;
  s.passages_ko = 1;
  s.passages_en = 1;
  s.files = 1;
  s.seconds = 0.049;
  s.index_bytes = 312 * 1024;
  EXPECT_EQ(format_summary(s, "idx"),
            "indexed 1 document, 2 passages (ko 1, en 1, mixed 0) from 1 file in 0.05 s; 0 failed, 0 skipped; "
            "index idx (312 KiB)");
  EXPECT_EQ(exit_code(s), 0);
  s.problems = 1;
  EXPECT_EQ(exit_code(s), 1);
  EXPECT_EQ(format_size(1000), "1000 B");
  EXPECT_EQ(format_size(5 * 1024 * 1024 + 512 * 1024), "5.5 MiB");
}

}  // namespace
}  // namespace bisearch::indexer
