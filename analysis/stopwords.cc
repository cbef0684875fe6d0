// stopwords.cc: English function words and Korean pronoun/dependent-noun forms (stopwords.h).
#include "analysis/stopwords.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "analysis/hangul.h"
#include "analysis/normalize.h"

namespace bisearch::analysis {
namespace {

// Sorted for binary_search. Not here: words that are also content words
// or acronyms in policy text (may, will, can, must, us, no).
constexpr std::array<std::string_view, 118> kEnglish = {
    "a",       "about",   "above",  "after",  "again",  "against", "all",     "also",   "am",     "an",
    "and",     "any",     "are",    "as",     "at",     "be",      "because", "been",   "before", "being",
    "below",   "between", "both",   "but",    "by",     "could",   "did",     "do",     "does",   "doing",
    "down",    "during",  "each",   "either", "for",    "from",    "further", "had",    "has",    "have",
    "having",  "he",      "her",    "here",   "hers",   "herself", "him",     "himself", "his",   "how",
    "i",       "if",      "in",     "into",   "is",     "it",      "its",     "itself", "me",     "my",
    "myself",  "nor",     "of",     "off",    "on",     "once",    "only",    "onto",   "or",     "other",
    "our",     "ours",    "ourselves", "out", "over",   "own",     "same",    "she",    "should", "so",
    "some",    "such",    "than",   "that",   "the",    "their",   "theirs",  "them",   "then",   "there",
    "these",   "they",    "this",   "those",  "through", "to",     "too",     "under",  "until",  "up",
    "upon",    "very",    "was",    "we",     "were",   "what",    "when",    "where",  "which",  "while",
    "who",     "whom",    "whose",  "why",    "with",   "would",   "you",     "your"};

// Pronouns, demonstratives, question words and dependent nouns (normalized Hangul).
constexpr std::array<std::u32string_view, 27> kKorean = {
    U"거",   U"것",   U"그",   U"그것", U"그곳", U"그들", U"데",   U"등",   U"때문", U"바",
    U"뿐",   U"수",   U"여기", U"우리", U"이",   U"이것", U"이곳", U"이들", U"저",   U"저것",
    U"저희", U"줄",   U"거기", U"저기", U"그녀", U"무엇", U"어디"};

// After a one-syllable stem these are read as a noun's second syllable, not
// as a particle (수도, 이란, 수만, 나라): see stopwords.h.
constexpr std::array<std::u32string_view, 9> kAmbiguousTails = {U"도", U"로", U"라", U"란", U"나",
                                                                U"만", U"야", U"든", U"며"};

bool is_english_stopword(std::string_view w) {
  bool upper = w.size() >= 2;
  std::string lower;
  for (const char c : w) {
    if (c >= 'a' && c <= 'z') upper = false;
    else if (!(c >= 'A' && c <= 'Z')) return false;  // digits, other scripts: not a function word
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (upper) return false;  // an acronym: US, IT, WHO
  return std::binary_search(kEnglish.begin(), kEnglish.end(), std::string_view(lower));
}

bool korean_stem(std::u32string_view stem) {
  return std::find(kKorean.begin(), kKorean.end(), stem) != kKorean.end();
}

bool is_korean_stopword(const std::u32string& run) {
  if (korean_stem(run)) return true;
  const size_t tail = strip_suffix_length(run, 1);
  if (tail == 0) return false;
  const std::u32string_view stem(run.data(), run.size() - tail);
  const std::u32string_view rest(run.data() + stem.size(), tail);
  if (!korean_stem(stem)) return false;
  if (stem.size() == 1 && stem != U"것" &&
      std::find(kAmbiguousTails.begin(), kAmbiguousTails.end(), rest) != kAmbiguousTails.end())
    return false;
  return true;
}

}  // namespace

bool is_stopword(std::string_view word) {
  // Surrounding ASCII punctuation (a question's "the," or "것은?") is not part of the word.
  auto punct = [](char c) { return static_cast<unsigned char>(c) < 0x80 && !std::isalnum(static_cast<unsigned char>(c)); };
  while (!word.empty() && punct(word.front())) word.remove_prefix(1);
  while (!word.empty() && punct(word.back())) word.remove_suffix(1);
  if (word.empty()) return false;
  if (static_cast<unsigned char>(word.front()) < 0x80) return is_english_stopword(word);
  std::u32string run;
  for (const NormChar& c : normalize(word)) {
    if (!is_hangul_syllable(c.cp)) return false;
    run += c.cp;
  }
  return !run.empty() && is_korean_stopword(run);
}

}  // namespace bisearch::analysis
