/** @file parse.h
 *  @brief The query syntax: words, "phrases", -exclude, +require, OR.
 *
 *  Parsing never fails: anything that is not syntax is text for the
 *  analyzer, which ignores punctuation, so a natural-language question with
 *  ?, quotes or parentheses is always a valid query.
 *   - A double-quoted span ("…", “…”) is a phrase; an unclosed quote runs to
 *     the end of the query.
 *   - A leading '-' on a word or phrase excludes it; a leading '+' requires
 *     it. A lone '-' or '+' is ignored.
 *   - The word OR (upper case) between two clauses makes them alternatives:
 *     one clause for --all and for '+'.
 *   - `title:` before a word or phrase (any case, no space after the colon:
 *     title:declaration, -title:"fact sheet") matches it in document titles
 *     only.
 *   - A plain word (no +/-, not in an OR, not in a phrase) that is a function
 *     word (analysis/stopwords.h) is marked Clause::stop.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bisearch::query {

enum class Modifier { kNone, kRequired, kExcluded };

struct Clause {
  std::string text;   ///< the word or the phrase's inner text
  bool phrase = false;
  Modifier modifier = Modifier::kNone;
  /// Clauses with the same non-zero group were joined by OR.
  int or_group = 0;
  /// `title:word` / `title:"a phrase"`: matched against document titles
  /// only (schema::kPrefixTitle terms).
  bool title = false;
  /// A function word (English the/in/and..., a Korean form that is only a
  /// pronoun or dependent noun plus particles, 것은): when the query has
  /// other positive clauses it is neither searched, counted as a match nor
  /// highlighted; kept when stopwords are all the query has. Never set on a
  /// phrase (a phrase keeps all its words).
  bool stop = false;
};

std::vector<Clause> parse_query(std::string_view query);

}  // namespace bisearch::query
