// expand.cc: turns the translations of each query clause into weighted alternatives, as the query's context allows.
#include "query/expand.h"

#include <algorithm>
#include <set>

#include "analysis/hangul.h"

namespace bisearch::query {
namespace {

// A plain word clause: no phrase, no operator; only these join runs.
bool plain(const Clause& c) {
  return !c.phrase && c.modifier == Modifier::kNone && c.or_group == 0 && !c.title &&
         c.text.find(' ') == std::string::npos;
}

bool has_lower(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}
bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
// An acronym as written: two or more capitals, no lower case (UN, U.S., NCG).
bool acronym_form(std::string_view s) {
  return !has_lower(s) && std::count_if(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) >= 2;
}
// Capitalised: a capital first, then lower case (Moon, Jae-in is not; Un is).
bool capitalised(std::string_view s) { return !s.empty() && s[0] >= 'A' && s[0] <= 'Z' && has_lower(s); }

bool english_title(std::string_view w) {
  static const std::set<std::string, std::less<>> titles = {
      "President", "Mr",       "Mr.",       "Mrs",     "Mrs.",    "Ms",     "Ms.",      "Dr",       "Dr.",
      "Chairman",  "Chairwoman", "Premier", "Minister", "Secretary", "General", "Ambassador", "Senator", "Leader",
      "Chancellor", "King",    "Queen",     "Prince",  "Governor", "Mayor",  "Speaker",  "Representative"};
  return titles.count(w) > 0;
}

bool korean_title(std::string_view w) {
  static const std::vector<std::string_view> titles = {"대통령", "위원장", "총비서", "장관", "총리", "의원",
                                                       "대표",   "대사",   "여사",   "씨",   "의장", "국무위원장"};
  return std::any_of(titles.begin(), titles.end(), [&](std::string_view t) { return w.starts_with(t); });
}

size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Whether the query's context shows clause i to be part of a name.
bool name_part(const std::vector<Clause>& cs, size_t i) {
  const std::string& w = cs[i].text;
  auto neighbour = [&](size_t j) { return j < cs.size() && plain(cs[j]) && !cs[j].stop; };
  if (capitalised(w) && !english_title(w)) {
    if (i > 0 && neighbour(i - 1) && (capitalised(cs[i - 1].text) || english_title(cs[i - 1].text))) return true;
    if (neighbour(i + 1) && capitalised(cs[i + 1].text) && !english_title(cs[i + 1].text)) return true;
  }
  return false;
}

// A Korean surname alone before a title (문 대통령, 박 전 대통령).
bool korean_surname(const std::vector<Clause>& cs, size_t i) {
  const std::string& w = cs[i].text;
  if (!analysis::contains_hangul(w) || code_points(w) != 1) return false;
  for (size_t j = i + 1; j < cs.size() && j <= i + 2; ++j) {
    if (!plain(cs[j])) return false;
    if (korean_title(cs[j].text)) return true;
    if (cs[j].text != "전") return false;  // 전 (former) may come between
  }
  return false;
}

}  // namespace

std::vector<Expansion> find_expansions(const Xapian::Database& db,
                                       const std::vector<Clause>& clauses, const ExpandOptions& options) {
  std::vector<Expansion> out;
  TermOptions term_options;
  term_options.max_passages = options.max_passages;
  term_options.max_translations = options.max_per_clause + 7;  // some may be unused by the index
  term_options.examples = false;
  term_options.default_lexicon = options.default_lexicon;
  term_options.defaults = options.defaults;
  std::set<std::string> seen;

  // The usable translations of @p text typed as such, in the context given.
  auto expand = [&](const std::string& text, const std::string& anchor, bool in_name) {
    if (!seen.insert(text).second) return false;
    const TermLookup found = lookup_term(db, text, term_options);
    const bool typed_lower = has_lower(text);
    size_t added = 0;
    for (const Translation& t : found.translations) {
      if (added == options.max_per_clause) break;
      const bool shipped = t.has_source(kSourceDefaultGlossary) || t.has_source(kSourceDefaultLexicon);
      if (t.evidence < options.min_evidence && !shipped) continue;
      // The source wrote the term as an acronym, the user did not (Un, UN).
      if (typed_lower && acronym_form(t.term_form)) continue;
      if (typed_lower && t.kind == "expansion") continue;
      // A name's part, known to the source as a common noun (Moon, moon).
      if (in_name && !t.term_form.empty() && !has_upper(t.term_form)) continue;
      // Shipped data alone says what a term usually means: used only when
      // passages of the translation's language here hold it.
      if (t.evidence == 0 ? !used_in_language(db, t.text, t.lang) : passages_using(db, t.text, 0) == 0)
        continue;
      out.push_back({text, anchor, t.text, t.lang, t.kind, t.evidence, t.sources.empty() ? "" : t.sources[0].source,
                     options.weight});
      ++added;
    }
    return added > 0;
  };

  std::vector<bool> covered(clauses.size(), false);
  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    if (c.modifier == Modifier::kExcluded || covered[i]) continue;
    // Neighbouring words that are one known term: longest first.
    if (plain(c)) {
      size_t run = 1;
      while (i + run < clauses.size() && run < options.max_words && plain(clauses[i + run])) ++run;
      for (size_t n = run; n >= 2; --n) {
        std::string text = c.text;
        for (size_t k = 1; k < n; ++k) text += ' ' + clauses[i + k].text;
        if (expand(text, c.text, false)) {
          for (size_t k = 0; k < n; ++k) covered[i + k] = true;
          break;
        }
      }
      if (covered[i]) continue;
      if (korean_surname(clauses, i)) continue;
    }
    expand(c.text, c.text, plain(c) && name_part(clauses, i));
  }
  return out;
}

Alternatives to_alternatives(const std::vector<Expansion>& expansions) {
  Alternatives alternatives;
  for (const Expansion& e : expansions)
    alternatives[e.anchor.empty() ? e.clause : e.anchor].push_back({e.text, e.weight});
  return alternatives;
}

}  // namespace bisearch::query
