/** @file expand.h
 *  @brief Cross-language query expansion (--cross): each clause's known translations as weighted alternatives.
 *
 *  For every positive clause of the query (words and phrases; not '-'
 *  exclusions) the translations found by lookup_term() (terms.h) with at
 *  least `min_evidence` pieces of evidence (glosses, glossary rows, aligned
 *  sentence pairs) become alternatives of that clause, at most
 *  `max_per_clause` of them, each queried like a user's word or phrase and
 *  scaled by `weight` (Xapian OP_SCALE_WEIGHT), so a passage holding the
 *  original word still outranks one holding only its translation. The
 *  alternatives share the clause's index, so they are highlighted and count
 *  for proximity as the clause. On by default (--no-cross turns it off): on
 *  KorQuAD it changes nothing and costs ~1% of query time, while held-out
 *  Korean sentences find their English translations 0.61 of the time
 *  instead of 0.16 (docs/crosslang.md).
 */
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "query/build_query.h"
#include "query/parse.h"
#include "query/terms.h"

namespace bisearch::query {

struct ExpandOptions {
  double weight = 0.5;         ///< scale of a translation relative to the original clause
  size_t max_per_clause = 3;   ///< translations added per clause
  size_t min_evidence = 1;     ///< glosses needed before a translation is used
  size_t max_passages = 200;   ///< passages scanned per clause (TermOptions::max_passages)
};

/// One translation added to the query.
struct Expansion {
  std::string clause;     ///< the clause's text as typed
  std::string text;       ///< the translation searched
  std::string lang;       ///< its language
  std::string kind;       ///< "gloss", "acronym" or "expansion" (terms.h)
  size_t evidence = 0;    ///< glosses supporting it
  double weight = 0;      ///< its weight relative to the clause
};

/// The expansions of @p clauses found in @p db. Xapian errors propagate.
/// Only live passages (@p liveness) count.
std::vector<Expansion> find_expansions(const Xapian::Database& db, const analysis::Liveness& liveness,
                                       const std::vector<Clause>& clauses, const ExpandOptions& options);

/// The expansions as build_query() alternatives.
Alternatives to_alternatives(const std::vector<Expansion>& expansions);

}  // namespace bisearch::query
