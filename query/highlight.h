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
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/query_terms.h"

namespace bisearch::query {

/// [begin, end) byte range in a passage text.
using Range = std::pair<uint32_t, uint32_t>;

/// Sorted, non-overlapping ranges of @p text matched by @p units.
std::vector<Range> highlight(std::string_view text, const std::vector<analysis::MatchUnit>& units);

/// A window of @p text of about @p max_chars code points centred on the
/// highlights, snapped to code point boundaries: [begin, end).
Range snippet_window(std::string_view text, const std::vector<Range>& highlights, size_t max_chars);

}  // namespace bisearch::query
