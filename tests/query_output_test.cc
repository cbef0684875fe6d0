// query_output_test.cc: how hits and summaries are rendered (query/output.h),
// on results built here from policy-en-like records, independent of ranking.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "query/output.h"

namespace bisearch::query {
namespace {

Hit washington_hit() {
  Hit h;
  h.rank = 1;
  h.score = 12.5;
  h.record.doc_id = "core/2023-04-26-washington-declaration-2.txt";
  h.record.title = "Washington Declaration";
  h.record.date = "2023-04-26";
  h.record.lang = "en";
  h.record.text = "President Biden reaffirms that any nuclear attack by the DPRK against the ROK will be met with a "
                  "swift, overwhelming and decisive response.";
  h.title_highlights = {{0, 10}, {11, 22}};
  h.title_only = true;
  h.more_in_doc = 5;
  h.copies = {"whitehouse-korea/statements-releases/2023-04/2023-04-26-washington-declaration-2.txt"};
  return h;
}

SearchOptions page(size_t offset, size_t limit) {
  SearchOptions o;
  o.offset = offset;
  o.limit = limit;
  return o;
}

TEST(QueryOutputTest, HitJsonCarriesTitleGroupingAndCopies) {
  const auto j = hit_json(washington_hit(), nullptr);
  EXPECT_EQ(j["title_highlights"].dump(), "[[0,10],[11,22]]");
  EXPECT_EQ(j["title_only"], true);
  EXPECT_EQ(j["more_in_doc"], 5);
  ASSERT_EQ(j["copies"].size(), 1u);
  EXPECT_EQ(j["copies"][0], "whitehouse-korea/statements-releases/2023-04/2023-04-26-washington-declaration-2.txt");
  Hit plain;
  plain.record.text = "text";
  const auto p = hit_json(plain, nullptr);
  EXPECT_EQ(p["title_only"], false);
  EXPECT_EQ(p["more_in_doc"], 0);
  EXPECT_TRUE(p["copies"].empty());
  EXPECT_TRUE(p["title_highlights"].empty());
}

TEST(QueryOutputTest, TextSaysTitleOnlyMoreInDocumentAndCopies) {
  SearchResult r;
  r.hits = {washington_hit()};
  r.total_estimate = 106;
  r.total_exact = true;
  r.date_first = "2023-04-26";
  r.date_last = "2024-07-11";
  std::ostringstream out;
  print_text(out, "Washington Declaration", r, page(0, 10), OutputOptions{});
  const std::string s = out.str();
  EXPECT_NE(s.find("— Washington Declaration (matched in title only)"), std::string::npos) << s;
  EXPECT_NE(s.find("+5 more in this document"), std::string::npos) << s;
  EXPECT_NE(s.find("same text also at: whitehouse-korea/statements-releases/"), std::string::npos) << s;
  EXPECT_NE(s.find("passages 1–1 of 106, dated 2023-04-26 to 2024-07-11"), std::string::npos) << s;
  EXPECT_EQ(s.find("about"), std::string::npos) << s;

  OutputOptions color;
  color.color = true;
  std::ostringstream c;
  print_text(c, "Washington Declaration", r, page(0, 10), color);
  EXPECT_NE(c.str().find("\x1b[1;31mWashington\x1b[0m"), std::string::npos) << c.str();
  EXPECT_NE(c.str().find("\x1b[1;31mDeclaration\x1b[0m"), std::string::npos) << c.str();
}

TEST(QueryOutputTest, EstimatedTotalsSayAbout) {
  SearchResult r;
  r.hits = {washington_hit()};
  r.total_estimate = 3200;
  r.total_exact = false;
  EXPECT_EQ(total_line("q", r, page(0, 10)), "passages 1–1 of about 3200");
  const auto s = summary_json(nullptr, "q", r, page(0, 10));
  EXPECT_EQ(s["total_estimate"], 3200);
  EXPECT_EQ(s["total_exact"], false);
  EXPECT_TRUE(s["date_first"].is_null());
}

TEST(QueryOutputTest, PagePastTheEndSaysHowManyThereAre) {
  SearchResult r;
  r.total_estimate = 106;
  r.total_exact = true;
  EXPECT_TRUE(has_matches(r));
  EXPECT_EQ(total_line("확장억제", r, page(200, 10)),
            "no passages at offset 200: the query matches 106 passages (the last page starts at --offset 100)");
  SearchResult none;
  EXPECT_FALSE(has_matches(none));
  EXPECT_EQ(total_line("레이어", none, page(0, 10)), "no passages match \"레이어\"");
}

TEST(QueryOutputTest, FacetsInTextAndInTheSummary) {
  SearchResult r;
  r.hits = {washington_hit()};
  r.total_estimate = 423;
  r.total_exact = true;
  r.facets = {{"lang", {{"en", 420}, {"mixed", 3}}}, {"year", {{"2023", 300}, {"2024", 100}, {"", 23}}}};
  std::ostringstream out;
  print_text(out, "q", r, page(0, 10), OutputOptions{});
  EXPECT_NE(out.str().find("  lang: en 420, mixed 3\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  year: 2023 300, 2024 100, (none) 23\n"), std::string::npos) << out.str();
  const auto s = summary_json(nullptr, "q", r, page(0, 10));
  ASSERT_TRUE(s["facets"].is_object());
  EXPECT_EQ(s["facets"]["lang"].dump(), R"([{"value":"en","count":420},{"value":"mixed","count":3}])");
  EXPECT_EQ(s["facets"]["year"][2]["value"], "");
  EXPECT_EQ(s["facets"].begin().key(), "lang");  // in the order asked
}

}  // namespace
}  // namespace bisearch::query
