/** @file build_query.h
 *  @brief Parsed clauses -> one Xapian query, highlight units and a description.
 *
 *  Default (any): passages matching more clauses score higher, none is
 *  required; '+' clauses are required (AND_MAYBE). With match_all every
 *  clause (or OR-group) is required. '-' clauses are removed with AND_NOT.
 *
 *  The title is a field of the document (schema 6): every passage carries
 *  its document's title terms under kPrefixTitle (S) and none as free text.
 *  A clause matches the text OR the title (the title part scaled by
 *  BuildOptions::title_weight, and by title_with_text where the text holds
 *  the word too), so a title match lifts every passage of
 *  that document and a passage of the document whose title is the query
 *  ranks first (known-item search). A `title:` clause queries the S terms
 *  only. On an older index (no S terms) the title part matches nothing.
 *
 *  Stopwords (Clause::stop, set by the parser): a positive stop clause is
 *  dropped (no query, no units, not counted as a clause) when the query has
 *  another positive clause that is not a stopword and has terms; a query of
 *  stopwords only keeps them. Excluded clauses are never dropped.
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
  /// Weight of a clause's title match relative to its text match. Chosen
  /// when text and title were summed (--quick A/B: 1 -> 0.9728/0.9693,
  /// 1.15 -> 0.9723/0.9712); with the title part only where the text lacks
  /// the word, full size A gives 0.8 -> 0.9460, 1.15 -> 0.9473, 1.6 ->
  /// 0.9458, 2.2 -> 0.9404 (title_with_text 0; docs/analyzer.md).
  double title_weight = 1.15;
  /// Where the passage's text holds the clause's word too, its title part
  /// is scaled by this as well: a title word repeated in the text does not
  /// count twice (it outweighed the question's other words on KorQuAD),
  /// but such a passage still ranks above one holding the word only in its
  /// title (docs/analyzer.md).
  double title_with_text = 0.5;
  /// A passage whose document title holds every clause (every OR-group)
  /// gains this fixed score per clause group, less the share of the
  /// title's words the query leaves unmatched (the searcher subtracts it,
  /// rank.h): the document titled by the query comes first. 0: off.
  double title_boost = 6.0;
  /// Honour Clause::stop (function words dropped beside other words).
  /// false: every clause is searched (for evaluation runs: --tune stopwords=0).
  bool stopwords = true;
};

/// A query matching every document, built anew for each use. The shared
/// Xapian::Query::MatchAll must not be copied from several threads: its
/// reference count is not atomic, and bisearch-serve's workers copying it
/// at once corrupted it (a crash in Enquire::set_query).
inline Xapian::Query every_document() { return Xapian::Query(std::string()); }

struct BuiltQuery {
  Xapian::Query query;                           ///< empty: nothing searchable
  std::vector<analysis::MatchUnit> units;        ///< what to highlight (text and title)
  /// Units of `title:` clauses: matched (and highlighted) in titles only.
  std::vector<analysis::MatchUnit> title_units;
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
  /// Units of '-title:' clauses: a passage whose title holds one is not a hit.
  std::vector<analysis::MatchUnit> excluded_title_units;
  /// Whether a candidate's text must be read to know that it matches: some
  /// unit is a sequence (the index has no positions), so the query matches
  /// a superset. Without sequences every candidate is a hit.
  bool needs_check = false;
  /// The fixed score added to passages whose title holds every clause
  /// group (BuildOptions::title_boost x groups; 0 when off).
  double title_bonus = 0;
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
