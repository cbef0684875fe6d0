// fuzz_legacy.cc: legacy Korean decoding (CP949 / EUC-KR -> UTF-8). Checked:
// a conversion is valid UTF-8 and named CP949 or EUC-KR; a refusal says why.
#include <cstdint>
#include <string_view>

#include "indexer/legacy.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string why;
  const auto legacy = indexer::decode_korean_legacy(bytes, &why);
  if (legacy) {
    FUZZ_CHECK(analysis::is_valid_utf8(legacy->utf8));
    FUZZ_CHECK(legacy->encoding == "CP949" || legacy->encoding == "EUC-KR");
    FUZZ_CHECK(!legacy->utf8.empty());
  } else {
    FUZZ_CHECK(!why.empty());
  }
  return 0;
}
