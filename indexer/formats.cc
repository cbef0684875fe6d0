// formats.cc: what the format readers share: adding blocks within bounds, collapsing layout whitespace.
#include "indexer/formats.h"

namespace bisearch::indexer {
namespace {

// Length of the Unicode space (other than ASCII) starting at text[i], or 0:
// U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
size_t unicode_space(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  if (b(0) == 0xC2 && b(1) == 0xA0) return 2;
  if (b(0) == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;
  if (b(0) == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF))
    return 3;
  if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

bool is_blank(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    const size_t n = unicode_space(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace

void Extracted::add(std::string text, uint32_t place, size_t max_text_bytes) {
  if (is_blank(text)) return;
  text_bytes += text.size();
  if (text_bytes > max_text_bytes)
    throw FormatError(ProblemKind::kTooLarge,
                      "more than " + std::to_string(max_text_bytes >> 20) + " MiB of text; not indexed");
  blocks.push_back({std::move(text), place});
}

void check_depth(unsigned depth, const FormatLimits& limits) {
  if (depth > limits.max_depth)
    throw FormatError(ProblemKind::kTooLarge,
                      "elements nested deeper than " + std::to_string(limits.max_depth) + " levels; not indexed");
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
      n = 1;
    else
      n = unicode_space(text, i);
    if (n > 0) {
      space = !out.empty();
      i += n;
      continue;
    }
    ++i;
    if (c < 0x20 || c == 0x7F) continue;  // other C0 controls and DEL are dropped
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace bisearch::indexer
