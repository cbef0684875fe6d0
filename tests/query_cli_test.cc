// query_cli_test.cc: bisearch-query end to end on corpus/ and on temp files.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/schema.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

using nlohmann::json;

using bisearch::testing::json_lines;

// Queries one index of corpus/ built for the suite (test_util.h).
class QueryCliTest : public CorpusIndexTest {};

TEST_F(QueryCliTest, KoreanQueryFindsKoreanPassageWithHighlights) {
  const auto r = query({"--json", "--no-cross", "확장억제"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);  // one hit (the Korean passage), one summary
  const json& hit = lines[0];
  EXPECT_EQ(hit["type"], "hit");
  EXPECT_EQ(hit["rank"], 1);
  EXPECT_EQ(hit["lang"], "ko");
  EXPECT_EQ(hit["doc_id"], "extended-deterrence-2.0.ko-en.txt");
  const std::string text = hit["text"];
  ASSERT_GE(hit["highlights"].size(), 5u);  // 확장억제 occurs many times, with particles
  for (const auto& h : hit["highlights"]) {
    const size_t b = h[0], e = h[1];
    EXPECT_EQ(text.substr(b, e - b), "확장억제");
  }
  EXPECT_EQ(lines[1]["type"], "summary");
  EXPECT_EQ(lines[1]["total_estimate"], 1);
}

TEST_F(QueryCliTest, ParticlesAndSpacingVariantsMatch) {
  for (const char* q : {"양국", "한·미", "한ㆍ미", "한-미", "핵협의그룹을", "NCG는"}) {
    SCOPED_TRACE(q);
    const auto r = query({"--json", "--lang", "ko", q});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0]["lang"], "ko");
    EXPECT_FALSE(lines[0]["highlights"].empty());
  }
}

TEST_F(QueryCliTest, EnglishPhraseAndStems) {
  const auto r = query({"--json", "--no-cross", "\"extended deterrence\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["lang"], "en");
  const std::string text = lines[0]["text"];
  for (const auto& h : lines[0]["highlights"]) {
    const size_t b = h[0], e = h[1];
    std::string s = text.substr(b, e - b);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(s, "extended deterrence");
  }
  // An inflected form finds the passage through its stem: consulting ->
  // consult, as in "consultations" and "Consultative"; the English passage,
  // with three forms, ranks above the Korean one, with one gloss.
  const auto inflected = json_lines(query({"--json", "consulting"}).out);
  ASSERT_EQ(inflected.size(), 3u);
  EXPECT_EQ(inflected[0]["lang"], "en");
  EXPECT_EQ(inflected[0]["highlights"].size(), 4u);  // consultations, Consultative, consultation, consultations
}

TEST_F(QueryCliTest, LanguageFilterAndExclusion) {
  auto r = query({"--json", "--no-cross", "--lang", "en", "확장억제"});
  EXPECT_EQ(r.exit_code, 1) << "the Korean word is not in the English passage";
  // By default the query also searches the word's translations (the
  // lexicon learned from the aligned abstract): the English passage.
  r = query({"--json", "--lang", "en", "확장억제"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = query({"--json", "NCG", "-확장억제"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["lang"], "en");
}

TEST_F(QueryCliTest, NoHitsExitsOne) {
  const auto r = query({"레이어"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("no passages match"), std::string::npos);
}

TEST_F(QueryCliTest, QuestionWithPunctuationNeverErrors) {
  const auto r = query({"한미 양국은 \"핵협의그룹(NCG)을 통해 무엇을 했나? (2023년)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(QueryCliTest, ExplainShowsTerms) {
  const auto r = query({"--explain", "--color=never", "확장억제를"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("query: (\"확장 장억 억제\" | K확장억제 | spaced x1)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour with --color=never";
  const auto c = query({"--color=always", "확장억제"});
  EXPECT_NE(c.out.find("\x1b[1;31m확장억제\x1b[0m"), std::string::npos) << c.out;
}

// Bad values of the narrowing options: one line naming the option and the
// value on stderr, nothing on stdout, exit 2.
TEST_F(QueryCliTest, BadOptionValuesAreNamedOnOneLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--since", "2023-13-45"}, "2023-13-45"},   {{"--until", "yesterday"}, "yesterday"},
      {{"--sort", "newest"}, "newest"},            {{"--facets", "lang,author"}, "author"},
      {{"--field", "president"}, "president"},     {{"--per-doc", "-1"}, "-1"},
      {{"--path", "/abs/core"}, "/abs/core"},      {{"--tune", "k1=fast"}, "k1=fast"},
      {{"--lang", "fr"}, "fr"},
  };
  for (const auto& [args, value] : cases) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    std::vector<std::string> argv = args;
    argv.push_back("확장억제");
    const auto r = query(argv);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(args[0]), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(value), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(QueryCliTest, HelpTeachesNarrowingGroupingAndSyntax) {
  const auto r = query({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"--since", "--until", "--sort", "-date", "--path", "--field", "--facets", "--per-doc",
                        "title:", "2023년 4월 26일", "+5 more in this document", "Function words"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST_F(QueryCliTest, SortNewestFirstIsAccepted) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--sort=-date", "확장억제"}, std::vector<std::string>{"--sort", "date", "확장억제"}}) {
    const auto r = query(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
}

TEST_F(QueryCliTest, PagePastTheEndSaysHowManyAndExitsZero) {
  const auto all = json_lines(query({"--json", "--no-cross", "--per-doc", "0", "deterrence"}).out);
  ASSERT_FALSE(all.empty());
  const uint64_t total = all.back()["total_estimate"];
  ASSERT_GT(total, 0u);
  const auto r = query({"--no-cross", "--per-doc", "0", "--offset", std::to_string(total + 50), "deterrence"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("the query matches"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::to_string(total)), std::string::npos) << r.out;
  const auto j = json_lines(query({"--json", "--no-cross", "--per-doc", "0", "--offset", std::to_string(total + 50),
                                   "deterrence"}).out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["returned"], 0);
  EXPECT_EQ(j[0]["total_estimate"], total);
}

TEST_F(QueryCliTest, JsonRecordsCarryTheNewFields) {
  const auto lines = json_lines(query({"--json", "--no-cross", "extended deterrence"}).out);
  ASSERT_GE(lines.size(), 2u);
  for (const char* k : {"title_highlights", "title_only", "more_in_doc", "copies"})
    EXPECT_TRUE(lines[0].contains(k)) << k;
  for (const char* k : {"total_exact", "per_doc", "facets", "date_first", "date_last"})
    EXPECT_TRUE(lines.back().contains(k)) << k;
  EXPECT_TRUE(lines.back()["facets"].is_object());
}

// Function words (analysis/stopwords.h, marked by the parser, dropped by the
// builder): not highlighted when the query has other words; searched and
// highlighted when they are all the query has, and inside a phrase.
TEST_F(QueryCliTest, FunctionWordsAreNotHighlightedBesideOtherWords) {
  auto marked = [](const json& hit) {
    std::set<std::string> out;
    const std::string text = hit["text"];
    for (const auto& h : hit["highlights"]) {
      std::string w = text.substr(h[0].get<size_t>(), h[1].get<size_t>() - h[0].get<size_t>());
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.insert(w);
    }
    return out;
  };
  auto lines = json_lines(query({"--json", "--no-cross", "the role of the deterrence"}).out);
  ASSERT_GE(lines.size(), 2u);
  for (const auto& j : lines) {
    if (j["type"] != "hit") continue;
    const auto words = marked(j);
    EXPECT_FALSE(words.count("the") || words.count("of")) << j["text"];
  }
  lines = json_lines(query({"--json", "--no-cross", "the"}).out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(marked(lines[0]).count("the"));
  lines = json_lines(query({"--json", "--no-cross", "\"era of extended deterrence\""}).out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(marked(lines[0]).count("era of extended deterrence"));  // the phrase is one range, "of" in it
  // Korean: 이를 and 등 (in the Korean passage) beside 확장억제 are not highlighted.
  lines = json_lines(query({"--json", "--no-cross", "확장억제 이를 등"}).out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(marked(lines[0]).count("확장억제"));
  EXPECT_FALSE(marked(lines[0]).count("이를") || marked(lines[0]).count("등")) << lines[0]["text"];
  lines = json_lines(query({"--json", "--no-cross", "이를"}).out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(marked(lines[0]).count("이를"));
}

TEST_F(QueryCliTest, BatchModeWithIds) {
  const auto batch = dir_->write("q.tsv", "a\t확장억제\nb\tnuclear deterrence\n\nc\t레이어\n");
  const auto r = query({"--json", "--no-cross", "--batch", batch.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> summaries;
  for (const auto& j : json_lines(r.out)) {
    ASSERT_TRUE(j.contains("query_id"));
    if (j["type"] == "summary") summaries[j["query_id"]] = j["returned"];
  }
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_EQ(summaries["a"], 1);
  EXPECT_EQ(summaries["b"], 2);  // the Korean passage glosses "Nuclear Consultative Group"
  EXPECT_EQ(summaries["c"], 0);
}

TEST_F(QueryCliTest, ErrorsExitTwo) {
  auto r = run({query_bin(), "--db", (dir_->path() / "missing").string(), "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing: no such index"), std::string::npos) << r.err;

  r = query({"--batch", (dir_->path() / "nope.tsv").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.tsv: cannot read batch file"), std::string::npos) << r.err;

  // An index written by another analyzer version is refused.
  TempDir other;
  const std::string db = (other.path() / "db").string();
  ASSERT_EQ(run({index_bin(), "--db", db, corpus_dir().string()}).exit_code, 0);
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    w.set_metadata(schema::kMetaAnalyzer, "bisearch-koen/0");
    w.commit();
  }
  r = run({query_bin(), "--db", db, "확장억제"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("analyzer bisearch-koen/0"), std::string::npos) << r.err;
}

TEST_F(QueryCliTest, PagingAndLimit) {
  auto r = query({"--json", "--limit", "1", "핵 nuclear"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  const std::string first = lines[0]["lang"];
  r = query({"--json", "--limit", "1", "--offset", "1", "핵 nuclear"});
  lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["rank"], 2);
  EXPECT_NE(lines[0]["lang"], first);
}

// The index stores no positions, so a Korean word's bigrams and a phrase are
// matched as an AND and checked on each candidate's text (query/rank.h).
// --doc takes a doc id, a file name (or the last parts of a path) or the
// unique start of an id, resolved against the index's document ids.
TEST(QueryDocTest, DocTakesFileNamesAndUniqueStarts) {
  TempDir dir;
  const std::string wd =
      "title: Washington Declaration\ndate: 2023-04-26\n---\nThe United States and the Republic of Korea "
      "commit to a Nuclear Consultative Group.\n";
  dir.write("docs/core/wd.txt", wd);
  dir.write("docs/archive/2023/wd.txt", wd);
  dir.write("docs/archive/2023/ncg-readout.txt",
            "title: Joint Readout\n---\nThe inaugural Nuclear Consultative Group meeting was held in Seoul.\n");
  // An id longer than a term holds (schema::bounded_term cuts it).
  const std::string long_dir = std::string(120, 'd'), long_name = std::string(120, 'n') + "-consultative.txt";
  dir.write("docs/archive/" + long_dir + "/" + long_name, "The Nuclear Consultative Group met again in Washington.\n");
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(run_index({"--db", db, (dir.path() / "docs").string()}).exit_code, 0);
  auto docs = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{query_bin(), "--db", db, "--json", "--no-cross", "--per-doc", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("nuclear");
    const auto r = run(argv);
    std::set<std::string> out;
    for (const auto& j : json_lines(r.out))
      if (j["type"] == "hit") out.insert(j["doc_id"].get<std::string>());
    return std::make_pair(r, out);
  };
  EXPECT_EQ(docs({"--doc", "core/wd.txt"}).second, (std::set<std::string>{"core/wd.txt"}));
  EXPECT_EQ(docs({"--doc", "wd.txt"}).second, (std::set<std::string>{"core/wd.txt", "archive/2023/wd.txt"}));
  EXPECT_EQ(docs({"--doc", "2023/ncg-readout.txt"}).second, (std::set<std::string>{"archive/2023/ncg-readout.txt"}));
  EXPECT_EQ(docs({"--doc", "archive/2023/n"}).second, (std::set<std::string>{"archive/2023/ncg-readout.txt"}));
  EXPECT_EQ(docs({"--doc", long_name}).second, (std::set<std::string>{"archive/" + long_dir + "/" + long_name}));
  // A part of the name: one file name in two folders, or one id.
  EXPECT_EQ(docs({"--doc", "wd"}).second, (std::set<std::string>{"core/wd.txt", "archive/2023/wd.txt"}));
  EXPECT_EQ(docs({"--doc", "readout"}).second, (std::set<std::string>{"archive/2023/ncg-readout.txt"}));
  auto [ambiguous, ambiguous_docs] = docs({"--doc", "archive/2023"});
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("is part of 2 document ids"), std::string::npos) << ambiguous.err;
  EXPECT_TRUE(ambiguous_docs.empty());
  // A value that names nothing: no hits (exit 1), and stderr says why.
  auto [missing, none] = docs({"--doc", "memo.txt"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(none.empty());
  EXPECT_NE(missing.err.find("--doc memo.txt: no such document in the index"), std::string::npos) << missing.err;
}

class QueryCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("docs/scattered.txt", "title: 편집 안내\n---\n오버레이 기능으로 화면을 이어붙인다. deterrence was extended to allies.\n");
    dir_.write("docs/solid.txt", "title: 편집 안내\n---\n레이어를 쌓아 화면을 만든다. extended deterrence for allies.\n");
    dir_.write("docs/titled.txt", "title: 레이어 편집\n---\n그림을 겹쳐 화면을 만든다.\n");
    db_ = (dir_.path() / "db").string();
    const auto r = run_index({"--db", db_, (dir_.path() / "docs").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::vector<json> search(std::vector<std::string> args) {
    std::vector<std::string> argv{query_bin(), "--db", db_, "--json", "--no-cross"};
    argv.insert(argv.end(), args.begin(), args.end());
    return json_lines(run(argv).out);
  }
  static std::set<std::string> docs(const std::vector<json>& lines) {
    std::set<std::string> out;
    for (const auto& j : lines)
      if (j["type"] == "hit") out.insert(j["doc_id"].get<std::string>());
    return out;
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(QueryCheckTest, TermsApartAreNotAMatch) {
  // 레이 and 이어 are both in scattered.txt, apart: not a hit, and the
  // count is exact because every candidate was checked.
  auto lines = search({"레이어"});
  EXPECT_EQ(docs(lines), (std::set<std::string>{"solid.txt", "titled.txt"}));
  EXPECT_EQ(lines.back()["total_estimate"], 2);
  lines = search({"\"extended deterrence\""});
  EXPECT_EQ(docs(lines), (std::set<std::string>{"solid.txt"}));
  EXPECT_EQ(lines.back()["total_estimate"], 1);
}

TEST_F(QueryCheckTest, TitleMatchesCount) {
  // titled.txt has 레이어 in its title only: a hit, with nothing to highlight.
  const auto lines = search({"--doc", "titled.txt", "레이어"});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["doc_id"], "titled.txt");
  EXPECT_TRUE(lines[0]["highlights"].empty());
}

TEST_F(QueryCheckTest, RequiredAndExcludedSequences) {
  // '+': a passage must really hold the word; 화면 alone is not enough.
  EXPECT_EQ(docs(search({"+레이어", "화면"})), (std::set<std::string>{"solid.txt", "titled.txt"}));
  // '-': only passages that really hold the word are removed; the terms
  // apart (scattered.txt) do not remove it.
  EXPECT_EQ(docs(search({"화면", "-레이어"})), (std::set<std::string>{"scattered.txt"}));
  EXPECT_EQ(docs(search({"allies", "-\"extended deterrence\""})), (std::set<std::string>{"scattered.txt"}));
}

}  // namespace
}  // namespace bisearch::testing
