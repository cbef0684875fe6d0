// glossary.cc: reads TSV/CSV glossaries, reports bad rows by line, keeps them in the index's metadata.
#include "indexer/glossary.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "analysis/crosslang.h"
#include "analysis/gloss.h"
#include "analysis/hangul.h"
#include "analysis/normalize.h"
#include "analysis/schema.h"
#include "indexer/legacy.h"
#include "indexer/manifest.h"

namespace bisearch::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMetaGlossaryFile = "bisearch.glossary.";
constexpr size_t kMaxGlossaryBytes = 64u << 20;

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Splits one CSV line; std::nullopt when a quote is not closed.
std::optional<std::vector<std::string>> split_csv(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  size_t i = 0;
  bool quoted_cell = false;
  while (true) {
    if (i < line.size() && line[i] == '"' && trim(cell).empty()) {
      cell.clear();
      quoted_cell = true;
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cell += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        cell += line[i++];
      }
      if (!closed) return std::nullopt;
    }
    if (i >= line.size() || line[i] == ',') {
      cells.push_back(quoted_cell ? cell : trim(cell));
      cell.clear();
      quoted_cell = false;
      if (i >= line.size()) break;
      ++i;
      continue;
    }
    if (!quoted_cell) cell += line[i];
    ++i;
  }
  return cells;
}

std::vector<std::string> split_tsv(std::string_view line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    cells.push_back(trim(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cells;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Column role of a header cell: 0 ko, 1 en, 2 note, -1 none.
int header_role(const std::string& cell) {
  const std::string c = lower(cell);
  if (c == "ko" || c == "korean" || c == "한국어" || c == "국문") return 0;
  if (c == "en" || c == "english" || c == "영어" || c == "영문") return 1;
  if (c == "note" || c == "notes" || c == "비고" || c == "메모" || c == "설명") return 2;
  return -1;
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

struct FileRecord {
  std::string path, hash, encoding;
  std::vector<GlossaryRow> rows;
};

std::string serialize_record(const FileRecord& r) {
  std::string out;
  schema::append_field(out, "1");
  schema::append_field(out, r.path);
  schema::append_field(out, r.hash);
  schema::append_field(out, r.encoding);
  schema::append_field(out, std::to_string(r.rows.size()));
  for (const GlossaryRow& row : r.rows) {
    schema::append_field(out, row.ko);
    schema::append_field(out, row.en);
    schema::append_field(out, row.note);
    schema::append_field(out, std::to_string(row.line));
  }
  return out;
}

std::optional<FileRecord> deserialize_record(std::string_view in) {
  std::string_view version, path, hash, encoding;
  size_t n = 0;
  if (!schema::read_field(in, &version) || version != "1" || !schema::read_field(in, &path) ||
      !schema::read_field(in, &hash) || !schema::read_field(in, &encoding) || !schema::read_number_field(in, &n))
    return std::nullopt;
  FileRecord r{std::string(path), std::string(hash), std::string(encoding), {}};
  for (size_t i = 0; i < n; ++i) {
    std::string_view ko, en, note;
    GlossaryRow row;
    if (!schema::read_field(in, &ko) || !schema::read_field(in, &en) || !schema::read_field(in, &note) ||
        !schema::read_number_field(in, &row.line))
      return std::nullopt;
    row.ko = ko;
    row.en = en;
    row.note = note;
    r.rows.push_back(std::move(row));
  }
  return r;
}

}  // namespace

ParsedGlossary parse_glossary(std::string_view bytes, const std::string& file) {
  ParsedGlossary out;
  std::string converted;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (!analysis::is_valid_utf8(bytes)) {
    std::string why;
    if (auto legacy = decode_korean_legacy(bytes, &why)) {
      converted = std::move(legacy->utf8);
      out.encoding = legacy->encoding;
      bytes = converted;
    }
  }
  bool tsv = false, first_row = true;
  int columns[3] = {0, 1, 2};  // cell index of ko, en, note
  size_t line_no = 0, start = 0;
  auto bad = [&](const std::string& reason) {
    out.problems.push_back({ProblemKind::kBadLine, file + ":" + std::to_string(line_no), reason});
  };
  while (start < bytes.size()) {
    size_t nl = bytes.find('\n', start);
    if (nl == std::string_view::npos) nl = bytes.size();
    std::string_view line = bytes.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    size_t bad_at = 0;
    if (!analysis::is_valid_utf8(line, &bad_at)) {
      bad("not valid UTF-8 (byte " + std::to_string(bad_at + 1) + " of the line); save the file as UTF-8");
      continue;
    }
    if (first_row) tsv = line.find('\t') != std::string_view::npos;
    std::vector<std::string> cells;
    if (tsv) {
      cells = split_tsv(line);
    } else if (auto c = split_csv(line)) {
      cells = std::move(*c);
    } else {
      bad("a quoted field is not closed");
      first_row = false;
      continue;
    }
    if (first_row) {
      first_row = false;
      int roles[3] = {-1, -1, -1};
      for (size_t i = 0; i < cells.size(); ++i) {
        const int r = header_role(cells[i]);
        if (r >= 0 && roles[r] < 0) roles[r] = static_cast<int>(i);
      }
      // A header names both term columns; anything else is a data row.
      if (roles[0] >= 0 && roles[1] >= 0) {
        std::copy(std::begin(roles), std::end(roles), columns);
        continue;
      }
    }
    const int needed = std::max(columns[0], columns[1]);
    if (static_cast<int>(cells.size()) <= needed) {
      bad("expected ko and en columns, found " + std::to_string(cells.size()) + " column" +
          (cells.size() == 1 ? "" : "s") + (tsv ? " (tab-separated)" : " (comma-separated)"));
      continue;
    }
    GlossaryRow row;
    row.ko = cells[columns[0]];
    row.en = cells[columns[1]];
    if (columns[2] >= 0 && static_cast<int>(cells.size()) > columns[2]) row.note = cells[columns[2]];
    row.line = line_no;
    if (row.ko.empty() || row.en.empty()) {
      bad(std::string("empty ") + (row.ko.empty() ? "ko" : "en") + " term");
      continue;
    }
    if (!analysis::contains_hangul(row.ko)) {
      bad(analysis::contains_hangul(row.en) ? "the ko and en columns look swapped (Korean is in the en column)"
                             : "the ko term \"" + row.ko + "\" has no Korean letters");
      continue;
    }
    if (analysis::term_key(row.ko).empty() || analysis::term_key(row.en).empty()) {
      bad("a term has no letters or digits");
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

GlossarySummary update_glossaries(IndexWriter& writer, const std::vector<fs::path>& given,
                                  const std::function<void(const Problem&)>& problem,
                                  const std::function<void(const std::string&)>& note) {
  GlossarySummary summary;
  const Xapian::Database& db = writer.database();
  try {
    // Known files, by absolute path.
    std::map<std::string, std::string> known;  // path -> metadata key
    for (auto it = db.metadata_keys_begin(kMetaGlossaryFile); it != db.metadata_keys_end(kMetaGlossaryFile); ++it) {
      if (auto r = deserialize_record(db.get_metadata(*it))) known[r->path] = *it;
    }
    std::map<std::string, bool> paths;  // path -> named on this command line
    for (const fs::path& p : given) {
      std::error_code ec;
      fs::path abs = fs::absolute(p, ec);
      paths[(ec ? p : abs.lexically_normal()).string()] = true;
    }
    for (const auto& [p, key] : known) paths.try_emplace(p, false);

    bool changed = false;
    for (const auto& [path, named] : paths) {
      const std::string key = schema::bounded_term(kMetaGlossaryFile, path);
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) {
        if (named) {
          if (problem) problem({ProblemKind::kMissing, path, "glossary file not found"});
          continue;
        }
        if (note) note("glossary " + path + " no longer exists; its terms are dropped");
        writer.set_entry(key, nullptr);
        ++summary.dropped;
        changed = true;
        continue;
      }
      const uint64_t size = fs::file_size(path, ec);
      if (ec || size > kMaxGlossaryBytes) {
        if (problem)
          problem({ProblemKind::kUnreadable, path,
                   ec ? "cannot read glossary: " + ec.message() : "glossary larger than 64 MiB"});
        continue;
      }
      std::ifstream in(path, std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      if (!in && !in.eof()) {
        if (problem) problem({ProblemKind::kUnreadable, path, "cannot read glossary"});
        continue;
      }
      const std::string bytes = buf.str();
      const std::string hash = hex(content_hash(bytes));
      std::optional<FileRecord> old;
      if (auto it = known.find(path); it != known.end()) old = deserialize_record(db.get_metadata(it->second));
      if (old && old->hash == hash) continue;
      ParsedGlossary parsed = parse_glossary(bytes, path);
      if (problem)
        for (const Problem& p : parsed.problems) problem(p);
      ++summary.loaded;
      summary.rows += parsed.rows.size();
      if (note)
        note("glossary " + path + ": " + std::to_string(parsed.rows.size()) + " row" +
             (parsed.rows.size() == 1 ? "" : "s") + " loaded" +
             (parsed.problems.empty() ? "" : ", " + std::to_string(parsed.problems.size()) + " skipped") +
             (parsed.encoding != "UTF-8" ? " (converted from " + parsed.encoding + ")" : ""));
      const std::string value = serialize_record({path, hash, parsed.encoding, std::move(parsed.rows)});
      writer.set_entry(key, &value);
      changed = true;
    }

    // The translation tables, from every file's rows.
    std::vector<FileRecord> records;
    for (auto it = db.metadata_keys_begin(kMetaGlossaryFile); it != db.metadata_keys_end(kMetaGlossaryFile); ++it)
      if (auto r = deserialize_record(db.get_metadata(*it))) records.push_back(std::move(*r));
    summary.files = records.size();
    if (!changed) return summary;
    std::map<std::string, std::vector<analysis::StoredTranslation>> table;
    auto add = [&](const std::string& from, const std::string& to, const std::string& to_lang, const std::string& note,
                   const std::string& where) {
      const std::string from_key = analysis::term_key(from), to_key = analysis::term_key(to);
      if (from_key.empty() || to_key.empty() || from_key == to_key) return;
      auto& list = table[from_key];
      auto it = std::find_if(list.begin(), list.end(), [&](const auto& t) { return t.key == to_key; });
      if (it != list.end()) {
        ++it->evidence;
        return;
      }
      list.push_back({to_key, to, to_lang, 1, 0.0, note.empty() ? where : note + " (" + where + ")"});
    };
    for (const FileRecord& r : records)
      for (const GlossaryRow& row : r.rows) {
        const std::string where = fs::path(r.path).filename().string() + ":" + std::to_string(row.line);
        add(row.ko, row.en, "en", row.note, where);
        add(row.en, row.ko, "ko", row.note, where);
      }
    std::vector<std::string> stale;
    for (auto it = db.metadata_keys_begin(analysis::kMetaGlossary); it != db.metadata_keys_end(analysis::kMetaGlossary);
         ++it)
      stale.push_back(*it);
    for (const std::string& k : stale) writer.set_entry(k, nullptr);
    for (const auto& [key, list] : table) {
      const std::string value = analysis::serialize_translations(list);
      writer.set_entry(analysis::translation_meta_key(analysis::kMetaGlossary, key), &value);
    }
    summary.rebuilt = true;
  } catch (const Xapian::Error& e) {
    throw FatalError("cannot update glossaries: " + e.get_description());
  }
  return summary;
}

}  // namespace bisearch::indexer
