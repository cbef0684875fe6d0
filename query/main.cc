// bisearch-query: command-line glue for searching a bisearch index.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>

#include "analysis/schema.h"
#include "query/options.h"
#include "query/output.h"
#include "query/rank.h"
#include "query/terms.h"

namespace {

constexpr int kExitHits = 0, kExitNoHits = 1, kExitError = 2;

bool color_wanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && !(term && std::string(term) == "dumb");
}

int run_batch(bisearch::query::Searcher& searcher, const bisearch::query::QueryRun& run) {
  const auto& out_options = run.output;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (run.batch != "-") {
    file.open(run.batch);
    if (!file) {
      std::cerr << "bisearch-query: " << run.batch << ": cannot read batch file\n";
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
      any_hits = any_hits || bisearch::query::has_matches(result);
      if (run.json) {
        bisearch::query::print_json(std::cout, &id, text, result, searcher.options());
      } else {
        std::cout << "## " << id << ": " << text << '\n';
        bisearch::query::print_text(std::cout, text, result, searcher.options(), out_options);
        std::cout << '\n';
      }
    } catch (const bisearch::query::SearchError& e) {
      any_error = true;
      std::cerr << "bisearch-query: " << run.batch << ":" << line_no << ": " << e.what() << '\n';
      if (run.json) bisearch::query::print_json_error(std::cout, &id, text, e.what());
    }
  }
  if (in->bad()) {
    std::cerr << "bisearch-query: " << run.batch << ": read error\n";
    return kExitError;
  }
  if (any_error) return kExitError;
  return any_hits ? kExitHits : kExitNoHits;
}

}  // namespace

int main(int argc, char** argv) {
  namespace q = bisearch::query;
  q::QueryArgs args;
  CLI::App app{
      "Search a bisearch index and print ranked passages with the matched words highlighted.\n\n"
      "Query syntax:\n"
      "  words        passages matching more of the words rank higher; none is required\n"
      "               (Korean words also match with particles, 양국 -> 양국은, and inside\n"
      "               compounds, 억제 -> 확장억제; English words match any inflection).\n"
      "               Function words (the, of, and; 것은, 이는) are not searched or\n"
      "               highlighted when the query has other words\n"
      "  \"a phrase\"   words in this order, next to each other (every word counts)\n"
      "  +word        the word is required        -word   passages with it are dropped\n"
      "  a OR b       either of two words, as one clause\n"
      "  title:word   the word in the document's title (title:\"a phrase\" too)\n\n"
      "Results: at most 2 passages of one document per page (--per-doc), the rest counted\n"
      "(\"+5 more in this document\"); copies of one text under several paths are one hit\n"
      "listing every path. A passage found only through its document's title says so.\n\n"
      "Narrowing (combine freely; several --path match any of them, several --field all):\n"
      "  --since 2023-01-01 --until 2023.12.31   documents dated in the range, inclusive\n"
      "               (2023-04-26, 2023.04.26, 2023. 4. 26., 2023년 4월 26일, April 26, 2023;\n"
      "               a year or month alone is its whole period: --until 2023 = 2023-12-31)\n"
      "  --sort -date   newest first (date: oldest first; relevance: the default)\n"
      "  --path core/   only files under this folder of an indexed folder (as in doc ids)\n"
      "  --field president=Biden   a metadata field of the header or JSONL record\n"
      "  --facets lang,year,folder,field:KEY   counts of all matching passages by each\n\n"
      "Examples:\n"
      "  bisearch-query --db idx 확장억제\n"
      "  bisearch-query --db idx --lang en '\"extended deterrence\" NCG'\n"
      "  bisearch-query --db idx --json --limit 5 '핵협의그룹 -중국'\n"
      "  bisearch-query --db idx --since 2023 --sort=-date --facets year,folder 'nuclear consultative group'\n"
      "  bisearch-query --db idx --path core 'title:declaration'\n"
      "  bisearch-query --db idx --batch questions.tsv --json\n"
      "  bisearch-query --db idx --terms 핵협의그룹          (its translations and where they are used)\n"
      "  bisearch-query --db idx --no-cross 확장억제         (only the words as typed, no translations)\n\n"
      "Exit status: 0 when something matched (also for a page past the last hit), 1 when\n"
      "nothing did, 2 on an error (a bad option value is named on one line).",
      "bisearch-query [OPTIONS] QUERY..."};
  app.add_option("--db", args.dbs,
                 "Index directory, or a Xapian stub file listing shards (auto PATH, remote HOST:PORT lines; "
                 "docs/shards.md); repeat to search several as one")->required()->allow_extra_args(false);
  // The query is whatever is not an option, so "-word" (exclusion) works
  // without quoting tricks; unknown --long-options are still errors.
  app.allow_extras();
  app.footer("QUERY: all arguments that are not options, joined with spaces.");
  app.add_option("-n,--limit", args.limit, "Number of passages to show (1-100000)")->capture_default_str();
  app.add_option("--offset", args.offset, "Skip this many passages first (paging)")->capture_default_str();
  app.add_option("--lang", args.lang, "Only passages in this language: ko, en or mixed");
  app.add_option("--doc", args.docs,
                 "Only passages of this document: its id as hits show it, its file name (every document of that "
                 "name), the start of one id or a part of one file name (repeatable)")->allow_extra_args(false);
  app.add_option("--since", args.since, "Only documents dated on or after DATE (undated ones are left out)")
      ->allow_extra_args(false);
  app.add_option("--until", args.until, "Only documents dated on or before DATE (a year or month: its end)")
      ->allow_extra_args(false);
  app.add_option("--sort", args.sort,
                 "Order: relevance, date (oldest first) or -date (newest first); "
                 "undated passages come last")
      ->capture_default_str();
  app.add_option("--path", args.paths,
                 "Only files under this folder or path, relative to an indexed folder as doc ids are "
                 "(repeatable: any of them)")
      ->allow_extra_args(false);
  app.add_option("--field", args.fields,
                 "Only documents whose metadata field KEY has VALUE, KEY=VALUE (header lines, JSONL fields; "
                 "the value's case ignored; repeatable: all of them)")
      ->allow_extra_args(false);
  app.add_option("--facets", args.facets,
                 "Count all matching passages by lang, year, folder and/or field:KEY (comma-separated); "
                 "printed after the hits, JSON: the summary's \"facets\"")
      ->allow_extra_args(false);
  app.add_option("--per-doc", args.per_doc,
                 "At most N passages of one document per page, the others counted; 0 = no grouping")
      ->capture_default_str();
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
  app.add_flag("!--no-default-lexicon", args.default_lexicon,
               "Use only the index's own translations (glosses, --glossary files, aligned text), not the lexicon "
               "and policy glossary shipped with bisearch (data/lexicon/); applies to --terms and --cross");
  app.add_option("--color", args.color, "Highlight matches with ANSI colour: auto, always or never")
      ->capture_default_str();
  app.add_option("--batch", args.batch,
                 "Run one query per line of FILE ('-' for stdin), each optionally 'ID<TAB>query'");
  app.add_option("--snippet", args.snippet, "Characters of each passage shown in text output")->capture_default_str();
  app.add_option("--tune", args.tune,
                 "Ranking setting KEY=VALUE for evaluation runs: k1, b (BM25), word (whole-word weight), split "
                 "(spaced-compound weight), prox, prox_window, depth (proximity re-rank), backoff, "
                 "backoff_weight, max_backoff (prefix backoff), cross_weight, cross_max, cross_min_evidence (--cross), title_weight, title_boost (title field), stopwords (0: search function words too); see docs/analyzer.md")
      ->allow_extra_args(false);
  app.set_version_flag("--version", std::string("bisearch-query 0.1.0, analyzer ") + bisearch::schema::analyzer_id());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }
  args.query_words = app.remaining();

  q::QueryRun run;
  try {
    run = q::to_options(args);
  } catch (const q::UsageError& e) {
    std::cerr << "bisearch-query: " << e.what() << '\n';
    return kExitError;
  }
  run.output.color = color_wanted(args.color);

  try {
    std::optional<q::Searcher> opened(std::in_place, run.search);
    if (!run.search.docs.empty()) {
      // --doc takes a file name or the start of an id too (options.h).
      q::DocIds found = q::resolve_doc_ids(opened->database(), run.search.docs);
      for (const auto& value : found.unknown)
        std::cerr << "bisearch-query: --doc " << value
                  << ": no such document in the index (give a doc id as hits show it, a file name or the start "
                     "of an id)\n";
      if (found.ids != run.search.docs) {
        run.search.docs = std::move(found.ids);
        opened.emplace(run.search);
      }
    }
    q::Searcher& searcher = *opened;
    if (run.terms) {
      q::TermOptions term_options;
      term_options.snippet_chars = std::min<size_t>(run.output.snippet_chars, 160);
      term_options.lang = run.search.lang;
      term_options.default_lexicon = run.search.expand.default_lexicon;
      const auto lookup = q::lookup_term(searcher.database(), run.query, term_options);
      if (run.json) q::print_terms_json(std::cout, lookup);
      else q::print_terms_text(std::cout, lookup, run.output);
      return lookup.translations.empty() ? kExitNoHits : kExitHits;
    }
    if (!run.batch.empty()) return run_batch(searcher, run);
    const auto result = searcher.search(run.query);
    if (run.json) {
      q::print_json(std::cout, nullptr, run.query, result, searcher.options());
      if (run.output.explain) std::cerr << "query: " << result.description << '\n';
    } else {
      q::print_text(std::cout, run.query, result, searcher.options(), run.output);
    }
    return q::has_matches(result) ? kExitHits : kExitNoHits;
  } catch (const q::SearchError& e) {
    std::cerr << "bisearch-query: " << e.what() << '\n';
    return kExitError;
  } catch (const q::UsageError& e) {
    std::cerr << "bisearch-query: " << e.what() << '\n';
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "bisearch-query: term lookup failed: " << e.get_description() << '\n';
    return kExitError;
  }
}
