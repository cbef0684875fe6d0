// formats_cli_test.cc: PDF/HTML/DOCX/HWPX/HWP files end to end: indexed by bisearch-index, found by
// bisearch-query with their page or section, refused with a reason, and updated incrementally.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace bisearch::testing {
namespace {
namespace fs = std::filesystem;

class FormatsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = dir_.path() / "in";
    fs::copy(fixtures_dir() / "formats", in_);
    for (const auto& e : fs::directory_iterator(in_))
      fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    db_ = (dir_.path() / "idx").string();
  }
  RunResult query(std::vector<std::string> args) {
    args.insert(args.begin(), {query_bin(), "--db", db_});
    return run(args);
  }
  TempDir dir_;
  fs::path in_;
  std::string db_;
};

TEST_F(FormatsCliTest, IndexesEachFormatAndRefusesTheDistributionDocument) {
  RunResult r = run_index({"--db", db_, in_.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one file could not be indexed
  EXPECT_EQ(r.err, "bisearch-index: " + (in_ / "testHWP-v5-dist.hwp").string() +
                       ": hwp: distribution (배포용) HWP document: its text is encrypted in ViewText, BodyText holds "
                       "only a notice; not indexable\n");
  EXPECT_NE(r.out.find("indexed 7 documents"), std::string::npos) << r.out;
  // Nothing of it is in the index: not the notice its BodyText holds either.
  r = query({"--doc", "testHWP-v5-dist.hwp", "문서 배포용 Tika"});
  EXPECT_EQ(r.exit_code, 1) << r.out;

  // A PDF hit names its page, in text and in JSON.
  r = query({"--limit", "1", "chaptertocmaxlevel 수준까지"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("1. obchaptertoc-doc.pdf #")) << r.out;
  // (A Korean sentence naming LaTeX commands: Korean, analysis/language.h.)
  EXPECT_NE(r.out.find(" (p. 2) [ko]"), std::string::npos) << r.out;
  r = query({"--json", "--limit", "1", "chaptertocmaxlevel 수준까지"});
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["place"], (nlohmann::json{{"unit", "page"}, {"first", 2}, {"last", 2}, {"label", "p. 2"}}));

  // HWP and HWPX hits name their section; the two files of one document both
  // match. They hold the same text, so by default one hit stands for both.
  r = query({"--json", "--all", "캡션 바깥여백"});
  lines = json_lines(r.out);
  ASSERT_FALSE(lines.empty()) << r.out;
  EXPECT_EQ(lines[0]["doc_id"], "table2.hwp");
  EXPECT_EQ(lines[0]["copies"], (nlohmann::json{"table2.hwpx"}));
  r = query({"--json", "--all", "--per-doc", "0", "캡션 바깥여백"});
  lines = json_lines(r.out);
  std::vector<std::string> docs;
  for (const auto& j : lines) {
    if (j["type"] != "hit") continue;
    docs.push_back(j["doc_id"]);
    EXPECT_EQ(j["place"]["label"], "sec. 1");
  }
  std::sort(docs.begin(), docs.end());
  EXPECT_EQ(docs, (std::vector<std::string>{"table2.hwp", "table2.hwp", "table2.hwpx", "table2.hwpx"}));

  // HTML and DOCX have no pages: place is null.
  r = query({"--json", "--doc", "ch01s01.html", "--limit", "1", "이안 머독"});
  lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_TRUE(lines[0]["place"].is_null());
  EXPECT_EQ(lines[0]["title"], "1.1. 데비안이란?");
  r = query({"--doc", "install-guide-ko-ch01.docx", "--limit", "1", "이안 머독"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("(p."), std::string::npos);
}

TEST_F(FormatsCliTest, IncrementalUpdatesOfBinaryFiles) {
  RunResult r = run_index({"--db", db_, in_.string()});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  r = run_index({"--db", db_, in_.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // the distribution HWP still fails, but that is not new
  EXPECT_NE(r.out.find("files: 0 added, 0 changed, 0 removed, 0 renamed, 7 unchanged, 0 failed, 1 still not "
                       "indexable"),
            std::string::npos)
      << r.out;
  fs::rename(in_ / "table2.hwp", in_ / "table-renamed.hwp");
  fs::copy_file(in_ / "etc.hwp", in_ / "obchaptertoc-doc.pdf", fs::copy_options::overwrite_existing);  // an HWP now
  r = run_index({"--db", db_, in_.string()});
  EXPECT_NE(r.out.find("files: 0 added, 1 changed, 0 removed, 1 renamed, 5 unchanged"), std::string::npos) << r.out;
  r = query({"--json", "--all", "캡션 바깥여백", "--doc", "table-renamed.hwp"});
  EXPECT_EQ(json_lines(r.out).front()["place"]["label"], "sec. 1") << r.out;
  // The .pdf holds an HWP now: read by content, its passages have sections.
  r = query({"--json", "--doc", "obchaptertoc-doc.pdf", "가나다라"});
  auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0]["place"]["unit"], "section");
  r = query({"chaptertocmaxlevel"});
  EXPECT_EQ(r.exit_code, 1) << r.out;  // the PDF's passages are gone
}

}  // namespace
}  // namespace bisearch::testing
