// build_query.cc: combines per-clause queries from the analyzer into one query.
#include "query/build_query.h"

#include <cstdio>
#include <map>

#include "analysis/schema.h"

namespace bisearch::query {
namespace {

struct Group {
  std::vector<Xapian::Query> queries;
  std::vector<Xapian::Query> titles;  // each clause's title query
  std::vector<std::string> descriptions;
  bool required = false;
};

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& qs) {
  if (qs.size() == 1) return qs[0];
  return Xapian::Query(op, qs.begin(), qs.end());
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (const auto& p : parts) {
    if (!s.empty()) s += sep;
    s += p;
  }
  return s;
}

// Adds the clause's alternatives to its first part.
void add_alternatives(analysis::QueryPart& part, const std::vector<Alternative>& alternatives,
                      const BuildOptions& options) {
  std::vector<Xapian::Query> queries{part.query};
  for (const Alternative& alt : alternatives) {
    std::vector<analysis::QueryPart> alt_parts;
    if (alt.text.find_first_of(" \t\n") != std::string::npos) {
      analysis::QueryPart p = analysis::phrase_query(alt.text, options.terms);
      if (!p.empty()) alt_parts.push_back(std::move(p));
    } else {
      alt_parts = analysis::word_queries(alt.text, options.terms);
    }
    if (alt_parts.empty()) continue;
    std::vector<Xapian::Query> qs;
    std::vector<std::string> ds;
    for (auto& p : alt_parts) {
      qs.push_back(p.query);
      ds.push_back(p.description);
      for (auto& u : p.units) part.units.push_back(std::move(u));
    }
    queries.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, combine(Xapian::Query::OP_AND, qs), alt.weight);
    char w[32];
    snprintf(w, sizeof w, "%g", alt.weight);
    part.description += std::string(" | ") + w + "×cross(" + join(ds, " ") + ")";
  }
  part.query = combine(Xapian::Query::OP_OR, queries);
}

// The title field's query for a part's @p units: each unit's terms under
// the title prefix, ANDed (a sequence; its order is checked on the title
// text), the units ORed.
Xapian::Query title_query(const std::vector<analysis::MatchUnit>& units, std::string_view prefix = schema::kPrefixTitle) {
  std::vector<Xapian::Query> alternatives;
  for (size_t i = 0; i < units.size(); ++i) {
    const auto& u = units[i];
    // The word itself (its first unit, its whole-word terms), not the
    // weaker readings after them (a compound spaced, a shorter prefix).
    if (i > 0 && u.terms.size() > 1) continue;
    std::vector<Xapian::Query> terms;
    for (const auto& t : u.terms) terms.emplace_back(std::string(prefix) + t);
    if (!terms.empty()) alternatives.push_back(combine(Xapian::Query::OP_AND, terms));
  }
  if (alternatives.empty()) return {};
  return combine(Xapian::Query::OP_OR, alternatives);
}

bool is_sequence(const analysis::MatchUnit& u) { return u.terms.size() > 1; }

}  // namespace

BuiltQuery build_query(const std::vector<Clause>& clauses, const BuildOptions& options,
                       const Alternatives& alternatives) {
  BuiltQuery built;
  std::vector<Group> groups;                // positive clauses, in query order
  std::map<int, size_t> group_of_or;        // or_group -> index in groups
  std::vector<Xapian::Query> excluded;
  std::vector<std::string> excluded_desc;

  // Each clause's parts, analyzed once.
  std::vector<std::vector<analysis::QueryPart>> clause_parts;
  for (const Clause& c : clauses) {
    std::vector<analysis::QueryPart> parts;
    if (c.phrase) {
      analysis::QueryPart p = analysis::phrase_query(c.text, options.terms);
      if (!p.empty()) parts.push_back(std::move(p));
    } else {
      parts = analysis::word_queries(c.text, options.terms);
    }
    clause_parts.push_back(std::move(parts));
  }
  // Stopwords are dropped when another positive clause has terms.
  bool content_clause = false;
  for (size_t i = 0; i < clauses.size(); ++i)
    if (clauses[i].modifier != Modifier::kExcluded && !(clauses[i].stop && options.stopwords) &&
        !clause_parts[i].empty())
      content_clause = true;

  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    std::vector<analysis::QueryPart>& parts = clause_parts[i];
    if (parts.empty()) continue;
    if (c.modifier == Modifier::kExcluded) {
      for (auto& p : parts) {
        // A one-term unit is exact in the index; a sequence is only an AND
        // there (schema.h) and would also drop passages that have its terms
        // apart, so it is checked on the text instead. A passage is dropped
        // for the unit in its text or its title (only the title: title:).
        std::vector<Xapian::Query> exact;
        for (auto& u : p.units) {
          if (u.terms.size() == 1) {
            if (!c.title) exact.emplace_back(u.terms[0]);
            exact.emplace_back(std::string(schema::kPrefixTitle) + u.terms[0]);
          } else {
            built.needs_check = true;
          }
          (c.title ? built.excluded_title_units : built.excluded_units).push_back(std::move(u));
        }
        if (!exact.empty()) excluded.push_back(combine(Xapian::Query::OP_OR, exact));
        excluded_desc.push_back(c.title ? "title:" + p.description : p.description);
      }
      continue;
    }
    if (c.stop && options.stopwords && content_clause) continue;
    // The clause in the title field: its own units (not its translations).
    std::vector<Xapian::Query> titles, words;
    for (const auto& p : parts) {
      titles.push_back(title_query(p.units));
      words.push_back(title_query(p.units, ""));  // the same word in the text
    }
    if (!c.title) {
      if (const auto alt = alternatives.find(c.text); alt != alternatives.end())
        add_alternatives(parts.front(), alt->second, options);
    }
    for (size_t k = 0; k < parts.size(); ++k) {
      analysis::QueryPart& p = parts[k];
      const Xapian::Query& title = titles[k];
      Xapian::Query q;
      std::string description;
      if (c.title) {
        q = title;
        description = "title:" + p.description;
      } else if (title.empty() || options.title_weight <= 0) {
        q = p.query;
        description = p.description;
      } else {
        // The title counts in full where the text does not hold the word
        // itself, and scaled by title_with_text where it does: a passage
        // that names its document's title word in its text too would
        // otherwise count that word twice, and the title word would
        // outweigh the question's other words (KorQuAD size A 0.9436 with
        // the plain sum, docs/analyzer.md). A weaker reading in the text (a
        // compound spaced, a prefix) does not take the title's place.
        // (OP_MAX, the better of the two, crashes Xapian 1.4.22 on long
        // queries.)
        const Xapian::Query& word = words[k];
        Xapian::Query title_part = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, options.title_weight);
        if (!word.empty() && options.title_with_text != 1) {
          title_part = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                     Xapian::Query(Xapian::Query::OP_AND_NOT, title, word), options.title_weight);
          if (options.title_with_text > 0)
            title_part = Xapian::Query(
                Xapian::Query::OP_OR, title_part,
                Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_FILTER, title, word),
                              options.title_weight * options.title_with_text));
        }
        q = Xapian::Query(Xapian::Query::OP_OR, p.query, title_part);
        description = p.description;
      }
      if (q.empty()) continue;
      for (auto& u : p.units) {
        u.clause = built.clauses;
        if (is_sequence(u)) built.needs_check = true;
        (c.title ? built.title_units : built.units).push_back(std::move(u));
      }
      ++built.clauses;
      Group* g;
      if (c.or_group != 0 && group_of_or.count(c.or_group)) {
        g = &groups[group_of_or[c.or_group]];
      } else {
        groups.emplace_back();
        g = &groups.back();
        if (c.or_group != 0) group_of_or[c.or_group] = groups.size() - 1;
      }
      built.clause_group.push_back(static_cast<uint32_t>(g - groups.data()));
      g->queries.push_back(q);
      if (!title.empty()) g->titles.push_back(title);
      g->descriptions.push_back(description);
      g->required = g->required || c.modifier == Modifier::kRequired || options.match_all;
    }
  }

  std::vector<Xapian::Query> required, optional;
  std::vector<std::string> required_desc, optional_desc;
  for (const Group& g : groups) {
    built.group_required.push_back(g.required);
    Xapian::Query q = combine(Xapian::Query::OP_OR, g.queries);
    std::string d = g.descriptions.size() == 1 ? g.descriptions[0] : "(" + join(g.descriptions, " OR ") + ")";
    (g.required ? required : optional).push_back(q);
    (g.required ? required_desc : optional_desc).push_back(d);
  }

  Xapian::Query positive;
  if (!required.empty() && !optional.empty()) {
    positive = Xapian::Query(Xapian::Query::OP_AND_MAYBE, combine(Xapian::Query::OP_AND, required),
                             combine(Xapian::Query::OP_OR, optional));
    built.description = "+[" + join(required_desc, " AND ") + "] ~[" + join(optional_desc, " OR ") + "]";
  } else if (!required.empty()) {
    positive = combine(Xapian::Query::OP_AND, required);
    built.description = join(required_desc, " AND ");
  } else if (!optional.empty()) {
    positive = combine(Xapian::Query::OP_OR, optional);
    built.description = join(optional_desc, " OR ");
  }
  // Known-item search: a fixed bonus for the passages of documents whose
  // title holds every group (the searcher takes back the share of title
  // words the query leaves out).
  if (!positive.empty() && options.title_boost > 0 && !groups.empty()) {
    std::vector<Xapian::Query> every;
    for (const Group& g : groups) {
      if (g.titles.empty()) {
        every.clear();
        break;
      }
      every.push_back(combine(Xapian::Query::OP_OR, g.titles));
    }
    if (!every.empty()) {
      built.title_bonus = options.title_boost * static_cast<double>(groups.size());
      const Xapian::Query bonus(Xapian::Query::OP_FILTER,
                                Xapian::Query((new Xapian::FixedWeightPostingSource(built.title_bonus))->release()),
                                combine(Xapian::Query::OP_AND, every));
      positive = Xapian::Query(Xapian::Query::OP_AND_MAYBE, positive, bonus);
    }
  }
  if (!excluded_desc.empty()) {
    if (positive.empty()) {
      positive = every_document();
      built.description = "<all>";
    }
    if (!excluded.empty())
      positive = Xapian::Query(Xapian::Query::OP_AND_NOT, positive, combine(Xapian::Query::OP_OR, excluded));
    built.description += " NOT (" + join(excluded_desc, " OR ") + ")";
  }
  built.query = positive;
  return built;
}

}  // namespace bisearch::query
