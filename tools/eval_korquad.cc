// bisearch-eval-korquad: passage-retrieval quality on KorQuAD 1.0 dev for
// bisearch (through its bisearch-index / bisearch-query CLIs), stock Xapian
// (TermGenerator/QueryParser with FLAG_CJK_NGRAM) and a Hangul-bigram BM25
// reference, at 964 paragraphs and with ~49,000 speech distractors added.
//
// All derived files (JSONL, batch files, Xapian databases) live in a temp dir
// that is deleted at exit unless --keep is given: KorQuAD is CC BY-ND, so no
// converted copy may be committed or left behind.
//
// Output: a table on stdout (MRR@10, R@1, R@10, R@100, errors, seconds), a
// rank histogram, optional failure listings; --json FILE writes:
//   {"dataset": "KorQuAD_v1.0_dev", "questions": N, "quick": bool,
//    "titles_indexed": bool, "bisearch_args"?: [...],
//    "sizes": {"A": {"passages": 964, "distractors": 0}, "B": {...}},
//    "results": [{"engine", "size", "passages", "questions", "errors",
//                 "mrr10", "recall1", "recall10", "recall100",
//                 "at_rank": [10 counts], "rank_11_100", "not_found",
//                 "index_seconds", "query_seconds"}, ...]}
// Exit status: 0 done, 2 bad usage, missing data or a failing engine.
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "eval_common.h"

#ifndef BISEARCH_SHARED_DEFAULT
#define BISEARCH_SHARED_DEFAULT "../shared"
#endif
#ifndef BISEARCH_INDEX_BIN
#define BISEARCH_INDEX_BIN ""
#endif
#ifndef BISEARCH_QUERY_BIN
#define BISEARCH_QUERY_BIN ""
#endif

extern char** environ;

namespace fs = std::filesystem;
using bisearch::eval::EvalError;
using bisearch::eval::Metrics;
using bisearch::eval::Passage;
using bisearch::eval::Question;

namespace {

constexpr std::size_t kDepth = 100;             // results fetched per question
constexpr std::size_t kFullTotal = 50000;       // size B passages, full run
constexpr std::size_t kQuickTotal = 10000;      // size B passages, --quick
constexpr std::size_t kQuickQuestions = 1000;

const char* const kEngineNames[] = {"bisearch", "stock-xapian", "bigram-bm25"};

/// What CLI11 fills; validated into a RunPlan by make_plan().
struct EvalArgs {
  std::string shared;
  std::string index_bin;
  std::string query_bin;
  std::string bisearch_args;
  std::string index_args;
  std::string engines = "bisearch,stock,bigram";
  std::string sizes = "AB";
  std::string json_out;
  std::string keep;
  bool quick = false;
  std::size_t questions = 0;    // 0 = all (or kQuickQuestions with --quick)
  std::size_t distractors = 0;  // 0 = default for the mode
  std::size_t show_failures = 0;
  bool omit_titles = false;
  bool dedupe_bigrams = false;
  std::vector<double> bigram_bm25;  // k1, b
};

struct RunPlan {
  fs::path korquad;
  fs::path speeches;
  fs::path index_bin;
  fs::path query_bin;
  std::vector<std::string> bisearch_args;
  std::vector<std::string> index_args;
  std::vector<std::string> engines;  // canonical names, in kEngineNames order
  std::vector<char> sizes;           // 'A' and/or 'B'
  std::size_t question_limit = 0;    // 0 = all
  bool quick = false;                // size B = kQuickTotal passages
  std::size_t distractors = 0;
  std::size_t show_failures = 0;
  std::string json_out;
  std::optional<fs::path> keep;
  bool omit_titles = false;  // every engine sees the text only
  bool dedupe_bigrams = false;
  double bigram_k1 = 1.0;  // Xapian's BM25Weight defaults
  double bigram_b = 0.5;
};

/// The result list of one engine at one size, plus timings.
struct EngineRun {
  std::string engine;
  char size = 'A';
  std::size_t passages = 0;
  std::vector<std::vector<std::size_t>> ranked;  // per question: passage indices, best first
  std::vector<bool> errored;
  double index_seconds = 0;
  double query_seconds = 0;
  Metrics metrics;
};

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string fixed(double value, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << value;
  return s.str();
}

void progress(const std::string& message) { std::cerr << "[eval] " << message << std::endl; }

/// Splits a flag value like `--expand 0 --mode "a b"` into words; single and
/// double quotes group, a backslash escapes the next character.
std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      else word.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      word.push_back(text[++i]);
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (quote) throw EvalError("unbalanced quote in: " + text);
  if (in_word) words.push_back(std::move(word));
  return words;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

/// Validates the flags. Throws EvalError (exit 2) with a message naming the
/// offending value or missing file.
RunPlan make_plan(const EvalArgs& args) {
  RunPlan plan;
  std::string shared = args.shared;
  if (shared.empty()) {
    const char* env = std::getenv("BISEARCH_SHARED");
    shared = (env && *env) ? env : BISEARCH_SHARED_DEFAULT;
  }
  plan.korquad = fs::path(shared) / "data/korquad/KorQuAD_v1.0_dev.json";
  plan.speeches = fs::path(shared) / "data/speeches-ko/speeches.jsonl";

  std::set<std::string> wanted;
  std::stringstream list(args.engines);
  for (std::string name; std::getline(list, name, ',');) {
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (name.empty()) continue;
    if (name == "stock" || name == "xapian") name = "stock-xapian";
    if (name == "bigram" || name == "bigrams") name = "bigram-bm25";
    if (std::find(std::begin(kEngineNames), std::end(kEngineNames), name) ==
        std::end(kEngineNames))
      throw EvalError("--engines: unknown engine '" + name +
                      "' (choose from bisearch, stock, bigram)");
    wanted.insert(name);
  }
  for (const char* name : kEngineNames)
    if (wanted.count(name)) plan.engines.emplace_back(name);
  if (plan.engines.empty()) throw EvalError("--engines: no engine selected");

  for (char c : args.sizes) {
    const char s = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (s != 'A' && s != 'B') throw EvalError("--sizes: expected A, B or AB, got '" + args.sizes + "'");
    if (std::find(plan.sizes.begin(), plan.sizes.end(), s) == plan.sizes.end())
      plan.sizes.push_back(s);
  }
  std::sort(plan.sizes.begin(), plan.sizes.end());
  if (plan.sizes.empty()) throw EvalError("--sizes: expected A, B or AB");

  if (!fs::is_regular_file(plan.korquad))
    throw EvalError("missing data file: " + plan.korquad.string() +
                    " (set --shared DIR or BISEARCH_SHARED to the shared data root)");
  const bool want_b = std::find(plan.sizes.begin(), plan.sizes.end(), 'B') != plan.sizes.end();
  if (want_b && !fs::is_regular_file(plan.speeches))
    throw EvalError("missing data file: " + plan.speeches.string() +
                    " (needed for size B; set --shared DIR or BISEARCH_SHARED, or use --sizes A)");

  plan.quick = args.quick;
  plan.question_limit = args.questions ? args.questions : (args.quick ? kQuickQuestions : 0);
  plan.distractors = args.distractors;  // 0: filled in once the KorQuAD size is known
  plan.show_failures = args.show_failures;
  plan.json_out = args.json_out;
  if (!args.keep.empty()) plan.keep = fs::path(args.keep);
  plan.omit_titles = args.omit_titles;
  plan.dedupe_bigrams = args.dedupe_bigrams;
  if (!args.bigram_bm25.empty()) {
    if (args.bigram_bm25.size() != 2 || args.bigram_bm25[0] < 0 || args.bigram_bm25[1] < 0 ||
        args.bigram_bm25[1] > 1)
      throw EvalError("--bigram-bm25: expected K1,B with K1 >= 0 and 0 <= B <= 1");
    plan.bigram_k1 = args.bigram_bm25[0];
    plan.bigram_b = args.bigram_bm25[1];
  }
  plan.bisearch_args = split_words(args.bisearch_args);
  plan.index_args = split_words(args.index_args);

  if (wanted.count("bisearch")) {
    const fs::path here = executable_dir();
    plan.index_bin = !args.index_bin.empty()              ? fs::path(args.index_bin)
                     : std::string(BISEARCH_INDEX_BIN) != "" ? fs::path(BISEARCH_INDEX_BIN)
                                                            : here / "../indexer/bisearch-index";
    plan.query_bin = !args.query_bin.empty()              ? fs::path(args.query_bin)
                     : std::string(BISEARCH_QUERY_BIN) != "" ? fs::path(BISEARCH_QUERY_BIN)
                                                            : here / "../query/bisearch-query";
    for (const fs::path& bin : {plan.index_bin, plan.query_bin}) {
      if (::access(bin.c_str(), X_OK) != 0)
        throw EvalError("bisearch binary not found or not executable: " + bin.string() +
                        " (build it, pass --index-bin/--query-bin, or use --engines stock,bigram)");
    }
  }
  return plan;
}

/// Owns the working directory; removes it on destruction unless kept.
class WorkDir {
 public:
  explicit WorkDir(const std::optional<fs::path>& keep) {
    if (keep) {
      path_ = fs::absolute(*keep);
      fs::create_directories(path_);
      remove_ = false;
      return;
    }
    std::string pattern = (fs::temp_directory_path() / "bisearch-eval-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw EvalError("cannot create a temp dir in " +
                                                    fs::temp_directory_path().string());
    path_ = pattern;
  }
  ~WorkDir() {
    if (!remove_) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const fs::path& path() const { return path_; }
  bool kept() const { return !remove_; }

 private:
  fs::path path_;
  bool remove_ = true;
};

/// Removes a per-run database once its results are in, unless kept.
void discard(const fs::path& path, bool keep) {
  if (keep) return;
  std::error_code ec;
  fs::remove_all(path, ec);
}

// ---------------------------------------------------------------------------
// In-process engines

constexpr int kWritableFlags =
    Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC;

/// Runs every question through @p search, which returns docids best first;
/// docid d is passage d-1 (documents were added in order to a fresh DB).
template <typename Search>
void query_all(const std::vector<Question>& questions, EngineRun& run, Search search) {
  Stopwatch clock;
  run.ranked.assign(questions.size(), {});
  run.errored.assign(questions.size(), false);
  for (std::size_t i = 0; i < questions.size(); ++i) {
    try {
      for (Xapian::docid d : search(questions[i].text)) run.ranked[i].push_back(d - 1);
    } catch (const Xapian::Error& e) {
      run.errored[i] = true;
    }
  }
  run.query_seconds = clock.seconds();
}

std::vector<Xapian::docid> top_docids(Xapian::Enquire& enquire, const Xapian::Query& query) {
  std::vector<Xapian::docid> out;
  if (query.empty()) return out;
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, kDepth);
  for (auto it = mset.begin(); it != mset.end(); ++it) out.push_back(*it);
  return out;
}

/// A title as words: KorQuAD titles join words with '_' (알렉산더_헤이그).
std::string title_words(std::string title) {
  std::replace(title.begin(), title.end(), '_', ' ');
  return title;
}

/// Stock Xapian: TermGenerator and QueryParser with FLAG_CJK_NGRAM, no
/// stemmer, default op OR, BM25 defaults. QueryParser errors count as errors.
EngineRun run_stock(const std::vector<Passage>& passages, std::size_t n,
                    const std::vector<Question>& questions, const fs::path& db_path,
                    const RunPlan& plan) {
  EngineRun run;
  {
    Stopwatch clock;
    Xapian::WritableDatabase db(db_path.string(), kWritableFlags);
    Xapian::TermGenerator generator;
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    for (std::size_t i = 0; i < n; ++i) {
      Xapian::Document doc;
      generator.set_document(doc);
      if (!plan.omit_titles) {
        generator.index_text(title_words(passages[i].title));
        generator.increase_termpos();
      }
      generator.index_text(passages[i].text);
      db.add_document(doc);
    }
    db.commit();
    db.close();
    run.index_seconds = clock.seconds();
  }
  Xapian::Database db(db_path.string());
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_default_op(Xapian::Query::OP_OR);
  const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;
  query_all(questions, run, [&](const std::string& text) {
    return top_docids(enquire, parser.parse_query(text, flags));
  });
  return run;
}

/// Bigram reference: bag of Hangul bigrams and ASCII words, no positions,
/// query = OP_OR of the question's terms, BM25 defaults.
EngineRun run_bigram(const std::vector<Passage>& passages, std::size_t n,
                     const std::vector<Question>& questions, const fs::path& db_path,
                     const RunPlan& plan) {
  EngineRun run;
  {
    Stopwatch clock;
    Xapian::WritableDatabase db(db_path.string(), kWritableFlags);
    for (std::size_t i = 0; i < n; ++i) {
      Xapian::Document doc;
      if (!plan.omit_titles) {
        for (const std::string& term : bisearch::eval::bigram_terms(title_words(passages[i].title)))
          doc.add_term(term);
      }
      for (const std::string& term : bisearch::eval::bigram_terms(passages[i].text))
        doc.add_term(term);
      db.add_document(doc);
    }
    db.commit();
    db.close();
    run.index_seconds = clock.seconds();
  }
  Xapian::Database db(db_path.string());
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(plan.bigram_k1, 0, 1, plan.bigram_b, 0.5));
  query_all(questions, run, [&](const std::string& text) {
    std::vector<std::string> terms = bisearch::eval::bigram_terms(text);
    if (plan.dedupe_bigrams) {
      std::sort(terms.begin(), terms.end());
      terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    }
    return top_docids(enquire, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  });
  return run;
}

// ---------------------------------------------------------------------------
// bisearch through its command-line tools

/// Runs @p argv with stdout and stderr sent to files; returns the exit
/// status (128 + signal if killed). Throws if the program cannot start.
int run_program(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw EvalError(argv[0] + ": cannot run: " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw EvalError(argv[0] + ": waitpid failed: " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

/// The last @p max_lines lines of a text file, for error messages.
std::string tail_of(const fs::path& path, std::size_t max_lines = 15) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const std::string& line : lines) out += "    " + line + "\n";
  return out;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

std::string json_string(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

/// Index with bisearch-index, query with bisearch-query --batch --json, and
/// rank documents by their best passage. A hit stands for the exact copies
/// it lists (`copies`: the same text under other ids, one hit since schema
/// 6): KorQuAD dev repeats 5 of its paragraphs (2 texts, 31 questions), and
/// the copy a question asks for is found at the rank of the hit listing it.
EngineRun run_bisearch(const std::vector<Passage>& passages, std::size_t n,
                       const std::vector<Question>& questions, const fs::path& dir,
                       const RunPlan& plan) {
  EngineRun run;
  fs::create_directories(dir);
  const fs::path jsonl = dir / "passages.jsonl";
  const fs::path db = dir / "db";
  const fs::path batch = dir / "questions.tsv";
  const fs::path out = dir / "query-out.jsonl";

  {
    std::ofstream file(jsonl, std::ios::binary);
    for (std::size_t i = 0; i < n; ++i) {
      nlohmann::json doc = {{"id", passages[i].id}, {"text", passages[i].text}};
      if (!plan.omit_titles) doc["title"] = passages[i].title;
      file << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    if (!file) throw EvalError(jsonl.string() + ": write failed");
  }
  {
    std::ofstream file(batch, std::ios::binary);
    for (const Question& q : questions) {
      std::string text = q.text;
      std::replace_if(text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
      file << q.qid << '\t' << text << '\n';
    }
    if (!file) throw EvalError(batch.string() + ": write failed");
  }

  std::vector<std::string> index_argv = {plan.index_bin.string(), "--db", db.string()};
  index_argv.insert(index_argv.end(), plan.index_args.begin(), plan.index_args.end());
  index_argv.push_back(jsonl.string());
  progress("  " + command_line(index_argv));
  Stopwatch index_clock;
  int rc = run_program(index_argv, dir / "index-out.txt", dir / "index-err.txt");
  run.index_seconds = index_clock.seconds();
  if (rc != 0)
    throw EvalError("bisearch-index exited with status " + std::to_string(rc) + "; its stderr ends:\n" +
                    tail_of(dir / "index-err.txt") + "  (rerun with --keep DIR to inspect)");

  std::vector<std::string> query_argv = {plan.query_bin.string(), "--db",  db.string(),
                                         "--batch",               batch.string(), "--json",
                                         "--limit",               std::to_string(kDepth)};
  query_argv.insert(query_argv.end(), plan.bisearch_args.begin(), plan.bisearch_args.end());
  progress("  " + command_line(query_argv));
  Stopwatch query_clock;
  rc = run_program(query_argv, out, dir / "query-err.txt");
  run.query_seconds = query_clock.seconds();
  if (rc != 0 && rc != 1) {
    progress("  warning: bisearch-query exited with status " + std::to_string(rc) +
             "; its stderr ends:\n" + tail_of(dir / "query-err.txt"));
  }

  std::unordered_map<std::string, std::size_t> passage_of_doc;
  for (std::size_t i = 0; i < n; ++i) passage_of_doc.emplace(passages[i].id, i);
  std::unordered_map<std::string, std::size_t> question_of_qid;
  for (std::size_t i = 0; i < questions.size(); ++i) question_of_qid.emplace(questions[i].qid, i);

  std::vector<std::vector<std::pair<long long, std::string>>> hits(questions.size());
  std::vector<bool> answered(questions.size(), false);  // a summary or an error line came
  run.errored.assign(questions.size(), false);
  std::size_t bad_lines = 0, unknown_docs = 0, unknown_qids = 0;
  // Hits carry the whole passage text and highlight ranges; skip those
  // members while parsing (the output runs to ~150 KB per question).
  const nlohmann::json::parser_callback_t skip_bulk =
      [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        return !(depth == 1 && event == nlohmann::json::parse_event_t::key &&
                 (parsed == "text" || parsed == "highlights"));
      };
  Stopwatch parse_clock;
  std::ifstream in(out, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    nlohmann::json obj;
    try {
      obj = nlohmann::json::parse(line, skip_bulk);
    } catch (const nlohmann::json::exception&) {
      ++bad_lines;
      continue;
    }
    if (!obj.is_object() || !obj.contains("query_id")) continue;
    const auto q = question_of_qid.find(json_string(obj["query_id"]));
    if (q == question_of_qid.end()) {
      ++unknown_qids;
      continue;
    }
    const std::string type = obj.value("type", "");
    if (type == "hit") {
      const std::string doc = json_string(obj.value("doc_id", nlohmann::json()));
      // The hit's document, or the copy it lists that the question asks for.
      std::string id = doc;
      if (const auto copies = obj.find("copies"); copies != obj.end() && copies->is_array()) {
        const Passage& answer = passages[questions[q->second].answer];
        for (const auto& copy : *copies)
          if (json_string(copy) == answer.id) id = answer.id;
      }
      hits[q->second].emplace_back(obj.value("rank", 0LL), id);
    } else if (type == "summary") {
      answered[q->second] = true;
      if (obj.contains("error") && !obj["error"].is_null() && obj["error"] != false)
        run.errored[q->second] = true;
    } else if (type == "error") {
      answered[q->second] = true;
      run.errored[q->second] = true;
    }
  }
  std::size_t missing = 0;
  run.ranked.assign(questions.size(), {});
  for (std::size_t i = 0; i < questions.size(); ++i) {
    if (!answered[i]) {
      ++missing;
      run.errored[i] = true;
    }
    auto& list = hits[i];
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::unordered_set<std::string> seen;
    for (const auto& [rank, doc] : list) {
      if (!seen.insert(doc).second) continue;
      const auto p = passage_of_doc.find(doc);
      if (p == passage_of_doc.end()) {
        ++unknown_docs;
        run.ranked[i].push_back(static_cast<std::size_t>(-1));  // holds its rank, matches nothing
      } else {
        run.ranked[i].push_back(p->second);
      }
    }
  }
  progress("  read bisearch-query output (" + std::to_string(fs::file_size(out) >> 20) + " MiB) in " +
           fixed(parse_clock.seconds(), 1) + " s");
  if (missing == questions.size())
    throw EvalError("bisearch-query produced no output for any question (status " +
                    std::to_string(rc) + "); its stderr ends:\n" + tail_of(dir / "query-err.txt"));
  if (missing || bad_lines || unknown_docs || unknown_qids) {
    progress("  warning: " + std::to_string(missing) + " questions with neither a summary nor an error line (counted as errors), " +
             std::to_string(bad_lines) + " unparsable lines, " + std::to_string(unknown_docs) +
             " hits with an unknown doc_id, " + std::to_string(unknown_qids) +
             " lines with an unknown query_id");
  }
  return run;
}

// ---------------------------------------------------------------------------
// Reporting

std::string snippet(const std::string& text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && chars++ == max_chars) return out + "…";
    out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : static_cast<char>(c));
  }
  return out;
}

void print_table(const std::vector<EngineRun>& runs) {
  std::cout << std::left << std::setw(14) << "engine" << std::setw(6) << "size" << std::right
            << std::setw(9) << "passages" << std::setw(8) << "MRR@10" << std::setw(7) << "R@1"
            << std::setw(7) << "R@10" << std::setw(7) << "R@100" << std::setw(8) << "errors"
            << std::setw(9) << "index_s" << std::setw(9) << "query_s" << '\n';
  for (const EngineRun& r : runs) {
    const Metrics& m = r.metrics;
    std::cout << std::left << std::setw(14) << r.engine << std::setw(6) << r.size << std::right
              << std::setw(9) << r.passages << std::setw(8) << fixed(m.mrr10(), 4) << std::setw(7)
              << fixed(m.recall_at(1), 3) << std::setw(7) << fixed(m.recall_at(10), 3)
              << std::setw(7) << fixed(m.recall_at(100), 3) << std::setw(8) << m.errors
              << std::setw(9) << fixed(r.index_seconds, 1) << std::setw(9)
              << fixed(r.query_seconds, 1) << '\n';
  }
}

void print_histogram(const std::vector<EngineRun>& runs) {
  std::cout << "\nquestions by rank of the answer (11-100 = below the top 10, none = not in top "
            << kDepth << " or errored)\n"
            << std::left << std::setw(14) << "engine" << std::setw(6) << "size" << std::right;
  for (int r = 1; r <= 10; ++r) std::cout << std::setw(6) << r;
  std::cout << std::setw(8) << "11-100" << std::setw(7) << "none" << '\n';
  for (const EngineRun& run : runs) {
    std::cout << std::left << std::setw(14) << run.engine << std::setw(6) << run.size << std::right;
    for (std::size_t c : run.metrics.at_rank) std::cout << std::setw(6) << c;
    std::cout << std::setw(8) << run.metrics.in_11_100 << std::setw(7) << run.metrics.not_found
              << '\n';
  }
}

const EngineRun* find_run(const std::vector<EngineRun>& runs, const std::string& engine, char size) {
  for (const EngineRun& r : runs)
    if (r.engine == engine && r.size == size) return &r;
  return nullptr;
}

std::string rank_text(std::size_t rank) { return rank ? std::to_string(rank) : "-"; }

/// Lists up to @p limit questions that @p run does not answer at rank 1,
/// those the bigram reference answers at rank 1 first; also counts wins and
/// losses against the reference.
void print_failures(const EngineRun& run, const EngineRun* reference,
                    const std::vector<Passage>& passages, const std::vector<Question>& questions,
                    std::size_t limit) {
  std::vector<std::size_t> failures;
  std::size_t better = 0, worse = 0;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const std::size_t mine = bisearch::eval::rank_of(run.ranked[i], questions[i].answer);
    if (reference) {
      const std::size_t ref = bisearch::eval::rank_of(reference->ranked[i], questions[i].answer);
      if (mine == 1 && ref != 1) ++better;
      if (mine != 1 && ref == 1) ++worse;
    }
    if (mine != 1) failures.push_back(i);
  }
  // Worst first: questions the reference answers at rank 1, then by how far
  // down (or absent) the answer is for this engine.
  const auto severity = [&](std::size_t i) {
    const std::size_t mine = bisearch::eval::rank_of(run.ranked[i], questions[i].answer);
    const bool ref_first =
        reference && bisearch::eval::rank_of(reference->ranked[i], questions[i].answer) == 1;
    return std::make_pair(!ref_first, -static_cast<long>(mine ? mine : kDepth + 1));
  };
  std::stable_sort(failures.begin(), failures.end(),
                   [&](std::size_t a, std::size_t b) { return severity(a) < severity(b); });
  std::cout << "\n" << run.engine << " size " << run.size << ": " << failures.size()
            << " questions not answered at rank 1";
  if (reference)
    std::cout << "; at rank 1 for " << run.engine << " but not " << reference->engine << ": "
              << better << ", the reverse: " << worse;
  std::cout << '\n';
  for (std::size_t k = 0; k < failures.size() && k < limit; ++k) {
    const std::size_t i = failures[k];
    const Question& q = questions[i];
    const Passage& want = passages[q.answer];
    std::cout << "  [" << q.qid << "] " << snippet(q.text, 200) << "\n"
              << "      answer " << want.id << " (" << want.title << ") at rank "
              << rank_text(bisearch::eval::rank_of(run.ranked[i], q.answer));
    if (reference)
      std::cout << "; " << reference->engine << " rank "
                << rank_text(bisearch::eval::rank_of(reference->ranked[i], q.answer));
    if (run.errored[i]) std::cout << "; ERRORED";
    std::cout << '\n';
    if (!run.ranked[i].empty() && run.ranked[i][0] < passages.size()) {
      const Passage& got = passages[run.ranked[i][0]];
      std::cout << "      first: " << got.id << " (" << got.title << ") " << snippet(got.text, 70)
                << '\n';
    } else {
      std::cout << "      first: (nothing)\n";
    }
  }
}

nlohmann::json to_json(const std::vector<EngineRun>& runs, std::size_t questions,
                       std::size_t korquad_passages, std::size_t distractors,
                       const RunPlan& plan) {
  nlohmann::json sizes = nlohmann::json::object();
  for (char s : plan.sizes) {
    sizes[std::string(1, s)] = {
        {"passages", s == 'A' ? korquad_passages : korquad_passages + distractors},
        {"distractors", s == 'A' ? 0 : distractors}};
  }
  nlohmann::json results = nlohmann::json::array();
  for (const EngineRun& r : runs) {
    const Metrics& m = r.metrics;
    results.push_back({{"engine", r.engine},
                       {"size", std::string(1, r.size)},
                       {"passages", r.passages},
                       {"questions", m.questions},
                       {"errors", m.errors},
                       {"mrr10", m.mrr10()},
                       {"recall1", m.recall_at(1)},
                       {"recall10", m.recall_at(10)},
                       {"recall100", m.recall_at(100)},
                       {"at_rank", m.at_rank},
                       {"rank_11_100", m.in_11_100},
                       {"not_found", m.not_found},
                       {"index_seconds", r.index_seconds},
                       {"query_seconds", r.query_seconds}});
  }
  nlohmann::json out = {{"dataset", "KorQuAD_v1.0_dev"},
                        {"questions", questions},
                        {"quick", plan.quick},
                        {"sizes", sizes},
                        {"results", results}};
  if (!plan.bisearch_args.empty()) out["bisearch_args"] = plan.bisearch_args;
  out["titles_indexed"] = !plan.omit_titles;
  return out;
}

int run_evaluation(const RunPlan& input) {
  RunPlan plan = input;
  Stopwatch total;
  progress("loading " + plan.korquad.string());
  bisearch::eval::KorQuad korquad = bisearch::eval::load_korquad(plan.korquad.string());
  std::vector<Question>& questions = korquad.questions;
  if (plan.question_limit && questions.size() > plan.question_limit)
    questions.resize(plan.question_limit);
  const std::size_t kq = korquad.passages.size();

  std::vector<Passage> passages = std::move(korquad.passages);
  const bool want_b = std::find(plan.sizes.begin(), plan.sizes.end(), 'B') != plan.sizes.end();
  std::size_t distractors = 0;
  if (want_b) {
    const std::size_t total_b = plan.quick ? kQuickTotal : kFullTotal;
    const std::size_t wanted = plan.distractors ? plan.distractors : (total_b > kq ? total_b - kq : 0);
    progress("cutting up to " + std::to_string(wanted) + " distractor passages from " +
             plan.speeches.string());
    std::vector<Passage> extra = bisearch::eval::load_speech_distractors(plan.speeches.string(), wanted);
    distractors = extra.size();
    if (distractors < wanted)
      progress("warning: only " + std::to_string(distractors) + " distractor passages available");
    for (Passage& p : extra) passages.push_back(std::move(p));
  }

  WorkDir work(plan.keep);
  progress("work dir " + work.path().string() + (work.kept() ? " (kept)" : " (deleted at exit)"));

  std::vector<EngineRun> runs;
  for (char size : plan.sizes) {
    const std::size_t n = size == 'A' ? kq : kq + distractors;
    for (const std::string& engine : plan.engines) {
      const fs::path dir = work.path() / (std::string("size-") + size) / engine;
      fs::create_directories(dir);
      progress("size " + std::string(1, size) + " (" + std::to_string(n) + " passages): " + engine +
               ": indexing and running " + std::to_string(questions.size()) + " questions");
      EngineRun run;
      if (engine == "stock-xapian") {
        run = run_stock(passages, n, questions, dir / "db", plan);
      } else if (engine == "bigram-bm25") {
        run = run_bigram(passages, n, questions, dir / "db", plan);
      } else {
        run = run_bisearch(passages, n, questions, dir, plan);
      }
      discard(dir / "db", work.kept());
      discard(dir / "query-out.jsonl", work.kept());  // large: up to ~1 GB at size B
      run.engine = engine;
      run.size = size;
      run.passages = n;
      for (std::size_t i = 0; i < questions.size(); ++i)
        run.metrics.add(bisearch::eval::rank_of(run.ranked[i], questions[i].answer), run.errored[i]);
      progress("  MRR@10 " + fixed(run.metrics.mrr10(), 4) + ", R@10 " +
               fixed(run.metrics.recall_at(10), 3) + ", errors " +
               std::to_string(run.metrics.errors) + "; index " + fixed(run.index_seconds, 1) +
               " s, queries " + fixed(run.query_seconds, 1) + " s");
      runs.push_back(std::move(run));
    }
  }

  std::cout << "KorQuAD 1.0 dev: " << questions.size() << " questions";
  if (plan.question_limit) std::cout << " (the first " << questions.size() << ")";
  std::cout << "; size A = " << kq << " passages";
  if (want_b) std::cout << ", size B = " << kq << " + " << distractors << " distractors";
  std::cout << '\n';
  std::cout << (plan.omit_titles ? "documents: text only (--omit-titles)\n"
                                 : "documents: title + text for every engine\n");
  if (!plan.bisearch_args.empty())
    std::cout << "bisearch-query extra args: " << command_line(plan.bisearch_args) << '\n';
  print_table(runs);
  print_histogram(runs);

  if (plan.show_failures) {
    const bool have_bisearch =
        std::find(plan.engines.begin(), plan.engines.end(), "bisearch") != plan.engines.end();
    for (const EngineRun& run : runs) {
      if (run.engine == "bigram-bm25") continue;
      if (have_bisearch && run.engine != "bisearch") continue;
      print_failures(run, find_run(runs, "bigram-bm25", run.size), passages, questions,
                     plan.show_failures);
    }
  }

  if (!plan.json_out.empty()) {
    std::ofstream file(plan.json_out);
    file << to_json(runs, questions.size(), kq, distractors, plan).dump(2) << '\n';
    if (!file) throw EvalError(plan.json_out + ": write failed");
  }
  progress("done in " + fixed(total.seconds(), 1) + " s");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  EvalArgs args;
  CLI::App app{
      "Passage-retrieval quality on KorQuAD 1.0 dev: bisearch (via its CLIs), stock Xapian "
      "(FLAG_CJK_NGRAM) and a Hangul-bigram BM25 reference, at 964 paragraphs (size A) and "
      "with ~49,000 Korean speech distractors (size B).",
      "bisearch-eval-korquad"};
  app.add_option("--shared", args.shared,
                 "shared data root (default: $BISEARCH_SHARED, else " BISEARCH_SHARED_DEFAULT ")");
  app.add_option("--index-bin", args.index_bin, "bisearch-index to run (default: the one built beside this tool)");
  app.add_option("--query-bin", args.query_bin, "bisearch-query to run (default: the one built beside this tool)");
  app.add_option("--bisearch-args", args.bisearch_args,
                 "extra bisearch-query flags, one string (write --bisearch-args=\"--x --y\")");
  app.add_option("--index-args", args.index_args, "extra bisearch-index flags, one string");
  app.add_option("--engines", args.engines, "comma-separated: bisearch,stock,bigram")
      ->capture_default_str();
  app.add_option("--sizes", args.sizes, "A (964 paragraphs), B (with distractors) or AB")
      ->capture_default_str();
  app.add_flag("--quick", args.quick,
               "first 1000 questions and size B = 10,000 passages, for a fast check");
  app.add_option("--questions", args.questions, "evaluate only the first N questions");
  app.add_option("--distractors", args.distractors,
                 "number of distractor passages for size B (default: up to 50,000 passages in all; "
                 "10,000 with --quick)");
  app.add_option("--json", args.json_out, "also write the figures as JSON to FILE");
  app.add_option("--keep", args.keep, "work in DIR and keep its files (JSONL, batch, output)");
  app.add_option("--show-failures", args.show_failures,
                 "list N questions bisearch misses at rank 1, those the bigram reference gets first");
  app.add_flag("--omit-titles", args.omit_titles,
               "index the passage text only (default: every engine also indexes the title: the "
               "KorQuAD article or speech title)");
  app.add_flag("--dedupe-bigrams", args.dedupe_bigrams,
               "bigram reference: use each question bigram once (default: as often as it occurs)");
  app.add_option("--bigram-bm25", args.bigram_bm25,
                 "bigram reference: BM25 K1,B (default 1,0.5, Xapian's defaults)")
      ->delimiter(',')
      ->expected(2);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    return run_evaluation(make_plan(args));
  } catch (const EvalError& e) {
    std::cerr << "bisearch-eval-korquad: " << e.what() << '\n';
    return 2;
  } catch (const Xapian::Error& e) {
    std::cerr << "bisearch-eval-korquad: Xapian: " << e.get_description() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bisearch-eval-korquad: " << e.what() << '\n';
    return 2;
  }
}
