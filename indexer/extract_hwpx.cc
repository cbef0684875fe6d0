// extract_hwpx.cc: HWPX (OWPML: a zip of XML) to text blocks, one section per Contents/section*.xml.
#include <algorithm>
#include <cctype>

#include "analysis/dates.h"
#include "indexer/formats.h"
#include "indexer/hwp_records.h"
#include "indexer/xml_paragraphs.h"
#include "indexer/xml_reader.h"
#include "indexer/zip_reader.h"

namespace bisearch::indexer {
namespace {

// The guide of a click-here field: <hp:fieldBegin type="CLICK_HERE"> holds
// <hp:parameters><hp:stringParam name="Command">Clickhere:set:...:Direction:wstring:N:guide ...
std::string clickhere_field_guide(const xmlNode* begin) {
  if (attribute(begin, "type") != "CLICK_HERE") return "";
  for (const xmlNode* params = begin->children; params; params = params->next) {
    if (!is_element(params, "parameters")) continue;
    for (const xmlNode* p = params->children; p; p = p->next) {
      if (!is_element(p, "stringParam") || attribute(p, "name") != "Command") continue;
      FormatLimits shallow;
      return clickhere_guide(text_content(p, shallow));
    }
  }
  return "";
}

const ParagraphVocabulary& hwpx_vocabulary() {
  static const ParagraphVocabulary v{
      .paragraph = {"p"},
      .text = {"t"},
      .tab = {"tab"},
      .line_break = {"lineBreak"},
      .space = {"fwSpace", "nbSpace"},
      .hyphen = {"hyphen"},
      // Layout records and section properties hold no text.
      .skip = {"linesegarray", "secPr"},
  };
  return v;
}

const ShownVocabulary& hwpx_shown() {
  static const ShownVocabulary v{
      .field_begin = {"fieldBegin"},
      .field_end = {"fieldEnd"},
      .field_guide = clickhere_field_guide,
      .description = {"shapeComment"},
  };
  return v;
}

// "Contents/section12.xml" -> 12; -1 for other names.
long section_number(std::string_view name) {
  constexpr std::string_view kPrefix = "Contents/section";
  if (!name.starts_with(kPrefix) || !name.ends_with(".xml")) return -1;
  const std::string_view digits = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 4);
  if (digits.empty() || digits.size() > 6) return -1;
  long n = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// Section parts in reading order: the spine of Contents/content.hpf, else
// (no package file, or one that names no section) the zip listing by number.
std::vector<std::string> section_parts(ZipReader& zip, const FormatLimits& limits, Extracted* out) {
  std::vector<std::string> parts;
  if (const std::optional<std::string> hpf = zip.read("Contents/content.hpf")) {
    const XmlDoc doc = parse_xml(*hpf, "Contents/content.hpf");
    std::vector<std::pair<std::string, std::string>> items;  // id, href
    std::vector<std::string> spine;
    std::vector<const xmlNode*> stack = {xmlDocGetRootElement(doc.get())};
    while (!stack.empty()) {
      const xmlNode* n = stack.back();
      stack.pop_back();
      for (const xmlNode* c = n->last; c; c = c->prev) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_element(c, "item")) items.emplace_back(attribute(c, "id"), attribute(c, "href"));
        else if (is_element(c, "itemref")) spine.push_back(attribute(c, "idref"));
        else if (is_element(c, "title")) out->title = collapse_spaces(text_content(c, limits));
        else if (is_element(c, "language")) out->language = collapse_spaces(text_content(c, limits));
        else if (is_element(c, "meta") && attribute(c, "name") == "CreatedDate") {
          // The whole property (a date-time), as an ISO date when understood.
          const std::string created = collapse_spaces(text_content(c, limits));
          out->date = normalize_date(created).value_or(created);
        }
        else if (stack.size() < limits.max_depth) stack.push_back(c);
      }
    }
    for (const std::string& id : spine)
      for (const auto& [item, href] : items)
        if (item == id && section_number(href) >= 0 && zip.has(href)) parts.push_back(href);
  }
  if (parts.empty()) {
    for (const std::string& n : zip.names())
      if (section_number(n) >= 0) parts.push_back(n);
    std::sort(parts.begin(), parts.end(),
              [](const std::string& a, const std::string& b) { return section_number(a) < section_number(b); });
  }
  return parts;
}

}  // namespace

void extract_hwpx(std::string_view bytes, const FormatLimits& limits, Extracted* out) {
  ZipReader zip(bytes, limits);
  // An encrypted package lists its parts' encryption in the manifest.
  if (const std::optional<std::string> manifest = zip.read("META-INF/manifest.xml")) {
    if (manifest->find("encryption-data") != std::string::npos)
      throw FormatError(ProblemKind::kNotIndexable, "password-protected HWPX (encrypted parts); not indexable");
  }
  out->unit = "section";
  const std::vector<std::string> parts = section_parts(zip, limits, out);
  if (parts.empty()) throw FormatError(ProblemKind::kDamaged, "HWPX without Contents/section*.xml");
  if (parts.size() > limits.max_parts)
    throw FormatError(ProblemKind::kTooLarge, "more than " + std::to_string(limits.max_parts) + " sections");
  uint32_t number = 0;
  for (const std::string& part : parts) {
    ++number;
    const std::optional<std::string> xml = zip.read(part);
    const XmlDoc doc = parse_xml(*xml, part);
    add_paragraphs(xmlDocGetRootElement(doc.get()), hwpx_vocabulary(), number, limits, out, &hwpx_shown());
  }
}

}  // namespace bisearch::indexer
