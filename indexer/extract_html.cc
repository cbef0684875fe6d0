// extract_html.cc: HTML to text blocks with libxml2's HTML parser: visible text only, block elements as boundaries.
#include <libxml/HTMLparser.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "analysis/normalize.h"
#include "indexer/formats.h"
#include "indexer/legacy.h"
#include "indexer/xml_reader.h"

namespace bisearch::indexer {
namespace {

bool one_of(const xmlNode* n, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (is_element(n, name)) return true;
  return false;
}

bool has_class(const xmlNode* n, std::string_view cls) {
  const std::string v = attribute(n, "class");
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
    size_t e = i;
    while (e < v.size() && !std::isspace(static_cast<unsigned char>(v[e]))) ++e;
    if (std::string_view(v).substr(i, e - i) == cls) return true;
    i = e;
  }
  return false;
}

// Elements whose content is never visible text, or is navigation.
bool skipped(const xmlNode* n, bool in_content) {
  if (one_of(n, {"script", "style", "noscript", "template", "head", "nav", "button", "select", "input", "textarea",
                 "svg", "math", "iframe", "object", "embed", "canvas", "audio", "video", "map"}))
    return true;
  // Page chrome: header, footer and aside outside the main content.
  if (!in_content && one_of(n, {"header", "footer", "aside"})) return true;
  if (xmlHasProp(n, reinterpret_cast<const xmlChar*>("hidden"))) return true;
  if (attribute(n, "aria-hidden") == "true" || attribute(n, "role") == "navigation") return true;
  return has_class(n, "navheader") || has_class(n, "navfooter") || has_class(n, "breadcrumb") ||
         has_class(n, "breadcrumbs");
}

bool is_block(const xmlNode* n) {
  return one_of(n, {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "table",
                    "ul", "ol", "dl", "blockquote", "pre", "section", "article", "main", "header", "footer",
                    "aside", "caption", "figcaption", "figure", "address", "hr", "form", "fieldset", "legend",
                    "center", "body", "details", "summary", "tbody", "thead", "tfoot"});
}

class HtmlWalker {
 public:
  HtmlWalker(const FormatLimits& limits, Extracted* out) : limits_(limits), out_(out) {}

  void walk(const xmlNode* node, unsigned depth, bool in_content, bool in_pre) {
    check_depth(depth, limits_);
    for (const xmlNode* c = node->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (!c->content) continue;
        const std::string t = valid_utf8(reinterpret_cast<const char*>(c->content));
        if (in_pre) {
          buffer_ += t;  // line breaks are kept; flush() splits at them
        } else {
          for (char ch : t) buffer_ += (ch == '\n' || ch == '\r') ? ' ' : ch;
        }
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      if (is_element(c, "br")) {
        buffer_ += '\n';
        continue;
      }
      if (skipped(c, in_content)) continue;
      const bool block = is_block(c);
      if (block) flush();
      const bool content = in_content || one_of(c, {"main", "article"});
      if (one_of(c, {"td", "th"}) && !buffer_.empty()) buffer_ += ' ';
      walk(c, depth + 1, content, in_pre || is_element(c, "pre"));
      if (block) flush();
      if (one_of(c, {"td", "th"})) buffer_ += ' ';
    }
  }

  void flush() {
    std::string block;
    size_t start = 0;
    while (start <= buffer_.size()) {
      size_t nl = buffer_.find('\n', start);
      if (nl == std::string::npos) nl = buffer_.size();
      std::string line = collapse_spaces(std::string_view(buffer_).substr(start, nl - start));
      if (!line.empty()) {
        if (!block.empty()) block += '\n';
        block += line;
      }
      start = nl + 1;
    }
    buffer_.clear();
    out_->add(std::move(block), 0, limits_.max_text_bytes);
  }

 private:
  const FormatLimits& limits_;
  Extracted* out_;
  std::string buffer_;
};

const xmlNode* find_element(const xmlNode* node, const char* name, unsigned depth, const FormatLimits& limits) {
  check_depth(depth, limits);
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_element(c, name)) return c;
    if (const xmlNode* f = find_element(c, name, depth + 1, limits)) return f;
  }
  return nullptr;
}

bool declares_charset(std::string_view bytes) {
  std::string head(bytes.substr(0, 4096));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.find("charset") != std::string::npos || head.find("encoding=") != std::string::npos;
}

// Whether the page's first charset / encoding declaration names UTF-8.
bool declares_utf8(std::string_view bytes) {
  std::string head(bytes.substr(0, 4096));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = std::min(head.find("charset"), head.find("encoding="));
  if (at == std::string::npos) return false;
  at = head.find('=', at);
  if (at == std::string::npos) return false;
  ++at;
  while (at < head.size() && (head[at] == ' ' || head[at] == '"' || head[at] == '\'')) ++at;
  const std::string_view name = std::string_view(head).substr(at);
  return name.starts_with("utf-8") || name.starts_with("utf8");
}

}  // namespace

void extract_html(std::string_view bytes, const FormatLimits& limits, Extracted* out) {
  // Without a declared charset libxml2 assumes ISO-8859-1; such pages are
  // read as UTF-8 when they are, else as CP949/EUC-KR when they decode so.
  std::string converted;
  if (!declares_charset(bytes) && !bytes.starts_with("\xEF\xBB\xBF") && !analysis::is_valid_utf8(bytes)) {
    std::string why;
    if (auto legacy = decode_korean_legacy(bytes, &why)) {
      converted = std::move(legacy->utf8);
      bytes = converted;
    }
  }
  bool utf8 = !converted.empty() || (!declares_charset(bytes) && analysis::is_valid_utf8(bytes));
  // A page declared (or marked by its BOM) as UTF-8 with a few bad bytes:
  // libxml2 would read all the rest as Latin-1, so the bad bytes become U+FFFD first.
  if (converted.empty() && (declares_utf8(bytes) || bytes.starts_with("\xEF\xBB\xBF")) &&
      !analysis::is_valid_utf8(bytes)) {
    converted = valid_utf8(std::string(bytes));
    bytes = converted;
    utf8 = true;
  }
  const XmlDoc doc = parse_html(bytes, utf8 ? "UTF-8" : nullptr);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  out->language = attribute(root, "lang");
  if (const xmlNode* t = find_element(root, "title", 0, limits)) out->title = collapse_spaces(text_content(t, limits));
  HtmlWalker walker(limits, out);
  const xmlNode* body = find_element(root, "body", 0, limits);
  walker.walk(body ? body : root, 0, false, false);
  walker.flush();
  if (out->title.empty()) {
    if (const xmlNode* h = find_element(body ? body : root, "h1", 0, limits))
      out->title = collapse_spaces(text_content(h, limits));
  }
}

}  // namespace bisearch::indexer
