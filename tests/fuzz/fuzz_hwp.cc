// fuzz_hwp.cc: the HWP 5.0 reader (OLE container via libgsf, zlib sections,
// records) on any bytes. Checked: only FormatError is thrown, blocks keep
// formats.h's promises, and nothing leaks.
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  indexer::Extracted ex;
  try {
    indexer::extract_hwp(bytes, fuzz::fuzz_limits(), &ex);
  } catch (const indexer::FormatError&) {
    return 0;
  }
  fuzz::check_extracted(ex);
  for (const auto& b : ex.blocks) FUZZ_CHECK(b.place >= 1);
  return 0;
}
