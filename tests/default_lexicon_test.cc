// default_lexicon_test.cc: the shipped lexicon and policy glossary: loading, damage, --terms sources, and the
// query-context rules of expansion (names, acronyms, usual forms), on a small bilingual corpus.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "analysis/gloss.h"
#include "query/default_lexicon.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Sets BISEARCH_DATA_DIR for the CLIs run in its scope.
class DataDir {
 public:
  explicit DataDir(const fs::path& dir) { ::setenv("BISEARCH_DATA_DIR", dir.c_str(), 1); }
  ~DataDir() { ::unsetenv("BISEARCH_DATA_DIR"); }
};

fs::path glossary_file() { return source_dir() / "data" / "lexicon" / query::kDefaultGlossaryFile; }
fs::path fixture_lexicon() { return fixtures_dir() / "lexicon" / query::kDefaultLexiconFile; }

TEST(DefaultLexicon, LexiconRowsGiveBothDirectionsByLinks) {
  query::DefaultData d;
  query::parse_default_lexicon(read_file(fixture_lexicon()), "lex.tsv", d);
  EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
  EXPECT_EQ(d.lexicon_rows, 9u);
  const auto* s = d.find_lexicon("전략");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].entry.text, "strategy");
  EXPECT_EQ((*s)[0].entry.evidence, 50u);
  EXPECT_DOUBLE_EQ((*s)[0].entry.score, 400.0);
  EXPECT_EQ((*s)[0].entry.lang, "en");
  const auto* back = d.find_lexicon("moon");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ((*back)[0].entry.text, "달");
  EXPECT_EQ((*back)[0].entry.lang, "ko");
  // The term as the file writes it: the acronym UN.
  ASSERT_NE(d.find_lexicon("un"), nullptr);
  EXPECT_EQ(d.find_lexicon("un")->front().from, "UN");
}

TEST(DefaultLexicon, DamagedRowsAreSkippedWithOneWarning) {
  query::DefaultData d;
  query::parse_default_lexicon("# c\n달\tmoon\t40\t300.5\n달 moon 40\n문\tdoor\tmany\t1\nmoon\t달\t3\t9.0\n", "x/lex.tsv", d);
  EXPECT_EQ(d.lexicon_rows, 1u);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0], "x/lex.tsv: line 3: expected 4 tab-separated columns (ko, en, links, g2), found 1 (3 of 4 rows skipped)");
  EXPECT_NE(d.find_lexicon("달"), nullptr);
  EXPECT_EQ(d.find_lexicon("문"), nullptr);

  query::DefaultData g;
  query::parse_default_lexicon(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "x/lex.tsv", g);
  ASSERT_EQ(g.warnings.size(), 1u);
  EXPECT_NE(g.warnings[0].find("x/lex.tsv: no readable row"), std::string::npos) << g.warnings[0];
  EXPECT_NE(g.warnings[0].find("searching without it"), std::string::npos);
  EXPECT_TRUE(g.lexicon.empty());
}

TEST(DefaultLexicon, PolicyGlossaryLoadsCleanly) {
  query::DefaultData d;
  query::parse_policy_glossary(read_file(glossary_file()), "policy-glossary.tsv", d);
  EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
  EXPECT_GE(d.glossary_rows, 300u);
  const auto* nk = d.find_glossary("북한");
  ASSERT_NE(nk, nullptr);
  EXPECT_EQ((*nk)[0].entry.text, "North Korea");
  EXPECT_EQ((*nk)[0].kind, "gloss");
  EXPECT_EQ((*nk)[1].entry.text, "DPRK");
  EXPECT_EQ((*nk)[1].kind, "acronym");
  // Acronym -> spelled-out form and Korean; the English -> the acronym.
  const auto* ncg = d.find_glossary("ncg");
  ASSERT_NE(ncg, nullptr);
  EXPECT_EQ((*ncg)[0].entry.text, "Nuclear Consultative Group");
  EXPECT_EQ((*ncg)[0].kind, "expansion");
  EXPECT_EQ((*ncg)[1].entry.text, "핵협의그룹");
  const auto* sc = d.find_glossary(analysis::term_key("supply chain"));
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ((*sc)[0].entry.text, "공급망");
  // Spacing does not matter on the Korean side.
  EXPECT_NE(d.find_glossary(analysis::term_key("워싱턴선언")), nullptr);
}

// tools/data/eval-terms-sample.tsv measures the learned lexicon alone: the
// policy glossary must not hold any of its terms (the glossary's header says
// how the two are kept apart).
TEST(DefaultLexicon, GlossaryHoldsNoTermOfTheLexiconsEvalSample) {
  query::DefaultData d;
  query::parse_policy_glossary(read_file(glossary_file()), "policy-glossary.tsv", d);
  const std::string sample = read_file(source_dir() / "tools" / "data" / "eval-terms-sample.tsv");
  size_t rows = 0;
  for (size_t start = 0; start < sample.size();) {
    size_t end = sample.find('\n', start);
    if (end == std::string::npos) end = sample.size();
    const std::string line = sample.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#' || line.rfind("ko\t", 0) == 0) continue;
    const std::string ko = line.substr(0, line.find('\t'));
    ++rows;
    EXPECT_EQ(d.find_glossary(analysis::term_key(ko)), nullptr) << ko << " is in the policy glossary";
  }
  EXPECT_GE(rows, 100u);
}

TEST(DefaultLexicon, MissingFilesAreNamedInWarnings) {
  TempDir dir;
  const query::DefaultData d = query::load_default_data(dir.path());
  ASSERT_EQ(d.warnings.size(), 2u);
  EXPECT_EQ(d.warnings[0], (dir.path() / "default-lexicon.tsv").string() + ": missing; searching without it");
  EXPECT_EQ(d.warnings[1], (dir.path() / "policy-glossary.tsv").string() + ": missing; searching without it");
  EXPECT_TRUE(d.lexicon.empty());
  EXPECT_TRUE(d.glossary.empty());
}

// A small Korean/English archive with no aligned text: only the shipped
// data (the fixture lexicon and the real policy glossary) links the two.
class ExpansionContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    dir_->write("data/" + std::string(query::kDefaultLexiconFile), read_file(fixture_lexicon()));
    dir_->write("data/" + std::string(query::kDefaultGlossaryFile), read_file(glossary_file()));
    dir_->write("corpus/notes.txt",
                "유엔 총회가 열렸다.\n\n오늘 밤은 달 밝은 밤이다.\n\n김정은 위원장이 발언했다.\n\n공원에서 산책했다.\n\n"
                "문을 열었다.\n\n새로운 전략을 세웠다.\n\n당사국들은 합의(Consensus)에 이르렀다.\n\n"
                "북한의 비핵화를 논의했다.\n");
    dir_->write("corpus/briefing.txt",
                "The United Nations met in New York.\n\nKim Jong Un spoke at the party meeting.\n\n"
                "The moon is bright tonight.\n\nPresident Moon Jae-in visited the factory.\n\n"
                "We walked in the park.\n\nPark Geun-hye was elected president.\n\nHe opened the door.\n\n"
                "The strategy was set.\n\nThe parties reached agreement and consensus.\n\n"
                "North Korea must give up its nuclear weapons.\n");
    db_ = (dir_->path() / "db").string();
    const auto r = run_index({"--no-progress", "--db", db_, (dir_->path() / "corpus").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static RunResult query(std::vector<std::string> args) {
    DataDir data(dir_->path() / "data");
    args.insert(args.begin(), {query_bin(), "--db", db_});
    return run(args);
  }
  // The texts added to @p q by expansion (JSON summary).
  static std::set<std::string> expansions(const std::string& q, const std::string& lang) {
    const auto r = query({"--json", "--lang", lang, q});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::set<std::string> out;
    const auto lines = json_lines(r.out);
    if (lines.empty()) return out;
    for (const auto& e : lines.back()["expansions"]) out.insert(e["text"].get<std::string>());
    return out;
  }
  static TempDir* dir_;
  static std::string db_;
};
TempDir* ExpansionContextTest::dir_ = nullptr;
std::string ExpansionContextTest::db_;

TEST_F(ExpansionContextTest, ShippedDataFindsTheOtherLanguageWithoutParallelText) {
  const auto r = query({"--json", "--lang", "en", "북한"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // both files found and sound: no warning
  const auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(lines[0]["text"].get<std::string>().find("North Korea"), std::string::npos) << r.out;

  const auto off = query({"--json", "--lang", "en", "--no-default-lexicon", "북한"});
  EXPECT_EQ(off.exit_code, 1) << off.out;
  EXPECT_TRUE(json_lines(off.out).back()["expansions"].empty());
}

TEST_F(ExpansionContextTest, TermsListShippedSourcesAndTheIndexsOwnUse) {
  const auto r = query({"--terms", "--json", "북한"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0]["text"], "North Korea");
  EXPECT_EQ(lines[0]["evidence"], 0);  // nothing in the index itself links them
  EXPECT_EQ(lines[0]["sources"][0]["source"], "default-glossary");
  EXPECT_EQ(lines[0]["index_passages"], 1);
  EXPECT_EQ(lines[1]["text"], "DPRK");
  EXPECT_EQ(lines[1]["index_passages"], 0);  // the archive does not use it
  EXPECT_EQ(lines.back()["matching_estimate"], 1);

  // The lexicon's source and its sentence pairs; the usual form, once.
  const auto s = json_lines(query({"--terms", "--json", "전략"}).out);
  ASSERT_GE(s.size(), 2u);
  EXPECT_EQ(s[0]["text"], "strategy");
  bool lexicon = false;
  for (const auto& src : s[0]["sources"])
    if (src["source"] == "default-lexicon") lexicon = src["evidence"] == 60;  // 50 + 10 (strategies)
  EXPECT_TRUE(lexicon) << s[0].dump();
  for (const auto& t : s) EXPECT_NE(t.value("text", ""), "strategies");

  // A gloss written "Consensus" is shown in its usual case.
  const auto c = json_lines(query({"--terms", "--json", "합의"}).out);
  std::map<std::string, json> by_text;
  for (const auto& t : c)
    if (t["type"] == "translation") by_text[t["text"]] = t;
  ASSERT_TRUE(by_text.count("consensus")) << query({"--terms", "--json", "합의"}).out;
  EXPECT_FALSE(by_text.count("Consensus"));
  EXPECT_EQ(by_text["consensus"]["evidence"], 1);  // the gloss in the index
  EXPECT_EQ(c[0]["text"], "agreement");            // the shipped glossary's row first

  const auto off = query({"--terms", "--json", "--no-default-lexicon", "북한"});
  EXPECT_EQ(off.exit_code, 1) << off.out;
}

TEST_F(ExpansionContextTest, AShippedKoreanEntryIsFoundByItsOwnWordOnly) {
  // term_key strips the ending 함 (구축함 -> 구축, as 구축함 "builds"), so
  // the key of 구축 is that of the glossary's 구축함 -> destroyer.
  ASSERT_EQ(analysis::term_key("구축함"), analysis::term_key("구축"));
  auto texts = [](const std::string& term) {
    std::set<std::string> out;
    for (const auto& t : json_lines(query({"--terms", "--json", term}).out))
      if (t.value("type", "") == "translation") out.insert(t["text"].get<std::string>());
    return out;
  };
  EXPECT_FALSE(texts("구축").count("destroyer")) << json(texts("구축")).dump();
  EXPECT_TRUE(texts("구축함").count("destroyer"));
  EXPECT_TRUE(texts("구축함을").count("destroyer"));  // with a particle
  EXPECT_TRUE(texts("워싱턴선언은").count("Washington Declaration"));  // spacing does not count
}

TEST_F(ExpansionContextTest, NamesAreNotExpandedWordByWord) {
  const auto kim = expansions("Kim Jong Un", "ko");
  EXPECT_TRUE(kim.count("김정은")) << json(kim).dump();
  EXPECT_FALSE(kim.count("유엔"));
  EXPECT_FALSE(kim.count("United Nations"));
  // "Un" alone is not the acronym UN; "UN" is.
  EXPECT_FALSE(expansions("Un", "ko").count("유엔"));
  EXPECT_TRUE(expansions("UN", "ko").count("유엔"));
  // Moon and Park in names are not the moon and a park.
  EXPECT_FALSE(expansions("President Moon", "ko").count("달"));
  EXPECT_TRUE(expansions("moon", "ko").count("달"));
  const auto park = expansions("Park Geun-hye", "ko");
  EXPECT_FALSE(park.count("공원"));
  EXPECT_TRUE(expansions("park", "ko").count("공원"));
  // A Korean surname before a title is not a common noun.
  EXPECT_FALSE(expansions("문 대통령", "en").count("door"));
  EXPECT_TRUE(expansions("문", "en").count("door"));
}

TEST_F(ExpansionContextTest, MissingOrDamagedDataWarnsAndSearchStillWorks) {
  TempDir empty;
  {
    DataDir data(empty.path());
    const auto r = run({query_bin(), "--db", db_, "--lang", "en", "moon"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "bisearch: warning: " + (empty.path() / "default-lexicon.tsv").string() +
                         ": missing; searching without it\nbisearch: warning: " +
                         (empty.path() / "policy-glossary.tsv").string() + ": missing; searching without it\n");
  }
  TempDir damaged;
  damaged.write("default-lexicon.tsv", std::string("\x1f\x8b\x08\0garbage\xff\xfe", 13));
  damaged.write("policy-glossary.tsv", read_file(glossary_file()));
  {
    DataDir data(damaged.path());
    const auto r = run({query_bin(), "--db", db_, "--json", "--lang", "en", "북한"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find((damaged.path() / "default-lexicon.tsv").string() + ": no readable row"), std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    EXPECT_NE(json_lines(r.out)[0]["text"].get<std::string>().find("North Korea"), std::string::npos);
  }
}

// A shipped translation is searched only where passages of its language
// hold it: a Korean archive whose Korean text mentions "strategy" in
// passing is not searched for it; once an English page uses it, it is.
TEST(ShippedExpansion, NeedsPassagesOfTheTranslationsLanguage) {
  TempDir dir;
  dir.write("data/" + std::string(query::kDefaultLexiconFile), read_file(fixture_lexicon()));
  dir.write("data/" + std::string(query::kDefaultGlossaryFile), read_file(glossary_file()));
  dir.write("corpus/plan.txt",
            "새로운 전략을 세웠다. 위원회는 이 전략을 다음 달까지 검토하기로 했다.\n\n"
            "보고서 표지에는 영어로 strategy 라는 낱말이 크게 적혀 있었고 모두가 그 보고서를 읽었다.\n\n"
            "북한의 비핵화를 논의했다.\n");
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(run_index({"--no-progress", "--db", db, (dir.path() / "corpus").string()}).exit_code, 0);
  DataDir data(dir.path() / "data");
  auto expansions = [&](const std::string& q) {
    const auto r = run({query_bin(), "--db", db, "--json", q});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::set<std::string> out;
    const auto lines = json_lines(r.out);
    if (!lines.empty())
      for (const auto& e : lines.back()["expansions"]) out.insert(e["text"].get<std::string>());
    return out;
  };
  // The Korean passages hold "strategy" and "North Korea" nowhere in English text of their own language.
  const auto r = run({query_bin(), "--db", db, "--json", "--lang", "ko", "strategy"});
  ASSERT_EQ(r.exit_code, 0) << r.out;  // the word is in a Korean passage
  EXPECT_TRUE(expansions("전략").empty()) << json(expansions("전략")).dump();
  EXPECT_TRUE(expansions("북한").empty());

  dir.write("corpus/brief.txt", "The strategy was set by the committee.\n\nNorth Korea must give up its weapons.\n");
  ASSERT_EQ(run_index({"--no-progress", "--db", db, (dir.path() / "corpus").string()}).exit_code, 0);
  EXPECT_TRUE(expansions("전략").count("strategy")) << json(expansions("전략")).dump();
  EXPECT_TRUE(expansions("북한").count("North Korea")) << json(expansions("북한")).dump();
  // The English passages are now found from the Korean word.
  const auto en = run({query_bin(), "--db", db, "--json", "--lang", "en", "전략"});
  EXPECT_EQ(en.exit_code, 0) << en.out;
}

}  // namespace
}  // namespace bisearch::testing
