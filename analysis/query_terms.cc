// query_terms.cc: turns analyzed query words and phrases into Xapian queries.
#include "analysis/query_terms.h"

#include <algorithm>

#include "analysis/analyzer.h"

namespace bisearch::analysis {
namespace {

size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The tokens of one run, split by role.
struct Run {
  std::vector<const Token*> positional;  // words, bigrams or the unigram
  const Token* stem = nullptr;           // kStem of an English word
  std::vector<const Token*> ko_words;    // kKoWord terms of a CJK run
  bool cjk = false;

  // Positional terms that a match of this run requires: for a CJK run the
  // bigrams of the particle-stripped stem only.
  std::vector<std::string> required_terms(size_t drop_syllables = 0) const {
    std::vector<std::string> out;
    size_t count = positional.size();
    if (cjk && !ko_words.empty() && !positional.empty()) {
      // Up to the last bigram inside the last word term (particles dropped).
      const Token& last = *ko_words.back();
      count = std::min<size_t>(count, last.position - positional.front()->position + code_points(last.text) - 1);
    }
    count = count > drop_syllables ? count - drop_syllables : 0;
    for (size_t k = 0; k < count; ++k) out.push_back(positional[k]->text);
    return out;
  }
};

std::vector<Run> group_runs(const std::vector<Token>& tokens) {
  std::vector<Run> runs;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (i == 0 || t.run != tokens[i - 1].run) runs.emplace_back();
    Run& r = runs.back();
    r.cjk = t.script == Script::kHangul || t.script == Script::kCjk;
    if (t.positional()) r.positional.push_back(&t);
    else if (t.kind == TokenKind::kStem) r.stem = &t;
    else if (t.kind == TokenKind::kKoWord) r.ko_words.push_back(&t);
  }
  return runs;
}

// The index has no positions (schema.h): a sequence of terms is matched as
// their AND, and its order and window are checked on the passage text
// (MatchUnit, query/rank.h).
Xapian::Query sequence(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return Xapian::Query(terms[0]);
  return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

std::string join(const std::vector<std::string>& terms) {
  std::string s;
  for (const auto& t : terms) {
    if (!s.empty()) s += ' ';
    s += t;
  }
  return s;
}

// Query for one connected group of runs.
QueryPart group_query(const std::vector<Run>& runs, const TermQueryOptions& options) {
  QueryPart part;
  if (runs.empty()) return part;

  if (runs.size() > 1) {  // AI기반, ROK-U.S.: the runs in sequence
    std::vector<std::string> terms;
    for (const Run& r : runs)
      for (auto& t : r.required_terms()) terms.push_back(std::move(t));
    const auto window = static_cast<uint32_t>(terms.size());
    part.query = sequence(terms);
    part.units.push_back({terms, window});
    part.description = "\"" + join(terms) + "\"";
    return part;
  }

  const Run& r = runs[0];
  if (!r.cjk) {
    const Token& w = *r.positional[0];
    if (r.stem) {
      std::string z = index_term(*r.stem);
      part.query = Xapian::Query(z);
      part.units.push_back({{z}, 0});
      part.description = z;
    } else {
      part.query = Xapian::Query(w.text);
      part.units.push_back({{w.text}, 1});
      part.description = w.text;
    }
    return part;
  }

  const std::vector<std::string> terms = r.required_terms();
  const auto window = static_cast<uint32_t>(terms.size());
  std::vector<Xapian::Query> alternatives{sequence(terms)};
  part.units.push_back({terms, window});
  part.description = terms.size() == 1 ? terms[0] : "\"" + join(terms) + "\"";
  for (const Token* kw : r.ko_words) {
    const std::string k = index_term(*kw);
    alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(k), options.whole_word_weight);
    part.units.push_back({{k}, 0});
    part.description += " | " + k;
  }
  if (options.split_weight > 0 && terms.size() >= 3) {
    // A compound typed solid also matches when the text spaces it
    // (델타블루스 / 델타 블루스): dropping the bigram across one boundary
    // leaves two words' bigrams at consecutive positions. Without positions
    // a passage that has the compound solid has these terms too: the
    // reading only counts where the dropped bigram is absent.
    for (size_t k = 1; k + 1 < terms.size(); ++k) {
      std::vector<std::string> split(terms.begin(), terms.begin() + static_cast<long>(k));
      split.insert(split.end(), terms.begin() + static_cast<long>(k) + 1, terms.end());
      const auto ws = static_cast<uint32_t>(split.size());
      const Xapian::Query spaced(Xapian::Query::OP_AND_NOT, sequence(split), Xapian::Query(terms[k]));
      alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, spaced, options.split_weight);
      part.units.push_back({split, ws});
    }
    part.description += " | spaced x" + std::to_string(terms.size() - 2);
  }
  if (r.positional.size() == 1 && r.positional[0]->kind == TokenKind::kUnigram) {
    // A one-syllable word also stands as a word term inside joined runs (핵·재래식).
    const std::string k = std::string(prefix_for(TokenKind::kKoWord)) + r.positional[0]->text;
    alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(k), options.whole_word_weight);
    part.units.push_back({{k}, 0});
    part.description += " | " + k;
  }
  const bool stripped = terms.size() < r.positional.size();
  if (options.ending_backoff && !r.ko_words.empty() && !stripped) {
    // Shorter prefixes (down to one bigram), each weighted lower: inflection
    // is suffixing, so the start of the word is its stem.
    double w = options.backoff_weight;
    for (size_t drop = 1; drop < terms.size(); ++drop, w *= options.backoff_weight) {
      const std::vector<std::string> shorter = r.required_terms(drop);
      const auto w2 = static_cast<uint32_t>(shorter.size());
      alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, sequence(shorter), w);
      part.units.push_back({shorter, w2});
      part.description += " | ~\"" + join(shorter) + "\"";
      if (drop >= options.max_backoff) break;
    }
  }
  part.query = alternatives.size() == 1
                   ? alternatives[0]
                   : Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  part.description = "(" + part.description + ")";
  return part;
}

}  // namespace

std::vector<QueryPart> word_queries(std::string_view word, const TermQueryOptions& options) {
  const std::vector<Token> tokens = analyze(word);
  const std::vector<Run> runs = group_runs(tokens);
  std::vector<QueryPart> parts;
  std::vector<Run> group;
  uint32_t last_end = 0;
  for (const Run& r : runs) {
    const Token& first = *r.positional.front();
    if (!group.empty()) {
      const std::string_view gap = word.substr(last_end, first.begin > last_end ? first.begin - last_end : 0);
      const bool joined = gap.find_first_not_of("-./&'") == std::string_view::npos;
      if (!joined) {
        parts.push_back(group_query(group, options));
        group.clear();
      }
    }
    group.push_back(r);
    for (const Token* t : r.positional) last_end = std::max(last_end, t->end);
  }
  if (!group.empty()) parts.push_back(group_query(group, options));
  std::erase_if(parts, [](const QueryPart& p) { return p.empty(); });
  return parts;
}

QueryPart phrase_query(std::string_view text, const TermQueryOptions&) {
  QueryPart part;
  const std::vector<Token> tokens = analyze(text);
  const std::vector<Run> runs = group_runs(tokens);
  std::vector<std::string> terms;
  uint32_t slack = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (auto& t : runs[i].required_terms()) terms.push_back(std::move(t));
    // A Korean word may carry a particle the query did not type.
    if (runs[i].cjk && i + 1 < runs.size()) slack += 2;
  }
  if (terms.empty()) return part;
  const auto window = static_cast<uint32_t>(terms.size()) + slack;
  part.query = sequence(terms);
  part.units.push_back({terms, window});
  part.description = "\"" + join(terms) + "\"";
  return part;
}

}  // namespace bisearch::analysis
