/** @file language.h
 *  @brief Passage language from its letters: "ko", "en" or "mixed".
 *
 *  Counts Hangul (syllables and jamo) against Latin letters; digits,
 *  punctuation and other scripts do not vote. An English word spends about
 *  twice as many characters as a Korean word of the same weight, so Latin
 *  letters count one half. With h = Hangul / (Hangul + Latin/2):
 *  "ko" when h >= 0.7, "en" when h <= 0.1 (and some letter was seen),
 *  "mixed" otherwise, including text with no letters at all.
 */
#pragma once

#include <string_view>

namespace bisearch::analysis {

/// "ko", "en" or "mixed" for @p text (UTF-8).
std::string_view detect_language(std::string_view text);

}  // namespace bisearch::analysis
