// default_lexicon.cc: reads the shipped lexicon and policy glossary (data/lexicon/) once per process.
#include "query/default_lexicon.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/gloss.h"
#include "analysis/hangul.h"
#include "analysis/normalize.h"

#ifndef BISEARCH_DATA_INSTALL_DIR
#define BISEARCH_DATA_INSTALL_DIR ""
#endif
#ifndef BISEARCH_DATA_SOURCE_DIR
#define BISEARCH_DATA_SOURCE_DIR ""
#endif

namespace fs = std::filesystem;

namespace bisearch::query {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    cells.emplace_back(trim(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cells;
}

// Counts bad rows of one file and remembers the first, for one warning line.
struct Damage {
  size_t rows = 0, bad = 0, first_line = 0;
  std::string first_reason;
  void add(size_t line, const std::string& reason) {
    if (bad++ == 0) {
      first_line = line;
      first_reason = reason;
    }
  }
  void report(const std::string& name, DefaultData& out) const {
    if (rows == bad) {
      out.warnings.push_back(name + ": " + (rows == 0 ? "no translation rows" : "no readable row (line " +
                                                                                    std::to_string(first_line) +
                                                                                    ": " + first_reason + ")") +
                             "; searching without it");
    } else if (bad > 0) {
      out.warnings.push_back(name + ": line " + std::to_string(first_line) + ": " + first_reason + " (" +
                             std::to_string(bad) + " of " + std::to_string(rows) + " rows skipped)");
    }
  }
};

// Calls @p row(line_no, cells) for every row that is not blank or a comment;
// invalid UTF-8 lines are counted as damage.
template <typename F>
void for_each_row(std::string_view bytes, Damage& damage, F&& row) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  size_t start = 0, line_no = 0;
  while (start < bytes.size()) {
    size_t nl = bytes.find('\n', start);
    if (nl == std::string_view::npos) nl = bytes.size();
    const std::string_view line = bytes.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    const std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    ++damage.rows;
    if (!analysis::is_valid_utf8(line)) {
      damage.add(line_no, "not valid UTF-8");
      continue;
    }
    if (line.find('\0') != std::string_view::npos) {
      damage.add(line_no, "holds a NUL byte");
      continue;
    }
    if (!row(line_no, split_tabs(line))) --damage.rows;  // a header row
  }
}

void add(std::map<std::string, std::vector<DefaultTranslation>, std::less<>>& table, const std::string& from,
         const std::string& text, const std::string& lang, uint32_t evidence, double score, const std::string& note,
         const std::string& kind) {
  const std::string key = analysis::term_key(text);
  const std::string from_key = analysis::term_key(from);
  if (from_key.empty() || key.empty() || key == from_key) return;
  auto& list = table[from_key];
  auto it = std::find_if(list.begin(), list.end(), [&](const DefaultTranslation& t) { return t.entry.key == key; });
  if (it != list.end()) {
    it->entry.evidence += evidence;
    it->entry.score = std::max(it->entry.score, score);
    return;
  }
  DefaultTranslation t;
  t.entry.key = key;
  t.entry.text = text;
  t.entry.lang = lang;
  t.entry.evidence = evidence;
  t.entry.score = score;
  t.entry.note = note;
  t.kind = kind;
  t.from = from;
  list.push_back(std::move(t));
}

bool is_acronym(std::string_view s) {
  size_t upper = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') ++upper;
    else if (c >= 'a' && c <= 'z') return false;
  }
  return upper >= 2;
}

std::string read_whole(const fs::path& path, std::string* why) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    *why = "missing";
    return {};
  }
  if (!fs::is_regular_file(path, ec)) {
    *why = "not a regular file";
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) {
    *why = "cannot be read";
    return {};
  }
  return s.str();
}

}  // namespace

const std::vector<DefaultTranslation>* DefaultData::find_lexicon(std::string_view key) const {
  auto it = lexicon.find(key);
  return it == lexicon.end() ? nullptr : &it->second;
}

const std::vector<DefaultTranslation>* DefaultData::find_glossary(std::string_view key) const {
  auto it = glossary.find(key);
  return it == glossary.end() ? nullptr : &it->second;
}

void parse_default_lexicon(std::string_view bytes, const std::string& name, DefaultData& out) {
  Damage damage;
  for_each_row(bytes, damage, [&](size_t line, const std::vector<std::string>& c) {
    if (c.size() != 4) {
      damage.add(line, "expected 4 tab-separated columns (ko, en, links, g2), found " + std::to_string(c.size()));
      return true;
    }
    if (!analysis::contains_hangul(c[0]) || analysis::contains_hangul(c[1]) || c[1].empty()) {
      damage.add(line, "expected a Korean term then an English one");
      return true;
    }
    uint32_t links = 0;
    const auto [end, ec] = std::from_chars(c[2].data(), c[2].data() + c[2].size(), links);
    double g2 = 0;
    char* g2_end = nullptr;
    if (!c[3].empty()) g2 = std::strtod(c[3].c_str(), &g2_end);
    if (ec != std::errc() || end != c[2].data() + c[2].size() || links == 0 || c[3].empty() ||
        g2_end != c[3].c_str() + c[3].size()) {
      damage.add(line, "links and g2 must be numbers");
      return true;
    }
    const std::string ko_key = analysis::term_key(c[0]), en_key = analysis::term_key(c[1]);
    if (ko_key.empty() || en_key.empty()) {
      damage.add(line, "a term has no letters or digits");
      return true;
    }
    add(out.lexicon, c[0], c[1], "en", links, g2, "", is_acronym(c[1]) ? "acronym" : "gloss");
    add(out.lexicon, c[1], c[0], "ko", links, g2, "", "gloss");
    ++out.lexicon_rows;
    return true;
  });
  for (auto& [key, list] : out.lexicon)
    std::stable_sort(list.begin(), list.end(), [](const DefaultTranslation& a, const DefaultTranslation& b) {
      return a.entry.evidence > b.entry.evidence;
    });
  damage.report(name, out);
}

void parse_policy_glossary(std::string_view bytes, const std::string& name, DefaultData& out) {
  Damage damage;
  int col_ko = 0, col_en = 1, col_acronym = 2, col_note = 3;
  bool first = true;
  for_each_row(bytes, damage, [&](size_t line, const std::vector<std::string>& c) {
    if (first) {
      first = false;
      int roles[4] = {-1, -1, -1, -1};
      for (size_t i = 0; i < c.size(); ++i) {
        std::string h = c[i];
        std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return std::tolower(ch); });
        const int r = h == "ko" ? 0 : h == "en" ? 1 : h == "acronym" ? 2 : h == "note" ? 3 : -1;
        if (r >= 0 && roles[r] < 0) roles[r] = static_cast<int>(i);
      }
      if (roles[0] >= 0 && roles[1] >= 0) {
        col_ko = roles[0];
        col_en = roles[1];
        col_acronym = roles[2];
        col_note = roles[3];
        return false;
      }
    }
    auto cell = [&](int col) { return col >= 0 && static_cast<size_t>(col) < c.size() ? c[col] : std::string(); };
    const std::string ko = cell(col_ko), en = cell(col_en), acronym = cell(col_acronym), note = cell(col_note);
    if (ko.empty() || en.empty()) {
      damage.add(line, std::string("empty ") + (ko.empty() ? "ko" : "en") + " term");
      return true;
    }
    if (!analysis::contains_hangul(ko) || analysis::contains_hangul(en) || analysis::contains_hangul(acronym)) {
      damage.add(line, "expected a Korean term, then English ones");
      return true;
    }
    const std::string ko_key = analysis::term_key(ko), en_key = analysis::term_key(en);
    const std::string acr_key = analysis::term_key(acronym);
    if (ko_key.empty() || en_key.empty() || (!acronym.empty() && acr_key.empty())) {
      damage.add(line, "a term has no letters or digits");
      return true;
    }
    add(out.glossary, ko, en, "en", 1, 0, note, is_acronym(en) ? "acronym" : "gloss");
    add(out.glossary, en, ko, "ko", 1, 0, note, "gloss");
    if (!acronym.empty()) {
      add(out.glossary, ko, acronym, "en", 1, 0, note, "acronym");
      add(out.glossary, en, acronym, "en", 1, 0, note, "acronym");
      add(out.glossary, acronym, en, "en", 1, 0, note, "expansion");
      add(out.glossary, acronym, ko, "ko", 1, 0, note, "gloss");
    }
    ++out.glossary_rows;
    return true;
  });
  damage.report(name, out);
}

fs::path default_data_dir() {
  if (const char* env = std::getenv("BISEARCH_DATA_DIR"); env && *env) return env;
  const fs::path installed = BISEARCH_DATA_INSTALL_DIR;
  std::error_code ec;
  if (!installed.empty() && fs::is_directory(installed, ec)) return installed;
  return BISEARCH_DATA_SOURCE_DIR;
}

DefaultData load_default_data(const fs::path& dir) {
  DefaultData out;
  const std::pair<const char*, void (*)(std::string_view, const std::string&, DefaultData&)> files[] = {
      {kDefaultLexiconFile, parse_default_lexicon}, {kDefaultGlossaryFile, parse_policy_glossary}};
  for (const auto& [file, parse] : files) {
    const fs::path path = dir / file;
    std::string why;
    const std::string bytes = read_whole(path, &why);
    if (!why.empty()) {
      out.warnings.push_back(path.string() + ": " + why + "; searching without it");
      continue;
    }
    parse(bytes, path.string(), out);
  }
  return out;
}

const DefaultData& default_data() {
  static const DefaultData data = [] {
    DefaultData d = load_default_data(default_data_dir());
    for (const std::string& w : d.warnings) std::cerr << "bisearch: warning: " << w << '\n';
    return d;
  }();
  return data;
}

}  // namespace bisearch::query
