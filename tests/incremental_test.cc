// incremental_test.cc: index updates from the manifest: adds, edits, deletes, renames, failures, scope,
// dry runs, interruptions; an updated index equals a from-scratch build (passages and top-10).
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <unicode/ucnv.h>

#include "analysis/schema.h"
#include "indexer/generation.h"
#include "indexer/indexer.h"
#include "indexer/manifest.h"
#include "indexer/walk.h"
#include "query/rank.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;
using testing::RunResult;
using testing::TempDir;

const auto index = &testing::run_index;

// The line "files: ..." of an update's output.
std::string changes_line(const std::string& out) {
  size_t p = out.starts_with("files: ") ? 0 : out.find("\nfiles: ");
  if (p == std::string::npos) return "";
  if (p > 0) ++p;
  return out.substr(p, out.find('\n', p) - p);
}

using PassageKey = std::tuple<std::string, uint32_t, std::string, std::string, std::string, std::string, uint64_t,
                              uint64_t, std::string>;

// Every passage of @p db: doc id, passage number, text, title, date, lang, offsets, source.
std::set<PassageKey> passages(const fs::path& db) {
  Xapian::Database x(db.string());
  std::set<PassageKey> out;
  for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
    Xapian::Document d = x.get_document(*it);
    auto r = schema::deserialize(schema::stored_record(d));
    EXPECT_TRUE(r.has_value());
    if (!r) continue;
    // The language value agrees with the record, and the passage id is in
    // one document only (superseded passages are deleted).
    EXPECT_EQ(d.get_value(schema::kSlotLang), r->lang);
    EXPECT_EQ(x.get_termfreq(schema::uid_term(r->doc_id, r->passage)), 1u) << r->doc_id << "#" << r->passage;
    out.emplace(r->doc_id, r->passage, r->text, r->title, r->date, r->lang, r->begin, r->end, r->source);
  }
  EXPECT_EQ(out.size(), x.get_doccount());
  return out;
}

// Top 10 of @p query as "doc#passage score" lines, ties ordered by id.
std::vector<std::pair<double, std::string>> top10(const fs::path& db, const std::string& query) {
  query::SearchOptions o;
  o.dbs = {db.string()};
  query::Searcher s(o);
  std::vector<std::pair<double, std::string>> out;
  for (const query::Hit& h : s.search(query).hits)
    out.emplace_back(h.score, h.record.doc_id + "#" + std::to_string(h.record.passage));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (std::abs(a.first - b.first) > 1e-9) return a.first > b.first;
    return a.second < b.second;
  });
  return out;
}

void expect_same_top10(const fs::path& a, const fs::path& b, const std::string& query) {
  const auto x = top10(a, query), y = top10(b, query);
  ASSERT_EQ(x.size(), y.size()) << query;
  const double last = x.empty() ? 0 : x.back().first;
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(x[i].first, y[i].first, 1e-9) << query << " rank " << i + 1;
    if (x[i].first > last + 1e-9) {
      EXPECT_EQ(x[i].second, y[i].second) << query << " rank " << i + 1;
    }
  }
}

// Every passage matching @p query in @p db, as "doc#passage".
std::set<std::string> all_matches(const fs::path& db, const std::string& query) {
  std::set<std::string> out;
  for (const query::Hit& h : testing::all_hits(db, query))
    out.insert(h.record.doc_id + "#" + std::to_string(h.record.passage));
  return out;
}

std::string para(const std::string& topic, int n) {
  return "This paragraph " + std::to_string(n) + " is about " + topic +
         " and the alliance between Korea and the United States.\n\n"
         "한미 동맹은 " + topic + " 문제를 논의하였으며 확장억제 협의를 계속하기로 하였다 " + std::to_string(n) + ".\n\n";
}

Xapian::rev revision(const fs::path& db) { return Xapian::Database(db.string()).get_revision(); }

std::map<std::string, FileEntry> manifest_of(const fs::path& db) {
  return load_manifest(Xapian::Database(db.string()));
}

const FileEntry* entry_for(const std::map<std::string, FileEntry>& m, const std::string& rel) {
  for (const auto& [k, e] : m)
    if (e.rel == rel) return &e;
  return nullptr;
}

TEST(Manifest, EntryRoundTripsAndKeysAreStable) {
  FileEntry e;
  e.root = "/data/in";
  e.rel = "a b/파일.jsonl";
  e.size = 123;
  e.mtime_ns = 1700000000123456789;
  e.hash = 0xfedcba9876543210ULL;
  e.analyzer = "x/1";
  e.status = FileStatus::kFailed;
  e.encoding = "CP949";
  e.problem_count = 7;
  e.problems = {{":3", "not valid JSON"}, {"", "5 more errors not shown"}};
  e.docs = {{"id:1\nwith newline", 3}, {"", 1}};
  const auto back = parse_entry(serialize_entry(e));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->root, e.root);
  EXPECT_EQ(back->rel, e.rel);
  EXPECT_EQ(back->size, 123u);
  EXPECT_EQ(back->mtime_ns, e.mtime_ns);
  EXPECT_EQ(back->hash, e.hash);
  EXPECT_EQ(back->status, FileStatus::kFailed);
  EXPECT_EQ(back->encoding, "CP949");
  EXPECT_EQ(back->problem_count, 7u);
  ASSERT_EQ(back->problems.size(), 2u);
  EXPECT_EQ(back->problems[0].at, ":3");
  ASSERT_EQ(back->docs.size(), 2u);
  EXPECT_EQ(back->docs[0].id, "id:1\nwith newline");
  EXPECT_EQ(back->passages(), 4u);
  EXPECT_EQ(e.path(), "/data/in/a b/파일.jsonl");
  // The persistent format: a checked-in entry must keep parsing.
  const std::string old = "2:m13:/in5:a.txt1:91:516:00000000000000ff5:ana/12:ok0:1:01:01:15:a.txt1:2";
  const auto o = parse_entry(old);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->rel, "a.txt");
  EXPECT_EQ(o->hash, 0xffu);
  EXPECT_EQ(o->docs.at(0).passages, 2u);
  EXPECT_FALSE(parse_entry("2:m2").has_value());
  EXPECT_EQ(file_key("/in", "a.txt"), std::string(kManifestPrefix) + "17d1116177ec0626");
  EXPECT_EQ(content_hash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(content_hash("a"), 0xaf63dc4c8601ec8cULL);
}

// The scripted sequence of the issue: adds, edits (one keeping its mtime
// and size), deletes, renames and a touch; the updated index must hold the
// same passages as a fresh build and match the same; rebuilt, it ranks the same.
TEST(Incremental, UpdatedIndexEqualsFromScratchBuild) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  for (int i = 0; i < 12; ++i)
    tmp.write("in/d" + std::to_string(i / 4) + "/doc" + std::to_string(i) + ".txt",
              "title: Doc " + std::to_string(i) + "\n---\n" + para("deterrence", i) + para("trade", i + 100));
  tmp.write("in/notes.md", "# Notes heading\n\n" + para("semiconductors", 7));
  tmp.write("in/speeches.jsonl",
            "{\"id\": \"s1\", \"text\": \"The first speech talks about the nuclear umbrella at length.\"}\n"
            "{\"text\": \"A line without an id speaks of supply chains and batteries.\"}\n");
  tmp.write("in/same name.txt", para("spaces in names", 1));
  RunResult r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "") << r.out;  // a fresh build prints the usual line only

  // No change at all: nothing analyzed, nothing written.
  const Xapian::rev rev0 = revision(db);
  r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 15 unchanged, 0 failed");
  EXPECT_NE(r.out.find("indexed 0 documents"), std::string::npos) << r.out;
  EXPECT_EQ(revision(db), rev0);

  // The changes.
  tmp.write("in/d0/doc1.txt", "title: Doc 1 edited\n---\n" + para("export controls", 1));  // edit
  {
    // Same size, same mtime, different bytes: only the hash can tell.
    const fs::path f = in / "d1" / "doc5.txt";
    const auto mtime = fs::last_write_time(f);
    std::string text;
    {
      std::ifstream s(f, std::ios::binary);
      std::ostringstream o;
      o << s.rdbuf();
      text = o.str();
    }
    const size_t p = text.find("deterrence");
    ASSERT_NE(p, std::string::npos);
    text.replace(p, 10, "submarines");
    tmp.write("in/d1/doc5.txt", text);
    fs::last_write_time(f, mtime);
  }
  fs::remove(in / "d2" / "doc9.txt");                                  // delete
  fs::rename(in / "d2" / "doc10.txt", in / "d0" / "moved10.txt");      // rename
  fs::rename(in / "speeches.jsonl", in / "d1" / "talks.jsonl");        // rename, id-less line
  fs::last_write_time(in / "notes.md", fs::last_write_time(in / "notes.md") + std::chrono::seconds(5));  // touch
  tmp.write("in/new/added.txt", para("critical minerals", 3));         // add
  tmp.write("in/new/added2.md", "# Another\n\n" + para("shipbuilding", 4));

  r = index({"--db", db.string(), "--dry-run", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rename " + (in / "speeches.jsonl").string() + " -> " + (in / "d1" / "talks.jsonl").string()),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("change " + (in / "d1" / "doc5.txt").string() + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("remove " + (in / "d2" / "doc9.txt").string() + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(changes_line(r.out), "");
  EXPECT_NE(r.out.find("would change files: 2 added, 2 changed, 1 removed, 2 renamed, 10 unchanged, 0 failed"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(revision(db), rev0);

  r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 2 added, 2 changed, 1 removed, 2 renamed, 10 unchanged, 0 failed") << r.out;
  // Only the two changed and the two added files were analyzed.
  EXPECT_NE(r.out.find("indexed 4 documents"), std::string::npos) << r.out;

  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  const auto a = passages(db), b = passages(fresh);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b);
  std::vector<PassageKey> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  for (const auto& p : only_a) ADD_FAILURE() << "only in the updated index: " << std::get<0>(p) << "#" << std::get<1>(p);
  for (const auto& p : only_b) ADD_FAILURE() << "only in the fresh build: " << std::get<0>(p) << "#" << std::get<1>(p);
  // The same passages match every query, with the fresh build's scores:
  // superseded passages are deleted (schema 7). A rebuild changes nothing.
  const char* queries[] = {"deterrence", "submarines", "확장억제", "한미 동맹", "supply chains", "export controls",
                           "\"nuclear umbrella\"", "trade alliance", "반도체 semiconductors", "critical minerals"};
  for (const char* q : queries) {
    const auto in_db = all_matches(db, q);
    EXPECT_FALSE(in_db.empty()) << q;
    EXPECT_EQ(in_db, all_matches(fresh, q)) << q;
    expect_same_top10(db, fresh, q);
  }
  const fs::path rebuilt = tmp.path() / "rebuilt";
  fs::copy(db, rebuilt, fs::copy_options::recursive);
  ASSERT_EQ(index({"--db", rebuilt.string(), "--rebuild", in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(rebuilt) == b);
  for (const char* q : queries) expect_same_top10(rebuilt, fresh, q);
  // The manifests agree too (but for mtimes).
  const auto ma = manifest_of(db), mb = manifest_of(fresh);
  ASSERT_EQ(ma.size(), mb.size());
  for (const auto& [k, e] : mb) {
    ASSERT_TRUE(ma.count(k)) << e.rel;
    EXPECT_EQ(ma.at(k).hash, e.hash) << e.rel;
    EXPECT_EQ(ma.at(k).passages(), e.passages()) << e.rel;
    EXPECT_EQ(ma.at(k).mtime_ns, e.mtime_ns) << e.rel;
  }
  EXPECT_EQ(entry_for(ma, "d1/talks.jsonl")->docs.at(1).id, "d1/talks.jsonl:2");
}

// One file, one identity: a file already indexed under another root (docs/,
// then docs/corpus/) is recognised by its real path, not added again.
TEST(Incremental, AFileIndexedUnderAnotherRootKeepsItsIdentity) {
  TempDir tmp;
  const fs::path docs = tmp.path() / "docs", db = tmp.path() / "db";
  tmp.write("docs/top.md", para("top", 1));
  tmp.write("docs/corpus/new-memo.md", para("memo", 2));
  RunResult r = index({"--db", db.string(), docs.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t entries = manifest_of(db).size();

  r = index({"--db", db.string(), (docs / "corpus").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 1 unchanged, 0 failed");
  EXPECT_NE(r.err.find(normal_root(docs / "corpus") + " overlaps " + normal_root(docs)), std::string::npos) << r.err;
  EXPECT_EQ(manifest_of(db).size(), entries);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("new-memo.md")), 0u);

  // Changed, and indexed from the inner root again: still one document, under its first path.
  tmp.write("docs/corpus/new-memo.md", para("memo", 3));
  r = index({"--db", db.string(), (docs / "corpus" / ".." / "corpus").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 1 changed, 0 removed, 0 renamed, 0 unchanged, 0 failed");
  EXPECT_EQ(manifest_of(db).size(), entries);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("new-memo.md")), 0u);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("corpus/new-memo.md")), 2u);

  // And the outer root afterwards sees nothing new.
  r = index({"--db", db.string(), docs.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 2 unchanged, 0 failed");
}

// Exit status for this run: 1 only for a new or changed failure; files that
// failed before and did not change (or were only renamed) are summarised.
TEST(Incremental, ExitStatusCountsOnlyThisRunsFailures) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/good.txt", para("good", 1));
  tmp.write("in/bad1.jsonl", "{\"id\": 1, \"title\": \"no text here\"}\n");
  RunResult r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;

  r = index({"--db", db.string(), in.string()});  // no change
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 file still not indexable"), std::string::npos) << r.err;

  const fs::path bad2 = tmp.write("in/bad2.txt", std::string("\0\0binary", 8));  // a new failure
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("bisearch-index: " + bad2.string() + ": binary file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 file still not indexable"), std::string::npos) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 1 added, 0 changed, 0 removed, 0 renamed, 1 unchanged, 1 failed, 1 still not indexable");

  r = index({"--db", db.string(), "--dry-run", in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 files still not indexable"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("binary file"), std::string::npos) << r.err;  // summarised, not listed

  fs::rename(in / "bad1.jsonl", in / "renamed.jsonl");  // same content: not a new failure
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 files still not indexable"), std::string::npos) << r.err;

  tmp.write("in/bad2.txt", std::string("\0\0still binary", 14));  // changed, and failing again
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("1 file still not indexable"), std::string::npos) << r.err;
}

TEST(Incremental, FailedFilesAreRememberedAndRetriedOnlyWhenChanged) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/good.txt", para("good", 1));
  const fs::path bad = tmp.write("in/bad.txt", std::string("\x7f" "ELF\0\0\0\0", 8));
  RunResult r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1);
  auto m = manifest_of(db);
  ASSERT_NE(entry_for(m, "bad.txt"), nullptr);
  EXPECT_EQ(entry_for(m, "bad.txt")->status, FileStatus::kFailed);
  EXPECT_EQ(entry_for(m, "bad.txt")->problems.at(0).reason, "binary file (NUL byte at offset 4)");

  const Xapian::rev rev = revision(db);
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 0);  // nothing new failed: summarised, not an error of this run
  EXPECT_EQ(r.err, "bisearch-index: 1 file still not indexable (unchanged since they failed; not retried); see "
                   "bisearch-index --db " + db.string() + " status\n");
  EXPECT_EQ(changes_line(r.out),
            "files: 0 added, 0 changed, 0 removed, 0 renamed, 1 unchanged, 0 failed, 1 still not indexable");
  EXPECT_EQ(revision(db), rev);
  // --verbose names the file and its stored reason.
  r = index({"--db", db.string(), "--verbose", in.string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find(bad.string() + ": binary file (NUL byte at offset 4) (unchanged since it failed; not retried)"),
            std::string::npos) << r.err;
  // So does a dry run, with the same status.
  r = index({"--db", db.string(), "--dry-run", in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = index({"--db", db.string(), "--retry-failed", in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "bisearch-index: " + bad.string() + ": binary file (NUL byte at offset 4)\n");
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 1 changed, 0 removed, 0 renamed, 1 unchanged, 1 failed");

  tmp.write("in/bad.txt", para("repaired", 2));
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 1 changed, 0 removed, 0 renamed, 1 unchanged, 0 failed");
  m = manifest_of(db);
  EXPECT_EQ(entry_for(m, "bad.txt")->status, FileStatus::kOk);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("bad.txt")), 2u);

  // A file that turns binary keeps no stale passages.
  tmp.write("in/bad.txt", std::string("\0\0\0binary now", 13));
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("bad.txt")), 0u);
  m = manifest_of(db);
  EXPECT_EQ(entry_for(m, "bad.txt")->status, FileStatus::kFailed);
  EXPECT_TRUE(entry_for(m, "bad.txt")->docs.empty());

  // Status shows it.
  r = index({"--db", db.string(), "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("failed          0 passages  " + bad.string() + "\n    bad.txt: binary file (NUL byte at offset 0)\n"),
            std::string::npos)
      << r.out;
  // bad.txt's two passages from before it turned bad are deleted.
  EXPECT_NE(r.out.find("2 files: 1 ok, 1 failed, 0 incomplete; 2 passages listed, 2 in the index; analyzer " +
                       schema::analyzer_id() + "\n"),
            std::string::npos)
      << r.out;
}

TEST(Incremental, OnlyWalkedRootsLoseFiles) {
  TempDir tmp;
  const fs::path a = tmp.path() / "a", b = tmp.path() / "b", db = tmp.path() / "db";
  tmp.write("a/one.txt", para("one", 1));
  tmp.write("a/two.txt", para("two", 2));
  tmp.write("b/three.txt", para("three", 3));
  ASSERT_EQ(index({"--db", db.string(), a.string(), b.string()}).exit_code, 0);
  // Another root alone: a's files stay.
  RunResult r = index({"--db", db.string(), b.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 1 unchanged, 0 failed");
  // One file named directly: its siblings are not gone.
  r = index({"--db", db.string(), (a / "one.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 1 unchanged, 0 failed");
  // A root that does not exist is a problem, never a deletion.
  fs::rename(a, tmp.path() / "a-moved");
  r = index({"--db", db.string(), a.string(), b.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(a.string() + ": no such file or directory"), std::string::npos) << r.err;
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("two.txt")), 2u);
  fs::rename(tmp.path() / "a-moved", a);
  // A file deleted under a walked root is removed.
  fs::remove(a / "two.txt");
  r = index({"--db", db.string(), a.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 0 changed, 1 removed, 0 renamed, 1 unchanged, 0 failed");
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("two.txt")), 0u);
  EXPECT_EQ(bisearch::testing::live_postings(db, schema::doc_term("three.txt")), 2u);
}

TEST(Incremental, IdsBelongToOneFileAcrossRuns) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/a.jsonl", "{\"id\": \"same\", \"text\": \"first text for the id\"}\n");
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  tmp.write("in/b.jsonl", "{\"id\": \"same\", \"text\": \"second text for the id\"}\n");
  RunResult r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((in / "b.jsonl").string() + ":1: document id \"same\" is already used by " +
                       (in / "a.jsonl").string() + "; not indexed"),
            std::string::npos)
      << r.err;
  // Once a.jsonl is gone, b.jsonl is retried only when it changes; its id is free then.
  fs::remove(in / "a.jsonl");
  r = index({"--db", db.string(), "--retry-failed", in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Xapian::Database x(db.string());
  ASSERT_EQ(bisearch::testing::live_passages(x), 1u);
  auto it = x.postlist_begin("");
  ASSERT_NE(it, x.postlist_end(""));
  EXPECT_EQ(schema::deserialize(schema::stored_record(x.get_document(*it)))->text, "second text for the id");
}

TEST(Incremental, StopInsideALargeFileLeavesItIncompleteAndTheNextRunFinishes) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  std::string lines;
  for (int i = 0; i < 20; ++i)
    lines += "{\"id\": \"n" + std::to_string(i) + "\", \"text\": \"Speech number " + std::to_string(i) +
             " on alliance matters and economic security.\"}\n";
  tmp.write("in/big.jsonl", lines);
  tmp.write("in/small.txt", para("small", 1));
  IndexArgs args;
  args.db = db.string();
  args.paths = {in.string()};
  args.batch = 3;
  const IndexerOptions options = to_options(args);
  uint64_t docs = 0;
  RunHooks hooks;
  hooks.progress = [&](const ProgressInfo& p) { docs = p.documents; };
  hooks.stop_requested = [&] { return docs >= 7; };
  const IndexSummary s = run(options, hooks);
  EXPECT_TRUE(s.interrupted);
  auto m = manifest_of(db);
  ASSERT_NE(entry_for(m, "big.jsonl"), nullptr);
  EXPECT_EQ(entry_for(m, "big.jsonl")->status, FileStatus::kIncomplete);
  EXPECT_EQ(entry_for(m, "big.jsonl")->docs.size(), bisearch::testing::live_passages(db));

  // The next run resumes the file at its first document not committed: the
  // committed ones are neither analyzed nor written again.
  const size_t committed = entry_for(m, "big.jsonl")->docs.size();
  ASSERT_GT(committed, 0u);
  ASSERT_LT(committed, 20u);
  const RunResult r = index({"--db", db.string(), "--verbose", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 1 added, 1 changed, 0 removed, 0 renamed, 0 unchanged, 0 failed") << r.out;
  EXPECT_NE(r.err.find("resume " + (in / "big.jsonl").string()), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("indexed " + std::to_string(20 - committed + 1) + " documents"), std::string::npos)
      << committed << "\n" << r.out;
  m = manifest_of(db);
  EXPECT_EQ(entry_for(m, "big.jsonl")->status, FileStatus::kOk);
  EXPECT_EQ(entry_for(m, "big.jsonl")->docs.size(), 20u);
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
  const RunResult a = index({"--db", db.string(), "status"}), b = index({"--db", fresh.string(), "status"});
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
}

// A .jsonl file changed after its indexing stopped midway is read again whole.
TEST(Incremental, AnIncompleteFileThatChangedIsIndexedAgainWhole) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  std::string lines;
  for (int i = 0; i < 20; ++i)
    lines += "{\"id\": \"n" + std::to_string(i) + "\", \"text\": \"Speech number " + std::to_string(i) +
             " on alliance matters.\"}\n";
  tmp.write("in/big.jsonl", lines);
  IndexArgs args;
  args.db = db.string();
  args.paths = {in.string()};
  args.batch = 3;
  uint64_t docs = 0;
  RunHooks hooks;
  hooks.progress = [&](const ProgressInfo& p) { docs = p.documents; };
  hooks.stop_requested = [&] { return docs >= 7; };
  ASSERT_TRUE(run(to_options(args), hooks).interrupted);
  tmp.write("in/big.jsonl", "{\"id\": \"n0\", \"text\": \"Changed first line.\"}\n" + lines.substr(lines.find('\n') + 1));
  const RunResult r = index({"--db", db.string(), "--verbose", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("resume "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("indexed 20 documents"), std::string::npos) << r.out;
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
}

TEST(Incremental, SecondWriterGetsALockError) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/a.txt", para("lock", 1));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  tmp.write("in/b.txt", para("second", 2));
  Xapian::WritableDatabase holder(db.string(), Xapian::DB_OPEN);
  const RunResult r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index is being updated by another process (lock held)\n");
  // A search meanwhile works.
  EXPECT_EQ(top10(db, "lock").size(), 2u);
}

TEST(Incremental, AwkwardNamesAndLinks) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/with space.txt", para("space", 1));
  tmp.write("in/\xed\x95\x9c\xea\xb8\x80 이름.md", para("korean name", 2));
  fs::create_symlink("loop2", in / "loop1.txt");
  fs::create_symlink("loop1.txt", in / "loop2");
  fs::create_directory_symlink(in, in / "self");
  const RunResult r = index({"--db", db.string(), "--verbose", in.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find((in / "loop1.txt").string() + " (symbolic link loop)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((in / "self").string() + " (symbolic link to a directory, not followed)"), std::string::npos)
      << r.err;
  Xapian::Database x(db.string());
  EXPECT_EQ(bisearch::testing::live_postings(x, schema::doc_term("with space.txt")), 2u);
  const RunResult again = index({"--db", db.string(), in.string()});
  EXPECT_EQ(changes_line(again.out), "files: 0 added, 0 changed, 0 removed, 0 renamed, 2 unchanged, 0 failed");
}

TEST(Incremental, RebuildSwapsInANewGenerationAtomically) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  for (int i = 0; i < 5; ++i) tmp.write("in/r" + std::to_string(i) + ".txt", para("rebuild", i));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  const auto before = passages(db);
  Xapian::Database old_reader(db.string());  // a search that is running meanwhile

  RunResult r = index({"--db", db.string(), "--rebuild", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rebuilt: the new index replaced the old one\n"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(db / "XAPIANDB"));
  EXPECT_FALSE(fs::exists(db / "iamglass"));
  EXPECT_TRUE(fs::is_directory(db / "gen-1"));
  EXPECT_TRUE(passages(db) == before);
  // The old reader still reads the old (now deleted) files, whole.
  EXPECT_EQ(bisearch::testing::live_passages(old_reader), before.size());
  EXPECT_TRUE(schema::deserialize(schema::stored_record(old_reader.get_document(*old_reader.postlist_begin("")))).has_value());

  // Updates go into the live generation; a second rebuild replaces it.
  tmp.write("in/added.txt", para("after the rebuild", 9));
  r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 1 added, 0 changed, 0 removed, 0 renamed, 5 unchanged, 0 failed");
  EXPECT_FALSE(fs::exists(db / "iamglass"));
  fs::create_directory(db / "gen-5");  // left over by a killed rebuild
  r = index({"--db", db.string(), "--rebuild", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(db / "gen-1"));
  EXPECT_FALSE(fs::exists(db / "gen-5"));
  EXPECT_TRUE(fs::is_directory(db / "gen-2"));
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
  expect_same_top10(db, fresh, "rebuild alliance");

  // A rebuild while another writer holds the index is refused.
  {
    Xapian::WritableDatabase holder(db.string(), Xapian::DB_OPEN);
    r = index({"--db", db.string(), "--rebuild", in.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index is being updated by another process (lock held)\n");
  }
  // An interrupted rebuild changes nothing.
  IndexArgs args;
  args.db = db.string();
  args.paths = {in.string()};
  args.rebuild = true;
  args.batch = 1;
  int calls = 0;
  RunHooks hooks;
  hooks.stop_requested = [&] { return ++calls > 3; };
  const IndexSummary s = run(to_options(args), hooks);
  EXPECT_TRUE(s.interrupted);
  EXPECT_FALSE(s.rebuilt);
  EXPECT_TRUE(fs::is_directory(db / "gen-2"));
  EXPECT_FALSE(fs::exists(db / "gen-3"));
  EXPECT_TRUE(passages(db) == passages(fresh));
}

TEST(Incremental, AnalyzerChangeReindexesEverythingWhenTheRunCoversTheIndex) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  tmp.write("in/a.txt", para("analyzer", 1));
  tmp.write("in/b.txt", para("versions", 2));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_OPEN);
    w.set_metadata(schema::kMetaAnalyzer, "other-analyzer/7");
    w.commit();
  }
  const RunResult r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index was built by analyzer other-analyzer/7, this is " +
                       schema::analyzer_id() + ": re-indexing everything into a new generation\n");
  EXPECT_NE(r.out.find("indexed 2 documents"), std::string::npos) << r.out;
  EXPECT_EQ(Xapian::Database(db.string()).get_metadata(schema::kMetaAnalyzer), schema::analyzer_id());
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
}

// An index of the previous schema (before gloss pair terms) is rebuilt the
// same way, so users need not start a new --db after an upgrade.
TEST(Incremental, SchemaChangeReindexesEverythingWhenTheRunCoversTheIndex) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  tmp.write("in/a.txt", "핵협의그룹(NCG: Nuclear Consultative Group)을 통한 협의가 계속되었다.\n");
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_OPEN);
    w.set_metadata(schema::kMetaSchema, "1");
    w.commit();
  }
  const RunResult r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "bisearch-index: " + db.string() + ": index was built by schema version 1, this is " +
                       std::to_string(schema::kSchemaVersion) + ": re-indexing everything into a new generation\n");
  EXPECT_EQ(Xapian::Database(db.string()).get_metadata(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
}

TEST(Incremental, ARootOrFileThatDisappearsMidRunIsReportedAndLeftAlone) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  for (int i = 0; i < 4; ++i) tmp.write("in/f" + std::to_string(i) + ".txt", para("vanishing", i));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  for (int i = 0; i < 4; ++i) tmp.write("in/f" + std::to_string(i) + ".txt", para("changed", i));
  tmp.write("in/g.txt", para("new file", 9));
  IndexArgs args;
  args.db = db.string();
  args.paths = {in.string()};
  std::vector<std::string> problems;
  RunHooks hooks;
  hooks.problem = [&](const Problem& p) { problems.push_back(p.message()); };
  // After the first file, f1.txt vanishes; while f2.txt is read, the whole root.
  int files = 0;
  hooks.progress = [&](const ProgressInfo& p) {
    if (p.files_done == 1 && files == 0) {
      ++files;
      fs::remove(in / "f1.txt");
    } else if (p.files_done == 1 && files == 1) {
      ++files;
      fs::rename(in, tmp.path() / "away");
    }
  };
  const IndexSummary s = run(to_options(args), hooks);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], (in / "f1.txt").string() + ": disappeared during the run; its passages are removed");
  EXPECT_EQ(problems[1], in.string() + ": disappeared during the run; its remaining files were left as they were");
  EXPECT_EQ(exit_code(s), 1);
  const auto m = manifest_of(db);
  EXPECT_EQ(m.size(), 3u);  // f0, f2 (updated), f3 (as it was); f1 gone, g never added
  EXPECT_EQ(entry_for(m, "f1.txt"), nullptr);
  EXPECT_EQ(entry_for(m, "f2.txt")->status, FileStatus::kOk);
  // Back again: the next run finishes the job.
  fs::rename(tmp.path() / "away", in);
  const RunResult r = index({"--db", db.string(), in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // f0 and f2 (read while the root vanished) were updated; f3 and g.txt were left.
  EXPECT_EQ(changes_line(r.out), "files: 1 added, 1 changed, 0 removed, 0 renamed, 2 unchanged, 0 failed");
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
}

// @p utf8 in the legacy encoding @p name ("EUC-KR", "windows-949"), by ICU.
std::string to_legacy(const std::string& utf8, const char* name) {
  std::string out(utf8.size() * 2 + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = ucnv_convert(name, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                 static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<size_t>(n));
  return out;
}

TEST(Incremental, FilesTurningIntoLegacyKoreanEncodingsAreConverted) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  const std::string text = "title: 한미 정상회담\n---\n" + para("공급망", 1) + "똠방각하 같은 낱말도 들어 있는 문단입니다. 충분히 길게 씁니다.\n";
  const std::string euc = "title: 한미 정상회담\n---\n" + para("공급망", 1);
  tmp.write("in/k.txt", text);
  tmp.write("in/e.txt", euc);
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  const auto utf8_passages = passages(db);

  // The same text in CP949 (똠 is not in EUC-KR) and EUC-KR: converted, same passages.
  tmp.write("in/k.txt", to_legacy(text, "windows-949"));
  tmp.write("in/e.txt", to_legacy(euc, "EUC-KR"));
  ASSERT_NE(to_legacy(text, "windows-949"), text);
  RunResult r = index({"--db", db.string(), "--verbose", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(changes_line(r.out), "files: 0 added, 2 changed, 0 removed, 0 renamed, 0 unchanged, 0 failed");
  EXPECT_NE(r.err.find((in / "k.txt").string() + ": 1 document, 3 passages (converted from CP949)"), std::string::npos)
      << r.err;
  EXPECT_TRUE(passages(db) == utf8_passages);
  const auto m = manifest_of(db);
  EXPECT_EQ(entry_for(m, "k.txt")->encoding, "CP949");
  EXPECT_EQ(entry_for(m, "e.txt")->encoding, "EUC-KR");

  // Bytes that decode as CP949 but are not mostly Korean, and bytes
  // that decode as nothing, are refused; the file keeps no old passages.
  tmp.write("in/e.txt", to_legacy("한국한국 漢字漢字漢字漢字漢字", "EUC-KR"));
  tmp.write("in/k.txt", "caf\xe9 cr\xe8me");
  r = index({"--db", db.string(), in.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((in / "e.txt").string() +
                       ": not valid UTF-8 (byte 0) and not Korean CP949/EUC-KR text: it decodes as CP949 but is not "
                       "Korean text (4 of 14 non-ASCII characters are Hangul)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find((in / "k.txt").string() + ": not valid UTF-8 (byte 3)"), std::string::npos) << r.err;
  EXPECT_EQ(bisearch::testing::live_passages(db), 0u);
}

// Updates delete superseded passages (schema 7): the index holds as many
// passages as a fresh build of the same files, and its collection
// statistics, so its scores, are the fresh build's.
TEST(Incremental, SupersededPassagesAreDeleted) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  for (int i = 0; i < 80; ++i) tmp.write("in/doc" + std::to_string(i) + ".txt", para("deterrence", i));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  const size_t before = bisearch::testing::live_passages(db);
  // Half of the files change, two go, one is renamed.
  for (int i = 0; i < 40; ++i) tmp.write("in/doc" + std::to_string(i) + ".txt", para("submarines", i));
  fs::remove(in / "doc70.txt");
  fs::remove(in / "doc71.txt");
  fs::rename(in / "doc72.txt", in / "moved72.txt");
  RunResult r = index({"--db", db.string(), "--no-compact", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    Xapian::Database x(db.string());
    EXPECT_EQ(x.get_doccount(), before - 4);
    EXPECT_GT(x.get_lastdocid(), x.get_doccount());  // ids of deleted passages are gaps
    EXPECT_EQ(x.get_termfreq(schema::doc_term("doc72.txt")), 0u);
    EXPECT_EQ(x.get_termfreq(schema::doc_term("moved72.txt")), 2u);
    EXPECT_EQ(x.get_metadata("bisearch.dead"), "");
  }
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_TRUE(passages(db) == passages(fresh));
  {
    // The term statistics are the fresh build's.
    Xapian::Database x(db.string()), y(fresh.string());
    for (const char* t : {"deterrence", "submarines", "alliance", "Zalliance", "Len", "Lko"})
      EXPECT_EQ(x.get_termfreq(t), y.get_termfreq(t)) << t;
    EXPECT_EQ(x.get_total_length(), y.get_total_length());
  }
  EXPECT_EQ(all_matches(db, "deterrence").size(), before / 2 - 4);
  EXPECT_EQ(all_matches(db, "deterrence"), all_matches(fresh, "deterrence"));
  EXPECT_EQ(all_matches(db, "submarines"), all_matches(fresh, "submarines"));
  r = index({"--db", db.string(), "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("superseded"), std::string::npos) << r.out;
  const RunResult s = index({"--db", fresh.string(), "status"});
  EXPECT_EQ(r.out.substr(r.out.find("passage digest")), s.out.substr(s.out.find("passage digest")));
  for (const char* query : {"deterrence", "submarines", "alliance", "확장억제", "한미 동맹"})
    expect_same_top10(db, fresh, query);
}

// A word in every passage of an index whose document ids have gaps (after
// deletes): Xapian 1.4.22's BoolWeight match of such a term threw
// "Unexpected end of posting list" (query::all_documents_filter()).
TEST(Incremental, AWordInEveryPassageIsFoundAfterDeletes) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  for (int i = 0; i < 30; ++i) tmp.write("in/doc" + std::to_string(i) + ".txt", para("alliance", i));
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  for (int i = 0; i < 30; i += 3) tmp.write("in/doc" + std::to_string(i) + ".txt", para("alliance", i + 100));
  fs::remove(in / "doc1.txt");
  ASSERT_EQ(index({"--db", db.string(), "--no-compact", in.string()}).exit_code, 0);
  ASSERT_EQ(index({"--db", fresh.string(), in.string()}).exit_code, 0);
  Xapian::Database x(db.string());
  ASSERT_GT(x.get_lastdocid(), x.get_doccount());
  ASSERT_EQ(x.get_termfreq("alliance"), x.get_doccount());  // in every passage
  EXPECT_EQ(all_matches(db, "alliance").size(), 29u * 2);
  EXPECT_EQ(all_matches(db, "alliance"), all_matches(fresh, "alliance"));
  expect_same_top10(db, fresh, "alliance");
  expect_same_top10(db, fresh, "alliance 동맹");
}

// An index of schema 6 or older has no termlists, so its passages cannot be
// deleted: a run over all its roots rebuilds it into a new generation; a run
// over part of them stops (exit 2) and says what to do.
TEST(Incremental, ASchema6IndexWithoutTermlistsIsRebuiltByACoveringRun) {
  TempDir tmp;
  const fs::path a = tmp.path() / "a", b = tmp.path() / "b", db = tmp.path() / "db", old = tmp.path() / "old",
                 fresh = tmp.path() / "fresh";
  tmp.write("a/one.txt", para("deterrence", 1));
  tmp.write("b/two.txt", para("submarines", 2));
  ASSERT_EQ(index({"--db", db.string(), a.string(), b.string()}).exit_code, 0);
  {
    // The same documents and metadata in a database without termlists, as
    // schema 6 wrote it.
    Xapian::Database src(db.string());
    Xapian::WritableDatabase w(old.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_TERMLIST);
    for (auto it = src.postlist_begin(""); it != src.postlist_end(""); ++it) w.replace_document(*it, src.get_document(*it));
    for (auto k = src.metadata_keys_begin(); k != src.metadata_keys_end(); ++k) w.set_metadata(*k, src.get_metadata(*k));
    w.set_metadata(schema::kMetaSchema, "6");
    w.commit();
  }
  ASSERT_FALSE(fs::exists(old / "termlist.glass"));
  tmp.write("a/one.txt", para("alliance", 1));
  RunResult r = index({"--db", old.string(), a.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "bisearch-index: " + old.string() + ": index has schema version 6, this is " +
                       std::to_string(schema::kSchemaVersion) +
                       " (its passages cannot be deleted); run over all its roots or use --rebuild\n");
  r = index({"--db", old.string(), a.string(), b.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("index was built by schema version 6, this is " + std::to_string(schema::kSchemaVersion) +
                       ": re-indexing everything into a new generation"),
            std::string::npos)
      << r.err;
  Xapian::Database x(old.string());
  EXPECT_EQ(x.get_metadata(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
  EXPECT_TRUE(fs::exists(indexer::live_database(old) / "termlist.glass"));
  ASSERT_EQ(index({"--db", fresh.string(), a.string(), b.string()}).exit_code, 0);
  EXPECT_TRUE(passages(old) == passages(fresh));
  // From now on an update deletes what it replaces.
  tmp.write("b/two.txt", para("trade", 2));
  ASSERT_EQ(index({"--db", old.string(), b.string()}).exit_code, 0);
  EXPECT_EQ(bisearch::testing::live_postings(old, "submarines"), 0u);
  EXPECT_EQ(bisearch::testing::live_passages(old), 4u);
}

// Several indexes searched as one, one of them updated: the superseded
// passages are gone (Xapian interleaves the indexes' document ids).
TEST(Incremental, SearchingSeveralIndexesFindsOnlyCurrentPassages) {
  TempDir tmp;
  const fs::path a = tmp.path() / "a", b = tmp.path() / "b", db_a = tmp.path() / "db_a", db_b = tmp.path() / "db_b";
  for (int i = 0; i < 6; ++i) {
    tmp.write("a/a" + std::to_string(i) + ".txt", para("deterrence", i));
    tmp.write("b/b" + std::to_string(i) + ".txt", para("trade", i));
  }
  ASSERT_EQ(index({"--db", db_a.string(), a.string()}).exit_code, 0);
  ASSERT_EQ(index({"--db", db_b.string(), b.string()}).exit_code, 0);
  tmp.write("b/b1.txt", para("submarines", 1));
  tmp.write("b/b4.txt", para("submarines", 4));
  ASSERT_EQ(index({"--db", db_b.string(), b.string()}).exit_code, 0);
  ASSERT_GT(Xapian::Database(db_b.string()).get_lastdocid(), Xapian::Database(db_b.string()).get_doccount());
  query::SearchOptions o;
  o.dbs = {db_a.string(), db_b.string()};
  o.limit = 1000;
  o.expand.default_lexicon = false;  // the index's own matches (as all_matches)
  query::Searcher s(o);
  std::set<std::string> trade, alliance, fresh_alliance;
  for (const query::Hit& h : s.search("trade").hits) trade.insert(h.record.doc_id);
  for (const query::Hit& h : s.search("alliance").hits) alliance.insert(h.record.doc_id + "#" + std::to_string(h.record.passage));
  EXPECT_EQ(trade, (std::set<std::string>{"b0.txt", "b2.txt", "b3.txt", "b5.txt"}));
  // Every live passage with the word, from both indexes: as a fresh build of each finds them.
  const fs::path fresh_b = tmp.path() / "fresh_b";
  ASSERT_EQ(index({"--db", fresh_b.string(), b.string()}).exit_code, 0);
  for (const fs::path& one : {db_a, fresh_b})
    for (const std::string& m : all_matches(one, "alliance")) fresh_alliance.insert(m);
  EXPECT_EQ(alliance.size(), 12u);
  EXPECT_EQ(alliance, fresh_alliance);
}

}  // namespace
}  // namespace bisearch::indexer
