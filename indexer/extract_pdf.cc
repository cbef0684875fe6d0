// extract_pdf.cc: PDF to text blocks with poppler's C++ API: one page at a time, lines joined into paragraphs.
//
// Poppler gives each page's text as lines in reading order. Lines are
// joined into paragraphs here: a blank line, a line much shorter than the
// page's longest, or a more indented next line ends a paragraph; a line that
// is only a page number (12, ix) at the top or bottom of a page is dropped.
// Inside a paragraph, lines are joined with the document itself as the
// dictionary. A hyphen at a line end (-, U+2010, U+2011) is kept with no
// space after it (isc‑dhcp‑\nserver), but dropped when the word without it
// occurs elsewhere in the document (preconfigura‑\ntion) or, for '-' before
// a lower-case letter, when the hyphenated form does not. A line break
// between two Hangul syllables is decided the same way, because Korean is set with breaks both between words and
// inside them (설치\n설명서 but 않습\n니다): the two halves are joined when
// the joined word, or its stem (particles and endings stripped, hangul.h)
// reaching into the second half, occurs elsewhere in the document; kept
// apart when both halves do and the joined word does not; otherwise joined
// when the second half is a particle or ending the analyzer strips.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <ctime>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "analysis/hangul.h"
#include "indexer/formats.h"
#include "indexer/segment.h"

namespace bisearch::indexer {
namespace {

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array b = s.to_utf8();
  std::string out(b.begin(), b.end());
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

// Code point decoding, lenient (invalid bytes give U+FFFD).
char32_t decode_at(std::string_view s, size_t i, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + n > s.size()) n = 1;
  char32_t cp = n == 1 ? (c < 0x80 ? c : 0xFFFD) : (c & (0x7F >> n));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *len = n;
  return cp;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0, n = 0; i < s.size(); i += n) out += decode_at(s, i, &n);
  return out;
}

char32_t first_char(std::string_view s) {
  size_t n = 0;
  return s.empty() ? 0 : decode_at(s, 0, &n);
}

char32_t last_char(std::string_view s) {
  if (s.empty()) return 0;
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  size_t n = 0;
  return decode_at(s, i, &n);
}

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space_byte(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_byte(s.back())) s.remove_suffix(1);
  return s;
}

size_t indent_of(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_space_byte(s[i])) ++i;
  return i;
}

// The Hangul syllables at the end / start of a line's last / first word.
std::u32string hangul_tail(std::string_view line) {
  const std::u32string u = decode(line);
  size_t b = u.size();
  while (b > 0 && analysis::is_hangul_syllable(u[b - 1])) --b;
  return u.substr(b);
}

std::u32string hangul_head(std::string_view line) {
  const std::u32string u = decode(line);
  size_t e = 0;
  while (e < u.size() && analysis::is_hangul_syllable(u[e])) ++e;
  return u.substr(0, e);
}

// Lower-case Roman numeral of @p n (1..399), as front matter pages are numbered.
std::string roman(int n) {
  static const char* hundreds[] = {"", "c", "cc", "ccc"};
  static const char* tens[] = {"", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"};
  static const char* ones[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
  return std::string(hundreds[n / 100]) + tens[n / 10 % 10] + ones[n % 10];
}

bool is_page_number(std::string_view line) {
  if (line.empty() || line.size() > 8) return false;
  if (line.find_first_not_of("0123456789") == std::string_view::npos) return true;
  static const std::unordered_map<std::string, int> numerals = [] {
    std::unordered_map<std::string, int> m;
    for (int n = 1; n < 400; ++n) m[roman(n)] = n;
    return m;
  }();
  return numerals.count(std::string(line)) > 0;
}

// The words of a document that are inside lines (not touching a line's
// ends, where they may be halves), counted: runs of Hangul syllables, and
// space-separated tokens (for hyphens at line ends).
class DocumentWords {
 public:
  void add_line(std::string_view line) {
    size_t t = line.find(' ');
    while (t != std::string_view::npos) {
      const size_t e = line.find(' ', t + 1);
      if (e == std::string_view::npos) break;  // the last token
      const std::string_view token = trim_punct(line.substr(t + 1, e - t - 1));
      if (!token.empty()) ++tokens_[std::string(token)];
      t = e;
    }
    const std::u32string u = decode(line);
    size_t i = 0;
    while (i < u.size()) {
      if (!analysis::is_hangul_syllable(u[i])) {
        ++i;
        continue;
      }
      size_t e = i;
      while (e < u.size() && analysis::is_hangul_syllable(u[e])) ++e;
      if (i > 0 && e < u.size()) {
        const std::u32string w = u.substr(i, e - i);
        ++counts_[w];
        ++stems_[stem(w)];
      }
      i = e;
    }
  }
  size_t count(const std::u32string& w) const {
    const auto it = counts_.find(w);
    return it == counts_.end() ? 0 : it->second;
  }
  /// How many words have the stem @p s (particles and endings stripped).
  size_t stem_count(const std::u32string& s) const {
    const auto it = stems_.find(s);
    return it == stems_.end() ? 0 : it->second;
  }
  static std::u32string stem(const std::u32string& w) { return w.substr(0, w.size() - analysis::strip_suffix_length(w)); }
  /// How many space-separated tokens (surrounding punctuation trimmed) are @p t.
  size_t token_count(std::string_view t) const {
    const auto it = tokens_.find(std::string(t));
    return it == tokens_.end() ? 0 : it->second;
  }
  static std::string_view trim_punct(std::string_view t) {
    constexpr std::string_view kPunct = "()[]{}<>,.;:!?\"'`";
    while (!t.empty() && kPunct.find(t.front()) != std::string_view::npos) t.remove_prefix(1);
    while (!t.empty() && kPunct.find(t.back()) != std::string_view::npos) t.remove_suffix(1);
    return t;
  }

 private:
  std::unordered_map<std::string, size_t> tokens_;
  std::unordered_map<std::u32string, size_t> counts_;
  std::unordered_map<std::u32string, size_t> stems_;
};

// Whether a break between Hangul halves @p a | @p b is inside one word.
bool joins_word(const std::u32string& a, const std::u32string& b, const DocumentWords& words) {
  const std::u32string joined = a + b;
  if (words.count(joined) > 0) return true;
  // 업로|드한: 업로드 is the stem of other words (업로드를, 업로드하고).
  const std::u32string stem = DocumentWords::stem(joined);
  if (stem.size() > a.size() && words.stem_count(stem) > 0) return true;
  if (words.count(a) > 0 && words.count(b) > 0) return false;
  return analysis::strip_suffix_length(joined, 1) >= b.size();
}

// Appends line @p next to paragraph @p para.
void join_line(std::string& para, std::string_view next, const DocumentWords& words) {
  if (para.empty()) {
    para = next;
    return;
  }
  const char32_t a = last_char(para), b = first_char(next);
  const bool hyphen = a == U'-' || a == U'\u2010' || a == U'\u2011';
  if (hyphen && std::isalnum(static_cast<unsigned char>(b))) {
    // "preconfigura‑ tion" or "isc‑dhcp‑ server": the document says which.
    const size_t hyphen_bytes = a == U'-' ? 1 : 3;
    const size_t space = para.rfind(' ');
    const std::string_view head = DocumentWords::trim_punct(std::string_view(para).substr(
        space == std::string::npos ? 0 : space + 1));
    const std::string_view stem = head.substr(0, head.size() >= hyphen_bytes ? head.size() - hyphen_bytes : 0);
    const std::string_view tail = DocumentWords::trim_punct(next.substr(0, std::min(next.find(' '), next.size())));
    const std::string joined = std::string(stem) + std::string(tail);
    const std::string hyphenated = std::string(head) + std::string(tail);
    const bool drop = !stem.empty() && (words.token_count(joined) > 0 ||
                                        (std::isalpha(static_cast<unsigned char>(stem.back())) && a == U'-' &&
                                         b >= U'a' && b <= U'z' && words.token_count(hyphenated) == 0));
    if (drop) para.resize(para.size() - hyphen_bytes);  // a word hyphenated at the line end
    para += next;
    return;
  }
  if (analysis::is_hangul_syllable(a) && analysis::is_hangul_syllable(b) &&
      joins_word(hangul_tail(para), hangul_head(next), words)) {
    para += next;
    return;
  }
  para += ' ';
  para += next;
}

void quiet_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

}  // namespace

void extract_pdf(std::string_view bytes, const FormatLimits& limits, Extracted* out) {
  quiet_poppler();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) throw FormatError(ProblemKind::kTooLarge, "PDF larger than 2 GiB");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) throw FormatError(ProblemKind::kDamaged, "damaged PDF (poppler cannot open it)");
  if (doc->is_locked())
    throw FormatError(ProblemKind::kNotIndexable, "password-protected PDF: its text is encrypted; not indexable");
  const int pages = doc->pages();
  if (pages > limits.max_pages)
    throw FormatError(ProblemKind::kTooLarge, "PDF of " + std::to_string(pages) + " pages, more than " +
                                                  std::to_string(limits.max_pages) + "; not indexed");
  out->title = collapse_spaces(utf8(doc->info_key("Title")));
  const time_t created = doc->info_date_t("CreationDate");
  if (created > 0) {
    struct tm tm {};
    char date[16];
    if (gmtime_r(&created, &tm) && strftime(date, sizeof date, "%Y-%m-%d", &tm)) out->date = date;
  }
  out->unit = "page";

  // Every page's lines first: the whole document is the dictionary for joins.
  std::vector<std::vector<std::string>> page_lines(static_cast<size_t>(pages));
  size_t total = 0;
  DocumentWords words;
  for (int p = 0; p < pages; ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page) continue;
    const std::string text = utf8(page->text());
    total += text.size();
    if (total > limits.max_text_bytes)
      throw FormatError(ProblemKind::kTooLarge,
                        "more than " + std::to_string(limits.max_text_bytes >> 20) + " MiB of text; not indexed");
    std::vector<std::string>& lines = page_lines[static_cast<size_t>(p)];
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find_first_of("\n\f", start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      words.add_line(trim(line));
      lines.push_back(std::move(line));
      start = nl + 1;
    }
  }

  for (size_t p = 0; p < page_lines.size(); ++p) {
    std::vector<std::string>& lines = page_lines[p];
    // A page number alone at the top or bottom is not text.
    auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return !trim(l).empty(); });
    if (first != lines.end() && is_page_number(trim(*first))) first->clear();
    auto last = std::find_if(lines.rbegin(), lines.rend(), [](const std::string& l) { return !trim(l).empty(); });
    if (last != lines.rend() && is_page_number(trim(*last))) last->clear();
    size_t widest = 0;
    for (const std::string& l : lines) widest = std::max(widest, display_width(trim(l)));
    std::string para;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = trim(lines[i]);
      if (line.empty()) {
        out->add(collapse_spaces(para), static_cast<uint32_t>(p + 1), limits.max_text_bytes);
        para.clear();
        continue;
      }
      join_line(para, line, words);
      const bool short_line = display_width(line) * 10 < widest * 8;
      const bool next_indented = i + 1 < lines.size() && !trim(lines[i + 1]).empty() &&
                                 indent_of(lines[i + 1]) > indent_of(lines[i]) + 1;
      if (short_line || next_indented) {
        out->add(collapse_spaces(para), static_cast<uint32_t>(p + 1), limits.max_text_bytes);
        para.clear();
      }
    }
    out->add(collapse_spaces(para), static_cast<uint32_t>(p + 1), limits.max_text_bytes);
  }
}

}  // namespace bisearch::indexer
