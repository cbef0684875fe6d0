// language.cc: passage language by counting Hangul and Latin letters.
#include "analysis/language.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace bisearch::analysis {

std::string_view detect_language(std::string_view text) {
  double hangul = 0, latin = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      if ((b0 | 0x20) >= 'a' && (b0 | 0x20) <= 'z') latin += 1;
      ++i;
      continue;
    }
    UChar32 c;
    int32_t off = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), off, static_cast<int32_t>(text.size()), c);
    i = static_cast<size_t>(off);
    if (c < 0) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &status);
    if (sc == USCRIPT_HANGUL) hangul += 1;
    else if (sc == USCRIPT_LATIN && u_isalpha(c)) latin += 1;
  }
  const double total = hangul + latin / 2;
  if (total == 0) return "mixed";
  const double h = hangul / total;
  if (h >= 0.7) return "ko";
  if (h <= 0.1) return "en";
  return "mixed";
}

}  // namespace bisearch::analysis
