/** @file params.h
 *  @brief Request parameters: strict decoding of the query string and validation of each API parameter.
 *
 *  Every failure is a RequestError (400) naming the parameter and the
 *  reason, so a client sees "limit: must be a whole number from 1 to 100"
 *  instead of a silently changed request.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "query/rank.h"
#include "server/errors.h"

namespace bisearch::server {

/// Bounds on what one request may ask for.
inline constexpr size_t kMaxLimit = 100;
inline constexpr size_t kMaxOffset = 10000;
inline constexpr size_t kMaxPerDoc = 100;
inline constexpr size_t kMaxQueryBytes = 2000;  ///< q of /api/search and /api/terms

/// %XX decoding (and '+' as a space when @p plus_is_space); std::nullopt on a
/// malformed escape ('%' not followed by two hex digits).
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

/// Whether @p s is well-formed UTF-8 (no overlong forms, surrogates or code
/// points beyond U+10FFFF).
bool valid_utf8(std::string_view s);

/// The decoded name=value pairs of a query string, in order.
class Params {
 public:
  /// Decodes @p query_string (without the '?'). Throws RequestError on a
  /// malformed escape or invalid UTF-8, naming the parameter.
  static Params parse(std::string_view query_string);

  /// Throws RequestError for the first parameter not in @p allowed.
  void only(std::initializer_list<std::string_view> allowed) const;
  /// The last value of @p name, if given.
  std::optional<std::string> get(std::string_view name) const;
  /// Every value of @p name, in order.
  std::vector<std::string> all(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

/// A date parameter as an inclusive ISO bound, read as bisearch-query
/// reads --since/--until (query/options.h date_bound: the forms of
/// analysis/dates.h; a year or month alone as a lower bound stays partial,
/// which sorts just before its first day; as an upper bound (@p end) it is
/// its last day). Throws RequestError naming @p name.
std::string parse_date_param(std::string_view name, std::string_view value, bool end);

/// A whole number in [lo, hi]. Throws RequestError naming @p name.
size_t parse_count_param(std::string_view name, std::string_view value, size_t lo, size_t hi);

/// A boolean: 1/0, true/false, yes/no, on/off.
bool parse_bool_param(std::string_view name, std::string_view value);

/// The query text parameter @p name (required, non-blank, at most
/// kMaxQueryBytes).
std::string query_text_param(const Params& params, std::string_view name);

/// The search options /api/search asks for, on top of @p base (the
/// server's defaults): q is returned in @p query. @p known_fields: the
/// metadata keys the index keeps (for facets=field:KEY).
query::SearchOptions search_params(const Params& params, const query::SearchOptions& base,
                                   const std::vector<std::string>& known_fields, std::string* query);

}  // namespace bisearch::server
