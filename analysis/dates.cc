// dates.cc: normalize_date(), a small hand-written reader for the date forms
// listed in dates.h (numeric, Korean, English, ISO date-time, PDF).
#include "analysis/dates.h"

#include <array>
#include <cstdio>

namespace bisearch {

namespace {

constexpr std::string_view kYear = "\xEB\x85\x84";   // 년
constexpr std::string_view kMonth = "\xEC\x9B\x94";  // 월
constexpr std::string_view kDay = "\xEC\x9D\xBC";    // 일
constexpr std::string_view kWeekdaySuffix = "\xEC\x9A\x94\xEC\x9D\xBC";  // 요일
// 월 화 수 목 금 토 일: the Korean weekday syllables.
constexpr std::array<std::string_view, 7> kKoWeekdays = {
    "\xEC\x9B\x94", "\xED\x99\x94", "\xEC\x88\x98", "\xEB\xAA\xA9",
    "\xEA\xB8\x88", "\xED\x86\xA0", "\xEC\x9D\xBC"};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { c = lower(c); return c >= 'a' && c <= 'z'; }

/// A cursor over the text being read.
struct Scanner {
  std::string_view s;
  size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek(size_t ahead = 0) const { return i + ahead < s.size() ? s[i + ahead] : '\0'; }
  /// Skips ASCII spaces and tabs, and U+00A0 / U+3000 spaces.
  void spaces() {
    for (;;) {
      if (peek() == ' ' || peek() == '\t') { ++i; continue; }
      if (s.substr(i, 2) == "\xC2\xA0") { i += 2; continue; }
      if (s.substr(i, 3) == "\xE3\x80\x80") { i += 3; continue; }
      return;
    }
  }
  bool lit(char c) {
    if (peek() != c || done()) return false;
    ++i;
    return true;
  }
  bool lit(std::string_view t) {
    if (s.substr(i, t.size()) != t) return false;
    i += t.size();
    return true;
  }
  /// A run of min..max digits (not followed by another digit); -1 if none.
  int number(size_t min, size_t max, size_t* count = nullptr) {
    size_t n = 0;
    while (n < s.size() - i && is_digit(s[i + n])) ++n;
    if (n < min || n > max) return -1;
    int v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + (s[i + k] - '0');
    i += n;
    if (count) *count = n;
    return v;
  }
  /// A run of ASCII letters, lower-cased.
  std::string word() {
    std::string w;
    while (!done() && is_alpha(s[i])) w += lower(s[i++]);
    return w;
  }
};

// A month or day that was not written.
constexpr int kNone = -1;

std::string format(int y, int m, int d) {
  char buf[40];
  if (d > 0) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  else if (m > 0) std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  else std::snprintf(buf, sizeof buf, "%04d", y);
  return buf;
}

/// The date y-m-d (m, d kNone = not given) formatted, if it is one.
std::optional<std::string> checked(int y, int m, int d) {
  if (y < 1000 || y > 9999) return std::nullopt;
  if (m == kNone) return d == kNone ? std::optional(format(y, 0, 0)) : std::nullopt;
  if (m < 1 || m > 12) return std::nullopt;
  if (d == kNone) return format(y, m, 0);
  if (!valid_date(y, m, d)) return std::nullopt;
  return format(y, m, d);
}

/// Month number for an English month name or its abbreviation (jan, feb,
/// sept, ...); 0 when @p w is none.
int month_named(std::string_view w) {
  for (size_t k = 0; k < kMonthNames.size(); ++k) {
    const std::string_view full = kMonthNames[k];
    if (w == full) return static_cast<int>(k) + 1;
    if (w.size() == 3 && full.substr(0, 3) == w) return static_cast<int>(k) + 1;
  }
  return w == "sept" ? 9 : 0;
}

bool weekday_named(std::string_view w) {
  if (w == "tues" || w == "thur" || w == "thurs") return true;
  for (std::string_view full : kWeekdayNames)
    if (w == full || (w.size() == 3 && full.substr(0, 3) == w)) return true;
  return false;
}

/// Takes an optional Korean weekday after a date: "(수)", "수요일", "(수요일)".
void ko_weekday(Scanner& sc) {
  const size_t start = sc.i;
  sc.spaces();
  const bool paren = sc.lit('(');
  bool found = false;
  for (std::string_view w : kKoWeekdays)
    if (sc.lit(w)) { found = true; break; }
  if (found) sc.lit(kWeekdaySuffix);
  if (!found || (paren && !sc.lit(')'))) sc.i = start;
}

/// Takes an optional time of day after a full date: [T| ]HH:MM[:SS[.fff]]
/// and an optional zone (Z, +09:00, +0900, +09). False when something that
/// starts like a time is not one.
bool time_of_day(Scanner& sc) {
  const size_t start = sc.i;
  const bool t = sc.lit('T') || sc.lit('t');
  if (!t) sc.spaces();
  if (sc.done()) return !t;
  if (!is_digit(sc.peek())) {
    sc.i = start;
    return !t;
  }
  const int h = sc.number(2, 2);
  if (h < 0 || h > 24 || !sc.lit(':')) return false;
  const int mi = sc.number(2, 2);
  if (mi < 0 || mi > 59) return false;
  if (sc.lit(':')) {
    const int se = sc.number(2, 2);
    if (se < 0 || se > 60) return false;
    if (sc.lit('.') || sc.lit(',')) {
      if (sc.number(1, 9) < 0) return false;
    }
  }
  sc.spaces();
  if (sc.lit('Z') || sc.lit('z')) return true;
  if (sc.lit('+') || sc.lit('-')) {  // +09, +0900, +09:00
    size_t n = 0;
    const int z = sc.number(2, 4, &n);
    if (z < 0 || n == 3) return false;
    const int zh = n == 4 ? z / 100 : z;
    int zm = n == 4 ? z % 100 : 0;
    if (n == 2 && sc.lit(':') && (zm = sc.number(2, 2)) < 0) return false;
    if (zh > 14 || zm > 59) return false;
  }
  return true;
}

/// 2023-04-26, 2023.04.26, 2023/04/26, 2023. 4. 26., 2023-04, 2023, with
/// an optional time (full dates) or Korean weekday.
std::optional<std::string> numeric(Scanner sc) {
  size_t digits = 0;
  const int y = sc.number(4, 4, &digits);
  if (y < 0) return std::nullopt;
  sc.spaces();
  if (sc.done()) return checked(y, kNone, kNone);
  const char sep = sc.peek();
  if (sep != '-' && sep != '.' && sep != '/') return std::nullopt;
  ++sc.i;
  sc.spaces();
  if (sc.done()) return sep == '.' ? checked(y, kNone, kNone) : std::nullopt;
  const int m = sc.number(1, 2);
  if (m < 0) return std::nullopt;
  const size_t after_month = sc.i;
  sc.spaces();
  if (sc.done()) return checked(y, m, kNone);
  if (!sc.lit(sep)) {
    sc.i = after_month;
    ko_weekday(sc);
    sc.spaces();
    return sc.done() ? checked(y, m, kNone) : std::nullopt;
  }
  sc.spaces();
  if (sc.done()) return sep == '.' ? checked(y, m, kNone) : std::nullopt;
  const int d = sc.number(1, 2);
  if (d < 0) return std::nullopt;
  if (sep == '.') {
    sc.spaces();
    sc.lit('.');
  }
  ko_weekday(sc);
  if (!time_of_day(sc)) return std::nullopt;
  sc.spaces();
  if (!sc.done()) return std::nullopt;
  return checked(y, m, d);
}

/// 20230426, and PDF's D:YYYY[MM[DD[HH[mm[SS]]]]][Z|+HH'mm'].
std::optional<std::string> compact(Scanner sc) {
  const bool pdf = sc.lit("D:") || sc.lit("d:");
  size_t n = 0;
  while (n < sc.s.size() - sc.i && is_digit(sc.s[sc.i + n])) ++n;
  const std::string_view run = sc.s.substr(sc.i, n);
  sc.i += n;
  auto two = [&](size_t at) { return (run[at] - '0') * 10 + (run[at + 1] - '0'); };
  int y = 0, m = kNone, d = kNone;
  if (pdf) {
    if (n < 4 || n > 14 || n % 2 != 0) return std::nullopt;
    y = std::stoi(std::string(run.substr(0, 4)));
    if (n >= 6) m = two(4);
    if (n >= 8) d = two(6);
    // The zone: Z, or +HH'mm' / -HH'mm' (the quotes optional).
    for (; !sc.done(); ++sc.i) {
      const char c = sc.peek();
      if (!is_digit(c) && c != '+' && c != '-' && c != '\'' && c != 'Z' && c != 'z') return std::nullopt;
    }
    return checked(y, m, d);
  }
  if (n != 8) return std::nullopt;
  y = std::stoi(std::string(run.substr(0, 4)));
  m = two(4);
  d = two(6);
  sc.spaces();
  if (!sc.done()) return std::nullopt;
  return checked(y, m, d);
}

/// 2023년 4월 26일, 2023년 4월, 2023년, with an optional weekday.
std::optional<std::string> korean(Scanner sc) {
  const int y = sc.number(4, 4);
  if (y < 0) return std::nullopt;
  sc.spaces();
  if (!sc.lit(kYear)) return std::nullopt;
  sc.spaces();
  int m = kNone, d = kNone;
  if (!sc.done()) {
    m = sc.number(1, 2);
    sc.spaces();
    if (m < 0 || !sc.lit(kMonth)) return std::nullopt;
    sc.spaces();
    if (!sc.done() && is_digit(sc.peek())) {
      d = sc.number(1, 2);
      sc.spaces();
      if (d < 0 || !sc.lit(kDay)) return std::nullopt;
      ko_weekday(sc);
      if (!time_of_day(sc)) return std::nullopt;
    }
  }
  sc.spaces();
  if (!sc.done()) return std::nullopt;
  return checked(y, m, d);
}

/// A day of the month with an optional English ordinal suffix.
int english_day(Scanner& sc) {
  const int d = sc.number(1, 2);
  if (d < 0) return -1;
  const size_t at = sc.i;
  const std::string suffix = sc.word();
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") sc.i = at;
  return d;
}

/// Takes a month name with an optional '.' after an abbreviation; 0 if none.
int english_month(Scanner& sc) {
  const size_t at = sc.i;
  const std::string w = sc.word();
  const int m = month_named(w);
  if (m == 0) {
    sc.i = at;
    return 0;
  }
  if (w.size() <= 4) sc.lit('.');
  return m;
}

/// April 26, 2023; 26 April 2023; April 2023; with an optional weekday first.
std::optional<std::string> english(Scanner sc) {
  {
    const size_t at = sc.i;
    const std::string w = sc.word();
    if (weekday_named(w)) {
      sc.lit('.');
      sc.spaces();
      sc.lit(',');
      sc.spaces();
    } else {
      sc.i = at;
    }
  }
  int m = 0, d = kNone;
  if (is_digit(sc.peek())) {  // 26 April 2023
    d = english_day(sc);
    sc.spaces();
    if (d < 0 || (m = english_month(sc)) == 0) return std::nullopt;
  } else {  // April 26, 2023 / April 2023
    if ((m = english_month(sc)) == 0) return std::nullopt;
    sc.spaces();
    const size_t at = sc.i;
    size_t digits = 0;
    const int n = sc.number(1, 4, &digits);
    if (n < 0) return std::nullopt;
    if (digits <= 2) {
      sc.i = at;
      d = english_day(sc);
    } else {
      sc.i = at;
    }
  }
  sc.spaces();
  sc.lit(',');
  sc.spaces();
  const int y = sc.number(4, 4);
  if (y < 0) return std::nullopt;
  sc.spaces();
  if (!sc.done()) return std::nullopt;
  return checked(y, m, d);
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool valid_date(int year, int month, int day) {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= last;
}

std::optional<std::string> normalize_date(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const Scanner sc{text, 0};
  if (auto r = numeric(sc)) return r;
  if (auto r = korean(sc)) return r;
  if (auto r = compact(sc)) return r;
  if (auto r = english(sc)) return r;
  return std::nullopt;
}

std::string date_upper_bound(std::string_view iso) {
  std::string out(iso);
  out += '~';  // '~' sorts after '-' and the digits
  return out;
}

}  // namespace bisearch
