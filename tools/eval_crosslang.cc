// eval_crosslang.cc: bisearch-eval-crosslang, cross-language retrieval (Recall@10) on held-out parallel sentences.
//
// Data: the line-aligned Korean/English sets under $BISEARCH_SHARED/data/parallel/
// (NTREX-128 newstest2019 references, 1,997 pairs; the Korean-English news
// dev + test sets of Park et al., 3,000 pairs). Every k-th pair (--heldout-every)
// is held out; the rest is written as line-aligned document pairs
// (<set>.ko.txt / <set>.en.txt), from which the indexer aligns lines and
// learns its lexicon. Each held-out sentence becomes a document of its own
// (ids h<N>-a for Korean, h<N>-b for English, so they form no aligned group).
//
// Then each held-out Korean sentence is a query restricted to English
// passages (--lang en), with and without --cross, and counts as found when its
// translation h<N>-b is in the top 10; the same from English to Korean (the
// shipped lexicon, learned from all of these pairs, is turned off with
// --no-default-lexicon). It
// also prints the lexicon's size and writes a fixed sample of its entries
// (--sample-out) for checking precision by hand.
//
// --domain speeches tests a domain the lexicon never saw: the bilingual
// presidential speeches of $BISEARCH_SHARED/data/speeches-ko/ (those with at
// least 200 Hangul letters whose letters are at least 30% Latin: 13 texts,
// a Korean speech and its English version). Each speech's Korean and
// English sentences are aligned (indexer/align.h) and every
// one-to-one pair of comparable length is held out; nothing is indexed for learning, so
// expansion has only the shipped data (data/lexicon/, learned from the
// parallel news text and the policy glossary; --data-dir picks another
// folder, e.g. one holding only the lexicon) and the glosses of the test
// text itself. The runs are then made with and without --cross and with
// --cross --no-default-lexicon.
#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/crosslang.h"
#include "analysis/hangul.h"
#include "indexer/align.h"
#include "indexer/segment.h"

#ifndef BISEARCH_INDEX_BIN
#define BISEARCH_INDEX_BIN ""
#endif
#ifndef BISEARCH_QUERY_BIN
#define BISEARCH_QUERY_BIN ""
#endif
#ifndef BISEARCH_SHARED_DEFAULT
#define BISEARCH_SHARED_DEFAULT "../shared"
#endif

namespace fs = std::filesystem;

namespace {

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Failure(path.string() + ": cannot read");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

struct ParallelSet {
  std::string name;
  std::vector<std::string> ko, en;
};

ParallelSet load_set(const std::string& name, const fs::path& ko, const fs::path& en) {
  ParallelSet s{name, read_lines(ko), read_lines(en)};
  if (s.ko.size() != s.en.size())
    throw Failure(ko.string() + ": " + std::to_string(s.ko.size()) + " lines, but " + en.string() + " has " +
                  std::to_string(s.en.size()));
  return s;
}

// A sentence as a query: no quotes (phrases), no leading -/+ (operators), no tabs.
std::string as_query(std::string s) {
  for (char& c : s)
    if (c == '"' || c == '\t' || c == '\r' || c == '\n') c = ' ';
  std::string out;
  bool word_start = true;
  for (char c : s) {
    if (word_start && (c == '-' || c == '+')) continue;
    out += c;
    word_start = c == ' ';
  }
  return out;
}

int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Recall {
  size_t queries = 0, found = 0;
  double seconds = 0;
  double value() const { return queries ? static_cast<double>(found) / static_cast<double>(queries) : 0; }
};

// Runs the batch file @p queries against @p db and counts hits whose doc id
// is the query id with @p suffix.
Recall measure(const fs::path& query_bin, const fs::path& db, const fs::path& queries, const std::string& lang,
               bool cross, const std::vector<std::string>& tune, const std::string& suffix, const fs::path& out,
               const std::string& extra = "") {
  std::string cmd = quote(query_bin.string()) + " --db " + quote(db.string()) + " --batch " + quote(queries.string()) +
                    " --json --limit 10 --lang " + lang + (cross ? " --cross" : " --no-cross") + extra;
  for (const std::string& t : tune) cmd += " --tune " + quote(t);
  cmd += " > " + quote(out.string());
  const auto start = std::chrono::steady_clock::now();
  const int rc = run(cmd);
  Recall r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc != 0 && rc != 1) throw Failure("bisearch-query failed (exit " + std::to_string(rc) + "): " + cmd);
  std::ifstream in(out);
  std::string line;
  std::set<std::string> found;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    const std::string type = j.value("type", "");
    const std::string qid = j.value("query_id", "");
    if (type == "summary" || type == "error") ++r.queries;
    if (type == "hit" && j.value("doc_id", "") == qid + suffix) found.insert(qid);
  }
  r.found = found.size();
  return r;
}

// Letters of @p s: Hangul syllables and Latin letters.
void count_letters(std::string_view s, size_t* hangul, size_t* latin) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++*latin;
      ++i;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      const uint32_t cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      if (cp >= 0xAC00 && cp <= 0xD7A3) ++*hangul;
      i += 3;
    } else {
      ++i;
    }
  }
}

size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The one-to-one sentence pairs of the bilingual speeches (see the top).
std::vector<std::pair<std::string, std::string>> speech_pairs(const fs::path& jsonl, size_t* speeches) {
  std::ifstream in(jsonl);
  if (!in) throw Failure(jsonl.string() + ": cannot read");
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string line;
  *speeches = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("speech_text") || !j["speech_text"].is_string()) continue;
    const std::string text = j["speech_text"];
    size_t hangul = 0, latin = 0;
    count_letters(text, &hangul, &latin);
    if (hangul < 200 || latin * 10 < (hangul + latin) * 3) continue;
    ++*speeches;
    std::vector<std::string> ko, en;
    std::istringstream lines(text);
    std::string l;
    while (std::getline(lines, l)) {
      size_t h = 0, a = 0;
      count_letters(l, &h, &a);
      std::vector<std::string>* side = h == 0 && a >= 3 ? &en : h > 0 && h * 2 >= h + a ? &ko : nullptr;
      if (!side) continue;
      // One unit per sentence, so the test pairs are sentences.
      for (const auto& span : bisearch::indexer::split_sentences(l, {0, l.size()}))
        side->push_back(l.substr(span.begin, span.size()));
    }
    const std::vector<std::string_view> a(ko.begin(), ko.end()), b(en.begin(), en.end());
    const bisearch::indexer::Alignment al = bisearch::indexer::align_passages(a, b);
    for (const auto& bead : al.beads) {
      if (bead.a_count != 1 || bead.b_count != 1) continue;
      const auto& ua = al.a_units[bead.a_begin];
      const auto& ub = al.b_units[bead.b_begin];
      std::string ks(a[ua.passage].substr(ua.begin, ua.end - ua.begin));
      std::string es(b[ub.passage].substr(ub.begin, ub.end - ub.begin));
      // Translations have comparable lengths (English 1.5-4.5 times the
      // Korean code points): a title paired with a paragraph is an
      // alignment slip, not a test pair.
      const double ratio = static_cast<double>(code_points(es)) / static_cast<double>(std::max<size_t>(1, code_points(ks)));
      if (code_points(ks) < 10 || code_points(es) < 20 || ratio < 1.5 || ratio > 4.5) continue;
      pairs.emplace_back(std::move(ks), std::move(es));
    }
  }
  return pairs;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bisearch-eval-crosslang: cross-language retrieval on held-out parallel sentences (Recall@10)"};
  std::string shared = std::getenv("BISEARCH_SHARED") ? std::getenv("BISEARCH_SHARED") : BISEARCH_SHARED_DEFAULT;
  size_t every = 10, max_heldout = 500, sample = 60;
  std::vector<std::string> lexicon, tune;
  std::string sample_out, json_out, keep;
  bool quick = false;
  app.add_option("--shared", shared, "Shared data folder (default $BISEARCH_SHARED, else ../shared)");
  app.add_option("--heldout-every", every, "Hold out every N-th pair")->capture_default_str();
  app.add_option("--max-heldout", max_heldout, "Held-out pairs at most")->capture_default_str();
  app.add_option("--lexicon", lexicon, "bisearch-index --lexicon KEY=VALUE settings");
  app.add_option("--tune", tune, "bisearch-query --tune KEY=VALUE settings (cross_weight, cross_max, ...)");
  app.add_option("--sample", sample, "Lexicon entries written to --sample-out")->capture_default_str();
  app.add_option("--sample-out", sample_out, "Write a fixed sample of Korean lexicon entries here (TSV)");
  app.add_option("--json", json_out, "Write the figures as JSON here");
  app.add_option("--keep", keep, "Keep the work folder here");
  app.add_flag("--quick", quick, "NTREX only, at most 100 held-out pairs");
  std::string domain, data_dir;
  app.add_option("--domain", domain, "Test on another domain instead: 'speeches' (see --help above)")
      ->check(CLI::IsMember({"speeches"}));
  app.add_option("--data-dir", data_dir, "BISEARCH_DATA_DIR for the query runs (the shipped lexicon's folder)");
  CLI11_PARSE(app, argc, argv);

  try {
    const fs::path data = fs::path(shared) / "data" / "parallel";
    if (!fs::is_directory(data))
      throw Failure(data.string() + ": parallel data not found (set BISEARCH_SHARED or --shared)");
    const fs::path index_bin = std::string(BISEARCH_INDEX_BIN).empty() ? "bisearch-index" : BISEARCH_INDEX_BIN;
    const fs::path query_bin = std::string(BISEARCH_QUERY_BIN).empty() ? "bisearch-query" : BISEARCH_QUERY_BIN;
    if (!data_dir.empty()) ::setenv("BISEARCH_DATA_DIR", fs::absolute(data_dir).c_str(), 1);
    std::vector<ParallelSet> sets;
    size_t speeches = 0;
    std::vector<std::pair<std::string, std::string>> domain_pairs;
    if (!domain.empty()) {
      domain_pairs = speech_pairs(fs::path(shared) / "data" / "speeches-ko" / "speeches.jsonl", &speeches);
      if (domain_pairs.empty()) throw Failure("no bilingual speeches found");
    } else
    sets.push_back(load_set("ntrex", data / "ntrex-128/newstest2019-ref.kor.txt",
                            data / "ntrex-128/newstest2019-ref.eng-US.txt"));
    if (!quick && domain.empty()) {
      const fs::path j = data / "jungyeul/korean-english-news-v1";
      sets.push_back(load_set("news-dev", j / "korean-english-park.dev.ko", j / "korean-english-park.dev.en"));
      sets.push_back(load_set("news-test", j / "korean-english-park.test.ko", j / "korean-english-park.test.en"));
    } else if (quick) {
      max_heldout = std::min<size_t>(max_heldout, 100);
    }

    fs::path work;
    if (!keep.empty()) {
      work = fs::absolute(keep);
      fs::remove_all(work);
      fs::create_directories(work);
    } else {
      std::string pattern = (fs::temp_directory_path() / "bisearch-xl-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) throw Failure("cannot create a temp folder");
      work = pattern;
    }
    fs::create_directories(work / "corpus");

    // Split and write.
    size_t train_pairs = 0, total = 0;
    std::vector<std::pair<std::string, std::string>> heldout;
    for (const ParallelSet& s : sets) {
      std::ofstream ko(work / "corpus" / (s.name + ".ko.txt")), en(work / "corpus" / (s.name + ".en.txt"));
      for (size_t i = 0; i < s.ko.size(); ++i) {
        if (s.ko[i].empty() || s.en[i].empty()) continue;
        ++total;
        if (i % every == every - 1 && heldout.size() < max_heldout) {
          heldout.emplace_back(s.ko[i], s.en[i]);
          continue;
        }
        ko << s.ko[i] << '\n';
        en << s.en[i] << '\n';
        ++train_pairs;
      }
    }
    for (auto& p : domain_pairs) {
      if (heldout.size() == max_heldout) break;
      heldout.push_back(std::move(p));
      ++total;
    }
    {
      std::ofstream h(work / "corpus" / "heldout.jsonl");
      for (size_t i = 0; i < heldout.size(); ++i) {
        h << nlohmann::json{{"id", "h" + std::to_string(i) + "-a"}, {"text", heldout[i].first}}.dump() << '\n';
        h << nlohmann::json{{"id", "h" + std::to_string(i) + "-b"}, {"text", heldout[i].second}}.dump() << '\n';
      }
      std::ofstream qk(work / "q-ko.tsv"), qe(work / "q-en.tsv");
      for (size_t i = 0; i < heldout.size(); ++i) {
        qk << 'h' << i << '\t' << as_query(heldout[i].first) << '\n';
        qe << 'h' << i << '\t' << as_query(heldout[i].second) << '\n';
      }
    }

    // Index.
    const fs::path db = work / "db";
    std::string cmd = quote(index_bin.string()) + " --no-progress --db " + quote(db.string()) + " " +
                      quote((work / "corpus").string());
    for (const std::string& l : lexicon) cmd += " --lexicon " + quote(l);
    cmd += " > " + quote((work / "index.log").string()) + " 2>&1";
    const auto t0 = std::chrono::steady_clock::now();
    if (run(cmd) != 0) throw Failure("indexing failed; see " + (work / "index.log").string() + " (" + cmd + ")");
    const double index_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // Lexicon size and sample.
    size_t ko_terms = 0, en_terms = 0, entries = 0;
    std::vector<std::string> rows;
    {
      Xapian::Database x(db.string());
      const std::string prefix = bisearch::analysis::kMetaLexicon;
      for (auto it = x.metadata_keys_begin(prefix); it != x.metadata_keys_end(prefix); ++it) {
        const std::string key = (*it).substr(prefix.size());
        auto list = bisearch::analysis::deserialize_translations(x.get_metadata(*it));
        if (!list || list->empty()) continue;
        const bool korean = list->front().lang == "en";
        (korean ? ko_terms : en_terms) += 1;
        if (!korean) continue;
        for (const auto& t : *list) {
          ++entries;
          char g2[32];
          std::snprintf(g2, sizeof g2, "%.1f", t.score);
          rows.push_back(key + '\t' + t.text + '\t' + std::to_string(t.evidence) + '\t' + g2);
        }
      }
    }
    if (!sample_out.empty()) {
      // Every (n / sample)-th entry in key order: fixed for a given lexicon.
      std::ofstream out(sample_out);
      out << "ko\ten\tlinks\tg2\tcorrect(y/n)\n";
      const size_t step = std::max<size_t>(1, rows.size() / std::max<size_t>(1, sample));
      for (size_t i = 0; i < rows.size() && i / step < sample; i += step) out << rows[i] << "\t\n";
    }

    // Retrieval.
    struct Run {
      const char* name;
      const char* queries;
      const char* lang;
      const char* suffix;
      bool cross;
      const char* extra;
    };
    std::vector<Run> runs = {{"ko->en", "q-ko.tsv", "en", "-b", false, ""},
                             {"ko->en --cross", "q-ko.tsv", "en", "-b", true, ""},
                             {"en->ko", "q-en.tsv", "ko", "-a", false, ""},
                             {"en->ko --cross", "q-en.tsv", "ko", "-a", true, ""}};
    if (!domain.empty()) {
      runs.insert(runs.begin() + 2, Run{"ko->en own-only", "q-ko.tsv", "en", "-b", true, " --no-default-lexicon"});
      runs.push_back(Run{"en->ko own-only", "q-en.tsv", "ko", "-a", true, " --no-default-lexicon"});
    } else {
      // The shipped lexicon was learned from these very pairs, held-out
      // ones included: only the index's own lexicon is measured here.
      for (Run& r : runs) r.extra = " --no-default-lexicon";
    }
    nlohmann::ordered_json report;
    report["train_pairs"] = train_pairs;
    report["heldout_pairs"] = heldout.size();
    report["index_seconds"] = index_seconds;
    report["lexicon"] = {{"korean_terms", ko_terms}, {"english_terms", en_terms}, {"ko_en_entries", entries}};
    if (!domain.empty())
      std::printf("domain %s: %zu bilingual speeches, %zu one-to-one sentence pairs held out, none learned from\n",
                  domain.c_str(), speeches, heldout.size());
    else
      std::printf("parallel pairs %zu: %zu for learning, %zu held out (every %zu-th)\n", total, train_pairs,
                  heldout.size(), every);
    std::printf("index built in %.1f s; lexicon: %zu Korean terms with %zu translations, %zu English terms\n",
                index_seconds, ko_terms, entries, en_terms);
    std::printf("%-16s %9s %9s %9s\n", "run", "Recall@10", "found", "seconds");
    for (const Run& r : runs) {
      const Recall rec = measure(query_bin, db, work / r.queries, r.lang, r.cross, tune, r.suffix,
                                 work / (std::string("out-") + r.queries + (r.cross ? ".cross" : "") +
                                         (*r.extra ? ".own" : "") + ".jsonl"),
                                 r.extra);
      std::printf("%-16s %9.3f %5zu/%-4zu %8.1f\n", r.name, rec.value(), rec.found, rec.queries, rec.seconds);
      report["runs"][r.name] = {{"recall_at_10", rec.value()}, {"found", rec.found}, {"queries", rec.queries},
                                {"seconds", rec.seconds}};
    }
    if (!json_out.empty()) std::ofstream(json_out) << report.dump(2) << '\n';
    if (keep.empty()) fs::remove_all(work);
    else std::printf("work folder kept: %s\n", work.c_str());
  } catch (const std::exception& e) {
    std::cerr << "bisearch-eval-crosslang: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
