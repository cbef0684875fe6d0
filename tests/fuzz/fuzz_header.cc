// fuzz_header.cc: text files' metadata headers (parse_header, both styles),
// the markdown title and the byte checks of .txt/.md. Checked: offsets stay
// inside the text, keys are lower case, and valid UTF-8 in gives valid UTF-8 out.
#include <cctype>
#include <cstdint>
#include <string_view>

#include "indexer/extract.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = analysis::is_valid_utf8(text);
  const indexer::Header h = indexer::parse_header(text);
  FUZZ_CHECK(h.body_begin <= text.size());
  if (!h.found) FUZZ_CHECK(h.fields.empty());
  for (const auto& [key, value] : h.fields) {
    FUZZ_CHECK(!key.empty());
    for (const char c : key) FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)));
    if (valid) FUZZ_CHECK(analysis::is_valid_utf8(key) && analysis::is_valid_utf8(value));
  }
  const std::string title = indexer::markdown_title(text, h.body_begin);
  if (valid) FUZZ_CHECK(analysis::is_valid_utf8(title));
  FUZZ_CHECK(title.size() <= text.size());
  (void)indexer::check_text_bytes(text, "fuzz.md", 8192);
  if (valid && !text.empty()) {
    indexer::SourceFile file;
    file.path = "fuzz.md";
    file.rel = "fuzz.md";
    file.format = indexer::Format::kMarkdown;
    const indexer::Document doc = indexer::text_document(std::string(text), file);
    FUZZ_CHECK(doc.body_begin <= doc.text.size());
    FUZZ_CHECK(doc.text == text);
  }
  return 0;
}
