/** @file segment.h
 *  @brief Splitting a document body into passages, the unit that is indexed.
 *
 *  A passage is a paragraph of the source, or a piece of a very long one:
 *
 *   1. Paragraphs are separated by blank lines (lines of whitespace only,
 *      counting U+00A0 and U+3000 as whitespace). Line endings may be LF,
 *      CRLF or CR, mixed ("\n\r\n" is a line break followed by a blank line).
 *   2. Inside a block of non-blank lines, a line break is also a paragraph
 *      break when the line before it is long (>= long_line_chars code
 *      points). Hard-wrapped text never has such lines, so its lines join
 *      into one paragraph; files with one paragraph per line split per line.
 *   3. A paragraph shorter than min_paragraph_chars code points (a heading,
 *      "Thank you.", "존경하는 국민 여러분!") joins the paragraph after it (the
 *      last one joins the one before) when the result stays within
 *      max_paragraph_columns: alone, such lines would be passages that
 *      outrank real paragraphs on one-word queries.
 *   4. A paragraph that fits in max_paragraph_columns display columns is one
 *      passage, however long: the author's paragraph is the best unit to
 *      show. Columns count wide (CJK: Hangul, Han, Kana, fullwidth) characters
 *      as two, so the limit is ~2,500 characters of English and ~1,400 of
 *      Korean, about the same amount of text. (The sample corpus's English
 *      abstract, 2,304 code points, and its Korean one, 798, stay whole.)
 *      A wider paragraph is cut at sentence ends into pieces of about
 *      target_chars code points. A single sentence longer than
 *      max_sentence_chars is cut at whitespace (failing that, between code
 *      points). A piece shorter than min_piece_chars joins its neighbour when
 *      the two fit in max_sentence_chars. So every piece of a cut paragraph
 *      has at most max_sentence_chars code points.
 *
 *  Sentence ends (our own rule, not ICU's, so passage numbers depend on this
 *  code only): a run of . ? ! 。 ？ ！ ． … followed by optional closing quotes
 *  or brackets, then whitespace or the end. A single '.' does not end a
 *  sentence after an initial ("R."), a dotted abbreviation ("U.S."), a title
 *  such as "Mr." or "Dr.", or "No."/"Jan." before a number; periods and
 *  ellipses do not when the next word starts with a lower-case letter.
 *  Korean "…다." ends a sentence by the general rule.
 *
 *  Offsets: every Span is a byte range into the text passed in, trimmed of
 *  surrounding whitespace, never empty; spans are in order and do not
 *  overlap. The passage text is exactly text.substr(begin, end - begin).
 *  Functions here are pure and thread-safe. The input should be valid UTF-8;
 *  invalid bytes are treated as ordinary non-space characters.
 */
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace bisearch::indexer {

struct SegmentOptions {
  /// A line of at least this many code points ends its paragraph. Default 100.
  size_t long_line_chars = 100;
  /// A paragraph of fewer code points joins its neighbour (0: never). Default 30.
  size_t min_paragraph_chars = 30;
  /// Paragraphs this wide or narrower stay whole (display_width()). Default 2,500.
  size_t max_paragraph_columns = 2500;
  /// Size that pieces of a longer paragraph aim at. Default 600.
  size_t target_chars = 600;
  /// A sentence longer than this is cut at whitespace. Default 1,200.
  size_t max_sentence_chars = 1200;
  /// A piece shorter than this joins its neighbour when they fit. Default 150.
  size_t min_piece_chars = 150;
};

/// A byte range [begin, end) of the segmented text.
struct Span {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool operator==(const Span&) const = default;
};

/// Passages of text[from, text.size()). Spans index into @p text.
std::vector<Span> segment(std::string_view text, size_t from, const SegmentOptions& options);

/// Paragraphs of text[from, ...) by rules 1 and 2 above (no merging, no size limit).
std::vector<Span> split_paragraphs(std::string_view text, size_t from, size_t long_line_chars);

/// Sentences of the paragraph @p para of @p text, trimmed, in order; together
/// they cover every non-space byte of the paragraph.
std::vector<Span> split_sentences(std::string_view text, Span para);

/// Number of code points in @p text (bytes that do not continue a sequence).
size_t count_code_points(std::string_view text);

/// Display columns of @p text: 2 for each East Asian wide or fullwidth code
/// point (Hangul, Han, Kana, CJK punctuation, fullwidth forms), 1 for others.
size_t display_width(std::string_view text);

}  // namespace bisearch::indexer
