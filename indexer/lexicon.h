/** @file lexicon.h
 *  @brief Learning a Korean-English translation lexicon from aligned sentence pairs.
 *
 *  Candidates: on the Korean side every word with particles stripped (the
 *  analyzer's K terms: 확장억제를 -> 확장억제) and every two adjacent words
 *  (한미 동맹); on the English side every run of one to three words that
 *  neither starts nor ends with a function word (deterrence, extended
 *  deterrence, Nuclear Consultative Group, Republic of Korea). Terms made
 *  of digits only, and function words, are not candidates. A candidate's
 *  key is analysis::term_key() of its text.
 *
 *  Association: for a Korean candidate k and an English candidate e seen in
 *  the same pair, the log-likelihood ratio G2 (Dunning 1993) of the 2x2
 *  table of pairs with/without k and with/without e; only positive
 *  association counts. Raw co-occurrence favours frequent words; G2 asks how
 *  unlikely the co-occurrence would be if k and e were independent.
 *
 *  Linking: G2 alone still pairs a term with its frequent neighbours (확장억제
 *  with "deterrence" and with "extended deterrence"). Competitive linking
 *  (Melamed 2000) resolves that: in each pair, candidate links are taken in
 *  descending G2 and a link is kept only when neither side overlaps words
 *  already linked in that pair. A translation is kept when it was linked in
 *  at least `min_links` pairs, in at least `min_link_share` of the pairs
 *  where both occur, its G2 reaches `min_g2`, and the Dice coefficient of
 *  the two terms' occurrences (2 x occurrences in common pairs / all
 *  occurrences) reaches `min_dice`: a term used eight times and a phrase
 *  used eight times in the same sentences pair up even in a short text.
 *  The defaults were chosen on the held-out evaluation
 *  (tools/eval_crosslang.cc, docs/crosslang.md): on 4,498 news sentence
 *  pairs, 3 links keep ~1,030 translations of which ~92% were right in a
 *  hand-checked sample of 60 (2 links: ~1,950, ~77%), for a Recall@10 of
 *  0.615 instead of 0.657.
 *
 *  Widening: a link to an English run is replaced by one to a longer run
 *  containing it ("change" -> "climate change") when the longer one occurs
 *  in at least 80% of the linked pairs and passes the G2 threshold.
 *
 *  Cost: one analysis per sentence, then counting in hash maps; candidates
 *  seen in fewer than two pairs are dropped before pairs are counted.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/crosslang.h"

namespace bisearch::indexer {

struct LexiconOptions {
  uint32_t min_links = 3;        ///< pairs in which the two were linked
  double min_link_share = 0.5;   ///< links / pairs holding both
  double min_g2 = 6.63;          ///< G2 threshold (6.63: p < 0.01 for one degree of freedom)
  double min_dice = 0.5;         ///< Dice of the two terms' occurrences (2 x shared / total)
  size_t max_translations = 5;   ///< kept per term, best first
  size_t max_pairs = 500000;     ///< sentence pairs used at most (the first ones)
};

/// Translations learned, by term key, in both directions.
struct Lexicon {
  std::map<std::string, std::vector<analysis::StoredTranslation>> entries;
  size_t pairs = 0;         ///< sentence pairs used
  size_t links = 0;         ///< distinct (ko, en) translations kept
};

class LexiconLearner {
 public:
  explicit LexiconLearner(LexiconOptions options = {});
  /// Adds one aligned pair: Korean sentence(s) and their English translation.
  void add_pair(std::string_view ko, std::string_view en);
  /// Computes the lexicon from the pairs added.
  Lexicon learn() const;
  size_t pairs() const { return units_.size(); }

  struct Candidate {
    uint32_t id;              ///< index into the candidate table
    uint32_t first, last;     ///< word positions covered (inclusive)
  };

 private:
  struct Unit {
    std::vector<Candidate> ko, en;
  };
  uint32_t intern(const std::string& key, std::string_view text, bool korean);

  LexiconOptions options_;
  std::vector<Unit> units_;
  std::map<std::string, uint32_t> ids_;
  std::vector<std::string> keys_;
  std::vector<bool> korean_;
  std::vector<std::map<std::string, uint32_t>> forms_;  ///< written forms and their counts
};

}  // namespace bisearch::indexer
