// crosslang.cc: the stored form of translation tables and passage counterparts.
#include "analysis/crosslang.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "analysis/gloss.h"
#include "analysis/parts.h"
#include "analysis/schema.h"

namespace bisearch::analysis {
namespace {

constexpr std::string_view kVersion = schema::kCrosslangVersion;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

bool read_double(std::string_view& in, double* v) {
  std::string_view f;
  if (!schema::read_field(in, &f)) return false;
  const std::string s(f);
  char* end = nullptr;
  *v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && !s.empty();
}

}  // namespace

std::vector<std::string> gloss_pair_terms(std::string_view text) {
  std::vector<std::string> out;
  for (const Gloss& g : find_glosses(text)) {
    const GlossTerm* sides[3] = {&g.ko, &g.en, &g.acronym};
    std::string keys[3];
    for (int s = 0; s < 3; ++s)
      if (!sides[s]->empty()) keys[s] = term_key(sides[s]->text);
    for (int from = 0; from < 3; ++from) {
      for (int to = 0; to < 3; ++to) {
        if (from == to || keys[from].empty() || keys[to].empty() || keys[from] == keys[to]) continue;
        const char kind = to == 2 ? 'a' : (from == 2 && to == 1) ? 'e' : 'g';
        std::string value = keys[from];
        value += '\x1f';
        value += kind;
        value += keys[to];
        if (value.size() + kPrefixGlossPair.size() > 240) continue;  // too long to scan by prefix
        out.push_back(std::string(kPrefixGlossPair) + value);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string gloss_pair_prefix(std::string_view key) {
  std::string out(kPrefixGlossPair);
  out += key;
  out += '\x1f';
  return out;
}

std::string serialize_translations(const std::vector<StoredTranslation>& list) {
  std::string out;
  schema::append_field(out, kVersion);
  schema::append_field(out, std::to_string(list.size()));
  for (const StoredTranslation& t : list) {
    schema::append_field(out, t.key);
    schema::append_field(out, t.text);
    schema::append_field(out, t.lang);
    schema::append_field(out, std::to_string(t.evidence));
    schema::append_field(out, number(t.score));
    schema::append_field(out, t.note);
  }
  return out;
}

std::optional<std::vector<StoredTranslation>> deserialize_translations(std::string_view data) {
  std::string_view version;
  size_t n = 0;
  if (!schema::read_field(data, &version) || version != kVersion || !schema::read_number_field(data, &n))
    return std::nullopt;
  std::vector<StoredTranslation> out;
  for (size_t i = 0; i < n; ++i) {
    StoredTranslation t;
    std::string_view key, text, lang, note;
    if (!schema::read_field(data, &key) || !schema::read_field(data, &text) || !schema::read_field(data, &lang) ||
        !schema::read_number_field(data, &t.evidence) || !read_double(data, &t.score) ||
        !schema::read_field(data, &note))
      return std::nullopt;
    t.key = key;
    t.text = text;
    t.lang = lang;
    t.note = note;
    out.push_back(std::move(t));
  }
  return out;
}

std::string translation_meta_key(const char* table, std::string_view key) { return schema::bounded_term(table, key); }

std::vector<StoredTranslation> read_translations(const Xapian::Database& db, const char* table, std::string_view key) {
  if (key.empty()) return {};
  const std::vector<std::string> values = part_metadata(db, translation_meta_key(table, key));
  if (values.size() == 1) {
    auto list = deserialize_translations(values[0]);
    return list ? *list : std::vector<StoredTranslation>{};
  }
  // Shards (parts.h): one entry per translation. Alignment evidence and G2
  // were counted on each shard's share of the text, so they add up; a
  // glossary is given whole to every shard, so its rows count once.
  const bool glossary = std::string_view(table) == kMetaGlossary;
  std::vector<StoredTranslation> merged;
  for (const std::string& value : values) {
    auto list = deserialize_translations(value);
    if (!list) continue;
    for (StoredTranslation& t : *list) {
      auto it = std::find_if(merged.begin(), merged.end(),
                             [&](const StoredTranslation& m) { return m.key == t.key && m.lang == t.lang; });
      if (it == merged.end()) {
        merged.push_back(std::move(t));
      } else if (glossary) {
        it->evidence = std::max(it->evidence, t.evidence);
      } else {
        it->evidence += t.evidence;
        it->score += t.score;
      }
    }
  }
  std::stable_sort(merged.begin(), merged.end(), [](const StoredTranslation& a, const StoredTranslation& b) {
    if (a.evidence != b.evidence) return a.evidence > b.evidence;
    return a.score > b.score;
  });
  return merged;
}

std::string serialize_counterparts(const DocCounterparts& c) {
  std::string out;
  schema::append_field(out, kVersion);
  schema::append_field(out, std::to_string(c.passages.size()));
  for (const auto& [passage, refs] : c.passages) {
    schema::append_field(out, std::to_string(passage));
    schema::append_field(out, std::to_string(refs.size()));
    for (const CounterpartRef& r : refs) {
      schema::append_field(out, r.doc_id);
      schema::append_field(out, std::to_string(r.passage));
    }
  }
  return out;
}

std::optional<DocCounterparts> deserialize_counterparts(std::string_view data) {
  std::string_view version;
  size_t n = 0;
  if (!schema::read_field(data, &version) || version != kVersion || !schema::read_number_field(data, &n))
    return std::nullopt;
  DocCounterparts out;
  for (size_t i = 0; i < n; ++i) {
    uint32_t passage = 0;
    size_t refs = 0;
    if (!schema::read_number_field(data, &passage) || !schema::read_number_field(data, &refs)) return std::nullopt;
    std::vector<CounterpartRef> list;
    for (size_t k = 0; k < refs; ++k) {
      CounterpartRef r;
      std::string_view id;
      if (!schema::read_field(data, &id) || !schema::read_number_field(data, &r.passage)) return std::nullopt;
      r.doc_id = id;
      list.push_back(std::move(r));
    }
    out.passages.emplace_back(passage, std::move(list));
  }
  return out;
}

std::string pending_meta_key(std::string_view doc_id) { return schema::bounded_term(kMetaPending, doc_id); }

std::string counterpart_meta_key(std::string_view doc_id) { return schema::bounded_term(kMetaCounterpart, doc_id); }

std::vector<CounterpartRef> read_counterparts(const Xapian::Database& db, std::string_view doc_id, uint32_t passage) {
  // A document's counterparts are kept by the shard that holds it (parts.h).
  for (const std::string& data : part_metadata(db, counterpart_meta_key(doc_id))) {
    if (data.empty()) continue;
    auto c = deserialize_counterparts(data);
    if (!c) continue;
    auto it = std::lower_bound(c->passages.begin(), c->passages.end(), passage,
                               [](const auto& e, uint32_t p) { return e.first < p; });
    if (it == c->passages.end() || it->first != passage) continue;
    return it->second;
  }
  return {};
}

}  // namespace bisearch::analysis
