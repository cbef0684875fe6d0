/** @file build_query.h
 *  @brief Parsed clauses -> one Xapian query, highlight units and a description.
 *
 *  Default (any): passages matching more clauses score higher, none is
 *  required; '+' clauses are required (AND_MAYBE). With match_all every
 *  clause (or OR-group) is required. '-' clauses are removed with AND_NOT.
 *
 *  The index has no positions (analysis/schema.h), so the query matches a
 *  superset: a sequence (a Korean word's bigrams, a phrase) matches where
 *  its terms occur apart too. The units, clause groups and excluded units
 *  let the searcher check each candidate on its text (query/rank.h).
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
  /// For each positive clause, its group: the clauses of an OR-group share
  /// one, any other clause has its own.
  std::vector<uint32_t> clause_group;
  /// For each group, whether a passage must match it ('+', --all).
  std::vector<bool> group_required;
  /// Units of the '-' clauses: a passage holding any of them is not a hit.
  /// The query already removes the passages holding a one-term unit; the
  /// rest (sequences) can only be checked on the text.
  std::vector<analysis::MatchUnit> excluded_units;
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
