// update_shared_test.cc: a first build of real documents, then an update of some of them, leaves a sound index.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/dead.h"
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
  const RunResult r = run({"/usr/bin/xapian-check", db.string()});
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
  EXPECT_GT(analysis::DeadSet::load(Xapian::Database(db.string())).size(), 0u);

  // The same passages as a first build of the edited files.
  ASSERT_EQ(run_index({"--db", fresh.string(), "--batch", "500", in.string()}).exit_code, 0);
  const RunResult a = run_index({"--db", db.string(), "status"});
  const RunResult b = run_index({"--db", fresh.string(), "status"});
  ASSERT_NE(a.out.find("passage digest"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
}

}  // namespace
}  // namespace bisearch::testing
