// update_shared_test.cc: a first build of real documents, then updates of some of them, leave a sound index no larger
// than the merge policy allows (indexer/merge_policy.h).
#include <gtest/gtest.h>
#include <xapian.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "indexer/generation.h"
#include "indexer/write.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;

// The index as Xapian's own checker sees it (Debian's xapian-tools, which
// install-deps.sh installs). xapian-check runs as its own
// process: Xapian::Database::check() in this one trips ASan inside
// libxapian (a new/delete size mismatch of Xapian's own), which the
// sanitizer run of this test must not mistake for ours.
void expect_sound(const fs::path& db) {
  // After a compaction into a new generation --db is a stub: check the live database.
  const RunResult r = run({"/usr/bin/xapian-check", indexer::live_database(db).string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("No errors found"), std::string::npos) << r.out << r.err;
}

// The kill test's first step without the kills: a two-writer first build
// (shard merge, record dictionary, compaction) of 150 White House texts,
// then an update of 30 of them. A FULLER compaction made exactly this
// update overrun a buffer inside glass (write.cc): the run aborted or left
// a corrupt postlist table. Under ASan this test reports it at once.
TEST(SharedDataTest, UpdatingAFreshlyCompactedIndexLeavesItSound) {
  const fs::path corpus = shared_dir() / "data/policy-en/whitehouse-korea";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 150u) << "missing " << corpus;
  files.resize(150);
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  fs::create_directories(in);
  for (const fs::path& f : files) fs::copy_file(f, in / f.filename());
  RunResult r = run_index({"--db", db.string(), "--batch", "500", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_sound(db);
  EXPECT_FALSE(Xapian::Database(db.string()).get_metadata("bisearch.dict").empty());

  for (size_t i = 0; i < 30; ++i) {
    std::ofstream out(in / files[i * 5].filename(), std::ios::app);
    out << "\n\nEdit " << i << " of the update test.\n";
  }
  r = run_index({"--db", db.string(), "--batch", "500", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_sound(db);
  ASSERT_EQ(run_index({"--db", fresh.string(), "--batch", "500", in.string()}).exit_code, 0);
  // The superseded passages are deleted: as many passages as a fresh build.
  EXPECT_EQ(Xapian::Database(db.string()).get_doccount(), Xapian::Database(fresh.string()).get_doccount());

  // The same passages as a first build of the edited files.
  const RunResult a = run_index({"--db", db.string(), "status"});
  const RunResult b = run_index({"--db", fresh.string(), "status"});
  ASSERT_NE(a.out.find("passage digest"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
}

std::vector<fs::path> white_house_files(size_t n) {
  const fs::path corpus = shared_dir() / "data/policy-en/whitehouse-korea";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.size() > n) files.resize(n);
  return files;
}

uint64_t size_of(const fs::path& db) { return indexer::directory_size(indexer::live_database(db)); }

// Lean updates: after a sequence of updates that each edit, remove or add
// 30 of 150 files, the index stays within 1.25x a fresh build of the same
// files (the merge policy compacts it when it has grown past 1.2x).
TEST(SharedDataTest, IndexAfterASequenceOfUpdatesStaysNearAFreshBuildsSize) {
  const std::vector<fs::path> files = white_house_files(200);
  ASSERT_GE(files.size(), 200u);
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  fs::create_directories(in);
  for (size_t i = 0; i < 150; ++i) fs::copy_file(files[i], in / files[i].filename());
  ASSERT_EQ(run_index({"--db", db.string(), in.string()}).exit_code, 0);
  bool compacted = false;
  for (size_t round = 0; round < 6; ++round) {
    for (size_t i = 0; i < 20; ++i) {
      std::ofstream out(in / files[(round * 23 + i * 7) % 150].filename(), std::ios::app);
      out << "\n\nUpdate " << round << " edits this file (" << i << ").\n";
    }
    for (size_t i = 0; i < 5; ++i) fs::remove(in / files[(round * 31 + i * 11 + 3) % 150].filename());
    for (size_t i = 0; i < 5; ++i) {
      const fs::path& f = files[(round * 5 + i) % 50 + 150];
      fs::copy_file(f, in / f.filename(), fs::copy_options::overwrite_existing);
    }
    const RunResult r = run_index({"--db", db.string(), in.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (r.out.find("compacted: ") != std::string::npos) compacted = true;
    expect_sound(db);
  }
  EXPECT_TRUE(compacted);  // the policy did compact at some point
  const fs::path fresh = tmp.path() / "fresh";
  ASSERT_EQ(run_index({"--db", fresh.string(), in.string()}).exit_code, 0);
  EXPECT_LE(static_cast<double>(size_of(db)), 1.25 * static_cast<double>(size_of(fresh)))
      << size_of(db) << " vs " << size_of(fresh);
  const RunResult a = run_index({"--db", db.string(), "status"});
  const RunResult b = run_index({"--db", fresh.string(), "status"});
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
}

// A first build stopped midway (Ctrl-C with two writers, SIGKILL with one)
// and run again ends within 1.1x the size of an uninterrupted build.
TEST(SharedDataTest, ResumedFirstBuildEndsNearAFreshBuildsSize) {
  const std::vector<fs::path> files = white_house_files(150);
  ASSERT_GE(files.size(), 150u);
  TempDir tmp;
  const fs::path in = tmp.path() / "in", fresh = tmp.path() / "fresh";
  fs::create_directories(in);
  for (const fs::path& f : files) fs::copy_file(f, in / f.filename());
  ASSERT_EQ(run_index({"--db", fresh.string(), in.string()}).exit_code, 0);
  const uint64_t want = size_of(fresh);
  struct Case {
    const char* name;
    std::vector<std::string> args;
    int signal;
  };
  for (const Case& c : {Case{"sigint", {}, SIGINT}, Case{"sigkill", {"--threads", "1"}, SIGKILL}}) {
    const fs::path db = tmp.path() / c.name;
    std::vector<std::string> args = {"--db", db.string(), "--batch", "200", in.string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    bool hit = false;
    for (int ms = 1500; !hit && ms > 100; ms /= 2) {
      fs::remove_all(db);
      fs::remove_all(db.string() + ".building");
      hit = run_index_and_signal(args, std::chrono::milliseconds(ms), c.signal);
    }
    ASSERT_TRUE(hit) << c.name << ": the build always finished before the signal";
    const RunResult r = run_index(args);
    ASSERT_EQ(r.exit_code, 0) << c.name << ": " << r.err;
    expect_sound(db);
    EXPECT_LE(static_cast<double>(size_of(db)), 1.1 * static_cast<double>(want))
        << c.name << ": " << size_of(db) << " vs " << want << "\n" << r.out;
    const RunResult a = run_index({"--db", db.string(), "status"});
    const RunResult b = run_index({"--db", fresh.string(), "status"});
    EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest"))) << c.name;
  }
}

}  // namespace
}  // namespace bisearch::testing
