/** @file normalize.h
 *  @brief Unicode normalization with a map back to source byte offsets.
 *
 *  Text is decoded from UTF-8, folded with ICU's NFKC_Casefold (NFKC plus
 *  case folding: fullwidth ＮＣＧ becomes ncg, NFD jamo become syllables) and
 *  handed to the tokenizer as a sequence of code points. Every output code
 *  point remembers the byte range of the source it came from, so tokens can
 *  report offsets into the caller's original text however normalization
 *  reshaped it. Invalid UTF-8 bytes become U+FFFD, one per bad byte, and are
 *  treated as separators. Thread-safe: no state besides ICU's singletons.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

/// One normalized code point and the source bytes [begin, end) it came from.
/// Several code points may share a range (a ligature expanded by NFKC); one
/// code point may cover several source code points (decomposed jamo).
struct NormChar {
  char32_t cp;
  uint32_t begin;
  uint32_t end;
};

/// Normalizes UTF-8 @p text. Offsets in the result are byte offsets into
/// @p text; they never go backwards and never exceed text.size().
std::vector<NormChar> normalize(std::string_view text);

/// True when @p text is well-formed UTF-8 (no overlongs, no surrogates).
/// Returns the byte offset of the first bad byte in @p bad_offset otherwise.
bool is_valid_utf8(std::string_view text, size_t* bad_offset = nullptr);

/// Appends @p cp to @p out as UTF-8 (inline: the analyzer calls it for
/// every character of every CJK run).
inline void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  size_t n;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  } else if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out.append(buf, n);
}

}  // namespace bisearch::analysis
