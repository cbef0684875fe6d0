// build_query.cc: combines per-clause queries from the analyzer into one query.
#include "query/build_query.h"

#include <cstdio>
#include <map>

namespace bisearch::query {
namespace {

struct Group {
  std::vector<Xapian::Query> queries;
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

}  // namespace

BuiltQuery build_query(const std::vector<Clause>& clauses, const BuildOptions& options,
                       const Alternatives& alternatives) {
  BuiltQuery built;
  std::vector<Group> groups;                // positive clauses, in query order
  std::map<int, size_t> group_of_or;        // or_group -> index in groups
  std::vector<Xapian::Query> excluded;
  std::vector<std::string> excluded_desc;

  for (const Clause& c : clauses) {
    std::vector<analysis::QueryPart> parts;
    if (c.phrase) {
      analysis::QueryPart p = analysis::phrase_query(c.text, options.terms);
      if (!p.empty()) parts.push_back(std::move(p));
    } else {
      parts = analysis::word_queries(c.text, options.terms);
    }
    if (parts.empty()) continue;
    if (c.modifier == Modifier::kExcluded) {
      for (auto& p : parts) {
        // A one-term unit is exact in the index; a sequence is only an AND
        // there (schema.h) and would also drop passages that have its terms
        // apart, so it is checked on the text instead.
        std::vector<Xapian::Query> exact;
        for (auto& u : p.units) {
          if (u.terms.size() == 1) exact.emplace_back(u.terms[0]);
          built.excluded_units.push_back(std::move(u));
        }
        if (!exact.empty()) excluded.push_back(combine(Xapian::Query::OP_OR, exact));
        excluded_desc.push_back(p.description);
      }
      continue;
    }
    if (const auto alt = alternatives.find(c.text); alt != alternatives.end())
      add_alternatives(parts.front(), alt->second, options);
    for (auto& p : parts) {
      for (auto& u : p.units) {
        u.clause = built.clauses;
        built.units.push_back(std::move(u));
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
      g->queries.push_back(p.query);
      g->descriptions.push_back(p.description);
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
  if (!excluded_desc.empty()) {
    if (positive.empty()) {
      positive = Xapian::Query::MatchAll;
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
