// learn_lexicon.cc: bisearch-learn-lexicon, learns the default Korean-English lexicon shipped in
// data/lexicon/default-lexicon.tsv from the openly licensed parallel text in the shared data folder.
//
// Input: the line-aligned sets under <shared>/data/parallel/ (NTREX-128
// newstest2019 Korean/English references; the Korean-English news dev and
// test sets of Park et al.). Line k of a Korean file is the translation of
// line k of its English file, so pairs are taken line by line (a pair with an
// empty side is skipped; CR line ends are removed). The North-Korean-
// orthography rewrite of the news sets is not used: it is the same sentences
// again, and counting them twice would double the evidence of every link.
//
// Output: the lexicon as TSV, '#' comment lines first (what, how, licence),
// then `ko<TAB>en<TAB>links<TAB>g2` sorted by ko, then descending links. The
// output depends only on the input files and the settings: the same command
// writes the same bytes.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/lexicon.h"

#ifndef BISEARCH_SHARED_DEFAULT
#define BISEARCH_SHARED_DEFAULT "../shared"
#endif

namespace fs = std::filesystem;

namespace {

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
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
  std::string name;      ///< shown in the header
  std::string ko, en;    ///< paths relative to data/parallel
};

const ParallelSet kSets[] = {
    {"NTREX-128 newstest2019 (CC BY-SA 4.0)", "ntrex-128/newstest2019-ref.kor.txt",
     "ntrex-128/newstest2019-ref.eng-US.txt"},
    {"Korean-English news dev, Park et al. 2016 (CC BY-SA 3.0)",
     "jungyeul/korean-english-news-v1/korean-english-park.dev.ko",
     "jungyeul/korean-english-news-v1/korean-english-park.dev.en"},
    {"Korean-English news test, Park et al. 2016 (CC BY-SA 3.0)",
     "jungyeul/korean-english-news-v1/korean-english-park.test.ko",
     "jungyeul/korean-english-news-v1/korean-english-park.test.en"},
};

std::string g2_text(double g2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", g2);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bisearch-learn-lexicon: learn the default Korean-English lexicon from the shared parallel text"};
  std::string shared = std::getenv("BISEARCH_SHARED") ? std::getenv("BISEARCH_SHARED") : BISEARCH_SHARED_DEFAULT;
  std::string out_path, stats_path;
  bisearch::indexer::LexiconOptions options;
  app.add_option("--shared", shared, "Shared data folder (default $BISEARCH_SHARED, else ../shared)");
  app.add_option("-o,--out", out_path, "Write the lexicon here (default: standard output)");
  app.add_option("--min-links", options.min_links, "Sentence pairs linking the two at least")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--min-g2", options.min_g2, "Log-likelihood ratio at least")->capture_default_str();
  app.add_option("--min-dice", options.min_dice, "Dice coefficient of the two terms' uses at least")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--min-link-share", options.min_link_share, "Links per pair holding both at least")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--strong-links", options.strong_links,
                 "Keep a translation linked in this many pairs with a lower Dice (0: off; indexer/lexicon.h)")
      ->capture_default_str();
  app.add_option("--strong-share", options.strong_link_share, "Strong links: links per pair holding both at least")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--strong-dice", options.strong_min_dice, "Strong links: Dice at least")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--stats", stats_path,
                 "Also write every translation linked min-links times, kept or not, with pairs holding both and "
                 "Dice (for tuning)");
  CLI11_PARSE(app, argc, argv);

  try {
    const fs::path data = fs::path(shared) / "data" / "parallel";
    if (!fs::is_directory(data))
      throw Failure(data.string() + ": parallel data not found (set BISEARCH_SHARED or --shared)");
    bisearch::indexer::LexiconLearner learner(options);
    std::vector<std::string> used;
    for (const ParallelSet& set : kSets) {
      const std::vector<std::string> ko = read_lines(data / set.ko), en = read_lines(data / set.en);
      if (ko.size() != en.size())
        throw Failure((data / set.ko).string() + ": " + std::to_string(ko.size()) + " lines, but " + set.en +
                      " has " + std::to_string(en.size()));
      size_t pairs = 0;
      for (size_t i = 0; i < ko.size(); ++i) {
        if (ko[i].find_first_not_of(" \t") == std::string::npos || en[i].find_first_not_of(" \t") == std::string::npos)
          continue;
        learner.add_pair(ko[i], en[i]);
        ++pairs;
      }
      used.push_back(set.name + ": " + set.ko + " / " + set.en + ", " + std::to_string(pairs) + " sentence pairs");
    }
    const bisearch::indexer::Lexicon lexicon = learner.learn();

    std::ostringstream out;
    out << "# bisearch default Korean-English lexicon, learned from parallel sentences.\n"
        << "# Made by tools/learn-lexicon.sh (bisearch-learn-lexicon, indexer/lexicon.h: log-likelihood ratio and\n"
        << "# competitive linking) from " << lexicon.pairs << " line-aligned sentence pairs:\n";
    for (const std::string& u : used) out << "#   " << u << "\n";
    out << "# Settings: min_links=" << options.min_links << " min_link_share=" << options.min_link_share
        << " min_g2=" << options.min_g2 << " min_dice=" << options.min_dice
        << " strong_links=" << options.strong_links << " strong_link_share=" << options.strong_link_share
        << " strong_min_dice=" << options.strong_min_dice << " max_translations=" << options.max_translations << "\n"
        << "# Licence: CC BY-SA 4.0, derived from CC BY-SA text; sources and attribution in default-lexicon.LICENSE.\n"
        << "# Columns: ko (the term without particles), en (the form users write), links (sentence pairs in which\n"
        << "# the two were linked), g2 (log-likelihood ratio). " << lexicon.translations.size() << " translations.\n";
    for (const auto& t : lexicon.translations)
      out << t.ko_text << '\t' << t.en_text << '\t' << t.links << '\t' << g2_text(t.g2) << '\n';

    if (!stats_path.empty()) {
      std::ofstream st(stats_path, std::ios::binary | std::ios::trunc);
      if (!st) throw Failure(stats_path + ": cannot write");
      st << "ko\ten\tlinks\tg2\tboth\tdice\tkept\n";
      for (const auto* list : {&lexicon.translations, &lexicon.rejected})
        for (const auto& t : *list) {
          char dice[32];
          std::snprintf(dice, sizeof dice, "%.2f", t.dice);
          st << t.ko_text << '\t' << t.en_text << '\t' << t.links << '\t' << g2_text(t.g2) << '\t' << t.both
             << '\t' << dice << '\t' << (list == &lexicon.translations ? "yes" : "no") << '\n';
        }
    }
    if (out_path.empty()) {
      std::cout << out.str();
    } else {
      // Written to a temporary file and renamed: never a half-written lexicon.
      const fs::path target(out_path), tmp = target.string() + ".tmp";
      {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw Failure(tmp.string() + ": cannot write");
        f << out.str();
        if (!f.flush()) throw Failure(tmp.string() + ": cannot write");
      }
      fs::rename(tmp, target);
      std::cerr << "bisearch-learn-lexicon: " << lexicon.translations.size() << " translations from "
                << lexicon.pairs << " sentence pairs -> " << out_path << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "bisearch-learn-lexicon: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
