// bisearch-serve's parameter decoding and validation (server/params.h).
#include <gtest/gtest.h>

#include "server/params.h"

namespace bs = bisearch::server;

namespace {

TEST(ServerParams, PercentDecodingIsStrict) {
  EXPECT_EQ(bs::percent_decode("%ED%99%95%EC%9E%A5+a%2Bb", true), "확장 a+b");
  EXPECT_EQ(bs::percent_decode("a+b", false), "a+b");
  EXPECT_EQ(bs::percent_decode("%2e%2E", false), "..");
  EXPECT_FALSE(bs::percent_decode("%", true));
  EXPECT_FALSE(bs::percent_decode("ab%4", true));
  EXPECT_FALSE(bs::percent_decode("%G1", true));
  EXPECT_FALSE(bs::percent_decode("%%41", true));
}

TEST(ServerParams, Utf8Validation) {
  EXPECT_TRUE(bs::valid_utf8("확장억제 deterrence 𝄞"));
  EXPECT_FALSE(bs::valid_utf8("\xff"));
  EXPECT_FALSE(bs::valid_utf8("\xed\x99"));          // cut short
  EXPECT_FALSE(bs::valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(bs::valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(bs::valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(bs::valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(ServerParams, QueryStringsKeepOrderAndRepeats) {
  const auto p = bs::Params::parse("q=a+b&path=x&path=y%2Fz&&empty=&flag");
  EXPECT_EQ(p.get("q"), "a b");
  EXPECT_EQ(p.all("path"), (std::vector<std::string>{"x", "y/z"}));
  EXPECT_EQ(p.get("empty"), "");
  EXPECT_EQ(p.get("flag"), "");
  EXPECT_FALSE(p.get("none"));
  try {
    bs::Params::parse("q=ok&limit=%zz");
    FAIL();
  } catch (const bs::RequestError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.parameter(), "limit");
  }
  EXPECT_THROW(bs::Params::parse("q=%C3%28"), bs::RequestError);
  EXPECT_THROW(bs::Params::parse("q=a%00b"), bs::RequestError);
}

TEST(ServerParams, DatesAcceptFullAndPartialIsoForms) {
  EXPECT_EQ(bs::parse_date_param("since", "2023-04-26", false), "2023-04-26");
  // A partial lower bound stays partial: it sorts just before its first day (analysis/dates.h).
  EXPECT_EQ(bs::parse_date_param("since", "2023", false), "2023");
  EXPECT_EQ(bs::parse_date_param("until", "2023", true), "2023-12-31");
  EXPECT_EQ(bs::parse_date_param("until", "2024-02", true), "2024-02-29");
  EXPECT_EQ(bs::parse_date_param("until", "2023-02", true), "2023-02-28");
  EXPECT_EQ(bs::parse_date_param("since", "2023-11", false), "2023-11");
  EXPECT_EQ(bs::parse_date_param("since", "2023.04.26", false), "2023-04-26");
  EXPECT_EQ(bs::parse_date_param("until", "2023년 4월", true), "2023-04-30");
  for (const char* bad : {"2023-02-29", "2023-13", "2023-00-10", "23", "yesterday", "", "0000", "dated 2023-04-26"})
    EXPECT_THROW(bs::parse_date_param("since", bad, false), bs::RequestError) << bad;
}

TEST(ServerParams, SearchParametersMapToSearchOptions) {
  bisearch::query::SearchOptions base;
  base.dbs = {"idx"};
  std::string q;
  const auto o = bs::search_params(
      bs::Params::parse("q=%ED%99%95&lang=en&since=2020&until=2021-06&sort=-date&path=core&path=ko%2Fa.txt"
                        "&per_doc=0&limit=25&offset=50&facets=lang,year&facets=folder,year&cross=0&all=1"),
      base, {"president"}, &q);
  EXPECT_EQ(q, "확");
  EXPECT_EQ(o.dbs, base.dbs);
  EXPECT_EQ(o.lang, "en");
  EXPECT_EQ(o.since, "2020");
  EXPECT_EQ(o.until, "2021-06-30");
  EXPECT_EQ(o.sort, bisearch::query::SearchOptions::Sort::kDateDesc);
  EXPECT_EQ(o.paths, (std::vector<std::string>{"core", "ko/a.txt"}));
  EXPECT_EQ(o.per_doc, 0u);
  EXPECT_EQ(o.limit, 25u);
  EXPECT_EQ(o.offset, 50u);
  EXPECT_EQ(o.facets, (std::vector<std::string>{"lang", "year", "folder"}));
  EXPECT_FALSE(o.cross);
  EXPECT_TRUE(o.build.match_all);
  const auto f = bs::search_params(bs::Params::parse("q=a&facets=field:president&field=president%3D%EA%B9%80"),
                                   base, {"president"}, &q);
  EXPECT_EQ(f.facets, (std::vector<std::string>{"field:president"}));
  ASSERT_EQ(f.fields.size(), 1u);
  EXPECT_EQ(f.fields[0].second, "김");
  const auto d = bs::search_params(bs::Params::parse("q=a"), base, {}, &q);
  EXPECT_EQ(d.limit, base.limit);
  EXPECT_EQ(d.per_doc, base.per_doc);
  EXPECT_TRUE(d.cross);
}

}  // namespace
