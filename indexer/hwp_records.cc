// hwp_records.cc: HWP 5.0 section records to text blocks: paragraph text, empty click-here fields' guides, object descriptions.
#include "indexer/hwp_records.h"

#include <cctype>

#include "analysis/normalize.h"

namespace bisearch::indexer {
namespace {

constexpr uint32_t kTagParaHeader = 66;
constexpr uint32_t kTagParaText = 67;
constexpr uint32_t kTagCtrlHeader = 71;

constexpr uint32_t ctrl_id(char a, char b, char c, char d) {
  return static_cast<uint32_t>(a) << 24 | static_cast<uint32_t>(b) << 16 | static_cast<uint32_t>(c) << 8 |
         static_cast<uint32_t>(d);
}
constexpr uint32_t kCtrlClickHere = ctrl_id('%', 'c', 'l', 'k');
constexpr uint32_t kCtrlDrawing = ctrl_id('g', 's', 'o', ' ');

uint32_t u32(std::string_view b, size_t at) {
  if (at + 4 > b.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t u16(std::string_view b, size_t at) {
  if (at + 2 > b.size()) return 0;
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

[[noreturn]] void damaged(const std::string& why) { throw FormatError(ProblemKind::kDamaged, why); }

// Extended controls own a CTRL_HEADER record.
bool extended(char16_t c) {
  return (c >= 1 && c <= 3) || c == 11 || c == 12 || (c >= 14 && c <= 18) || (c >= 21 && c <= 23);
}

// UTF-16LE text of a control's string (u16 length at @p at, then the units).
std::string control_string(std::string_view body, size_t at) {
  const size_t n = u16(body, at);
  if (n == 0 || at + 2 + 2 * n > body.size()) return "";
  return hwp_paragraph_text(reinterpret_cast<const unsigned char*>(body.data() + at + 2), n, {});
}

// Spaces of each line collapsed, empty lines dropped.
std::string collapse_lines(const std::string& raw) {
  std::string out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t nl = raw.find('\n', start);
    if (nl == std::string::npos) nl = raw.size();
    const std::string line = collapse_spaces(std::string_view(raw).substr(start, nl - start));
    if (!line.empty()) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    start = nl + 1;
  }
  return out;
}

}  // namespace

std::string clickhere_guide(std::string_view command) {
  constexpr std::string_view kKey = "Direction:wstring:";
  const size_t at = command.find(kKey);
  if (at == std::string_view::npos) return "";
  size_t i = at + kKey.size();
  size_t units = 0;
  while (i < command.size() && std::isdigit(static_cast<unsigned char>(command[i])) && units < 100000)
    units = units * 10 + static_cast<size_t>(command[i++] - '0');
  if (i >= command.size() || command[i] != ':') return "";
  ++i;
  // Take `units` UTF-16 units: one per code point below U+10000, two above.
  const size_t begin = i;
  while (i < command.size() && units > 0) {
    const auto c = static_cast<unsigned char>(command[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    units -= std::min<size_t>(units, len == 4 ? 2 : 1);
    i = std::min(command.size(), i + len);
  }
  std::string guide(command.substr(begin, i - begin));
  if (!analysis::is_valid_utf8(guide)) return "";
  return collapse_spaces(guide);
}

std::string hwp_paragraph_text(const unsigned char* p, size_t n, const std::vector<std::string_view>& controls) {
  std::string raw;
  size_t next_control = 0;  // index in `controls` of the next extended control
  struct OpenField {
    std::string guide;
    size_t start;  // raw.size() at the field's beginning
  };
  std::vector<OpenField> fields;
  size_t i = 0;
  while (i < n) {
    const char16_t c = static_cast<char16_t>(p[2 * i] | p[2 * i + 1] << 8);
    if (c < 32) {
      std::string_view control;
      if (extended(c)) {
        if (next_control < controls.size()) control = controls[next_control];
        ++next_control;
      }
      switch (c) {
        case 9: raw += '\t'; i += 8; break;
        case 10: raw += '\n'; i += 1; break;
        case 24: raw += '-'; i += 1; break;
        case 30: case 31: raw += ' '; i += 1; break;
        case 0: case 13: case 25: case 26: case 27: case 28: case 29: i += 1; break;
        case 3: {  // field begins
          std::string guide;
          if (u32(control, 0) == kCtrlClickHere) guide = clickhere_guide(control_string(control, 9));
          fields.push_back({std::move(guide), raw.size()});
          raw += ' ';
          i += 8;
          break;
        }
        case 4:  // field ends: an empty click-here field shows its guide
          if (!fields.empty()) {
            const OpenField f = std::move(fields.back());
            fields.pop_back();
            if (!f.guide.empty() && collapse_spaces(std::string_view(raw).substr(f.start)).empty())
              raw += f.guide;
          }
          raw += ' ';
          i += 8;
          break;
        default: raw += ' '; i += 8; break;  // a table, picture, note...: a word boundary
      }
      continue;
    }
    char32_t cp = c;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
      const char16_t d = static_cast<char16_t>(p[2 * i + 2] | p[2 * i + 3] << 8);
      if (d >= 0xDC00 && d <= 0xDFFF) {
        cp = 0x10000 + ((static_cast<char32_t>(c) - 0xD800) << 10) + (d - 0xDC00);
        ++i;
      } else {
        cp = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      cp = 0xFFFD;
    }
    analysis::append_utf8(raw, cp);
    ++i;
  }
  return collapse_lines(raw);
}

std::string hwp_object_description(std::string_view ctrl_header) {
  if (u32(ctrl_header, 0) != kCtrlDrawing) return "";
  return control_string(ctrl_header, 44);
}

void read_hwp_records(std::string_view data, const std::string& name, uint32_t section, const FormatLimits& limits,
                      Extracted* out) {
  // Paragraphs whose records are still being read; their blocks are kept in
  // stream order in `blocks` and filled in when the paragraph ends.
  struct Open {
    uint32_t level;
    size_t block;
    std::string_view text;
    std::vector<std::string_view> controls;
  };
  std::vector<Open> open;
  std::vector<std::string> blocks;
  auto close = [&](uint32_t level) {
    while (!open.empty() && open.back().level >= level) {
      Open& o = open.back();
      blocks[o.block] = hwp_paragraph_text(reinterpret_cast<const unsigned char*>(o.text.data()), o.text.size() / 2,
                                           o.controls);
      open.pop_back();
    }
  };
  size_t pos = 0;
  while (pos < data.size()) {
    if (pos + 4 > data.size()) damaged(name + ": truncated record header at byte " + std::to_string(pos));
    const uint32_t h = u32(data, pos);
    pos += 4;
    const uint32_t tag = h & 0x3FF;
    const uint32_t level = (h >> 10) & 0x3FF;
    uint64_t size = h >> 20;
    if (size == 0xFFF) {
      if (pos + 4 > data.size()) damaged(name + ": truncated record header at byte " + std::to_string(pos));
      size = u32(data, pos);
      pos += 4;
    }
    if (size > data.size() - pos) damaged(name + ": record at byte " + std::to_string(pos) + " runs past the stream");
    const std::string_view body = data.substr(pos, size);
    pos += size;
    close(level);
    const bool in_paragraph = !open.empty() && open.back().level + 1 == level;
    if (tag == kTagParaHeader) {
      open.push_back({level, blocks.size(), {}, {}});
      blocks.emplace_back();
    } else if (tag == kTagParaText) {
      if (in_paragraph) {
        open.back().text = body;
      } else {  // a paragraph text without its header: read on its own
        blocks.push_back(hwp_paragraph_text(reinterpret_cast<const unsigned char*>(body.data()), body.size() / 2, {}));
      }
    } else if (tag == kTagCtrlHeader && in_paragraph) {
      open.back().controls.push_back(body);
      std::string description = hwp_object_description(body);
      if (!description.empty()) blocks.push_back(std::move(description));
    }
  }
  close(0);
  for (std::string& b : blocks) out->add(std::move(b), section, limits.max_text_bytes);
}

}  // namespace bisearch::indexer
