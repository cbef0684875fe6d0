// eval_terms.cc: bisearch-eval-terms, how often `--terms` gives the right translation of held-out terms.
//
// For every row of a sample (TSV: a Korean term, then the English a reader
// accepts, '|'-separated; tools/data/eval-terms-sample.tsv by default) the
// term is looked up in an index exactly as `bisearch-query --terms` does
// (query/terms.h) and counts when one of the first --top translations into
// English is an accepted answer. Answers are compared by their words, lower
// case, each word stemmed (sanctions = sanction, U.S. = US). It prints the
// share right in the top k and at rank 1, and writes each term's first
// translations (--out) for checking by hand: an automatic "no" can still be
// a right translation the sample did not list.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/gloss.h"
#include "query/rank.h"
#include "query/terms.h"

#ifndef BISEARCH_SOURCE_DIR
#define BISEARCH_SOURCE_DIR "."
#endif

namespace {

// Words of the term key, each stemmed.
std::string answer_key(std::string_view text) {
  static const Xapian::Stem stem("english");
  const std::string key = bisearch::analysis::term_key(text);
  std::string out;
  size_t start = 0;
  while (start <= key.size()) {
    size_t space = key.find(' ', start);
    if (space == std::string::npos) space = key.size();
    if (space > start) {
      if (!out.empty()) out += ' ';
      out += stem(key.substr(start, space - start));
    }
    start = space + 1;
  }
  return out;
}

struct Row {
  std::string ko;
  std::vector<std::string> accepted;
};

std::vector<Row> read_sample(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::vector<Row> rows;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#' || line.rfind("ko\t", 0) == 0) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size())
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected ko<TAB>accepted English");
    Row r{line.substr(0, tab), {}};
    std::string rest = line.substr(tab + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      size_t bar = rest.find('|', start);
      if (bar == std::string::npos) bar = rest.size();
      if (bar > start) r.accepted.push_back(rest.substr(start, bar - start));
      start = bar + 1;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bisearch-eval-terms: the share of held-out terms whose right translation --terms ranks in the top k"};
  std::string db, out_path, json_path;
  std::string sample = std::string(BISEARCH_SOURCE_DIR) + "/tools/data/eval-terms-sample.tsv";
  size_t top = 3;
  bool no_default = false;
  app.add_option("--db", db, "Index to look the terms up in")->required();
  app.add_option("--sample", sample, "Sample TSV: ko<TAB>accepted English ('|'-separated)")->capture_default_str();
  app.add_option("--top", top, "Translations that count")->capture_default_str()->check(CLI::Range(1, 50));
  app.add_option("--out", out_path, "Write each term's first translations here (TSV, for checking by hand)");
  app.add_option("--json", json_path, "Write the figures as JSON here");
  app.add_flag("--no-default-lexicon", no_default, "Only the index's own translations");
  CLI11_PARSE(app, argc, argv);

  try {
    const std::vector<Row> rows = read_sample(sample);
    bisearch::query::SearchOptions options;
    options.dbs = {db};
    bisearch::query::Searcher searcher(options);
    bisearch::query::TermOptions term_options;
    term_options.examples = false;
    term_options.lang = "en";
    term_options.max_translations = top;
    term_options.default_lexicon = !no_default;
    std::ofstream out;
    if (!out_path.empty()) {
      out.open(out_path);
      out << "ko\taccepted\tfirst\tsecond\tthird\tin_top\tfirst_right\n";
    }
    size_t in_top = 0, first_right = 0, none = 0;
    for (const Row& row : rows) {
      const auto lookup = bisearch::query::lookup_term(searcher.database(), row.ko, term_options);
      std::vector<std::string> accepted;
      for (const std::string& a : row.accepted) accepted.push_back(answer_key(a));
      bool hit = false, first = false;
      for (size_t i = 0; i < lookup.translations.size(); ++i) {
        const std::string k = answer_key(lookup.translations[i].text);
        if (std::find(accepted.begin(), accepted.end(), k) != accepted.end()) {
          hit = true;
          if (i == 0) first = true;
        }
      }
      in_top += hit;
      first_right += first;
      none += lookup.translations.empty();
      if (out) {
        std::string joined;
        for (const std::string& a : row.accepted) joined += (joined.empty() ? "" : "|") + a;
        out << row.ko << '\t' << joined;
        for (size_t i = 0; i < 3; ++i) out << '\t' << (i < lookup.translations.size() ? lookup.translations[i].text : "");
        out << '\t' << (hit ? "y" : "n") << '\t' << (first ? "y" : "n") << '\n';
      }
    }
    const double n = static_cast<double>(std::max<size_t>(rows.size(), 1));
    std::printf("terms %zu: right English in the top %zu %zu (%.1f%%), first translation right %zu (%.1f%%), no translation %zu\n",
                rows.size(), top, in_top, 100.0 * in_top / n, first_right, 100.0 * first_right / n, none);
    if (!json_path.empty()) {
      nlohmann::ordered_json j;
      j["terms"] = rows.size();
      j["top"] = top;
      j["in_top"] = in_top;
      j["first_right"] = first_right;
      j["no_translation"] = none;
      std::ofstream(json_path) << j.dump(2) << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "bisearch-eval-terms: " << e.what() << '\n';
    return 2;
  } catch (const Xapian::Error& e) {
    std::cerr << "bisearch-eval-terms: " << e.get_description() << '\n';
    return 2;
  }
  return 0;
}
