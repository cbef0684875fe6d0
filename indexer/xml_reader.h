/** @file xml_reader.h
 *  @brief Safe libxml2 parsing for the format readers: XML parts of DOCX/HWPX, and HTML.
 *
 *  Parser options: no network (XML_PARSE_NONET / HTML_PARSE_NONET), no DTD
 *  loading, no entity substitution, no XML_PARSE_HUGE (so libxml2 keeps its
 *  own limits: 256 levels of nesting for XML, 10 MB text nodes); errors are
 *  not printed. Walkers use check_depth() for their own recursion.
 */
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

#include "indexer/formats.h"

namespace bisearch::indexer {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

/// Parses the XML part @p part (named in errors). Throws FormatError
/// (kDamaged) when it is not well-formed.
XmlDoc parse_xml(std::string_view bytes, const std::string& part);

/// Parses HTML leniently (as browsers do) in @p encoding, or (null) the one
/// a BOM or <meta charset> declares. Throws FormatError when nothing can be parsed.
XmlDoc parse_html(std::string_view bytes, const char* encoding);

/// Whether @p node is an element with local name @p name (any namespace).
inline bool is_element(const xmlNode* node, const char* name) {
  return node && node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

/// @p text with each byte that is not part of well-formed UTF-8 replaced by
/// U+FFFD. libxml2's HTML parser does not guarantee UTF-8 output (a page
/// declaring UTF-8 with a stray byte after '&' gets it through), so the
/// readers pass text and attributes through this.
std::string valid_utf8(std::string text);

/// The attribute @p name of @p node (no namespace), "" when absent; valid UTF-8.
std::string attribute(const xmlNode* node, const char* name);

/// The concatenated text content of @p node's subtree (text and CDATA only); valid UTF-8.
std::string text_content(const xmlNode* node, const FormatLimits& limits, unsigned depth = 0);

}  // namespace bisearch::indexer
