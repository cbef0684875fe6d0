// bisearch-serve during updates: while clients keep searching, bisearch-index
// commits new and deleted files and swaps in --rebuilds; no request fails and
// each change is served within a second, without restart.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>

#include "tests/server_util.h"

namespace bt = bisearch::testing;
using nlohmann::json;

namespace {

size_t hits_for(uint16_t port, const std::string& q, int* status) {
  const auto r = bt::http_get(port, "/api/search?q=" + bt::url_encode(q) + "&cross=0");
  *status = r.status;
  return r.status == 200 ? json::parse(r.body)["hits"].size() : 0;
}

// Milliseconds from now until a search for @p q has hits (@p present) or
// none; -1 if that did not happen within 5 s.
long ms_until(uint16_t port, const std::string& q, bool present) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    int status = 0;
    if ((hits_for(port, q, &status) > 0) == present && status == 200)
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

TEST(ServerUpdateTest, CommitsAndRebuildsAreServedWithinASecondAndNoRequestFails) {
  bt::TempDir dir;
  const std::string docs = (dir.path() / "docs").string();
  std::filesystem::copy(bt::corpus_dir(), docs, std::filesystem::copy_options::recursive);
  const std::string db = (dir.path() / "idx").string();
  // One writer thread: the first build is written in place (the plain layout).
  ASSERT_EQ(bt::run_index({"--db", db, "--threads", "1", docs}).exit_code, 0);
  bt::ServerProcess server(db, 4);
  const uint16_t port = server.port();
  const std::string uuid0 = json::parse(bt::http_get(port, "/api/status").body)["uuid"];

  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, failures{0};
  std::vector<std::string> failed;
  std::mutex failed_mutex;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&, c] {
      const std::vector<std::string> targets = {"/api/search?q=" + bt::url_encode("확장억제") + "&limit=3",
                                                "/api/search?q=deterrence&facets=lang,year,folder",
                                                "/api/terms?q=NCG", "/api/status"};
      for (int i = 0; !stop; ++i) {
        const std::string& t = targets[(c + i) % targets.size()];
        const auto r = bt::http_get(port, t);
        ++requests;
        bool ok = r.status == 200;
        if (ok && t.rfind("/api/search", 0) == 0) ok = !json::parse(r.body)["hits"].empty();
        if (!ok) {
          ++failures;
          std::lock_guard lock(failed_mutex);
          failed.push_back(t + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
        }
      }
    });

  // 1. A commit adding a file.
  std::ofstream(docs + "/added.txt") << "The zyxwvutal committee met on the alliance.\n";
  ASSERT_EQ(bt::run_index({"--db", db, docs}).exit_code, 0);
  const long added = ms_until(port, "zyxwvutal", true);
  EXPECT_GE(added, 0);
  EXPECT_LT(added, 1000);

  // 2. A --rebuild swapped in (plain layout -> generations), then another one.
  std::ofstream(docs + "/rebuilt.txt") << "The qwertyuiopal review followed.\n";
  ASSERT_EQ(bt::run_index({"--db", db, "--rebuild", docs}).exit_code, 0);
  const long rebuilt = ms_until(port, "qwertyuiopal", true);
  EXPECT_GE(rebuilt, 0);
  EXPECT_LT(rebuilt, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(json::parse(bt::http_get(port, "/api/status").body)["uuid"], uuid0);
  std::ofstream(docs + "/again.txt") << "The asdfghjklal memo came last.\n";
  ASSERT_EQ(bt::run_index({"--db", db, "--rebuild", docs}).exit_code, 0);
  const long again = ms_until(port, "asdfghjklal", true);
  EXPECT_GE(again, 0);
  EXPECT_LT(again, 1000);

  // 3. A commit deleting a file.
  std::filesystem::remove(docs + "/added.txt");
  ASSERT_EQ(bt::run_index({"--db", db, docs}).exit_code, 0);
  const long deleted = ms_until(port, "zyxwvutal", false);
  EXPECT_GE(deleted, 0);
  EXPECT_LT(deleted, 1000);

  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // past the old generation's grace period
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_GT(requests, 50);
  EXPECT_EQ(failures, 0) << (failed.empty() ? "" : failed.front());
  const json status = json::parse(bt::http_get(port, "/api/status").body);
  EXPECT_EQ(status["files"], 3);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
