/** @file stopwords.h
 *  @brief Function words: query words that carry no topic of their own.
 *
 *  The query parser marks such a word (query/parse.h Clause::stop) so that,
 *  when the query has other words, it is neither searched, counted as a
 *  match nor highlighted: "what is the role of the NCG" searches role and
 *  NCG. Phrases keep every word.
 *
 *  English: articles, prepositions, conjunctions, pronouns, auxiliaries and
 *  question words (case ignored; a word written in capitals, US, IT, WHO,
 *  is an acronym and never a stop word). Korean: a word that the analyzer's
 *  particle stripping (hangul.h, with one syllable allowed to remain)
 *  reduces to a pronoun or dependent noun (것, 이것, 그, 이, 수, 등, 때문,
 *  ...) with nothing but particles after it: 것은, 그것이, 이는, 수가,
 *  때문에. For a one-syllable stem the particles 도, 로, 라, 란, 나, 만, 야,
 *  든, 며 are not taken as particles, because so many nouns are that
 *  syllable plus one of them (수도, 이란, 수만, 이라크 is safe anyway).
 */
#pragma once

#include <string_view>

namespace bisearch::analysis {

/// True when the query word @p word (as typed; surrounding ASCII
/// punctuation is ignored) is a function word (above).
bool is_stopword(std::string_view word);

}  // namespace bisearch::analysis
