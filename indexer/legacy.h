/** @file legacy.h
 *  @brief Recognizing and converting legacy Korean text files (CP949 / EUC-KR) to UTF-8.
 *
 *  A .txt/.md file that is not valid UTF-8 is tried as CP949 (Microsoft's
 *  superset of EUC-KR, ICU converter "windows-949"). It is converted only
 *  when every byte decodes (no substitution: an illegal or unassigned
 *  sequence refuses the file) and the result is Korean text: at least
 *  kMinHangulShare of its non-ASCII characters are Hangul syllables or jamo,
 *  and there are at least kMinHangul of them (fewer prove nothing; such a
 *  file keeps the plain "not valid UTF-8" reason). Anything else stays refused as
 *  not UTF-8, so mojibake is never indexed. The encoding is named "EUC-KR"
 *  when all two-byte sequences are in EUC-KR's range (A1-FE A1-FE), else
 *  "CP949". Passage offsets then count bytes of the converted UTF-8 text,
 *  not of the file. JSON Lines must be UTF-8 (lines are checked one by one).
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bisearch::indexer {

inline constexpr double kMinHangulShare = 0.6;
/// Two accented Latin-1 letters side by side often make a valid CP949
/// Hangul syllable (0xC7 0xD1 is both "ÇÑ" and 한), so a handful of
/// syllables is no evidence: fewer than this many and the file is refused.
inline constexpr size_t kMinHangul = 4;

struct LegacyText {
  std::string utf8;      ///< the converted text
  std::string encoding;  ///< "CP949" or "EUC-KR"
};

/// Why @p bytes are not Korean legacy text, or its conversion. @p why gets a
/// short reason ("does not decode as CP949 at byte N", "only 12% Hangul").
std::optional<LegacyText> decode_korean_legacy(std::string_view bytes, std::string* why);

}  // namespace bisearch::indexer
