/** @file extract.h
 *  @brief Reading a source file into documents (text, metadata, document id).
 *
 *  Formats, chosen by extension when walking a directory and then by the
 *  file's first bytes (sniff.h): a PDF, zip or OLE signature decides the
 *  format whatever the extension, so a report.txt that is really a PDF is
 *  read as a PDF and a .docx that is really an HWPX as an HWPX.
 *   - .txt, .md (and any file named explicitly on the command line with
 *     another extension and no binary signature): one document. An optional
 *     metadata header comes first, in one of two styles:
 *        ---                        title: Washington Declaration
 *        title: Foo                 date: 2023-04-26
 *        date: 2023-04-26           ---
 *        ---                        (body)
 *        (body)
 *     i.e. YAML-style front matter (opened and closed by a `---` line, or
 *     closed by `...`; `#` comment lines and blank lines are skipped), or
 *     leading `key: value` lines closed by a `---` line. Values are read as
 *     users write them in YAML: a value may wrap onto indented continuation
 *     lines (joined with one space), be quoted ('...' or "...", also across
 *     lines), be a block scalar (`key: >` folded, `key: |` literal, with
 *     the indented lines below it) or a list of `- item` lines (joined with
 *     ", "). The lines up to the closing `---` are a header when the first
 *     is `key: value` and more than half of them are header lines (so prose
 *     that starts with "Note: ..." stays text); a line of a header that
 *     cannot be read (no colon, a key with spaces, a continuation with
 *     nothing to continue) is a Problem naming PATH:LINE and is not indexed
 *     as text; the rest of the file is indexed. Keys are lower-cased; title,
 *     date, language (or lang) and source_url (or url) fill the document,
 *     the rest stay in `fields`. A .md file without a title takes its first
 *     `# heading`. A UTF-8 byte order mark is skipped. The document id is
 *     the file's path relative to the indexed root; the text is the whole
 *     file, so passage offsets count the header too.
 *   - .jsonl: one document per line; see jsonl.h.
 *   - .pdf, .html/.htm/.xhtml, .docx, .hwpx, .hwp: one document, read by the
 *     format's reader (formats.h) into text blocks that are joined with blank
 *     lines (so each block starts a paragraph); title, date and language come
 *     from the file's metadata. Passage offsets count bytes of that extracted
 *     text. PDF pages and HWP/HWPX sections are kept as Document::places, so
 *     each passage knows its page or section. A reader's failure (damaged,
 *     too large, encrypted or distribution-only document) is one Problem
 *     naming the file and the reason.
 *
 *  A .txt/.md file is refused as a whole (one Problem, nothing indexed) when
 *  it cannot be read, is empty, has a NUL byte in its first 8 KiB ("binary
 *  file"), or is not valid UTF-8 (the byte offset is reported) — except
 *  legacy Korean text (CP949 / EUC-KR), which is converted to UTF-8
 *  (legacy.h; offsets then count bytes of the converted text). The NUL-byte
 *  check applies to text formats only.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/errors.h"
#include "indexer/formats.h"

namespace bisearch::indexer {

enum class Format { kText, kMarkdown, kJsonl, kPdf, kHtml, kDocx, kHwpx, kHwp };

/// The format for a file found while walking a directory by its extension
/// (.txt, .md, .jsonl, .pdf, .html, .htm, .xhtml, .docx, .hwpx, .hwp, any
/// case); std::nullopt for any other extension (the file is skipped).
std::optional<Format> format_for(const std::filesystem::path& path);

/// One file to read.
struct SourceFile {
  std::filesystem::path path;  ///< as given on the command line (joined with the walk)
  std::string rel;             ///< path relative to its root, '/'-separated; the file
                               ///< name for a file given directly
  Format format = Format::kText;
  uint64_t size = 0;           ///< bytes, when known (for progress)
};

struct ExtractOptions {
  /// JSONL field holding the document id. Default "id".
  std::string id_field = "id";
  /// JSONL field holding the text. Default "text".
  std::string text_field = "text";
  /// False: when `text_field` is missing, fall back to "body", "content" or
  /// the only string field whose name ends in "_text". True (the user named
  /// a field): no fallback.
  bool text_field_given = false;
  /// A NUL byte within this many leading bytes marks a binary file. Default 8 KiB.
  size_t binary_probe_bytes = 8192;
  /// Bounds of the PDF/HTML/DOCX/HWPX/HWP readers.
  FormatLimits limits;
};

/// Where a page or section starts in Document::text.
struct PlaceMark {
  size_t offset = 0;   ///< byte offset in Document::text
  uint32_t place = 0;  ///< 1-based page or section number
};

/// One document, ready to segment.
struct Document {
  std::string doc_id;    ///< JSONL id, else path relative to the indexed root
  std::string title;     ///< "" when none
  std::string date;      ///< as given, "" when none
  std::string url;       ///< source_url / url, "" when none
  std::string language;  ///< declared language ("language:" / "lang"), "" when none
  std::map<std::string, std::string> fields;  ///< other header keys / JSONL scalar fields
  std::string source;    ///< the file it came from, as given
  std::string rel;       ///< that file's path relative to its root ('/'-separated)
  std::string content_key;  ///< schema::content_key() of the body ("" = not computed yet)
  std::string where;     ///< "PATH" or "PATH:LINE", for messages
  std::string text;      ///< whole file (.txt/.md) or the decoded text field (.jsonl)
  size_t body_begin = 0; ///< where the body starts in `text` (after the header)
  uint64_t source_end = 0;  ///< byte offset in the file just past this document
  std::string encoding;  ///< "" (UTF-8) or the legacy encoding the text was converted from (legacy.h)
  std::string format;    ///< format_name() of what was read ("text", "pdf", ...)
  std::string place_unit;          ///< "page", "section" or "" (no places)
  std::vector<PlaceMark> places;   ///< ascending offsets; empty when place_unit is ""
};

/// Receives what extract() reads. Calls come in file order.
class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  /// A document was read. Return false to stop reading this file.
  virtual bool document(Document&& doc) = 0;
  virtual void problem(Problem&& problem) = 0;
  /// The whole file was read: the FNV-1a hash (manifest.h) and length of
  /// its bytes. Not called when reading stopped early or failed.
  virtual void content(uint64_t hash, uint64_t bytes) {
    (void)hash;
    (void)bytes;
  }
};

/// Reads @p file in its format; hands every document and every problem to
/// @p sink. Never throws for bad input (std::bad_alloc aside).
void extract(const SourceFile& file, const ExtractOptions& options, DocumentSink& sink);

/// A metadata header found at the start of a text file.
struct Header {
  bool found = false;
  size_t body_begin = 0;  ///< first byte after the header (after a BOM when no header)
  std::map<std::string, std::string> fields;  ///< lower-cased keys
  /// Header lines that could not be read: 1-based line number and reason.
  std::vector<std::pair<size_t, std::string>> problems;
};

/// Parses the optional header of @p text (both styles above).
Header parse_header(std::string_view text);

/// The first-level markdown heading ("# Title") of text[from, ...), or "".
std::string markdown_title(std::string_view text, size_t from);

/// A problem with the raw bytes of @p bytes (empty, binary, not UTF-8), as a
/// reason string; std::nullopt when the bytes are acceptable text.
std::optional<Problem> check_text_bytes(std::string_view bytes, const std::string& where,
                                        size_t binary_probe_bytes);

/// Builds the document of a .txt/.md file whose checked contents are @p text.
/// Header lines that cannot be read are added to @p problems (kBadHeader,
/// where = "PATH:LINE") when it is given.
Document text_document(std::string text, const SourceFile& file, std::vector<Problem>* problems = nullptr);

/// The whole file at @p path, or a Problem (kUnreadable) naming @p where.
std::optional<Problem> read_file(const std::filesystem::path& path, const std::string& where, std::string* out);

/// The document of a file whose reader produced @p extracted (blocks joined
/// by blank lines, places marked). @p file_bytes: the file's size.
Document blocks_document(Extracted&& extracted, const SourceFile& file, Format format, uint64_t file_bytes);

/// Reads @p bytes as @p format (one of the formats of formats.h) into
/// @p out; throws FormatError.
void extract_blocks(std::string_view bytes, Format format, const FormatLimits& limits, Extracted* out);

/// The places (page or section numbers) that @p doc's byte range
/// [begin, end) spans: {first, last}; {0, 0} when the document has none.
std::pair<uint32_t, uint32_t> places_of(const Document& doc, size_t begin, size_t end);

/// The reason used for text that is not valid UTF-8 at byte @p offset.
std::string encoding_reason(size_t offset);

}  // namespace bisearch::indexer
