// expand.cc: turns the translations of each query clause into weighted alternatives.
#include "query/expand.h"

#include <algorithm>

namespace bisearch::query {

std::vector<Expansion> find_expansions(const Xapian::Database& db, const analysis::Liveness& liveness,
                                       const std::vector<Clause>& clauses, const ExpandOptions& options) {
  std::vector<Expansion> out;
  TermOptions term_options;
  term_options.max_passages = options.max_passages;
  term_options.max_translations = options.max_per_clause;
  term_options.examples = false;
  term_options.liveness = &liveness;
  std::vector<std::string> seen;
  for (const Clause& c : clauses) {
    if (c.modifier == Modifier::kExcluded) continue;
    if (std::find(seen.begin(), seen.end(), c.text) != seen.end()) continue;
    seen.push_back(c.text);
    const TermLookup found = lookup_term(db, c.text, term_options);
    for (const Translation& t : found.translations) {
      if (t.evidence < options.min_evidence) continue;
      out.push_back({c.text, t.text, t.lang, t.kind, t.evidence, options.weight});
    }
  }
  return out;
}

Alternatives to_alternatives(const std::vector<Expansion>& expansions) {
  Alternatives alternatives;
  for (const Expansion& e : expansions) alternatives[e.clause].push_back({e.text, e.weight});
  return alternatives;
}

}  // namespace bisearch::query
