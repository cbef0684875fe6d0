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

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

struct Piece {
  std::string key;   // K text (Korean) or word (English)
  uint32_t begin = 0, end = 0;
  bool korean = false;
  bool whole = true;  // Korean: nothing was stripped off the word
};

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
    if (!have_word && !p.korean) continue;  // a lone CJK character or nothing
    if (p.korean) p.whole = p.key == text.substr(p.begin, p.end - p.begin);
    out.push_back(std::move(p));
  }
  return out;
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

void LexiconLearner::add_pair(std::string_view ko, std::string_view en) {
  if (units_.size() >= options_.max_pairs) return;
  Unit unit;
  // Korean: words and adjacent word pairs (the first without a particle).
  {
    std::vector<Piece> all = pieces_of(ko);
    std::vector<Piece> words;
    for (Piece& p : all)
      if (p.korean) words.push_back(std::move(p));
    for (uint32_t i = 0; i < words.size(); ++i) {
      const Piece& w = words[i];
      if (!kKoreanFunction.count(w.key) && !all_digits(w.key))
        unit.ko.push_back({intern(w.key, ko.substr(w.begin, w.end - w.begin), true), i, i});
      if (i + 1 < words.size() && w.whole && adjacent(ko, w, words[i + 1]) && !kKoreanFunction.count(w.key) &&
          !kKoreanFunction.count(words[i + 1].key)) {
        const Piece& v = words[i + 1];
        unit.ko.push_back({intern(w.key + v.key, ko.substr(w.begin, v.end - w.begin), true), i, i + 1});
      }
    }
  }
  // English: runs of one to three adjacent words, no function word at either end.
  {
    std::vector<Piece> all = pieces_of(en);
    std::vector<Piece> words;
    for (Piece& p : all)
      if (!p.korean) words.push_back(std::move(p));
    for (uint32_t i = 0; i < words.size(); ++i) {
      if (kEnglishFunction.count(words[i].key) || all_digits(words[i].key)) continue;
      std::string key = words[i].key;
      for (uint32_t j = i; j < words.size() && j < i + 3; ++j) {
        if (j > i) {
          if (!adjacent(en, words[j - 1], words[j])) break;
          key += ' ';
          key += words[j].key;
        }
        if (kEnglishFunction.count(words[j].key) || all_digits(words[j].key)) continue;
        unit.en.push_back({intern(key, en.substr(words[i].begin, words[j].end - words[i].begin), false), i, j});
      }
    }
  }
  units_.push_back(std::move(unit));
}

Lexicon LexiconLearner::learn() const {
  Lexicon out;
  out.pairs = units_.size();
  const double n = static_cast<double>(units_.size());
  // Per candidate: pairs holding it (df) and occurrences (occ).
  std::vector<uint32_t> df(keys_.size(), 0), occ(keys_.size(), 0);
  auto counted = [](const std::vector<Candidate>& list) {
    std::map<uint32_t, uint32_t> ids;
    for (const Candidate& c : list) ++ids[c.id];
    return ids;
  };
  for (const Unit& u : units_) {
    for (const auto& [id, k] : counted(u.ko)) ++df[id], occ[id] += k;
    for (const auto& [id, k] : counted(u.en)) ++df[id], occ[id] += k;
  }
  const uint32_t min_df = std::max<uint32_t>(2, options_.min_links);
  auto pair_key = [](uint32_t k, uint32_t e) { return (static_cast<uint64_t>(k) << 32) | e; };
  struct Cooc {
    uint32_t pairs = 0;   // pairs holding both
    uint32_t shared = 0;  // sum over those pairs of min(occurrences of k, of e)
  };
  std::unordered_map<uint64_t, Cooc> cooc;
  for (const Unit& u : units_) {
    std::vector<std::pair<uint32_t, uint32_t>> ko, en;
    for (const auto& [id, k] : counted(u.ko))
      if (df[id] >= min_df) ko.emplace_back(id, k);
    for (const auto& [id, k] : counted(u.en))
      if (df[id] >= min_df) en.emplace_back(id, k);
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
  // Competitive linking, pair by pair; among links of (nearly) equal G2 the
  // longer term goes first, so "extended deterrence" wins over "deterrence"
  // when the two always occur together.
  std::unordered_map<uint64_t, uint32_t> links;
  struct Link {
    double rank;
    const Candidate* ko;
    const Candidate* en;
  };
  auto words = [](const Candidate& c) { return static_cast<double>(c.last - c.first + 1); };
  for (const Unit& u : units_) {
    std::vector<Link> candidates;
    for (const Candidate& k : u.ko)
      for (const Candidate& e : u.en) {
        auto it = score.find(pair_key(k.id, e.id));
        if (it != score.end())
          candidates.push_back({it->second * (1 + 0.02 * (words(k) + words(e) - 2)), &k, &e});
      }
    std::sort(candidates.begin(), candidates.end(), [&](const Link& a, const Link& b) {
      if (a.rank != b.rank) return a.rank > b.rank;
      return std::tie(keys_[a.ko->id], keys_[a.en->id]) < std::tie(keys_[b.ko->id], keys_[b.en->id]);
    });
    std::vector<bool> ko_used, en_used;
    auto free_range = [](std::vector<bool>& used, const Candidate& c) {
      if (used.size() <= c.last) used.resize(c.last + 1, false);
      for (uint32_t p = c.first; p <= c.last; ++p)
        if (used[p]) return false;
      return true;
    };
    std::set<uint64_t> linked_here;
    for (const Link& l : candidates) {
      if (!free_range(ko_used, *l.ko) || !free_range(en_used, *l.en)) continue;
      for (uint32_t p = l.ko->first; p <= l.ko->last; ++p) ko_used[p] = true;
      for (uint32_t p = l.en->first; p <= l.en->last; ++p) en_used[p] = true;
      linked_here.insert(pair_key(l.ko->id, l.en->id));
    }
    for (uint64_t k : linked_here) ++links[k];
  }
  auto best_form = [&](uint32_t id) {
    const auto& forms = forms_[id];
    return std::max_element(forms.begin(), forms.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
  };
  // English runs that contain a shorter run, by the shorter one's id: a link
  // to "change" becomes one to "climate change" when the longer run occurs
  // in nearly every pair where the link was made (competitive linking takes
  // whichever of the two scores higher, and the shorter one often does).
  std::unordered_map<uint32_t, std::vector<uint32_t>> longer;
  for (uint32_t id = 0; id < keys_.size(); ++id) {
    if (korean_[id] || keys_[id].find(' ') == std::string::npos) continue;
    std::vector<std::string> w;
    for (size_t b = 0, e; b <= keys_[id].size(); b = e + 1) {
      e = keys_[id].find(' ', b);
      if (e == std::string::npos) e = keys_[id].size();
      w.push_back(keys_[id].substr(b, e - b));
    }
    for (size_t i = 0; i < w.size(); ++i) {
      std::string sub;
      for (size_t j = i; j < w.size(); ++j) {
        sub += (j > i ? " " : "") + w[j];
        if (j - i + 1 == w.size()) break;
        if (auto it = ids_.find(sub); it != ids_.end()) longer[it->second].push_back(id);
      }
    }
  }
  std::set<uint64_t> kept;
  for (const auto& [key, l] : links) {
    const Cooc& c = cooc.at(key);
    if (l < options_.min_links || l < options_.min_link_share * c.pairs) continue;
    const uint32_t k = static_cast<uint32_t>(key >> 32);
    uint32_t e = static_cast<uint32_t>(key & 0xffffffffu);
    // Dice over occurrences: how much of the two terms' uses coincide.
    const double dice = 2.0 * c.shared / static_cast<double>(occ[k] + occ[e]);
    if (dice < options_.min_dice) continue;
    if (auto it = longer.find(e); it != longer.end()) {
      uint32_t best = e, best_pairs = 0;
      for (uint32_t x : it->second) {
        auto cx = cooc.find(pair_key(k, x));
        if (cx == cooc.end() || !score.count(pair_key(k, x)) || cx->second.pairs < 0.8 * l) continue;
        if (cx->second.pairs > best_pairs ||
            (cx->second.pairs == best_pairs && keys_[x].size() > keys_[best].size())) {
          best = x;
          best_pairs = cx->second.pairs;
        }
      }
      e = best;
    }
    if (!kept.insert(pair_key(k, e)).second) continue;
    const double s = score.at(pair_key(k, e));
    out.entries[keys_[k]].push_back({keys_[e], best_form(e), "en", l, s, ""});
    out.entries[keys_[e]].push_back({keys_[k], best_form(k), "ko", l, s, ""});
    ++out.links;
  }
  for (auto& [key, list] : out.entries) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      if (a.evidence != b.evidence) return a.evidence > b.evidence;
      if (a.score != b.score) return a.score > b.score;
      return a.key < b.key;
    });
    if (list.size() > options_.max_translations) list.resize(options_.max_translations);
  }
  return out;
}

}  // namespace bisearch::indexer
