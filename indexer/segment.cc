// segment.cc: paragraphs by blank and long lines, long paragraphs cut at sentence ends.
#include "indexer/segment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace bisearch::indexer {
namespace {

constexpr char32_t kBad = 0xFFFD;

// Decodes the code point at text[i]; *len gets its byte length (1 for an
// invalid byte, which decodes as U+FFFD).
char32_t decode(std::string_view text, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    *len = 1;
    return kBad;
  }
  if (i + n > text.size()) {
    *len = 1;
    return kBad;
  }
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) {
      *len = 1;
      return kBad;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = n;
  return cp;
}

bool is_space(char32_t c) {
  switch (c) {
    case U' ': case U'\t': case U'\n': case U'\r': case U'\f': case U'\v':
    case 0x0085: case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000: case 0xFEFF: case 0x200B:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool is_terminator(char32_t c) {
  switch (c) {
    case U'.': case U'?': case U'!': case 0x3002: case 0xFF0E: case 0xFF1F: case 0xFF01:
    case 0x2026: case 0x2025: case 0x203C: case 0x2047: case 0x2048: case 0x2049:
      return true;
    default:
      return false;
  }
}

bool is_closer(char32_t c) {
  switch (c) {
    case U'"': case U'\'': case U')': case U']': case U'}': case 0x2019: case 0x201D:
    case 0x300D: case 0x300F: case 0x3009: case 0x300B: case 0x3011: case 0xFF09: case 0x00BB:
      return true;
    default:
      return false;
  }
}

bool is_opener(char32_t c) {
  switch (c) {
    case U'"': case U'\'': case U'(': case U'[': case U'{': case 0x2018: case 0x201C:
    case 0x300C: case 0x300E: case 0x3008: case 0x300A: case 0x3010: case 0xFF08: case 0x00AB:
      return true;
    default:
      return false;
  }
}

// First byte at or after i (before end) that is not whitespace.
size_t skip_space(std::string_view text, size_t i, size_t end) {
  while (i < end) {
    size_t len;
    if (!is_space(decode(text, i, &len))) break;
    i += len;
  }
  return i;
}

// Start of the code point that ends just before byte j.
size_t previous_start(std::string_view text, size_t begin, size_t j) {
  size_t k = j - 1;
  while (k > begin && j - k < 4 && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
  return k;
}

// One past the last non-space byte of [begin, j).
size_t trim_back(std::string_view text, size_t begin, size_t j) {
  while (j > begin) {
    const size_t k = previous_start(text, begin, j);
    size_t len;
    const char32_t c = decode(text, k, &len);
    if (k + len != j || !is_space(c)) break;  // a broken sequence is not space
    j = k;
  }
  return j;
}

// [begin, end) trimmed of whitespace on both sides; empty span if all space.
Span trim(std::string_view text, size_t begin, size_t end) {
  const size_t b = skip_space(text, begin, end);
  return Span{b, trim_back(text, b, end)};
}

size_t cps(std::string_view text, Span s) { return count_code_points(text.substr(s.begin, s.size())); }
size_t width(std::string_view text, Span s) { return display_width(text.substr(s.begin, s.size())); }

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Titles that are never the last word of a sentence.
constexpr std::array<std::string_view, 18> kTitles = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt",
    "col", "sgt", "capt", "adm", "st", "jr", "vs", "messrs"};
// Abbreviations that are not a sentence end when a number follows ("No. 5").
constexpr std::array<std::string_view, 14> kBeforeNumber = {
    "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"};

// True when the single '.' at byte @p dot (after the word that starts after
// the last space before it) does not end a sentence; @p next is the first
// byte after the period's whitespace.
bool period_continues(std::string_view text, size_t sentence_begin, size_t dot, size_t next, size_t end) {
  size_t wb = dot;
  while (wb > sentence_begin) {
    const size_t k = previous_start(text, sentence_begin, wb);
    size_t len;
    if (is_space(decode(text, k, &len))) break;
    wb = k;
  }
  while (wb < dot) {
    size_t len;
    if (!is_opener(decode(text, wb, &len))) break;
    wb += len;
  }
  const std::string_view word = text.substr(wb, dot - wb);
  if (word.empty()) return false;
  // Initials and dotted abbreviations: R. / U.S. / e.g.
  bool dotted = true;
  for (size_t k = 0; k < word.size(); ++k) {
    const bool letter_here = std::isalpha(static_cast<unsigned char>(word[k])) != 0;
    const bool want_letter = k % 2 == 0;
    if (letter_here != want_letter || (!want_letter && word[k] != '.')) {
      dotted = false;
      break;
    }
  }
  if (dotted) return true;
  const std::string lw = lower_ascii(word);
  if (std::find(kTitles.begin(), kTitles.end(), lw) != kTitles.end()) return true;
  if (next < end) {
    const auto c = static_cast<unsigned char>(text[next]);
    if (std::islower(c)) return true;
    if (std::isdigit(c) && std::find(kBeforeNumber.begin(), kBeforeNumber.end(), lw) != kBeforeNumber.end())
      return true;
  }
  return false;
}

// Cuts the over-long sentence @p s into chunks of at most @p limit code
// points, at the last whitespace when there is one.
void cut_at_spaces(std::string_view text, Span s, size_t limit, std::vector<Span>& out) {
  size_t b = s.begin;
  while (b < s.end) {
    size_t i = b, count = 0, last_space = 0;
    bool have_space = false;
    while (i < s.end && count < limit) {
      size_t len;
      if (is_space(decode(text, i, &len)) && i > b) {
        last_space = i;
        have_space = true;
      }
      i += len;
      ++count;
    }
    if (i >= s.end) {
      out.push_back(trim(text, b, s.end));
      break;
    }
    const size_t cut = have_space ? last_space : i;
    out.push_back(trim(text, b, cut));
    b = skip_space(text, cut, s.end);
  }
}

// Pieces of the long paragraph @p para.
void cut_paragraph(std::string_view text, Span para, const SegmentOptions& o, std::vector<Span>& out) {
  std::vector<Span> pieces;
  Span cur;
  size_t cur_n = 0;
  bool open = false;
  for (const Span& s : split_sentences(text, para)) {
    const size_t n = cps(text, s);
    if (n > o.max_sentence_chars) {
      if (open) pieces.push_back(cur);
      open = false;
      cut_at_spaces(text, s, o.target_chars, pieces);
      continue;
    }
    if (open) {
      const size_t joined = cur_n + count_code_points(text.substr(cur.end, s.begin - cur.end)) + n;
      if (joined <= o.target_chars) {
        cur.end = s.end;
        cur_n = joined;
        continue;
      }
      pieces.push_back(cur);
    }
    cur = s;
    cur_n = n;
    open = true;
  }
  if (open) pieces.push_back(cur);

  // Tiny pieces join their neighbour when the result still fits.
  std::vector<Span> merged;
  std::vector<size_t> sizes;
  for (const Span& p : pieces) {
    const size_t n = cps(text, p);
    if (!merged.empty() && (n < o.min_piece_chars || sizes.back() < o.min_piece_chars)) {
      const size_t joined = cps(text, Span{merged.back().begin, p.end});
      if (joined <= o.max_sentence_chars) {
        merged.back().end = p.end;
        sizes.back() = joined;
        continue;
      }
    }
    merged.push_back(p);
    sizes.push_back(n);
  }
  out.insert(out.end(), merged.begin(), merged.end());
}

}  // namespace

size_t count_code_points(std::string_view text) {
  size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t display_width(std::string_view text) {
  size_t w = 0;
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++w;
      ++i;
      continue;
    }
    size_t len;
    w += is_wide(decode(text, i, &len)) ? 2 : 1;
    i += len;
  }
  return w;
}

std::vector<Span> split_paragraphs(std::string_view text, size_t from, size_t long_line_chars) {
  std::vector<Span> out;
  Span cur;
  bool open = false;
  size_t prev_len = 0;
  size_t pos = std::min(from, text.size());
  while (pos < text.size()) {
    size_t le = text.find_first_of("\r\n", pos);
    if (le == std::string_view::npos) le = text.size();
    size_t next = le;
    if (le < text.size()) next = (text[le] == '\r' && le + 1 < text.size() && text[le + 1] == '\n') ? le + 2 : le + 1;
    const Span line = trim(text, pos, le);
    if (line.size() == 0) {
      if (open) out.push_back(cur);
      open = false;
    } else {
      if (open && prev_len >= long_line_chars) {
        out.push_back(cur);
        open = false;
      }
      if (!open) cur.begin = line.begin;
      open = true;
      cur.end = line.end;
      prev_len = cps(text, line);
    }
    pos = next;
  }
  if (open) out.push_back(cur);
  return out;
}

std::vector<Span> split_sentences(std::string_view text, Span para) {
  std::vector<Span> out;
  const size_t end = std::min(para.end, text.size());
  size_t start = skip_space(text, para.begin, end);
  size_t i = start;
  while (i < end) {
    size_t len;
    const char32_t c = decode(text, i, &len);
    if (!is_terminator(c)) {
      i += len;
      continue;
    }
    const size_t term = i;
    size_t j = i + len;
    bool single_period = c == U'.';
    bool dots = c == U'.' || c == 0x2026 || c == 0x2025;  // "...", "…": may go on in lower case
    while (j < end) {
      const char32_t d = decode(text, j, &len);
      if (!is_terminator(d)) break;
      single_period = false;
      dots = dots && (d == U'.' || d == 0x2026 || d == 0x2025);
      j += len;
    }
    while (j < end) {
      const char32_t d = decode(text, j, &len);
      if (!is_closer(d)) break;
      j += len;
    }
    if (j < end && !is_space(decode(text, j, &len))) {
      i = j;  // "2.0", "U.S.-ROK", "다.그러나": not an end
      continue;
    }
    const size_t next = skip_space(text, j, end);
    if ((single_period && period_continues(text, start, term, next, end)) ||
        (dots && next < end && std::islower(static_cast<unsigned char>(text[next])))) {
      i = j;
      continue;
    }
    const Span s = trim(text, start, j);
    if (s.size() > 0) out.push_back(s);
    start = next;
    i = next;
  }
  if (start < end) {
    const Span s = trim(text, start, end);
    if (s.size() > 0) out.push_back(s);
  }
  return out;
}

std::vector<Span> segment(std::string_view text, size_t from, const SegmentOptions& options) {
  // Rule 3: short paragraphs join the next one (the last joins the previous).
  std::vector<Span> paras;
  bool carry = false;  // paras.back() is short and waits for the next paragraph
  for (const Span& p : split_paragraphs(text, from, options.long_line_chars)) {
    if (carry && width(text, Span{paras.back().begin, p.end}) <= options.max_paragraph_columns) {
      paras.back().end = p.end;
      carry = cps(text, paras.back()) < options.min_paragraph_chars;
      continue;
    }
    paras.push_back(p);
    carry = cps(text, p) < options.min_paragraph_chars;
  }
  if (carry && paras.size() > 1) {
    const Span joined{paras[paras.size() - 2].begin, paras.back().end};
    if (width(text, joined) <= options.max_paragraph_columns) {
      paras.pop_back();
      paras.back() = joined;
    }
  }
  // Rule 4: wide paragraphs are cut.
  std::vector<Span> out;
  for (const Span& p : paras) {
    if (width(text, p) <= options.max_paragraph_columns) {
      out.push_back(p);
    } else {
      cut_paragraph(text, p, options, out);
    }
  }
  return out;
}

}  // namespace bisearch::indexer
