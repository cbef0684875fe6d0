// replica_test.cc: a bisearch index copied and kept current by xapian-replicate (docs/shards.md, Replicas).
#include <gtest/gtest.h>

#include <xapian.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "query/rank.h"
#include "tests/server_util.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;

std::string tool(const std::string& name) {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"})
    if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return name;
}

// xapian-replicate-server for the masters under @p parent; stopped on destruction.
class ReplicateServer {
 public:
  explicit ReplicateServer(const fs::path& parent) : port_(free_port()) {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);  // keep its signals to its own children
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      const std::string port = std::to_string(port_), server = tool("xapian-replicate-server");
      execl(server.c_str(), server.c_str(), "-I", "127.0.0.1", "-p", port.c_str(), parent.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (const int fd = connect_loopback(port_); fd >= 0) {
        close(fd);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "xapian-replicate-server did not start (is xapian-tools installed?)";
  }
  ~ReplicateServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  pid_t pid_ = -1;
};

const std::vector<std::string> kQueries = {"확장억제",      "핵협의그룹", "Nuclear Consultative Group", "extended deterrence",
                                           "국민 여러분",   "document",   "한미 양국",                  "alliance",
                                           "zeppelinvault"};

// "doc#passage score" of the top 10 of each query.
std::vector<std::string> top10(const fs::path& db) {
  query::SearchOptions o;
  o.dbs = {db.string()};
  o.limit = 10;
  query::Searcher s(o);
  std::vector<std::string> out;
  for (const std::string& q : kQueries) {
    out.push_back("## " + q);
    for (const auto& h : s.search(q).hits) {
      char score[32];
      std::snprintf(score, sizeof score, "%.6f", h.score);
      out.push_back(h.record.doc_id + "#" + std::to_string(h.record.passage) + " " + score);
    }
  }
  return out;
}

TEST(ReplicaTest, ReplicaFollowsItsMaster) {
  TempDir tmp;
  setenv("XAPIAN_MAX_CHANGESETS", "20", 1);  // the indexer's commits leave changesets for replicas
  const fs::path src = tmp.path() / "src";
  fs::create_directories(src);
  fs::copy(corpus_dir(), src / "corpus", fs::copy_options::recursive);
  fs::create_directories(src / "fx");
  for (const char* f : {"docs.jsonl", "speeches-like.jsonl", "front-matter.md", "key-value.txt"})
    fs::copy_file(fixtures_dir() / "index" / f, src / "fx" / f, fs::copy_options::overwrite_existing);
  fs::create_directories(tmp.path() / "master");
  const fs::path master = tmp.path() / "master" / "idx", replica = tmp.path() / "replica" / "idx";
  auto index = [&](std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--no-progress", "--threads", "1", "--db", master.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(src.string());
    const auto r = run_index(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  index();
  ReplicateServer server(tmp.path() / "master");
  fs::create_directories(tmp.path() / "replica");
  auto replicate = [&] {
    const auto r = run({tool("xapian-replicate"), "-h", "127.0.0.1", "-p", std::to_string(server.port()), "-m",
                        "idx", "-o", "-r", "0", "-v", replica.string()});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r.out + r.err;
  };

  // A first copy: searchable by bisearch, the same answers.
  replicate();
  ASSERT_TRUE(fs::exists(replica / "XAPIANDB"));
  EXPECT_EQ(top10(replica), top10(master));

  // An update of the master reaches the replica as changesets.
  std::ofstream(src / "corpus" / "added.txt") << "The zeppelinvault programme of the alliance, added later.\n";
  std::ofstream(src / "fx" / "key-value.txt") << "title: Changed\n---\nA changed text about the alliance and extended deterrence.\n";
  index();
  const std::string log = replicate();
  EXPECT_EQ(top10(replica), top10(master));
  EXPECT_NE(top10(replica), std::vector<std::string>{});
  EXPECT_EQ(query::Searcher([&] {
              query::SearchOptions o;
              o.dbs = {replica.string()};
              return o;
            }())
                .search("zeppelinvault")
                .hits.size(),
            1u);
  EXPECT_NE(log.find("changeset"), std::string::npos) << log;

  // A rebuild swaps in a new generation: the replica gets a full copy.
  index({"--rebuild"});
  replicate();
  EXPECT_EQ(top10(replica), top10(master));

  // Readers of the replica while it is updated: no failed query.
  std::atomic<bool> stop{false};
  std::atomic<size_t> done{0}, failed{0};
  std::string first_error;
  std::mutex m;
  std::thread reader([&] {
    query::SearchOptions o;
    o.dbs = {replica.string()};
    query::Searcher s(o);
    size_t k = 0;
    while (!stop) {
      try {
        s.search(kQueries[k++ % kQueries.size()]);
        ++done;
      } catch (const std::exception& e) {
        ++failed;
        std::lock_guard lock(m);
        if (first_error.empty()) first_error = e.what();
      }
    }
  });
  for (int round = 0; round < 3; ++round) {
    std::ofstream(src / "corpus" / ("round" + std::to_string(round) + ".txt"))
        << "Round " << round << " of the zeppelinvault updates to the alliance texts.\n";
    index();
    replicate();
  }
  stop = true;
  reader.join();
  EXPECT_EQ(failed.load(), 0u) << first_error;
  EXPECT_GT(done.load(), 0u);
  EXPECT_EQ(top10(replica), top10(master));
}

}  // namespace
}  // namespace bisearch::testing
