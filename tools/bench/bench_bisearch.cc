// bench-bisearch: the benchmark's query driver for bisearch (bench_driver.h).
// Indexing is bisearch-index itself; this program links the query library
// and runs each query through query::Searcher as bisearch-query does (parse,
// build, BM25, proximity re-rank, highlights), keeping each hit's doc_id.
#include <iostream>
#include <memory>
#include <set>

#include "bench_driver.h"
#include "query/rank.h"

int main(int argc, char** argv) {
  using namespace bisearch;
  return bench::driver_main(
      argc, argv, "bench-bisearch",
      [](const std::string&, const std::string&) {
        throw std::runtime_error("index with bisearch-index, not this driver");
      },
      [](const std::string& db) -> bench::SearchFn {
        query::SearchOptions options;
        options.dbs = {db};
        options.limit = 10;
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
