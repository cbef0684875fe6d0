// metadata_shared_test.cc: the metadata of the real archive is read whole:
// every White House header of policy-en (wrapped values included), every
// date of the speeches, policy-en and the format samples, and the document
// key shared by the copies in policy-en/core/ and policy-en/whitehouse-korea/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "analysis/dates.h"
#include "analysis/schema.h"
#include "indexer/extract.h"
#include "test_util.h"

namespace bisearch::indexer {
namespace {

namespace fs = std::filesystem;

struct Collect : DocumentSink {
  std::vector<Document> docs;
  std::vector<Problem> problems;
  bool document(Document&& d) override {
    d.text.clear();  // the speeches are 45 MB: keep the metadata only
    d.text.shrink_to_fit();
    docs.push_back(std::move(d));
    return true;
  }
  void problem(Problem&& p) override { problems.push_back(std::move(p)); }
};

// Every file under @p root that bisearch-index would read, with its rel path.
std::vector<SourceFile> files_under(const fs::path& root) {
  std::vector<SourceFile> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::optional<Format> f = format_for(e.path());
    if (!f) continue;
    out.push_back({e.path(), fs::relative(e.path(), root).generic_string(), *f, e.file_size()});
  }
  std::sort(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.rel < b.rel; });
  return out;
}

// @p text with every run of ASCII white space as one space, trimmed.
std::string collapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

fs::path policy_dir() { return testing::shared_dir() / "data/policy-en"; }

TEST(MetadataSharedTest, EveryWhiteHouseHeaderIsRead) {
  size_t files = 0, wrapped = 0;
  for (const SourceFile& f : files_under(policy_dir())) {
    if (f.format != Format::kText || f.rel == "SOURCE.txt") continue;
    ++files;
    const std::string raw = testing::read_file(f.path);
    // A header whose value wraps onto an indented line (33 files at this writing).
    const size_t fence = raw.find("\n---\n");
    ASSERT_NE(fence, std::string::npos) << f.rel;
    wrapped += raw.substr(0, fence).find("\n ") != std::string::npos;
    Collect c;
    extract(f, ExtractOptions{}, c);
    ASSERT_TRUE(c.problems.empty()) << c.problems[0].message();
    ASSERT_EQ(c.docs.size(), 1u) << f.rel;
    const Document& d = c.docs[0];
    EXPECT_FALSE(d.title.empty()) << f.rel;
    // The title as written: its line and any indented lines after it, joined by one space.
    std::string title;
    const size_t at = raw.find("title: ");
    ASSERT_LT(at, fence) << f.rel;
    for (size_t pos = at + 7;;) {
      const size_t nl = raw.find('\n', pos);
      std::string part = raw.substr(pos, nl - pos);
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      title += (title.empty() ? "" : " ") + part;
      if (nl >= fence || raw[nl + 1] != ' ') break;
      pos = nl + 1;
    }
    EXPECT_EQ(d.title, title) << f.rel;
    EXPECT_TRUE(d.url.starts_with("https://")) << f.rel;
    EXPECT_EQ(d.language, "en") << f.rel;
    EXPECT_TRUE(normalize_date(d.date).has_value()) << f.rel << ": " << d.date;
    EXPECT_EQ(d.fields.count("license"), 1u) << f.rel;
    EXPECT_TRUE(d.fields.count("repo_path") && d.fields.at("repo_path").starts_with("brian14708/")) << f.rel;
    // The body starts after the header's closing line.
    EXPECT_EQ(d.body_begin, fence + 5) << f.rel;
  }
  EXPECT_EQ(files, 1085u);
  EXPECT_GT(wrapped, 0u);
  std::printf("policy-en: %zu headers read, %zu of them with a wrapped value\n", files, wrapped);
}

TEST(MetadataSharedTest, CopiesInCoreAndWhiteHouseKoreaShareTheirKey) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_name;  // name -> (rel, key)
  std::map<std::string, std::pair<std::string, std::string>> by_key;  // key -> (rel, body)
  size_t reposted = 0;
  for (const SourceFile& f : files_under(policy_dir())) {
    if (f.format != Format::kText || f.rel == "SOURCE.txt") continue;
    const std::string raw = testing::read_file(f.path);
    Collect c;
    extract(f, ExtractOptions{}, c);
    ASSERT_EQ(c.docs.size(), 1u) << f.rel;
    const std::string& key = c.docs[0].content_key;
    by_name[f.path.filename().string()].emplace_back(f.rel, key);
    // Files of different names that share a key hold the same body but for
    // white space (the archive has some documents posted twice).
    std::string body = collapsed(std::string_view(raw).substr(c.docs[0].body_begin));
    auto [it, fresh] = by_key.try_emplace(key, f.rel, body);
    if (!fresh && it->second.first.substr(it->second.first.rfind('/')) != f.rel.substr(f.rel.rfind('/'))) {
      ++reposted;
      EXPECT_TRUE(body == it->second.second) << f.rel << " and " << it->second.first;
    }
  }
  std::printf("policy-en: %zu files share their body with a file of another name\n", reposted);
  size_t copies = 0;
  for (const auto& [name, list] : by_name) {
    for (const auto& [rel, key] : list) {
      EXPECT_EQ(key.size(), 16u);
      EXPECT_EQ(key, list[0].second) << rel << " and " << list[0].first;
    }
    if (list.size() > 1 && list[0].first.starts_with("core/")) ++copies;
  }
  EXPECT_EQ(copies, 12u);  // every core/ text is also in whitehouse-korea/
  EXPECT_GT(reposted, 0u);
}

TEST(MetadataSharedTest, DatesOfTheArchiveAreUnderstood) {
  // speeches.jsonl: 1998.02.25, 1993.03, 1950 (and some with no date).
  const fs::path speeches = testing::shared_dir() / "data/speeches-ko/speeches.jsonl";
  Collect c;
  extract({speeches, "speeches.jsonl", Format::kJsonl, fs::file_size(speeches)}, ExtractOptions{}, c);
  ASSERT_GT(c.docs.size(), 7000u);
  size_t dated = 0, understood = 0, partial = 0;
  for (const Document& d : c.docs) {
    if (d.date.empty()) continue;
    ++dated;
    const auto iso = normalize_date(d.date);
    understood += iso.has_value();
    partial += iso && iso->size() < 10;
    EXPECT_TRUE(iso) << d.where << ": '" << d.date << "'";
  }
  std::printf("speeches: %zu of %zu dates understood (%zu to the month or year only); %zu without a date\n",
              understood, dated, partial, c.docs.size() - dated);
  EXPECT_GT(dated, 7000u);
  EXPECT_GT(partial, 0u);
  // The JSONL scalar fields are kept as fields.
  EXPECT_EQ(c.docs[0].fields.count("president"), 1u);
  EXPECT_EQ(c.docs[0].fields.count("speech_text"), 0u);

  // The format samples: dates from PDF, DOCX, HWPX and HWP properties.
  size_t files = 0, with_date = 0, iso = 0;
  for (const SourceFile& f : files_under(testing::shared_dir() / "data/formats")) {
    if (f.format == Format::kText || f.format == Format::kMarkdown || f.format == Format::kJsonl) continue;
    Collect fc;
    extract(f, ExtractOptions{}, fc);
    if (fc.docs.empty()) continue;
    ++files;
    const std::string& date = fc.docs[0].date;
    if (date.empty()) continue;
    ++with_date;
    const auto n = normalize_date(date);
    iso += n.has_value();
    EXPECT_TRUE(n) << f.rel << ": '" << date << "'";
  }
  std::printf("formats: %zu of %zu dated documents understood (%zu documents read)\n", iso, with_date, files);
  EXPECT_GT(with_date, 0u);
}

}  // namespace
}  // namespace bisearch::indexer
