// storage_test.cc: stored passage records compressed with a trained zstd dictionary (analysis/record_codec.h).
#include <gtest/gtest.h>
#include <xapian.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/record_codec.h"
#include "analysis/schema.h"
#include "indexer/merge_policy.h"
#include "query/rank.h"
#include "test_util.h"

namespace bisearch {
namespace {

namespace fs = std::filesystem;
using testing::RunResult;
using testing::TempDir;

std::string corpus_text() {
  std::string all;
  for (const auto& entry : fs::directory_iterator(testing::corpus_dir())) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  return all;
}

// Passages cut from the sample corpus at many offsets (whole code points):
// real Korean and English text, in records like the indexer's.
std::vector<schema::PassageRecord> corpus_records(size_t n, size_t len) {
  const std::string text = corpus_text();
  std::vector<schema::PassageRecord> out;
  for (size_t i = 0; i < n; ++i) {
    size_t b = (i * 37) % (text.size() - len);
    while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
    size_t e = b + len;
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    schema::PassageRecord r;
    r.doc_id = "reports/extended-deterrence-" + std::to_string(i / 10) + ".txt";
    r.title = "확장억제 2.0 보고서 " + std::to_string(i / 10);
    r.source = "/data/" + r.doc_id;
    r.passage = static_cast<uint32_t>(i % 10);
    r.lang = "ko";
    r.begin = b;
    r.end = e;
    r.text = text.substr(b, e - b);
    out.push_back(std::move(r));
  }
  return out;
}

TEST(RecordCodec, TrainedDictionaryRoundTripsAndShrinksRecords) {
  const auto records = corpus_records(600, 500);
  std::vector<std::string> samples;
  for (size_t i = 0; i < 400; ++i) samples.push_back(schema::serialize(records[i]));
  const auto codec = schema::RecordCodec::train(samples);
  ASSERT_NE(codec, nullptr);
  schema::register_codec(codec);
  size_t plain = 0, stored = 0;
  for (size_t i = 400; i < records.size(); ++i) {  // records the dictionary was not trained on
    const std::string p = schema::serialize(records[i]);
    const std::string s = schema::serialize(records[i], codec.get());
    ASSERT_EQ(s[0], 'z');
    EXPECT_EQ(schema::stored_dictionary_id(s), codec->id());
    plain += p.size();
    stored += s.size();
    const auto back = schema::deserialize(s);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(schema::serialize(*back), p);
  }
  EXPECT_LT(stored, plain / 2) << "plain " << plain << ", stored " << stored;
  // A plain record still reads; a damaged frame or an unknown dictionary does not.
  EXPECT_TRUE(schema::deserialize(schema::serialize(records[0])).has_value());
  std::string damaged = schema::serialize(records[500], codec.get());
  for (size_t i = 5; i < damaged.size(); i += 3) damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
  EXPECT_FALSE(schema::deserialize(damaged).has_value());
  std::string unknown = schema::serialize(records[500], codec.get());
  unknown[1] = static_cast<char>(unknown[1] ^ 1);
  EXPECT_FALSE(schema::deserialize(unknown).has_value());
  // Too little text trains nothing: such an index keeps plain records.
  EXPECT_EQ(schema::RecordCodec::train({samples.begin(), samples.begin() + 10}), nullptr);
}

// Schema 5 keeps a passage's record in a value slot; a passage written by
// schema 4 has it in the document data, and readers take it from there.
TEST(RecordCodec, RecordIsReadFromItsSlotOrFromSchema4DocumentData) {
  const auto records = corpus_records(2, 300);
  Xapian::Document in_slot, in_data;
  schema::set_stored_record(in_slot, records[0]);
  in_data.set_data(schema::serialize(records[1]));
  EXPECT_TRUE(in_slot.get_data().empty());
  EXPECT_EQ(schema::deserialize(schema::stored_record(in_slot))->text, records[0].text);
  EXPECT_EQ(schema::deserialize(schema::stored_record(in_data))->text, records[1].text);
  in_data.add_value(schema::kSlotRecord, schema::serialize(records[0]));
  EXPECT_EQ(schema::deserialize(schema::stored_record(in_data))->text, records[0].text);
}

// Every passage matching @p query, as "doc#passage", with its highlighted text.
std::set<std::string> matches(const fs::path& db, const std::string& query) {
  std::set<std::string> out;
  for (const query::Hit& h : testing::all_hits(db, query)) {
    std::string line = h.record.doc_id + "#" + std::to_string(h.record.passage) + " " + h.record.title + ":";
    for (const auto& [b, e] : h.highlights) line += " " + h.record.text.substr(b, e - b);
    out.insert(line);
  }
  return out;
}

// The bytes of the stored records of @p db's passages.
uint64_t record_bytes(const fs::path& db) {
  Xapian::Database x(db.string());
  uint64_t n = 0;
  for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) n += schema::stored_record(x.get_document(*it)).size();
  return n;
}

size_t compressed_records(const fs::path& db) {
  Xapian::Database x(db.string());
  size_t n = 0;
  for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it)
    n += schema::stored_dictionary_id(schema::stored_record(x.get_document(*it))).has_value() ? 1 : 0;
  return n;
}

// A first build large enough trains a dictionary and compresses the records
// after its sample; an index grown by updates from a small first build has
// none. Both hold the same passages (the status digest is of plain records)
// and answer every search alike.
TEST(RecordCodec, FirstBuildCompressesAndReadsLikeAPlainIndex) {
  TempDir tmp;
  const auto records = corpus_records(5000, 700);
  std::string all, first;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string line = "{\"id\": \"p" + std::to_string(i) + "\", \"title\": \"" + records[i].title +
                             "\", \"text\": " + nlohmann::json(records[i].text).dump() + "}\n";
    all += line;
    if (i < 100) first += line;
  }
  // One input folder (the records name their source file): first the
  // small index that is then updated, then the first build of it all.
  const fs::path in = tmp.write("in/p.jsonl", first).parent_path();
  const fs::path db = tmp.path() / "db", grown = tmp.path() / "grown-db";
  ASSERT_EQ(testing::run_index({"--db", grown.string(), in.string()}).exit_code, 0);
  tmp.write("in/p.jsonl", all);
  ASSERT_EQ(testing::run_index({"--db", grown.string(), in.string()}).exit_code, 0);
  ASSERT_EQ(testing::run_index({"--db", db.string(), in.string()}).exit_code, 0);

  EXPECT_FALSE(Xapian::Database(db.string()).get_metadata(schema::kMetaDictionary).empty());
  EXPECT_TRUE(Xapian::Database(grown.string()).get_metadata(schema::kMetaDictionary).empty());
  const size_t passages = testing::live_passages(db);
  // The records written while the first megabyte was sampled stay plain.
  EXPECT_GT(compressed_records(db), passages / 3);
  EXPECT_EQ(compressed_records(grown), 0u);
  EXPECT_LT(record_bytes(db), record_bytes(grown) * 3 / 4);
  // The records are in a value slot (schema.h), so the document data is empty.
  EXPECT_FALSE(fs::exists(db / "docdata.glass"));

  const RunResult a = testing::run_index({"--db", db.string(), "status"});
  const RunResult b = testing::run_index({"--db", grown.string(), "status"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_NE(a.out.find("passage digest"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.substr(a.out.find("passage digest")), b.out.substr(b.out.find("passage digest")));
  for (const char* q : {"확장억제", "핵협의그룹", "Nuclear Consultative Group", "\"extended deterrence\"", "보고서 신뢰성"}) {
    const auto in_db = matches(db, q);
    EXPECT_FALSE(in_db.empty()) << q;
    EXPECT_EQ(in_db, matches(grown, q)) << q;
  }
  // Updates to the compressed index use its dictionary.
  tmp.write("in/more.jsonl", "{\"id\": \"late\", \"text\": " + nlohmann::json(records[7].text).dump() + "}\n");
  ASSERT_EQ(testing::run_index({"--db", db.string(), in.string()}).exit_code, 0);
  Xapian::Database x(db.string());
  const std::string uid = schema::uid_term("late", 0);
  ASSERT_NE(x.postlist_begin(uid), x.postlist_end(uid));
  const std::string data = schema::stored_record(x.get_document(*x.postlist_begin(uid)));
  EXPECT_TRUE(schema::stored_dictionary_id(data).has_value());
  EXPECT_EQ(schema::deserialize(data, x)->text, records[7].text);
}

// The merge policy's decision (indexer/merge_policy.h): an updated index is
// compacted once it is over 1.2x the size its passages had when it was last
// compacted, and at least 1 MiB over.
TEST(MergePolicy, CompactsOnlyWhenGrownPastTheShareAndTheMinimum) {
  using indexer::CompactedSize;
  using indexer::should_compact;
  const uint64_t MiB = 1ull << 20;
  const CompactedSize built{50 * MiB, 10000};
  EXPECT_FALSE(should_compact(50 * MiB, 10000, built));
  EXPECT_FALSE(should_compact(60 * MiB, 10000, built));  // exactly 1.2x
  EXPECT_TRUE(should_compact(60 * MiB + 1, 10000, built));
  // Scaled by the passages: more passages may take more room...
  EXPECT_FALSE(should_compact(65 * MiB, 11000, built));
  EXPECT_TRUE(should_compact(67 * MiB, 11000, built));
  // ...fewer, less.
  EXPECT_TRUE(should_compact(31 * MiB, 5000, built));
  EXPECT_FALSE(should_compact(29 * MiB, 5000, built));
  // A small index is not rewritten for less than 1 MiB over.
  const CompactedSize small{200 * 1024, 100};
  EXPECT_FALSE(should_compact(600 * 1024, 100, small));
  EXPECT_TRUE(should_compact(200 * 1024 + MiB, 100, small));
  // Never recorded (an interrupted first build): compacted.
  EXPECT_TRUE(should_compact(1024, 1, std::nullopt));
  // Nothing recorded but bytes: those are the expectation.
  EXPECT_EQ(indexer::expected_bytes({3 * MiB, 0}, 500), 3 * MiB);
  EXPECT_EQ(indexer::expected_bytes(built, 20000), 100 * MiB);
}

TEST(MergePolicy, RecordedSizeRoundTripsAndMalformedValuesAreNone) {
  EXPECT_EQ(indexer::serialize_compacted({123456, 789}), "123456 789");
  EXPECT_EQ(indexer::parse_compacted("123456 789"), (indexer::CompactedSize{123456, 789}));
  for (const char* bad : {"", "123456", "12 x", " 5", "5 ", "-1 2", "1 2 3"})
    EXPECT_FALSE(indexer::parse_compacted(bad).has_value()) << bad;
}

}  // namespace
}  // namespace bisearch
