// output.cc: terminal and JSON Lines printers for search results.
#include "query/output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace bisearch::query {
namespace {

constexpr const char* kMatchOn = "\x1b[1;31m";
constexpr const char* kHeadOn = "\x1b[1;32m";
constexpr const char* kDimOn = "\x1b[2m";
constexpr const char* kOff = "\x1b[0m";

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Writes text[window) on one line: whitespace runs become one space and
// highlighted ranges are coloured (or left plain without colour).
void write_snippet(std::ostream& out, std::string_view text, Range window, const std::vector<Range>& hl,
                   bool color) {
  size_t h = 0;
  bool in_match = false, pending_space = false;
  if (window.first > 0) out << "…";
  for (uint32_t i = window.first; i < window.second; ++i) {
    while (h < hl.size() && hl[h].second <= i) ++h;
    const bool match = h < hl.size() && hl[h].first <= i && i < hl[h].second;
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      pending_space = true;
      if (!match && in_match && color) {
        out << kOff;
        in_match = false;
      }
      continue;
    }
    if (pending_space) {
      out << ' ';
      pending_space = false;
    }
    if (color && match != in_match) {
      out << (match ? kMatchOn : kOff);
      in_match = match;
    }
    out << c;
  }
  if (in_match) out << kOff;
  if (window.second < text.size()) out << "…";
  out << '\n';
}

// --- Page or section of a passage (PDF pages, HWP/HWPX sections) ---

// "p. 12", "pp. 12–13", "sec. 2", "secs. 2–3"; "" when the record has none.
std::string place_label(const schema::PassageRecord& r) {
  if (r.place_unit.empty() || r.place_first == 0) return "";
  const bool range = r.place_last > r.place_first;
  std::string s = r.place_unit == "page" ? (range ? "pp. " : "p. ") : (range ? "secs. " : "sec. ");
  s += std::to_string(r.place_first);
  if (range) s += "–" + std::to_string(r.place_last);
  return s;
}

// The "place" member of a JSON hit: {"unit", "first", "last", "label"} or null.
nlohmann::ordered_json place_json(const schema::PassageRecord& r) {
  if (r.place_unit.empty() || r.place_first == 0) return nullptr;
  nlohmann::ordered_json p;
  p["unit"] = r.place_unit;
  p["first"] = r.place_first;
  p["last"] = std::max(r.place_first, r.place_last);
  p["label"] = place_label(r);
  return p;
}

// --- end of page or section ---

// Writes a title, its matched ranges in colour (plain without colour).
void write_title(std::ostream& out, std::string_view title, const std::vector<Range>& hl, bool color) {
  if (!color) {
    out << title;
    return;
  }
  size_t at = 0;
  out << kDimOn;
  for (const auto& [b, e] : hl) {
    if (b < at || e > title.size() || b >= e) continue;
    out << title.substr(at, b - at) << kOff << kMatchOn << title.substr(b, e - b) << kOff << kDimOn;
    at = e;
  }
  out << title.substr(at) << kOff;
}

// "123 passages" when the count is exact, "about 123 passages" otherwise.
std::string count_phrase(const SearchResult& result) {
  const uint64_t n = result.total_estimate;
  return std::string(result.total_exact ? "" : "about ") + std::to_string(n) + (n == 1 ? " passage" : " passages");
}

nlohmann::ordered_json ranges_json(const std::vector<Range>& ranges) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& [b, e] : ranges) a.push_back({b, e});
  return a;
}

}  // namespace

bool has_matches(const SearchResult& result) { return !result.hits.empty() || result.total_estimate > 0; }

std::string total_line(std::string_view query, const SearchResult& result, const SearchOptions& search) {
  std::string line;
  if (result.total_estimate == 0 && result.hits.empty()) {
    line = "no passages match \"" + std::string(query) + "\"";
  } else if (result.hits.empty()) {
    // A page past the end: say how many there are.
    line = "no passages at offset " + std::to_string(search.offset) + ": the query matches " + count_phrase(result);
    if (result.total_exact && result.total_estimate > 0)
      line += " (the last page starts at --offset " +
              std::to_string((result.total_estimate - 1) / search.limit * search.limit) + ")";
  } else {
    line = "passages " + std::to_string(search.offset + 1) + "–" + std::to_string(search.offset + result.hits.size()) +
           " of " + (result.total_exact ? "" : "about ") + std::to_string(result.total_estimate);
  }
  if (!result.date_first.empty()) {
    line += result.date_first == result.date_last ? ", dated " + result.date_first
                                                   : ", dated " + result.date_first + " to " + result.date_last;
  }
  return line;
}

void print_text(std::ostream& out, std::string_view query, const SearchResult& result,
                const SearchOptions& search, const OutputOptions& options) {
  if (options.explain) {
    out << "query: " << result.description << '\n';
    for (const Expansion& e : result.expansions)
      out << "cross: " << e.clause << " -> " << e.text << " [" << e.lang << ", " << e.kind << ", evidence "
          << e.evidence << ", weight " << e.weight << "]\n";
  }
  for (const Hit& hit : result.hits) {
    const auto& r = hit.record;
    char score[32];
    snprintf(score, sizeof score, "%.3f", hit.score);
    if (options.color) out << kHeadOn;
    out << hit.rank << ". " << r.doc_id << " #" << r.passage;
    if (const std::string place = place_label(r); !place.empty()) out << " (" << place << ")";
    if (options.color) out << kOff;
    out << " [" << r.lang << "] " << score;
    if (!r.title.empty()) {
      out << " — ";
      write_title(out, r.title, hit.title_highlights, options.color);
    }
    if (hit.title_only) out << " (matched in title only)";
    out << '\n' << "   ";
    write_snippet(out, r.text, snippet_window(r.text, hit.highlights, options.snippet_chars), hit.highlights,
                  options.color);
    if (hit.counterpart) {
      // The aligned translation, its opening as long as the snippet.
      const auto& c = *hit.counterpart;
      if (options.color) out << kDimOn;
      out << "   ⇄ " << c.lang << " #" << c.passage << (c.doc_id != r.doc_id ? " " + c.doc_id : std::string()) << ": ";
      write_snippet(out, c.text, snippet_window(c.text, {}, options.snippet_chars), {}, false);
      if (options.color) out << kOff;
    }
    if (hit.more_in_doc > 0 || !hit.copies.empty()) {
      if (options.color) out << kDimOn;
      if (hit.more_in_doc > 0) out << "   +" << hit.more_in_doc << " more in this document\n";
      if (!hit.copies.empty()) {
        out << "   same text also at:";
        for (size_t i = 0; i < hit.copies.size(); ++i) out << (i ? ", " : " ") << hit.copies[i];
        out << '\n';
      }
      if (options.color) out << kOff;
    }
  }
  out << total_line(query, result, search) << '\n';
  for (const Facet& f : result.facets) {
    out << "  " << f.name << ":";
    if (f.values.empty()) out << " (none)";
    for (size_t i = 0; i < f.values.size(); ++i)
      out << (i ? ", " : " ") << (f.values[i].first.empty() ? "(none)" : f.values[i].first) << ' '
          << f.values[i].second;
    out << '\n';
  }
}

nlohmann::ordered_json hit_json(const Hit& hit, const std::string* query_id) {
  const auto& r = hit.record;
  nlohmann::ordered_json j;
  j["type"] = "hit";
  if (query_id) j["query_id"] = *query_id;
  j["rank"] = hit.rank;
  j["score"] = hit.score;
  j["doc_id"] = r.doc_id;
  j["title"] = r.title;
  j["passage"] = r.passage;
  j["lang"] = r.lang;
  j["date"] = r.date;
  j["url"] = r.url;
  j["source"] = r.source;
  j["begin"] = r.begin;
  j["end"] = r.end;
  j["place"] = place_json(r);
  j["text"] = r.text;
  j["highlights"] = ranges_json(hit.highlights);
  j["title_highlights"] = ranges_json(hit.title_highlights);
  j["title_only"] = hit.title_only;
  j["more_in_doc"] = hit.more_in_doc;
  j["copies"] = hit.copies;
  if (hit.counterpart) {
    nlohmann::ordered_json c;
    c["doc_id"] = hit.counterpart->doc_id;
    c["passage"] = hit.counterpart->passage;
    c["lang"] = hit.counterpart->lang;
    c["text"] = hit.counterpart->text;
    j["counterpart"] = std::move(c);
  } else {
    j["counterpart"] = nullptr;
  }
  return j;
}

nlohmann::ordered_json summary_json(const std::string* query_id, std::string_view query, const SearchResult& result,
                                    const SearchOptions& search) {
  nlohmann::ordered_json s;
  s["type"] = "summary";
  if (query_id) s["query_id"] = *query_id;
  s["query"] = std::string(query);
  s["parsed"] = result.description;
  s["total_estimate"] = result.total_estimate;
  s["total_exact"] = result.total_exact;
  s["returned"] = result.hits.size();
  s["offset"] = search.offset;
  s["limit"] = search.limit;
  s["per_doc"] = search.per_doc;
  s["date_first"] = result.date_first.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(result.date_first);
  s["date_last"] = result.date_last.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(result.date_last);
  auto& facets = s["facets"] = nlohmann::ordered_json::object();
  for (const Facet& f : result.facets) {
    auto& values = facets[f.name] = nlohmann::ordered_json::array();
    for (const auto& [value, count] : f.values) values.push_back({{"value", value}, {"count", count}});
  }
  auto& ex = s["expansions"] = nlohmann::ordered_json::array();
  for (const Expansion& e : result.expansions) {
    nlohmann::ordered_json j;
    j["clause"] = e.clause;
    j["text"] = e.text;
    j["lang"] = e.lang;
    j["kind"] = e.kind;
    j["evidence"] = e.evidence;
    j["weight"] = e.weight;
    ex.push_back(std::move(j));
  }
  return s;
}

void print_json(std::ostream& out, const std::string* query_id, std::string_view query,
                const SearchResult& result, const SearchOptions& search) {
  for (const Hit& hit : result.hits) out << dump(hit_json(hit, query_id)) << '\n';
  out << dump(summary_json(query_id, query, result, search)) << '\n';
}

void print_json_error(std::ostream& out, const std::string* query_id, std::string_view query,
                      std::string_view message) {
  nlohmann::ordered_json j;
  j["type"] = "error";
  if (query_id) j["query_id"] = *query_id;
  j["query"] = std::string(query);
  j["message"] = std::string(message);
  out << dump(j) << '\n';
}

void print_terms_text(std::ostream& out, const TermLookup& lookup, const OutputOptions& options) {
  size_t rank = 0;
  for (const Translation& t : lookup.translations) {
    if (options.color) out << kHeadOn;
    out << ++rank << ". " << t.text;
    if (options.color) out << kOff;
    out << " [" << t.lang << ", " << t.kind << "] evidence " << t.evidence;
    for (size_t i = 0; i < t.sources.size(); ++i) {
      const TranslationSource& s = t.sources[i];
      out << (i == 0 ? " (" : ", ") << s.source << ' ' << s.evidence;
      if (s.source == "gloss") out << " in " << t.passages << (t.passages == 1 ? " passage" : " passages");
      if (s.source == "alignment") out << " sentence pair" << (s.evidence == 1 ? "" : "s");
      if (s.source == "glossary" || s.source == "default-glossary") out << (s.evidence == 1 ? " row" : " rows");
      if (s.source == "default-lexicon") out << " sentence pair" << (s.evidence == 1 ? "" : "s") << " of open parallel text";
      if (i + 1 == t.sources.size()) out << ')';
    }
    out << "; used in " << t.index_passages << (t.index_passages == 1 ? " passage" : " passages") << " here";
    if (!t.note.empty()) out << " — " << t.note;
    out << '\n';
    for (const TermExample& e : t.examples) {
      out << "   " << e.lang << ": " << e.doc_id << " #" << e.passage << "  ";
      write_snippet(out, e.snippet, {0, static_cast<uint32_t>(e.snippet.size())}, {}, false);
    }
  }
  if (lookup.translations.empty())
    out << "no translations of \"" << lookup.term << "\" found (" << lookup.scanned << " passages searched)\n";
  else
    out << lookup.translations.size() << " translation" << (lookup.translations.size() == 1 ? "" : "s") << " of \""
        << lookup.term << "\", used in " << lookup.matching_estimate
        << (lookup.matching_estimate == 1 ? " passage" : " passages") << " here (glosses in " << lookup.scanned
        << (lookup.scanned == 1 ? " passage" : " passages") << " searched, glossaries, aligned text, the shipped lexicon)\n";
}

nlohmann::ordered_json translation_json(const Translation& t, size_t rank) {
  nlohmann::ordered_json j;
  j["type"] = "translation";
  j["rank"] = rank;
  j["text"] = t.text;
  j["lang"] = t.lang;
  j["kind"] = t.kind;
  j["evidence"] = t.evidence;
  j["passages"] = t.passages;
  j["index_passages"] = t.index_passages;
  auto& src = j["sources"] = nlohmann::ordered_json::array();
  for (const TranslationSource& s : t.sources) {
    nlohmann::ordered_json x;
    x["source"] = s.source;
    x["evidence"] = s.evidence;
    if (s.source == "alignment" || s.source == "default-lexicon") x["score"] = s.score;
    src.push_back(std::move(x));
  }
  if (!t.note.empty()) j["note"] = t.note;
  auto& ex = j["examples"] = nlohmann::ordered_json::array();
  for (const TermExample& e : t.examples) {
    nlohmann::ordered_json x;
    x["doc_id"] = e.doc_id;
    x["passage"] = e.passage;
    x["lang"] = e.lang;
    x["snippet"] = e.snippet;
    x["begin"] = e.begin;
    x["end"] = e.end;
    ex.push_back(std::move(x));
  }
  return j;
}

nlohmann::ordered_json terms_summary_json(const TermLookup& lookup) {
  nlohmann::ordered_json s;
  s["type"] = "summary";
  s["term"] = lookup.term;
  s["key"] = lookup.key;
  s["lang"] = lookup.lang;
  s["translations"] = lookup.translations.size();
  s["matching_estimate"] = lookup.matching_estimate;
  s["scanned"] = lookup.scanned;
  return s;
}

void print_terms_json(std::ostream& out, const TermLookup& lookup) {
  size_t rank = 0;
  for (const Translation& t : lookup.translations) out << dump(translation_json(t, ++rank)) << '\n';
  out << dump(terms_summary_json(lookup)) << '\n';
}

}  // namespace bisearch::query
