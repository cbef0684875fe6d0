/** @file facets.h
 *  @brief Counts of the matching passages by language, year, folder or a
 *  metadata field (--facets), and their date span.
 *
 *  Facets are counted over a set of passages (the searcher's matching
 *  passages, rank.h) read from the index's values and boolean terms, never
 *  from the stored records:
 *    lang        value slot kSlotLang ("ko", "en", "mixed")
 *    year        the first four characters of kSlotDate (ISO, schema 6);
 *                undated passages are not counted
 *    folder      kSlotFolder, the source file's directory ("." at the root)
 *    field:KEY   the XF<KEY>=<value> terms (values as stored: case-folded)
 *  Values are listed most passages first, then by value.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "query/rank.h"

namespace bisearch::query {

struct FacetSpec {
  enum class Kind { kLang, kYear, kFolder, kField };
  Kind kind;
  std::string name;  ///< as asked ("field:source")
  std::string key;   ///< the field key for kField
};

/// The facets named in @p names; throws SearchError naming an unknown facet
/// or a field key the index does not keep (@p field_keys, sorted).
std::vector<FacetSpec> parse_facets(const std::vector<std::string>& names, const std::vector<std::string>& field_keys);

/// A set of passages: document ids of the (combined) database, ascending,
/// each counted `weight` times (1 for an exact count; a sampled passage
/// stands for several when the count is an estimate).
struct PassageSet {
  std::vector<Xapian::docid> ids;
  std::vector<double> weights;  ///< empty: every weight is 1
};

/// The counts of each facet over @p passages.
std::vector<Facet> count_facets(const Xapian::Database& db, const std::vector<FacetSpec>& specs,
                                const PassageSet& passages);

/// The value of @p slot for each of @p ids (ascending), "" where there is none.
std::vector<std::string> slot_values(const Xapian::Database& db, unsigned slot, const std::vector<Xapian::docid>& ids);

}  // namespace bisearch::query
