/** @file align.h
 *  @brief Aligning a Korean text with its English translation, sentence by sentence.
 *
 *  Input: the passages of one side and of the other, in reading order (one
 *  document holding both, or a document pair X.ko.* / X.en.*). Output: beads,
 *  each joining 0-2 consecutive units of one side to 0-2 of the other.
 *
 *  Units: when both sides have about the same number of non-empty lines
 *  (at least two each, counts within 2 or 2%), the texts are taken as
 *  line-aligned (one sentence per line, like NTREX or any aligned sentence
 *  file) and the units are lines. Equal counts are not trusted to mean line
 *  k pairs with line k: the indexer's passages may cut a long line in two
 *  (the pieces are two units here), and a passage left out of a side shifts
 *  every later line. So lines are aligned by the dynamic program below too,
 *  with bead priors that make 1-1 the rule, a 2-1 bead the way to rejoin a
 *  cut line, and a line left out the most expensive choice.
 *  Otherwise every line is cut into sentences (segment.h's rule) and the
 *  sentences are aligned by dynamic programming in the manner of Gale and
 *  Church (1993): the cost of a bead is -log P(bead type) - log P(length
 *  difference), the length difference measured in code points against the
 *  English/Korean length ratio of the whole group (Korean is about 2-3x
 *  denser than English) and taken as normally distributed with a variance
 *  that grows with length. Shared anchors lower a bead's cost: numbers of
 *  two or more digits and Latin-letter words of two or more letters (NCG,
 *  CNI) that occur on both sides. The search is confined to a band around
 *  the diagonal, so time and memory grow linearly with the text.
 *
 *  Pure functions; thread-safe.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::indexer {

/// A sentence (or line) of one side: bytes [begin, end) of passage `passage`.
struct AlignUnit {
  uint32_t passage = 0;  ///< index into the side's passage list
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// Units [a_begin, a_begin + a_count) of side A joined to
/// [b_begin, b_begin + b_count) of side B. A count may be 0 (left out).
struct Bead {
  uint32_t a_begin = 0, a_count = 0;
  uint32_t b_begin = 0, b_count = 0;
};

struct Alignment {
  std::vector<AlignUnit> a_units, b_units;
  std::vector<Bead> beads;     ///< in order, covering every unit once
  bool line_aligned = false;   ///< units are lines of line-aligned files
};

struct AlignOptions {
  /// Groups with more units than this on a side are not aligned (the DP
  /// band keeps time linear, but a group this large is rarely a translation
  /// pair). Default 50,000.
  size_t max_units = 50000;
  /// A translation pair has comparable sides: the English side's length in
  /// code points is between these multiples of the Korean side's (Korean
  /// is denser: the sample abstract's ratio is 2.9), and the side with
  /// fewer sentences has at least `min_unit_share` as many as the other.
  /// Otherwise (a Korean manual quoting English commands, a speech with an
  /// English title) nothing is aligned.
  double min_length_ratio = 1.0;
  double max_length_ratio = 6.0;
  double min_unit_share = 0.5;
};

/// Aligns the passages @p a (Korean) with @p b (English). Empty beads when
/// either side has no text, a side is too large, or the sides are not
/// comparable (AlignOptions).
Alignment align_passages(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                         const AlignOptions& options = {});

/// For each passage of side A, the passages of side B it is aligned with,
/// best first: those sharing at least a quarter of the passage's aligned
/// code points (always the best one). @p a_passages / @p b_passages: the
/// number of passages on each side.
std::vector<std::vector<uint32_t>> passage_counterparts(const Alignment& alignment,
                                                        const std::vector<std::string_view>& a,
                                                        const std::vector<std::string_view>& b,
                                                        bool a_to_b);

}  // namespace bisearch::indexer
