/** @file build_query.h
 *  @brief Parsed clauses -> one Xapian query, highlight units and a description.
 *
 *  Default (any): passages matching more clauses score higher, none is
 *  required; '+' clauses are required (AND_MAYBE). With match_all every
 *  clause (or OR-group) is required. '-' clauses are removed with AND_NOT.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "analysis/query_terms.h"
#include "query/parse.h"

namespace bisearch::query {

struct BuildOptions {
  bool match_all = false;                 ///< --all: every clause required
  analysis::TermQueryOptions terms;       ///< word/phrase term weighting
};

struct BuiltQuery {
  Xapian::Query query;                           ///< empty: nothing searchable
  std::vector<analysis::MatchUnit> units;        ///< what to highlight
  std::string description;                       ///< for --explain and JSON
  uint32_t clauses = 0;                          ///< positive clauses (units' clause < clauses)
};

BuiltQuery build_query(const std::vector<Clause>& clauses, const BuildOptions& options);

}  // namespace bisearch::query
