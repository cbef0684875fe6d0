// bisearch-extract: runs the indexer's format readers on files or folders and prints what they
// extract (per file: format, blocks, Hangul syllables, milliseconds) or, with --text, the text itself.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "analysis/hangul.h"
#include "indexer/extract.h"
#include "indexer/sniff.h"
#include "indexer/walk.h"

namespace fs = std::filesystem;
using namespace bisearch::indexer;

namespace {

size_t hangul_syllables(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xF0) != 0xE0) continue;
    const char32_t cp = (c & 0x0F) << 12 | (static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6 |
                        (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    if (bisearch::analysis::is_hangul_syllable(cp)) ++n;
  }
  return n;
}

int usage(int code) {
  std::cout << "usage: bisearch-extract [--text] [--repeat N] PATH...\n"
               "Reads each PDF/HTML/DOCX/HWPX/HWP file (folders are walked as bisearch-index does) with\n"
               "the indexer's readers. Prints one line per file: format, blocks, unit, Hangul syllables,\n"
               "bytes of text, milliseconds, or the problem; then a total per format and overall.\n"
               "--text prints the extracted text instead, blocks separated by blank lines, each\n"
               "page or section announced by a line \"== page N\" / \"== section N\".\n"
               "--repeat N reads each file N times and reports the fastest (for timings).\n";
  return code;
}

struct Totals {
  size_t files = 0, failed = 0, hangul = 0, bytes = 0;
  double ms = 0;
};

}  // namespace

int main(int argc, char** argv) {
  bool text = false;
  int repeat = 1;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") return usage(0);
    if (a == "--text") {
      text = true;
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      inputs.emplace_back(a);
    }
  }
  if (inputs.empty()) return usage(2);
  const WalkResult walk = collect_inputs(inputs, {});
  std::map<std::string, Totals> totals;
  Totals all;
  int rc = 0;
  for (const WalkedFile& f : walk.files) {
    std::string bytes;
    if (auto p = read_file(f.path, f.path.string(), &bytes)) {
      std::cerr << p->message() << '\n';
      rc = 1;
      continue;
    }
    std::optional<Format> format = sniff_format(bytes);
    if (!format) format = f.format;
    if (*format == Format::kText || *format == Format::kMarkdown || *format == Format::kJsonl) continue;
    Extracted ex;
    std::string problem;
    double ms = 0;
    for (int k = 0; k < repeat; ++k) {
      ex = Extracted{};
      problem.clear();
      const auto start = std::chrono::steady_clock::now();
      try {
        extract_blocks(bytes, *format, FormatLimits{}, &ex);
      } catch (const FormatError& e) {
        problem = e.what();
      }
      const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      ms = k == 0 ? t : std::min(ms, t);
    }
    const std::string name(format_name(*format));
    Totals& t = totals[name];
    ++t.files;
    ++all.files;
    t.ms += ms;
    all.ms += ms;
    if (!problem.empty()) {
      ++t.failed;
      ++all.failed;
      if (text)
        std::cerr << f.path.string() << ": " << problem << '\n';
      else
        std::printf("%-5s %s: not read: %s (%.1f ms)\n", name.c_str(), f.path.c_str(), problem.c_str(), ms);
      continue;
    }
    size_t hangul = 0, size = 0;
    for (const TextBlock& b : ex.blocks) {
      hangul += hangul_syllables(b.text);
      size += b.text.size();
    }
    t.hangul += hangul;
    t.bytes += size;
    all.hangul += hangul;
    all.bytes += size;
    if (text) {
      uint32_t place = 0;
      for (const TextBlock& b : ex.blocks) {
        if (b.place != place && !ex.unit.empty()) std::cout << "== " << ex.unit << ' ' << b.place << '\n';
        place = b.place;
        std::cout << b.text << "\n\n";
      }
      continue;
    }
    uint32_t places = 0;
    for (const TextBlock& b : ex.blocks) places = std::max(places, b.place);
    std::printf("%-5s %s: %zu blocks, %u %s%s, %zu Hangul, %zu bytes, %.1f ms; title \"%s\"\n", name.c_str(),
                f.path.c_str(), ex.blocks.size(), places, ex.unit.empty() ? "place" : ex.unit.c_str(),
                places == 1 ? "" : "s", hangul, size, ms, ex.title.c_str());
  }
  if (!text) {
    for (const auto& [name, t] : totals)
      std::printf("total %-5s %zu files (%zu not read), %zu Hangul syllables, %zu bytes of text, %.1f ms\n",
                  name.c_str(), t.files, t.failed, t.hangul, t.bytes, t.ms);
    std::printf("total all   %zu files (%zu not read), %zu Hangul syllables, %zu bytes of text, %.1f ms\n",
                all.files, all.failed, all.hangul, all.bytes, all.ms);
  }
  return rc;
}
