// language.cc: passage language by counting Hangul and Latin letters.
#include "analysis/language.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace bisearch::analysis {
namespace {

constexpr double kLatinPerHangul = 2.3;
constexpr double kKoreanFrom = 0.5;
constexpr double kEnglishUpTo = 0.2;

}  // namespace

double hangul_share(std::string_view text) {
  double hangul = 0, latin = 0;
  double run = 0;  // Latin letters of the current Latin word, not yet counted
  for (size_t i = 0; i < text.size();) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    UChar32 c;
    if (b0 < 0x80) {
      c = b0;
      ++i;
    } else {
      int32_t off = static_cast<int32_t>(i);
      U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), off, static_cast<int32_t>(text.size()), c);
      i = static_cast<size_t>(off);
      if (c < 0) {
        latin += run;
        run = 0;
        continue;
      }
    }
    if (c < 0x80 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : false) {
      run += 1;
      continue;
    }
    if (c < 0x80) {
      latin += run;
      run = 0;
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &status);
    if (sc == USCRIPT_HANGUL) {
      hangul += 1;
      run = 0;  // the Latin word before takes a Korean particle: part of the Korean text
    } else if (sc == USCRIPT_LATIN && u_isalpha(c)) {
      run += 1;
    } else {
      latin += run;
      run = 0;
    }
  }
  latin += run;
  const double total = hangul + latin / kLatinPerHangul;
  if (hangul + latin == 0) return -1;
  return hangul / total;
}

std::string_view detect_language(std::string_view text) {
  const double h = hangul_share(text);
  if (h < 0) return "mixed";
  if (h >= kKoreanFrom) return "ko";
  if (h <= kEnglishUpTo) return "en";
  return "mixed";
}

}  // namespace bisearch::analysis
