// fuzz_jsonl.cc: JSON Lines, one line at a time (parse_jsonl_line). Checked:
// nothing is thrown (extract() promises not to), a refused line names
// PATH:LINE, an accepted one has valid UTF-8, non-blank text and an id.
#include <cstdint>
#include <string_view>

#include "indexer/jsonl.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  indexer::SourceFile file;
  file.path = "fuzz.jsonl";
  file.rel = "fuzz.jsonl";
  file.format = indexer::Format::kJsonl;
  indexer::ExtractOptions options;
  // A first byte of '!' names the text field, as --text-field does (no fallback).
  if (!bytes.empty() && bytes[0] == '!') options.text_field_given = true;
  size_t number = 0;
  uint64_t offset = 0;
  for (const std::string_view line : fuzz::split_lines(bytes)) {
    ++number;
    indexer::Document doc;
    indexer::Problem problem;
    if (indexer::parse_jsonl_line(line, number, offset, file, options, &doc, &problem)) {
      FUZZ_CHECK(!doc.doc_id.empty());
      FUZZ_CHECK(!doc.text.empty());
      FUZZ_CHECK(analysis::is_valid_utf8(doc.text));
      FUZZ_CHECK(analysis::is_valid_utf8(doc.title) && analysis::is_valid_utf8(doc.date));
    } else {
      FUZZ_CHECK(problem.where == "fuzz.jsonl:" + std::to_string(number));
      FUZZ_CHECK(!problem.reason.empty());
    }
    offset += line.size() + 1;
  }
  return 0;
}
