// bisearch-query: command-line glue for searching a bisearch index.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/schema.h"
#include "query/output.h"
#include "query/rank.h"
#include "query/terms.h"

namespace {

constexpr int kExitHits = 0, kExitNoHits = 1, kExitError = 2;

struct QueryArgs {
  std::vector<std::string> dbs;
  std::vector<std::string> query_words;
  size_t limit = 10;
  size_t offset = 0;
  std::string lang;
  std::vector<std::string> docs;
  bool json = false;
  bool explain = false;
  bool all = false;
  std::string color = "auto";
  std::string batch;
  size_t snippet = 280;
  std::vector<std::string> tune;
  bool terms = false;
  bool cross = true;
  bool default_lexicon = true;
};

// Applies --tune KEY=VALUE settings (for evaluation runs); false on a bad one.
bool apply_tuning(const std::vector<std::string>& settings, bisearch::query::SearchOptions& o) {
  for (const auto& kv : settings) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) return false;
    const std::string key = kv.substr(0, eq);
    double v = 0;
    try {
      v = std::stod(kv.substr(eq + 1));
    } catch (const std::exception&) {
      return false;
    }
    if (key == "k1") o.bm25_k1 = v;
    else if (key == "b") o.bm25_b = v;
    else if (key == "word") o.build.terms.whole_word_weight = v;
    else if (key == "backoff") o.build.terms.ending_backoff = v != 0;
    else if (key == "backoff_weight") o.build.terms.backoff_weight = v;
    else if (key == "prox") o.proximity_weight = v;
    else if (key == "prox_window") o.proximity_window = static_cast<uint32_t>(v);
    else if (key == "depth") o.rerank_depth = static_cast<size_t>(v);
    else if (key == "split") o.build.terms.split_weight = v;
    else if (key == "max_backoff") o.build.terms.max_backoff = static_cast<size_t>(v);
    else if (key == "cross_weight") o.expand.weight = v;
    else if (key == "cross_max") o.expand.max_per_clause = static_cast<size_t>(v);
    else if (key == "cross_min_evidence") o.expand.min_evidence = static_cast<size_t>(v);
    else return false;
  }
  return true;
}

bool color_wanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && !(term && std::string(term) == "dumb");
}

std::string join_words(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += ' ';
    q += w;
  }
  return q;
}

int run_batch(bisearch::query::Searcher& searcher, const QueryArgs& args,
              const bisearch::query::OutputOptions& out_options) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (args.batch != "-") {
    file.open(args.batch);
    if (!file) {
      std::cerr << "bisearch-query: " << args.batch << ": cannot read batch file\n";
      return kExitError;
    }
    in = &file;
  }
  std::string line;
  size_t line_no = 0;
  bool any_hits = false, any_error = false;
  while (std::getline(*in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::string id = std::to_string(line_no), text = line;
    if (const size_t tab = line.find('\t'); tab != std::string::npos) {
      id = line.substr(0, tab);
      text = line.substr(tab + 1);
    }
    try {
      const auto result = searcher.search(text);
      any_hits = any_hits || !result.hits.empty();
      if (args.json) {
        bisearch::query::print_json(std::cout, &id, text, result, searcher.options());
      } else {
        std::cout << "## " << id << ": " << text << '\n';
        bisearch::query::print_text(std::cout, text, result, searcher.options(), out_options);
        std::cout << '\n';
      }
    } catch (const bisearch::query::SearchError& e) {
      any_error = true;
      std::cerr << "bisearch-query: " << args.batch << ":" << line_no << ": " << e.what() << '\n';
      if (args.json) bisearch::query::print_json_error(std::cout, &id, text, e.what());
    }
  }
  if (in->bad()) {
    std::cerr << "bisearch-query: " << args.batch << ": read error\n";
    return kExitError;
  }
  if (any_error) return kExitError;
  return any_hits ? kExitHits : kExitNoHits;
}

}  // namespace

int main(int argc, char** argv) {
  QueryArgs args;
  CLI::App app{
      "Search a bisearch index and print ranked passages with the matched words highlighted.\n\n"
      "Query syntax:\n"
      "  words        passages matching more of the words rank higher; none is required\n"
      "               (Korean words also match with particles, 양국 -> 양국은, and inside\n"
      "               compounds, 억제 -> 확장억제; English words match any inflection)\n"
      "  \"a phrase\"   words in this order, next to each other\n"
      "  +word        the word is required        -word   passages with it are dropped\n"
      "  a OR b       either of two words, as one clause\n\n"
      "Examples:\n"
      "  bisearch-query --db idx 확장억제\n"
      "  bisearch-query --db idx --lang en '\"extended deterrence\" NCG'\n"
      "  bisearch-query --db idx --json --limit 5 '핵협의그룹 -중국'\n"
      "  bisearch-query --db idx --batch questions.tsv --json\n"
      "  bisearch-query --db idx --terms 핵협의그룹          (its translations and where they are used)\n"
      "  bisearch-query --db idx --no-cross 확장억제         (only the words as typed, no translations)\n\n"
      "Exit status: 0 when something matched, 1 when nothing did, 2 on an error.",
      "bisearch-query [OPTIONS] QUERY..."};
  app.add_option("--db", args.dbs, "Index directory (repeat to search several as one)")->required()->allow_extra_args(false);
  // The query is whatever is not an option, so "-word" (exclusion) works
  // without quoting tricks; unknown --long-options are still errors.
  app.allow_extras();
  app.footer("QUERY: all arguments that are not options, joined with spaces.");
  app.add_option("-n,--limit", args.limit, "Number of passages to show")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--offset", args.offset, "Skip this many passages first (paging)")->capture_default_str();
  app.add_option("--lang", args.lang, "Only passages in this language")->check(CLI::IsMember({"ko", "en", "mixed"}));
  app.add_option("--doc", args.docs, "Only passages of this document id (repeatable)")->allow_extra_args(false);
  app.add_flag("--all", args.all, "Require every word (default: rank by how many match)");
  app.add_flag("--json", args.json, "JSON Lines: one object per hit, then a summary object");
  app.add_flag("--explain", args.explain, "Show how the query was parsed into index terms");
  app.add_flag("--terms", args.terms,
               "Look QUERY up as a term: its translations and acronyms, from parenthetical glosses "
               "(핵협의그룹(NCG: Nuclear Consultative Group)), --glossary files and the lexicon learned from "
               "aligned Korean/English text, ranked by evidence, with example passages; --lang keeps the translations "
               "into one language");
  app.add_flag("--cross,!--no-cross", args.cross,
               "Also search each query word's and phrase's translations (those of --terms), weighted 0.5, so a "
               "Korean query finds English passages and the reverse; on by default, --no-cross turns it off; "
               "--explain and the JSON summary list what was added");
  app.add_flag("!--no-default-lexicon", args.default_lexicon, "Use only the index's own translations, not those shipped with bisearch (data/lexicon/)");
  app.add_option("--color", args.color, "Highlight matches with ANSI colour")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--batch", args.batch,
                 "Run one query per line of FILE ('-' for stdin), each optionally 'ID<TAB>query'");
  app.add_option("--snippet", args.snippet, "Characters of each passage shown in text output")->capture_default_str();
  app.add_option("--tune", args.tune,
                 "Ranking setting KEY=VALUE for evaluation runs: k1, b (BM25), word (whole-word weight), split "
                 "(spaced-compound weight), prox, prox_window, depth (proximity re-rank), backoff, "
                 "backoff_weight, max_backoff (prefix backoff), cross_weight, cross_max, cross_min_evidence (--cross); see docs/analyzer.md")
      ->allow_extra_args(false);
  app.set_version_flag("--version", std::string("bisearch-query 0.1.0, analyzer ") + bisearch::schema::analyzer_id());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }

  args.query_words = app.remaining();
  for (const auto& w : args.query_words) {
    if (w.rfind("--", 0) == 0 && w.size() > 2) {
      std::cerr << "bisearch-query: unknown option " << w << "; see --help\n";
      return kExitError;
    }
  }
  const std::string query = join_words(args.query_words);
  if (args.batch.empty() && query.find_first_not_of(" \t") == std::string::npos) {
    std::cerr << "bisearch-query: no query given (a QUERY argument or --batch FILE); see --help\n";
    return kExitError;
  }

  bisearch::query::SearchOptions options;
  options.dbs = args.dbs;
  options.limit = args.limit;
  options.offset = args.offset;
  options.lang = args.lang;
  options.docs = args.docs;
  options.build.match_all = args.all;
  options.cross = args.cross;
  options.expand.default_lexicon = args.default_lexicon;
  if (!apply_tuning(args.tune, options)) {
    std::cerr << "bisearch-query: bad --tune setting; expected KEY=NUMBER with KEY one of k1, b, word, split, prox, "
                 "prox_window, depth, backoff, backoff_weight, max_backoff, cross_weight, cross_max, cross_min_evidence\n";
    return kExitError;
  }
  bisearch::query::OutputOptions out_options;
  out_options.color = color_wanted(args.color);
  out_options.explain = args.explain;
  out_options.snippet_chars = args.snippet;

  try {
    bisearch::query::Searcher searcher(options);
    if (args.terms) {
      if (!args.batch.empty()) {
        std::cerr << "bisearch-query: --terms takes one term, not --batch\n";
        return kExitError;
      }
      if (!args.docs.empty()) {
        std::cerr << "bisearch-query: --terms looks the term up in the whole index; --doc does not apply\n";
        return kExitError;
      }
      bisearch::query::TermOptions term_options;
      term_options.snippet_chars = std::min<size_t>(args.snippet, 160);
      term_options.lang = args.lang;
      term_options.liveness = &searcher.liveness();
      term_options.default_lexicon = args.default_lexicon;
      const auto lookup = bisearch::query::lookup_term(searcher.database(), query, term_options);
      if (args.json) bisearch::query::print_terms_json(std::cout, lookup);
      else bisearch::query::print_terms_text(std::cout, lookup, out_options);
      return lookup.translations.empty() ? kExitNoHits : kExitHits;
    }
    if (!args.batch.empty()) return run_batch(searcher, args, out_options);
    const auto result = searcher.search(query);
    if (args.json) {
      bisearch::query::print_json(std::cout, nullptr, query, result, searcher.options());
      if (args.explain) std::cerr << "query: " << result.description << '\n';
    } else {
      bisearch::query::print_text(std::cout, query, result, searcher.options(), out_options);
    }
    return result.hits.empty() ? kExitNoHits : kExitHits;
  } catch (const bisearch::query::SearchError& e) {
    std::cerr << "bisearch-query: " << e.what() << '\n';
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "bisearch-query: term lookup failed: " << e.get_description() << '\n';
    return kExitError;
  }
}
