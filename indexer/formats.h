/** @file formats.h
 *  @brief The interface of the document-format readers: bytes in, text blocks with structure and metadata out.
 *
 *  One reader per format (extract_pdf.cc, extract_html.cc, extract_docx.cc,
 *  extract_hwpx.cc, extract_hwp.cc); sniff.h picks the reader from the
 *  file's first bytes. Every reader:
 *   - takes the whole file in memory and fills an Extracted: the document's
 *     title, date and language when the format records them, and its text as
 *     blocks (paragraphs, headings, table cells), each with the page (PDF) or
 *     section (HWP, HWPX) it comes from;
 *   - keeps within FormatLimits: a damaged or hostile file (zip bomb,
 *     truncated stream, deep nesting, huge page) throws FormatError with a
 *     one-line reason, in bounded time and memory; nothing else is thrown
 *     (std::bad_alloc aside);
 *   - never fetches anything (no network, no external entities or DTDs).
 *  Block text is UTF-8 without control characters other than '\n' and '\t';
 *  a '\n' inside a block is a forced line break of the source.
 */
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/errors.h"

namespace bisearch::indexer {

/// One paragraph-like piece of a document's text.
struct TextBlock {
  std::string text;
  uint32_t place = 0;  ///< 1-based page or section number; 0 when the format has none
};

/// What a format reader found in one file.
struct Extracted {
  std::string title;     ///< "" when the file records none
  std::string date;      ///< YYYY-MM-DD or as recorded; "" when none
  std::string language;  ///< declared language (HTML lang, DOCX dc:language); "" when none
  std::string unit;      ///< what TextBlock::place counts: "page", "section" or ""
  std::vector<TextBlock> blocks;
  size_t text_bytes = 0;  ///< sum of the blocks' sizes, kept by add()

  /// Appends a block unless it is empty or only whitespace; throws
  /// FormatError (kTooLarge) past @p max_text_bytes in all.
  void add(std::string text, uint32_t place, size_t max_text_bytes);
};

/// Bounds every reader keeps to. The defaults fit real documents with room to spare.
struct FormatLimits {
  uint64_t max_file_bytes = 512ull << 20;     ///< bigger files are not opened
  uint64_t max_part_bytes = 64ull << 20;      ///< one zip entry / OLE stream, uncompressed
  uint64_t max_total_bytes = 256ull << 20;    ///< all parts of one file, uncompressed
  uint64_t max_ratio = 200;                   ///< uncompressed / compressed size of one part
  size_t max_text_bytes = 64u << 20;          ///< text extracted from one file
  unsigned max_depth = 256;                   ///< element nesting in XML and HTML
  int max_pages = 20000;                      ///< PDF pages
  size_t max_parts = 10000;                   ///< zip entries, HWP sections
};

/// A file a reader cannot use: its kind (kDamaged, kTooLarge, kNotIndexable) and reason.
class FormatError : public std::runtime_error {
 public:
  FormatError(ProblemKind kind, const std::string& reason) : std::runtime_error(reason), kind_(kind) {}
  ProblemKind kind() const { return kind_; }

 private:
  ProblemKind kind_;
};

void extract_pdf(std::string_view bytes, const FormatLimits& limits, Extracted* out);
void extract_html(std::string_view bytes, const FormatLimits& limits, Extracted* out);
void extract_docx(std::string_view bytes, const FormatLimits& limits, Extracted* out);
void extract_hwpx(std::string_view bytes, const FormatLimits& limits, Extracted* out);
void extract_hwp(std::string_view bytes, const FormatLimits& limits, Extracted* out);

/// Throws FormatError (kTooLarge) when a walk's element @p depth exceeds limits.max_depth.
void check_depth(unsigned depth, const FormatLimits& limits);

/// Whitespace runs (ASCII, U+00A0, U+3000 and other Unicode spaces) as one
/// ' ', trimmed; used by the readers for text whose line breaks are layout.
std::string collapse_spaces(std::string_view text);

}  // namespace bisearch::indexer
