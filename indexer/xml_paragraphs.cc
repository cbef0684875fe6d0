// xml_paragraphs.cc: walks DOCX/HWPX-style XML collecting paragraph text (runs, tabs, breaks) into blocks.
#include "indexer/xml_paragraphs.h"

#include "indexer/xml_reader.h"

namespace bisearch::indexer {
namespace {

bool any_of(const xmlNode* n, const std::vector<const char*>& names) {
  for (const char* name : names)
    if (is_element(n, name)) return true;
  return false;
}

class ParagraphWalker {
 public:
  ParagraphWalker(const ParagraphVocabulary& v, uint32_t place, const FormatLimits& limits, Extracted* out)
      : v_(v), place_(place), limits_(limits), out_(out) {}

  void walk(const xmlNode* node, unsigned depth, bool in_text) {
    check_depth(depth, limits_);
    for (const xmlNode* c = node->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (in_text && c->content) buffer_ += reinterpret_cast<const char*>(c->content);
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      if (any_of(c, v_.skip)) continue;
      if (any_of(c, v_.tab)) {
        buffer_ += '\t';
      } else if (any_of(c, v_.line_break)) {
        buffer_ += '\n';
      } else if (any_of(c, v_.space)) {
        buffer_ += ' ';
      } else if (any_of(c, v_.hyphen)) {
        buffer_ += '-';
      } else if (any_of(c, v_.paragraph)) {
        flush();
        walk(c, depth + 1, false);
        flush();
      } else {
        walk(c, depth + 1, in_text || any_of(c, v_.text));
      }
    }
  }

  // Emits the text collected so far as a block: each line's layout
  // whitespace collapsed, tabs kept as one '\t' between words.
  void flush() {
    std::string block, line;
    auto end_line = [&] {
      std::string l = collapse_tabs(line);
      if (!l.empty()) {
        if (!block.empty()) block += '\n';
        block += l;
      }
      line.clear();
    };
    for (char c : buffer_) {
      if (c == '\n')
        end_line();
      else
        line += c;
    }
    end_line();
    buffer_.clear();
    out_->add(std::move(block), place_, limits_.max_text_bytes);
  }

 private:
  // Spaces collapsed within tab-separated cells; empty cells dropped.
  static std::string collapse_tabs(const std::string& line) {
    std::string out;
    size_t start = 0;
    while (start <= line.size()) {
      size_t tab = line.find('\t', start);
      if (tab == std::string::npos) tab = line.size();
      std::string cell = collapse_spaces(std::string_view(line).substr(start, tab - start));
      if (!cell.empty()) {
        if (!out.empty()) out += '\t';
        out += cell;
      }
      start = tab + 1;
    }
    return out;
  }

  const ParagraphVocabulary& v_;
  uint32_t place_;
  const FormatLimits& limits_;
  Extracted* out_;
  std::string buffer_;
};

}  // namespace

void add_paragraphs(const xmlNode* root, const ParagraphVocabulary& vocabulary, uint32_t place,
                    const FormatLimits& limits, Extracted* out) {
  ParagraphWalker w(vocabulary, place, limits, out);
  w.walk(root, 0, false);
  w.flush();
}

}  // namespace bisearch::indexer
