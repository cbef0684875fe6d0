// terms.cc: finds a term's translations: glosses in the passages that use it, glossaries, the learned lexicon.
#include "query/terms.h"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/crosslang.h"
#include "analysis/gloss.h"
#include "analysis/schema.h"
#include "query/build_query.h"
#include "query/highlight.h"

namespace bisearch::query {
namespace {

bool has_hangul(std::string_view key) {
  // Hangul syllables are U+AC00..U+D7A3: lead bytes 0xEA..0xED.
  for (unsigned char c : key)
    if (c >= 0xEA && c <= 0xED) return true;
  return false;
}

BuiltQuery term_query(std::string_view term) {
  Clause clause;
  clause.text = std::string(term);
  clause.phrase = term.find_first_of(" \t\n") != std::string_view::npos;
  return build_query({clause}, BuildOptions{});
}

TermExample make_example(const schema::PassageRecord& r, const std::vector<Range>& ranges, size_t chars) {
  TermExample e;
  e.doc_id = r.doc_id;
  e.passage = r.passage;
  e.lang = r.lang;
  const Range w = snippet_window(r.text, ranges, chars);
  e.begin = w.first;
  e.end = w.second;
  e.snippet = r.text.substr(w.first, w.second - w.first);
  return e;
}

struct Evidence {
  std::string lang, kind;
  std::map<std::string, size_t> forms;  // written form -> count
  size_t count = 0;
  std::set<std::string> passages;
  std::vector<TermExample> examples;
};

}  // namespace

TermLookup lookup_term(const Xapian::Database& db, std::string_view term, const TermOptions& options) {
  TermLookup out;
  out.term = std::string(term);
  out.key = analysis::term_key(term);
  out.lang = has_hangul(out.key) ? "ko" : "en";
  if (out.key.empty()) return out;
  const BuiltQuery built = term_query(term);
  if (built.query.empty()) return out;

  Xapian::Enquire enquire(db);
  enquire.set_query(built.query);
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(options.max_passages));
  out.matching_estimate = mset.get_matches_estimated();

  std::map<std::string, Evidence> found;   // "lang\tkey" -> evidence
  std::vector<std::string> order;          // first-seen order, for stable ties
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    auto record = schema::deserialize(it.get_document().get_data());
    if (!record) continue;
    ++out.scanned;
    for (const analysis::Gloss& g : analysis::find_glosses(record->text)) {
      const analysis::GlossTerm* sides[3] = {&g.ko, &g.en, &g.acronym};
      std::string keys[3];
      int self = -1;
      for (int s = 0; s < 3; ++s) {
        if (sides[s]->empty()) continue;
        keys[s] = analysis::term_key(sides[s]->text);
        if (keys[s] == out.key) self = s;
      }
      if (self < 0) continue;
      uint32_t span_begin = g.open;
      for (auto* side : sides)
        if (!side->empty()) span_begin = std::min(span_begin, side->begin);
      for (int s = 0; s < 3; ++s) {
        if (s == self || sides[s]->empty() || keys[s].empty() || keys[s] == out.key) continue;
        const std::string lang = s == 0 ? "ko" : "en";
        const std::string id = lang + '\t' + keys[s];
        auto [pos, fresh] = found.try_emplace(id);
        Evidence& ev = pos->second;
        if (fresh) {
          order.push_back(id);
          ev.lang = lang;
          ev.kind = s == 2 ? "acronym" : (self == 2 && lang == "en") ? "expansion" : "gloss";
        }
        ++ev.forms[sides[s]->text];
        ++ev.count;
        ev.passages.insert(record->doc_id + '#' + std::to_string(record->passage));
        const bool have_lang = std::any_of(ev.examples.begin(), ev.examples.end(),
                                           [&](const TermExample& e) { return e.lang == record->lang; });
        if (!have_lang) ev.examples.push_back(make_example(*record, {{span_begin, g.close}}, options.snippet_chars));
      }
    }
  }

  std::vector<Translation> ranked;
  for (const std::string& id : order) {
    Evidence& ev = found[id];
    Translation t;
    t.text = std::max_element(ev.forms.begin(), ev.forms.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    t.key = id.substr(id.find('\t') + 1);
    t.lang = ev.lang;
    t.kind = ev.kind;
    t.evidence = ev.count;
    t.passages = ev.passages.size();
    t.examples = std::move(ev.examples);
    ranked.push_back(std::move(t));
  }
  for (Translation& t : ranked) t.sources.push_back({"gloss", t.evidence, 0.0});

  // Stored translations: the user's glossaries, then the learned lexicon.
  const std::pair<const char*, const char*> tables[] = {{analysis::kMetaGlossary, "glossary"},
                                                        {analysis::kMetaLexicon, "alignment"}};
  for (const auto& [table, source] : tables) {
    for (const analysis::StoredTranslation& st : analysis::read_translations(db, table, out.key)) {
      if (st.key == out.key) continue;
      auto it = std::find_if(ranked.begin(), ranked.end(), [&](const Translation& t) { return t.key == st.key; });
      if (it == ranked.end()) {
        Translation t;
        t.text = st.text;
        t.key = st.key;
        t.lang = st.lang;
        t.kind = source;
        ranked.push_back(std::move(t));
        it = ranked.end() - 1;
      }
      it->evidence += st.evidence;
      it->sources.push_back({source, st.evidence, st.score});
      if (!st.note.empty() && it->note.empty()) it->note = st.note;
    }
  }
  // A glossary entry is the user's word: first. Then by evidence.
  auto curated = [](const Translation& t) {
    return std::any_of(t.sources.begin(), t.sources.end(), [](const TranslationSource& s) { return s.source == "glossary"; });
  };
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Translation& a, const Translation& b) {
    if (curated(a) != curated(b)) return curated(a);
    if (a.evidence != b.evidence) return a.evidence > b.evidence;
    return a.passages > b.passages;
  });
  if (ranked.size() > options.max_translations) ranked.resize(options.max_translations);

  if (options.examples) {
    // Where the translation itself is used, in its own language.
    for (Translation& t : ranked) {
      const std::string lang = t.lang;
      const bool have = std::any_of(t.examples.begin(), t.examples.end(),
                                    [&](const TermExample& e) { return e.lang == lang; });
      if (have) continue;
      const BuiltQuery q = term_query(t.text);
      if (q.query.empty()) continue;
      Xapian::Enquire e(db);
      e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q.query,
                                Xapian::Query(std::string(schema::kPrefixLang) + lang)));
      const Xapian::MSet m = e.get_mset(0, 1);
      if (m.empty()) continue;
      auto record = schema::deserialize(m.begin().get_document().get_data());
      if (!record) continue;
      t.examples.push_back(make_example(*record, highlight(record->text, q.units), options.snippet_chars));
    }
    for (Translation& t : ranked)
      std::stable_sort(t.examples.begin(), t.examples.end(),
                       [](const TermExample& a, const TermExample& b) { return a.lang == "ko" && b.lang != "ko"; });
  }
  out.translations = std::move(ranked);
  return out;
}

}  // namespace bisearch::query
