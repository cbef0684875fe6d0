// extract_docx.cc: DOCX (Office Open XML) to text blocks: body paragraphs and tables, then notes, headers and footers.
#include <algorithm>
#include <set>

#include "analysis/dates.h"
#include "indexer/formats.h"
#include "indexer/xml_paragraphs.h"
#include "indexer/xml_reader.h"
#include "indexer/zip_reader.h"

namespace bisearch::indexer {
namespace {

const ParagraphVocabulary& docx_vocabulary() {
  static const ParagraphVocabulary v{
      .paragraph = {"p"},
      .text = {"t"},
      .tab = {"tab", "ptab"},
      .line_break = {"br", "cr"},
      .space = {},
      .hyphen = {"noBreakHyphen"},
      // Deleted revisions, field codes, the fallback copy of alternate
      // content, properties (tab stops there are not text).
      .skip = {"del", "delText", "instrText", "Fallback", "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr"},
  };
  return v;
}

// The main document part named by _rels/.rels (usually word/document.xml).
std::string main_part(ZipReader& zip) {
  const std::optional<std::string> rels = zip.read("_rels/.rels");
  if (rels) {
    const XmlDoc doc = parse_xml(*rels, "_rels/.rels");
    for (const xmlNode* n = xmlDocGetRootElement(doc.get())->children; n; n = n->next) {
      if (!is_element(n, "Relationship")) continue;
      const std::string type = attribute(n, "Type");
      if (!type.ends_with("/officeDocument")) continue;
      std::string target = attribute(n, "Target");
      while (target.starts_with("/")) target.erase(0, 1);
      if (zip.has(target)) return target;
    }
  }
  return "word/document.xml";
}

void read_core_properties(ZipReader& zip, const FormatLimits& limits, Extracted* out) {
  const std::optional<std::string> core = zip.read("docProps/core.xml");
  if (!core) return;
  const XmlDoc doc = parse_xml(*core, "docProps/core.xml");
  for (const xmlNode* n = xmlDocGetRootElement(doc.get())->children; n; n = n->next) {
    if (is_element(n, "title")) out->title = collapse_spaces(text_content(n, limits));
    if (is_element(n, "language")) out->language = collapse_spaces(text_content(n, limits));
    if (is_element(n, "created") && out->date.empty()) {
      // The whole property (a date-time), as an ISO date when understood.
      const std::string created = collapse_spaces(text_content(n, limits));
      out->date = normalize_date(created).value_or(created);
    }
  }
}

// Parts listed in order of a number in their name: header1.xml, header2.xml, ...
std::vector<std::string> parts_like(const ZipReader& zip, std::string_view prefix) {
  std::vector<std::string> parts;
  for (const std::string& n : zip.names())
    if (n.starts_with(prefix) && n.ends_with(".xml")) parts.push_back(n);
  std::sort(parts.begin(), parts.end(), [](const std::string& a, const std::string& b) {
    return std::pair(a.size(), a) < std::pair(b.size(), b);
  });
  return parts;
}

}  // namespace

void extract_docx(std::string_view bytes, const FormatLimits& limits, Extracted* out) {
  ZipReader zip(bytes, limits);
  const std::string main = main_part(zip);
  const std::optional<std::string> body = zip.read(main);
  if (!body) throw FormatError(ProblemKind::kDamaged, "DOCX without " + main);
  read_core_properties(zip, limits, out);
  {
    const XmlDoc doc = parse_xml(*body, main);
    add_paragraphs(xmlDocGetRootElement(doc.get()), docx_vocabulary(), 0, limits, out);
  }
  // Footnotes, endnotes and comments, then each distinct header and footer once.
  std::vector<std::string> extra = {"word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"};
  for (const std::string& p : parts_like(zip, "word/header")) extra.push_back(p);
  for (const std::string& p : parts_like(zip, "word/footer")) extra.push_back(p);
  std::set<std::string> seen;
  for (const std::string& part : extra) {
    const std::optional<std::string> xml = zip.read(part);
    if (!xml) continue;
    const XmlDoc doc = parse_xml(*xml, part);
    Extracted piece;
    add_paragraphs(xmlDocGetRootElement(doc.get()), docx_vocabulary(), 0, limits, &piece);
    for (TextBlock& b : piece.blocks)
      if (seen.insert(b.text).second) out->add(std::move(b.text), 0, limits.max_text_bytes);
  }
}

}  // namespace bisearch::indexer
