// crosslang_test.cc: sentence alignment, the learned lexicon, glossary files and counterparts, on real text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/gloss.h"
#include "indexer/align.h"
#include "indexer/glossary.h"
#include "indexer/lexicon.h"
#include "test_util.h"

namespace bisearch::testing {
namespace {

namespace fs = std::filesystem;
using indexer::align_passages;
using indexer::Alignment;

// The sample corpus: line 1 is the Korean abstract, line 2 its translation.
std::pair<std::string, std::string> corpus_lines() {
  const std::string text = read_file(corpus_dir() / "extended-deterrence-2.0.ko-en.txt");
  const size_t nl = text.find('\n');
  std::string en = text.substr(nl + 1);
  while (!en.empty() && (en.back() == '\n' || en.back() == '\r')) en.pop_back();
  return {text.substr(0, nl), en};
}

std::string unit_text(const std::vector<std::string_view>& side, const indexer::AlignUnit& u) {
  return std::string(side[u.passage].substr(u.begin, u.end - u.begin));
}

TEST(Align, SampleAbstractAlignsSentenceBySentence) {
  const auto [ko, en] = corpus_lines();
  const std::vector<std::string_view> a{ko}, b{en};
  const Alignment al = align_passages(a, b);
  EXPECT_FALSE(al.line_aligned);
  ASSERT_EQ(al.a_units.size(), 7u);   // seven Korean sentences
  ASSERT_GE(al.b_units.size(), 7u);
  ASSERT_EQ(al.beads.size(), 7u);     // each with its English sentence(s)
  for (const auto& bead : al.beads) {
    EXPECT_EQ(bead.a_count, 1u);
    EXPECT_GE(bead.b_count, 1u);
  }
  // The first sentence mentions the NCG on both sides; the sixth speaks of
  // credibility (신뢰성) and "credibility".
  const auto& first = al.beads[0];
  EXPECT_NE(unit_text(a, al.a_units[first.a_begin]).find("핵협의그룹"), std::string::npos);
  EXPECT_NE(unit_text(b, al.b_units[first.b_begin]).find("Nuclear Consultative Group"), std::string::npos);
  const auto& sixth = al.beads[5];
  std::string en6;
  for (uint32_t k = sixth.b_begin; k < sixth.b_begin + sixth.b_count; ++k) en6 += unit_text(b, al.b_units[k]);
  EXPECT_NE(unit_text(a, al.a_units[sixth.a_begin]).find("신뢰성"), std::string::npos);
  EXPECT_NE(en6.find("credibility"), std::string::npos) << en6;
}

TEST(Align, EqualLineCountsPairLineByLine) {
  const std::string ko = "첫째 문장이다.\n둘째 문장은 조금 더 길다. 정말이다.\n셋째.\n";
  const std::string en = "The first sentence.\nThe second one is a little longer. Really.\nThird.\n";
  const Alignment al = align_passages({ko}, {en});
  EXPECT_TRUE(al.line_aligned);
  ASSERT_EQ(al.beads.size(), 3u);
  EXPECT_EQ(unit_text({ko}, al.a_units[1]), "둘째 문장은 조금 더 길다. 정말이다.");
  EXPECT_EQ(unit_text({en}, al.b_units[1]), "The second one is a little longer. Really.");
}

TEST(Align, OneSideEmptyGivesNothing) {
  EXPECT_TRUE(align_passages({"한국어 문장."}, {}).beads.empty());
  EXPECT_TRUE(align_passages({}, {"English."}).beads.empty());
}

TEST(Align, CounterpartsFollowTheBeads) {
  // Two Korean passages, two English ones; each pair holds the same content.
  const std::vector<std::string_view> a{"북한은 미사일을 발사했다. 정부는 이를 규탄했다.",
                                        "한미 양국은 연합훈련을 확대하기로 합의했다."};
  const std::vector<std::string_view> b{"North Korea launched a missile. The government condemned it.",
                                        "The two countries agreed to expand their combined exercises."};
  const Alignment al = align_passages(a, b);
  const auto to_b = indexer::passage_counterparts(al, a, b, true);
  ASSERT_EQ(to_b.size(), 2u);
  ASSERT_FALSE(to_b[0].empty());
  ASSERT_FALSE(to_b[1].empty());
  EXPECT_EQ(to_b[0][0], 0u);
  EXPECT_EQ(to_b[1][0], 1u);
}

TEST(Lexicon, SampleAbstractPairsExtendedDeterrence) {
  const auto [ko, en] = corpus_lines();
  const std::vector<std::string_view> a{ko}, b{en};
  const Alignment al = align_passages(a, b);
  indexer::LexiconLearner learner;
  for (const auto& bead : al.beads) {
    std::string k, e;
    for (uint32_t i = bead.a_begin; i < bead.a_begin + bead.a_count; ++i) k += unit_text(a, al.a_units[i]) + "\n";
    for (uint32_t i = bead.b_begin; i < bead.b_begin + bead.b_count; ++i) e += unit_text(b, al.b_units[i]) + "\n";
    learner.add_pair(k, e);
  }
  const indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(lex.pairs, 7u);
  ASSERT_TRUE(lex.entries.count("확장억제"));
  EXPECT_EQ(lex.entries.at("확장억제")[0].text, "extended deterrence");
  EXPECT_EQ(lex.entries.at("확장억제")[0].lang, "en");
  ASSERT_TRUE(lex.entries.count("extended deterrence"));
  EXPECT_EQ(lex.entries.at("extended deterrence")[0].key, "확장억제");
  // The key is what lookups compute from a written form.
  EXPECT_EQ(analysis::term_key("Extended  Deterrence"), "extended deterrence");
}

TEST(Lexicon, NeedsRepeatedEvidence) {
  indexer::LexiconLearner learner;
  learner.add_pair("정부는 새로운 예산안을 발표했다.", "The government announced a new budget.");
  learner.add_pair("그는 어제 서울에 도착했다.", "He arrived in Seoul yesterday.");
  EXPECT_TRUE(learner.learn().entries.empty());  // one pair proves nothing
  for (int i = 0; i < 3; ++i) {
    learner.add_pair("정부는 예산안을 다시 검토했다.", "The government reviewed the budget again.");
    learner.add_pair("시장은 서울에서 연설했다.", "The mayor gave a speech in Seoul.");
    learner.add_pair("국회는 예산안을 통과시켰다.", "The assembly passed the budget.");
  }
  const indexer::Lexicon lex = learner.learn();
  ASSERT_TRUE(lex.entries.count("서울")) << lex.links;
  EXPECT_EQ(lex.entries.at("서울")[0].key, "seoul");
  ASSERT_TRUE(lex.entries.count("예산안"));
  EXPECT_EQ(lex.entries.at("예산안")[0].key, "budget");
  EXPECT_FALSE(lex.entries.count("the"));  // function words are never candidates
}

// Sentence pairs about other things, so that co-occurrence means something.
void add_fillers(indexer::LexiconLearner& learner) {
  const char* pairs[][2] = {
      {"시장은 어제 서울에 도착했다.", "The mayor arrived in Seoul yesterday."},
      {"학생들이 도서관에서 공부한다.", "Students study in the library."},
      {"날씨가 매우 추웠다.", "The weather was very cold."},
      {"그 회사는 새 공장을 열었다.", "The company opened a new factory."},
      {"아이들이 공원에서 놀았다.", "Children played in the park."},
      {"은행이 금리를 올렸다.", "The bank raised interest rates."},
      {"축구 경기가 취소되었다.", "The football match was cancelled."},
      {"가수가 새 앨범을 냈다.", "The singer released a new album."},
      {"병원은 환자를 치료했다.", "The hospital treated the patient."},
      {"기차가 늦게 도착했다.", "The train arrived late."},
      {"농부들이 쌀을 수확했다.", "Farmers harvested rice."},
      {"작가는 소설을 썼다.", "The writer wrote a novel."},
  };
  for (const auto& p : pairs) learner.add_pair(p[0], p[1]);
}

std::string first_translation(const indexer::Lexicon& lex, const std::string& key) {
  auto it = lex.entries.find(key);
  return it == lex.entries.end() || it->second.empty() ? "" : it->second[0].text;
}

TEST(Lexicon, EnglishFormsCountTogether) {
  // Two pairs say "election", two "elections": neither form alone has the
  // three links a translation needs; the two forms together do.
  indexer::LexiconLearner learner;
  add_fillers(learner);
  learner.add_pair("국회는 선거 일정을 발표했다.", "The assembly announced the election schedule.");
  learner.add_pair("이번 선거에서 야당이 이겼다.", "The opposition won the elections.");
  learner.add_pair("지방 선거가 내일 열린다.", "Local elections will be held tomorrow.");
  learner.add_pair("선거 결과는 놀라웠다.", "The election result was surprising.");
  const indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(first_translation(lex, "선거"), "election");  // the tie goes to the shorter text
  // Both forms find the Korean term.
  EXPECT_EQ(first_translation(lex, "election"), "선거");
  EXPECT_EQ(first_translation(lex, "elections"), "선거");
}

TEST(Lexicon, StrongLinksKeepACommonWordWithSeveralTranslations) {
  // 지원 is "support" in ten pairs and "aid" or "assistance" in six;
  // "support" is used in thirty more pairs (응원): the Dice of 지원/support is 0.36,
  // though every pair holding both links them.
  auto learn = [](uint32_t strong_links) {
    indexer::LexiconOptions o;
    o.strong_links = strong_links;
    indexer::LexiconLearner learner(o);
    for (int i = 0; i < 10; ++i) add_fillers(learner);
    const char* pairs[][2] = {
        {"정부는 농민 지원을 늘렸다.", "The government gave farmers more support."},
        {"학생 지원이 줄었다.", "Support for students fell."},
        {"그는 지원을 약속했다.", "He promised support."},
        {"기업들은 지원을 요청했다.", "Companies asked for support."},
        {"국회는 지원 법안을 통과시켰다.", "Parliament passed a support bill."},
        {"노인 지원이 필요하다.", "The elderly need support."},
        {"병원에 대한 지원이 끝났다.", "Support to hospitals ended."},
        {"시는 학교 지원을 발표했다.", "The city announced support for schools."},
        {"가족 지원 제도가 생겼다.", "A family support scheme began."},
        {"지원 예산이 두 배가 되었다.", "The support budget doubled."},
    };
    for (const auto& p : pairs) learner.add_pair(p[0], p[1]);
    for (const char* k : {"난민에게 지원이 도착했다.", "식량 지원을 보냈다.", "의료 지원을 받았다."})
      learner.add_pair(k, "Aid arrived for the people.");
    for (const char* k : {"기술 지원을 제공했다.", "재정 지원을 구했다.", "법률 지원을 했다."})
      learner.add_pair(k, "They gave assistance.");
    const char* fans[] = {"팬들", "시민들", "주민들", "학생들", "가족들", "친구들"};
    const char* fans_en[] = {"Fans", "Citizens", "Residents", "Students", "Families", "Friends"};
    for (int i = 0; i < 30; ++i)
      learner.add_pair(std::string(fans[i % 6]) + "은 그 팀을 응원했다.",
                       std::string(fans_en[i % 6]) + " support that team.");
    return learner.learn();
  };
  const indexer::Lexicon usual = learn(0);
  EXPECT_EQ(first_translation(usual, "지원"), "");
  const indexer::Lexicon strong = learn(5);
  EXPECT_EQ(first_translation(strong, "지원"), "support");
  bool both_ways = false;
  for (const auto& t : strong.entries.at("support")) both_ways |= t.text == "지원";
  EXPECT_TRUE(both_ways);
  // Three links are not enough for the strong rule.
  EXPECT_EQ(strong.entries.count("aid"), 0u);
}

TEST(Lexicon, PartsInsideALinkPairAtTheSameEnd) {
  // 다크 나이트 is "Dark Knight"; 다크 and "Knight" are also used apart, so
  // 나이트 and "Dark" are the most strongly associated parts. Inside the
  // link, 다크 is Dark and 나이트 Knight, never crosswise (the shipped
  // lexicon had 나이트 -> Dark, 크리스틴 -> Blasey, 뉴 -> York).
  indexer::LexiconLearner learner;
  for (int i = 0; i < 3; ++i) add_fillers(learner);
  learner.add_pair("다크 나이트는 흥행에 성공했다.", "The Dark Knight was a hit.");
  learner.add_pair("그는 다크 나이트를 두 번 봤다.", "He saw The Dark Knight twice.");
  learner.add_pair("다크 나이트의 속편이 나온다.", "A sequel to The Dark Knight is coming.");
  learner.add_pair("다크 나이트 상영관이 붐볐다.", "Theatres showing The Dark Knight were full.");
  learner.add_pair("다크 서클이 생겼다.", "Circles formed under her eyes.");
  learner.add_pair("다크 모드를 켰다.", "He switched on night mode.");
  learner.add_pair("그 다크 웹 사이트는 폐쇄되었다.", "That hidden web site was shut.");
  learner.add_pair("다크 호스가 이겼다.", "An outsider won.");
  learner.add_pair("기사가 말을 탔다.", "The knight rode a horse.");
  learner.add_pair("그 기사는 용감했다.", "That knight was brave.");
  learner.add_pair("왕이 기사를 불렀다.", "The king called a knight.");
  learner.add_pair("기사의 칼이 빛났다.", "The knight's sword shone.");
  indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(first_translation(lex, analysis::term_key("다크 나이트")), "Dark Knight");
  EXPECT_EQ(first_translation(lex, "나이트"), "Knight");
  for (const auto& t : lex.entries["나이트"]) EXPECT_NE(t.text, "Dark");
  for (const auto& t : lex.entries["다크"]) EXPECT_NE(t.text, "Knight");
}

TEST(Lexicon, PossessiveIsShownBare) {
  indexer::LexiconLearner learner;
  add_fillers(learner);
  learner.add_pair("마틴의 차는 빨간색이었다.", "Martin's car was red.");
  learner.add_pair("마틴의 개가 짖었다.", "Martin's dog barked.");
  learner.add_pair("마틴은 일찍 떠났다.", "Martin left early.");
  const indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(first_translation(lex, "마틴"), "Martin");
}

TEST(Lexicon, WholeNameWinsOverItsFirstWord) {
  indexer::LexiconLearner learner;
  add_fillers(learner);
  learner.add_pair("북한은 미사일을 발사했다.", "North Korea launched a missile.");
  learner.add_pair("북한이 대화를 제안했다.", "North Korea proposed talks.");
  learner.add_pair("북한 정부는 성명을 냈다.", "The North Korean government issued a statement.");
  learner.add_pair("북한과 일본이 만났다.", "North Korea and Japan met.");
  learner.add_pair("그들은 북쪽으로 갔다.", "They went north.");
  const indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(first_translation(lex, "북한"), "North Korea");
  EXPECT_EQ(first_translation(lex, "north korea"), "북한");
}

TEST(Lexicon, PartsOfCompoundsAreLearned) {
  // 국방 never stands alone here: it is learned from 국방부, 국방비, 국방장관.
  // 핵 stands alone once and is not lost to 핵무기 and 비핵화.
  indexer::LexiconLearner learner;
  add_fillers(learner);
  learner.add_pair("국방부는 훈련을 발표했다.", "The defense ministry announced the drill.");
  learner.add_pair("국방비가 크게 늘었다.", "Defense spending rose sharply.");
  learner.add_pair("국방장관이 기지를 방문했다.", "The defense minister visited the base.");
  learner.add_pair("국방부 대변인이 말했다.", "A defense ministry spokesman spoke.");
  learner.add_pair("그들은 핵무기를 포기해야 한다.", "They must give up nuclear weapons.");
  learner.add_pair("핵 실험이 또 있었다.", "There was another nuclear test.");
  learner.add_pair("핵무기 개발은 위험하다.", "Developing nuclear weapons is dangerous.");
  learner.add_pair("비핵화 협상이 멈췄다.", "Denuclearization talks stalled.");
  learner.add_pair("핵무기를 줄이자는 제안", "A proposal to reduce nuclear weapons");
  const indexer::Lexicon lex = learner.learn();
  EXPECT_EQ(first_translation(lex, "국방"), "defense");
  EXPECT_EQ(first_translation(lex, "핵무기"), "nuclear weapons");
  EXPECT_EQ(first_translation(lex, "핵"), "nuclear");
  // A part seen in one word only is no term (방부 of 국방부).
  EXPECT_FALSE(lex.entries.count("방부"));
}

TEST(Glossary, TsvWithHeaderInAnyOrder) {
  const auto g = indexer::parse_glossary(
      "# terms of the 2023 report\nen\tko\tnote\nNuclear Consultative Group\t핵협의그룹\t2023 신설\n\n"
      "extended deterrence\t확장억제\n",
      "g.tsv");
  EXPECT_TRUE(g.problems.empty());
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(g.rows[0].ko, "핵협의그룹");
  EXPECT_EQ(g.rows[0].en, "Nuclear Consultative Group");
  EXPECT_EQ(g.rows[0].note, "2023 신설");
  EXPECT_EQ(g.rows[0].line, 3u);
  EXPECT_EQ(g.rows[1].line, 5u);
}

TEST(Glossary, CsvQuotesAndBadRowsByLine) {
  const std::string csv =
      "확장억제,\"extended deterrence, ED\",note\n"   // 1: a data row (no header)
      "핵협의그룹\n"                                      // 2: one column
      ",NCG\n"                                            // 3: empty ko
      "\"한미 동맹,alliance\n"                            // 4: unterminated quote
      "alliance,동맹\n"                                   // 5: swapped
      "ROK,Republic of Korea\n"                           // 6: no Korean
      "\"핵·재래식 통합\",\"Conventional-Nuclear Integration\"\n"  // 7: fine
      "한미\xff\xfe,US\n";                                // 8: not UTF-8
  const auto g = indexer::parse_glossary(csv, "terms.csv");
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(g.rows[0].en, "extended deterrence, ED");
  EXPECT_EQ(g.rows[0].note, "note");
  EXPECT_EQ(g.rows[1].ko, "핵·재래식 통합");
  ASSERT_EQ(g.problems.size(), 6u);
  const std::vector<std::string> where = {"terms.csv:2", "terms.csv:3", "terms.csv:4",
                                          "terms.csv:5", "terms.csv:6", "terms.csv:8"};
  for (size_t i = 0; i < where.size(); ++i) EXPECT_EQ(g.problems[i].where, where[i]) << g.problems[i].reason;
  EXPECT_NE(g.problems[0].reason.find("expected ko and en columns, found 1 column"), std::string::npos);
  EXPECT_NE(g.problems[1].reason.find("empty ko term"), std::string::npos);
  EXPECT_NE(g.problems[2].reason.find("quoted field is not closed"), std::string::npos);
  EXPECT_NE(g.problems[3].reason.find("swapped"), std::string::npos);
  EXPECT_NE(g.problems[4].reason.find("no Korean letters"), std::string::npos);
  EXPECT_NE(g.problems[5].reason.find("not valid UTF-8"), std::string::npos);
}

TEST(Glossary, Cp949FileIsConverted) {
  // 확장억제<TAB>extended deterrence, 핵협의그룹<TAB>NCG in CP949.
  const std::string cp949 =
      "\xC8\xAE\xC0\xE5\xBE\xEF\xC1\xA6\textended deterrence\n"
      "\xC7\xD9\xC7\xF9\xC0\xC7\xB1\xD7\xB7\xEC\tNCG\n";
  const auto g = indexer::parse_glossary(cp949, "old.tsv");
  EXPECT_TRUE(g.problems.empty());
  EXPECT_NE(g.encoding, "UTF-8");
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(g.rows[0].ko, "확장억제");
  EXPECT_EQ(g.rows[1].ko, "핵협의그룹");
}

// End to end: a document pair, a glossary that changes and goes away.
class CrosslangCli : public ::testing::Test {
 protected:
  RunResult q(const std::vector<std::string>& args) {
    std::vector<std::string> all{BISEARCH_QUERY_BIN, "--db", db.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run(all);
  }
  TempDir tmp;
  fs::path docs = tmp.path() / "docs";
  fs::path db = tmp.path() / "idx";
};

TEST_F(CrosslangCli, DocumentPairsGetCounterpartsAndLoseThemWithTheirPartner) {
  fs::create_directories(docs);
  std::ofstream(docs / "brief.ko.txt") << "한미 양국은 핵협의그룹 회의를 워싱턴에서 열었다.\n\n"
                                          "양국은 확장억제 실행력을 강화하기로 합의하였다. 다음 회의는 서울에서 열린다.\n";
  std::ofstream(docs / "brief.en.txt") << "The two countries held a Nuclear Consultative Group meeting in Washington.\n\n"
                                          "They agreed to strengthen the execution of extended deterrence. "
                                          "The next meeting will be held in Seoul.\n";
  ASSERT_EQ(run_index({"--db", db.string(), docs.string()}).exit_code, 0);
  auto hits = json_lines(q({"--json", "--lang", "ko", "서울"}).out);
  ASSERT_EQ(hits.size(), 2u);
  ASSERT_TRUE(hits[0]["counterpart"].is_object()) << hits[0].dump();
  EXPECT_EQ(hits[0]["counterpart"]["doc_id"], "brief.en.txt");
  EXPECT_EQ(hits[0]["counterpart"]["passage"], 1);
  EXPECT_NE(hits[0]["counterpart"]["text"].get<std::string>().find("Seoul"), std::string::npos);

  fs::remove(docs / "brief.en.txt");
  ASSERT_EQ(run_index({"--db", db.string(), docs.string()}).exit_code, 0);
  hits = json_lines(q({"--json", "--lang", "ko", "서울"}).out);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE(hits[0]["counterpart"].is_null()) << hits[0].dump();
}

TEST_F(CrosslangCli, GlossaryIsKeptReloadedWhenChangedAndDroppedWhenGone) {
  fs::create_directories(docs);
  std::ofstream(docs / "a.txt") << "한미 양국은 핵협의그룹 회의를 열었다.\n";
  const fs::path gl = tmp.path() / "terms.tsv";
  std::ofstream(gl) << "ko\ten\tnote\n핵협의그룹\tNuclear Consultative Group\t2023\n한미\tROK-U.S.\n\t빈칸\n";
  RunResult r = run_index({"--db", db.string(), "--glossary", gl.string(), docs.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one bad row: reported, the rest loaded
  EXPECT_NE(r.err.find(gl.string() + ":4: empty ko term"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 rows loaded, 1 skipped"), std::string::npos) << r.err;
  auto t = json_lines(q({"--terms", "--json", "--no-default-lexicon", "핵협의그룹"}).out);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[0]["text"], "Nuclear Consultative Group");
  EXPECT_EQ(t[0]["kind"], "glossary");
  EXPECT_NE(t[0]["note"].get<std::string>().find("terms.tsv:2"), std::string::npos);

  // Unchanged: not read again, even without --glossary.
  r = run_index({"--db", db.string(), docs.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("rows loaded"), std::string::npos) << r.err;

  // Changed: read again on the next run.
  std::ofstream(gl) << "핵협의그룹\tNCG\n";
  r = run_index({"--db", db.string(), docs.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  t = json_lines(q({"--terms", "--json", "--no-default-lexicon", "핵협의그룹"}).out);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]["text"], "NCG");

  // Gone: dropped.
  fs::remove(gl);
  r = run_index({"--db", db.string(), docs.string()});
  EXPECT_NE(r.err.find("no longer exists"), std::string::npos) << r.err;
  t = json_lines(q({"--terms", "--json", "--no-default-lexicon", "핵협의그룹"}).out);
  EXPECT_EQ(t.size(), 1u);  // summary only
}

// Where a Korean term starts before a gloss is a guess from the English
// side; other passages glossing the same English settle it.
TEST_F(CrosslangCli, OtherPassagesDecideWhereTheKoreanTermStarts) {
  fs::create_directories(docs);
  std::ofstream(docs / "a.txt") << "양국은 그리고 한미 핵 억제(nuclear deterrence posture)를 점검했다.\n\n"
                                   "미국의 핵 억제(nuclear deterrence posture)는 여전히 유효하다.\n\n"
                                   "동맹의 핵 억제(nuclear deterrence posture)를 강화한다.\n";
  ASSERT_EQ(run_index({"--db", db.string(), docs.string()}).exit_code, 0);
  const auto t = json_lines(q({"--terms", "--json", "nuclear deterrence posture"}).out);
  ASSERT_EQ(t.size(), 2u) << "한미 핵 억제 is counted for 핵 억제, not listed apart";
  EXPECT_EQ(t[0]["text"], "핵 억제");
  EXPECT_EQ(t[0]["evidence"], 3);
}

TEST_F(CrosslangCli, UnbalancedParenthesesNeverBreakIndexing) {
  fs::create_directories(docs);
  std::ofstream(docs / "odd.txt") << "핵협의그룹(NCG: Nuclear Consultative Group 회의가 (열렸다.\n\n"
                                     "확장억제)) 논의는 ((계속된다 (extended deterrence(확장억제)\n\n"
                                     "Nuclear Consultative Group (NCG) met ) ( (again.\n";
  const RunResult r = run_index({"--db", db.string(), docs.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The one well-formed gloss of each kind is still found.
  const auto t = json_lines(q({"--terms", "--json", "extended deterrence"}).out);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[0]["text"], "확장억제");
  const auto n = json_lines(q({"--terms", "--json", "NCG"}).out);
  ASSERT_GE(n.size(), 2u);
  EXPECT_EQ(n[0]["text"], "Nuclear Consultative Group");
}

}  // namespace
}  // namespace bisearch::testing
