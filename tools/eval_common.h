/** @file eval_common.h
 *  @brief Data and metrics for bisearch-eval-korquad: loads KorQuAD 1.0 dev
 *  as passages and questions, cuts Korean distractor passages from the
 *  presidential speeches, tokenizes text for the bigram reference, and scores
 *  ranked result lists (MRR@10, Recall@1/10/100, rank histogram).
 *
 *  Nothing here prints, reads argv or touches the environment; loaders throw
 *  EvalError with the path and the reason.
 */
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::eval {

/// Any failure to read or interpret the evaluation data; what() names the file.
class EvalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One retrievable unit: a KorQuAD paragraph or a speech paragraph.
struct Passage {
  std::string id;     ///< kq-<article>-<paragraph> or speech-<division_number>-<k>
  std::string title;  ///< article title / speech title
  std::string text;
};

/// One KorQuAD question; its only relevant passage is passages[answer].
struct Question {
  std::string qid;   ///< KorQuAD qa id (unique, no whitespace)
  std::string text;
  std::size_t answer = 0;
};

struct KorQuad {
  std::vector<Passage> passages;  ///< in file order, 964 for the dev set
  std::vector<Question> questions;
};

/// Reads KorQuAD_v1.0_dev.json. Passage i is paragraph i in file order.
/// Throws EvalError if the file is missing or malformed.
KorQuad load_korquad(const std::string& path);

/// Cuts speeches.jsonl into paragraphs and returns the first @p limit of
/// those at least @p min_chars code points long, in file order.
///
/// Paragraph boundaries: every line break ("\r\n" and lone "\n"/"\r"), and,
/// because about 5,200 of the 7,501 speeches lost their line breaks and read
/// "...있습니다.또 하나는...", a sentence end (. ! ?) followed directly, with
/// no space, by a Hangul syllable or an opening quote or bracket. Ids are
/// speech-<division_number>-<k>, k counting the speech's kept paragraphs from 1.
std::vector<Passage> load_speech_distractors(const std::string& path, std::size_t limit,
                                             std::size_t min_chars = 100);

/// Terms of the bigram reference: for each whitespace-separated word, every
/// pair of adjacent Hangul syllables (U+AC00..U+D7A3) and every run of ASCII
/// letters/digits, lowercased. Runs longer than 64 bytes are dropped.
/// Duplicates are kept, in text order.
std::vector<std::string> bigram_terms(std::string_view text);

/// Number of Unicode code points in valid-or-not UTF-8 (continuation bytes
/// are not counted).
std::size_t utf8_length(std::string_view text);

/// Aggregated retrieval quality of one engine at one corpus size.
struct Metrics {
  std::size_t questions = 0;
  std::size_t errors = 0;             ///< queries the engine failed on (scored as misses)
  std::array<std::size_t, 10> at_rank{};  ///< at_rank[r-1]: answer found at rank r
  std::size_t in_11_100 = 0;           ///< found at rank 11..100
  std::size_t not_found = 0;           ///< not in the top 100 (errors included)
  double reciprocal_sum = 0;           ///< sum of 1/rank for ranks 1..10

  /// Records one question whose answer was at @p rank (1-based), 0 = absent.
  void add(std::size_t rank, bool error);
  double mrr10() const;
  double recall_at(std::size_t k) const;  ///< k in 1..10, or 100
};

/// 1-based rank of @p answer in @p ranked (passage indices, best first,
/// de-duplicated by the caller), or 0 if absent.
std::size_t rank_of(const std::vector<std::size_t>& ranked, std::size_t answer);

}  // namespace bisearch::eval
