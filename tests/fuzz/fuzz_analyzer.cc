// fuzz_analyzer.cc: the analyzer on any bytes. Checked: every token's byte
// span lies inside the text (on UTF-8 boundaries when the text is valid
// UTF-8), positional tokens never go back (positions strictly increase,
// offsets never decrease), runs never go back, and the streaming analyze()
// gives the same tokens as the vector one.
#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

namespace {

bool boundary(std::string_view text, size_t offset) {
  return offset == text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

class Collect : public analysis::TokenSink {
 public:
  std::vector<analysis::Token> tokens;
  void token(const analysis::TokenView& t) override { tokens.push_back(t.token()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = analysis::is_valid_utf8(text);
  const uint32_t first = 1 + (size > 0 ? data[0] % 7 : 0);
  const std::vector<analysis::Token> tokens = analysis::analyze(text, first);
  uint32_t last_position = 0, last_run = 0;
  uint32_t last_begin = 0, last_end = 0;
  bool any_positional = false;
  for (const analysis::Token& t : tokens) {
    FUZZ_CHECK(t.begin < t.end);
    FUZZ_CHECK(t.end <= text.size());
    FUZZ_CHECK(!t.text.empty());
    FUZZ_CHECK(t.position_length >= 1);
    FUZZ_CHECK(t.run >= last_run);
    last_run = t.run;
    if (valid) {
      FUZZ_CHECK(boundary(text, t.begin) && boundary(text, t.end));
      FUZZ_CHECK(analysis::is_valid_utf8(t.text));
    }
    if (!t.positional()) continue;
    if (any_positional) {
      FUZZ_CHECK(t.position > last_position);
      FUZZ_CHECK(t.begin >= last_begin);
      FUZZ_CHECK(t.end >= last_end);
    } else {
      FUZZ_CHECK(t.position >= first);
    }
    any_positional = true;
    last_position = t.position;
    last_begin = t.begin;
    last_end = t.end;
  }
  Collect sink;
  analysis::analyze(text, sink, first);
  FUZZ_CHECK(sink.tokens.size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    FUZZ_CHECK(sink.tokens[i].text == tokens[i].text);
    FUZZ_CHECK(sink.tokens[i].begin == tokens[i].begin && sink.tokens[i].end == tokens[i].end);
    FUZZ_CHECK(sink.tokens[i].position == tokens[i].position && sink.tokens[i].kind == tokens[i].kind);
  }
  return 0;
}
