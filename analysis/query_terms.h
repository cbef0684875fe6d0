/** @file query_terms.h
 *  @brief From query text to Xapian queries over the analyzer's term scheme.
 *
 *  This is the query-time half of the analyzer: it runs analyze() on the
 *  user's words and turns the tokens into queries, so the term scheme is
 *  known in one library only.
 *
 *  An unquoted word:
 *   - English/alphanumeric: its Snowball stem (Z), so deterrence finds
 *     deterred; digits match exactly.
 *   - Korean: the bigrams of the particle-stripped word as a sequence
 *     (adjacent syllables: 억제 finds 확장억제를, 레이어 never matches 오버레이
 *     ... 이어붙인다), OR the word term K<stem> scaled by whole_word_weight, so
 *     a passage holding the word itself (with any particle) ranks above one
 *     that holds it only inside a compound.
 *   - A word made of several runs (AI기반, ROK-U.S., F-35) is a phrase of
 *     the runs' positional terms.
 *  A quoted phrase: all positional terms in order; English words must be
 *  adjacent, Korean words may have a particle (up to two syllables) between
 *  them.
 *
 *  The index stores no positions (schema.h), so the Xapian query of a
 *  sequence is the AND of its terms: it finds every passage that has the
 *  sequence, and some that have its terms apart. Each part therefore also
 *  returns MatchUnits, the term patterns with their order and window, which
 *  the searcher checks on a candidate passage's own tokens (dropping the
 *  candidates that only had the terms apart) and the highlighter marks.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

/// A pattern to highlight. With window == 0 it is one unpositioned index
/// term (K… or Z…) matched against tokens of that kind; otherwise `terms`
/// are positional terms that must occur in this order within `window`
/// consecutive positions (window == terms.size() means strictly adjacent).
struct MatchUnit {
  std::vector<std::string> terms;
  uint32_t window = 0;
  /// Which clause of the query the unit belongs to (set by the query
  /// builder; units of one clause are alternatives).
  uint32_t clause = 0;
};

struct QueryPart {
  Xapian::Query query;            ///< empty when the text had no terms
  std::vector<MatchUnit> units;
  std::string description;        ///< compact form for --explain
  bool empty() const { return query.empty(); }
};

struct TermQueryOptions {
  /// Weight factor of the whole-word term K<stem> relative to its bigrams.
  double whole_word_weight = 1.0;
  /// For a Korean word with no known ending, also match its prefix one
  /// syllable shorter (at `backoff_weight`): 일으켰다 still finds 일으킨.
  bool ending_backoff = false;
  double backoff_weight = 0.5;
  size_t max_backoff = 8;   ///< syllables that may be dropped at most
  /// Weight of the spaced readings of a solid compound (0: off).
  double split_weight = 0.5;
};

/// Query for one unquoted word of the user's query. Runs of the word that
/// touch (AI기반) or are joined by '-', '.', '/', '&' or an apostrophe
/// (ROK-U.S., F-35) form one phrase; runs separated by other punctuation
/// (핵협의그룹(NCG)을, 혐의(…)로) become separate parts, one per group.
std::vector<QueryPart> word_queries(std::string_view word, const TermQueryOptions& options);

/// Query for a quoted phrase.
QueryPart phrase_query(std::string_view phrase, const TermQueryOptions& options);

}  // namespace bisearch::analysis
