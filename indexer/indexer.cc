// indexer.cc: the indexing run and its summary line.
#include "indexer/indexer.h"

#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "indexer/extract.h"
#include "indexer/segment.h"
#include "indexer/walk.h"
#include "indexer/write.h"

namespace bisearch::indexer {
namespace {

using Clock = std::chrono::steady_clock;

std::string plural(uint64_t n, const char* word) {
  std::string s = std::to_string(n) + " " + word;
  if (n != 1) s += 's';
  return s;
}

// Reads one file into the index; keeps that file's problems until the file
// is done so they can be capped or folded into one line.
class FileIndexer : public DocumentSink {
 public:
  FileIndexer(const IndexerOptions& options, const RunHooks& hooks, IndexWriter& writer, IndexSummary& summary,
              std::unordered_map<std::string, std::string>& seen_ids, ProgressInfo& progress, Clock::time_point start)
      : options_(options), hooks_(hooks), writer_(writer), summary_(summary), seen_ids_(seen_ids),
        progress_(progress), start_(start) {}

  bool stopped() const { return stopped_; }

  void read(const SourceFile& file) {
    file_ = &file;
    documents_ = passages_ = 0;
    problems_.clear();
    problem_count_ = no_text_count_ = 0;
    file_base_ = progress_.bytes_done;
    extract(file, options_.extract, *this);
    progress_.bytes_done = file_base_ + file.size;
    finish_file();
  }

  bool document(Document&& doc) override {
    if (hooks_.stop_requested && hooks_.stop_requested()) {
      stopped_ = true;
      return false;
    }
    const auto [it, inserted] = seen_ids_.try_emplace(doc.doc_id, doc.where);
    if (!inserted) {
      problem({ProblemKind::kDuplicateId, doc.where,
               "document id \"" + doc.doc_id + "\" is already used by " + it->second + "; not indexed"});
      return true;
    }
    const std::vector<Span> spans = segment(doc.text, doc.body_begin, options_.segment);
    if (spans.empty()) {
      seen_ids_.erase(it);
      problem({ProblemKind::kNoText, doc.where, "no text to index (only a header or whitespace)"});
      return true;
    }
    const PassageCounts counts = writer_.add(doc, spans);
    ++documents_;
    passages_ += counts.total();
    ++summary_.documents;
    summary_.passages += counts.total();
    summary_.passages_ko += counts.ko;
    summary_.passages_en += counts.en;
    summary_.passages_mixed += counts.mixed;
    if (hooks_.progress) {
      progress_.documents = summary_.documents;
      progress_.passages = summary_.passages;
      progress_.bytes_done = file_base_ + doc.source_end;
      progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      hooks_.progress(progress_);
    }
    return true;
  }

  void problem(Problem&& p) override {
    ++problem_count_;
    if (p.kind == ProblemKind::kNoText) ++no_text_count_;
    if (problems_.size() < options_.max_problems_per_file) problems_.push_back(std::move(p));
  }

 private:
  void report(const Problem& p) {
    if (hooks_.problem) hooks_.problem(p);
  }

  void finish_file() {
    const std::string path = file_->path.string();
    if (problem_count_ > 0) {
      ++summary_.files_failed;
      summary_.problems += problem_count_;
      if (documents_ == 0 && problem_count_ > 1 && no_text_count_ == problem_count_) {
        // Typically a manifest or a file whose text field has another name:
        // one line says it all.
        report({ProblemKind::kNoText, path,
                "none of its " + std::to_string(problem_count_) + " lines has text: " + problems_.front().reason});
      } else {
        for (const Problem& p : problems_) report(p);
        if (problem_count_ > problems_.size())
          report({ProblemKind::kTooMany, path,
                  std::to_string(problem_count_ - problems_.size()) + " more errors not shown"});
      }
    }
    if (documents_ > 0) ++summary_.files;
    summary_.bytes_read += file_->size;
    if (options_.verbose && hooks_.note)
      hooks_.note(path + ": " + plural(documents_, "document") + ", " + plural(passages_, "passage"));
  }

  const IndexerOptions& options_;
  const RunHooks& hooks_;
  IndexWriter& writer_;
  IndexSummary& summary_;
  std::unordered_map<std::string, std::string>& seen_ids_;
  ProgressInfo& progress_;
  Clock::time_point start_;

  const SourceFile* file_ = nullptr;
  uint64_t file_base_ = 0;
  uint64_t documents_ = 0;
  uint64_t passages_ = 0;
  std::vector<Problem> problems_;
  size_t problem_count_ = 0;
  size_t no_text_count_ = 0;
  bool stopped_ = false;
};

}  // namespace

IndexSummary run(const IndexerOptions& options, const RunHooks& hooks) {
  const Clock::time_point start = Clock::now();
  IndexSummary summary;

  WalkResult walk = collect_inputs(options.inputs, options.db);
  for (const Problem& p : walk.problems) {
    ++summary.files_failed;
    ++summary.problems;
    if (hooks.problem) hooks.problem(p);
  }
  summary.files_skipped = walk.skipped.size();
  if (options.verbose && hooks.note)
    for (const std::string& s : walk.skipped) hooks.note("skipped " + s);
  if (walk.inputs_found == 0) throw FatalError("nothing to index: no input path exists");

  WriterOptions wo;
  wo.batch_passages = options.batch_passages;
  wo.roots = walk.roots;
  IndexWriter writer(options.db, wo);

  ProgressInfo progress;
  progress.files_total = walk.files.size();
  for (const SourceFile& f : walk.files) progress.bytes_total += f.size;
  std::unordered_map<std::string, std::string> seen_ids;
  FileIndexer indexer(options, hooks, writer, summary, seen_ids, progress, start);
  for (const SourceFile& file : walk.files) {
    if (hooks.stop_requested && hooks.stop_requested()) {
      summary.interrupted = true;
      break;
    }
    indexer.read(file);
    ++progress.files_done;
    if (indexer.stopped()) {
      summary.interrupted = true;
      break;
    }
    if (hooks.progress) {
      progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      hooks.progress(progress);
    }
  }
  writer.close();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.index_bytes = directory_size(options.db);
  return summary;
}

std::string format_size(uint64_t bytes) {
  char buf[64];
  if (bytes < 1024) {
    snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1024ull * 1024) {
    snprintf(buf, sizeof buf, "%llu KiB", static_cast<unsigned long long>((bytes + 512) / 1024));
  } else if (bytes < 1024ull * 1024 * 1024) {
    snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024));
  } else {
    snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  }
  return buf;
}

std::string format_summary(const IndexSummary& s, const std::string& db) {
  char secs[32];
  snprintf(secs, sizeof secs, "%.2f s", s.seconds);
  std::string out = s.interrupted ? "interrupted; " : "";
  out += "indexed " + plural(s.documents, "document") + ", " + plural(s.passages, "passage") + " (ko " +
         std::to_string(s.passages_ko) + ", en " + std::to_string(s.passages_en) + ", mixed " +
         std::to_string(s.passages_mixed) + ") from " + plural(s.files, "file") + " in " + secs + "; " +
         std::to_string(s.files_failed) + " failed";
  if (s.problems > s.files_failed) out += " (" + std::to_string(s.problems) + " errors)";
  out += ", " + std::to_string(s.files_skipped) + " skipped; index " + db + " (" + format_size(s.index_bytes) + ")";
  return out;
}

int exit_code(const IndexSummary& s) {
  if (s.interrupted) return 130;
  return s.problems > 0 ? 1 : 0;
}

}  // namespace bisearch::indexer
