/** @file analyzer.h
 *  @brief The bisearch analyzer: text in, positioned terms with byte spans out.
 *
 *  One analyzer serves the indexer, the query builder and the highlighter, so
 *  what is indexed and what is searched cannot drift apart. Its chain:
 *
 *   1. normalize (normalize.h): NFKC_Casefold, offsets kept.
 *   2. split into runs by script: CJK (Hangul, Han, Kana), alphanumeric
 *      (Latin and other alphabets, digits), separators. The middle-dot family
 *      (U+00B7, U+318D/U+119E, U+30FB, U+2027) and hyphens *between two CJK
 *      characters* join, so 한·미, 한ㆍ미, 한-미 and 한미 analyze alike.
 *   3. alphanumeric runs: one positional term each (lower case, acronyms
 *      "U.S." -> "us", possessive 's dropped, "1,000" -> "1000", "2.0" kept),
 *      plus an unpositioned Snowball English stem ("Z" prefix) for words with
 *      letters. Hyphenated words (ROK-U.S.) give adjacent positions.
 *   4. CJK runs: positional character bigrams of the whole run (a one-char
 *      run gives a unigram), plus one unpositioned word term ("K" prefix) for
 *      the run with particles and endings stripped (hangul.h). A Hangul run
 *      glued to a preceding alphanumeric word or closing bracket that is only
 *      a particle (NCG는, (NCG)을) gives no terms at all.
 *
 *  Positions: every alphanumeric word takes one position; a CJK run of n
 *  characters takes max(1, n-1) (one per bigram). Consecutive tokens of the
 *  text therefore have consecutive positions, and a word's bigrams sit at
 *  consecutive positions, which is what makes adjacency checkable (the
 *  highlighter and the searcher's check of word order use these positions;
 *  the index stores none, schema.h). Pitfalls handled (each has a test in tests/analyzer_test.cc):
 *  "AI기반" -> ai + 기반; "COVID-19백신" -> covid, 19, 백신; "NCG는" -> ncg;
 *  "2.0시대" -> 2.0 + 시대; "한·미·일" -> 한미, 미일.
 *
 *  Analyzer objects are immutable after construction and safe to share
 *  between threads.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

inline constexpr const char* kAnalyzerName = "bisearch-koen";
/// Bump on any change to the terms produced for some text: the query tool
/// refuses an index written with another version.
inline constexpr int kAnalyzerVersion = 1;

enum class Script : uint8_t { kHangul, kCjk, kLatin, kDigit, kOther };

enum class TokenKind : uint8_t {
  kWord,     ///< positional alphanumeric word, unstemmed ("nuclear", "ncg")
  kStem,     ///< unpositioned Snowball stem of a kWord; text has no prefix
  kBigram,   ///< positional CJK character bigram ("확장")
  kUnigram,  ///< positional single CJK character of a one-character run
  kKoWord,   ///< unpositioned whole CJK word, particles stripped ("확장억제")
};

/// One term occurrence. Offsets are UTF-8 byte offsets into the analyzed
/// text; filters change `text` only, never the offsets.
struct Token {
  std::string text;          ///< term text without its index prefix
  uint32_t begin = 0;        ///< first source byte
  uint32_t end = 0;          ///< one past the last source byte
  uint32_t position = 0;     ///< term position (also set for unpositioned kinds)
  uint32_t position_length = 1;
  Script script = Script::kOther;
  TokenKind kind = TokenKind::kWord;
  /// For tokens of a CJK run or one alphanumeric word: index of that run in
  /// the text (the same for a run's bigrams and its kKoWord).
  uint32_t run = 0;

  bool positional() const { return kind == TokenKind::kWord || kind == TokenKind::kBigram || kind == TokenKind::kUnigram; }
};

/// Index prefix of a token kind ("" for positional terms).
std::string_view prefix_for(TokenKind kind);

/// The term as stored in the index: prefix_for(kind) + text.
std::string index_term(const Token& token);

/// Analyzes @p text. Tokens come ordered by (run, kind order); positional
/// tokens have strictly increasing positions starting at @p first_position.
std::vector<Token> analyze(std::string_view text, uint32_t first_position = 1);

/// A token as handed to a TokenSink: like Token, but its text is only
/// valid during the call.
struct TokenView {
  std::string_view text;
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t position = 0;
  uint32_t position_length = 1;
  Script script = Script::kOther;
  TokenKind kind = TokenKind::kWord;
  uint32_t run = 0;

  bool positional() const { return kind == TokenKind::kWord || kind == TokenKind::kBigram || kind == TokenKind::kUnigram; }
  /// The token with its own copy of the text.
  Token token() const {
    Token t;
    t.text.assign(text);
    t.begin = begin;
    t.end = end;
    t.position = position;
    t.position_length = position_length;
    t.script = script;
    t.kind = kind;
    t.run = run;
    return t;
  }
};

/// Receives tokens one at a time, without a Token object (and its string)
/// being built for each: the highlighter keeps only the few it looks for.
class TokenSink {
 public:
  virtual ~TokenSink() = default;
  virtual void token(const TokenView& token) = 0;
  /// Whether tokens of an unpositioned kind (kStem, kKoWord) are wanted at
  /// all; when not, they are neither computed nor passed. Positions, runs
  /// and every other token are the same either way.
  virtual bool wants(TokenKind) const { return true; }
  /// Whether any token of the CJK run @p chars (normalized code points) is
  /// wanted: when not, the run's tokens are neither built nor passed (its
  /// positions are still counted). The highlighter declines runs that hold
  /// none of the first characters of its terms.
  virtual bool wants_run(std::u32string_view /*chars*/) const { return true; }
  /// Whether the stem of the (lower-cased) word @p word is wanted, asked
  /// only when wants(kStem). Snowball's English stemmer rewrites endings
  /// only, so a stem starts with its word's first byte: the highlighter
  /// declines words that start with no wanted stem's first byte.
  virtual bool wants_stem(std::string_view /*word*/) const { return true; }
};

/// The same analysis as analyze(), token by token, in the same order.
void analyze(std::string_view text, TokenSink& sink, uint32_t first_position = 1);

/// Snowball English stem of an already lower-cased word.
std::string english_stem(std::string_view word);

}  // namespace bisearch::analysis
