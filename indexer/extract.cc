// extract.cc: reading .txt/.md files (metadata header, checks) and dispatching by format (extension, then content).
#include "indexer/extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "analysis/normalize.h"
#include "analysis/schema.h"
#include "indexer/jsonl.h"
#include "indexer/legacy.h"
#include "indexer/manifest.h"
#include "indexer/sniff.h"

namespace bisearch::indexer {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// A header is looked for only in this many leading lines / bytes.
constexpr size_t kMaxHeaderLines = 200;
constexpr size_t kMaxHeaderBytes = 64 * 1024;

struct Line {
  size_t begin = 0;  // first byte
  size_t end = 0;    // one past the last byte, line ending excluded
  size_t next = 0;   // first byte of the next line
};

Line line_at(std::string_view text, size_t pos) {
  Line l;
  l.begin = pos;
  size_t e = text.find_first_of("\r\n", pos);
  if (e == std::string_view::npos) e = text.size();
  l.end = e;
  l.next = e;
  if (e < text.size()) l.next = (text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n') ? e + 2 : e + 1;
  return l;
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_fence(std::string_view line) { return strip(line) == "---"; }

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    const char q = v.front();
    v = v.substr(1, v.size() - 2);
    if (q == '\'') {
      std::string out;
      for (size_t i = 0; i < v.size(); ++i) {
        out += v[i];
        if (v[i] == '\'' && i + 1 < v.size() && v[i + 1] == '\'') ++i;  // YAML '' escape
      }
      return out;
    }
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == '\\')) ++i;
      out += v[i];
    }
    return out;
  }
  return std::string(v);
}

// "key: value" with key = letter followed by letters, digits, '_', '-', '.'.
bool parse_key_value(std::string_view line, std::string* key, std::string* value) {
  if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) return false;
  size_t i = 1;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' ||
                             line[i] == '-' || line[i] == '.'))
    ++i;
  if (i >= line.size() || line[i] != ':') return false;
  if (i + 1 < line.size() && line[i + 1] != ' ' && line[i + 1] != '\t') return false;
  key->assign(line.substr(0, i));
  std::transform(key->begin(), key->end(), key->begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  *value = unquote(strip(line.substr(i + 1)));
  return true;
}

std::string take(std::map<std::string, std::string>& fields, std::initializer_list<const char*> keys) {
  std::string out;
  for (const char* k : keys) {
    auto it = fields.find(k);
    if (it == fields.end()) continue;
    if (out.empty()) out = std::move(it->second);
    fields.erase(it);
  }
  return out;
}

}  // namespace

std::optional<Format> format_for(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".txt") return Format::kText;
  if (ext == ".md") return Format::kMarkdown;
  if (ext == ".jsonl") return Format::kJsonl;
  if (ext == ".pdf") return Format::kPdf;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::kHtml;
  if (ext == ".docx") return Format::kDocx;
  if (ext == ".hwpx") return Format::kHwpx;
  if (ext == ".hwp") return Format::kHwp;
  return std::nullopt;
}

namespace {

bool is_blank(std::string_view s) { return strip(s).empty(); }
bool is_indented(std::string_view s) { return !s.empty() && (s[0] == ' ' || s[0] == '\t'); }

// A YAML block scalar indicator: ">" or "|", optionally with a chomping
// indicator (+/-) and an indentation digit, in either order.
bool is_block_indicator(std::string_view v) {
  if (v.empty() || (v[0] != '>' && v[0] != '|') || v.size() > 3) return false;
  for (char c : v.substr(1))
    if (c != '+' && c != '-' && !(c >= '1' && c <= '9')) return false;
  return true;
}

// Why @p line is not a header line (it is neither `key: value` nor a
// continuation).
std::string bad_line_reason(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return "header line is not `key: value` (no colon); not indexed";
  const std::string_view key = strip(line.substr(0, colon));
  if (key.empty()) return "header line has no key before its colon; not indexed";
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t')
    return "header line has no space after its colon; not indexed";
  return "header key \"" + std::string(key) +
         "\" is not a name (a letter, then letters, digits, '_', '-', '.'); line not indexed";
}

// The value being read for one key, across its lines.
struct PendingValue {
  std::string key;
  std::string raw;        // the value's text so far (plain or quoted scalar)
  char block = 0;         // '>' or '|' for a block scalar, else 0
  bool list = false;      // "- item" lines
  std::vector<std::string> lines;  // block scalar lines / list items

  bool open() const { return !key.empty(); }
  // Whether a quoted scalar is still waiting for its closing quote.
  bool in_quote() const {
    if (block || list || raw.empty() || (raw[0] != '"' && raw[0] != '\'')) return false;
    if (raw.size() < 2 || raw.back() != raw[0]) return true;
    if (raw[0] == '"') {  // a closing quote not escaped by a backslash
      size_t backslashes = 0;
      for (size_t i = raw.size() - 1; i > 1 && raw[i - 1] == '\\'; --i) ++backslashes;
      return backslashes % 2 == 1;
    }
    size_t quotes = 0;  // '' is an escaped quote: the count after the opening one must be odd
    for (size_t i = raw.size(); i > 1 && raw[i - 1] == '\''; --i) ++quotes;
    return quotes % 2 == 0;
  }
  std::string value() const {
    if (list) {
      std::string out;
      for (const std::string& l : lines) out += (out.empty() ? "" : ", ") + unquote(strip(l));
      return out;
    }
    if (block) {
      std::string out;
      for (const std::string& l : lines) {
        if (!out.empty()) out += block == '|' ? "\n" : (l.empty() ? "" : " ");
        out += l;
      }
      return std::string(strip(out));
    }
    return unquote(strip(raw));
  }
};

}  // namespace

Header parse_header(std::string_view text) {
  Header h;
  const size_t start = text.substr(0, 3) == kBom ? 3 : 0;
  h.body_begin = start;
  if (start >= text.size()) return h;
  const size_t limit = std::min(text.size(), start + kMaxHeaderBytes);
  Line line = line_at(text, start);
  const bool yaml = is_fence(text.substr(line.begin, line.end - line.begin));
  size_t pos = yaml ? line.next : start;
  size_t number = yaml ? 2 : 1;  // 1-based line number of pos
  // The header's lines, up to its closing fence.
  std::vector<std::pair<size_t, std::string_view>> lines;
  bool closed = false;
  for (size_t n = 0; n < kMaxHeaderLines && pos < limit; ++n, ++number) {
    line = line_at(text, pos);
    const std::string_view s = text.substr(line.begin, line.end - line.begin);
    if (is_fence(s) || (yaml && strip(s) == "...")) {
      closed = true;
      h.body_begin = line.next;
      break;
    }
    if (!yaml && is_blank(s)) return h;  // a blank line before any "---": no header
    lines.emplace_back(number, s);
    pos = line.next;
  }
  if (!closed) {
    h.body_begin = start;
    return h;
  }
  // Read the lines; count those that are header lines.
  std::string key, value;
  std::map<std::string, std::string> fields;
  std::vector<std::pair<size_t, std::string>> problems;
  size_t good = 0, counted = 0;
  bool first = true;
  PendingValue cur;
  auto finish = [&] {
    if (cur.open()) fields[cur.key] = cur.value();
    cur = PendingValue{};
  };
  for (const auto& [at, s] : lines) {
    if (is_blank(s)) {
      if (cur.block) cur.lines.emplace_back();
      continue;
    }
    if (strip(s).starts_with("#") && !cur.block && !cur.in_quote()) continue;  // a YAML comment
    ++counted;
    // A continuation of the open value: an indented line, or any line inside
    // an unclosed quoted scalar.
    if (cur.open() && (is_indented(s) || cur.in_quote())) {
      const std::string_view t = strip(s);
      ++good;
      if (cur.block) {
        cur.lines.emplace_back(t);
      } else if (cur.list || (cur.raw.empty() && (t.starts_with("- ") || t == "-"))) {
        if (!t.starts_with("-")) {
          if (cur.lines.empty()) cur.lines.emplace_back();
          cur.lines.back() += (cur.lines.back().empty() ? "" : " ") + std::string(t);
        } else {
          cur.list = true;
          cur.lines.emplace_back(strip(t.substr(1)));
        }
      } else {
        cur.raw += cur.raw.empty() ? "" : " ";
        cur.raw += t;
      }
      first = false;
      continue;
    }
    const std::string_view t = strip(s);
    if (cur.open() && cur.raw.empty() && !cur.block && (t.starts_with("- ") || t == "-")) {
      cur.list = true;  // a list under the key, not indented
      cur.lines.emplace_back(strip(t.substr(1)));
      ++good;
      continue;
    }
    finish();
    if (parse_key_value(s, &key, &value)) {
      ++good;
      cur.key = key;
      const std::string_view raw = strip(s.substr(s.find(':') + 1));
      if (is_block_indicator(raw)) cur.block = raw[0];
      else cur.raw = std::string(raw);
    } else {
      if (first) {  // the first line is no "key: value": no header
        h.body_begin = start;
        return h;
      }
      problems.emplace_back(at, is_indented(s) ? "indented header line continues no key; not indexed"
                                               : bad_line_reason(s));
    }
    first = false;
  }
  finish();
  // Prose before a "---" line is not a header: most lines must be header lines.
  if (counted == 0 || good * 2 <= counted) {
    h.body_begin = start;
    return h;
  }
  h.found = true;
  h.fields = std::move(fields);
  h.problems = std::move(problems);
  return h;
}

std::string markdown_title(std::string_view text, size_t from) {
  size_t pos = from;
  bool in_fence = false;
  while (pos < text.size()) {
    const Line line = line_at(text, pos);
    std::string_view s = text.substr(line.begin, line.end - line.begin);
    pos = line.next;
    size_t indent = 0;
    while (indent < s.size() && indent < 3 && s[indent] == ' ') ++indent;
    s.remove_prefix(indent);
    if (s.starts_with("```") || s.starts_with("~~~")) in_fence = !in_fence;
    if (in_fence || !s.starts_with("#") || (s.size() > 1 && s[1] != ' ' && s[1] != '\t')) continue;
    s = strip(s.substr(1));
    while (!s.empty() && s.back() == '#') s.remove_suffix(1);  // closing "###"
    s = strip(s);
    if (!s.empty()) return std::string(s);
  }
  return "";
}

std::string encoding_reason(size_t offset) {
  return "not valid UTF-8 (byte " + std::to_string(offset) +
         "); legacy encodings such as CP949 are not supported yet";
}

std::optional<Problem> check_text_bytes(std::string_view bytes, const std::string& where, size_t binary_probe_bytes) {
  if (bytes.empty()) return Problem{ProblemKind::kEmpty, where, "empty file"};
  const size_t nul = bytes.substr(0, binary_probe_bytes).find('\0');
  if (nul != std::string_view::npos)
    return Problem{ProblemKind::kBinary, where, "binary file (NUL byte at offset " + std::to_string(nul) + ")"};
  size_t bad = 0;
  if (!analysis::is_valid_utf8(bytes, &bad)) return Problem{ProblemKind::kEncoding, where, encoding_reason(bad)};
  return std::nullopt;
}

std::optional<Problem> read_file(const std::filesystem::path& path, const std::string& where, std::string* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Problem{ProblemKind::kUnreadable, where, std::string("cannot open: ") + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Problem{ProblemKind::kUnreadable, where, "is a directory"};
  }
  out->clear();
  if (st.st_size > 0) out->reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      return Problem{ProblemKind::kUnreadable, where, std::string("cannot read: ") + std::strerror(e)};
    }
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::nullopt;
}

Document text_document(std::string text, const SourceFile& file, std::vector<Problem>* problems) {
  Document doc;
  Header h = parse_header(text);
  if (problems)
    for (auto& [line, reason] : h.problems)
      problems->push_back({ProblemKind::kBadHeader, file.path.string() + ":" + std::to_string(line), std::move(reason)});
  doc.title = take(h.fields, {"title"});
  doc.date = take(h.fields, {"date"});
  doc.url = take(h.fields, {"source_url", "url"});
  doc.language = take(h.fields, {"language", "lang"});
  doc.fields = std::move(h.fields);
  doc.body_begin = h.body_begin;
  if (doc.title.empty() && file.format == Format::kMarkdown) doc.title = markdown_title(text, h.body_begin);
  doc.doc_id = file.rel;
  doc.source = file.path.string();
  doc.rel = file.rel;
  doc.where = doc.source;
  doc.source_end = text.size();
  doc.text = std::move(text);
  doc.content_key = schema::content_key(std::string_view(doc.text).substr(doc.body_begin));
  return doc;
}

namespace {

bool is_text_format(Format f) { return f == Format::kText || f == Format::kMarkdown || f == Format::kJsonl; }

// Why @p bytes cannot be read as @p expected (the format its extension
// names) when they carry no signature of a format we read.
std::string not_a(Format expected, std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) return std::string(kUnknownZip);
  if (expected == Format::kHwp && bytes.starts_with("HWP Document File V3"))
    return "an HWP 3.0 document: only HWP 5.0 (and HWPX) can be read";
  static const std::map<Format, std::string> what = {{Format::kPdf, "not a PDF (no %PDF- signature)"},
                                                      {Format::kDocx, "not a DOCX (not a zip archive)"},
                                                      {Format::kHwpx, "not an HWPX (not a zip archive)"},
                                                      {Format::kHwp, "not an HWP 5.0 document (not an OLE compound file)"}};
  return what.at(expected);
}

// The format to read @p bytes as: a binary signature wins over the
// extension; HTML markup is recognised in files named without a known
// extension; std::nullopt (with @p why) for a file no reader can take.
std::optional<Format> choose_format(const SourceFile& file, std::string_view bytes, std::string* why) {
  const Format by_name = file.format;
  const std::optional<Format> sniffed = sniff_format(bytes);
  if (sniffed && *sniffed != Format::kHtml) return sniffed;
  if (is_text_format(by_name)) {
    const bool unknown_extension = !format_for(file.path);
    return sniffed == Format::kHtml && unknown_extension ? Format::kHtml : by_name;
  }
  if (by_name == Format::kHtml) return by_name;
  if (by_name == Format::kPdf && bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return by_name;
  *why = not_a(by_name, bytes);
  return std::nullopt;
}

}  // namespace

void extract_blocks(std::string_view bytes, Format format, const FormatLimits& limits, Extracted* out) {
  switch (format) {
    case Format::kPdf: extract_pdf(bytes, limits, out); return;
    case Format::kHtml: extract_html(bytes, limits, out); return;
    case Format::kDocx: extract_docx(bytes, limits, out); return;
    case Format::kHwpx: extract_hwpx(bytes, limits, out); return;
    case Format::kHwp: extract_hwp(bytes, limits, out); return;
    default: throw FormatError(ProblemKind::kDamaged, "no reader for this format");
  }
}

Document blocks_document(Extracted&& ex, const SourceFile& file, Format format, uint64_t file_bytes) {
  Document doc;
  doc.title = std::move(ex.title);
  doc.date = std::move(ex.date);
  doc.language = std::move(ex.language);
  doc.place_unit = ex.unit;
  size_t size = 0;
  for (const TextBlock& b : ex.blocks) size += b.text.size() + 2;
  doc.text.reserve(size);
  for (TextBlock& b : ex.blocks) {
    if (!doc.text.empty()) doc.text += "\n\n";
    if (!doc.place_unit.empty() && b.place > 0 && (doc.places.empty() || doc.places.back().place != b.place))
      doc.places.push_back({doc.text.size(), b.place});
    doc.text += b.text;
  }
  doc.doc_id = file.rel;
  doc.source = file.path.string();
  doc.rel = file.rel;
  doc.content_key = schema::content_key(doc.text);
  doc.where = doc.source;
  doc.source_end = file_bytes;
  doc.format = std::string(format_name(format));
  return doc;
}

std::pair<uint32_t, uint32_t> places_of(const Document& doc, size_t begin, size_t end) {
  if (doc.places.empty()) return {0, 0};
  auto at = [&](size_t offset) -> uint32_t {
    auto it = std::upper_bound(doc.places.begin(), doc.places.end(), offset,
                               [](size_t o, const PlaceMark& m) { return o < m.offset; });
    return it == doc.places.begin() ? doc.places.front().place : std::prev(it)->place;
  };
  const uint32_t first = at(begin);
  return {first, std::max(first, at(end > begin ? end - 1 : begin))};
}

void extract(const SourceFile& file, const ExtractOptions& options, DocumentSink& sink) {
  if (file.format == Format::kJsonl) {
    read_jsonl(file, options, sink);
    return;
  }
  const std::string where = file.path.string();
  if (!is_text_format(file.format) && file.size > options.limits.max_file_bytes) {
    sink.problem({ProblemKind::kTooLarge, where,
                  "file of " + std::to_string(file.size >> 20) + " MiB, more than the " +
                      std::to_string(options.limits.max_file_bytes >> 20) + " MiB a document may have; not indexed"});
    return;
  }
  std::string text;
  if (auto p = read_file(file.path, where, &text)) {
    sink.problem(std::move(*p));
    return;
  }
  sink.content(content_hash(text), text.size());
  if (text.empty()) {
    sink.problem({ProblemKind::kEmpty, where, "empty file"});
    return;
  }
  std::string why;
  const std::optional<Format> format = choose_format(file, text, &why);
  if (!format) {
    sink.problem({ProblemKind::kDamaged, where, why});
    return;
  }
  if (!is_text_format(*format)) {
    Extracted ex;
    try {
      extract_blocks(text, *format, options.limits, &ex);
    } catch (const FormatError& e) {
      sink.problem({e.kind(), where, std::string(format_name(*format)) + ": " + e.what()});
      return;
    }
    if (ex.blocks.empty()) {
      sink.problem({ProblemKind::kNoText, where,
                    *format == Format::kPdf ? "pdf: no text (scanned pages without a text layer?)"
                                            : std::string(format_name(*format)) + ": no text found"});
      return;
    }
    const uint64_t bytes = text.size();
    Document doc = blocks_document(std::move(ex), file, *format, bytes);
    size_t bad = 0;
    if (!analysis::is_valid_utf8(doc.text, &bad)) {
      sink.problem({ProblemKind::kEncoding, where, "extracted text is not valid UTF-8 (byte " + std::to_string(bad) + ")"});
      return;
    }
    sink.document(std::move(doc));
    return;
  }
  std::string encoding;
  if (auto p = check_text_bytes(text, where, options.binary_probe_bytes)) {
    // Not UTF-8: legacy Korean text is converted (legacy.h), anything else refused.
    std::optional<LegacyText> legacy;
    if (p->kind == ProblemKind::kEncoding) legacy = decode_korean_legacy(text, &why);
    if (!legacy) {
      if (p->kind == ProblemKind::kEncoding && why.starts_with("decodes as CP949")) {
        size_t bad = 0;
        analysis::is_valid_utf8(text, &bad);
        p->reason = "not valid UTF-8 (byte " + std::to_string(bad) + ") and not Korean CP949/EUC-KR text: it " + why;
      }
      sink.problem(std::move(*p));
      return;
    }
    text = std::move(legacy->utf8);
    encoding = legacy->encoding;
  }
  std::vector<Problem> header_problems;
  Document doc = text_document(std::move(text), file, &header_problems);
  doc.encoding = encoding;
  doc.format = std::string(format_name(file.format));
  for (Problem& p : header_problems) sink.problem(std::move(p));
  sink.document(std::move(doc));
}

}  // namespace bisearch::indexer
