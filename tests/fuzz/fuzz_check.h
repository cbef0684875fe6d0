// fuzz_check.h: what the fuzz targets share: a check that aborts (so libFuzzer
// and the replay driver both report it), input splitting, and the promises
// every format reader makes about its blocks (formats.h).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/normalize.h"
#include "indexer/formats.h"

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace bisearch::fuzz {

/// @p data split at every '\n' (the pieces without it).
inline std::vector<std::string_view> split_lines(std::string_view data) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(data.substr(start));
      return out;
    }
    out.push_back(data.substr(start, nl - start));
    start = nl + 1;
  }
}

/// formats.h: block text is valid UTF-8 without control characters other
/// than '\n' and '\t', and never blank; metadata is valid UTF-8 too.
inline void check_extracted(const indexer::Extracted& ex) {
  size_t total = 0;
  for (const indexer::TextBlock& b : ex.blocks) {
    FUZZ_CHECK(!b.text.empty());
    FUZZ_CHECK(analysis::is_valid_utf8(b.text));
    for (const char ch : b.text) {
      const auto c = static_cast<unsigned char>(ch);
      FUZZ_CHECK(c >= 0x20 || c == '\n' || c == '\t');
      FUZZ_CHECK(c != 0x7F);
    }
    total += b.text.size();
  }
  FUZZ_CHECK(total == ex.text_bytes);
  FUZZ_CHECK(analysis::is_valid_utf8(ex.title));
  FUZZ_CHECK(analysis::is_valid_utf8(ex.date));
  FUZZ_CHECK(analysis::is_valid_utf8(ex.language));
}

/// Limits small enough that a fuzzer's input reaches them, so the bounds
/// themselves are exercised (and no input runs for long).
inline indexer::FormatLimits fuzz_limits() {
  indexer::FormatLimits limits;
  limits.max_part_bytes = 8u << 20;
  limits.max_total_bytes = 16u << 20;
  limits.max_text_bytes = 4u << 20;
  limits.max_pages = 200;
  limits.max_parts = 200;
  return limits;
}

}  // namespace bisearch::fuzz
