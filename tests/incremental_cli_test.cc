// incremental_cli_test.cc: bisearch-index updates seen from outside: searches running during updates and
// rebuilds, the status subcommand and the help text.
#include <gtest/gtest.h>
#include <xapian.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "query/rank.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {
namespace fs = std::filesystem;
using testing::RunResult;
using testing::TempDir;

const auto index = &testing::run_index;

void write_corpus(const TempDir& tmp, int files, const std::string& word) {
  for (int i = 0; i < files; ++i) {
    std::string text;
    for (int p = 0; p < 6; ++p)
      text += "Paragraph " + std::to_string(p) + " of file " + std::to_string(i) + " discusses " + word +
              " and the alliance in some detail, with enough words to be a passage.\n\n"
              "한미 동맹의 " + std::to_string(p) + "번째 문단은 확장억제와 " + word + "에 관해 자세히 다룬다.\n\n";
    tmp.write("in/f" + std::to_string(i) + ".txt", text);
  }
}

// Searches in a loop while @p job runs in another thread; every search must
// succeed and find passages. A long-lived Searcher must never fail. A new
// Searcher may fail to *open* while a commit lands (Xapian 1.4 glass can
// report a block it is reading as overwritten; query/rank.cc does not retry
// the open yet): such an open is retried, at most 3 times, and counted in
// @p open_retries. Returns the number of searches done.
size_t search_while(const fs::path& db, const std::function<void()>& job, size_t* open_retries) {
  std::atomic<bool> done = false;
  std::thread t([&] {
    job();
    done = true;
  });
  size_t searches = 0;
  query::SearchOptions o;
  o.dbs = {db.string()};
  query::Searcher long_lived(o);
  while (!done || searches < 5) {
    try {
      EXPECT_FALSE(long_lived.search("확장억제 alliance").hits.empty());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "search failed during the update: " << e.what();
    }
    for (int attempt = 0;; ++attempt) {
      try {
        query::Searcher fresh(o);  // a new search process
        EXPECT_FALSE(fresh.search("alliance 동맹").hits.empty());
        break;
      } catch (const query::SearchError& e) {
        if (attempt >= 3 || std::string(e.what()).find("cannot open index") == std::string::npos) {
          ADD_FAILURE() << "search failed during the update: " << e.what();
          break;
        }
        ++*open_retries;
      }
    }
    ++searches;
  }
  t.join();
  return searches;
}

TEST(IncrementalCli, SearchesSucceedDuringUpdatesAndRebuilds) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  write_corpus(tmp, 40, "deterrence");
  ASSERT_EQ(index({"--db", db.string(), in.string()}).exit_code, 0);
  write_corpus(tmp, 40, "supply chains");
  RunResult r;
  size_t retries = 0;
  size_t n = search_while(db, [&] { r = index({"--db", db.string(), "--batch", "50", in.string()}); }, &retries);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("files: 0 added, 40 changed"), std::string::npos) << r.out;
  EXPECT_GE(n, 5u);
  n = search_while(db, [&] { r = index({"--db", db.string(), "--rebuild", in.string()}); }, &retries);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(n, 5u);
  write_corpus(tmp, 40, "semiconductors");
  n = search_while(db, [&] { r = index({"--db", db.string(), "--rebuild", in.string()}); }, &retries);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RecordProperty("open_retries", static_cast<int>(retries));
  std::printf("searches during the last rebuild: %zu; opens retried: %zu\n", n, retries);
  query::SearchOptions o;
  o.dbs = {db.string()};
  o.expand.default_lexicon = false;  // the words themselves, not the shipped translations (억제 in 확장억제)
  query::Searcher s(o);
  EXPECT_FALSE(s.search("semiconductors").hits.empty());
  EXPECT_TRUE(s.search("deterrence").hits.empty());
}

TEST(IncrementalCli, StatusAndHelp) {
  TempDir tmp;
  const fs::path db = tmp.path() / "db";
  RunResult r = index({"--db", db.string(), "status"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.err.starts_with("bisearch-index: " + db.string() + ": cannot open index: ")) << r.err;
  r = index({"status"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
  tmp.write("in/a.txt", "One paragraph that is long enough to be a passage of its own.\n");
  ASSERT_EQ(index({"--db", db.string(), (tmp.path() / "in").string()}).exit_code, 0);
  r = index({"--db", db.string(), "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok              1 passages  " + (tmp.path() / "in" / "a.txt").string() + "\n"),
            std::string::npos)
      << r.out;
  r = index({"--help"});
  for (const char* s : {"--dry-run", "--rebuild", "--retry-failed", "status", "Updates:"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  // A dry run on a new index lists additions and creates nothing.
  const fs::path none = tmp.path() / "none";
  r = index({"--db", none.string(), "--dry-run", (tmp.path() / "in").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "add " + (tmp.path() / "in" / "a.txt").string() +
                       "\nwould change files: 1 added, 0 changed, 0 removed, 0 renamed, 0 unchanged, 0 failed\n");
  EXPECT_FALSE(fs::exists(none));
}

// The passage digest line of `bisearch-index status`.
std::string digest(const fs::path& db) {
  const RunResult r = index({"--db", db.string(), "status"});
  const size_t at = r.out.find("passage digest ");
  return at == std::string::npos ? "none: " + r.out + r.err : r.out.substr(at);
}

TEST(IncrementalCli, TwoWritersBuildTheSameIndexAsOne) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in";
  write_corpus(tmp, 60, "deterrence");
  const fs::path one = tmp.path() / "one", two = tmp.path() / "two";
  RunResult r = index({"--db", one.string(), "--threads", "1", "--batch", "40", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = index({"--db", two.string(), "--threads", "2", "--batch", "40", "-v", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" passages written by the second writer"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("merge 0 "), std::string::npos) << r.err;
  EXPECT_EQ(digest(two), digest(one));
  EXPECT_FALSE(fs::exists(two.string() + ".building"));
  EXPECT_FALSE(fs::exists(two / "shard"));
  EXPECT_EQ(bisearch::testing::live_passages(two), bisearch::testing::live_passages(one));
  // A rebuild with two writers too; then an update (one writer) on top.
  write_corpus(tmp, 60, "supply chains");
  r = index({"--db", two.string(), "--threads", "2", "--rebuild", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = index({"--db", one.string(), "-v", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("second writer"), std::string::npos) << "an update has one writer: " << r.err;
  EXPECT_EQ(digest(two), digest(one));
  query::SearchOptions o;
  o.dbs = {two.string()};
  o.expand.default_lexicon = false;  // the words themselves, not the shipped translations (억제 in 확장억제)
  query::Searcher s(o);
  EXPECT_EQ(s.search("supply chains").total_estimate, 60u * 12);
  EXPECT_TRUE(s.search("deterrence").hits.empty());
}

TEST(IncrementalCli, FirstBuildLeftByAKilledRunStartsOver) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db";
  write_corpus(tmp, 5, "deterrence");
  // What a killed two-writer first build leaves: DB.building, unlocked.
  tmp.write("db.building/junk", "half-written");
  const RunResult r = index({"--db", db.string(), "--threads", "2", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("db.building: left by an interrupted first build; starting over"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp.path() / "db.building"));
  EXPECT_EQ(bisearch::testing::live_passages(db), 5u * 12);
  EXPECT_NE(index({"--db", db.string(), "--threads", "3", in.string()}).exit_code, 0);
  // "DB/" names the same index as "DB" (its siblings are named after it).
  const fs::path slashed = tmp.path() / "slashed";
  ASSERT_EQ(index({"--db", slashed.string() + "/", "--threads", "2", in.string()}).exit_code, 0);
  EXPECT_EQ(bisearch::testing::live_passages(slashed), 5u * 12);
}

}  // namespace
}  // namespace bisearch::indexer
