// analyzer.cc: script runs -> positional words, CJK bigrams, stems and Korean word terms.
#include "analysis/analyzer.h"

#include <unicode/uchar.h>
#include <algorithm>
#include <xapian.h>

#include "analysis/hangul.h"
#include "analysis/normalize.h"
#include "analysis/schema.h"

namespace bisearch::analysis {
namespace {

// Longest alphanumeric term kept; longer strings (hashes, base64) are noise.
constexpr size_t kMaxWordBytes = 64;

inline bool is_cjk(char32_t c) {
  if (c >= 0xAC00 && c <= 0xD7A3) return true;                       // Hangul syllables
  if (c < 0x1100) return false;                                       // below every range: Latin, digits
  if (c >= 0x1100 && c <= 0x11FF) return c != 0x119E;                  // conjoining jamo
  if (c >= 0x3131 && c <= 0x318E) return c != 0x318D;                  // compatibility jamo
  if ((c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF)) return true;
  if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F))
    return true;                                                        // Han
  if (c >= 0x3041 && c <= 0x309F) return true;                         // Hiragana
  if (c >= 0x30A0 && c <= 0x30FF) return c != 0x30FB;                  // Katakana
  return c >= 0x31F0 && c <= 0x31FF;
}

inline bool is_hangul(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3131 && c <= 0x318E) || (c >= 0xA960 && c <= 0xA97F) ||
         (c >= 0xD7B0 && c <= 0xD7FF);
}

// Characters that join two CJK characters into one run: the middle-dot
// family (U+318D becomes U+119E under NFKC) and hyphens/dashes.
bool is_joiner(char32_t c) {
  switch (c) {
    case 0x00B7: case 0x119E: case 0x318D: case 0x30FB: case 0x2027: case 0x2022:
    case U'-': case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
      return true;
    default:
      return false;
  }
}

bool is_alnum(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  if (is_cjk(c)) return false;
  const auto t = u_charType(static_cast<UChar32>(c));
  return u_isalnum(static_cast<UChar32>(c)) || t == U_NON_SPACING_MARK ||
         t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

bool is_digit(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : u_isdigit(static_cast<UChar32>(c)); }
bool is_apostrophe(char32_t c) { return c == U'\'' || c == 0x2019; }

// A particle run counts as glued when it directly follows one of these.
bool glues_particle(char32_t prev) {
  if (is_alnum(prev)) return true;
  switch (prev) {
    case U')': case U']': case U'}': case U'"': case U'\'': case 0x2019: case 0x201D:
    case 0x300D: case 0x300F: case 0x3009: case 0x300B: case U'>': case U'%':
      return true;
    default:
      return false;
  }
}

// Walks the normalized text and hands each token to a TokenSink, in the
// order analyze() documents. Kinds the sink does not want (stems, Korean
// word terms: both unpositioned) are not computed; positions and run
// numbers are the same either way.
class Scanner {
 public:
  Scanner(std::string_view text, uint32_t first_position, TokenSink& sink)
      : chars_(normalize(text)), pos_(first_position), sink_(sink),
        stems_(sink.wants(TokenKind::kStem)), ko_words_(sink.wants(TokenKind::kKoWord)) {}

  void run() {
    const size_t n = chars_.size();
    size_t i = 0;
    while (i < n) {
      const char32_t c = chars_[i].cp;
      if (is_cjk(c)) {
        i = cjk_run(i);
      } else if (is_alnum(c)) {
        i = alnum_word(i);
      } else {
        ++i;
      }
    }
  }

 private:
  size_t cjk_run(size_t i) {
    const size_t n = chars_.size();
    // Scratch buffers reused across runs (indices into chars_ of the run's
    // characters, run offsets where a joined segment starts, code points).
    std::vector<size_t>& idx = idx_;
    std::vector<size_t>& seg_starts = seg_starts_;
    std::u32string& cps = cps_;
    idx.clear();
    seg_starts.assign(1, 0);
    cps.clear();
    size_t j = i;
    while (j < n) {
      if (is_cjk(chars_[j].cp)) {
        idx.push_back(j);
        cps.push_back(chars_[j].cp);
        ++j;
      } else if (is_joiner(chars_[j].cp) && j + 1 < n && is_cjk(chars_[j + 1].cp)) {
        seg_starts.push_back(cps.size());
        ++j;
      } else {
        break;
      }
    }
    // A particle glued to a Latin word or bracket gives no terms and takes
    // no position.
    const bool all_hangul = std::all_of(cps.begin(), cps.end(), is_hangul);
    if (all_hangul && i > 0 && glues_particle(chars_[i - 1].cp) && is_particle(cps)) return j;
    if (!sink_.wants_run(cps)) {
      pos_ += static_cast<uint32_t>(idx.size() == 1 ? 1 : idx.size() - 1);
      ++run_;
      return j;
    }
    // The run as UTF-8 once, with each character's offset: bigram and word
    // terms are slices of it instead of being encoded again.
    std::string& utf8 = utf8_;
    std::vector<uint32_t>& off = off_;
    utf8.clear();
    off.clear();
    for (char32_t c : cps) {
      off.push_back(static_cast<uint32_t>(utf8.size()));
      append_utf8(utf8, c);
    }
    off.push_back(static_cast<uint32_t>(utf8.size()));
    auto slice = [&](size_t from, size_t to) { return std::string_view(utf8.data() + off[from], off[to] - off[from]); };

    const Script script = all_hangul ? Script::kHangul : Script::kCjk;
    const uint32_t first = pos_;
    if (idx.size() == 1) {
      emit(slice(0, 1), chars_[idx[0]].begin, chars_[idx[0]].end, pos_++, 1, script, TokenKind::kUnigram);
      ++run_;
      return j;
    }
    for (size_t k = 0; k + 1 < idx.size(); ++k)
      emit(slice(k, k + 2), chars_[idx[k]].begin, chars_[idx[k + 1]].end, pos_++, 1, script, TokenKind::kBigram);

    // Word terms: the run without its particle, split where a joiner stood.
    // Joined single syllables are one word (한·미·일 -> 한미일); joined words
    // are words each (한미연합사·미국 -> 한미연합사, 미국).
    if (!ko_words_) {
      ++run_;
      return j;
    }
    const size_t strip = is_hangul(cps.back()) ? strip_suffix_length(cps) : 0;
    const size_t stem_len = cps.size() - strip;
    std::vector<std::pair<size_t, size_t>>& segs = segs_;  // [from, to) within the stem
    segs.clear();
    for (size_t s = 0; s < seg_starts.size() && seg_starts[s] < stem_len; ++s) {
      const size_t to = s + 1 < seg_starts.size() ? std::min(seg_starts[s + 1], stem_len) : stem_len;
      segs.emplace_back(seg_starts[s], to);
    }
    const bool all_single = std::all_of(segs.begin(), segs.end(), [](auto& g) { return g.second - g.first == 1; });
    if (all_single) segs.assign(1, {0, stem_len});
    for (const auto& [from, to] : segs) {
      emit(slice(from, to), chars_[idx[from]].begin, chars_[idx[to - 1]].end, first + static_cast<uint32_t>(from),
           static_cast<uint32_t>(to - from > 1 ? to - from - 1 : 1), script, TokenKind::kKoWord);
    }
    ++run_;
    return j;
  }

  size_t alnum_word(size_t i) {
    const size_t n = chars_.size();
    std::u32string& word = word_;
    word.clear();
    size_t j = i;
    size_t end_char = i;  // last char index covered by the token's span
    bool has_letter = false;

    // Acronym: single letters each followed by '.', at least two (U.S., e.g.).
    for (size_t k = i; k + 1 < n && is_alnum(chars_[k].cp) && !is_digit(chars_[k].cp) &&
                       chars_[k + 1].cp == U'.';
         k += 2) {
      word.push_back(chars_[k].cp);
      end_char = k + 1;
    }
    if (word.size() >= 2) {
      has_letter = true;
      j = end_char + 1;
    } else {
      word.clear();
      j = i;
      while (j < n) {
        const char32_t c = chars_[j].cp;
        if (is_alnum(c)) {
          if (!is_digit(c)) has_letter = true;
          word.push_back(c);
          end_char = j++;
        } else if ((c == U'.' || c == U',') && j + 1 < n && is_digit(chars_[j + 1].cp) && !word.empty() &&
                   is_digit(word.back())) {
          if (c == U'.') word.push_back(c);
          ++j;
        } else if (is_apostrophe(c) && j + 1 < n && is_alnum(chars_[j + 1].cp) && !word.empty() &&
                   !is_digit(word.back())) {
          word.push_back(U'\'');
          ++j;
        } else {
          break;
        }
      }
    }
    // Possessive: Korea's / Korea’s / states' -> korea / states (span keeps it).
    if (j + 1 < n && is_apostrophe(chars_[j].cp) && chars_[j + 1].cp == U's' &&
        (j + 2 >= n || !is_alnum(chars_[j + 2].cp))) {
      end_char = j + 1;
      j += 2;
    } else if (word.size() > 2 && word[word.size() - 2] == U'\'' && word.back() == U's') {
      word.erase(word.end() - 2, word.end());
    }
    std::string& utf8 = word_utf8_;
    utf8.clear();
    for (char32_t c : word) append_utf8(utf8, c);
    const uint32_t b = chars_[i].begin, e = chars_[end_char].end;
    if (!utf8.empty() && utf8.size() <= kMaxWordBytes) {
      const Script script = has_letter ? Script::kLatin : Script::kDigit;
      const uint32_t p = pos_++;
      emit(utf8, b, e, p, 1, script, TokenKind::kWord);
      if (has_letter && stems_ && sink_.wants_stem(utf8)) {
        const std::string stem = english_stem(utf8);
        if (!stem.empty()) emit(stem, b, e, p, 1, script, TokenKind::kStem);
      }
      ++run_;
    }
    return j > i ? j : i + 1;
  }

  void emit(std::string_view text, uint32_t b, uint32_t e, uint32_t p, uint32_t plen, Script s, TokenKind k) {
    sink_.token(TokenView{text, b, e, p, plen, s, k, run_});
  }

  std::vector<NormChar> chars_;
  std::vector<size_t> idx_, seg_starts_;
  std::u32string cps_;
  std::string utf8_;
  std::vector<uint32_t> off_;
  std::vector<std::pair<size_t, size_t>> segs_;
  std::u32string word_;
  std::string word_utf8_;
  uint32_t pos_;
  uint32_t run_ = 0;
  TokenSink& sink_;
  const bool stems_, ko_words_;
};

// Collects the tokens as Token objects (analyze()).
class VectorSink : public TokenSink {
 public:
  explicit VectorSink(size_t expected) { tokens.reserve(expected); }
  void token(const TokenView& v) override { tokens.push_back(v.token()); }
  std::vector<Token> tokens;
};

}  // namespace

std::string_view prefix_for(TokenKind kind) {
  switch (kind) {
    case TokenKind::kStem: return schema::kPrefixStem;
    case TokenKind::kKoWord: return schema::kPrefixKoWord;
    default: return {};
  }
}

std::string index_term(const Token& token) {
  std::string term(prefix_for(token.kind));
  term += token.text;
  return term;
}

std::string english_stem(std::string_view word) {
  thread_local Xapian::Stem stemmer("english");
  // Snowball works on letters; keep apostrophes out of what it sees.
  std::string w(word);
  std::erase(w, '\'');
  return stemmer(w);
}

std::vector<Token> analyze(std::string_view text, uint32_t first_position) {
  // Korean text gives about one token per byte-triple (a bigram per
  // character plus a word term per run): reserving that avoids moving tokens.
  VectorSink sink(text.size() / 3 + 8);
  Scanner(text, first_position, sink).run();
  return std::move(sink.tokens);
}

void analyze(std::string_view text, TokenSink& sink, uint32_t first_position) {
  Scanner(text, first_position, sink).run();
}

}  // namespace bisearch::analysis
