// fuzz_glossary.cc: glossary parsing (TSV/CSV, header row, quotes, legacy
// encodings). Checked: nothing is thrown, rows have both terms in valid
// UTF-8 with rising line numbers, problems name FILE:LINE.
#include <cstdint>
#include <string_view>

#include "indexer/glossary.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const indexer::ParsedGlossary g = indexer::parse_glossary(bytes, "fuzz.tsv");
  size_t last_line = 0;
  for (const indexer::GlossaryRow& r : g.rows) {
    FUZZ_CHECK(!r.ko.empty() && !r.en.empty());
    FUZZ_CHECK(analysis::is_valid_utf8(r.ko) && analysis::is_valid_utf8(r.en) && analysis::is_valid_utf8(r.note));
    FUZZ_CHECK(r.line > last_line);
    last_line = r.line;
  }
  for (const indexer::Problem& p : g.problems) {
    FUZZ_CHECK(p.where.starts_with("fuzz.tsv"));
    FUZZ_CHECK(!p.reason.empty());
  }
  return 0;
}
