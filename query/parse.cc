// parse.cc: splits a query string into word and phrase clauses.
#include "query/parse.h"

#include "analysis/stopwords.h"

namespace bisearch::query {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Length of an opening/closing double quote at s[i] (ASCII or curly), else 0.
size_t quote_at(std::string_view s, size_t i) {
  if (s[i] == '"') return 1;
  if (s.substr(i, 3) == "\u201C" || s.substr(i, 3) == "\u201D" || s.substr(i, 3) == "\u201E") return 3;
  return 0;
}

// Length of a "title:" field prefix at q[i] (any case) followed by a word or
// a quote, else 0.
size_t title_prefix_at(std::string_view q, size_t i) {
  constexpr std::string_view kTitle = "title:";
  if (q.size() - i <= kTitle.size()) return 0;
  for (size_t k = 0; k < kTitle.size(); ++k)
    if ((q[i + k] | 0x20) != kTitle[k] && q[i + k] != kTitle[k]) return 0;
  return is_space(static_cast<unsigned char>(q[i + kTitle.size()])) ? 0 : kTitle.size();
}

}  // namespace

std::vector<Clause> parse_query(std::string_view q) {
  std::vector<Clause> clauses;
  int next_group = 1;
  bool pending_or = false;
  size_t i = 0;
  while (i < q.size()) {
    if (is_space(static_cast<unsigned char>(q[i]))) {
      ++i;
      continue;
    }
    Modifier mod = Modifier::kNone;
    if ((q[i] == '-' || q[i] == '+') && i + 1 < q.size() && !is_space(static_cast<unsigned char>(q[i + 1]))) {
      mod = q[i] == '-' ? Modifier::kExcluded : Modifier::kRequired;
      ++i;
    }
    Clause c;
    c.modifier = mod;
    if (const size_t tl = title_prefix_at(q, i)) {
      c.title = true;
      i += tl;
    }
    if (size_t ql = quote_at(q, i)) {
      i += ql;
      size_t j = i;
      size_t close = 0;
      while (j < q.size() && (close = quote_at(q, j)) == 0) ++j;
      c.text = std::string(q.substr(i, j - i));
      c.phrase = true;
      i = j < q.size() ? j + close : j;
    } else {
      size_t j = i;
      while (j < q.size() && !is_space(static_cast<unsigned char>(q[j])) && quote_at(q, j) == 0) ++j;
      c.text = std::string(q.substr(i, j - i));
      i = j;
      if (c.text == "OR" && mod == Modifier::kNone && !c.title) {
        if (!clauses.empty()) pending_or = true;
        continue;
      }
    }
    if (c.text.empty()) continue;
    if (pending_or && !clauses.empty()) {
      Clause& prev = clauses.back();
      if (prev.or_group == 0) prev.or_group = next_group++;
      c.or_group = prev.or_group;
    }
    pending_or = false;
    clauses.push_back(std::move(c));
  }
  // Function words typed as plain words; one typed with + or -, joined by
  // OR or inside a phrase was asked for and stays a search word.
  for (Clause& c : clauses)
    c.stop = !c.phrase && c.modifier == Modifier::kNone && c.or_group == 0 && analysis::is_stopword(c.text);
  return clauses;
}

}  // namespace bisearch::query
