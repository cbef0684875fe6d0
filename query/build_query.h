/** @file build_query.h
 *  @brief Parsed clauses -> one Xapian query, highlight units and a description.
 *
 *  Default (any): passages matching more clauses score higher, none is
 *  required; '+' clauses are required (AND_MAYBE). With match_all every
 *  clause (or OR-group) is required. '-' clauses are removed with AND_NOT.
 */
#pragma once

#include <xapian.h>

#include <map>
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

/// An alternative form of a clause (query expansion, expand.h): queried as a
/// phrase when it has several words, else as a word, scaled by `weight`.
struct Alternative {
  std::string text;
  double weight = 0.5;
};
/// Clause text (as typed) -> its alternatives.
using Alternatives = std::map<std::string, std::vector<Alternative>>;

/// A positive clause with alternatives becomes OR(clause, weight x each
/// alternative); the alternatives' units take the clause's index, and the
/// description shows them as `| 0.5×cross(…)`.
BuiltQuery build_query(const std::vector<Clause>& clauses, const BuildOptions& options,
                       const Alternatives& alternatives = {});

}  // namespace bisearch::query
