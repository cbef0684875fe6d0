/** @file gloss.h
 *  @brief Finds parenthetical glosses in a passage: term pairs across languages.
 *
 *  Korean policy writing glosses its terms in parentheses, and English text
 *  introduces its acronyms the same way. find_glosses() recognises:
 *
 *    핵협의그룹(NCG: Nuclear Consultative Group)   ko + acronym + en
 *    한미 핵·재래식 통합(CNI:Conventional-Nuclear Integration)방안
 *                                                 ko 핵·재래식 통합 + acronym + en
 *    미·중·러 3각 억제(trilateral deterrence)       ko 3각 억제 + en
 *    핵협의그룹(NCG)                               ko + acronym
 *    extended deterrence(확장억제)                 en + ko
 *    Nuclear Consultative Group (NCG)             en + acronym
 *    NCG(핵협의그룹)                               acronym + ko
 *
 *  Where the outside term starts is decided from the inside one:
 *   - Korean before the parenthesis: whole space-separated words are taken
 *     back from the parenthesis until they cover the English side, counted
 *     as content words (hyphen parts, without of/and/the…) or acronym
 *     letters, whichever is more; a Korean word counts as one concept per
 *     two syllables (핵협의그룹 = 3, 통합 = 1, 3각 = 1), parts joined by a
 *     middle dot separately. A word that carries a particle or ending
 *     (양국은, per hangul.h), a word with punctuation or Latin letters, and
 *     the fifth word stop the walk. A short word before an acronym-only
 *     gloss (믹타(MIKTA), 브릭스(BRICs): fewer syllables than letters) is a
 *     transliteration and is taken alone.
 *   - English before an acronym: the acronym's letters are matched, from the
 *     end, against the initials of the preceding words (a word may give
 *     further letters after its initial: Intercontinental Ballistic Missile
 *     (ICBM); function words may give one or none: Republic of Korea (ROK));
 *     failing that, the last words whose initials are the acronym's letters
 *     in another order (Nuclear-Conventional Integration (CNI)).
 *   - English before a Korean gloss: words back from the parenthesis until
 *     the content words cover the Korean side's concept count, at most six,
 *     leading function words trimmed.
 *  Anything else in parentheses (years, Hanja, explanations, mixed text,
 *  sentences) gives no gloss. Parentheses may be ASCII or fullwidth; an
 *  unbalanced or nested one is skipped. The scan is linear in the text
 *  (each parenthesis looks at most a bounded window either side), never
 *  fails and accepts invalid UTF-8.
 *
 *  Thread-safe (pure functions).
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

/// One side of a gloss: text[begin, end) of the passage.
struct GlossTerm {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;  ///< exactly the source bytes [begin, end)
  bool empty() const { return begin == end; }
};

/// A term and its gloss. At least two of ko, en and acronym are set.
struct Gloss {
  GlossTerm ko;        ///< Korean form (may include digits and middle dots: 3각 억제, 핵·재래식 통합)
  GlossTerm en;        ///< English words (Nuclear Consultative Group)
  GlossTerm acronym;   ///< acronym as written (NCG, U.S.)
  uint32_t open = 0;   ///< byte offset of the opening parenthesis
  uint32_t close = 0;  ///< one past the closing parenthesis
};

/// Every gloss in @p text, in text order. Offsets are UTF-8 byte offsets.
std::vector<Gloss> find_glosses(std::string_view text);

/// The comparison key of a term: its analyzer terms, so that spacing,
/// joiners, case, acronym dots and a trailing particle do not matter
/// (핵·재래식 통합 and 핵재래식통합 -> "핵재래식통합", U.S. -> "us",
/// Conventional-Nuclear Integration -> "conventional nuclear integration",
/// 핵협의그룹을 -> "핵협의그룹"). Korean pieces are concatenated, alphanumeric
/// words are separated by one space. "" when the text has no terms.
std::string term_key(std::string_view term);

}  // namespace bisearch::analysis
