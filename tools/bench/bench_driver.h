/** @file bench_driver.h
 *  @brief The protocol shared by the benchmark's engine drivers (bench-*):
 *  small programs, one per engine, that tools/bench.py runs as
 *
 *    bench-ENGINE index DB DOCS.jsonl        build an index of DOCS in DB
 *    bench-ENGINE query DB QUERIES.tsv OUT   run every query, top 10
 *
 *  DOCS.jsonl: one {"id", "title", "text"} object a line. QUERIES.tsv:
 *  "qid<TAB>text" lines. OUT: one "qid<TAB>microseconds<TAB>error<TAB>id id …"
 *  line per query (error 0/1, ids best first, at most 10), written after all
 *  queries ran so the timed loop does no I/O. With BENCH_CPU_TIME=1 in the
 *  environment the microseconds are the query thread's CPU time, not wall
 *  time (tools/bench.py --cpu-time). Timing, peak RSS and sizes are
 *  measured by the caller; a driver only does the engine's work.
 */
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bisearch::bench {

struct Doc {
  std::string id;
  std::string title;
  std::string text;
};

struct QueryLine {
  std::string qid;
  std::string text;
};

/// Calls @p each for every document of a JSONL file (throws on a bad line).
void for_each_doc(const std::string& path, const std::function<void(Doc&&)>& each);

std::vector<QueryLine> read_queries(const std::string& path);

/// The words of a query: split at whitespace, with characters that are
/// operators in some engine's syntax (quotes, brackets, ?, !, :, *, +, -, ^,
/// ~, \, /, |, &, comma, period) turned into spaces. Every peer searches for
/// the OR of these words, which is what bisearch does with plain words.
std::vector<std::string> query_words(const std::string& text);

/// One engine's search: the ids of the top 10 documents for @p text.
/// Throwing counts the query as an error.
using SearchFn = std::function<std::vector<std::string>(const std::string& text)>;

/// Runs every query of @p queries_path through @p search in this process,
/// timing each, and writes OUT. Returns 0.
int run_queries(const std::string& queries_path, const std::string& out_path, const SearchFn& search);

/// Dispatches argv to @p index (db, docs) or to run_queries with the search
/// made by @p open (db). Prints usage and returns 2 on bad arguments, 2 on
/// an exception (with its message).
int driver_main(int argc, char** argv, const char* name,
                const std::function<void(const std::string& db, const std::string& docs)>& index,
                const std::function<SearchFn(const std::string& db)>& open);

}  // namespace bisearch::bench
