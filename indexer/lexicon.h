/** @file lexicon.h
 *  @brief Learning a Korean-English translation lexicon from aligned sentence pairs.
 *
 *  Candidates. Korean: every word with particles stripped (the analyzer's K
 *  terms: 확장억제를 -> 확장억제; a one-syllable word such as 핵 too), every
 *  two adjacent words (한미 동맹), and the parts of a compound word of up to
 *  8 syllables: every run of two or more of its syllables that starts or
 *  ends it, and its first syllable (국방부 -> 국방, 방부, 국; 핵무기 -> 핵,
 *  핵무, 무기). A part is used only when it also stands as a word, or starts
 *  (ends) words with two different syllables after (before) it: 국방 in
 *  국방부 and 국방비, never 연가스 (천연가스, 액화천연가스: always after 천).
 *  A one-syllable part only when it also stands as a word (핵, 미; not 국 of
 *  국가). English: every run
 *  of one to three words that neither starts nor ends with a function word,
 *  counted by the Snowball stems of its words less a final "ist" or "i"
 *  (election/elections, terror/terrorism/terrorist, economy/economic are one
 *  candidate each; the written forms are kept). Terms made of digits only,
 *  and function words, are not candidates.
 *
 *  Association: for a Korean candidate k and an English candidate e seen in
 *  the same pair, the log-likelihood ratio G2 (Dunning 1993) of the 2x2
 *  table of pairs with/without k and with/without e; only positive
 *  association counts. Raw co-occurrence favours frequent words; G2 asks how
 *  unlikely the co-occurrence would be if k and e were independent.
 *
 *  Linking: G2 alone still pairs a term with its frequent neighbours.
 *  Competitive linking (Melamed 2000) resolves that: in each pair, candidate
 *  links are taken in descending G2 and a link is kept only when neither
 *  side overlaps words already linked in that pair. Two refinements:
 *   - a link containing another on both sides (North Korea over North,
 *     국방부/defense ministry over 국방/defense) goes first when its G2 is at
 *     least half the other's and the words it adds have no translation of
 *     their own in the pair (트럼프 stays Trump when 대통령 is there for
 *     "President");
 *   - a link strictly inside a link already made is counted as well (국방 ->
 *     defense inside 국방부 -> defense ministry), so a term seen only inside
 *     longer words is learned, and 핵 -> nuclear is not lost to 핵무기;
 *     its two sides must sit at the same end of the outer link's sides
 *     (both first or both last; a three-word English run such as
 *     "Department of Defense" may put its head first), so the pieces of a
 *     name do not pair crosswise (나이트 -> Dark in 다크 나이트 / Dark Knight).
 *  A translation is kept when it was linked in at least `min_links` pairs,
 *  in at least `min_link_share` of the pairs where both occur, its G2
 *  reaches `min_g2`, and the Dice coefficient of the two terms' occurrences
 *  (2 x occurrences in common pairs / all occurrences) reaches `min_dice`
 *  (or, with `strong_links`, a lower Dice for translations linked often and
 *  nearly every time the two meet).
 *  The English form shown is the one most often linked (lower case when a
 *  quarter of those uses are lower case); every form linked in a fifth of
 *  the pairs is a key for the English-to-Korean direction.
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
  double min_dice = 0.4;         ///< Dice of the two terms' occurrences (2 x shared / total)
  /// Strong links (0: off): a translation linked in at least this many
  /// pairs and in `strong_link_share` of the pairs holding both is kept
  /// with a Dice of `strong_min_dice` only. Dice is low for a common word
  /// with several translations (지원: support, aid, assistance) or used in
  /// phrases the other side words differently; many links, nearly always
  /// taken where the two meet, are evidence enough. On the NTREX/news
  /// held-out run Recall@10 goes 0.756 -> 0.790 (ko->en) and 0.838 -> 0.874
  /// (en->ko); a hand check of 97 translations it adds found 85 right
  /// (docs/crosslang.md).
  uint32_t strong_links = 5;
  double strong_link_share = 0.7;
  double strong_min_dice = 0.15;
  size_t max_translations = 5;   ///< kept per term, best first
  size_t max_pairs = 500000;     ///< sentence pairs used at most (the first ones)
};

/// One Korean-English translation kept, with the forms to show.
struct LexiconLink {
  std::string ko_key, ko_text;  ///< Korean term key and its form without particles (words spaced)
  std::string en_key, en_text;  ///< English term key and the form users write
  uint32_t links = 0;           ///< sentence pairs in which the two were linked
  double g2 = 0;                ///< log-likelihood ratio
  uint32_t both = 0;            ///< sentence pairs holding both
  double dice = 0;              ///< Dice coefficient of the two terms' occurrences
};

/// Translations learned, by term key, in both directions.
struct Lexicon {
  std::map<std::string, std::vector<analysis::StoredTranslation>> entries;
  std::vector<LexiconLink> translations;  ///< every kept translation, by Korean form then links
  std::vector<LexiconLink> rejected;      ///< linked at least min_links times but not kept (for tuning)
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
    uint32_t first, last;     ///< positions covered (inclusive): Korean syllables, English words
    uint32_t parent;          ///< Korean: the word a part was cut from (else id); English: id
    uint32_t form;            ///< English: the written form here; Korean part: the syllables around
                              ///< it in its word (both index into the form tables); Korean word: 0
    uint8_t words;            ///< words spanned
  };

 private:
  struct Unit {
    std::vector<Candidate> ko, en;
  };
  uint32_t intern(const std::string& key, std::string_view text, bool korean);
  uint32_t intern_form(const std::string& key, std::string_view text);

  LexiconOptions options_;
  std::vector<Unit> units_;
  std::map<std::string, uint32_t> ids_;
  std::vector<std::string> keys_;
  std::vector<bool> korean_;
  std::vector<std::map<std::string, uint32_t>> forms_;  ///< written forms and their counts
  std::map<std::string, uint32_t> form_ids_;             ///< English written form -> index
  std::vector<std::string> form_keys_, form_texts_;      ///< term key and text of each written form
};

}  // namespace bisearch::indexer
