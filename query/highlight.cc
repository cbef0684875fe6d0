// highlight.cc: matched byte ranges and snippet windows for passages.
#include "query/highlight.h"

#include <algorithm>
#include <functional>

#include "analysis/analyzer.h"

namespace bisearch::query {

std::vector<UnitMatch> find_matches(std::string_view text, const std::vector<analysis::MatchUnit>& units) {
  std::vector<UnitMatch> ranges;
  if (units.empty()) return ranges;
  const std::vector<analysis::Token> tokens = analysis::analyze(text);

  // Terms are compared by hash first (the scans below compare every token
  // with every unit: string compares dominated the re-rank's profile).
  const std::hash<std::string_view> hash;
  std::vector<size_t> token_hash(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) token_hash[i] = hash(tokens[i].text);

  // Positional tokens indexed by position (positions are dense and increasing).
  std::vector<uint32_t> at;  // token index + 1, 0 = none
  uint32_t first_pos = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const analysis::Token& t = tokens[i];
    if (t.positional()) {
      if (at.empty()) first_pos = t.position;
      at.resize(t.position - first_pos + 1, 0);
      at[t.position - first_pos] = static_cast<uint32_t>(i + 1);
    }
  }
  std::vector<size_t> unit_hash;

  // Units are few and passages short: a scan per unit beats building a map.
  constexpr analysis::TokenKind kUnprefixed[] = {analysis::TokenKind::kStem, analysis::TokenKind::kKoWord};
  for (const auto& unit : units) {
    if (unit.terms.empty()) continue;
    const std::string& head = unit.terms[0];
    // An unpositioned unit is an index term with its prefix (K…, Z…).
    analysis::TokenKind kind = analysis::TokenKind::kWord;
    std::string_view bare = head;
    if (unit.window == 0) {
      for (auto k : kUnprefixed) {
        const std::string_view prefix = analysis::prefix_for(k);
        if (bare.substr(0, prefix.size()) == prefix) {
          kind = k;
          bare.remove_prefix(prefix.size());
          break;
        }
      }
    }
    const size_t head_hash = hash(unit.window == 0 ? bare : std::string_view(head));
    unit_hash.clear();
    for (const std::string& term : unit.terms) unit_hash.push_back(hash(term));
    for (size_t i = 0; i < tokens.size(); ++i) {
      const analysis::Token& t = tokens[i];
      if (token_hash[i] != head_hash) continue;
      if (unit.window == 0) {
        if (t.kind == kind && t.text == bare) ranges.push_back({unit.clause, t.position, {t.begin, t.end}});
        continue;
      }
      if (!t.positional() || t.text != head) continue;
      // Greedy in-order match of the remaining terms inside the window.
      const uint32_t p0 = t.position - first_pos;
      const uint32_t limit = std::min<uint32_t>(static_cast<uint32_t>(at.size()), p0 + unit.window);
      size_t k = 1;
      uint32_t end = t.end;
      for (uint32_t p = p0 + 1; p < limit && k < unit.terms.size(); ++p) {
        const uint32_t a = at[p];
        if (a && token_hash[a - 1] == unit_hash[k] && tokens[a - 1].text == unit.terms[k]) {
          end = std::max(end, tokens[a - 1].end);
          ++k;
        }
      }
      if (k == unit.terms.size()) ranges.push_back({unit.clause, t.position, {t.begin, end}});
    }
  }
  return ranges;
}

std::vector<Range> merge_ranges(const std::vector<UnitMatch>& matches) {
  std::vector<Range> ranges;
  for (const auto& m : matches) ranges.push_back(m.range);
  std::sort(ranges.begin(), ranges.end());
  std::vector<Range> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) merged.back().second = std::max(merged.back().second, r.second);
    else merged.push_back(r);
  }
  return merged;
}

std::vector<Range> highlight(std::string_view text, const std::vector<analysis::MatchUnit>& units) {
  return merge_ranges(find_matches(text, units));
}

Range snippet_window(std::string_view text, const std::vector<Range>& highlights, size_t max_chars) {
  auto is_cont = [&](size_t i) { return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  // Byte offsets of code point starts.
  std::vector<uint32_t> starts;
  for (size_t i = 0; i < text.size(); ++i)
    if (!is_cont(i)) starts.push_back(static_cast<uint32_t>(i));
  const size_t n = starts.size();
  if (n <= max_chars) return {0, static_cast<uint32_t>(text.size())};
  auto cp_index = [&](uint32_t byte) {
    return static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), byte) - starts.begin()) - 1;
  };
  // Choose the window start that covers the most highlighted ranges,
  // preferring the first cluster; start a little before it.
  size_t best_start = 0, best_count = 0;
  for (const auto& h : highlights) {
    const size_t s = cp_index(h.first);
    const size_t ws = s > max_chars / 5 ? s - max_chars / 5 : 0;
    size_t count = 0;
    for (const auto& g : highlights)
      if (cp_index(g.first) >= ws && cp_index(g.first) < ws + max_chars) ++count;
    if (count > best_count) {
      best_count = count;
      best_start = ws;
    }
  }
  best_start = std::min(best_start, n - max_chars);
  uint32_t b = starts[best_start];
  uint32_t e = best_start + max_chars < n ? starts[best_start + max_chars] : static_cast<uint32_t>(text.size());
  // Whole words at both ends: a cut inside a word moves to the nearest space
  // within a few characters, never past a highlight.
  constexpr uint32_t kSnap = 40;  // bytes
  auto space = [&](uint32_t i) { return text[i] == ' ' || text[i] == '\n' || text[i] == '\t'; };
  uint32_t first_hl = e, last_hl = b;
  for (const auto& h : highlights)
    if (h.first >= b && h.second <= e) first_hl = std::min(first_hl, h.first), last_hl = std::max(last_hl, h.second);
  if (b > 0 && !space(b - 1) && !space(b)) {
    for (uint32_t i = b; i < e && i < b + kSnap && i < first_hl; ++i)
      if (space(i)) {
        b = i + 1;
        break;
      }
  }
  if (e < text.size() && !space(e) && !space(e - 1)) {
    for (uint32_t i = e; i > b && i + kSnap > e && i > last_hl; --i)
      if (space(i - 1)) {
        e = i - 1;
        break;
      }
  }
  return {b, e};
}

}  // namespace bisearch::query
