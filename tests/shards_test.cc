// shards_test.cc: several indexes searched as one (query/shards.h) against one index of the same files.
#include <gtest/gtest.h>

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/schema.h"
#include "query/rank.h"
#include "query/shards.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;

// Three indexes of three folders (corpus/, the indexer's fixtures, the
// format samples) and one index of all three, built once for the suite.
class ShardsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::vector<fs::path> roots = {corpus_dir(), fixtures_dir() / "index", fixtures_dir() / "formats"};
    std::vector<std::string> all = {"--db", (dir_->path() / "one").string()};
    fs::create_directories(dir_->path() / "shards");
    for (size_t i = 0; i < roots.size(); ++i) {
      const fs::path db = dir_->path() / "shards" / ("s" + std::to_string(i));
      const auto r = run_index({"--db", db.string(), roots[i].string()});
      ASSERT_TRUE(fs::exists(db)) << r.err;
      shards_.push_back(db.string());
      all.push_back(roots[i].string());
    }
    const auto r = run_index(all);
    ASSERT_TRUE(fs::exists(dir_->path() / "one")) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
    shards_.clear();
  }
  static std::string one() { return (dir_->path() / "one").string(); }

  static query::SearchResult search(const std::vector<std::string>& dbs, const std::string& q, bool cross = false,
                                    std::vector<std::string> facets = {}) {
    query::SearchOptions o;
    o.dbs = dbs;
    o.limit = 10;
    o.cross = cross;
    o.facets = std::move(facets);
    query::Searcher s(o);
    return s.search(q);
  }

  static RunResult query(std::vector<std::string> args) {
    args.insert(args.begin(), query_bin());
    return run(args);
  }

  static TempDir* dir_;
  static std::vector<std::string> shards_;
};
TempDir* ShardsTest::dir_ = nullptr;
std::vector<std::string> ShardsTest::shards_;

const std::vector<std::string> kQueries = {
    "확장억제",       "핵협의그룹",     "Nuclear Consultative Group", "extended deterrence", "국민 여러분",
    "대통령 취임",    "한미 양국",      "paragraph document",         "정부",                "\"third document\"",
    "설치",           "table",          "NCG 확장억제",               "협의 체계",           "+deterrence -group"};

void expect_same(const query::SearchResult& one, const query::SearchResult& sharded, const std::string& q) {
  ASSERT_EQ(one.hits.size(), sharded.hits.size()) << q;
  EXPECT_EQ(one.total_estimate, sharded.total_estimate) << q;
  EXPECT_EQ(one.total_exact, sharded.total_exact) << q;
  for (size_t i = 0; i < one.hits.size(); ++i) {
    EXPECT_EQ(one.hits[i].record.doc_id, sharded.hits[i].record.doc_id) << q << " #" << i + 1;
    EXPECT_EQ(one.hits[i].record.passage, sharded.hits[i].record.passage) << q << " #" << i + 1;
    EXPECT_NEAR(one.hits[i].score, sharded.hits[i].score, 1e-6) << q << " #" << i + 1;
    EXPECT_EQ(one.hits[i].record.text, sharded.hits[i].record.text) << q << " #" << i + 1;
  }
}

TEST_F(ShardsTest, SameTopTenAsOneIndex) {
  size_t with_hits = 0, cross_shard = 0;
  for (const std::string& q : kQueries) {
    const auto a = search({one()}, q);
    const auto b = search(shards_, q);
    expect_same(a, b, q);
    with_hits += !a.hits.empty();
    std::set<std::string> firsts;  // hits from more than one shard
    for (const auto& h : a.hits) firsts.insert(h.record.source.substr(0, h.record.source.find("/tests/")));
    cross_shard += firsts.size() > 1;
  }
  EXPECT_GE(with_hits, 12u);
  EXPECT_GE(cross_shard, 1u);
}

TEST_F(ShardsTest, FacetsAndTotalsExact) {
  for (const char* q : {"확장억제", "document", "국민", "the"}) {
    const auto a = search({one()}, q, false, {"lang", "year", "folder"});
    const auto b = search(shards_, q, false, {"lang", "year", "folder"});
    expect_same(a, b, q);
    ASSERT_EQ(a.facets.size(), b.facets.size());
    for (size_t f = 0; f < a.facets.size(); ++f) EXPECT_EQ(a.facets[f].values, b.facets[f].values) << q;
    EXPECT_EQ(a.date_first, b.date_first);
    EXPECT_EQ(a.date_last, b.date_last);
  }
}

TEST_F(ShardsTest, StubFileWithAutoLinesAndRepeatedDb) {
  // Paths in a stub are relative to its own directory; comments and blank lines are skipped.
  const fs::path stub = dir_->write("shards.stub", "# three shards\nauto shards/s0\n\nglass shards/s1\nauto shards/s2\n");
  const auto specs = query::resolve_shards({stub.string()});
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[1].path, (dir_->path() / "shards" / "s1").string());
  for (const std::string q : {"확장억제", "document", "대통령"}) {
    const auto via_stub = query({"--db", stub.string(), "--json", "--no-cross", q});
    std::vector<std::string> args = {"--json", "--no-cross"};
    for (const auto& s : shards_) args.insert(args.end(), {"--db", s});
    args.push_back(q);
    const auto repeated = query(args);
    const auto single = query({"--db", one(), "--json", "--no-cross", q});
    ASSERT_EQ(via_stub.exit_code, 0) << via_stub.err;
    ASSERT_EQ(repeated.exit_code, 0) << repeated.err;
    const auto a = json_lines(single.out), b = json_lines(via_stub.out), c = json_lines(repeated.out);
    ASSERT_EQ(a.size(), b.size()) << q;
    ASSERT_EQ(a.size(), c.size()) << q;
    for (size_t i = 0; i + 1 < a.size(); ++i) {
      EXPECT_EQ(a[i]["doc_id"], b[i]["doc_id"]) << q;
      EXPECT_EQ(a[i]["passage"], b[i]["passage"]) << q;
      EXPECT_NEAR(a[i]["score"].get<double>(), b[i]["score"].get<double>(), 1e-6) << q;
      EXPECT_EQ(b[i]["doc_id"], c[i]["doc_id"]) << q;
    }
    EXPECT_EQ(a.back()["total_estimate"], b.back()["total_estimate"]) << q;
  }
  // A stub directory (DIR/XAPIANDB) listing the shards works as --db DIR too.
  dir_->write("stubdir/XAPIANDB", "auto ../shards/s0\nauto ../shards/s1\nauto ../shards/s2\n");
  const auto r = query({"--db", (dir_->path() / "stubdir").string(), "--json", "--no-cross", "document"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ShardsTest, RemoteProgramLines) {
  // `remote :PROGRAM ARGS`: xapian-progsrv on a pipe, as `ssh host xapian-progsrv DIR` would run it.
  std::string stub;
  for (const auto& s : shards_) stub += "remote :xapian-progsrv " + s + "\n";
  const fs::path path = dir_->write("progsrv.stub", stub);
  const auto specs = query::resolve_shards({path.string()});
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].kind, query::ShardSpec::Kind::kProgram);
  EXPECT_EQ(specs[0].program, "xapian-progsrv");
  EXPECT_EQ(specs[0].args, shards_[0]);
  for (const char* q : {"확장억제", "document", "대통령 취임", "extended deterrence"})
    expect_same(search({one()}, q), search({path.string()}, q), q);
}

TEST_F(ShardsTest, TermsAndCounterpartsAcrossShards) {
  // The gloss 핵협의그룹(NCG: Nuclear Consultative Group) is in corpus/ (the
  // first shard), read through the combined database like one index.
  // The corpus shard last: the first shard's metadata alone would not do.
  const std::vector<std::string> args = {"--terms", "--json",    "--db", shards_[2], "--db",
                                         shards_[1], "--db", shards_[0], "핵협의그룹"};
  const auto sharded = query(args);
  const auto single = query({"--terms", "--json", "--db", one(), "핵협의그룹"});
  ASSERT_EQ(sharded.exit_code, 0) << sharded.err;
  ASSERT_EQ(single.exit_code, 0) << single.err;
  std::vector<std::string> a, b;
  for (const auto& j : json_lines(single.out))
    if (j["type"] == "translation") a.push_back(j["text"]);
  for (const auto& j : json_lines(sharded.out))
    if (j["type"] == "translation") b.push_back(j["text"]);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  // Cross-language search reads the translations of the corpus shard too.
  const auto cross_one = search({one()}, "핵협의그룹", true);
  const auto cross_sharded = search({shards_[2], shards_[1], shards_[0]}, "핵협의그룹", true);
  EXPECT_EQ(cross_one.expansions.size(), cross_sharded.expansions.size());
  expect_same(cross_one, cross_sharded, "핵협의그룹 (cross)");
}

// A one-line error naming the shard, exit status 2.
void expect_error(const RunResult& r, const std::string& names) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(names), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Sets metadata @p key of the index at @p db to @p value.
void set_metadata(const std::string& db, const char* key, const std::string& value) {
  try {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    w.set_metadata(key, value);
    w.commit();
  } catch (const Xapian::Error& e) {
    FAIL() << db << ": " << e.get_description();
  }
}

TEST_F(ShardsTest, BadShardsAreOneLineErrors) {
  // A stub naming a missing index.
  const fs::path missing = dir_->write("missing.stub", "auto shards/s0\nauto shards/nowhere\n");
  expect_error(query({"--db", missing.string(), "x"}), "shards/nowhere");
  // An unsupported or malformed line, a stub listing nothing.
  expect_error(query({"--db", dir_->write("bad.stub", "auto shards/s0\ninmemory\n").string(), "x"}), "bad.stub:2");
  expect_error(query({"--db", dir_->write("port.stub", "remote 127.0.0.1:http\n").string(), "x"}), "port.stub:1");
  expect_error(query({"--db", dir_->write("empty.stub", "# nothing\n").string(), "x"}), "empty.stub");
  // An unreachable remote shard.
  expect_error(query({"--db", dir_->write("down.stub", "auto shards/s0\nremote 127.0.0.1:1 2000\n").string(), "x"}),
               "remote 127.0.0.1:1 (");
  // The same index twice.
  expect_error(query({"--db", shards_[0], "--db", shards_[0], "x"}), "named twice");

  // A shard built by another analyzer version, another schema, another N.
  // Small indexes of their own (a copied index would keep its UUID).
  auto copy_of = [&](const std::string& name) {
    const fs::path src = dir_->write("src-" + name + "/a.txt", "The shard " + name + " holds this document.\n");
    const fs::path p = dir_->path() / name;
    const auto r = run_index({"--db", p.string(), src.parent_path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return p.string();
  };
  const std::string other_analyzer = copy_of("other-analyzer");
  set_metadata(other_analyzer, schema::kMetaAnalyzer, "bisearch-ko/0");
  expect_error(query({"--db", shards_[0], "--db", other_analyzer, "x"}), "other-analyzer: index was built by analyzer");

  const std::string other_schema = copy_of("other-schema");
  set_metadata(other_schema, schema::kMetaSchema, "1");
  expect_error(query({"--db", shards_[0], "--db", other_schema, "x"}), "other-schema: index schema 1");

  // --shard ids (set here as bisearch-index --shard would write them).
  std::vector<std::string> ids;
  for (const char* id : {"0/3", "1/3", "2/3"}) {
    const std::string p = copy_of(std::string("id-") + id[0]);
    set_metadata(p, schema::kMetaShard, id);
    ids.push_back(p);
  }
  const std::string other_n = copy_of("other-n");
  set_metadata(other_n, schema::kMetaShard, "2/4");
  // A complete set opens; another N, a missing id, a plain index do not.
  EXPECT_NE(query({"--db", ids[0], "--db", ids[1], "--db", ids[2], "x"}).exit_code, 2);
  expect_error(query({"--db", ids[0], "--db", ids[1], "--db", other_n, "x"}), "other-n: built as shard 2/4 of 4");
  expect_error(query({"--db", ids[0], "--db", ids[1], "x"}), "without shard 2/3");
  expect_error(query({"--db", ids[0], "--db", shards_[0], "x"}), "not built with --shard");
  EXPECT_NE(query({"--db", ids[1], "x"}).exit_code, 2);  // one shard alone
}

}  // namespace
}  // namespace bisearch::testing
