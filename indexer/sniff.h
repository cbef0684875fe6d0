/** @file sniff.h
 *  @brief Telling a file's format from its first bytes (magic numbers), not only its name.
 *
 *  "%PDF-" → PDF (a .pdf file may have up to 1 KiB of junk before it); "PK\3\4" → a zip, which is DOCX when it holds
 *  word/document.xml and HWPX when its mimetype is application/hwp+zip or
 *  it holds Contents/section*.xml; the OLE compound-file signature
 *  D0 CF 11 E0 A1 B1 1A E1 → HWP 5.0 (other OLE files are refused by the HWP
 *  reader, which checks the FileHeader stream); markup starting with
 *  <!DOCTYPE html, <html (after a BOM, whitespace, an XML declaration or
 *  comments) → HTML.
 */
#pragma once

#include <optional>
#include <string_view>

#include "indexer/extract.h"

namespace bisearch::indexer {

/// What the bytes say, or std::nullopt when they match no signature above
/// (plain text, or an unknown binary format).
std::optional<Format> sniff_format(std::string_view bytes);

/// A zip archive holding none of the entries that make DOCX or HWPX.
inline constexpr std::string_view kUnknownZip = "a zip archive that is neither DOCX nor HWPX";

/// The name of a format for messages and tools: "text", "markdown", "jsonl",
/// "pdf", "html", "docx", "hwpx", "hwp".
std::string_view format_name(Format format);

}  // namespace bisearch::indexer
