// normalize.cc: NFKC_Casefold normalization that keeps source byte offsets.
#include "analysis/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace bisearch::analysis {
namespace {

const icu::Normalizer2& nfkc_cf() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) abort();  // ICU data missing: nothing works
    return n;
  }();
  return *instance;
}

// Decodes one code point at text[i]; returns its length, or 0 for a bad byte.
inline size_t decode(std::string_view text, size_t i, char32_t* out) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) { *out = b0; return 1; }
  size_t len;
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; cp = b0 & 0x1F; }
  else if (b0 >= 0xE0 && b0 <= 0xEF) { len = 3; cp = b0 & 0x0F; }
  else if (b0 >= 0xF0 && b0 <= 0xF4) { len = 4; cp = b0 & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  *out = cp;
  return len;
}

// Code points that NFKC_Casefold leaves alone and that never combine with a
// neighbour: the overwhelming majority of our text, handled without ICU.
inline bool is_simple(char32_t c) {
  if (c < 0x80) return true;  // upper case is folded by the caller
  return c >= 0xAC00 && c <= 0xD7A3;  // precomposed Hangul syllables
}

}  // namespace

bool is_valid_utf8(std::string_view text, size_t* bad_offset) {
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    const size_t len = decode(text, i, &cp);
    if (len == 0) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

std::vector<NormChar> normalize(std::string_view text) {
  std::vector<NormChar> out;
  out.reserve(text.size() / 2 + 8);
  const icu::Normalizer2& norm = nfkc_cf();

  // Source code points of the pending complex segment.
  struct Src { char32_t cp; uint32_t begin, end; };
  std::vector<Src> pending;

  // Normalizes pending[first, last) as one unit; all output maps to its range.
  auto emit_unit = [&](size_t first, size_t last) {
    if (first == last) return;
    icu::UnicodeString src;
    for (size_t k = first; k < last; ++k) src.append(static_cast<UChar32>(pending[k].cp));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString dst = norm.normalize(src, status);
    if (U_FAILURE(status)) dst = src;
    const uint32_t b = pending[first].begin, e = pending[last - 1].end;
    for (int32_t j = 0; j < dst.length();) {
      const UChar32 c = dst.char32At(j);
      out.push_back({static_cast<char32_t>(c), b, e});
      j += U16_LENGTH(c);
    }
  };
  // Splits the pending segment at normalization boundaries for finer offsets.
  auto flush = [&] {
    size_t start = 0;
    for (size_t k = 1; k < pending.size(); ++k) {
      if (norm.hasBoundaryBefore(static_cast<UChar32>(pending[k].cp))) {
        emit_unit(start, k);
        start = k;
      }
    }
    emit_unit(start, pending.size());
    pending.clear();
  };

  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    size_t len;
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      // ASCII: the bulk of English text and all the spacing of Korean text.
      cp = b0 + (b0 >= 'A' && b0 <= 'Z' ? 'a' - 'A' : 0);
      if (pending.empty()) {
        out.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
        ++i;
        continue;
      }
      len = 1;
    } else {
      len = decode(text, i, &cp);
    }
    if (len == 0) {  // one U+FFFD per bad byte
      cp = 0xFFFD;
      len = 1;
      if (!pending.empty()) flush();
      out.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      i += len;
      continue;
    }
    const auto b = static_cast<uint32_t>(i), e = static_cast<uint32_t>(i + len);
    i += len;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (pending.empty() && is_simple(cp)) {
      out.push_back({cp, b, e});
      continue;
    }
    if (pending.empty()) {
      // A combining code point may compose with the simple one before it.
      if (!out.empty() && !norm.hasBoundaryBefore(static_cast<UChar32>(cp)) &&
          is_simple(out.back().cp) &&
          (out.size() < 2 || out[out.size() - 2].end <= out.back().begin)) {
        pending.push_back({out.back().cp, out.back().begin, out.back().end});
        out.pop_back();
      }
      pending.push_back({cp, b, e});
      continue;
    }
    // Inside a complex segment: a simple code point with a boundary ends it.
    if (is_simple(cp) && norm.hasBoundaryBefore(static_cast<UChar32>(cp))) {
      flush();
      out.push_back({cp, b, e});
    } else {
      pending.push_back({cp, b, e});
    }
  }
  if (!pending.empty()) flush();
  return out;
}

}  // namespace bisearch::analysis
