// terms.cc: finds a term's translations: glosses in the passages that use it, glossaries, the learned lexicon.
#include "query/terms.h"

#include <algorithm>
#include <map>

#include "analysis/crosslang.h"
#include "analysis/gloss.h"
#include "analysis/hangul.h"
#include "analysis/normalize.h"
#include "analysis/schema.h"
#include "query/build_query.h"
#include "query/highlight.h"

namespace bisearch::query {
namespace {

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


// An English translation's words, each stemmed: forms that differ only in
// inflection (strategy, strategies) share it. Korean and acronyms: the key.
std::string form_key(const Translation& t) {
  if (t.lang != "en") return t.key;
  // One per thread: a stemmer keeps state while it works (bisearch-serve
  // looks terms up on several threads).
  thread_local const Xapian::Stem stem("english");
  std::string out;
  size_t start = 0;
  while (start <= t.key.size()) {
    size_t space = t.key.find(' ', start);
    if (space == std::string::npos) space = t.key.size();
    if (space > start) {
      if (!out.empty()) out += ' ';
      out += stem(t.key.substr(start, space - start));
    }
    start = space + 1;
  }
  return out;
}

// How much a source's written form is trusted: the user's glossary, then
// the shipped glossary and lexicon (the forms users expect), then the
// index's glosses and alignments.
int form_rank(const Translation& t) {
  if (t.has_source("glossary")) return 0;
  if (t.has_source(kSourceDefaultGlossary)) return 1;
  if (t.has_source(kSourceDefaultLexicon)) return 2;
  return 3;
}

// The shipped data's strength for ranking: its sentence pairs.
size_t default_links(const Translation& t) {
  for (const TranslationSource& s : t.sources)
    if (s.source == kSourceDefaultLexicon) return s.evidence;
  return 0;
}

// Hangul syllables, digits and ASCII letters of @p s (folded): spacing and
// middle dots do not count.
std::u32string letters(std::string_view s) {
  std::u32string out;
  for (const analysis::NormChar& c : analysis::normalize(s))
    if (analysis::is_hangul_syllable(c.cp) || (c.cp >= '0' && c.cp <= '9') || (c.cp >= 'a' && c.cp <= 'z'))
      out.push_back(c.cp);
  return out;
}

// Whether @p typed is the shipped entry written @p written, perhaps with
// particles after it. The key (term_key) also strips endings that belong to
// a word (구축함 -> 구축, 잠수함 -> 잠수), so the key alone would give 구축
// the row 구축함 -> destroyer.
bool typed_as(std::string_view typed, std::string_view written) {
  const std::u32string t = letters(typed), w = letters(written);
  if (w.empty() || t.size() < w.size() || t.compare(0, w.size(), w) != 0) return false;
  return t.size() == w.size() || analysis::strip_suffix_length(t, w.size()) == t.size() - w.size();
}

}  // namespace

bool Translation::has_source(std::string_view source) const {
  return std::any_of(sources.begin(), sources.end(), [&](const TranslationSource& s) { return s.source == source; });
}

uint64_t passages_using(const Xapian::Database& db, std::string_view text, size_t check) {
  const BuiltQuery built = term_query(text);
  if (built.query.empty()) return 0;
  Xapian::Enquire enquire(db);
  enquire.set_query(built.query);
  // The query is an AND of the term's parts (no positions in the index):
  // the share of the first candidates that really hold the term (text or
  // title) scales Xapian's estimate; exact when few.
  const Xapian::MSet m = enquire.get_mset(0, check == 0 ? 10 : check, check);
  const Matcher units(built.units);
  size_t held = 0;
  for (auto it = m.begin(); it != m.end(); ++it) {
    auto record = schema::read_record(it.get_document(), db);
    if (record && (!units.find(record->text).empty() || !units.find(record->title).empty())) {
      ++held;
      if (check == 0) return 1;
    }
  }
  if (check == 0) return 0;
  if (m.empty()) return 0;
  if (m.size() == m.get_matches_estimated()) return held;
  return static_cast<uint64_t>(static_cast<double>(m.get_matches_estimated()) * held / m.size() + 0.5);
}

bool used_in_language(const Xapian::Database& db, std::string_view text, std::string_view lang) {
  const BuiltQuery built = term_query(text);
  if (built.query.empty()) return false;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, built.query,
                                  Xapian::Query(std::string(schema::kPrefixLang) + std::string(lang))));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  // Without a sequence (one word, no positions needed) every match holds it.
  if (!built.needs_check) return !enquire.get_mset(0, 1, 1).empty();
  const Matcher units(built.units);
  const Xapian::MSet m = enquire.get_mset(0, 10);
  for (auto it = m.begin(); it != m.end(); ++it) {
    auto record = schema::read_record(it.get_document(), db);
    if (record && (!units.find(record->text).empty() || !units.find(record->title).empty())) return true;
  }
  return false;
}

TermLookup lookup_term(const Xapian::Database& db, std::string_view term, const TermOptions& options) {
  TermLookup out;
  out.term = std::string(term);
  out.key = analysis::term_key(term);
  out.lang = analysis::contains_hangul(out.key) ? "ko" : "en";
  if (out.key.empty()) return out;
  // How many passages use the term: only for the --terms report (query
  // expansion, which looks up every query word, skips the search).
  if (options.examples) out.matching_estimate = passages_using(db, term);

  // Glosses: the index holds a term per gloss pair (analysis/crosslang.h);
  // its termfreq is the evidence, a few of its passages give the written
  // forms and an example.
  std::vector<Translation> ranked;
  const std::string prefix = analysis::gloss_pair_prefix(out.key);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string pair = *it;
    if (pair.size() < prefix.size() + 2) continue;
    const char kind = pair[prefix.size()];
    Translation t;
    t.key = pair.substr(prefix.size() + 1);
    t.lang = kind == 'g' && analysis::contains_hangul(t.key) ? "ko" : "en";
    t.kind = kind == 'a' ? "acronym" : kind == 'e' ? "expansion" : "gloss";
    t.evidence = it.get_termfreq();
    t.passages = t.evidence;
    std::map<std::string, size_t> forms, self_forms;
    size_t read = 0;
    for (auto p = db.postlist_begin(pair); p != db.postlist_end(pair) && read < options.max_passages; ++p) {
      ++read;
      auto record = schema::read_record(db.get_document(*p), db);
      if (!record) continue;
      ++out.scanned;
      for (const analysis::Gloss& g : analysis::find_glosses(record->text)) {
        const analysis::GlossTerm* sides[3] = {&g.ko, &g.en, &g.acronym};
        const analysis::GlossTerm* self = nullptr;
        const analysis::GlossTerm* other = nullptr;
        for (const auto* side : sides) {
          if (side->empty()) continue;
          const std::string k = analysis::term_key(side->text);
          if (k == out.key && !self) self = side;
          else if (k == t.key && !other) other = side;
        }
        if (!self || !other) continue;
        ++forms[other->text];
        ++self_forms[self->text];
        const bool have_lang = std::any_of(t.examples.begin(), t.examples.end(),
                                           [&](const TermExample& e) { return e.lang == record->lang; });
        if (!have_lang) {
          uint32_t span_begin = g.open;
          for (const auto* side : sides)
            if (!side->empty()) span_begin = std::min(span_begin, side->begin);
          t.examples.push_back(make_example(*record, {{span_begin, g.close}}, options.snippet_chars));
        }
      }
      // Enough passages for the written form (and the examples); the count
      // is exact anyway. Expansion, on every query, reads fewer.
      if (!forms.empty() && read >= (options.examples ? 20u : 3u)) break;
    }
    if (forms.empty()) continue;  // stale term (cannot happen in a consistent index)
    t.text = std::max_element(forms.begin(), forms.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    if (!self_forms.empty())
      t.term_form = std::max_element(self_forms.begin(), self_forms.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    ranked.push_back(std::move(t));
  }

  // Where a Korean term starts is the gloss extractor's guess from the
  // English side (gloss.h). Other passages are evidence: when one Korean
  // reading ends with another that is glossed at least as often (한미 핵 억제
  // once, 핵 억제 twice for the same English), the longer one took a
  // modifier in and is counted for the shorter.
  for (Translation& longer : ranked) {
    if (longer.lang != "ko" || longer.evidence == 0) continue;
    Translation* best = nullptr;
    for (Translation& shorter : ranked) {
      if (&shorter == &longer || shorter.lang != "ko" || shorter.evidence < longer.evidence ||
          shorter.key.size() >= longer.key.size() || !longer.key.ends_with(shorter.key))
        continue;
      if (!best || shorter.evidence > best->evidence) best = &shorter;
    }
    if (!best) continue;
    best->evidence += longer.evidence;
    best->passages += longer.passages;
    longer.evidence = 0;
  }
  std::erase_if(ranked, [](const Translation& t) { return t.evidence == 0; });
  for (Translation& t : ranked) t.sources.push_back({"gloss", t.evidence, 0.0});

  // Stored translations: the user's glossaries, then the learned lexicon;
  // then the data shipped with bisearch (kept out of the evidence).
  auto merge = [&](const analysis::StoredTranslation& st, const std::string& source, const std::string& kind,
                   bool own, const std::string& term_form) {
    if (st.key == out.key) return;
    auto it = std::find_if(ranked.begin(), ranked.end(), [&](const Translation& t) { return t.key == st.key; });
    if (it == ranked.end()) {
      Translation t;
      t.text = st.text;
      t.key = st.key;
      t.lang = st.lang;
      t.kind = kind;
      ranked.push_back(std::move(t));
      it = ranked.end() - 1;
    }
    if (own) it->evidence += st.evidence;
    if (it->term_form.empty()) it->term_form = term_form;
    it->sources.push_back({source, st.evidence, st.score});
    if (!st.note.empty() && it->note.empty()) it->note = st.note;
  };
  const std::pair<const char*, const char*> tables[] = {{analysis::kMetaGlossary, "glossary"},
                                                        {analysis::kMetaLexicon, "alignment"}};
  for (const auto& [table, source] : tables)
    for (const analysis::StoredTranslation& st : analysis::read_translations(db, table, out.key))
      merge(st, source, source, true, "");
  if (options.default_lexicon) {
    const DefaultData& shipped = options.defaults ? *options.defaults : default_data();
    // A Korean entry only for the word it writes (not 구축 for 구축함).
    auto is_typed = [&](const DefaultTranslation& d) {
      return out.lang != "ko" || !analysis::contains_hangul(d.from) || typed_as(term, d.from);
    };
    if (const auto* list = shipped.find_glossary(out.key))
      for (const DefaultTranslation& d : *list)
        if (is_typed(d)) merge(d.entry, kSourceDefaultGlossary, d.kind, false, d.from);
    if (const auto* list = shipped.find_lexicon(out.key))
      for (const DefaultTranslation& d : *list)
        if (is_typed(d)) merge(d.entry, kSourceDefaultLexicon, kSourceDefaultLexicon, false, d.from);
  }
  // The usual written form: the most trusted source's (a gloss's
  // "Consensus" is shown as the shipped "consensus").
  if (options.default_lexicon) {
    const DefaultData& shipped = options.defaults ? *options.defaults : default_data();
    for (Translation& t : ranked) {
      if (t.has_source("glossary")) continue;
      for (const auto* list : {shipped.find_glossary(out.key), shipped.find_lexicon(out.key)}) {
        if (!list) continue;
        auto d = std::find_if(list->begin(), list->end(),
                              [&](const DefaultTranslation& x) { return x.entry.key == t.key; });
        if (d != list->end()) {
          t.text = d->entry.text;
          break;
        }
      }
    }
  }
  // Inflected forms of one English translation are one translation.
  for (size_t i = 0; i < ranked.size(); ++i) {
    for (size_t j = i + 1; j < ranked.size();) {
      if (ranked[j].lang != ranked[i].lang || form_key(ranked[j]) != form_key(ranked[i])) {
        ++j;
        continue;
      }
      Translation& a = ranked[i];
      Translation& b = ranked[j];
      const bool b_form = form_rank(b) < form_rank(a) ||
                          (form_rank(b) == form_rank(a) && b.evidence + default_links(b) > a.evidence + default_links(a));
      if (b_form) {
        a.text = b.text;
        a.key = b.key;
        a.kind = b.kind;
      }
      a.evidence += b.evidence;
      a.passages += b.passages;
      for (const TranslationSource& s : b.sources) {
        auto same = std::find_if(a.sources.begin(), a.sources.end(),
                                 [&](const TranslationSource& x) { return x.source == s.source; });
        if (same == a.sources.end()) a.sources.push_back(s);
        else {
          same->evidence += s.evidence;
          same->score = std::max(same->score, s.score);
        }
      }
      if (a.note.empty()) a.note = b.note;
      for (TermExample& e : b.examples)
        if (std::none_of(a.examples.begin(), a.examples.end(), [&](const TermExample& x) { return x.lang == e.lang; }))
          a.examples.push_back(std::move(e));
      ranked.erase(ranked.begin() + static_cast<std::ptrdiff_t>(j));
    }
  }
  // A glossary entry is the user's word: first; then the shipped glossary
  // (checked by hand); then by the index's evidence and the shipped
  // lexicon's sentence pairs.
  auto tier = [](const Translation& t) {
    return t.has_source("glossary") ? 0 : t.has_source(kSourceDefaultGlossary) ? 1 : 2;
  };
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Translation& a, const Translation& b) {
    if (tier(a) != tier(b)) return tier(a) < tier(b);
    const size_t ea = a.evidence + default_links(a), eb = b.evidence + default_links(b);
    if (ea != eb) return ea > eb;
    if (a.passages != b.passages) return a.passages > b.passages;
    // Equal evidence: a spelled-out form before an acronym.
    return (a.kind == "acronym") < (b.kind == "acronym");
  });
  if (!options.lang.empty())
    std::erase_if(ranked, [&](const Translation& t) { return t.lang != options.lang; });
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
      e.set_query(
          Xapian::Query(Xapian::Query::OP_FILTER, q.query, Xapian::Query(std::string(schema::kPrefixLang) + lang)));
      // The index has no positions: a several-word translation matches
      // where its words are apart too, so the example is the first passage
      // that really holds it.
      const Xapian::MSet m = e.get_mset(0, 10);
      for (auto it = m.begin(); it != m.end(); ++it) {
        auto record = schema::read_record(it.get_document(), db);
        if (!record) continue;
        std::vector<Range> marks = highlight(record->text, q.units);
        if (marks.empty()) continue;
        t.examples.push_back(make_example(*record, marks, options.snippet_chars));
        break;
      }
    }
    for (Translation& t : ranked) t.index_passages = passages_using(db, t.text);
    for (Translation& t : ranked)
      std::stable_sort(t.examples.begin(), t.examples.end(),
                       [](const TermExample& a, const TermExample& b) { return a.lang == "ko" && b.lang != "ko"; });
  }
  out.translations = std::move(ranked);
  return out;
}

}  // namespace bisearch::query
