/** @file filters.h
 *  @brief Narrowing a search: the filter queries for --lang, --doc, --since,
 *  --until, --path and --field (SearchOptions), each checked against the index.
 *
 *  All filters are boolean (they never change a score) and ANDed:
 *   - lang: the L<lang> term; docs: any of the XD<doc_id> terms;
 *   - since/until: a value range on schema::kSlotDate (ISO dates, schema 6),
 *     inclusive; a partial bound covers its period (--until 2023 keeps all
 *     of 2023); passages without a date are left out by a date bound;
 *   - paths: any of the XP<prefix> terms ("core", "core/wd.txt"); a
 *     trailing '/' and a leading "./" are ignored;
 *   - fields: all of the XF<key>=<value> terms (value case-folded as the
 *     indexer stores it); a key the index does not keep (kMetaFields) is a
 *     SearchError naming it and the keys it has.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "query/rank.h"

namespace bisearch::query {

/// The filter to AND with the query (empty Query: no filter). Throws
/// SearchError for a bound that is not a date or an unknown field key.
/// @p parts: the opened indexes (their field keys are united).
Xapian::Query filter_query(const SearchOptions& options, const std::vector<Xapian::Database>& parts);

/// The metadata field keys kept by any of @p parts (kMetaFields), sorted.
std::vector<std::string> field_keys(const std::vector<Xapian::Database>& parts);

}  // namespace bisearch::query
