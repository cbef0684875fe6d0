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
  ParagraphWalker(const ParagraphVocabulary& v, const ShownVocabulary& shown, uint32_t place,
                  const FormatLimits& limits, Extracted* out)
      : v_(v), shown_(shown), place_(place), limits_(limits), out_(out) {}

  void walk(const xmlNode* node, unsigned depth, bool in_text) {
    check_depth(depth, limits_);
    for (const xmlNode* c = node->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (in_text && c->content) buffer_ += reinterpret_cast<const char*>(c->content);
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      if (any_of(c, v_.skip)) continue;
      if (any_of(c, shown_.field_begin)) {
        fields_.push_back({attribute(c, "id"), shown_.field_guide ? shown_.field_guide(c) : "", buffer_.size(), flushes_});
        continue;
      }
      if (any_of(c, shown_.field_end)) {
        end_field(attribute(c, "beginIDRef"));
        continue;
      }
      if (any_of(c, shown_.description)) {
        std::string d = text_content(c, limits_, depth + 1);
        if (!collapse_spaces(d).empty()) descriptions_.push_back(std::move(d));
        continue;
      }
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
    ++flushes_;
    out_->add(std::move(block), place_, limits_.max_text_bytes);
    // Descriptions of the objects met so far, each a block ('\r' from the source is a line break).
    std::vector<std::string> descriptions = std::move(descriptions_);
    descriptions_.clear();
    for (std::string& d : descriptions) {
      for (char& c : d)
        if (c == '\r') c = '\n';
      buffer_ = std::move(d);
      flush();
    }
  }

 private:
  struct OpenField {
    std::string id;
    std::string guide;
    size_t start;    // buffer_.size() at the field's beginning
    size_t flushes;  // flushes_ then: a field that spans paragraphs shows no guide
  };

  void end_field(const std::string& id) {
    for (size_t k = fields_.size(); k-- > 0;) {
      if (fields_[k].id != id) continue;
      const OpenField f = std::move(fields_[k]);
      fields_.erase(fields_.begin() + static_cast<std::ptrdiff_t>(k));
      if (!f.guide.empty() && f.flushes == flushes_ && f.start <= buffer_.size() &&
          collapse_spaces(std::string_view(buffer_).substr(f.start)).empty())
        buffer_ += " " + f.guide + " ";
      return;
    }
  }

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
  const ShownVocabulary& shown_;
  uint32_t place_;
  const FormatLimits& limits_;
  Extracted* out_;
  std::string buffer_;
  std::vector<OpenField> fields_;
  std::vector<std::string> descriptions_;
  size_t flushes_ = 0;
};

}  // namespace

void add_paragraphs(const xmlNode* root, const ParagraphVocabulary& vocabulary, uint32_t place,
                    const FormatLimits& limits, Extracted* out, const ShownVocabulary* shown) {
  static const ShownVocabulary kNone;
  ParagraphWalker w(vocabulary, shown ? *shown : kNone, place, limits, out);
  w.walk(root, 0, false);
  w.flush();
}

}  // namespace bisearch::indexer
