/** @file terms.h
 *  @brief Cross-language term lookup: a term's translations, from the glosses in the index.
 *
 *  lookup_term() searches the index for the term (as a word, or a phrase
 *  when it has several words), runs the gloss extractor (analysis/gloss.h)
 *  over the best `max_passages` matching passages, and keeps the glosses one
 *  of whose sides is the term. Sides are compared by analysis::term_key, so
 *  spacing, middle dots, case, acronym dots and a trailing particle do not
 *  split the evidence (핵·재래식 통합 = 핵재래식통합, U.S. = US). The other
 *  sides are the translations, ranked by evidence (glosses found), then by
 *  passages, then by text.
 *
 *  Kinds: "gloss" (the other language's form), "acronym" (the translation
 *  is an acronym), "expansion" (the term is an acronym and this is its
 *  spelled-out form in the same language).
 *
 *  Each translation carries at most one example passage per language: the
 *  passage of its best-ranked gloss, and, when that is in the other language
 *  or the translation's own language has no example yet, the best passage of
 *  the translation's language that contains it (a search for the translation
 *  filtered by language), so "where is it used?" is answered in both.
 *
 *  Two stored sources join the glosses (analysis/crosslang.h): the user's
 *  glossary files (source "glossary", ranked first: the user's word) and the
 *  lexicon learned at index time from aligned passages (source
 *  "alignment", evidence = sentence pairs in which the two were linked). A
 *  translation found by several sources is listed once with each of them.
 *
 *  The data shipped with bisearch (default_lexicon.h) joins them unless
 *  TermOptions::default_lexicon is off: the policy glossary (source
 *  "default-glossary", ranked after the user's glossary) and the lexicon
 *  learned from open parallel text (source "default-lexicon", evidence =
 *  its sentence pairs). They are kept out of Translation::evidence, which
 *  counts only what the index itself holds; with examples on, each
 *  translation also says how many passages of the index use it
 *  (index_passages), so a user sees whether the archive uses the term.
 *
 *  English translations that differ only in inflection (strategy,
 *  strategies) are listed once, in the usual form: the user's glossary's,
 *  else the shipped data's, else the most frequent.
 */
#pragma once

#include <xapian.h>

#include "query/default_lexicon.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::query {

struct TermOptions {
  size_t max_passages = 200;     ///< matching passages scanned for glosses (cost: one analysis each)
  size_t max_translations = 10;  ///< translations returned
  std::string lang;              ///< "ko" or "en": only translations into it ("" = both)
  size_t snippet_chars = 160;    ///< code points of each example's snippet
  bool examples = true;          ///< look up example passages (one search per translation)
  /// Use the translations shipped with bisearch (default_lexicon.h);
  /// --no-default-lexicon turns this off.
  bool default_lexicon = true;
  /// The shipped data to use; nullptr: default_data() (loaded once).
  const DefaultData* defaults = nullptr;
};

struct TermExample {
  std::string doc_id;
  uint32_t passage = 0;
  std::string lang;       ///< language of the passage
  std::string snippet;    ///< a window of the passage text around the use
  uint32_t begin = 0;     ///< snippet's byte offsets in the passage text
  uint32_t end = 0;
};

/// Where a translation was found, and how strongly.
struct TranslationSource {
  std::string source;     ///< "gloss", "glossary", "alignment", "default-glossary" or "default-lexicon"
  size_t evidence = 0;    ///< glosses / glossary rows / aligned sentence pairs linking the two
  double score = 0;       ///< alignment, default-lexicon: the association G2 (lexicon.h); else 0
};

struct Translation {
  std::string text;       ///< most frequent written form
  std::string key;        ///< analysis::term_key(text)
  std::string lang;       ///< "ko" or "en" (acronyms are "en")
  std::string kind;       ///< "gloss", "acronym", "expansion" (glosses, shipped glossary), "glossary",
                          ///< "alignment" or "default-lexicon"
  size_t evidence = 0;    ///< the sum of the index's own sources' evidence (not the shipped data's)
  std::vector<TranslationSource> sources;  ///< each source that gave it
  std::string note;       ///< a glossary row's note and file:line, "" otherwise
  size_t passages = 0;    ///< distinct passages holding those glosses
  std::vector<TermExample> examples;  ///< at most one per language, "ko" first
  /// Passages of the index that use the translation (estimate; only with
  /// TermOptions::examples, else 0).
  uint64_t index_passages = 0;
  /// How the source writing this translation writes the looked-up term
  /// ("UN" for un, "moon" for Moon): shipped data and glosses; "" when not
  /// known. Query expansion checks it against the query's case (expand.h).
  std::string term_form;

  /// Whether @p source is among sources.
  bool has_source(std::string_view source) const;
};

struct TermLookup {
  std::string term;
  std::string key;                        ///< analysis::term_key(term); "" when the term has no terms
  std::string lang;                       ///< "ko" or "en"
  std::vector<Translation> translations;  ///< ranked
  uint64_t matching_estimate = 0;         ///< passages matching the term (estimate; 0 without examples)
  size_t scanned = 0;                     ///< passages scanned for glosses
};

/// Passages of @p db that hold @p text as a word or phrase: an
/// estimate checked on the first candidates' text, exact when few (at most
/// @p check candidates are read; 0: 1 when one of the first 10 holds it, else 0).
uint64_t passages_using(const Xapian::Database& db, std::string_view text, size_t check = 200);

/// Whether some passage of @p db in language @p lang ("ko", "en") holds
/// @p text as a word or phrase (text or title): the first match decides, so
/// it is cheap; a one-term text needs no reading at all. Query expansion
/// asks it of the shipped data's translations: an archive without English
/// passages holding "strategy" is not searched for it.
bool used_in_language(const Xapian::Database& db, std::string_view text, std::string_view lang);

/// Looks @p term up in @p db. Xapian errors propagate to the caller.
TermLookup lookup_term(const Xapian::Database& db, std::string_view term, const TermOptions& options);

}  // namespace bisearch::query
