// partition_test.cc: bisearch-index --shard I/N: parsing, the owner of each document, runs on real files.
#include <gtest/gtest.h>

#include <xapian.h>

#include <map>
#include <set>

#include "analysis/parts.h"
#include "analysis/schema.h"
#include "indexer/errors.h"
#include "indexer/manifest.h"
#include "indexer/options.h"
#include "indexer/partition.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;
using indexer::partition_key;
using indexer::shard_of;

TEST(ShardIdTest, ParsesIOfN) {
  unsigned i = 9, n = 9;
  EXPECT_TRUE(analysis::parse_shard_id("0/3", &i, &n));
  EXPECT_EQ(i, 0u);
  EXPECT_EQ(n, 3u);
  EXPECT_TRUE(analysis::parse_shard_id("2/3", &i, &n));
  EXPECT_TRUE(analysis::parse_shard_id("0/1", &i, &n));
  for (const char* bad : {"3/3", "1/0", "-1/3", "1", "/3", "1/", "a/3", "1/3x", " 1/3", "0/1025", "1//3", ""})
    EXPECT_FALSE(analysis::parse_shard_id(bad, &i, &n)) << bad;
}

TEST(ShardIdTest, OptionIsValidated) {
  indexer::IndexArgs args;
  args.db = "idx";
  args.paths = {"corpus"};
  EXPECT_FALSE(indexer::to_options(args).shard.has_value());
  args.shard = "1/4";
  const auto o = indexer::to_options(args);
  ASSERT_TRUE(o.shard.has_value());
  EXPECT_EQ(o.shard->index, 1u);
  EXPECT_EQ(o.shard->count, 4u);
  EXPECT_EQ(o.shard->text(), "1/4");
  for (const char* bad : {"4/4", "x", "1:4"}) {
    args.shard = bad;
    try {
      indexer::to_options(args);
      ADD_FAILURE() << bad;
    } catch (const indexer::UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(PartitionTest, LanguageTagIsLeftOutOfTheKey) {
  EXPECT_EQ(partition_key("report.ko.txt"), partition_key("report.en.txt"));
  EXPECT_EQ(partition_key("ko/a.md"), partition_key("en/a.md"));
  EXPECT_EQ(partition_key("news.kor.txt"), partition_key("news.eng-US.txt"));
  EXPECT_EQ(partition_key("17.ko"), partition_key("17.EN"));
  EXPECT_EQ(partition_key("plain.txt"), "plain.txt");
  EXPECT_EQ(partition_key("korea.txt"), "korea.txt");  // a word starting like a tag is not one
  EXPECT_NE(partition_key("a.ko.txt"), partition_key("b.en.txt"));
}

TEST(PartitionTest, OwnerIsDeterministicAndSpread) {
  // The published FNV-1a test vectors.
  EXPECT_EQ(indexer::fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(indexer::fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  std::map<unsigned, int> counts;
  for (int k = 0; k < 3000; ++k) {
    const std::string id = "speeches/" + std::to_string(k) + ".txt";
    const unsigned s = shard_of(id, 3);
    EXPECT_EQ(s, shard_of(id, 3));
    ++counts[s];
  }
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [s, n] : counts) EXPECT_NEAR(n, 1000, 150) << s;
  EXPECT_EQ(shard_of("x", 1), 0u);
  EXPECT_EQ(shard_of("17.ko", 5), shard_of("17.en", 5));
}

TEST(PartitionTest, CheckShardMessages) {
  const indexer::ShardId one_of_three{1, 3};
  EXPECT_EQ(indexer::check_shard(one_of_three, "1/3", 10), "");
  EXPECT_EQ(indexer::check_shard(one_of_three, "", 0), "");  // a new index takes the id
  EXPECT_EQ(indexer::check_shard(std::nullopt, "", 10), "");
  EXPECT_NE(indexer::check_shard(one_of_three, "1/4", 10).find("shard 1/4, not 1/3"), std::string::npos);
  EXPECT_NE(indexer::check_shard(one_of_three, "", 10).find("not built with --shard"), std::string::npos);
  EXPECT_NE(indexer::check_shard(std::nullopt, "2/3", 10).find("give --shard 2/3"), std::string::npos);
}

// Document ids of an index's manifest.
std::set<std::string> doc_ids(const fs::path& db) {
  std::set<std::string> out;
  for (const auto& [key, file] : indexer::load_manifest(Xapian::Database(db.string())))
    for (const auto& d : file.docs) out.insert(d.id);
  return out;
}

TEST(PartitionTest, ShardsSplitOneCollection) {
  TempDir tmp;
  const fs::path src = tmp.path() / "src";
  for (int k = 0; k < 12; ++k)
    tmp.write("src/notes/note" + std::to_string(k) + ".txt",
              "Note number " + std::to_string(k) + " on the nuclear consultative group and extended deterrence.\n");
  tmp.write("src/report.ko.txt", "한미 양국은 핵협의그룹을 통해 확장억제를 강화하였다.\n");
  tmp.write("src/report.en.txt", "The two countries strengthened extended deterrence through the NCG.\n");
  std::string jsonl;
  for (int k = 0; k < 9; ++k)
    jsonl += "{\"id\": \"doc" + std::to_string(k) + "\", \"text\": \"Record " + std::to_string(k) +
             " of the collection, about alliance policy.\"}\n";
  jsonl += "{\"id\": \"17.ko\", \"text\": \"확장억제 협의 체계가 구축되었다.\"}\n";
  jsonl += "{\"id\": \"17.en\", \"text\": \"A lasting extended deterrence consultation system was built.\"}\n";
  tmp.write("src/records.jsonl", jsonl);

  const fs::path one = tmp.path() / "one";
  ASSERT_EQ(run_index({"--db", one.string(), src.string()}).exit_code, 0);
  const std::set<std::string> all = doc_ids(one);
  ASSERT_EQ(all.size(), 25u);

  std::set<std::string> seen;
  std::vector<fs::path> shards;
  for (unsigned i = 0; i < 3; ++i) {
    const fs::path db = tmp.path() / ("shard" + std::to_string(i));
    const auto r = run_index({"--db", db.string(), "--shard", std::to_string(i) + "/3", src.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    shards.push_back(db);
    EXPECT_EQ(Xapian::Database(db.string()).get_metadata(schema::kMetaShard), std::to_string(i) + "/3");
    for (const std::string& id : doc_ids(db)) {
      EXPECT_EQ(shard_of(id, 3), i) << id;
      EXPECT_TRUE(seen.insert(id).second) << id << " in two shards";
    }
  }
  EXPECT_EQ(seen, all);  // each document in exactly one shard
  // A pair lands in one shard (and is aligned there).
  EXPECT_EQ(doc_ids(shards[shard_of("17.ko", 3)]).count("17.en"), 1u);
  EXPECT_EQ(doc_ids(shards[shard_of("report.ko.txt", 3)]).count("report.en.txt"), 1u);

  // Updates and deletions reach only the owning shard; the others see nothing to do.
  const std::string changed = "notes/note4.txt";
  const unsigned owner = shard_of(changed, 3);
  tmp.write("src/" + changed, "Note four, rewritten: the alliance and the consultative group.\n");
  fs::remove(src / "notes" / "note5.txt");
  const unsigned owner5 = shard_of("notes/note5.txt", 3);
  for (unsigned i = 0; i < 3; ++i) {
    const auto before = Xapian::Database(shards[i].string()).get_revision();
    const auto r = run_index({"--db", shards[i].string(), "--shard", std::to_string(i) + "/3", src.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto after = Xapian::Database(shards[i].string()).get_revision();
    if (i == owner || i == owner5) EXPECT_GT(after, before) << i;
    else EXPECT_EQ(after, before) << i << r.out;
    EXPECT_EQ(doc_ids(shards[i]).count("notes/note5.txt"), 0u);
  }

  // A run with another N, or without --shard, is refused naming the index.
  auto refused = [&](const fs::path& db, std::vector<std::string> args, const std::string& says) {
    const auto before = doc_ids(db);
    args.insert(args.begin(), {"--db", db.string()});
    args.push_back(src.string());
    const auto r = run_index(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db.string()), std::string::npos) << r.err;
    EXPECT_EQ(doc_ids(db), before);
  };
  refused(shards[0], {"--shard", "0/4"}, "shard 0/3, not 0/4");
  refused(shards[0], {}, "give --shard 0/3");
  refused(one, {"--shard", "0/3"}, "not built with --shard");
}

}  // namespace
}  // namespace bisearch::testing
