// crosslang.cc: finds aligned groups among changed documents, stores counterparts, relearns the lexicon.
#include "indexer/crosslang.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "analysis/crosslang.h"
#include "analysis/language.h"
#include "analysis/schema.h"
#include "indexer/align.h"
#include "indexer/errors.h"

namespace bisearch::indexer {
namespace {

// Language tags, longest first so "en-US" wins over "en".
struct Tag {
  const char* text;
  bool korean;
};
constexpr Tag kTags[] = {{"eng-US", false}, {"eng-GB", false}, {"ko-KR", true}, {"en-US", false}, {"en-GB", false},
                         {"kor", true},     {"eng", false},    {"ko", true},    {"kr", true},     {"en", false}};

bool is_separator(char c) { return c == '.' || c == '_' || c == '-' || c == '/'; }

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

struct TagMatch {
  size_t pos = 0, len = 0;
  bool korean = false;
  bool upper = false;
};

// The last language tag of @p id standing between separators (or the ends).
std::optional<TagMatch> find_tag(std::string_view id) {
  std::optional<TagMatch> found;
  for (size_t pos = 0; pos < id.size(); ++pos) {
    if (pos > 0 && !is_separator(id[pos - 1])) continue;
    for (const Tag& t : kTags) {
      const std::string_view tag(t.text);
      if (pos + tag.size() > id.size() || !iequal(id.substr(pos, tag.size()), tag)) continue;
      const size_t after = pos + tag.size();
      if (after != id.size() && !is_separator(id[after])) continue;
      found = TagMatch{pos, tag.size(), t.korean, std::isupper(static_cast<unsigned char>(id[pos])) != 0};
      break;
    }
  }
  return found;
}

// Every id that names the same document in a language: the id with its tag
// replaced by each tag (lower and upper case), the id itself included.
std::vector<std::string> tag_variants(const std::string& id, const TagMatch& m) {
  std::set<std::string> out;
  for (const Tag& t : kTags) {
    std::string lower(t.text), upper(t.text);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.insert(id.substr(0, m.pos) + lower + id.substr(m.pos + m.len));
    out.insert(id.substr(0, m.pos) + upper + id.substr(m.pos + m.len));
    out.insert(id.substr(0, m.pos) + t.text + id.substr(m.pos + m.len));
  }
  return {out.begin(), out.end()};
}

struct Passage {
  std::string doc_id;
  schema::PassageRecord record;
};

class Pass {
 public:
  explicit Pass(IndexWriter& writer) : w_(writer) {}

  const Xapian::Database& db() const { return w_.database(); }

  // Whether document @p id has a passage.
  bool exists(const std::string& id) const { return db().term_exists(schema::doc_term(id)); }

  std::vector<schema::PassageRecord> passages_of(const std::string& id) const {
    std::vector<schema::PassageRecord> out;
    const std::string term = schema::doc_term(id);
    for (auto it = db().postlist_begin(term); it != db().postlist_end(term); ++it) {
      auto r = schema::read_record(db().get_document(*it), db());
      if (r && r->doc_id == id) out.push_back(std::move(*r));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.passage < b.passage; });
    return out;
  }

  // The members of pattern group of @p id (ids of existing documents), sorted.
  std::vector<std::string> pattern_members(const std::string& id, const TagMatch& m) const {
    std::vector<std::string> out;
    for (const std::string& v : tag_variants(id, m))
      if (exists(v)) out.push_back(v);
    return out;
  }

  // Whether @p members hold passages in both languages, from the language
  // value slot alone (cheap: most documents are in one language).
  bool has_both_languages(const std::vector<std::string>& members) const {
    bool ko = false, en = false;
    for (const std::string& id : members) {
      const std::string term = schema::doc_term(id);
      for (auto it = db().postlist_begin(term); it != db().postlist_end(term) && !(ko && en); ++it) {
        const std::string lang = db().get_document(*it, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotLang);
        ko = ko || lang == "ko";
        en = en || lang == "en";
      }
    }
    return ko && en;
  }

  // Korean and English passages of @p members, in member and passage order.
  // In a document pair (report.ko.txt / report.en.txt) the document's
  // language tag decides the side of all its passages: a passage labelled
  // mixed or of the other language (a name alone, a quotation) keeps its
  // place in the order of lines, which line-aligned files need. In a single
  // document holding both languages each passage's label decides, and a
  // mixed one goes to the side holding the larger share of its letters.
  void sides(const std::vector<std::string>& members, std::vector<schema::PassageRecord>* ko,
             std::vector<schema::PassageRecord>* en) const {
    for (const std::string& id : members) {
      const std::optional<TagMatch> tag = members.size() >= 2 ? find_tag(id) : std::nullopt;
      for (schema::PassageRecord& r : passages_of(id)) {
        bool korean;
        if (tag) korean = tag->korean;
        else if (r.lang == "ko" || r.lang == "en") korean = r.lang == "ko";
        else {
          const double h = analysis::hangul_share(r.text);
          if (h < 0) continue;  // no letters
          korean = h >= 0.5;
        }
        (korean ? ko : en)->push_back(std::move(r));
      }
    }
  }

  static std::vector<std::string_view> texts(const std::vector<schema::PassageRecord>& side) {
    std::vector<std::string_view> out;
    for (const auto& r : side) out.push_back(r.text);
    return out;
  }

  // Aligns @p members; stores their counterparts. False when they do not
  // form a group (one language missing, nothing aligned).
  bool align_group(const std::vector<std::string>& members) {
    if (!has_both_languages(members)) return false;
    std::vector<schema::PassageRecord> ko, en;
    sides(members, &ko, &en);
    if (ko.empty() || en.empty()) return false;
    const std::vector<std::string_view> a = texts(ko), b = texts(en);
    const Alignment al = align_passages(a, b);
    if (al.beads.empty()) return false;
    std::map<std::string, analysis::DocCounterparts> per_doc;
    auto store = [&](const std::vector<schema::PassageRecord>& from, const std::vector<schema::PassageRecord>& to,
                     const std::vector<std::vector<uint32_t>>& cps) {
      for (size_t p = 0; p < from.size(); ++p) {
        if (cps[p].empty()) continue;
        std::vector<analysis::CounterpartRef> refs;
        for (uint32_t q : cps[p]) refs.push_back({to[q].doc_id, to[q].passage});
        per_doc[from[p].doc_id].passages.emplace_back(from[p].passage, std::move(refs));
      }
    };
    store(ko, en, passage_counterparts(al, a, b, true));
    store(en, ko, passage_counterparts(al, a, b, false));
    for (auto& [id, c] : per_doc) {
      std::sort(c.passages.begin(), c.passages.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      const std::string value = analysis::serialize_counterparts(c);
      w_.set_entry(analysis::counterpart_meta_key(id), &value);
    }
    return true;
  }

  // Records (or, with null, drops) group @p key. True when the group
  // existed before or exists now, i.e. the lexicon's input may have changed.
  bool set_group(const std::string& key, const std::vector<std::string>* members) {
    const std::string meta = schema::bounded_term(analysis::kMetaAlignGroup, key);
    const bool existed = !db().get_metadata(meta).empty();
    if (!members) {
      if (existed) w_.set_entry(meta, nullptr);
      return existed;
    }
    std::string value;
    for (const std::string& m : *members) value += (value.empty() ? "" : "\n") + m;
    w_.set_entry(meta, &value);
    return true;
  }

  std::vector<std::string> keys_with_prefix(const std::string& prefix) const {
    std::vector<std::string> out;
    for (auto it = db().metadata_keys_begin(prefix); it != db().metadata_keys_end(prefix); ++it) out.push_back(*it);
    return out;
  }

  IndexWriter& w_;
};

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string options_id(const LexiconOptions& o) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "lexicon v2 links>=%u share>=%.2f g2>=%.2f dice>=%.2f strong=%u/%.2f/%.2f max=%zu pairs<=%zu",
                o.min_links, o.min_link_share, o.min_g2, o.min_dice, o.strong_links, o.strong_link_share,
                o.strong_min_dice, o.max_translations, o.max_pairs);
  return buf;
}

}  // namespace

CrosslangSummary update_crosslang(IndexWriter& writer, const LexiconOptions& options,
                                  const std::function<void(const std::string&)>& say) {
  CrosslangSummary summary;
  Pass pass(writer);
  try {
    const std::vector<std::string> pending_keys = pass.keys_with_prefix(analysis::kMetaPending);
    std::set<std::string> pending;
    for (const std::string& k : pending_keys) pending.insert(pass.db().get_metadata(k));
    summary.pending = pending.size();

    // Which groups to decide again: each pending id's own ("s:") group, its
    // pattern ("p:") group, and the own groups of its tag partners.
    std::map<std::string, std::optional<TagMatch>> self_ids;  // id -> its tag
    std::map<std::string, std::pair<std::string, TagMatch>> patterns;  // key -> (an id, tag)
    for (const std::string& id : pending) {
      const auto tag = find_tag(id);
      self_ids.emplace(id, tag);
      if (!tag) continue;
      const std::string key = id.substr(0, tag->pos) + "{}" + id.substr(tag->pos + tag->len);
      patterns.emplace(key, std::make_pair(id, *tag));
      for (const std::string& v : tag_variants(id, *tag))
        if (pass.exists(v)) self_ids.emplace(v, find_tag(v));
    }
    // Counterparts of every document involved are written anew.
    for (const auto& [id, tag] : self_ids) {
      const std::string key = analysis::counterpart_meta_key(id);
      if (!pass.db().get_metadata(key).empty()) writer.set_entry(key, nullptr);
    }
    std::set<std::string> paired;
    for (const auto& [key, what] : patterns) {
      std::vector<std::string> members = pass.pattern_members(what.first, what.second);
      const bool grouped = members.size() >= 2 && pass.align_group(members);
      if (pass.set_group("p:" + key, grouped ? &members : nullptr)) ++summary.groups_changed;
      if (grouped) paired.insert(members.begin(), members.end());
    }
    for (const auto& [id, tag] : self_ids) {
      std::vector<std::string> members{id};
      const bool grouped = !paired.count(id) && pass.exists(id) && pass.align_group(members);
      if (pass.set_group("s:" + id, grouped ? &members : nullptr)) ++summary.groups_changed;
    }
    for (const std::string& k : pending_keys) writer.set_entry(k, nullptr);

    // The lexicon, from every group's sentence pairs.
    const std::vector<std::string> group_keys = pass.keys_with_prefix(analysis::kMetaAlignGroup);
    summary.groups = group_keys.size();
    const std::string id = options_id(options);
    const std::string previous = pass.db().get_metadata(analysis::kMetaCrosslang);
    if (summary.groups_changed == 0 && previous.rfind(id, 0) == 0) return summary;
    if (say && !group_keys.empty())
      say("learning translations from " + std::to_string(group_keys.size()) + " aligned group" +
          (group_keys.size() == 1 ? "" : "s"));
    LexiconLearner learner(options);
    for (const std::string& gk : group_keys) {
      const std::vector<std::string> members = split_lines(pass.db().get_metadata(gk));
      std::vector<schema::PassageRecord> ko, en;
      pass.sides(members, &ko, &en);
      const std::vector<std::string_view> a = Pass::texts(ko), b = Pass::texts(en);
      const Alignment al = align_passages(a, b);
      for (const Bead& bead : al.beads) {
        if (bead.a_count == 0 || bead.b_count == 0) continue;
        std::string ko_text, en_text;
        for (uint32_t k = bead.a_begin; k < bead.a_begin + bead.a_count; ++k) {
          const AlignUnit& u = al.a_units[k];
          ko_text += std::string(a[u.passage].substr(u.begin, u.end - u.begin)) + "\n";
        }
        for (uint32_t k = bead.b_begin; k < bead.b_begin + bead.b_count; ++k) {
          const AlignUnit& u = al.b_units[k];
          en_text += std::string(b[u.passage].substr(u.begin, u.end - u.begin)) + "\n";
        }
        learner.add_pair(ko_text, en_text);
      }
    }
    const Lexicon lexicon = learner.learn();
    for (const std::string& k : pass.keys_with_prefix(analysis::kMetaLexicon)) writer.set_entry(k, nullptr);
    for (const auto& [key, list] : lexicon.entries) {
      const std::string value = analysis::serialize_translations(list);
      writer.set_entry(analysis::translation_meta_key(analysis::kMetaLexicon, key), &value);
    }
    summary.relearned = true;
    summary.pairs = lexicon.pairs;
    summary.translations = lexicon.links;
    const std::string record = id + "\ngroups " + std::to_string(summary.groups) + "\npairs " +
                               std::to_string(lexicon.pairs) + "\ntranslations " + std::to_string(lexicon.links);
    writer.set_entry(analysis::kMetaCrosslang, &record);
  } catch (const Xapian::Error& e) {
    throw FatalError("cannot derive cross-language data: " + e.get_description());
  }
  return summary;
}

}  // namespace bisearch::indexer
