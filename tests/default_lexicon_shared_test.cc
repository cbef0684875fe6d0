// default_lexicon_shared_test.cc: out of the box, Korean policy terms find English White House texts (an
// index of policy-en/core: no Korean, no parallel text) through the shipped lexicon and glossary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bisearch::testing {
namespace {

class ShippedLexiconShared : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    db_ = (dir_->path() / "db").string();
    const auto r = run_index({"--no-progress", "--db", db_, (shared_dir() / "data" / "policy-en" / "core").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static RunResult query(std::vector<std::string> args) {
    args.insert(args.begin(), {query_bin(), "--db", db_});
    return run(args);
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* ShippedLexiconShared::dir_ = nullptr;
std::string ShippedLexiconShared::db_;

TEST_F(ShippedLexiconShared, KoreanTermsFindTheEnglishTexts) {
  const std::pair<const char*, const char*> cases[] = {{"북한", "North Korea"},
                                                       {"비핵화", "denuclearization"},
                                                       {"인도태평양", "Indo-Pacific"},
                                                       {"워싱턴 선언", "Washington Declaration"},
                                                       {"핵협의그룹", "Nuclear Consultative Group"},
                                                       {"공급망", "supply chain"},
                                                       {"확장억제", "extended deterrence"}};
  for (const auto& [ko, en] : cases) {
    const auto r = query({"--json", "--lang", "en", "--limit", "3", ko});
    ASSERT_EQ(r.exit_code, 0) << ko << ": " << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_GE(lines.size(), 2u) << ko;
    std::string text = lines[0]["text"];
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string want = en;
    std::transform(want.begin(), want.end(), want.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_NE(text.find(want), std::string::npos) << ko << " -> " << lines[0]["text"];
    // Without the shipped data the English archive has nothing for it.
    EXPECT_EQ(query({"--json", "--lang", "en", "--no-default-lexicon", ko}).exit_code, 1) << ko;
  }
}

TEST_F(ShippedLexiconShared, TermsShowWhetherTheArchiveUsesEachSide) {
  const auto r = query({"--terms", "--json", "supply chain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0]["text"], "공급망");
  EXPECT_EQ(lines[0]["index_passages"], 0);     // no Korean in this archive
  EXPECT_GT(lines.back()["matching_estimate"], 0);  // the English term is used
}

}  // namespace
}  // namespace bisearch::testing
