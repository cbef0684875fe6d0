// Tests of the document fields in search (issue 12, schema 6): titles lift
// their document and say when they alone matched, exact copies collapse
// into one hit, and folders and metadata fields narrow and count.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "query/rank.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

using query::SearchOptions;
using query::Searcher;

std::string file(const std::string& title, const std::string& date, const std::string& category,
                 const std::string& body) {
  return "title: " + title + "\ndate: " + date + "\ncategory: " + category + "\n---\n" + body;
}

std::string paragraphs(const std::string& subject, int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s += "Section " + std::to_string(i + 1) + " sets out how " + subject +
         " will be carried out, who answers for it, and what the two governments will report each year "
         "to their legislatures about the progress made and the money spent on it.\n\n";
  return s;
}

class SearchFields : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const std::string declaration =
        paragraphs("the nuclear consultative group", 3) +
        "Both presidents signed it in April 2023 at the White House.\n";
    dir_->write("src/core/declaration.txt",
                file("Washington Declaration", "2023-04-26", "statement", declaration));
    // The same body under another folder and header: an exact copy.
    dir_->write("src/whitehouse/2023/declaration-copy.txt",
                file("Washington Declaration (archived)", "April 26, 2023", "archive", declaration));
    // Other documents that say the words often in their text.
    dir_->write("src/core/briefing.txt",
                file("Press Briefing", "2023-05-01", "briefing",
                     "Reporters asked about the Washington Declaration. The Washington Declaration, officials said, "
                     "is a declaration of intent; the Washington Declaration follows an earlier declaration made in "
                     "Washington.\n\nAnother question concerned trade.\n"));
    dir_->write("src/core/remarks.txt",
                file("Remarks in Washington", "2022-11-02", "speech",
                     "A declaration on climate was read out. Washington hosted the meeting.\n"));
    dir_->write("src/pacific/aotearoa.txt",
                file("United States - Aotearoa New Zealand Joint Statement", "2022.05.31", "statement",
                     paragraphs("cooperation in the Pacific", 4)));
    db_ = (dir_->path() / "db").string();
    const RunResult r = run_index({"--db", db_, (dir_->path() / "src").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static SearchOptions options() {
    SearchOptions o;
    o.dbs = {db_};
    return o;
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* SearchFields::dir_ = nullptr;
std::string SearchFields::db_;

TEST_F(SearchFields, TheDocumentTitledByTheQueryComesFirst) {
  const auto r = Searcher(options()).search("Washington Declaration");
  ASSERT_GE(r.hits.size(), 2u);
  const std::string first = r.hits[0].record.doc_id;
  EXPECT_TRUE(first == "core/declaration.txt" || first == "whitehouse/2023/declaration-copy.txt") << first;
  // Its title's words are highlighted in the title.
  const auto& h = r.hits[0];
  ASSERT_FALSE(h.title_highlights.empty());
  std::set<std::string> marked;
  for (const auto& [b, e] : h.title_highlights) marked.insert(h.record.title.substr(b, e - b));
  EXPECT_TRUE(marked.count("Washington"));
  EXPECT_TRUE(marked.count("Declaration"));
  // The briefing says the words in its text more often, yet comes later.
  size_t briefing = 0;
  for (size_t i = 0; i < r.hits.size(); ++i)
    if (r.hits[i].record.doc_id == "core/briefing.txt") briefing = i;
  EXPECT_GT(briefing, 0u);
  EXPECT_FALSE(r.hits[briefing].title_only);
  EXPECT_FALSE(r.hits[briefing].highlights.empty());
}

TEST_F(SearchFields, ExactCopiesAreOneHitListingTheOthers) {
  SearchOptions o = options();
  o.limit = 50;
  const auto r = Searcher(o).search("consultative group");
  std::map<std::string, size_t> of_doc;
  for (const auto& h : r.hits) ++of_doc[h.record.doc_id];
  // Two documents with one body: per_doc (2) passages for both together.
  EXPECT_EQ(of_doc["core/declaration.txt"] + of_doc["whitehouse/2023/declaration-copy.txt"], 2u);
  for (const auto& h : r.hits) {
    ASSERT_EQ(h.copies.size(), 1u) << h.record.doc_id;
    EXPECT_NE(h.copies[0], h.record.doc_id);
    // Three sections hold the words: one more than the two shown.
    EXPECT_EQ(h.more_in_doc, 1u);
  }
  // The total counts passages: both copies' three each.
  EXPECT_EQ(r.total_estimate, 6u);
  o.per_doc = 0;
  const auto raw = Searcher(o).search("consultative group");
  EXPECT_EQ(raw.hits.size(), 6u);
  for (const auto& h : raw.hits) {
    EXPECT_TRUE(h.copies.empty());
    EXPECT_EQ(h.more_in_doc, 0u);
  }
}

TEST_F(SearchFields, AMatchOnTitleWordsAloneIsMarked) {
  SearchOptions o = options();
  o.per_doc = 0;
  const auto r = Searcher(o).search("Aotearoa");
  ASSERT_EQ(r.hits.size(), 4u);  // the four passages of the titled document
  for (const auto& h : r.hits) {
    EXPECT_EQ(h.record.doc_id, "pacific/aotearoa.txt");
    EXPECT_TRUE(h.title_only);
    EXPECT_TRUE(h.highlights.empty());
    ASSERT_EQ(h.title_highlights.size(), 1u);
    const auto [b, e] = h.title_highlights[0];
    EXPECT_EQ(h.record.title.substr(b, e - b), "Aotearoa");
  }
  o.per_doc = 2;
  const auto grouped = Searcher(o).search("Aotearoa");
  ASSERT_EQ(grouped.hits.size(), 2u);
  EXPECT_EQ(grouped.hits[0].more_in_doc, 2u);
  EXPECT_EQ(grouped.total_estimate, 4u);
}

TEST_F(SearchFields, PathAndFieldNarrow) {
  SearchOptions o = options();
  o.per_doc = 0;
  o.limit = 100;
  o.paths = {"core"};
  auto r = Searcher(o).search("Washington OR declaration OR cooperation");
  ASSERT_FALSE(r.hits.empty());
  for (const auto& h : r.hits) EXPECT_EQ(h.record.doc_id.rfind("core/", 0), 0u) << h.record.doc_id;
  o.paths = {"whitehouse/2023/declaration-copy.txt", "pacific/"};
  r = Searcher(o).search("Washington OR declaration OR cooperation");
  std::set<std::string> docs;
  for (const auto& h : r.hits) docs.insert(h.record.doc_id);
  EXPECT_EQ(docs, (std::set<std::string>{"whitehouse/2023/declaration-copy.txt", "pacific/aotearoa.txt"}));
  o.paths.clear();
  o.fields = {{"category", "Statement"}};  // values match case-folded
  r = Searcher(o).search("Washington OR declaration OR cooperation");
  docs.clear();
  for (const auto& h : r.hits) docs.insert(h.record.doc_id);
  EXPECT_EQ(docs, (std::set<std::string>{"core/declaration.txt", "pacific/aotearoa.txt"}));
}

TEST_F(SearchFields, FolderYearAndFieldFacetsAndDatesAreExact) {
  SearchOptions o = options();
  o.limit = 1;
  o.facets = {"folder", "year", "field:category"};
  const auto r = Searcher(o).search("Washington OR declaration OR cooperation");
  ASSERT_EQ(r.facets.size(), 3u);
  // Every matching passage, from the ungrouped list.
  SearchOptions raw = options();
  raw.per_doc = 0;
  raw.limit = 1000;
  const auto all = Searcher(raw).search("Washington OR declaration OR cooperation");
  std::map<std::string, uint64_t> folder;
  for (const auto& h : all.hits) {
    const size_t slash = h.record.doc_id.rfind('/');
    ++folder[h.record.doc_id.substr(0, slash)];
  }
  EXPECT_EQ(r.total_estimate, all.hits.size());
  EXPECT_EQ((std::map<std::string, uint64_t>(r.facets[0].values.begin(), r.facets[0].values.end())), folder);
  std::map<std::string, uint64_t> year(r.facets[1].values.begin(), r.facets[1].values.end());
  EXPECT_EQ(year["2022"] + year["2023"], all.hits.size());  // "2022.05.31" and "April 26, 2023" normalized
  EXPECT_EQ(year["2022"], 4u + 1u);                          // Aotearoa's four, the remarks' one
  std::map<std::string, uint64_t> category(r.facets[2].values.begin(), r.facets[2].values.end());
  EXPECT_EQ(category["archive"], 4u);
  EXPECT_EQ(r.date_first, "2022-05-31");
  EXPECT_EQ(r.date_last, "2023-05-01");
}

}  // namespace
}  // namespace bisearch::testing
