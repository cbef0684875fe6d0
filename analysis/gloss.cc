// gloss.cc: recognises parenthetical glosses and decides where the glossed term starts.
#include "analysis/gloss.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "analysis/analyzer.h"
#include "analysis/hangul.h"

namespace bisearch::analysis {
namespace {

constexpr size_t kMaxInner = 80;          // code points inside a parenthesis
constexpr size_t kMaxKoWords = 4;         // Korean words before a parenthesis
constexpr size_t kMaxEnWords = 6;         // English words before a Korean gloss
constexpr size_t kMaxAcronymWords = 12;   // English words searched for an acronym's letters
constexpr size_t kMaxInnerEnWords = 8;    // words of an English gloss

struct Cp {
  char32_t c;
  uint32_t begin, end;
};

// Decodes UTF-8; each invalid byte becomes U+FFFD of length one.
std::vector<Cp> decode(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb >> 6) != 2) ok = false;
      c = (c << 6) | (cb & 0x3F);
    }
    if (!ok) {
      len = 1;
      c = 0xFFFD;
    }
    out.push_back({c, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
    i += len;
  }
  return out;
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000; }
bool is_hangul(char32_t c) { return is_hangul_syllable(c) || (c >= 0x3131 && c <= 0x318E && c != 0x318D); }
bool is_han(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF); }
bool is_latin(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_upper(char32_t c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_joiner(char32_t c) { return c == 0xB7 || c == 0x318D || c == 0x30FB || c == 0x2027 || c == '-' || c == 0x2010; }
bool is_open(char32_t c) { return c == '(' || c == 0xFF08; }
bool is_close(char32_t c) { return c == ')' || c == 0xFF09; }
// Characters an English term may contain besides letters and digits.
bool is_en_inner(char32_t c) { return c == '-' || c == '.' || c == '&' || c == '\'' || c == 0x2019 || c == '/'; }

char32_t lower(char32_t c) { return is_upper(c) ? c + 32 : c; }

using Span = std::pair<size_t, size_t>;  // [first, last) code point indexes

Span trim(const std::vector<Cp>& cps, Span s) {
  while (s.first < s.second && is_space(cps[s.first].c)) ++s.first;
  while (s.second > s.first && is_space(cps[s.second - 1].c)) --s.second;
  return s;
}

GlossTerm make_term(std::string_view text, const std::vector<Cp>& cps, Span s) {
  GlossTerm t;
  if (s.first >= s.second) return t;
  t.begin = cps[s.first].begin;
  t.end = cps[s.second - 1].end;
  t.text = std::string(text.substr(t.begin, t.end - t.begin));
  return t;
}

// Space-separated words of cps[s), as spans.
std::vector<Span> words_of(const std::vector<Cp>& cps, Span s) {
  std::vector<Span> words;
  size_t i = s.first;
  while (i < s.second) {
    while (i < s.second && is_space(cps[i].c)) ++i;
    const size_t b = i;
    while (i < s.second && !is_space(cps[i].c)) ++i;
    if (b < i) words.push_back({b, i});
  }
  return words;
}

bool is_function_word(const std::vector<Cp>& cps, Span w) {
  static constexpr std::array<std::u32string_view, 16> kWords = {
      U"of", U"and", U"the", U"for", U"in", U"on", U"to", U"a", U"an", U"at", U"by", U"with", U"&", U"or", U"from", U"de"};
  std::u32string s;
  for (size_t i = w.first; i < w.second; ++i) s += lower(cps[i].c);
  return std::find(kWords.begin(), kWords.end(), s) != kWords.end();
}

// An English word: letters (at least one), digits and the inner characters;
// a trailing '.' only as part of an acronym (U.S.).
bool is_en_word(const std::vector<Cp>& cps, Span w) {
  bool letter = false;
  for (size_t i = w.first; i < w.second; ++i) {
    const char32_t c = cps[i].c;
    if (is_latin(c)) letter = true;
    else if (!is_digit(c) && !is_en_inner(c)) return false;
  }
  return letter;
}

// Letters of an acronym (NCG, U.S., BRICs, AFoCO): no spaces, at most 12
// code points, at least two capitals, only letters, digits, '.', '&', '-'.
// Returns its letters lower-cased (a plural 's' dropped), or "" if not one.
std::u32string acronym_letters(const std::vector<Cp>& cps, Span s) {
  if (s.second - s.first < 2 || s.second - s.first > 12) return {};
  size_t upper = 0, lower_count = 0;
  std::u32string letters;
  for (size_t i = s.first; i < s.second; ++i) {
    const char32_t c = cps[i].c;
    if (is_upper(c)) ++upper;
    else if (is_latin(c)) ++lower_count;
    else if (!is_digit(c) && c != '.' && c != '&' && c != '-') return {};
    if (is_latin(c)) letters += lower(c);
  }
  if (upper < 2 || lower_count > upper) return {};
  if (letters.size() >= 3 && cps[s.second - 1].c == 's') letters.pop_back();
  return letters;
}

// Content words of an English phrase, counted by hyphen/slash parts.
size_t en_concepts(const std::vector<Cp>& cps, const std::vector<Span>& words) {
  size_t n = 0;
  for (const Span& w : words) {
    if (is_function_word(cps, w)) continue;
    size_t parts = 1;
    for (size_t i = w.first + 1; i + 1 < w.second; ++i)
      if (cps[i].c == '-' || cps[i].c == '/') ++parts;
    n += parts;
  }
  return n;
}

// Concepts of a Korean word: per joiner-separated part, one per two
// syllables (rounded up); a part of digits alone counts as nothing.
size_t ko_concepts(const std::vector<Cp>& cps, Span w) {
  size_t n = 0, syllables = 0;
  auto flush = [&] {
    n += (syllables + 1) / 2;
    syllables = 0;
  };
  for (size_t i = w.first; i < w.second; ++i) {
    if (is_joiner(cps[i].c)) flush();
    else if (is_hangul(cps[i].c)) ++syllables;
  }
  flush();
  return n;
}

size_t hangul_count(const std::vector<Cp>& cps, Span w) {
  size_t n = 0;
  for (size_t i = w.first; i < w.second; ++i) n += is_hangul(cps[i].c);
  return n;
}

// True when the Korean word ends in a particle or ending (양국은, 맞추고):
// it cannot be the inside of a glossed noun phrase.
bool ends_in_particle(const std::vector<Cp>& cps, Span w) {
  std::u32string run;
  for (size_t i = w.first; i < w.second; ++i) {
    if (is_hangul_syllable(cps[i].c)) run += cps[i].c;
    else run.clear();
  }
  if (run.empty()) return false;
  if (strip_suffix_length(run) > 0) return true;
  // Adnominal forms after a particle (…를 위한, …에 대한), which the
  // particle table keeps because they have one syllable of stem.
  static constexpr std::array<std::u32string_view, 7> kLinks = {U"위한", U"대한", U"관한", U"통한", U"향한", U"의한", U"따른"};
  if (std::find(kLinks.begin(), kLinks.end(), run) != kLinks.end()) return true;
  // The past adnominal 던 (교장이었던 에비슨): rare at the end of a noun.
  return run.size() >= 2 && run.back() == U'던';
}

// The Korean term ending at cps[end) (the end of the text before the
// parenthesis, spaces skipped): whole words back to a boundary until they
// cover @p target concepts. Empty span when there is no Korean there.
Span korean_before(const std::vector<Cp>& cps, size_t end, size_t target, size_t acronym_letters) {
  size_t first = end;
  size_t covered = 0, taken = 0;
  size_t i = end;
  while (taken < kMaxKoWords) {
    // The word ending at i.
    size_t b = i;
    while (b > 0 && !is_space(cps[b - 1].c)) --b;
    // Its trailing part of Hangul, digits and joiners.
    size_t k = i;
    while (k > b && (is_hangul(cps[k - 1].c) || is_digit(cps[k - 1].c) || is_joiner(cps[k - 1].c))) --k;
    while (k < i && is_joiner(cps[k].c)) ++k;   // no leading joiner
    const Span w{k, i};
    if (w.first == w.second || hangul_count(cps, w) == 0) break;
    if (taken > 0 && ends_in_particle(cps, w)) break;
    first = k;
    covered += ko_concepts(cps, w);
    ++taken;
    if (taken == 1 && acronym_letters > 0 && target == acronym_letters && hangul_count(cps, w) < acronym_letters) break;
    if (covered >= target || k > b || b == 0) break;   // covered, or punctuation/text start before it
    // Step over the spaces to the previous word; a line break ends the term.
    size_t j = b;
    bool newline = false;
    while (j > 0 && is_space(cps[j - 1].c)) {
      --j;
      newline = newline || cps[j].c == '\n';
    }
    if (newline || j == 0) break;
    i = j;
  }
  return {first, taken ? end : first};
}

// English words ending at cps[end): up to @p max_words words, stopping at
// anything that is not an English word. Returned in text order.
std::vector<Span> english_words_before(const std::vector<Cp>& cps, size_t end, size_t max_words) {
  std::vector<Span> words;
  size_t i = end;
  while (words.size() < max_words && i > 0) {
    size_t b = i;
    while (b > 0 && !is_space(cps[b - 1].c)) --b;
    // A trailing comma, quote or bracket on the word ends the phrase.
    Span w{b, i};
    if (!is_en_word(cps, w)) {
      // The word touching the parenthesis may carry a prefix of other text
      // (‘extended → extended); take its Latin tail and stop.
      size_t k = i;
      while (k > b && (is_latin(cps[k - 1].c) || is_digit(cps[k - 1].c) || is_en_inner(cps[k - 1].c))) --k;
      if (k < i && is_en_word(cps, {k, i})) words.push_back({k, i});
      break;
    }
    words.push_back(w);
    size_t j = b;
    bool newline = false;
    while (j > 0 && is_space(cps[j - 1].c)) {
      --j;
      newline = newline || cps[j].c == '\n';
    }
    if (newline || j == b) break;
    i = j;
  }
  std::reverse(words.begin(), words.end());
  return words;
}

// A part of an English word (split at '-' and '/') with its initial.
struct Part {
  Span span;
  size_t word;      // index in the words vector
  bool function;
};

// Matches acronym letters L (from the end) against parts P (from the end).
// Returns the index of the first part used, or npos.
size_t match_initials(const std::vector<Cp>& cps, const std::vector<Part>& parts, const std::u32string& letters) {
  constexpr size_t npos = static_cast<size_t>(-1);
  // Recursive search with small bounds (<= 12 letters, <= ~24 parts).
  struct Search {
    const std::vector<Cp>& cps;
    const std::vector<Part>& parts;
    const std::u32string& letters;
    int budget = 20000;
    size_t run(size_t li, size_t pi) {  // li letters and pi parts remain
      if (li == 0) return pi;           // all matched: pi is the first part used
      if (pi == 0 || --budget < 0) return npos;
      const Part& p = parts[pi - 1];
      const Span s = p.span;
      // Function words may give nothing.
      if (p.function) {
        const size_t r = run(li, pi - 1);
        if (r != npos) return r;
      }
      // The part gives letters[k..li) with letters[k] its initial.
      for (size_t k = li; k-- > 0;) {
        if (li - k > s.second - s.first) break;
        if (lower(cps[s.first].c) != letters[k]) continue;
        size_t at = s.first + 1;
        bool ok = true;
        for (size_t m = k + 1; m < li && ok; ++m) {
          while (at < s.second && lower(cps[at].c) != letters[m]) ++at;
          if (at == s.second) ok = false;
          else ++at;
        }
        if (!ok) continue;
        const size_t r = run(k, pi - 1);
        if (r != npos) return r;
      }
      return npos;
    }
  } search{cps, parts, letters};
  const size_t first = search.run(letters.size(), parts.size());
  if (first == npos) return npos;
  // The term starts at its first content part that gave a letter.
  size_t f = first;
  while (f < parts.size() && parts[f].function) ++f;
  return f < parts.size() ? f : npos;
}

std::vector<Part> parts_of(const std::vector<Cp>& cps, const std::vector<Span>& words) {
  std::vector<Part> parts;
  for (size_t w = 0; w < words.size(); ++w) {
    const bool function = is_function_word(cps, words[w]);
    size_t b = words[w].first;
    for (size_t i = words[w].first; i <= words[w].second; ++i) {
      if (i == words[w].second || cps[i].c == '-' || cps[i].c == '/') {
        // Skip dots and quotes at the start of a part (U.S. -> "U", "S").
        size_t pb = b;
        while (pb < i && !is_latin(cps[pb].c) && !is_digit(cps[pb].c)) ++pb;
        if (pb < i) {
          // An acronym part (U.S.) gives each of its capitals as a part.
          bool dotted = false;
          for (size_t k = pb; k < i; ++k) dotted = dotted || cps[k].c == '.';
          if (dotted) {
            for (size_t k = pb; k < i; ++k)
              if (is_latin(cps[k].c)) parts.push_back({{k, k + 1}, w, false});
          } else {
            parts.push_back({{pb, i}, w, function});
          }
        }
        b = i + 1;
      }
    }
  }
  return parts;
}

// The English term before an acronym: index of its first word in @p words,
// or npos.
size_t english_for_acronym(const std::vector<Cp>& cps, const std::vector<Span>& words, const std::u32string& letters) {
  constexpr size_t npos = static_cast<size_t>(-1);
  if (words.empty() || letters.size() < 2) return npos;
  const std::vector<Part> parts = parts_of(cps, words);
  size_t first = match_initials(cps, parts, letters);
  if (first != npos) {
    // A single word holding every letter is a coincidence, not a gloss.
    if (parts[first].word == words.size() - 1 && parts.size() - first == 1) return npos;
    return parts[first].word;
  }
  // The same initials in another order, over the last content parts.
  std::vector<size_t> content;
  for (size_t p = parts.size(); p-- > 0 && content.size() < letters.size();)
    if (!parts[p].function) content.push_back(p);
  if (content.size() != letters.size()) return npos;
  std::u32string initials;
  for (size_t p : content) initials += lower(cps[parts[p].span.first].c);
  std::u32string want = letters;
  std::sort(initials.begin(), initials.end());
  std::sort(want.begin(), want.end());
  if (initials != want) return npos;
  return parts[content.back()].word;
}

bool all_of(const std::vector<Cp>& cps, Span s, bool (*pred)(char32_t)) {
  for (size_t i = s.first; i < s.second; ++i)
    if (!pred(cps[i].c)) return false;
  return true;
}

bool korean_inner_char(char32_t c) { return is_hangul(c) || is_space(c) || is_joiner(c) || is_digit(c); }

// An English phrase inside a parenthesis: 1..8 words, each an English word.
bool is_en_phrase(const std::vector<Cp>& cps, Span s) {
  const auto words = words_of(cps, s);
  if (words.empty() || words.size() > kMaxInnerEnWords) return false;
  for (const Span& w : words)
    if (!is_en_word(cps, w)) return false;
  return true;
}

// Index of the first ':' ',' or ';' (ASCII or fullwidth) in s, or s.second.
size_t find_separator(const std::vector<Cp>& cps, Span s) {
  for (size_t i = s.first; i < s.second; ++i) {
    const char32_t c = cps[i].c;
    if (c == ':' || c == ',' || c == ';' || c == 0xFF1A || c == 0xFF0C) return i;
  }
  return s.second;
}

// Analyses the parenthesis cps[open] .. cps[close]; appends a gloss if any.
void gloss_at(std::string_view text, const std::vector<Cp>& cps, size_t open, size_t close, std::vector<Gloss>& out) {
  const Span inner = trim(cps, {open + 1, close});
  if (inner.first == inner.second) return;
  for (size_t i = inner.first; i < inner.second; ++i)
    if (is_han(cps[i].c)) return;  // Hanja: not a translation

  Span en{0, 0}, acr{0, 0}, ko{0, 0};
  std::u32string letters;
  const bool inner_korean = all_of(cps, inner, korean_inner_char) && hangul_count(cps, inner) > 0;
  if (!inner_korean) {
    const size_t sep = find_separator(cps, inner);
    if (sep < inner.second) {
      const Span left = trim(cps, {inner.first, sep}), right = trim(cps, {sep + 1, inner.second});
      if (!(letters = acronym_letters(cps, left)).empty() && is_en_phrase(cps, right)) {
        acr = left;
        en = right;
      } else if (!(letters = acronym_letters(cps, right)).empty() && is_en_phrase(cps, left)) {
        acr = right;
        en = left;
      } else {
        return;
      }
    } else if (!(letters = acronym_letters(cps, inner)).empty()) {
      acr = inner;
    } else if (is_en_phrase(cps, inner)) {
      en = inner;
    } else {
      return;
    }
  }

  // The text just before the parenthesis (one run of spaces skipped).
  size_t end = open;
  while (end > 0 && is_space(cps[end - 1].c) && cps[end - 1].c != '\n') --end;
  if (end == 0 || open - end > 1) {
    if (end == 0 && !inner_korean && en.first != en.second && acr.first != acr.second) {
      // "(NCG: Nuclear Consultative Group)" at the very start: the pair inside.
    } else if (open - end > 1) {
      return;
    }
  }
  const char32_t before = end > 0 ? cps[end - 1].c : 0;

  Gloss g;
  g.open = cps[open].begin;
  g.close = cps[close].end;
  if (inner_korean) {
    // English (or an acronym) glossed in Korean.
    ko = inner;
    if (!(is_latin(before) || is_digit(before) || before == '.')) return;
    // An explanation, not a term: too many words, or a particle inside
    // (신국제금융체제의 구축).
    const auto ko_words = words_of(cps, inner);
    if (ko_words.size() > kMaxKoWords) return;
    for (size_t w = 0; w + 1 < ko_words.size(); ++w)
      if (ends_in_particle(cps, ko_words[w])) return;
    const auto words = english_words_before(cps, end, kMaxEnWords);
    if (words.empty() || (words.size() == 1 && words[0].second - words[0].first < 2)) return;
    if (!(letters = acronym_letters(cps, words.back())).empty()) {
      acr = words.back();
    } else {
      size_t target = 0;
      for (const Span& w : words_of(cps, inner)) target += ko_concepts(cps, w);
      target = std::max<size_t>(target, 1);
      size_t covered = 0, first = words.size();
      while (first > 0 && covered < target) {
        --first;
        covered += en_concepts(cps, {words[first]});
      }
      while (first < words.size() && is_function_word(cps, words[first])) ++first;
      if (first == words.size()) return;
      en = {words[first].first, words.back().second};
    }
  } else if (is_hangul(before) || (is_digit(before) && end >= 2 && is_hangul(cps[end - 2].c))) {
    // A Korean term glossed in English and/or an acronym.
    const size_t en_target = en.first != en.second ? en_concepts(cps, words_of(cps, en)) : 0;
    const size_t target = std::max<size_t>({en_target, letters.size(), 1});
    ko = korean_inner_char(before) ? korean_before(cps, end, target, en.first == en.second ? letters.size() : 0)
                                   : Span{0, 0};
    if (ko.first == ko.second) return;
  } else if ((is_latin(before) || before == '.') && acr.first != acr.second && en.first == en.second) {
    // An English term followed by its acronym.
    const auto words = english_words_before(cps, end, kMaxAcronymWords);
    const size_t first = english_for_acronym(cps, words, letters);
    if (first == static_cast<size_t>(-1)) return;
    en = {words[first].first, words.back().second};
    // Trailing punctuation of the last word is not part of the term.
    while (en.second > en.first && !is_latin(cps[en.second - 1].c) && !is_digit(cps[en.second - 1].c) &&
           cps[en.second - 1].c != '.')
      --en.second;
  } else if (acr.first == acr.second || en.first == en.second) {
    return;  // an acronym or English words alone, with nothing glossed
  }

  g.ko = make_term(text, cps, ko);
  g.en = make_term(text, cps, en);
  g.acronym = make_term(text, cps, acr);
  const int sides = !g.ko.empty() + !g.en.empty() + !g.acronym.empty();
  if (sides >= 2) out.push_back(std::move(g));
}

}  // namespace

std::vector<Gloss> find_glosses(std::string_view text) {
  std::vector<Gloss> out;
  if (text.find('(') == std::string_view::npos && text.find("\xEF\xBC\x88") == std::string_view::npos) return out;
  const std::vector<Cp> cps = decode(text);
  for (size_t i = 0; i < cps.size(); ++i) {
    if (!is_open(cps[i].c)) continue;
    size_t close = 0;
    for (size_t j = i + 1; j < cps.size() && j <= i + kMaxInner + 1; ++j) {
      if (is_open(cps[j].c)) break;   // nested or unbalanced: skipped
      if (is_close(cps[j].c)) {
        close = j;
        break;
      }
    }
    if (close == 0) continue;
    gloss_at(text, cps, i, close, out);
    i = close;
  }
  return out;
}

std::string term_key(std::string_view term) {
  const std::vector<Token> tokens = analyze(term);
  std::string key;
  bool last_alnum = false;
  // Tokens come grouped by run: a CJK run contributes its word term (or its
  // unigram when it has none), an alphanumeric run its word.
  size_t i = 0;
  while (i < tokens.size()) {
    const uint32_t run = tokens[i].run;
    size_t j = i;
    const Token* word = nullptr;
    const Token* unigram = nullptr;
    std::string ko_words;
    for (; j < tokens.size() && tokens[j].run == run; ++j) {
      const Token& t = tokens[j];
      if (t.kind == TokenKind::kWord && !word) word = &t;
      else if (t.kind == TokenKind::kKoWord) ko_words += t.text;
      else if (t.kind == TokenKind::kUnigram && !unigram) unigram = &t;
    }
    if (word) {
      if (last_alnum) key += ' ';
      key += word->text;
      last_alnum = true;
    } else if (!ko_words.empty() || unigram) {
      key += !ko_words.empty() ? ko_words : unigram->text;
      last_alnum = false;
    }
    i = j;
  }
  return key;
}

}  // namespace bisearch::analysis
