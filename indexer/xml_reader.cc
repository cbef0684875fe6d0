// xml_reader.cc: libxml2 parsing with safe options, errors as FormatError, small tree helpers.
#include "indexer/xml_reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <climits>
#include <mutex>

#include "analysis/normalize.h"

namespace bisearch::indexer {
namespace {

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string last_error(xmlParserCtxt* ctxt) {
  const xmlError* e = ctxt ? xmlCtxtGetLastError(ctxt) : nullptr;
  if (!e || !e->message) return "unknown error";
  std::string msg = e->message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return "line " + std::to_string(e->line) + ": " + msg;
}

int checked_size(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    throw FormatError(ProblemKind::kTooLarge, "XML part larger than 2 GiB; not indexed");
  return static_cast<int>(bytes.size());
}

}  // namespace

XmlDoc parse_xml(std::string_view bytes, const std::string& part) {
  init_once();
  const int size = checked_size(bytes);
  xmlParserCtxt* ctxt = xmlNewParserCtxt();
  if (!ctxt) throw std::bad_alloc();
  XmlDoc doc(xmlCtxtReadMemory(ctxt, bytes.data(), size, nullptr, nullptr,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!doc || !ctxt->wellFormed) {
    const std::string why = last_error(ctxt);
    xmlFreeParserCtxt(ctxt);
    if (why.find("Excessive depth") != std::string::npos)  // libxml2's limit without XML_PARSE_HUGE
      throw FormatError(ProblemKind::kTooLarge, part + ": elements nested deeper than 256 levels; not indexed");
    throw FormatError(ProblemKind::kDamaged, part + " is not well-formed XML (" + why + ")");
  }
  xmlFreeParserCtxt(ctxt);
  return doc;
}

XmlDoc parse_html(std::string_view bytes, const char* encoding) {
  init_once();
  const int size = checked_size(bytes);
  htmlParserCtxt* ctxt = htmlNewParserCtxt();
  if (!ctxt) throw std::bad_alloc();
  XmlDoc doc(htmlCtxtReadMemory(ctxt, bytes.data(), size, nullptr, encoding,
                                HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING));
  if (!doc || !xmlDocGetRootElement(doc.get())) {
    const std::string why = last_error(ctxt);
    htmlFreeParserCtxt(ctxt);
    throw FormatError(ProblemKind::kDamaged, "cannot parse HTML (" + why + ")");
  }
  htmlFreeParserCtxt(ctxt);
  return doc;
}

std::string valid_utf8(std::string text) {
  size_t bad = 0;
  if (analysis::is_valid_utf8(text, &bad)) return text;
  std::string out(text, 0, bad);
  std::string_view rest = std::string_view(text).substr(bad);
  while (!rest.empty()) {
    out += "\xEF\xBF\xBD";  // U+FFFD for the bad byte
    rest.remove_prefix(1);
    if (analysis::is_valid_utf8(rest, &bad)) bad = rest.size();
    out += rest.substr(0, bad);
    rest.remove_prefix(bad);
  }
  return out;
}

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* v = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  if (!v) {
    // Namespaced attributes (xml:lang, w:val): match the local name.
    for (const xmlAttr* a = node->properties; a; a = a->next) {
      if (xmlStrcmp(a->name, reinterpret_cast<const xmlChar*>(name)) == 0) {
        v = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
        break;
      }
    }
  }
  if (!v) return "";
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return valid_utf8(std::move(s));
}

std::string text_content(const xmlNode* node, const FormatLimits& limits, unsigned depth) {
  check_depth(depth, limits);
  std::string out;
  for (const xmlNode* c = node->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      out += reinterpret_cast<const char*>(c->content);
    else if (c->type == XML_ELEMENT_NODE)
      out += text_content(c, limits, depth + 1);
  }
  return depth == 0 ? valid_utf8(std::move(out)) : out;
}

}  // namespace bisearch::indexer
