/** @file language.h
 *  @brief Passage language from its letters: "ko", "en" or "mixed".
 *
 *  Counts Hangul (syllables and jamo) against Latin letters; digits,
 *  punctuation and other scripts do not vote. English spends about 2.3
 *  Latin letters where Korean spends one Hangul syllable (2.2 on NTREX-128,
 *  2.4 on the Park et al. news sets), so a Latin letter weighs 1/2.3 and
 *  h = Hangul / (Hangul + Latin / 2.3) is the Korean share of the content.
 *  A Latin word written straight before Hangul (`Galton이었다`, `NCG를`) is a
 *  name or acronym taking a Korean particle: it is part of a Korean
 *  sentence and does not vote for English.
 *
 *  "ko" when h >= 0.5 (the larger part is Korean: a Korean sentence with a
 *  Latin name, `그의 이름은 Francis Galton이었다.`, `TV 꺼라.`); "en" when
 *  h <= 0.2 (an English sentence with a Korean gloss); "mixed" between (a
 *  passage holding a term list or both versions of a text) and for text with
 *  no letters at all.
 */
#pragma once

#include <string_view>

namespace bisearch::analysis {

/// h above: the Korean share of the letters of @p text (UTF-8), in [0, 1];
/// -1 when it has no Hangul or Latin letter.
double hangul_share(std::string_view text);

/// "ko", "en" or "mixed" for @p text (UTF-8).
std::string_view detect_language(std::string_view text);

}  // namespace bisearch::analysis
