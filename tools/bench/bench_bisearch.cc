// bench-bisearch: the benchmark's query driver for bisearch (bench_driver.h).
// Indexing is bisearch-index itself; this program links the query library
// and runs each query through query::Searcher as bisearch-query does (parse,
// build, BM25, proximity re-rank, highlights), keeping each hit's doc_id.
// BENCH_SEARCH_ARGS (tools/bench.py --search-args) holds bisearch-query
// search options, checked by query::to_options like the CLI's: --per-doc N,
// --facets LIST, --limit N, --offset N, --all, --no-cross, --tune KEY=VALUE.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "bench_driver.h"
#include "query/options.h"
#include "query/rank.h"

namespace {

using bisearch::query::QueryArgs;

// The search options named in @p text (whitespace-separated, as on the
// bisearch-query command line). Throws std::runtime_error on anything else.
bisearch::query::SearchOptions search_options(const std::string& db, const std::string& text) {
  QueryArgs args;
  args.dbs = {db};
  args.query_words = {"x"};
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  auto value = [&](size_t& i) {
    if (i + 1 >= words.size()) throw std::runtime_error("BENCH_SEARCH_ARGS: " + words[i] + " needs a value");
    return words[++i];
  };
  auto number = [&](size_t& i) {
    const std::string v = value(i);
    try {
      return std::stoll(v);
    } catch (const std::exception&) {
      throw std::runtime_error("BENCH_SEARCH_ARGS: " + words[i - 1] + ": not a number: " + v);
    }
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--per-doc") args.per_doc = number(i);
    else if (w == "--facets") args.facets.push_back(value(i));
    else if (w == "--limit" || w == "-n") args.limit = static_cast<size_t>(number(i));
    else if (w == "--offset") args.offset = static_cast<size_t>(number(i));
    else if (w == "--all") args.all = true;
    else if (w == "--no-cross") args.cross = false;
    else if (w == "--tune") args.tune.push_back(value(i));
    else throw std::runtime_error("BENCH_SEARCH_ARGS: unsupported option " + w);
  }
  try {
    return bisearch::query::to_options(args).search;
  } catch (const bisearch::query::UsageError& e) {
    throw std::runtime_error(std::string("BENCH_SEARCH_ARGS: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bisearch;
  return bench::driver_main(
      argc, argv, "bench-bisearch",
      [](const std::string&, const std::string&) {
        throw std::runtime_error("index with bisearch-index, not this driver");
      },
      [](const std::string& db) -> bench::SearchFn {
        const char* env = std::getenv("BENCH_SEARCH_ARGS");
        query::SearchOptions options = search_options(db, env ? env : "");
        auto searcher = std::make_shared<query::Searcher>(options);
        return [searcher](const std::string& text) {
          std::vector<std::string> ids;
          std::set<std::string> seen;  // a long document can have several passages in the top 10
          for (const query::Hit& h : searcher->search(text).hits)
            if (seen.insert(h.record.doc_id).second) ids.push_back(h.record.doc_id);
          return ids;
        };
      });
}
