/** @file jsonl.h
 *  @brief JSON Lines input: one document per line.
 *
 *  Each non-blank line is a JSON object:
 *    id      document id (string or number; --id-field names another field).
 *            Missing, null or "": the id is "<relative path>:<line number>".
 *    text    the text (--text-field names another field). When the default
 *            "text" is missing, a field "body" or "content" is used, or the
 *            only string field whose name ends in "_text" (speech_text).
 *    title, date, lang (or language), url (or source_url)   optional.
 *  Lines may end in LF or CRLF. A line that is not valid UTF-8, not a JSON
 *  object, or has no (or only blank) text is a Problem naming PATH:LINE; the
 *  other lines are still read. The whole file is refused when it is empty,
 *  unreadable or binary (NUL bytes in its first 8 KiB).
 *
 *  Only this module uses nlohmann_json.
 */
#pragma once

#include <string_view>

#include "indexer/extract.h"

namespace bisearch::indexer {

/// Streams @p file line by line into @p sink.
void read_jsonl(const SourceFile& file, const ExtractOptions& options, DocumentSink& sink);

/// Parses one line (without its line ending) into @p doc. Returns false and
/// fills @p problem (where = "PATH:LINE") when the line cannot be indexed.
/// @p line_number is 1-based, @p line_offset the line's byte offset in the file.
bool parse_jsonl_line(std::string_view line, size_t line_number, uint64_t line_offset, const SourceFile& file,
                      const ExtractOptions& options, Document* doc, Problem* problem);

}  // namespace bisearch::indexer
