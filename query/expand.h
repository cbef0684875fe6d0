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
 *  KorQuAD it changes nothing, while held-out Korean sentences find their
 *  English translations 0.69 of the time instead of 0.16, and on an unseen
 *  domain (presidential speeches) 0.70 instead of 0.12 (docs/crosslang.md).
 *
 *  The query's context decides what is expanded (the same rules for any
 *  words):
 *   - neighbouring words that together are a known term (Kim Jong Un,
 *     워싱턴 선언, North Korea; up to 4 words) are expanded as that term,
 *     on the first word's clause, and not word by word;
 *   - a word typed with lower-case letters is not expanded through an
 *     entry for an acronym (Un, us: not UN, US);
 *   - a capitalised word next to another capitalised word or after a title
 *     (President Moon, Moon Jae-in, Park Geun-hye) is part of a name: it is
 *     not expanded through an entry that writes it in lower case (moon,
 *     park: common nouns); a Korean surname of one syllable before a title
 *     (문 대통령) is not expanded;
 *   - translations the index does not use are skipped (they would match
 *     nothing and take the place of one that does).
 *  Translations from the shipped data (default_lexicon.h) need no evidence
 *  in the index, but one is added only when passages of its language here
 *  hold it (used_in_language, terms.h): an all-Korean archive is not
 *  searched for English words it never uses, a Korean archive with English
 *  pages is. `default_lexicon` off drops them.
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
  bool default_lexicon = true;  ///< use the shipped translations (--no-default-lexicon: off)
  const DefaultData* defaults = nullptr;  ///< nullptr: default_data()
  size_t max_words = 4;        ///< longest run of neighbouring words looked up as one term
};

/// One translation added to the query.
struct Expansion {
  std::string clause;     ///< the clause's text as typed (several clauses: the words, joined by spaces)
  std::string anchor;     ///< the clause it becomes an alternative of (the first word of several)
  std::string text;       ///< the translation searched
  std::string lang;       ///< its language
  std::string kind;       ///< "gloss", "acronym" or "expansion" (terms.h)
  size_t evidence = 0;    ///< the index's evidence for it (glosses, glossary rows, aligned pairs)
  std::string source;     ///< its first source (terms.h): "gloss", ..., "default-lexicon"
  double weight = 0;      ///< its weight relative to the clause
};

/// The expansions of @p clauses found in @p db. Xapian errors propagate.
std::vector<Expansion> find_expansions(const Xapian::Database& db,
                                       const std::vector<Clause>& clauses, const ExpandOptions& options);

/// The expansions as build_query() alternatives.
Alternatives to_alternatives(const std::vector<Expansion>& expansions);

}  // namespace bisearch::query
