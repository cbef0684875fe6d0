// sniff.cc: a file's format from its magic bytes (PDF, zip → DOCX/HWPX, OLE → HWP, HTML markup).
#include "indexer/sniff.h"

#include <algorithm>
#include <cctype>

namespace bisearch::indexer {
namespace {

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// Skips a BOM, whitespace, an XML declaration, processing instructions and
// comments; true when what follows is the start of an HTML document.
bool looks_like_html(std::string_view s) {
  s = s.substr(0, 4096);
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  for (int guard = 0; guard < 64; ++guard) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    if (s.starts_with("<?")) {
      const size_t e = s.find("?>");
      if (e == std::string_view::npos) return false;
      s.remove_prefix(e + 2);
    } else if (s.starts_with("<!--")) {
      const size_t e = s.find("-->");
      if (e == std::string_view::npos) return false;
      s.remove_prefix(e + 3);
    } else {
      break;
    }
  }
  if (starts_with_nocase(s, "<!doctype html")) return true;
  if (starts_with_nocase(s, "<html") && s.size() > 5 &&
      (s[5] == '>' || std::isspace(static_cast<unsigned char>(s[5]))))
    return true;
  return false;
}

bool contains(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

std::optional<Format> sniff_format(std::string_view bytes) {
  if (bytes.starts_with("%PDF-")) return Format::kPdf;
  if (bytes.starts_with(kOleMagic)) return Format::kHwp;
  if (bytes.starts_with("PK\x03\x04")) {
    // Entry names are stored uncompressed (local headers and the central
    // directory), so a byte search finds them; the first entry of an HWPX
    // is the stored "mimetype".
    if (contains(bytes.substr(0, 128), "application/hwp+zip")) return Format::kHwpx;
    if (contains(bytes, "word/document.xml")) return Format::kDocx;
    if (contains(bytes, "Contents/section")) return Format::kHwpx;
    return std::nullopt;
  }
  if (looks_like_html(bytes)) return Format::kHtml;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kText: return "text";
    case Format::kMarkdown: return "markdown";
    case Format::kJsonl: return "jsonl";
    case Format::kPdf: return "pdf";
    case Format::kHtml: return "html";
    case Format::kDocx: return "docx";
    case Format::kHwpx: return "hwpx";
    case Format::kHwp: return "hwp";
  }
  return "?";
}

}  // namespace bisearch::indexer
