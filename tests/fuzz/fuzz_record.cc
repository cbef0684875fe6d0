// fuzz_record.cc: the passage record codec. Any bytes read as a stored
// record (plain or compressed) must not crash; a record built from the input
// must come back equal through serialize/deserialize, plain and compressed
// with a dictionary trained once at start-up.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/record_codec.h"
#include "analysis/schema.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

namespace {

std::shared_ptr<const schema::RecordCodec> g_codec;

// Records like an index's: a Korean/English paragraph with its metadata.
std::vector<std::string> training_samples() {
  std::vector<std::string> samples;
  const char* words[] = {"한미", "동맹은", "확장억제", "nuclear", "deterrence", "정책", "the", "alliance",
                         "consultative", "group", "협의체를", "강화한다", "2023년", "Washington", "선언"};
  for (uint32_t i = 0; i < 400; ++i) {
    schema::PassageRecord r;
    r.doc_id = "speeches/" + std::to_string(i % 37) + ".md";
    r.title = std::string("Statement ") + words[i % 15];
    r.date = "2023-04-" + std::to_string(10 + i % 19);
    r.source = "corpus/" + r.doc_id;
    r.passage = i % 11;
    r.lang = i % 3 ? "ko" : "en";
    for (uint32_t w = 0; w < 60; ++w) r.text += std::string(words[(i * 7 + w * 3) % 15]) + " ";
    r.begin = i * 100;
    r.end = r.begin + r.text.size();
    samples.push_back(schema::serialize(r));
  }
  return samples;
}

// Takes the next piece of @p in up to a 0x01 byte.
std::string piece(std::string_view& in) {
  const size_t p = in.find('\x01');
  std::string out(in.substr(0, p));
  in = p == std::string_view::npos ? std::string_view() : in.substr(p + 1);
  return out;
}

bool same(const schema::PassageRecord& a, const schema::PassageRecord& b) {
  return a.doc_id == b.doc_id && a.title == b.title && a.date == b.date && a.url == b.url && a.source == b.source &&
         a.passage == b.passage && a.lang == b.lang && a.begin == b.begin && a.end == b.end && a.text == b.text &&
         a.place_unit == b.place_unit && a.place_first == b.place_first && a.place_last == b.place_last;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_codec = schema::RecordCodec::train(training_samples());
  FUZZ_CHECK(g_codec != nullptr);
  schema::register_codec(g_codec);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Any bytes as a stored record, and as a compressed frame with our dictionary.
  (void)schema::deserialize(in);
  std::string framed = "z";
  const uint32_t id = g_codec->id();
  framed.append(reinterpret_cast<const char*>(&id), 4);
  framed.append(in);
  (void)schema::deserialize(framed);
  (void)g_codec->decompress(framed);

  // A record from the input: 16 bytes of numbers, then 0x01-separated strings.
  uint64_t numbers[2] = {0, 0};
  std::memcpy(numbers, in.data(), std::min<size_t>(in.size(), sizeof numbers));
  in.remove_prefix(std::min<size_t>(in.size(), sizeof numbers));
  schema::PassageRecord r;
  r.passage = static_cast<uint32_t>(numbers[0]);
  r.begin = numbers[1];
  r.end = numbers[0] ^ numbers[1];
  r.doc_id = piece(in);
  r.title = piece(in);
  r.date = piece(in);
  r.url = piece(in);
  r.source = piece(in);
  r.lang = piece(in);
  const uint32_t place = static_cast<uint32_t>(numbers[0] >> 32);
  if (place > 0) {
    r.place_unit = place % 2 ? "page" : "section";
    r.place_first = place;
    r.place_last = place + static_cast<uint32_t>(numbers[1] % 5);
    if (r.place_last < r.place_first) r.place_last = r.place_first;
  }
  r.text.assign(in);
  const auto plain = schema::deserialize(schema::serialize(r));
  FUZZ_CHECK(plain && same(*plain, r));
  const std::string stored = schema::serialize(r, g_codec.get());
  FUZZ_CHECK(schema::stored_dictionary_id(stored) == g_codec->id());
  const auto unpacked = schema::deserialize(stored);
  FUZZ_CHECK(unpacked && same(*unpacked, r));
  return 0;
}
