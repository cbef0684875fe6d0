/** @file highlight.h
 *  @brief Marks the matched parts of a passage from the analyzer's own offsets.
 *
 *  The passage text is analyzed again with the same analyzer that indexed
 *  it, and each MatchUnit of the query is looked for among its tokens:
 *  positional units as ordered term sequences within their window (a Korean
 *  word's bigrams, a phrase), unpositioned units (K…, Z…) as tokens of that
 *  term. There is no second splitter, so highlights can never disagree with
 *  what matched. Ranges are UTF-8 byte offsets into the passage text.
 */
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/query_terms.h"

namespace bisearch::query {

/// [begin, end) byte range in a passage text.
using Range = std::pair<uint32_t, uint32_t>;

/// One occurrence of a MatchUnit in a passage.
struct UnitMatch {
  uint32_t clause;      ///< MatchUnit::clause
  uint32_t position;    ///< position of its first token
  Range range;          ///< bytes it covers
};

/// A query's units prepared once (their terms hashed, the kinds and first
/// characters they need) for matching against many passages.
class Matcher {
 public:
  explicit Matcher(const std::vector<analysis::MatchUnit>& units);
  /// Every occurrence of every unit in @p text, in no particular order.
  /// The units must outlive the Matcher.
  std::vector<UnitMatch> find(std::string_view text) const;

 private:
  struct Prepared;
  std::shared_ptr<const Prepared> p_;
};

/// Matcher(units).find(text), for a single text.
std::vector<UnitMatch> find_matches(std::string_view text, const std::vector<analysis::MatchUnit>& units);

/// Sorted, non-overlapping ranges of the matches.
std::vector<Range> merge_ranges(const std::vector<UnitMatch>& matches);

/// Sorted, non-overlapping ranges of @p text matched by @p units.
std::vector<Range> highlight(std::string_view text, const std::vector<analysis::MatchUnit>& units);

/// A window of @p text of about @p max_chars code points centred on the
/// highlights, snapped to code point boundaries: [begin, end).
Range snippet_window(std::string_view text, const std::vector<Range>& highlights, size_t max_chars);

}  // namespace bisearch::query
