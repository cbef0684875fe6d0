// shards_shared_test.cc: the White House texts (policy-en) in three shards, searched locally (auto lines) and
// through three loopback xapian-tcpsrv processes (remote lines), against one index of all the files.
#include <gtest/gtest.h>

#include <xapian.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <thread>

#include "query/rank.h"
#include "tests/server_util.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// xapian-tcpsrv serving one database on 127.0.0.1:port; stopped on destruction.
class TcpServer {
 public:
  TcpServer(std::string db, uint16_t port) : db_(std::move(db)), port_(port) { start(); }
  ~TcpServer() { stop(); }
  void start() {
    pid_ = fork();
    if (pid_ == 0) {
      // Its own process group: on SIGTERM xapian-tcpsrv signals its whole
      // group (its connection children), which would be this test.
      setpgid(0, 0);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);  // "Got exception NetworkError" when a client goes away
      std::string port = std::to_string(port_);
      execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", port.c_str(), "--quiet",
             db_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {  // until it listens (at most 10 s)
      if (const int fd = connect_loopback(port_); fd >= 0) {
        close(fd);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "xapian-tcpsrv did not start on port " << port_ << " (is xapian-tools installed?)";
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  uint16_t port() const { return port_; }

 private:
  std::string db_;
  uint16_t port_;
  pid_t pid_ = -1;
};

class ShardsSharedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // A copy of the texts, so that the last test can change some.
    src_ = dir_->path() / "src";
    fs::copy(shared_dir() / "data" / "policy-en", src_, fs::copy_options::recursive);
    fs::remove(src_ / "whitehouse-korea" / "manifest.jsonl");  // the download's list of files, no text
    auto r = run_index({"--no-progress", "--db", path("one"), src_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::thread> builds;
    std::vector<RunResult> results(3);
    for (int i = 0; i < 3; ++i)
      builds.emplace_back([i, &results] {
        results[i] = run_index({"--no-progress", "--threads", "1", "--db", path("shard" + std::to_string(i)),
                                "--shard", std::to_string(i) + "/3", src_.string()});
      });
    for (auto& t : builds) t.join();
    for (const auto& res : results) ASSERT_EQ(res.exit_code, 0) << res.err;
    std::string local, remote;
    for (int i = 0; i < 3; ++i) {
      servers_.push_back(new TcpServer(path("shard" + std::to_string(i)), free_port()));
      local += "auto shard" + std::to_string(i) + "\n";
      remote += "remote 127.0.0.1:" + std::to_string(servers_.back()->port()) + " 20000\n";
    }
    local_ = dir_->write("local.stub", local).string();
    remote_ = dir_->write("remote.stub", "# the three shards, each served by xapian-tcpsrv\n" + remote).string();
  }
  static void TearDownTestSuite() {
    for (TcpServer* s : servers_) delete s;
    servers_.clear();
    delete dir_;
    dir_ = nullptr;
  }
  static std::string path(const std::string& name) { return (dir_->path() / name).string(); }

  static query::SearchOptions options(const std::string& db, bool cross = false) {
    query::SearchOptions o;
    o.dbs = {db};
    o.limit = 10;
    o.cross = cross;
    return o;
  }
  static query::SearchResult search(const std::string& db, const std::string& q, bool cross = false,
                                    std::vector<std::string> facets = {}) {
    query::SearchOptions o = options(db, cross);
    o.facets = std::move(facets);
    query::Searcher s(o);
    return s.search(q);
  }
  static RunResult query(std::vector<std::string> args) {
    args.insert(args.begin(), query_bin());
    return run(args);
  }

  static TempDir* dir_;
  static fs::path src_;
  static std::vector<TcpServer*> servers_;
  static std::string local_, remote_;
};
TempDir* ShardsSharedTest::dir_ = nullptr;
fs::path ShardsSharedTest::src_;
std::vector<TcpServer*> ShardsSharedTest::servers_;
std::string ShardsSharedTest::local_, ShardsSharedTest::remote_;

const std::vector<std::string> kQueries = {"extended deterrence",
                                           "North Korea denuclearization",
                                           "Indo-Pacific strategy",
                                           "semiconductor supply chains",
                                           "climate change clean energy",
                                           "Camp David trilateral",
                                           "\"Washington Declaration\"",
                                           "Nuclear Consultative Group",
                                           "critical and emerging technologies",
                                           "human rights",
                                           "Ukraine Russia",
                                           "cyber threats",
                                           "+Japan +Korea summit",
                                           "economic security -China",
                                           "what did the presidents say about space cooperation",
                                           "information bipartisan"};

void expect_same(const query::SearchResult& one, const query::SearchResult& sharded, const std::string& what) {
  ASSERT_EQ(one.hits.size(), sharded.hits.size()) << what;
  EXPECT_EQ(one.total_estimate, sharded.total_estimate) << what;
  for (size_t i = 0; i < one.hits.size(); ++i) {
    EXPECT_EQ(one.hits[i].record.doc_id, sharded.hits[i].record.doc_id) << what << " #" << i + 1;
    EXPECT_EQ(one.hits[i].record.passage, sharded.hits[i].record.passage) << what << " #" << i + 1;
    EXPECT_NEAR(one.hits[i].score, sharded.hits[i].score, 1e-6) << what << " #" << i + 1;
  }
}

TEST_F(ShardsSharedTest, LocalAndRemoteShardsAnswerAsOneIndex) {
  size_t with_hits = 0;
  for (const std::string& q : kQueries) {
    const auto one = search(path("one"), q);
    expect_same(one, search(local_, q), q + " (auto lines)");
    expect_same(one, search(remote_, q), q + " (remote lines)");
    with_hits += one.hits.size() == 10;
  }
  EXPECT_GE(with_hits, 12u);
  // Facets stay exact over remote shards (counted from values, not a
  // ValueCountMatchSpy).
  for (const char* q : {"alliance", "Nuclear Consultative Group", "semiconductor"}) {
    const auto a = search(path("one"), q, false, {"year", "folder", "lang"});
    const auto b = search(remote_, q, false, {"year", "folder", "lang"});
    expect_same(a, b, q);
    ASSERT_EQ(a.facets.size(), b.facets.size());
    for (size_t f = 0; f < a.facets.size(); ++f) EXPECT_EQ(a.facets[f].values, b.facets[f].values) << q;
    EXPECT_EQ(a.date_first, b.date_first);
    EXPECT_EQ(a.date_last, b.date_last);
  }
}

TEST_F(ShardsSharedTest, TermsAndTranslationsAcrossRemoteShards) {
  auto translations = [](const RunResult& r) {
    std::vector<std::string> out;
    for (const auto& j : json_lines(r.out))
      if (j["type"] == "translation") out.push_back(j["text"].get<std::string>() + "/" + j["lang"].get<std::string>());
    return out;
  };
  for (const char* term : {"deterrence", "확장억제", "NCG"}) {
    const auto local = query({"--db", local_, "--terms", "--json", term});
    const auto remote = query({"--db", remote_, "--terms", "--json", term});
    EXPECT_EQ(remote.exit_code, local.exit_code) << remote.err;
    EXPECT_EQ(translations(local), translations(remote)) << term;
    EXPECT_FALSE(translations(remote).empty()) << term;
  }
  // A Korean query finds the English texts through the translations.
  const auto local = search(local_, "확장억제", true), remote = search(remote_, "확장억제", true);
  EXPECT_FALSE(remote.hits.empty());
  expect_same(local, remote, "확장억제 (cross)");
  // The date order cannot run remotely: refused in one line.
  const auto sorted = query({"--db", remote_, "--sort", "-date", "alliance"});
  EXPECT_EQ(sorted.exit_code, 2);
  EXPECT_NE(sorted.err.find("remote shards"), std::string::npos) << sorted.err;
}

TEST_F(ShardsSharedTest, ServerOverRemoteShardsAndAShardDown) {
  ServerProcess server(remote_, 2);
  for (const char* q : {"extended deterrence", "Camp David trilateral"}) {
    const HttpReply r = http_get(server.port(), "/api/search?cross=0&limit=10&q=" + url_encode(q));
    ASSERT_EQ(r.status, 200) << r.body;
    const json body = r.json();
    const auto one = search(path("one"), q);
    ASSERT_EQ(body["hits"].size(), one.hits.size()) << q;
    for (size_t i = 0; i < one.hits.size(); ++i) {
      EXPECT_EQ(body["hits"][i]["doc_id"], one.hits[i].record.doc_id) << q;
      EXPECT_NEAR(body["hits"][i]["score"].get<double>(), one.hits[i].score, 1e-6) << q;
    }
  }
  // Shard 1 goes down: the server says 503 naming it, the CLI exits 2 in one line.
  servers_[1]->stop();
  const std::string named = "remote 127.0.0.1:" + std::to_string(servers_[1]->port());
  const HttpReply down = http_get(server.port(), "/api/search?cross=0&q=alliance");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_NE(down.body.find(named), std::string::npos) << down.body;
  const auto cli = query({"--db", remote_, "alliance"});
  EXPECT_EQ(cli.exit_code, 2);
  EXPECT_NE(cli.err.find(named), std::string::npos) << cli.err;
  EXPECT_EQ(std::count(cli.err.begin(), cli.err.end(), '\n'), 1) << cli.err;
  // Back up: answers again.
  servers_[1]->start();
  bool answered = false;
  for (int i = 0; i < 20 && !answered; ++i) {
    answered = http_get(server.port(), "/api/search?cross=0&q=alliance").status == 200;
    if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(answered);
  EXPECT_EQ(server.stop(), 0);
}

// Runs last (its name sorts last in the suite's declaration order): it changes the texts.
TEST_F(ShardsSharedTest, ZIndexingAShardWhileQueriesRun) {
  // New and changed files, each landing in the shard its id hashes to.
  std::atomic<bool> stop{false};
  std::atomic<size_t> done{0}, failed{0};
  std::string first_error;
  std::mutex error_mutex;
  auto reader = [&](const std::string& db) {
    query::Searcher searcher(options(db));
    size_t k = 0;
    while (!stop.load()) {
      try {
        searcher.search(kQueries[k++ % kQueries.size()]);
        ++done;
      } catch (const std::exception& e) {
        ++failed;
        std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
      }
    }
  };
  std::thread local_reader(reader, local_), remote_reader(reader, remote_);
  for (int round = 0; round < 2; ++round) {
    for (int k = 0; k < 30; ++k)
      dir_->write("src/added/round" + std::to_string(round) + "-" + std::to_string(k) + ".txt",
                  "Added during the queries: the zeppelinvault" + std::to_string(k) +
                      " programme of the alliance, round " + std::to_string(round) + ".\n");
    // And changed files: their old passages are deleted from their shard.
    size_t changed = 0;
    for (const auto& e : fs::directory_iterator(src_ / "core")) {
      if (changed++ == 4) break;
      std::ofstream(e.path(), std::ios::app) << "\nAn added closing line, round " << round << ".\n";
    }
    for (int i = 0; i < 3; ++i) {
      const auto r = run_index({"--no-progress", "--threads", "1", "--db", path("shard" + std::to_string(i)),
                                "--shard", std::to_string(i) + "/3", src_.string()});
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  local_reader.join();
  remote_reader.join();
  EXPECT_EQ(failed.load(), 0u) << first_error;
  EXPECT_GT(done.load(), 10u);
  // The new files are found through both stubs, each once.
  for (const std::string& db : {local_, remote_}) {
    const auto r = search(db, "zeppelinvault7");
    EXPECT_EQ(r.total_estimate, 2u) << db;
  }
}

}  // namespace
}  // namespace bisearch::testing
