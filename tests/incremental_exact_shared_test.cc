// incremental_exact_shared_test.cc: after adds, edits, deletes and renames of real files, and after SIGKILLed
// update runs followed by a clean one, the top 10 of Korean and English queries equals a fresh build's.
#include <gtest/gtest.h>
#include <signal.h>
#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "query/rank.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;

// The queries compared: English ones on the White House texts, Korean ones
// on the presidents' speeches, and some in both.
const std::vector<std::string> kQueries = {
    "nuclear consultative group", "extended deterrence", "Camp David", "supply chains", "semiconductors",
    "North Korea missile", "trilateral cooperation", "climate change", "Indo-Pacific", "economic security",
    "경제", "국민 여러분", "민주주의", "통일", "평화", "북한 핵", "일자리", "교육", "한미 동맹", "올림픽",
    "Korea 경제"};

// The top 10 of @p query as "doc#passage score" with the score to 3 decimals.
std::vector<std::string> top10(const fs::path& db, const std::string& query) {
  query::SearchOptions o;
  o.dbs = {db.string()};
  o.limit = 10;
  query::Searcher s(o);
  std::vector<std::string> out;
  for (const query::Hit& h : s.search(query).hits) {
    char score[32];
    snprintf(score, sizeof score, "%.3f", h.score);
    out.push_back(h.record.doc_id + "#" + std::to_string(h.record.passage) + " " + score);
  }
  return out;
}

void expect_same_answers(const fs::path& db, const fs::path& fresh) {
  size_t compared = 0;
  for (const std::string& q : kQueries) {
    const auto got = top10(db, q), want = top10(fresh, q);
    EXPECT_EQ(got, want) << q;
    if (!want.empty()) ++compared;
  }
  EXPECT_GE(compared, 18u);  // the queries really find something
}

// A folder of real files: White House texts (English, with headers) and
// speeches of Korean presidents written as text files with a header; the
// files beyond the first ones are kept aside to be added later.
struct Corpus {
  std::vector<fs::path> english;
  std::vector<std::pair<std::string, std::string>> korean;  // file name, content
};

Corpus load_corpus(size_t english, size_t korean) {
  Corpus c;
  const fs::path wh = shared_dir() / "data/policy-en/whitehouse-korea";
  for (const auto& e : fs::recursive_directory_iterator(wh))
    if (e.is_regular_file() && e.path().extension() == ".txt") c.english.push_back(e.path());
  std::sort(c.english.begin(), c.english.end());
  if (c.english.size() > english) c.english.resize(english);
  std::ifstream in(shared_dir() / "data/speeches-ko/speeches.jsonl");
  std::string line;
  while (c.korean.size() < korean && std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("speech_text") || !j["speech_text"].is_string()) continue;
    const std::string text = j["speech_text"];
    if (text.size() < 3000 || text.size() > 20000) continue;
    std::string title = j.value("title", "");
    std::replace(title.begin(), title.end(), '\n', ' ');
    c.korean.emplace_back("speech-" + std::to_string(c.korean.size()) + ".txt",
                          "title: " + title + "\ndate: " + j.value("date", "") + "\n---\n" + text);
  }
  return c;
}

class Folder {
 public:
  Folder(const fs::path& dir, const Corpus& c, size_t english, size_t korean) : dir_(dir), c_(c) {
    fs::create_directories(dir_);
    for (size_t i = 0; i < c_.english.size(); ++i) {
      if (i < english)
        fs::copy_file(c_.english[i], dir_ / ("en-" + std::to_string(i) + ".txt"));
      else
        pool_en_.push_back(i);
    }
    for (size_t i = 0; i < c_.korean.size(); ++i) {
      if (i < korean)
        write(dir_ / c_.korean[i].first, c_.korean[i].second);
      else
        pool_ko_.push_back(i);
    }
  }

  // One round of changes: edits, an mtime-only touch, deletes, renames, adds.
  void change(std::mt19937& rng, int round) {
    for (int k = 0; k < 4; ++k) {
      const fs::path f = pick(rng);
      std::ofstream(f, std::ios::app) << "\n\nRound " << round << " adds a paragraph about economic security and "
                                      << "the alliance.\n\n" << round << "번째 수정: 경제와 평화에 관한 문단입니다.\n";
    }
    fs::remove(pick(rng));
    const fs::path from = pick(rng);
    fs::rename(from, dir_ / ("moved-" + std::to_string(round) + "-" + from.filename().string()));
    if (!pool_en_.empty()) {
      fs::copy_file(c_.english[pool_en_.back()], dir_ / ("added-en-" + std::to_string(pool_en_.back()) + ".txt"));
      pool_en_.pop_back();
    }
    if (!pool_ko_.empty()) {
      write(dir_ / ("added-" + c_.korean[pool_ko_.back()].first), c_.korean[pool_ko_.back()].second);
      pool_ko_.pop_back();
    }
  }

 private:
  static void write(const fs::path& p, const std::string& content) { std::ofstream(p, std::ios::binary) << content; }
  fs::path pick(std::mt19937& rng) const {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files[std::uniform_int_distribution<size_t>(0, files.size() - 1)(rng)];
  }
  fs::path dir_;
  const Corpus& c_;
  std::vector<size_t> pool_en_, pool_ko_;
};

TEST(IncrementalExact, TopTenAfterUpdatesEqualsAFreshBuild) {
  const Corpus c = load_corpus(70, 50);
  ASSERT_GE(c.english.size(), 70u);
  ASSERT_GE(c.korean.size(), 50u);
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  Folder folder(in, c, 55, 40);
  RunResult r = run_index({"--db", db.string(), "--no-progress", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::mt19937 rng(14);
  for (int round = 1; round <= 4; ++round) {
    folder.change(rng, round);
    r = run_index({"--db", db.string(), "--no-progress", in.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ASSERT_EQ(run_index({"--db", fresh.string(), "--no-progress", in.string()}).exit_code, 0);
  EXPECT_EQ(Xapian::Database(db.string()).get_doccount(), Xapian::Database(fresh.string()).get_doccount());
  expect_same_answers(db, fresh);
}

TEST(IncrementalExact, TopTenAfterKilledUpdatesAndACleanRunEqualsAFreshBuild) {
  const Corpus c = load_corpus(70, 50);
  ASSERT_GE(c.english.size(), 70u);
  ASSERT_GE(c.korean.size(), 50u);
  TempDir tmp;
  const fs::path in = tmp.path() / "in", db = tmp.path() / "db", fresh = tmp.path() / "fresh";
  Folder folder(in, c, 55, 40);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_index({"--db", db.string(), "--no-progress", in.string()}).exit_code, 0);
  // Kill moments within the time a whole build takes on this machine (a
  // fixed range let most runs finish first on a fast, idle one).
  const int build_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
  const int latest_ms = std::max(40, build_ms * 3 / 4);
  std::mt19937 rng(1414);
  int kills = 0;
  for (int round = 1; round <= 12; ++round) {
    folder.change(rng, round);
    std::vector<std::string> args = {"--db", db.string(), "--no-progress", "--batch", "200", in.string()};
    if (round % 4 == 0) args.insert(args.begin(), "--rebuild");
    const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(5, latest_ms)(rng));
    if (run_index_and_signal(args, delay, SIGKILL)) ++kills;
  }
  // Most runs were killed midway (11-12 of 12 seen; an update of a few
  // files may end first).
  EXPECT_GE(kills, 6) << "a whole build took " << build_ms << " ms";
  std::cerr << kills << " of 12 runs killed (a whole build: " << build_ms << " ms)\n";
  const RunResult r = run_index({"--db", db.string(), "--no-progress", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(run_index({"--db", fresh.string(), "--no-progress", in.string()}).exit_code, 0);
  const RunResult a = run_index({"--db", db.string(), "status"});
  const RunResult b = run_index({"--db", fresh.string(), "status"});
  ASSERT_NE(b.out.find("passage digest"), std::string::npos) << b.out;
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
  expect_same_answers(db, fresh);
}

}  // namespace
}  // namespace bisearch::testing
