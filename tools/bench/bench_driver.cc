// bench_driver.cc: JSONL/TSV reading, the timed query loop and argv dispatch
// shared by the benchmark's engine drivers (see bench_driver.h).
#include "bench_driver.h"

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace bisearch::bench {

void for_each_doc(const std::string& path, const std::function<void(Doc&&)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": not a JSON object");
    Doc d;
    d.id = j.value("id", "");
    d.title = j.value("title", "");
    d.text = j.value("text", "");
    each(std::move(d));
  }
}

std::vector<QueryLine> read_queries(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::vector<QueryLine> out;
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

std::vector<std::string> query_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    const bool sep = std::strchr(" \t\r\n\"'()[]{}<>?!:;*+-^~\\/|&,.=@#$%", c) != nullptr && c != '\0';
    if (sep) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

namespace {

// This thread's CPU time in microseconds (BENCH_CPU_TIME=1): on a loaded
// machine it moves much less than the wall clock with other processes.
double cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

}  // namespace

int run_queries(const std::string& queries_path, const std::string& out_path, const SearchFn& search) {
  const std::vector<QueryLine> queries = read_queries(queries_path);
  const char* cpu_env = std::getenv("BENCH_CPU_TIME");
  const bool cpu = cpu_env != nullptr && std::strcmp(cpu_env, "1") == 0;
  struct Result {
    double micros = 0;
    bool error = false;
    std::vector<std::string> ids;
  };
  std::vector<Result> results(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu ? cpu_micros() : 0;
    try {
      results[i].ids = search(queries[i].text);
    } catch (const std::exception&) {
      results[i].error = true;
    } catch (...) {
      results[i].error = true;
    }
    results[i].micros =
        cpu ? cpu_micros() - cpu_start
            : std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  }
  std::ofstream out(out_path, std::ios::binary);
  for (size_t i = 0; i < queries.size(); ++i) {
    out << queries[i].qid << '\t' << static_cast<long long>(results[i].micros) << '\t'
        << (results[i].error ? 1 : 0) << '\t';
    for (size_t k = 0; k < results[i].ids.size(); ++k) out << (k ? " " : "") << results[i].ids[k];
    out << '\n';
  }
  if (!out) throw std::runtime_error(out_path + ": write failed");
  return 0;
}

int driver_main(int argc, char** argv, const char* name,
                const std::function<void(const std::string&, const std::string&)>& index,
                const std::function<SearchFn(const std::string&)>& open) {
  const std::string usage = std::string("usage: ") + name + " index DB DOCS.jsonl | query DB QUERIES.tsv OUT\n";
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string mode = argv[1];
  try {
    if (mode == "index" && argc == 4) {
      index(argv[2], argv[3]);
      return 0;
    }
    if (mode == "query" && argc == 5) {
      const SearchFn search = open(argv[2]);
      return run_queries(argv[3], argv[4], search);
    }
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 2;
  }
  std::cerr << usage;
  return 2;
}

}  // namespace bisearch::bench
