// highlight.cc: matched byte ranges and snippet windows for passages.
#include "query/highlight.h"

#include <algorithm>
#include <cstring>

#include "analysis/analyzer.h"
#include "analysis/normalize.h"

namespace bisearch::query {

namespace {

// A cheap hash for short terms (most are 6-byte bigrams): words of 8 bytes
// mixed with multiply-xorshift steps.
uint64_t term_hash(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xFF51AFD7ED558CCDULL);
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  return h ^ (h >> 32);
}

// A token of the passage that is one of the query's terms.
struct Seen {
  uint32_t term;      // index into Wanted::texts
  uint32_t begin, end, position;
  analysis::TokenKind kind;
  bool positional;
};

// The distinct term texts the units look for (unpositioned units by their
// bare text), and which unpositioned kinds are needed at all.
struct Wanted {
  std::vector<std::string_view> texts;
  std::vector<std::pair<uint64_t, uint32_t>> by_hash;  // (hash, index into texts), sorted
  bool stems = false, ko_words = false;
  std::vector<char32_t> first_chars;  // first code point of each text, sorted
  std::string stem_first;             // first byte of each stem unit's text

  uint32_t add(std::string_view text) {
    for (uint32_t i = 0; i < texts.size(); ++i)
      if (texts[i] == text) return i;
    texts.push_back(text);
    by_hash.emplace_back(term_hash(text), static_cast<uint32_t>(texts.size() - 1));
    return static_cast<uint32_t>(texts.size() - 1);
  }
  // Index of @p text among the wanted terms, or -1.
  int64_t find(std::string_view text) const {
    const uint64_t h = term_hash(text);
    auto it = std::lower_bound(by_hash.begin(), by_hash.end(), std::make_pair(h, uint32_t{0}));
    for (; it != by_hash.end() && it->first == h; ++it)
      if (texts[it->second] == text) return it->second;
    return -1;
  }
};

// Keeps only the tokens that are wanted terms (the rest of the passage is
// analyzed but never stored).
class MatchSink : public analysis::TokenSink {
 public:
  MatchSink(const Wanted& wanted, std::vector<Seen>& seen) : wanted_(wanted), seen_(seen) {}
  void token(const analysis::TokenView& t) override {
    const int64_t i = wanted_.find(t.text);
    if (i >= 0) seen_.push_back({static_cast<uint32_t>(i), t.begin, t.end, t.position, t.kind, t.positional()});
  }
  bool wants_run(std::u32string_view chars) const override {
    // Every token of a CJK run (bigram, unigram, word term) starts with one
    // of its characters: a run holding no wanted term's first character
    // has no wanted token.
    for (const char32_t c : chars)
      if (std::binary_search(wanted_.first_chars.begin(), wanted_.first_chars.end(), c)) return true;
    return false;
  }
  bool wants_stem(std::string_view word) const override {
    return !word.empty() && wanted_.stem_first.find(word[0]) != std::string::npos;
  }
  bool wants(analysis::TokenKind kind) const override {
    if (kind == analysis::TokenKind::kStem) return wanted_.stems;
    if (kind == analysis::TokenKind::kKoWord) return wanted_.ko_words;
    return true;
  }

 private:
  const Wanted& wanted_;
  std::vector<Seen>& seen_;
};

}  // namespace

// Each unit as term indices. An unpositioned unit (window 0) is an index
// term with its prefix (K…, Z…) and matches tokens of that kind by their
// bare text; without a prefix it matches positional words. A positional
// unit is an ordered sequence of positional terms within its window.
struct Matcher::Prepared {
  struct Unit {
    const analysis::MatchUnit* unit;
    analysis::TokenKind kind = analysis::TokenKind::kWord;
    std::vector<uint32_t> terms;
  };
  Wanted wanted;
  std::vector<Unit> units;
};

Matcher::Matcher(const std::vector<analysis::MatchUnit>& units) {
  auto p = std::make_shared<Prepared>();
  Wanted& wanted = p->wanted;
  constexpr analysis::TokenKind kUnprefixed[] = {analysis::TokenKind::kStem, analysis::TokenKind::kKoWord};
  for (const auto& unit : units) {
    if (unit.terms.empty()) continue;
    Prepared::Unit u{&unit, analysis::TokenKind::kWord, {}};
    if (unit.window == 0) {
      std::string_view bare = unit.terms[0];
      for (auto k : kUnprefixed) {
        const std::string_view prefix = analysis::prefix_for(k);
        if (bare.substr(0, prefix.size()) == prefix) {
          u.kind = k;
          bare.remove_prefix(prefix.size());
          break;
        }
      }
      if (u.kind == analysis::TokenKind::kStem) {
        wanted.stems = true;
        if (!bare.empty()) wanted.stem_first += bare[0];
      }
      if (u.kind == analysis::TokenKind::kKoWord) wanted.ko_words = true;
      u.terms.push_back(wanted.add(bare));
    } else {
      for (const std::string& term : unit.terms) u.terms.push_back(wanted.add(term));
    }
    p->units.push_back(std::move(u));
  }
  std::sort(wanted.by_hash.begin(), wanted.by_hash.end());
  for (const std::string_view t : wanted.texts) {
    const std::vector<analysis::NormChar> first = analysis::normalize(t.substr(0, std::min<size_t>(t.size(), 4)));
    if (!first.empty()) wanted.first_chars.push_back(first[0].cp);
  }
  std::sort(wanted.first_chars.begin(), wanted.first_chars.end());
  p_ = std::move(p);
}

std::vector<UnitMatch> Matcher::find(std::string_view text) const {
  std::vector<UnitMatch> ranges;
  if (p_->units.empty()) return ranges;

  // The passage's wanted tokens, in analyzer order: positional ones have
  // strictly increasing positions.
  std::vector<Seen> seen;
  MatchSink sink(p_->wanted, seen);
  analysis::analyze(text, sink);
  std::vector<uint32_t> positional;  // indices into seen
  for (uint32_t i = 0; i < seen.size(); ++i)
    if (seen[i].positional) positional.push_back(i);

  for (const Prepared::Unit& u : p_->units) {
    const uint32_t head = u.terms[0];
    if (u.unit->window == 0) {
      for (const Seen& t : seen)
        if (t.term == head && t.kind == u.kind) ranges.push_back({u.unit->clause, t.position, {t.begin, t.end}});
      continue;
    }
    for (size_t h = 0; h < positional.size(); ++h) {
      const Seen& t = seen[positional[h]];
      if (t.term != head) continue;
      // Greedy in-order match of the remaining terms inside the window
      // (a position holding any other token never matches a term).
      const uint64_t limit = static_cast<uint64_t>(t.position) + u.unit->window;
      size_t k = 1;
      uint32_t end = t.end;
      for (size_t q = h + 1; q < positional.size() && seen[positional[q]].position < limit && k < u.terms.size(); ++q) {
        const Seen& n = seen[positional[q]];
        if (n.term == u.terms[k]) {
          end = std::max(end, n.end);
          ++k;
        }
      }
      if (k == u.terms.size()) ranges.push_back({u.unit->clause, t.position, {t.begin, end}});
    }
  }
  return ranges;
}

std::vector<UnitMatch> find_matches(std::string_view text, const std::vector<analysis::MatchUnit>& units) {
  return Matcher(units).find(text);
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
