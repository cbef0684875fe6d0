/** @file hangul.h
 *  @brief Korean particles (josa) and light endings, stripped from word terms.
 *
 *  Korean attaches particles and endings to the word: 양국은, 확장억제를,
 *  구축했다. The word term of a Hangul run is the run with its longest
 *  matching trailing particle/ending removed, repeatedly (국민들은 -> 국민),
 *  as long as at least two syllables remain (so 국가, 사이 and 시도 keep
 *  their final syllable). The same function runs at index and at query time,
 *  so a wrong strip (호랑이 -> 호랑) still matches itself; bigrams of the
 *  whole surface run are indexed anyway, so nothing becomes unfindable.
 */
#pragma once

#include <string_view>
#include <vector>

namespace bisearch::analysis {

/// Number of trailing code points of @p run (Hangul syllables) that are a
/// particle or ending; 0 if none. Keeps at least @p min_stem syllables.
size_t strip_suffix_length(const std::u32string_view run, size_t min_stem = 2);

/// True when the whole of @p run is a particle (는, 을, 에서, 와의, ...):
/// used for runs glued to a Latin word or bracket (NCG는, (CNI)방안은 is not).
bool is_particle(const std::u32string_view run);

bool is_hangul_syllable(char32_t c);

/// True when UTF-8 @p text holds a Hangul syllable (U+AC00..U+D7A3).
bool contains_hangul(std::string_view text);

}  // namespace bisearch::analysis
