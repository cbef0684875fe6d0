/** @file test_util.h
 *  @brief Shared test helpers: temp directories, running the CLIs, paths.
 */
#pragma once

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/rank.h"

namespace bisearch::testing {

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  /// Writes @p content to path()/@p relative (parents created); returns the path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs @p argv (argv[0] is the program path) with no shell, capturing output.
RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text = "");

/// Runs the built bisearch-index with @p args.
RunResult run_index(const std::vector<std::string>& args);

/// Starts the built bisearch-index with @p args (output discarded) and
/// sends it @p signal after @p delay unless it finished before. Returns
/// whether the signal hit a running indexer (SIGKILL: it died of it; SIGINT:
/// it stopped as interrupted, exit 130).
bool run_index_and_signal(const std::vector<std::string>& args, std::chrono::milliseconds delay, int signal);

/// The whole content of a file ("" if it cannot be read).
std::string read_file(const std::filesystem::path& path);

/// The JSON objects of JSON Lines output (empty lines skipped).
std::vector<nlohmann::json> json_lines(const std::string& out);

/// The built binaries and source paths.
std::string index_bin();
std::string query_bin();
std::filesystem::path source_dir();
std::filesystem::path corpus_dir();
std::filesystem::path fixtures_dir();
/// The shared data folder (BISEARCH_SHARED at configure time); only
/// *_shared_test.cc binaries, registered when it exists, use it.
std::filesystem::path shared_dir();

/// Passages of an index (superseded ones are deleted, schema 7).
size_t live_passages(const Xapian::Database& db);
size_t live_passages(const std::filesystem::path& db);
/// Live passages indexed under @p term.
size_t live_postings(const Xapian::Database& db, const std::string& term);
size_t live_postings(const std::filesystem::path& db, const std::string& term);

/// Every hit of @p query in the index at @p db (no page limit).
std::vector<query::Hit> all_hits(const std::filesystem::path& db, const std::string& query);

/// Fixture for suites that query one index of corpus/, built once per
/// suite into a temp dir: dir_ (the temp dir) and db_ (the index path).
class CorpusIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  /// Runs bisearch-query --db db_ with @p args.
  static RunResult query(std::vector<std::string> args);

  static TempDir* dir_;
  static std::string db_;
};

}  // namespace bisearch::testing
