// dates_test.cc: normalize_date() on the date forms of dates.h, valid and invalid.
#include "analysis/dates.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace bisearch {
namespace {

std::string norm(std::string_view s) { return normalize_date(s).value_or("<none>"); }

TEST(Dates, NumericForms) {
  EXPECT_EQ(norm("2023-04-26"), "2023-04-26");
  EXPECT_EQ(norm("1998.02.25"), "1998-02-25");
  EXPECT_EQ(norm("2023/04/26"), "2023-04-26");
  EXPECT_EQ(norm("2023. 4. 26."), "2023-04-26");
  EXPECT_EQ(norm("2023. 4. 26"), "2023-04-26");
  EXPECT_EQ(norm("2023.4.5"), "2023-04-05");
  EXPECT_EQ(norm("2023-4-5"), "2023-04-05");
  EXPECT_EQ(norm("  2023-04-26 \n"), "2023-04-26");
  EXPECT_EQ(norm("20230426"), "2023-04-26");
  EXPECT_EQ(norm("2023. 4. 26.(수)"), "2023-04-26");
  EXPECT_EQ(norm("2023.04.26 수요일"), "2023-04-26");
}

TEST(Dates, KoreanForms) {
  EXPECT_EQ(norm("2023년 4월 26일"), "2023-04-26");
  EXPECT_EQ(norm("2023년4월26일"), "2023-04-26");
  EXPECT_EQ(norm("2023 년 04 월 26 일"), "2023-04-26");
  EXPECT_EQ(norm("2023년 4월 26일 (수)"), "2023-04-26");
  EXPECT_EQ(norm("2023년 4월 26일 수요일"), "2023-04-26");
  EXPECT_EQ(norm("2023년 4월"), "2023-04");
  EXPECT_EQ(norm("2023년"), "2023");
}

TEST(Dates, EnglishForms) {
  EXPECT_EQ(norm("April 26, 2023"), "2023-04-26");
  EXPECT_EQ(norm("april 26 2023"), "2023-04-26");
  EXPECT_EQ(norm("Apr. 26, 2023"), "2023-04-26");
  EXPECT_EQ(norm("Sept 5, 2023"), "2023-09-05");
  EXPECT_EQ(norm("January 5th, 2023"), "2023-01-05");
  EXPECT_EQ(norm("26 April 2023"), "2023-04-26");
  EXPECT_EQ(norm("1st May, 2023"), "2023-05-01");
  EXPECT_EQ(norm("Wednesday, April 26, 2023"), "2023-04-26");
  EXPECT_EQ(norm("Wed, 26 Apr 2023"), "2023-04-26");
  EXPECT_EQ(norm("April 2023"), "2023-04");
  EXPECT_EQ(norm("DECEMBER 31, 1999"), "1999-12-31");
}

TEST(Dates, DateTimesAndProperties) {
  EXPECT_EQ(norm("2023-04-26T10:30:00Z"), "2023-04-26");
  EXPECT_EQ(norm("2023-04-26T23:59:59+09:00"), "2023-04-26");  // as written, not moved to UTC
  EXPECT_EQ(norm("2023-04-26 10:30"), "2023-04-26");
  EXPECT_EQ(norm("2023-04-26T10:30:00.123-0500"), "2023-04-26");
  EXPECT_EQ(norm("2019-03-04T05:06:00Z"), "2019-03-04");  // DOCX dcterms:created
  EXPECT_EQ(norm("D:20230426103000+09'00'"), "2023-04-26");  // PDF CreationDate
  EXPECT_EQ(norm("D:20230426103000Z"), "2023-04-26");
  EXPECT_EQ(norm("D:20230426"), "2023-04-26");
  EXPECT_EQ(norm("D:202304"), "2023-04");
  EXPECT_EQ(norm("D:2023"), "2023");
}

TEST(Dates, PartialDatesKeepTheirPrecision) {
  EXPECT_EQ(norm("1993.03"), "1993-03");
  EXPECT_EQ(norm("1993-03"), "1993-03");
  EXPECT_EQ(norm("1950"), "1950");
  EXPECT_EQ(norm("1950."), "1950");
  // A partial date sorts before its period's first day and below its upper bound.
  EXPECT_LT(std::string("1993-03"), std::string("1993-03-01"));
  EXPECT_LT(std::string("1993-03-31"), date_upper_bound("1993-03"));
  EXPECT_LT(std::string("1993-12-31"), date_upper_bound("1993"));
  EXPECT_LT(std::string("1993-12"), date_upper_bound("1993"));
  EXPECT_GT(std::string("1994"), date_upper_bound("1993"));
  EXPECT_GT(std::string("1993-04"), date_upper_bound("1993-03"));
  EXPECT_LT(std::string("2023-04-26"), date_upper_bound("2023-04-26"));
  EXPECT_GT(std::string("2023-04-27"), date_upper_bound("2023-04-26"));
}

TEST(Dates, CalendarIsChecked) {
  EXPECT_EQ(norm("2024-02-29"), "2024-02-29");  // leap year
  EXPECT_EQ(norm("2000-02-29"), "2000-02-29");  // divisible by 400
  for (const char* bad : {"2023-13-45", "2023-02-29", "1900-02-29", "2023-02-30", "2023-04-31",
                          "2023-00-10", "2023-01-00", "2023-01-32", "2023.13", "2023년 2월 30일",
                          "February 30, 2023", "31 June 2023", "D:20231301", "20230230",
                          "0999-01-01", "2023-04-26T25:00", "2023-04-26T10:61", "2023-00", "2023.0",
                          "2023년 0월", "D:202300", "0 April 2023"}) {
    EXPECT_EQ(normalize_date(bad), std::nullopt) << bad;
  }
  EXPECT_TRUE(valid_date(2023, 12, 31));
  EXPECT_FALSE(valid_date(2023, 11, 31));
}

TEST(Dates, NotDatesAreRefused) {
  for (const char* bad : {"", "   ", "yesterday", "n/a", "2023-04-26 and later", "dated 2023-04-26",
                          "23-04-26", "04/26/2023", "26.04.2023", "2023-04/26", "2023--04-26",
                          "April", "April 26", "Smarch 26, 2023", "2023년 4", "2023 4 26",
                          "12345", "D:2023x", "2023-04-26T", "2023-04-26 (xyz)"}) {
    EXPECT_EQ(normalize_date(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace bisearch
