// lexicon.cc: G2 association and competitive linking over aligned sentence pairs.
#include "indexer/lexicon.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "analysis/analyzer.h"

namespace bisearch::indexer {
namespace {

using analysis::Script;
using analysis::Token;
using analysis::TokenKind;

// English function words: never the first or last word of a candidate.
const std::set<std::string, std::less<>> kEnglishFunction = {
    "a",     "about", "after", "all",   "also",  "an",    "and",   "any",   "are",   "as",    "at",    "be",
    "been",  "being", "but",   "by",    "can",   "could", "did",   "do",    "does",  "for",   "from",  "had",
    "has",   "have",  "he",    "her",   "his",   "i",     "if",    "in",    "into",  "is",    "it",    "its",
    "may",   "more",  "most",  "not",   "of",    "on",    "one",   "or",    "other", "our",   "over",  "s",
    "said",  "she",   "should", "so",   "some",  "such",  "than",  "that",  "the",   "their", "them",  "then",
    "there", "these", "they",  "this",  "those", "through", "to",  "two",   "up",    "very",  "was",   "we",
    "were",  "what",  "when",  "which", "while", "who",   "will",  "with",  "would", "you",   "your"};

// Korean words that carry grammar rather than content (after particle stripping).
const std::set<std::string, std::less<>> kKoreanFunction = {
    "그리고", "그러나", "하지만", "또한", "이러한", "그러한", "이런", "그런", "위해", "위한", "통해", "대한",
    "대해", "있는", "있다", "없는", "없다", "하는", "한다", "했다", "된다", "되는", "것이", "것은", "우리",
    "이번", "그것", "이것", "같은", "따라", "관련", "때문", "경우", "가장", "모든", "이후", "이전", "지난"};

// Compound words longer than this are not cut into parts.
constexpr size_t kMaxPartSyllables = 8;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

struct Piece {
  std::string key;   // K text (Korean) or word (English)
  uint32_t begin = 0, end = 0;
  bool korean = false;
  bool whole = true;  // Korean: nothing was stripped off the word
};

bool is_hangul_syllable(std::string_view s) {
  // U+AC00..U+D7A3 in UTF-8: EA B0 80 .. ED 9E A3.
  if (s.size() != 3) return false;
  const auto b0 = static_cast<unsigned char>(s[0]);
  return b0 >= 0xEA && b0 <= 0xED;
}

std::vector<Piece> pieces_of(std::string_view text) {
  const std::vector<Token> tokens = analysis::analyze(text);
  std::vector<Piece> out;
  size_t i = 0;
  while (i < tokens.size()) {
    const uint32_t run = tokens[i].run;
    Piece p;
    p.begin = tokens[i].begin;
    p.end = tokens[i].end;
    std::string unigram;
    bool have_word = false;
    for (; i < tokens.size() && tokens[i].run == run; ++i) {
      const Token& t = tokens[i];
      p.begin = std::min(p.begin, t.begin);
      p.end = std::max(p.end, t.end);
      if (t.kind == TokenKind::kWord && !have_word) {
        p.key = t.text;
        have_word = true;
      } else if (t.kind == TokenKind::kKoWord) {
        p.key += t.text;
        p.korean = true;
      } else if (t.kind == TokenKind::kUnigram && unigram.empty()) {
        unigram = t.text;
      }
    }
    // A one-syllable Korean word (핵, 북, 미) is a word too.
    if (!have_word && !p.korean && is_hangul_syllable(unigram)) {
      p.key = unigram;
      p.korean = true;
    }
    if (!have_word && !p.korean) continue;  // a lone Han character or nothing
    if (p.korean) p.whole = p.key == text.substr(p.begin, p.end - p.begin);
    out.push_back(std::move(p));
  }
  return out;
}

// Byte offsets of the code points of @p s, and s.size() at the end.
std::vector<uint32_t> code_point_starts(std::string_view s) {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  out.push_back(static_cast<uint32_t>(s.size()));
  return out;
}

// The class of an English word: its Snowball stem (elections, election ->
// elect), less a final "ist" or "i" that Snowball keeps (terrorist ->
// terror like terrorism; economi(y) -> econom like economic) when enough is
// left to name the word.
std::string english_class(std::string_view word) {
  std::string stem = analysis::english_stem(word);
  if (stem.empty()) stem = std::string(word);
  if (stem.size() >= 7 && stem.ends_with("ist")) stem.resize(stem.size() - 3);
  else if (stem.size() >= 6 && stem.back() == 'i') stem.pop_back();
  return stem;
}

// True when only spaces or hyphens separate the two pieces.
bool adjacent(std::string_view text, const Piece& a, const Piece& b) {
  if (b.begin < a.end) return false;
  for (uint32_t k = a.end; k < b.begin; ++k)
    if (text[k] != ' ' && text[k] != '-') return false;
  return true;
}

double xlogx_term(double k, double expected) { return k > 0 ? k * std::log(k / expected) : 0.0; }

// Dunning's G2 for co-occurrence count c of terms seen in a and b of n pairs.
double g2(double c, double a, double b, double n) {
  const double k11 = c, k12 = a - c, k21 = b - c, k22 = n - a - b + c;
  if (k11 * n <= a * b) return 0;  // not positively associated
  return 2 * (xlogx_term(k11, a * b / n) + xlogx_term(k12, a * (n - b) / n) + xlogx_term(k21, (n - a) * b / n) +
              xlogx_term(k22, (n - a) * (n - b) / n));
}

bool lower_case(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

LexiconLearner::LexiconLearner(LexiconOptions options) : options_(options) {}

uint32_t LexiconLearner::intern(const std::string& key, std::string_view text, bool korean) {
  auto [it, added] = ids_.try_emplace(key, static_cast<uint32_t>(keys_.size()));
  if (added) {
    keys_.push_back(key);
    korean_.push_back(korean);
    forms_.emplace_back();
  }
  ++forms_[it->second][std::string(text)];
  return it->second;
}

uint32_t LexiconLearner::intern_form(const std::string& key, std::string_view text) {
  std::string both = key + '\t' + std::string(text);
  auto [it, added] = form_ids_.try_emplace(std::move(both), static_cast<uint32_t>(form_keys_.size()));
  if (added) {
    form_keys_.push_back(key);
    form_texts_.emplace_back(text);
  }
  return it->second;
}

void LexiconLearner::add_pair(std::string_view ko, std::string_view en) {
  if (units_.size() >= options_.max_pairs) return;
  Unit unit;
  // Korean: words, the parts of compound words, adjacent word pairs (the
  // first without a particle). Positions count syllables, so a part and the
  // word it was cut from overlap.
  {
    std::vector<Piece> words;
    for (Piece& p : pieces_of(ko))
      if (p.korean) words.push_back(std::move(p));
    std::vector<std::vector<uint32_t>> cps(words.size());
    std::vector<uint32_t> base(words.size());
    uint32_t pos = 0;
    for (size_t i = 0; i < words.size(); ++i) {
      cps[i] = code_point_starts(words[i].key);
      base[i] = pos;
      pos += static_cast<uint32_t>(cps[i].size() - 1);
    }
    auto last_of = [&](size_t i) { return base[i] + static_cast<uint32_t>(cps[i].size() - 1) - 1; };
    auto add = [&](const std::string& key, const std::string& text, uint32_t first, uint32_t last, uint32_t parent,
                   uint8_t n) {
      if (kKoreanFunction.count(key) || all_digits(key)) return;
      const uint32_t id = intern(key, text, true);
      unit.ko.push_back({id, first, last, parent == UINT32_MAX ? id : parent, 0, n});
    };
    for (uint32_t i = 0; i < words.size(); ++i) {
      const Piece& w = words[i];
      const size_t n = cps[i].size() - 1;
      if (n == 0) continue;
      add(w.key, w.key, base[i], last_of(i), UINT32_MAX, 1);
      // Parts of a compound (국방 in 국방부, 핵 in 핵무기): every run of two or
      // more syllables inside it, and its first syllable. A part seen in one
      // word only is not used (learn()), so 방부 of 국방부 never is.
      if (n >= 2 && n <= kMaxPartSyllables && !kKoreanFunction.count(w.key)) {
        const uint32_t parent = ids_.at(w.key);
        for (size_t b = 0; b < n; ++b)
          for (size_t e = b + 1; e <= n; ++e) {
            if (e - b == n || (e - b == 1 && b != 0) || (b != 0 && e != n)) continue;
            const std::string part = w.key.substr(cps[i][b], cps[i][e] - cps[i][b]);
            add(part, part, base[i] + static_cast<uint32_t>(b), base[i] + static_cast<uint32_t>(e) - 1, parent, 1);
            // Its context: the syllable after a part that starts the word,
            // the one before a part that ends it; a part inside is none.
            std::string around;
            if (b == 0) around = "P" + w.key.substr(cps[i][e], cps[i][e + 1] - cps[i][e]);
            else if (e == n) around = "S" + w.key.substr(cps[i][b - 1], cps[i][b] - cps[i][b - 1]);
            if (around.empty()) continue;
            if (auto it = ids_.find(part); it != ids_.end() && !unit.ko.empty() && unit.ko.back().id == it->second &&
                                           unit.ko.back().parent == parent)
              unit.ko.back().form = intern_form("", around);
          }
      }
      if (i + 1 < words.size() && w.whole && adjacent(ko, w, words[i + 1]) && !kKoreanFunction.count(w.key) &&
          !kKoreanFunction.count(words[i + 1].key) && cps[i + 1].size() > 1) {
        const Piece& v = words[i + 1];
        add(w.key + v.key, w.key + " " + v.key, base[i], last_of(i + 1), UINT32_MAX, 2);
      }
    }
  }
  // English: runs of one to three adjacent words, no function word at either
  // end. A run's candidate is its words' classes (english_class), so
  // "elections" and "election" count as one; the written form is kept.
  {
    std::vector<Piece> words;
    for (Piece& p : pieces_of(en))
      if (!p.korean) words.push_back(std::move(p));
    std::vector<std::string> classes;
    for (const Piece& w : words) classes.push_back(english_class(w.key));
    for (uint32_t i = 0; i < words.size(); ++i) {
      if (kEnglishFunction.count(words[i].key) || all_digits(words[i].key)) continue;
      std::string key = words[i].key, cls = classes[i];
      for (uint32_t j = i; j < words.size() && j < i + 3; ++j) {
        if (j > i) {
          if (!adjacent(en, words[j - 1], words[j])) break;
          key += ' ';
          key += words[j].key;
          cls += ' ';
          cls += classes[j];
        }
        if (kEnglishFunction.count(words[j].key) || all_digits(words[j].key)) continue;
        const std::string_view text = en.substr(words[i].begin, words[j].end - words[i].begin);
        const uint32_t id = intern(cls, text, false);
        unit.en.push_back({id, i, j, id, intern_form(key, text), static_cast<uint8_t>(j - i + 1)});
      }
    }
  }
  units_.push_back(std::move(unit));
}

namespace {

using Candidate = LexiconLearner::Candidate;

bool inside(const Candidate& a, const Candidate& b) { return a.first >= b.first && a.last <= b.last; }
bool disjoint(const Candidate& a, const Candidate& b) { return a.last < b.first || a.first > b.last; }

}  // namespace

Lexicon LexiconLearner::learn() const {
  Lexicon out;
  out.pairs = units_.size();
  const double n = static_cast<double>(units_.size());
  // Per candidate: pairs holding it (df) and occurrences (occ); for Korean
  // parts, whether they stand as a word somewhere or come from two words.
  std::vector<uint32_t> df(keys_.size(), 0), occ(keys_.size(), 0);
  std::vector<uint32_t> first_context(keys_.size(), UINT32_MAX);
  std::vector<bool> free_standing(keys_.size(), false), whole_word(keys_.size(), false);
  auto counted = [](const std::vector<Candidate>& list) {
    std::map<uint32_t, uint32_t> ids;
    for (const Candidate& c : list) ++ids[c.id];
    return ids;
  };
  for (const Unit& u : units_) {
    for (const auto& [id, k] : counted(u.ko)) ++df[id], occ[id] += k;
    for (const auto& [id, k] : counted(u.en)) ++df[id], occ[id] += k;
    for (const Candidate& c : u.ko) {
      if (c.parent == c.id) whole_word[c.id] = true;
      if (c.parent == c.id || (first_context[c.id] != UINT32_MAX && first_context[c.id] != c.form))
        free_standing[c.id] = true;
      if (c.parent != c.id) first_context[c.id] = c.form;
    }
  }
  const uint32_t min_df = std::max<uint32_t>(2, options_.min_links);
  // A one-syllable part (미 of 미국, 국 of 국가) must be a word somewhere too.
  auto usable = [&](uint32_t id) {
    return df[id] >= min_df &&
           (!korean_[id] || (keys_[id].size() <= 3 ? whole_word[id] : free_standing[id]));
  };
  auto pair_key = [](uint32_t k, uint32_t e) { return (static_cast<uint64_t>(k) << 32) | e; };
  struct Cooc {
    uint32_t pairs = 0;   // pairs holding both
    uint32_t shared = 0;  // sum over those pairs of min(occurrences of k, of e)
  };
  std::unordered_map<uint64_t, Cooc> cooc;
  for (const Unit& u : units_) {
    std::vector<std::pair<uint32_t, uint32_t>> ko, en;
    for (const auto& [id, k] : counted(u.ko))
      if (usable(id)) ko.emplace_back(id, k);
    for (const auto& [id, k] : counted(u.en))
      if (usable(id)) en.emplace_back(id, k);
    for (const auto& [k, kn] : ko)
      for (const auto& [e, en_n] : en) {
        Cooc& c = cooc[pair_key(k, e)];
        ++c.pairs;
        c.shared += std::min(kn, en_n);
      }
  }
  std::unordered_map<uint64_t, double> score;
  for (const auto& [key, c] : cooc) {
    if (c.pairs < options_.min_links) continue;
    const double s = g2(c.pairs, df[key >> 32], df[key & 0xffffffffu], n);
    if (s >= options_.min_g2) score.emplace(key, s);
  }

  // Competitive linking, pair by pair. A link (k', e') that contains a link
  // (k, e) on both sides -- a longer English run (North Korea over North), a
  // whole word over its part (국방부 over 국방) -- is taken first when its G2
  // is at least half the shorter one's and the words it adds have no
  // translation of their own in the pair (트럼프 stays Trump when 대통령 is
  // there for "President"). A link inside a link already made (국방 and
  // "defense" inside 국방부 and "defense ministry", 핵 and "nuclear" inside
  // 핵무기 and "nuclear weapon") is counted too: parts learn from compounds.
  std::unordered_map<uint64_t, uint32_t> links;
  std::unordered_map<uint64_t, std::map<uint32_t, uint32_t>> link_forms;  // English written forms linked
  struct Link {
    double rank;
    double score;
    uint32_t k, e;  // indices into the unit's ko / en lists
  };
  for (const Unit& u : units_) {
    const size_t nk = u.ko.size(), ne = u.en.size();
    std::vector<int32_t> at(nk * ne, -1);
    std::vector<Link> cand;
    for (uint32_t a = 0; a < nk; ++a) {
      if (!usable(u.ko[a].id)) continue;
      for (uint32_t b = 0; b < ne; ++b) {
        auto it = score.find(pair_key(u.ko[a].id, u.en[b].id));
        if (it == score.end()) continue;
        at[a * ne + b] = static_cast<int32_t>(cand.size());
        cand.push_back({it->second * (1 + 0.02 * (u.ko[a].words + u.en[b].words - 2)), it->second, a, b});
      }
    }
    if (cand.empty()) continue;
    std::vector<std::vector<uint32_t>> ko_up(nk), en_up(ne);  // candidates containing each one
    for (uint32_t a = 0; a < nk; ++a)
      for (uint32_t b = 0; b < nk; ++b)
        if (a != b && inside(u.ko[a], u.ko[b]) && !(inside(u.ko[b], u.ko[a]))) ko_up[a].push_back(b);
    for (uint32_t a = 0; a < ne; ++a)
      for (uint32_t b = 0; b < ne; ++b)
        if (a != b && inside(u.en[a], u.en[b]) && !(inside(u.en[b], u.en[a]))) en_up[a].push_back(b);
    // Whether the words a longer link adds have a translation of their own here.
    // (A translation of its own: a link of those words with others that
    // scores at least as high as the longer link.)
    auto adds_translated = [&](const Link& shorter, uint32_t k2, uint32_t e2, double longer_score) {
      const Candidate &k = u.ko[shorter.k], &e = u.en[shorter.e], &K = u.ko[k2], &E = u.en[e2];
      for (const Link& l : cand) {
        if (l.score < longer_score) continue;
        const Candidate &y = u.ko[l.k], &x = u.en[l.e];
        if (inside(y, K) && disjoint(y, k) && disjoint(x, E)) return true;
        if (inside(x, E) && disjoint(x, e) && disjoint(y, K)) return true;
      }
      return false;
    };
    std::vector<double> rank(cand.size());
    for (size_t i = 0; i < cand.size(); ++i) rank[i] = cand[i].rank;
    for (const Link& l : cand) {
      std::vector<uint32_t> ks{l.k}, es{l.e};
      ks.insert(ks.end(), ko_up[l.k].begin(), ko_up[l.k].end());
      es.insert(es.end(), en_up[l.e].begin(), en_up[l.e].end());
      for (uint32_t k2 : ks)
        for (uint32_t e2 : es) {
          if (k2 == l.k && e2 == l.e) continue;
          const int32_t j = at[k2 * ne + e2];
          if (j < 0 || cand[j].score < 0.5 * l.score || adds_translated(l, k2, e2, cand[j].score)) continue;
          const double size = u.ko[k2].last - u.ko[k2].first + u.en[e2].last - u.en[e2].first;
          rank[j] = std::max(rank[j], l.rank * (1.0001 + 1e-6 * size));
        }
    }
    std::vector<uint32_t> order(cand.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (rank[a] != rank[b]) return rank[a] > rank[b];
      return std::tie(keys_[u.ko[cand[a].k].id], keys_[u.en[cand[a].e].id]) <
             std::tie(keys_[u.ko[cand[b].k].id], keys_[u.en[cand[b].e].id]);
    });
    // A part of a word (국민 of 국민투표) is linked on its own only when the
    // word has no translation in this pair; otherwise only inside the
    // word's link (국방 -> defense inside 국방부 -> defense ministry).
    std::vector<bool> word_has_link(nk, false), part_alone(nk, true);
    for (const Link& l : cand) word_has_link[l.k] = true;
    for (uint32_t a = 0; a < nk; ++a) {
      if (u.ko[a].parent == u.ko[a].id) continue;
      for (uint32_t b : ko_up[a])
        if (u.ko[b].id == u.ko[a].parent && word_has_link[b]) part_alone[a] = false;
    }
    std::vector<int32_t> ko_owner, en_owner;  // link index holding each position, -1 free
    std::vector<bool> ko_nested, en_nested;
    auto owner_of = [](std::vector<int32_t>& owner, const Candidate& c) -> int32_t {
      if (owner.size() <= c.last) owner.resize(c.last + 1, -1);
      int32_t o = owner[c.first];
      for (uint32_t p = c.first; p <= c.last; ++p)
        if (owner[p] != o) return -2;  // straddles
      return o;
    };
    auto nested_free = [](std::vector<bool>& used, const Candidate& c) {
      if (used.size() <= c.last) used.resize(c.last + 1, false);
      for (uint32_t p = c.first; p <= c.last; ++p)
        if (used[p]) return false;
      return true;
    };
    std::set<uint64_t> linked_here;
    std::vector<bool> taken(cand.size(), false);
    // First the links of their own, then the links inside them.
    for (int pass = 0; pass < 2; ++pass)
      for (uint32_t i : order) {
        if (taken[i]) continue;
        const Candidate &k = u.ko[cand[i].k], &e = u.en[cand[i].e];
        const int32_t ok = owner_of(ko_owner, k), oe = owner_of(en_owner, e);
        if (pass == 0) {
          if (ok != -1 || oe != -1 || !part_alone[cand[i].k]) continue;
          for (uint32_t p = k.first; p <= k.last; ++p) ko_owner[p] = static_cast<int32_t>(i);
          for (uint32_t p = e.first; p <= e.last; ++p) en_owner[p] = static_cast<int32_t>(i);
        } else {
          // Inside the link made there, strictly smaller on both sides.
          if (ok < 0 || ok != oe) continue;
          const Link& outer = cand[static_cast<size_t>(ok)];
          const Candidate &K = u.ko[outer.k], &E = u.en[outer.e];
          if (inside(K, k) || inside(E, e)) continue;
          // At the same end of both (국방 and "defense" first in 국방부 and
          // "defense ministry"; not 나이트 and "Dark" in 다크 나이트 and "Dark
          // Knight"); a run of three words ("Department of Defense") may put
          // its head first.
          const bool ks = k.first == K.first, ke = k.last == K.last, es = e.first == E.first, ee = e.last == E.last;
          if (E.last - E.first < 2 && !((ks && es) || (ke && ee) || (!ks && !ke && !es && !ee))) continue;
          if (!nested_free(ko_nested, k) || !nested_free(en_nested, e)) continue;
          for (uint32_t p = k.first; p <= k.last; ++p) ko_nested[p] = true;
          for (uint32_t p = e.first; p <= e.last; ++p) en_nested[p] = true;
        }
        taken[i] = true;
        const uint64_t key = pair_key(k.id, e.id);
        if (linked_here.insert(key).second) ++link_forms[key][e.form];
      }
    for (uint64_t k : linked_here) ++links[k];
  }
  // The English form to show for a translation: the one most often linked,
  // but lower case when a quarter of the linked uses are in lower case
  // (sentence-initial capitals are not a proper noun's). Ties: the smaller text.
  auto shown_form = [&](const std::map<uint32_t, uint32_t>& linked) {
    // A possessive counts for the bare form when that is written too
    // (Martin's for Martin; Sainsbury's, never written bare, stays).
    std::map<uint32_t, uint32_t> forms = linked;
    std::map<std::string, uint32_t> by_text;
    for (const auto& [f, c] : linked) by_text.emplace(form_texts_[f], f);
    for (const auto& [f, c] : linked) {
      const std::string& t = form_texts_[f];
      for (std::string_view tail : {std::string_view("'s"), std::string_view("\u2019s")}) {
        if (!t.ends_with(tail)) continue;
        auto bare = by_text.find(t.substr(0, t.size() - tail.size()));
        if (bare == by_text.end()) continue;
        forms[bare->second] += c;
        forms.erase(f);
      }
    }
    uint32_t total = 0, lower = 0;
    for (const auto& [f, c] : forms) {
      total += c;
      if (lower_case(form_texts_[f])) lower += c;
    }
    const bool want_lower = 4 * lower >= total && lower > 0;
    uint32_t best = UINT32_MAX, best_count = 0;
    for (const auto& [f, c] : forms) {
      if (want_lower && !lower_case(form_texts_[f])) continue;
      if (best == UINT32_MAX || c > best_count || (c == best_count && form_texts_[f] < form_texts_[best])) {
        best = f;
        best_count = c;
      }
    }
    return best;
  };
  // The Korean form to show: the term without its particle, words spaced.
  auto korean_form = [&](uint32_t id) {
    const auto& forms = forms_[id];
    return std::max_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
             return a.second < b.second;
           })->first;
  };
  for (const auto& [key, l] : links) {
    const Cooc& c = cooc.at(key);
    if (l < options_.min_links) continue;
    const uint32_t k = static_cast<uint32_t>(key >> 32), e = static_cast<uint32_t>(key & 0xffffffffu);
    // Dice over occurrences: how much of the two terms' uses coincide.
    const double dice = 2.0 * c.shared / static_cast<double>(occ[k] + occ[e]);
    const double s = score.at(key);
    const auto& forms = link_forms.at(key);
    const uint32_t f = shown_form(forms);
    const std::string ko_text = korean_form(k);
    const LexiconLink link{keys_[k], ko_text, form_keys_[f], form_texts_[f], l, s, c.pairs, dice};
    const bool usual = l >= options_.min_link_share * c.pairs && dice >= options_.min_dice;
    const bool strong = options_.strong_links > 0 && l >= options_.strong_links &&
                        l >= options_.strong_link_share * c.pairs && dice >= options_.strong_min_dice;
    if (!usual && !strong) {
      out.rejected.push_back(link);
      continue;
    }
    out.translations.push_back(link);
    out.entries[keys_[k]].push_back({form_keys_[f], form_texts_[f], "en", l, s, ""});
    // The English side is looked up by what users type: every form linked in
    // a fifth of the pairs or more (election, elections).
    uint32_t total = 0;
    for (const auto& [g, n] : forms) total += n;
    std::set<std::string> english_keys{form_keys_[f]};
    for (const auto& [g, n] : forms)
      if (5 * n >= total) english_keys.insert(form_keys_[g]);
    for (const std::string& ek : english_keys) out.entries[ek].push_back({keys_[k], ko_text, "ko", l, s, ""});
    ++out.links;
  }
  auto by_korean = [](const LexiconLink& a, const LexiconLink& b) {
    if (a.ko_text != b.ko_text) return a.ko_text < b.ko_text;
    if (a.links != b.links) return a.links > b.links;
    return a.en_text < b.en_text;
  };
  std::sort(out.translations.begin(), out.translations.end(), by_korean);
  std::sort(out.rejected.begin(), out.rejected.end(), by_korean);
  for (auto& [key, list] : out.entries) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      if (a.evidence != b.evidence) return a.evidence > b.evidence;
      if (a.score != b.score) return a.score > b.score;
      return a.key < b.key;
    });
    // Two classes shown with the same text (Trump's, Trump) count once.
    std::set<std::string> seen;
    list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& t) { return !seen.insert(t.key).second; }),
               list.end());
    if (list.size() > options_.max_translations) list.resize(options_.max_translations);
  }
  return out;
}

}  // namespace bisearch::indexer
