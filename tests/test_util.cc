// test_util.cc: temp dirs and subprocess runner for the test binaries.
#include "test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;


namespace bisearch::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("bisearch-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& relative, const std::string& content) const {
  fs::path p = path_ / relative;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

namespace {
std::string slurp_fd(int fd) {
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}
}  // namespace

RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text) {
  // Output goes through temp files so large outputs never dead-lock a pipe.
  TempDir io;
  const fs::path in = io.write("stdin", stdin_text), out = io.path() / "stdout", err = io.path() / "stderr";
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fi = open(in.c_str(), O_RDONLY);
    const int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fi, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const int fo = open(out.c_str(), O_RDONLY), fe = open(err.c_str(), O_RDONLY);
  r.out = slurp_fd(fo);
  r.err = slurp_fd(fe);
  close(fo);
  close(fe);
  return r;
}

RunResult run_index(const std::vector<std::string>& args) {
  std::vector<std::string> argv{index_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

bool run_index_and_signal(const std::vector<std::string>& args, std::chrono::milliseconds delay, int signal) {
  std::vector<std::string> argv{index_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  const auto until = std::chrono::steady_clock::now() + delay;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, signal);
  waitpid(pid, &status, 0);
  return signal == SIGKILL ? WIFSIGNALED(status) : WIFEXITED(status) && WEXITSTATUS(status) == 130;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TempDir* CorpusIndexTest::dir_ = nullptr;
std::string CorpusIndexTest::db_;

void CorpusIndexTest::SetUpTestSuite() {
  dir_ = new TempDir();
  db_ = (dir_->path() / "db").string();
  const auto r = run_index({"--db", db_, corpus_dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void CorpusIndexTest::TearDownTestSuite() {
  delete dir_;
  dir_ = nullptr;
}

RunResult CorpusIndexTest::query(std::vector<std::string> args) {
  args.insert(args.begin(), {query_bin(), "--db", db_});
  return run(args);
}

std::string index_bin() { return BISEARCH_INDEX_BIN; }
std::string query_bin() { return BISEARCH_QUERY_BIN; }
fs::path source_dir() { return BISEARCH_SOURCE_DIR; }
fs::path corpus_dir() { return source_dir() / "corpus"; }
fs::path fixtures_dir() { return source_dir() / "tests" / "fixtures"; }
fs::path shared_dir() { return BISEARCH_SHARED_DIR; }

std::vector<query::Hit> all_hits(const fs::path& db, const std::string& query) {
  query::SearchOptions o;
  o.dbs = {db.string()};
  o.limit = 100000;
  o.per_doc = 0;  // every matching passage, not grouped by document
  // The index's own matches: the translations shipped with bisearch
  // (query/default_lexicon.h) would add the other language's passages.
  o.expand.default_lexicon = false;
  query::Searcher s(o);
  return s.search(query).hits;
}

size_t live_passages(const Xapian::Database& db) { return db.get_doccount(); }
size_t live_passages(const fs::path& db) { return live_passages(Xapian::Database(db.string())); }

size_t live_postings(const Xapian::Database& db, const std::string& term) { return db.get_termfreq(term); }
size_t live_postings(const fs::path& db, const std::string& term) {
  return live_postings(Xapian::Database(db.string()), term);
}

}  // namespace bisearch::testing
