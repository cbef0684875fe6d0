// terms_cli_test.cc: bisearch-query --terms and --cross end to end on corpus/.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace bisearch::testing {
namespace {

using nlohmann::json;

using bisearch::testing::json_lines;

// The translations of a --terms --json run, by text.
std::map<std::string, json> translations(const std::vector<json>& lines) {
  std::map<std::string, json> out;
  for (const auto& j : lines)
    if (j["type"] == "translation") out[j["text"]] = j;
  return out;
}

// Queries one index of corpus/ built for the suite (test_util.h).
class TermsCliTest : public CorpusIndexTest {};

TEST_F(TermsCliTest, KoreanTermGivesEnglishAndAcronym) {
  const auto r = query({"--terms", "--json", "핵협의그룹"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = json_lines(r.out);
  const auto t = translations(lines);
  ASSERT_TRUE(t.count("Nuclear Consultative Group")) << r.out;
  ASSERT_TRUE(t.count("NCG")) << r.out;
  const json& en = t.at("Nuclear Consultative Group");
  EXPECT_EQ(en["rank"], 1);
  EXPECT_EQ(en["lang"], "en");
  EXPECT_EQ(en["kind"], "gloss");
  EXPECT_EQ(en["evidence"], 1);
  EXPECT_EQ(t.at("NCG")["kind"], "acronym");
  // One example per language: the Korean gloss, and the English passage
  // that uses the translation.
  ASSERT_EQ(en["examples"].size(), 2u);
  EXPECT_EQ(en["examples"][0]["lang"], "ko");
  EXPECT_NE(en["examples"][0]["snippet"].get<std::string>().find("핵협의그룹(NCG: Nuclear Consultative Group)"),
            std::string::npos);
  EXPECT_EQ(en["examples"][1]["lang"], "en");
  EXPECT_EQ(en["examples"][1]["doc_id"], "extended-deterrence-2.0.ko-en.txt");
  EXPECT_NE(en["examples"][1]["snippet"].get<std::string>().find("Nuclear Consultative Group"), std::string::npos);
  const json& summary = lines.back();
  EXPECT_EQ(summary["type"], "summary");
  EXPECT_EQ(summary["key"], "핵협의그룹");
  EXPECT_EQ(summary["lang"], "ko");
  EXPECT_EQ(summary["translations"], t.size());

  // With a particle, the same answer.
  EXPECT_TRUE(translations(json_lines(query({"--terms", "--json", "핵협의그룹을"}).out)).count("Nuclear Consultative Group"));
}

TEST_F(TermsCliTest, AcronymGivesBothForms) {
  const auto r = query({"--terms", "--json", "NCG"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = translations(json_lines(r.out));
  ASSERT_TRUE(t.count("핵협의그룹")) << r.out;
  ASSERT_TRUE(t.count("Nuclear Consultative Group")) << r.out;
  EXPECT_EQ(t.at("핵협의그룹")["lang"], "ko");
  // Glossed in both passages: "(NCG: Nuclear Consultative Group)" and "Nuclear Consultative Group (NCG)".
  EXPECT_EQ(t.at("Nuclear Consultative Group")["evidence"], 2);
  EXPECT_EQ(t.at("Nuclear Consultative Group")["kind"], "expansion");
}

TEST_F(TermsCliTest, EnglishTermsGiveKorean) {
  auto t = translations(json_lines(query({"--terms", "--json", "trilateral", "deterrence"}).out));
  ASSERT_TRUE(t.count("3각 억제"));
  EXPECT_EQ(t.at("3각 억제")["lang"], "ko");
  // Two writings of one term (spacing, joiners) are one piece of evidence
  // (the index's own: the shipped glossary would show its lower-case form).
  t = translations(json_lines(query({"--terms", "--json", "--no-default-lexicon", "핵재래식통합"}).out));
  EXPECT_TRUE(t.count("Conventional-Nuclear Integration"));
  EXPECT_TRUE(t.count("CNI"));
}

// The sample text never glosses 확장억제 or "extended deterrence": the pair
// is only in the aligned passages (the Korean one and its translation),
// which a later slice will use. Until then the lookup finds nothing.
// The sample text never glosses 확장억제, but its Korean abstract and English
// translation are aligned sentence by sentence, and the lexicon learned
// from them pairs the two: 확장억제 and "extended deterrence" occur in the
// same five sentence pairs.
TEST_F(TermsCliTest, AlignmentGivesTranslationWithoutGloss) {
  auto r = query({"--terms", "--json", "--no-default-lexicon", "extended deterrence"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0]["text"], "확장억제");
  EXPECT_EQ(lines[0]["kind"], "alignment");
  ASSERT_EQ(lines[0]["sources"].size(), 1u);
  EXPECT_EQ(lines[0]["sources"][0]["source"], "alignment");
  EXPECT_GE(lines[0]["sources"][0]["evidence"].get<int>(), 3);
  r = query({"--terms", "--json", "확장억제을"});  // a particle does not matter
  lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0]["text"], "extended deterrence");
}

TEST_F(TermsCliTest, LangKeepsTranslationsIntoOneLanguage) {
  auto lines = json_lines(query({"--terms", "--json", "--lang", "ko", "NCG"}).out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["text"], "핵협의그룹");
  lines = json_lines(query({"--terms", "--json", "--lang", "en", "NCG"}).out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["text"], "Nuclear Consultative Group");
  const auto r = query({"--terms", "--doc", "x", "NCG"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--doc does not apply"), std::string::npos) << r.err;
}

TEST_F(TermsCliTest, NoEvidenceNoTranslation) {
  auto r = query({"--terms", "--json", "trilateral"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "summary");
  EXPECT_EQ(lines[0]["translations"], 0);
  r = query({"--terms", "레이어"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("no translations of \"레이어\""), std::string::npos) << r.out;
}

TEST_F(TermsCliTest, TextOutput) {
  auto r = query({"--terms", "--color=never", "--no-default-lexicon", "핵협의그룹"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1. Nuclear Consultative Group [en, gloss] evidence 1 (gloss 1 in 1 passage); used in 2 passages here\n"),
            std::string::npos)
      << r.out;
  // The shipped glossary's row is listed beside the index's evidence.
  r = query({"--terms", "--color=never", "핵협의그룹"});
  EXPECT_NE(r.out.find("1. Nuclear Consultative Group [en, gloss] evidence 1 (gloss 1 in 1 passage, default-glossary 1 row); "
                       "used in 2 passages here\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("   en: extended-deterrence-2.0.ko-en.txt #1  "), std::string::npos) << r.out;
}

TEST_F(TermsCliTest, WordTermsIsStillAQuery) {
  // Searching for the word "terms" is a search, not a lookup.
  const auto r = query({"--json", "terms"});
  EXPECT_EQ(r.exit_code, 1) << r.out;  // the corpus does not contain it
  const auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["type"], "summary");
  EXPECT_EQ(lines[0]["query"], "terms");
}

TEST_F(TermsCliTest, CrossFindsTheOtherLanguage) {
  // Without --cross, 핵협의그룹 finds only the Korean passage.
  auto lines = json_lines(query({"--json", "--no-cross", "핵협의그룹"}).out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines.back()["expansions"].empty());
  const auto r = query({"--json", "--cross", "핵협의그룹"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0]["lang"], "ko");  // the original word outranks its translation
  EXPECT_EQ(lines[1]["lang"], "en");
  const std::string text = lines[1]["text"];
  bool highlighted = false;
  for (const auto& h : lines[1]["highlights"]) {
    const size_t b = h[0], e = h[1];
    highlighted = highlighted || text.substr(b, e - b) == "Nuclear Consultative Group";
  }
  EXPECT_TRUE(highlighted) << lines[1]["highlights"];
  const json& summary = lines.back();
  ASSERT_EQ(summary["expansions"].size(), 2u) << summary;
  EXPECT_EQ(summary["expansions"][0]["clause"], "핵협의그룹");
  EXPECT_EQ(summary["expansions"][0]["text"], "Nuclear Consultative Group");
  EXPECT_EQ(summary["expansions"][0]["weight"], 0.5);
  EXPECT_NE(summary["parsed"].get<std::string>().find("0.5×cross(\"nuclear consultative group\")"), std::string::npos);

  // A phrase expands as a whole; --explain lists what was added.
  const auto p = query({"--explain", "--color=never", "--cross", "--lang", "en", "\"3각 억제\""});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.out.find("cross: 3각 억제 -> trilateral deterrence [en, gloss, evidence 1, weight 0.5]"), std::string::npos)
      << p.out;
}

// Without --cross, 확장억제 finds only the Korean passage; with it, the
// learned translation brings the English one (the acceptance case:
// in the top 3), below the passage holding the word itself.
TEST_F(TermsCliTest, CrossFindsTheEnglishPassageThroughAlignment) {
  const auto plain = json_lines(query({"--json", "--no-cross", "확장억제"}).out);
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[0]["lang"], "ko");
  const auto cross = json_lines(query({"--json", "--cross", "확장억제"}).out);
  ASSERT_EQ(cross.size(), 3u);
  EXPECT_EQ(cross[0]["lang"], "ko");
  EXPECT_EQ(cross[1]["lang"], "en");
  EXPECT_GT(cross[0]["score"].get<double>(), cross[1]["score"].get<double>());
  const auto& summary = cross.back();
  ASSERT_EQ(summary["expansions"].size(), 1u);
  EXPECT_EQ(summary["expansions"][0]["text"], "extended deterrence");
  EXPECT_EQ(summary["expansions"][0]["kind"], "alignment");
  // And the reverse direction.
  const auto back = json_lines(query({"--json", "--cross", "--lang", "ko", "\"extended deterrence\""}).out);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0]["doc_id"], "extended-deterrence-2.0.ko-en.txt");
}

// Each passage of the sample text shows its aligned translation.
TEST_F(TermsCliTest, HitsCarryTheirCounterpart) {
  const auto hits = json_lines(query({"--json", "NCG"}).out);
  ASSERT_EQ(hits.size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(hits[i]["counterpart"].is_object()) << hits[i].dump();
    EXPECT_EQ(hits[i]["counterpart"]["doc_id"], hits[i]["doc_id"]);
    EXPECT_NE(hits[i]["counterpart"]["lang"], hits[i]["lang"]);
    EXPECT_EQ(hits[i]["counterpart"]["passage"], hits[i]["passage"] == 0 ? 1 : 0);
    EXPECT_FALSE(hits[i]["counterpart"]["text"].get<std::string>().empty());
  }
  const auto text = query({"--color=never", "--lang", "ko", "NCG"});
  EXPECT_NE(text.out.find("   ⇄ en #1: The Republic of Korea and the United States"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace bisearch::testing
