// hangul.cc: the particle and ending table used to form Korean word terms.
#include "analysis/hangul.h"

#include <algorithm>
#include <array>
#include <string>

namespace bisearch::analysis {
namespace {

// Particles (josa), the plural 들, copula forms, the light-verb endings of
// 하다/되다 nouns (구축했다, 통합되는) and the adjectival suffix 적 (효율적인).
// Longest match wins; stripping repeats (국민들은 -> 국민들 -> 국민).
constexpr std::array kSuffixes = {
    // case particles
    U"이", U"가", U"은", U"는", U"을", U"를", U"의", U"에", U"도", U"로", U"와", U"과",
    U"만", U"께", U"나", U"며", U"란", U"라", U"으로", U"에서", U"에게", U"한테", U"께서",
    U"까지", U"부터", U"보다", U"처럼", U"마다", U"조차", U"마저", U"이나", U"이며", U"이란",
    U"이라", U"라는", U"이라는", U"으로서", U"로서", U"으로써", U"로써", U"에서는", U"에서도",
    U"에서의", U"에서부터", U"에는", U"에도", U"에의", U"에게는", U"으로는", U"로는", U"으로도",
    U"로도", U"으로의", U"로의", U"와의", U"과의", U"와는", U"과는", U"와도", U"과도", U"까지는",
    U"까지도", U"부터는", U"만은", U"만이", U"만을", U"이나마", U"이든", U"든", U"이야", U"야",
    U"에게서", U"으로부터", U"로부터", U"이라고", U"라고", U"이라도", U"라도", U"밖에",
    // plural
    U"들",
    // copula
    U"이다", U"였다", U"이었다", U"입니다", U"이고", U"이며", U"이었고", U"였고",
    // 하다 / 되다 / 시키다 light verbs
    U"하다", U"한다", U"했다", U"하였다", U"하는", U"하고", U"하여", U"하며", U"한", U"할", U"함",
    U"해", U"해야", U"해서", U"했고", U"하였고", U"하기", U"하게", U"하지", U"하면", U"하도록",
    U"했으며", U"하였으며", U"합니다", U"했습니다", U"하였습니다", U"함으로써", U"하던", U"했던",
    U"하려는", U"하려면", U"하자", U"할수", U"해온", U"해왔다", U"해야할", U"하기로", U"되다",
    U"된다", U"됐다", U"되었다", U"되는", U"된", U"될", U"되어", U"되고", U"되며", U"되었고",
    U"됐고", U"됨", U"되기", U"되지", U"되면", U"되도록", U"됩니다", U"되었습니다", U"되었으며",
    U"됐으며", U"되던", U"되었던", U"시키는", U"시킨", U"시키고", U"시켰다", U"시키기",
    // -적 (효율적, 효율적인, 효율적으로)
    U"적", U"적인", U"적으로", U"적이다", U"적이고",
};

struct Table {
  std::array<std::u32string_view, kSuffixes.size()> items{};
  // The suffixes that end in each Hangul syllable, longest first: most
  // words end in none of them and are rejected by one lookup, the rest
  // try a handful of candidates instead of a search per length.
  std::vector<std::vector<std::u32string_view>> ending_in =
      std::vector<std::vector<std::u32string_view>>(0xD7A4 - 0xAC00);
  Table() {
    for (size_t i = 0; i < kSuffixes.size(); ++i) items[i] = kSuffixes[i];
    std::sort(items.begin(), items.end());
    for (size_t i = 0; i < items.size(); ++i)
      if (i == 0 || items[i] != items[i - 1]) ending_in[items[i].back() - 0xAC00].push_back(items[i]);
    for (auto& v : ending_in)
      std::stable_sort(v.begin(), v.end(), [](auto a, auto b) { return a.size() > b.size(); });
  }
  const std::vector<std::u32string_view>* candidates(char32_t c) const {
    if (c < 0xAC00 || c > 0xD7A3) return nullptr;
    const auto& v = ending_in[c - 0xAC00];
    return v.empty() ? nullptr : &v;
  }
  bool contains(std::u32string_view s) const { return std::binary_search(items.begin(), items.end(), s); }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

bool is_hangul_syllable(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

bool contains_hangul(std::string_view text) {
  // U+AC00..U+D7A3 encode as EA B0 80 .. ED 9E A3.
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const unsigned char a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
    if ((a == 0xEA && b >= 0xB0) || a == 0xEB || a == 0xEC || (a == 0xED && b <= 0x9E)) return true;
  }
  return false;
}

size_t strip_suffix_length(const std::u32string_view run, size_t min_stem) {
  const Table& t = table();
  size_t stripped = 0;
  for (int round = 0; round < 2; ++round) {
    const std::u32string_view rest = run.substr(0, run.size() - stripped);
    if (rest.empty()) break;
    const auto* candidates = t.candidates(rest.back());
    if (candidates == nullptr) break;
    // The longest suffix that matches and leaves at least min_stem syllables.
    size_t best = 0;
    for (const std::u32string_view s : *candidates) {
      if (s.size() > rest.size() || rest.size() - s.size() < min_stem) continue;
      if (rest.substr(rest.size() - s.size()) == s) {
        best = s.size();
        break;
      }
    }
    if (best == 0) break;
    stripped += best;
  }
  return stripped;
}

bool is_particle(const std::u32string_view run) {
  return !run.empty() && table().contains(run);
}

}  // namespace bisearch::analysis
