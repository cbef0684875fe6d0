// fuzz_formats.cc: the format dispatcher, bytes -> blocks: sniff_format picks
// the reader (HTML when no signature matches) and extract_blocks runs it.
// Checked: only FormatError is thrown, and blocks keep formats.h's promises.
#include <cstdint>
#include <string_view>

#include "indexer/extract.h"
#include "indexer/sniff.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::optional<indexer::Format> sniffed = indexer::sniff_format(bytes);
  const indexer::Format format = sniffed.value_or(indexer::Format::kHtml);
  indexer::Extracted ex;
  try {
    indexer::extract_blocks(bytes, format, fuzz::fuzz_limits(), &ex);
  } catch (const indexer::FormatError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find('\n') == std::string_view::npos);
    return 0;
  }
  fuzz::check_extracted(ex);
  indexer::SourceFile file;
  file.path = "fuzz";
  file.rel = "fuzz";
  const indexer::Document doc = indexer::blocks_document(std::move(ex), file, format, size);
  FUZZ_CHECK(analysis::is_valid_utf8(doc.text));
  for (size_t i = 1; i < doc.places.size(); ++i) FUZZ_CHECK(doc.places[i - 1].offset < doc.places[i].offset);
  return 0;
}
