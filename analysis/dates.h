/** @file dates.h
 *  @brief Dates as users and file formats write them, normalized to ISO 8601.
 *
 *  The indexer stores a document's date in value slot schema::kSlotDate in
 *  the form normalize_date() returns, and the query tool reads --since and
 *  --until with the same function, so both sides agree on every form.
 *
 *  Forms read (spaces around the separators are allowed, case is ignored):
 *    2023-04-26   2023.04.26   2023/04/26   2023. 4. 26.   20230426
 *    2023년 4월 26일 (also with a weekday after it: 2023년 4월 26일(수), 수요일)
 *    April 26, 2023   Apr. 26, 2023   26 April 2023   Wednesday, April 26, 2023
 *    2023-04-26T10:30:00Z, 2023-04-26 10:30:00+09:00 (ISO date-times: the
 *      date as written, not moved to another time zone)
 *    D:20230426103000+09'00' (PDF), 2023-04-26T01:30:00Z (DOCX/HWPX
 *      dcterms:created)
 *  Partial dates keep their precision: 2023-04, 2023.04, April 2023,
 *  2023년 4월 give "2023-04"; 2023, 2023년 give "2023". A partial date sorts
 *  just before the first day of its period ("2023-04" < "2023-04-01"), so
 *  in a date range and a date sort it counts as that first day; to take a
 *  partial bound as its whole period, use date_upper_bound() for --until.
 *
 *  Every date is checked against the calendar (months 1-12, days of the
 *  month, leap years: 2024-02-29 is a date, 2023-02-29 and 2023-13-45 are
 *  not). Years are 4 digits, 1000-9999. Anything else, including text
 *  around a date ("dated 2023-04-26"), is std::nullopt.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bisearch {

/// "YYYY-MM-DD", "YYYY-MM" or "YYYY" for a date written in one of the forms
/// above; std::nullopt when @p text is not such a date.
std::optional<std::string> normalize_date(std::string_view text);

/// The smallest string that sorts after every date within the period of
/// the normalized date @p iso ("2023" -> after "2023-12-31"; "2023-04-26"
/// -> after "2023-04-26" itself), for an inclusive upper bound: a value v is
/// within --until @p iso when v < date_upper_bound(iso).
std::string date_upper_bound(std::string_view iso);

/// True when @p year / @p month / @p day name a day of the Gregorian
/// calendar (years 1000-9999).
bool valid_date(int year, int month, int day);

}  // namespace bisearch
