// jsonl.cc: streaming JSON Lines reader with lenient field choice.
#include "indexer/jsonl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "analysis/normalize.h"
#include "analysis/schema.h"
#include "indexer/manifest.h"

namespace bisearch::indexer {
namespace {

using nlohmann::json;

constexpr size_t kReadChunk = 1 << 20;

// Reads a file descriptor line by line through one growing buffer; a line
// stays valid until the next call.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  /// Makes at least @p want bytes available from the current position
  /// (fewer at end of file). Returns false on a read error (errno kept).
  bool fill(size_t want) {
    while (!eof_ && buf_.size() - pos_ < want) {
      if (!read_more()) return false;
    }
    return true;
  }
  std::string_view available() const { return std::string_view(buf_).substr(pos_); }

  /// Next line without "\n" / "\r\n". Returns false at end of file or on a
  /// read error (then error() is non-zero).
  bool next(std::string_view* line, uint64_t* offset, uint64_t* next_offset) {
    for (;;) {
      const size_t nl = buf_.find('\n', scan_);
      if (nl != std::string::npos) {
        emit(nl, nl + 1, line, offset, next_offset);
        return true;
      }
      scan_ = buf_.size();
      if (eof_) {
        if (pos_ >= buf_.size()) return false;
        emit(buf_.size(), buf_.size(), line, offset, next_offset);
        return true;
      }
      if (!read_more()) return false;
    }
  }
  int error() const { return error_; }
  /// Hash and count of all bytes read so far (the whole file at the end).
  uint64_t hash() const { return hash_.value(); }
  uint64_t bytes() const { return base_ + buf_.size(); }

 private:
  void emit(size_t end, size_t next, std::string_view* line, uint64_t* offset, uint64_t* next_offset) {
    std::string_view l = std::string_view(buf_).substr(pos_, end - pos_);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    *line = l;
    *offset = base_ + pos_;
    *next_offset = base_ + next;
    pos_ = next;
    scan_ = next;
  }
  bool read_more() {
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {  // drop consumed lines
      buf_.erase(0, pos_);
      base_ += pos_;
      scan_ -= pos_;
      pos_ = 0;
    }
    const size_t old = buf_.size();
    buf_.resize(old + kReadChunk);
    ssize_t n;
    do {
      n = ::read(fd_, buf_.data() + old, kReadChunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      error_ = errno;
      buf_.resize(old);
      return false;
    }
    buf_.resize(old + static_cast<size_t>(n));
    hash_.update(std::string_view(buf_).substr(old));
    if (n == 0) eof_ = true;
    return true;
  }

  int fd_;
  std::string buf_;
  size_t pos_ = 0;   // start of the unread part
  size_t scan_ = 0;  // where the search for '\n' resumes
  uint64_t base_ = 0;
  bool eof_ = false;
  int error_ = 0;
  ContentHash hash_;
};

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "not a value";
  }
}

std::string field_list(const json& obj) {
  std::string out;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!out.empty()) out += ", ";
    out += it.key();
  }
  return out.empty() ? "no fields" : out;
}

// "column 12: syntax error while parsing value - invalid literal" from
// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 12: ...; last read: ...".
std::string parse_reason(const std::string& what) {
  std::string s = what;
  if (const size_t p = s.find("] "); p != std::string::npos) s.erase(0, p + 2);
  if (const size_t p = s.find("; last read"); p != std::string::npos) s.erase(p);
  if (const size_t p = s.find("at line 1, "); p != std::string::npos) s.erase(p, 11);
  if (s.starts_with("parse error ")) s.erase(0, 12);
  return "not valid JSON (" + s + ")";
}

// Scalar metadata as text: strings as they are, numbers printed; else "".
std::string scalar(const json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const auto it = obj.find(k);
    if (it == obj.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
  }
  return "";
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

}  // namespace

bool parse_jsonl_line(std::string_view line, size_t line_number, uint64_t line_offset, const SourceFile& file,
                      const ExtractOptions& options, Document* doc, Problem* problem) {
  const std::string source = file.path.string();
  const std::string where = source + ":" + std::to_string(line_number);
  auto fail = [&](ProblemKind kind, std::string reason) {
    *problem = Problem{kind, where, std::move(reason)};
    return false;
  };
  size_t bad = 0;
  if (!analysis::is_valid_utf8(line, &bad)) return fail(ProblemKind::kEncoding, encoding_reason(line_offset + bad));
  json obj;
  try {
    obj = json::parse(line.begin(), line.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond a double (1e999)
    return fail(ProblemKind::kBadLine, parse_reason(e.what()));
  }
  if (!obj.is_object()) return fail(ProblemKind::kBadLine, std::string("not a JSON object but ") + type_name(obj));

  // The text field.
  json::iterator text = obj.find(options.text_field);
  std::string text_name = options.text_field;
  if (text == obj.end() && !options.text_field_given) {
    for (const char* alt : {"body", "content"}) {
      text = obj.find(alt);
      if (text != obj.end()) {
        text_name = alt;
        break;
      }
    }
    if (text == obj.end()) {
      std::vector<std::string> candidates;
      for (auto it = obj.begin(); it != obj.end(); ++it)
        if (it.value().is_string() && it.key().ends_with("_text")) candidates.push_back(it.key());
      if (candidates.size() == 1) {
        text_name = candidates[0];
        text = obj.find(text_name);
      } else if (candidates.size() > 1) {
        std::string names;
        for (const auto& c : candidates) names += (names.empty() ? "" : ", ") + c;
        return fail(ProblemKind::kNoText, "several *_text fields (" + names + "); choose one with --text-field");
      }
    }
  }
  if (text == obj.end()) {
    if (options.text_field_given)
      return fail(ProblemKind::kNoText, "no field \"" + options.text_field + "\" (the line has: " + field_list(obj) + ")");
    return fail(ProblemKind::kNoText, "no text field (looked for \"" + options.text_field +
                                          "\", \"body\", \"content\", \"*_text\"; the line has: " +
                                          field_list(obj) + "); name one with --text-field");
  }
  if (!text->is_string())
    return fail(ProblemKind::kBadField, "field \"" + text_name + "\" is " + type_name(*text) + ", not a string");
  if (is_blank(text->get_ref<const std::string&>()))
    return fail(ProblemKind::kNoText, "field \"" + text_name + "\" is empty");

  // The id.
  std::string id;
  const auto id_it = obj.find(options.id_field);
  if (id_it != obj.end()) {
    if (id_it->is_string()) {
      id = id_it->get<std::string>();
    } else if (id_it->is_number_integer()) {
      id = id_it->is_number_unsigned() ? std::to_string(id_it->get<uint64_t>()) : std::to_string(id_it->get<int64_t>());
    } else if (id_it->is_number()) {
      id = id_it->dump();
    } else if (!id_it->is_null()) {
      return fail(ProblemKind::kBadField, "field \"" + options.id_field + "\" is " + type_name(*id_it) +
                                              ", not a string or number");
    }
  }
  if (id.empty()) id = file.rel + ":" + std::to_string(line_number);

  Document d;
  d.doc_id = std::move(id);
  d.title = scalar(obj, {"title"});
  d.date = scalar(obj, {"date"});
  d.url = scalar(obj, {"url", "source_url"});
  d.language = scalar(obj, {"lang", "language"});
  d.source = source;
  d.where = where;
  d.text = std::move(text->get_ref<std::string&>());
  d.body_begin = 0;
  d.rel = file.rel;
  d.content_key = schema::content_key(d.text);
  // The other scalar fields, kept as metadata fields (write.h kept_fields()).
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if ((it->is_string() || it->is_number() || it->is_boolean()) && it.key() != options.id_field && it.key() != text_name)
      d.fields.emplace(it.key(), it->is_string() ? it->get<std::string>() : it->dump());
  for (const char* k : {"title", "date", "url", "source_url", "lang", "language"}) d.fields.erase(k);
  *doc = std::move(d);
  return true;
}

void read_jsonl(const SourceFile& file, const ExtractOptions& options, DocumentSink& sink) {
  const std::string where = file.path.string();
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    sink.problem({ProblemKind::kUnreadable, where, std::string("cannot open: ") + std::strerror(errno)});
    return;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  LineReader reader(fd);
  auto read_error = [&] {
    sink.problem({ProblemKind::kUnreadable, where, std::string("cannot read: ") + std::strerror(reader.error())});
  };
  if (!reader.fill(options.binary_probe_bytes)) return read_error();
  const std::string_view head = reader.available();
  if (head.empty()) return sink.problem({ProblemKind::kEmpty, where, "empty file"});
  const size_t nul = head.substr(0, options.binary_probe_bytes).find('\0');
  if (nul != std::string_view::npos) {
    sink.problem({ProblemKind::kBinary, where, "binary file (NUL byte at offset " + std::to_string(nul) + ")"});
    return;
  }

  std::string_view line;
  uint64_t offset = 0, next_offset = 0;
  size_t number = 0;
  while (reader.next(&line, &offset, &next_offset)) {
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) {
      line.remove_prefix(3);
      offset += 3;
    }
    if (is_blank(line)) continue;
    Document doc;
    Problem problem;
    if (!parse_jsonl_line(line, number, offset, file, options, &doc, &problem)) {
      sink.problem(std::move(problem));
      continue;
    }
    doc.source_end = next_offset;
    if (!sink.document(std::move(doc))) return;
  }
  if (reader.error() != 0) return read_error();
  sink.content(reader.hash(), reader.bytes());
}

}  // namespace bisearch::indexer
