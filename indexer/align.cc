// align.cc: sentence alignment of a Korean text and its translation (length + anchors DP).
#include "indexer/align.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "indexer/segment.h"

namespace bisearch::indexer {
namespace {

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Lines of @p text that hold something other than whitespace, trimmed.
std::vector<Span> lines_of(std::string_view text) {
  std::vector<Span> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    size_t b = start, e = nl;
    while (b < e && is_space_byte(text[b])) ++b;
    while (e > b && is_space_byte(text[e - 1])) --e;
    if (e > b) out.push_back({b, e});
    start = nl + 1;
  }
  return out;
}

size_t count_lines(const std::vector<std::string_view>& side) {
  size_t n = 0;
  for (std::string_view p : side) n += lines_of(p).size();
  return n;
}

std::vector<AlignUnit> units_of(const std::vector<std::string_view>& side, bool lines_only) {
  std::vector<AlignUnit> out;
  for (uint32_t p = 0; p < side.size(); ++p) {
    for (const Span& line : lines_of(side[p])) {
      if (lines_only) {
        out.push_back({p, static_cast<uint32_t>(line.begin), static_cast<uint32_t>(line.end)});
        continue;
      }
      for (const Span& s : split_sentences(side[p], line))
        out.push_back({p, static_cast<uint32_t>(s.begin), static_cast<uint32_t>(s.end)});
    }
  }
  return out;
}

// Code points that are not ASCII whitespace.
double length_of(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && !is_space_byte(c)) ++n;
  return static_cast<double>(n);
}

// Numbers of 2+ digits and ASCII words of 2+ letters, upper-cased.
std::set<std::string> anchors_of(std::string_view text) {
  std::set<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!digit && !alpha) {
      ++i;
      continue;
    }
    size_t j = i;
    std::string run;
    while (j < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[j]);
      const bool same = digit ? (d >= '0' && d <= '9') : ((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z'));
      if (!same) break;
      run.push_back(static_cast<char>(d >= 'a' && d <= 'z' ? d - 32 : d));
      ++j;
    }
    if (run.size() >= 2) out.insert(std::move(run));
    i = j;
  }
  return out;
}

struct UnitInfo {
  double length = 0;
  std::set<std::string> anchors;
};

std::vector<UnitInfo> info_of(const std::vector<AlignUnit>& units, const std::vector<std::string_view>& side) {
  std::vector<UnitInfo> out;
  out.reserve(units.size());
  for (const AlignUnit& u : units) {
    const std::string_view t = side[u.passage].substr(u.begin, u.end - u.begin);
    out.push_back({length_of(t), anchors_of(t)});
  }
  return out;
}

// Bead types: (units of A, units of B, -log prior). Priors as Gale and
// Church measured them for 1-1, 1-0/0-1, 2-1/1-2 and 2-2.
struct BeadType {
  int a, b;
  double penalty;
};
constexpr BeadType kTypes[] = {
    {1, 1, 0.117}, {1, 0, 5.3}, {0, 1, 5.3}, {2, 1, 2.42}, {1, 2, 2.42}, {2, 2, 4.5},
};
// Between lines of line-aligned files nearly every bead is 1-1; a 2-1 joins
// the two pieces of a line that segmentation cut into two passages, and a
// line left out costs more than any length mismatch of a true pair.
// Lines of one passage are separate lines for sure, so two lines are joined
// only across a passage boundary; 2-2 beads are not used.
constexpr BeadType kLineTypes[] = {
    {1, 1, 0.01}, {1, 0, 9.0}, {0, 1, 9.0}, {2, 1, 5.0}, {1, 2, 5.0},
};

// Whether two sides of @p la and @p lb lines are line-aligned files: about
// as many lines on both sides (a few lines cut in two by segmentation, or
// one left out, make the counts differ slightly).
bool lines_match(size_t la, size_t lb) {
  if (la < 2 || lb < 2) return false;
  const size_t diff = la > lb ? la - lb : lb - la;
  return diff <= std::max<size_t>(2, std::max(la, lb) / 50);
}

}  // namespace

Alignment align_passages(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                         const AlignOptions& options) {
  Alignment out;
  const size_t la = count_lines(a), lb = count_lines(b);
  out.line_aligned = lines_match(la, lb);
  out.a_units = units_of(a, out.line_aligned);
  out.b_units = units_of(b, out.line_aligned);
  const size_t n = out.a_units.size(), m = out.b_units.size();
  if (n == 0 || m == 0 || n > options.max_units || m > options.max_units) return out;
  const std::vector<UnitInfo> ia = info_of(out.a_units, a), ib = info_of(out.b_units, b);
  double total_a = 0, total_b = 0;
  for (const UnitInfo& u : ia) total_a += u.length;
  for (const UnitInfo& u : ib) total_b += u.length;
  const double ratio = total_b / std::max(1.0, total_a);
  if (ratio < options.min_length_ratio || ratio > options.max_length_ratio ||
      static_cast<double>(std::min(n, m)) < options.min_unit_share * static_cast<double>(std::max(n, m)))
    return out;
  const double variance = 6.8 * ratio;
  const BeadType* types = out.line_aligned ? kLineTypes : kTypes;
  const uint8_t type_count = static_cast<uint8_t>(out.line_aligned ? std::size(kLineTypes) : std::size(kTypes));
  // Units k and k + 1 are the end of one passage and the start of the next
  // (the two pieces of a line the passages may have cut).
  auto joinable = [](const std::vector<AlignUnit>& units, size_t k) {
    return k + 1 < units.size() && units[k + 1].passage == units[k].passage + 1;
  };

  auto cost = [&](size_t i, int da, size_t j, int db) {
    double len_a = 0, len_b = 0;
    std::set<std::string> anchors_a, anchors_b;
    for (int k = 0; k < da; ++k) {
      len_a += ia[i + k].length;
      anchors_a.insert(ia[i + k].anchors.begin(), ia[i + k].anchors.end());
    }
    for (int k = 0; k < db; ++k) {
      len_b += ib[j + k].length;
      anchors_b.insert(ib[j + k].anchors.begin(), ib[j + k].anchors.end());
    }
    if (da == 0 || db == 0) return 0.0;
    const double mean = (len_a * ratio + len_b) / 2;
    const double delta = (len_b - len_a * ratio) / std::sqrt(std::max(1.0, mean / ratio) * variance);
    double c = -std::log(std::max(std::erfc(std::fabs(delta) / std::sqrt(2.0)), 1e-300));
    int shared = 0;
    for (const std::string& x : anchors_a) shared += anchors_b.count(x) ? 1 : 0;
    c -= 1.5 * std::min(shared, 3);
    return c;
  };

  // Band: cell (i, j) is searched when j is within `band` of i * m / n.
  const double slope = static_cast<double>(m) / static_cast<double>(n);
  const long band = static_cast<long>(std::max<size_t>(30, (n > m ? n - m : m - n) / 4 + 30));
  auto lo = [&](size_t i) { return static_cast<long>(std::floor(i * slope)) - band; };
  auto in_band = [&](size_t i, size_t j) {
    const long c = static_cast<long>(std::floor(i * slope));
    return static_cast<long>(j) >= c - band && static_cast<long>(j) <= c + band;
  };
  const size_t width = static_cast<size_t>(2 * band + 1);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best((n + 1) * width, inf);
  std::vector<uint8_t> from((n + 1) * width, 255);
  auto cell = [&](size_t i, size_t j) -> size_t { return i * width + static_cast<size_t>(static_cast<long>(j) - lo(i)); };
  best[cell(0, 0)] = 0;
  for (size_t i = 0; i <= n; ++i) {
    const long jlo = std::max<long>(0, lo(i)), jhi = std::min<long>(static_cast<long>(m), lo(i) + 2 * band);
    for (long jj = jlo; jj <= jhi; ++jj) {
      const size_t j = static_cast<size_t>(jj);
      if (i == 0 && j == 0) continue;
      double here = inf;
      uint8_t how = 255;
      for (uint8_t t = 0; t < type_count; ++t) {
        const BeadType& bt = types[t];
        if (static_cast<size_t>(bt.a) > i || static_cast<size_t>(bt.b) > j) continue;
        const size_t pi = i - bt.a, pj = j - bt.b;
        if (out.line_aligned && ((bt.a == 2 && !joinable(out.a_units, pi)) || (bt.b == 2 && !joinable(out.b_units, pj))))
          continue;
        if (!in_band(pi, pj)) continue;
        const double prev = best[cell(pi, pj)];
        if (prev == inf) continue;
        const double c = prev + bt.penalty + cost(pi, bt.a, pj, bt.b);
        if (c < here) {
          here = c;
          how = t;
        }
      }
      best[cell(i, j)] = here;
      from[cell(i, j)] = how;
    }
  }
  if (!in_band(n, m) || best[cell(n, m)] == inf) return out;
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    const BeadType& bt = types[from[cell(i, j)]];
    i -= bt.a;
    j -= bt.b;
    out.beads.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(bt.a), static_cast<uint32_t>(j),
                         static_cast<uint32_t>(bt.b)});
  }
  std::reverse(out.beads.begin(), out.beads.end());
  return out;
}

std::vector<std::vector<uint32_t>> passage_counterparts(const Alignment& alignment,
                                                        const std::vector<std::string_view>& a,
                                                        const std::vector<std::string_view>& b, bool a_to_b) {
  const auto& from_units = a_to_b ? alignment.a_units : alignment.b_units;
  const auto& to_units = a_to_b ? alignment.b_units : alignment.a_units;
  const auto& from_text = a_to_b ? a : b;
  const auto& to_text = a_to_b ? b : a;
  std::vector<std::map<uint32_t, double>> weight(from_text.size());
  for (const Bead& bead : alignment.beads) {
    const uint32_t fb = a_to_b ? bead.a_begin : bead.b_begin, fc = a_to_b ? bead.a_count : bead.b_count;
    const uint32_t tb = a_to_b ? bead.b_begin : bead.a_begin, tc = a_to_b ? bead.b_count : bead.a_count;
    if (fc == 0 || tc == 0) continue;
    double to_total = 0;
    std::map<uint32_t, double> to_mass;
    for (uint32_t k = tb; k < tb + tc; ++k) {
      const AlignUnit& u = to_units[k];
      const double len = std::max(1.0, length_of(to_text[u.passage].substr(u.begin, u.end - u.begin)));
      to_mass[u.passage] += len;
      to_total += len;
    }
    for (uint32_t k = fb; k < fb + fc; ++k) {
      const AlignUnit& u = from_units[k];
      const double len = std::max(1.0, length_of(from_text[u.passage].substr(u.begin, u.end - u.begin)));
      for (const auto& [p, mass] : to_mass) weight[u.passage][p] += len * mass / to_total;
    }
  }
  std::vector<std::vector<uint32_t>> out(from_text.size());
  for (size_t p = 0; p < weight.size(); ++p) {
    std::vector<std::pair<double, uint32_t>> ranked;
    double total = 0;
    for (const auto& [q, w] : weight[p]) {
      ranked.emplace_back(w, q);
      total += w;
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (size_t k = 0; k < ranked.size(); ++k)
      if (k == 0 || ranked[k].first >= 0.25 * total) out[p].push_back(ranked[k].second);
  }
  return out;
}

}  // namespace bisearch::indexer
