// indexer.cc: the indexing run (plan the update from the manifest, then do it) and its summary lines.
#include "indexer/indexer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <deque>
#include <map>
#include <tuple>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/dates.h"
#include "analysis/schema.h"
#include "indexer/crosslang.h"
#include "indexer/extract.h"
#include "indexer/generation.h"
#include "indexer/merge_policy.h"
#include "indexer/glossary.h"
#include "indexer/manifest.h"
#include "indexer/partition.h"
#include "indexer/segment.h"
#include "indexer/walk.h"
#include "indexer/write.h"

namespace bisearch::indexer {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

std::string plural(uint64_t n, const char* word) {
  std::string s = std::to_string(n) + " " + word;
  if (n != 1) s += 's';
  return s;
}

// Hashes the file at @p path; false when it cannot be read.
bool hash_file(const fs::path& path, uint64_t* hash, uint64_t* size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ContentHash h;
  uint64_t total = 0;
  static thread_local std::string buf(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return false;
    }
    h.update(std::string_view(buf.data(), static_cast<size_t>(n)));
    total += static_cast<uint64_t>(n);
  }
  ::close(fd);
  *hash = h.value();
  *size = total;
  return true;
}

// Who indexed a document id: the file's manifest key and a place for messages.
struct Owner {
  std::string key;
  std::string where;
};
using Owners = std::unordered_map<std::string, Owner>;

// ".jsonl" of "a/b.JSONL"; "" without an extension.
std::string extension_of(std::string_view rel);

// Reads one file into the index and writes its manifest entry; keeps that
// file's problems until the file is done so they can be capped or folded
// into one line.
class FileIndexer : public DocumentSink {
 public:
  // @p writer: null on a dry run, when read() is never called.
  FileIndexer(const IndexerOptions& options, const RunHooks& hooks, IndexWriter* writer, IndexSummary& summary,
              Owners& owners, ProgressInfo& progress, Clock::time_point start)
      : options_(options), hooks_(hooks), writer_(writer), summary_(summary), owners_(owners),
        progress_(progress), start_(start) {}

  bool stopped() const { return stopped_; }

  // Indexes @p file under manifest key @p key, replacing what @p old (may
  // be null) recorded. @p hash / @p size: from the planning pass, used when
  // the reader does not see the whole file.
  // @p resume: @p old is the incomplete entry of this very content (a run
  // stopped or killed inside the file): its committed documents stay and
  // are skipped, the reading resumes at the first one not committed.
  void read(const WalkedFile& file, const std::string& key, const FileEntry* old, uint64_t hash, uint64_t size,
            bool resume = false) {
    file_ = &file;
    key_ = key;
    had_old_ = old != nullptr;
    documents_ = passages_ = 0;
    problems_.clear();
    docs_.clear();
    committed_.clear();
    encoding_.clear();
    problem_count_ = no_text_count_ = 0;
    hash_ = hash;
    size_ = size;
    content_seen_ = false;
    file_base_ = progress_.bytes_done;
    // A commit inside a file of many documents records its hash, so that a
    // killed run can be resumed (when the plan did not hash it).
    if (hash_ == 0 && size_ == 0 && extension_of(file.rel) == ".jsonl") hash_file(file.path, &hash_, &size_);
    if (old && resume) {
      docs_ = old->docs;
      for (const DocEntry& d : old->docs) committed_.insert(d.id);
      ++summary_.files_resumed;
    } else if (old) {
      for (const DocEntry& d : old->docs) {
        auto it = owners_.find(d.id);
        if (it != owners_.end() && it->second.key == key) owners_.erase(it);
        writer_->remove_document(d.id);
      }
    }
    extract(file, options_.extract, *this);
    if (!content_seen_) {
      // The reader stopped early (an empty, binary or unreadable file): the
      // entry needs the hash of what is there now, so that the failure is
      // retried when, and only when, the file changes. A file that cannot be
      // read at all gets a size that never matches: it is retried every run.
      bool unreadable = false;
      for (const Problem& p : problems_) unreadable |= p.kind == ProblemKind::kUnreadable;
      if (unreadable || !hash_file(file.path, &hash_, &size_)) size_ = UINT64_MAX;
    }
    progress_.bytes_done = file_base_ + file.size;
    finish_file();
  }

  bool document(Document&& doc) override {
    if (hooks_.stop_requested && hooks_.stop_requested()) {
      stopped_ = true;
      return false;
    }
    const auto [it, inserted] = owners_.try_emplace(doc.doc_id, Owner{key_, doc.where});
    if (!committed_.empty() && committed_.count(doc.doc_id) && it->second.key == key_) {
      it->second.where = doc.where;
      return true;  // indexed and committed by the run that stopped (resume)
    }
    if (!inserted) {
      problem({ProblemKind::kDuplicateId, doc.where,
               "document id \"" + doc.doc_id + "\" is already used by " + it->second.where + "; not indexed"});
      return true;
    }
    if (!owns(options_.shard, doc.doc_id)) return true;  // another shard's (partition.h)
    const std::vector<Span> spans = segment(doc.text, doc.body_begin, options_.segment);
    if (spans.empty()) {
      owners_.erase(it);
      problem({ProblemKind::kNoText, doc.where, "no text to index (only a header or whitespace)"});
      return true;
    }
    if (!doc.date.empty() && !normalize_date(doc.date)) {
      if (summary_.dates_not_understood++ == 0) summary_.date_example = doc.where + ": '" + doc.date + "'";
    }
    const PassageCounts counts = writer_->add(doc, spans);
    docs_.push_back({doc.doc_id, static_cast<uint32_t>(counts.total())});
    if (!doc.encoding.empty()) encoding_ = doc.encoding;
    ++documents_;
    passages_ += counts.total();
    ++summary_.documents;
    summary_.passages += counts.total();
    summary_.passages_ko += counts.ko;
    summary_.passages_en += counts.en;
    summary_.passages_mixed += counts.mixed;
    if (writer_->batch_full()) {
      // A commit inside the file: the entry says what is in the index so far.
      write_entry(FileStatus::kIncomplete);
      writer_->commit();
    }
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

  void content(uint64_t hash, uint64_t bytes) override {
    hash_ = hash;
    size_ = bytes;
    content_seen_ = true;
  }

 private:
  void report(const Problem& p) {
    if (hooks_.problem) hooks_.problem(p);
  }

  void write_entry(FileStatus status) {
    FileEntry e;
    e.root = file_->root;
    e.rel = file_->rel;
    e.size = size_;
    e.mtime_ns = file_->mtime_ns;
    e.hash = hash_;
    e.analyzer = schema::analyzer_id();
    e.status = status;
    e.encoding = encoding_;
    e.problem_count = problem_count_;
    const std::string path = file_->path.string();
    for (const Problem& p : shown_) {
      StoredProblem sp;
      sp.at = p.where.starts_with(path) ? p.where.substr(path.size()) : "";
      sp.reason = p.reason;
      e.problems.push_back(std::move(sp));
    }
    e.docs = docs_;
    const std::string value = serialize_entry(e);
    writer_->set_entry(key_, &value);
  }

  void finish_file() {
    const std::string path = file_->path.string();
    shown_.clear();
    if (problem_count_ > 0) {
      ++summary_.files_failed;
      summary_.problems += problem_count_;
      if (documents_ == 0 && problem_count_ > 1 && no_text_count_ == problem_count_) {
        // Typically a manifest or a file whose text field has another name:
        // one line says it all.
        shown_.push_back({ProblemKind::kNoText, path,
                          "none of its " + std::to_string(problem_count_) + " lines has text: " +
                              problems_.front().reason});
      } else {
        shown_ = problems_;
        if (problem_count_ > problems_.size())
          shown_.push_back({ProblemKind::kTooMany, path,
                            std::to_string(problem_count_ - problems_.size()) + " more errors not shown"});
      }
      for (const Problem& p : shown_) report(p);
    }
    if (stopped_) {
      if (had_old_ || !docs_.empty()) write_entry(FileStatus::kIncomplete);
    } else {
      write_entry(problem_count_ > 0 ? FileStatus::kFailed : FileStatus::kOk);
    }
    if (documents_ > 0) ++summary_.files;
    summary_.bytes_read += file_->size;
    if (options_.verbose && hooks_.note)
      hooks_.note(path + ": " + plural(documents_, "document") + ", " + plural(passages_, "passage") +
                  (encoding_.empty() ? "" : " (converted from " + encoding_ + ")"));
  }

  const IndexerOptions& options_;
  const RunHooks& hooks_;
  IndexWriter* writer_;
  IndexSummary& summary_;
  Owners& owners_;
  ProgressInfo& progress_;
  Clock::time_point start_;

  const WalkedFile* file_ = nullptr;
  std::string key_;
  bool had_old_ = false;
  uint64_t hash_ = 0;
  uint64_t size_ = 0;
  bool content_seen_ = false;
  uint64_t file_base_ = 0;
  uint64_t documents_ = 0;
  uint64_t passages_ = 0;
  std::vector<Problem> problems_;
  std::unordered_set<std::string> committed_;  // documents kept from the incomplete entry (resume)
  std::vector<Problem> shown_;
  std::vector<DocEntry> docs_;
  std::string encoding_;
  size_t problem_count_ = 0;
  size_t no_text_count_ = 0;
  bool stopped_ = false;
};

// What to do with one file.
enum class Action { kAdd, kChange, kUnchanged, kTouch, kStillFailed, kRename };

struct Step {
  Action action = Action::kAdd;
  const WalkedFile* file = nullptr;
  std::string key;
  const FileEntry* old = nullptr;  // its entry (kRename: the entry of the old path)
  std::string old_key;             // kRename: the old path's key
  uint64_t hash = 0;
  uint64_t size = 0;
  bool hashed = false;
};

struct Plan {
  std::vector<Step> steps;                     // walk order
  std::vector<std::string> removals;           // keys of entries whose file is gone
  /// Files already indexed under another root, with that root and path:
  /// one file keeps one identity (steps point into this list).
  std::deque<WalkedFile> known_elsewhere;
  /// "ROOT is inside ROOT2, already indexed: ..." for each overlapping root.
  std::vector<std::string> overlaps;
};

std::string extension_of(std::string_view rel) {
  const size_t slash = rel.rfind('/');
  const size_t dot = rel.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string ext(rel.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Whether the entry's file was within reach of this walk (so its absence means it is gone).
bool in_scope(const FileEntry& e, const WalkResult& walk) {
  for (const auto& [root, rel] : walk.file_inputs)
    if (root == e.root && rel == e.rel) return true;
  bool under = false;
  for (const std::string& r : walk.dir_roots)
    if (r == e.root) under = true;
  if (!under) return false;
  for (const auto& [root, prefix] : walk.unlisted)
    if (root == e.root && (e.rel.starts_with(prefix) || e.rel == prefix)) return false;
  return true;
}

// The file's real path (symbolic links and "..", "." resolved), or its path when that fails.
std::string real_path(const fs::path& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal().string() : p.string();
}

Plan make_plan(const WalkResult& walk, const std::map<std::string, FileEntry>& manifest,
               const IndexerOptions& options) {
  Plan plan;
  std::set<std::string> seen;
  // Real path -> key of each entry, built when a walked file is not found by its key.
  std::optional<std::map<std::string, std::string>> by_real_path;
  std::set<std::pair<std::string, std::string>> overlaps;
  for (const WalkedFile& walked : walk.files) {
    Step s;
    s.file = &walked;
    s.key = file_key(walked.root, walked.rel);
    if (!manifest.count(s.key) && !manifest.empty()) {
      // The same file indexed under another root (docs/ then docs/corpus/):
      // it keeps the root and path it has in the index.
      if (!by_real_path) {
        by_real_path.emplace();
        for (const auto& [key, e] : manifest) by_real_path->emplace(real_path(fs::path(e.root) / e.rel), key);
      }
      const auto known = by_real_path->find(real_path(walked.path));
      if (known != by_real_path->end() && !seen.count(known->second)) {
        const FileEntry& e = manifest.at(known->second);
        if (e.root != walked.root) overlaps.emplace(walked.root, e.root);
        WalkedFile& f = plan.known_elsewhere.emplace_back(walked);
        f.root = e.root;
        f.rel = e.rel;
        s.file = &f;
        s.key = known->second;
      }
    }
    const WalkedFile& f = *s.file;
    seen.insert(s.key);
    auto it = manifest.find(s.key);
    if (it != manifest.end()) {
      const FileEntry& e = it->second;
      s.old = &e;
      s.hashed = hash_file(f.path, &s.hash, &s.size);
      if (!s.hashed || e.status == FileStatus::kIncomplete || e.analyzer != schema::analyzer_id() ||
          s.hash != e.hash || s.size != e.size) {
        s.action = Action::kChange;
      } else if (e.status == FileStatus::kFailed) {
        s.action = options.retry_failed ? Action::kChange : Action::kStillFailed;
      } else {
        s.action = e.mtime_ns == f.mtime_ns ? Action::kUnchanged : Action::kTouch;
      }
    }
    plan.steps.push_back(std::move(s));
  }
  // Entries whose file is gone; by content, for rename matching.
  std::multimap<std::pair<uint64_t, uint64_t>, std::string> gone;
  for (const auto& [key, e] : manifest) {
    if (seen.count(key) || !in_scope(e, walk)) continue;
    gone.emplace(std::pair(e.hash, e.size), key);
  }
  if (!gone.empty()) {
    for (Step& s : plan.steps) {
      if (s.old) continue;
      s.hashed = hash_file(s.file->path, &s.hash, &s.size);
      if (!s.hashed) continue;
      auto [lo, hi] = gone.equal_range({s.hash, s.size});
      for (auto it = lo; it != hi; ++it) {
        const FileEntry& e = manifest.at(it->second);
        if (e.status == FileStatus::kIncomplete || e.analyzer != schema::analyzer_id() ||
            extension_of(e.rel) != extension_of(s.file->rel))
          continue;
        s.action = Action::kRename;
        s.old = &e;
        s.old_key = it->second;
        gone.erase(it);
        break;
      }
    }
  }
  for (const auto& [content, key] : gone) plan.removals.push_back(key);
  for (const auto& [root, indexed] : overlaps)
    plan.overlaps.push_back(root + " overlaps " + indexed + ", already indexed: its files keep their paths under " +
                            indexed + " (one file, one entry)");
  return plan;
}

// The id a document of a renamed file gets: its relative path (.txt/.md),
// or "<rel>:<line>" for a JSONL line without an id; other ids are kept.
std::string renamed_id(const std::string& id, const std::string& old_rel, const std::string& new_rel) {
  if (id == old_rel) return new_rel;
  if (id.size() > old_rel.size() + 1 && id.starts_with(old_rel) && id[old_rel.size()] == ':') {
    const std::string_view line = std::string_view(id).substr(old_rel.size() + 1);
    if (line.find_first_not_of("0123456789") == std::string_view::npos) return new_rel + ":" + std::string(line);
  }
  return id;
}

// Updates (or builds) the database at @p target from @p walk. @p fresh: the
// target is a new, empty database (a rebuild).
IndexSummary update(const IndexerOptions& options, const WalkResult& walk, const fs::path& target, bool fresh,
                    const RunHooks& hooks, IndexSummary summary, Clock::time_point start) {
  auto say = [&](const std::string& what) {
    if (hooks.action) hooks.action(what);
  };

  // A dry run reads the manifest of an existing index and writes nothing.
  std::optional<IndexWriter> writer;
  std::map<std::string, FileEntry> manifest;
  if (options.dry_run) {
    std::error_code ec;
    if (!fresh && fs::exists(options.db, ec)) {
      try {
        Xapian::Database db(options.db.string());
        summary.updated = has_manifest(db);
        manifest = load_manifest(db);
      } catch (const Xapian::Error& e) {
        throw FatalError(options.db.string() + ": cannot open index: " + e.get_description());
      }
    }
  } else {
    WriterOptions wo;
    wo.batch_passages = options.batch_passages;
    wo.memory_budget = options.memory_budget;
    wo.fresh = fresh;
    wo.threads = fresh && options.compact ? options.threads : 1;
    wo.roots = walk.roots;
    if (options.shard) wo.shard = options.shard->text();
    writer.emplace(target, wo);
    if (!fresh) remove_stale_generations(target);  // left by a killed rebuild; we hold the lock
    try {
      summary.updated = has_manifest(writer->database());
      manifest = load_manifest(writer->database());
    } catch (const Xapian::Error& e) {
      throw FatalError(options.db.string() + ": cannot read the manifest: " + e.get_description());
    }
  }

  const Plan plan = make_plan(walk, manifest, options);
  if (hooks.notice)
    for (const std::string& o : plan.overlaps) hooks.notice(o);
  Owners owners;
  for (const auto& [key, e] : manifest)
    for (const DocEntry& d : e.docs) owners.try_emplace(d.id, Owner{key, e.path()});

  // Removals first, so their ids are free for the files that follow.
  for (const std::string& key : plan.removals) {
    const FileEntry& e = manifest.at(key);
    say("remove " + e.path());
    ++summary.files_removed;
    if (options.dry_run) continue;
    for (const DocEntry& d : e.docs) {
      owners.erase(d.id);
      writer->remove_document(d.id);
    }
    writer->set_entry(key, nullptr);
    if (writer->batch_full()) writer->commit();
  }

  ProgressInfo progress;
  for (const Step& s : plan.steps) {
    if (s.action == Action::kAdd || s.action == Action::kChange) {
      ++progress.files_total;
      progress.bytes_total += s.file->size;
    }
  }
  std::set<std::string> gone_roots;
  FileIndexer indexer(options, hooks, writer ? &*writer : nullptr, summary, owners, progress, start);
  for (const Step& s : plan.steps) {
    if (hooks.stop_requested && hooks.stop_requested()) {
      summary.interrupted = true;
      break;
    }
    const std::string path = s.file->path.string();
    if ((s.action == Action::kUnchanged || s.action == Action::kTouch) && options.verbose && hooks.note)
      hooks.note(path + ": " + plural(s.old->docs.size(), "document") + ", " + plural(s.old->passages(), "passage") +
                 " (unchanged)");
    switch (s.action) {
      case Action::kUnchanged:
        ++summary.files_unchanged;
        continue;
      case Action::kTouch: {
        ++summary.files_unchanged;
        if (options.dry_run) continue;
        FileEntry e = *s.old;
        e.mtime_ns = s.file->mtime_ns;
        const std::string value = serialize_entry(e);
        writer->set_entry(s.key, &value);
        continue;
      }
      case Action::kStillFailed: {
        // Not a failure of this run: counted apart, summarised, shown with --verbose.
        ++summary.files_still_failed;
        say("failed " + path + " (unchanged since it failed)");
        if (!options.dry_run && s.old->mtime_ns != s.file->mtime_ns) {  // touched: record the new mtime
          FileEntry e = *s.old;
          e.mtime_ns = s.file->mtime_ns;
          const std::string value = serialize_entry(e);
          writer->set_entry(s.key, &value);
        }
        if (options.dry_run || !options.verbose || !hooks.note) continue;
        const std::string note = " (unchanged since it failed; not retried)";
        if (s.old->problems.empty()) {
          hooks.note(path + ": failed before" + note);
        } else {
          for (const StoredProblem& p : s.old->problems) hooks.note(path + p.at + ": " + p.reason + note);
        }
        continue;
      }
      case Action::kRename: {
        // Every id must stay free of other files' ids, else index it anew.
        std::vector<std::pair<std::string, std::string>> ids;
        bool clash = false;
        for (const DocEntry& d : s.old->docs) {
          const std::string to = renamed_id(d.id, s.old->rel, s.file->rel);
          auto it = owners.find(to);
          if (to != d.id && it != owners.end() && it->second.key != s.old_key) clash = true;
          ids.emplace_back(d.id, to);
        }
        if (!clash) {
          say("rename " + s.old->path() + " -> " + path);
          ++summary.files_renamed;
          if (s.old->status == FileStatus::kFailed) {  // the same content: not a new failure
            ++summary.files_still_failed;
            if (hooks.note && options.verbose && !options.dry_run)
              for (const StoredProblem& p : s.old->problems)
                hooks.note(path + p.at + ": " + p.reason + " (renamed, unchanged; not retried)");
          }
          if (options.dry_run) continue;
          FileEntry e = *s.old;
          e.root = s.file->root;
          e.rel = s.file->rel;
          e.mtime_ns = s.file->mtime_ns;
          for (size_t i = 0; i < e.docs.size(); ++i) {
            owners.erase(ids[i].first);
            writer->rename_document(ids[i].first, ids[i].second, path, s.file->rel);
            e.docs[i].id = ids[i].second;
            owners[ids[i].second] = Owner{s.key, path};
          }
          const std::string value = serialize_entry(e);
          writer->set_entry(s.old_key, nullptr);
          writer->set_entry(s.key, &value);
          if (writer->batch_full()) writer->commit();
          continue;
        }
        // The old path's entry goes; the file is indexed as new.
        say("remove " + s.old->path());
        ++summary.files_removed;
        if (!options.dry_run) {
          for (const DocEntry& d : s.old->docs) {
            owners.erase(d.id);
            writer->remove_document(d.id);
          }
          writer->set_entry(s.old_key, nullptr);
        }
        say("add " + path);
        ++summary.files_added;
        if (options.dry_run) continue;
        indexer.read(*s.file, s.key, nullptr, s.hash, s.size);
        break;
      }
      case Action::kAdd:
      case Action::kChange: {
        // A root or file that vanished since the walk: nothing is marked
        // failed for it (the next run sees what is there then).
        std::error_code ec;
        if (!fs::is_directory(s.file->root, ec)) {
          if (gone_roots.insert(s.file->root).second) {
            ++summary.problems;
            ++summary.files_failed;
            if (hooks.problem)
              hooks.problem({ProblemKind::kMissing, s.file->root,
                             "disappeared during the run; its remaining files were left as they were"});
          }
          continue;
        }
        if (!fs::exists(fs::symlink_status(s.file->path, ec))) {
          ++summary.problems;
          ++summary.files_failed;
          if (hooks.problem)
            hooks.problem({ProblemKind::kMissing, path,
                           "disappeared during the run; " +
                               std::string(s.old ? "its passages are removed" : "not indexed")});
          if (s.old && !options.dry_run) {
            for (const DocEntry& d : s.old->docs) {
              owners.erase(d.id);
              writer->remove_document(d.id);
            }
            writer->set_entry(s.key, nullptr);
          }
          continue;
        }
        // The same content as an incomplete entry: resumed where it stopped.
        const bool resume = s.old && s.old->status == FileStatus::kIncomplete && s.hashed &&
                            s.old->analyzer == schema::analyzer_id() && s.hash == s.old->hash &&
                            s.size == s.old->size && !s.old->docs.empty();
        say((s.action == Action::kAdd ? "add " : resume ? "resume " : "change ") + path);
        ++(s.action == Action::kAdd ? summary.files_added : summary.files_changed);
        if (options.dry_run) continue;
        indexer.read(*s.file, s.key, s.old, s.hash, s.size, resume);
        break;
      }
    }
    ++progress.files_done;
    if (indexer.stopped()) {
      summary.interrupted = true;
      break;
    }
    if (writer->batch_full()) writer->commit();
    if (hooks.progress) {
      progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      hooks.progress(progress);
    }
  }
  // The second writer's documents are read beside the index from here on
  // (the glossary and cross-language passes see them); close() merges them.
  if (writer)
    if (const uint64_t n = writer->finish_shards(); n > 0)
      say("merge " + std::to_string(n) + " passages written by the second writer");
  if (writer && !summary.interrupted && !(hooks.stop_requested && hooks.stop_requested())) {
    const GlossarySummary g = update_glossaries(
        *writer, options.glossaries,
        [&](const Problem& p) {
          ++summary.problems;
          if (hooks.problem) hooks.problem(p);
        },
        [&](const std::string& line) {
          if (hooks.notice && !options.quiet) hooks.notice(line);
        });
    summary.glossaries = g.files;
    const CrosslangSummary c = update_crosslang(*writer, options.lexicon, say);
    summary.aligned_groups = c.groups;
    summary.lexicon_pairs = c.pairs;
    summary.lexicon_size = c.translations;
    summary.lexicon_relearned = c.relearned;
  }
  if (writer) {
    writer->close();
    summary.compacted = writer->compacted();
    summary.changed = writer->changed();
  }
  return summary;
}

// Records @p dir's size and passages as of its last compaction
// (merge_policy.h) in its metadata.
void record_compacted(const fs::path& dir) {
  try {
    const uint64_t bytes = directory_size(dir);
    Xapian::WritableDatabase w(dir.string(), Xapian::DB_OPEN);
    w.set_metadata(schema::kMetaCompacted, serialize_compacted({bytes, w.get_doccount()}));
    w.commit();
    w.close();
  } catch (const Xapian::Error& e) {
    throw FatalError(dir.string() + ": cannot record the compacted size: " + e.get_description());
  }
}

// The merge policy after an update of @p db (merge_policy.h): compacts it
// into a new generation, swapped in, when it has grown enough. Holds the
// index's write lock meanwhile. A run that changed nothing compacts only an
// index whose size was never recorded (a first build killed after its last
// commit, before it was compacted).
void compact_if_grown(const IndexerOptions& options, const RunHooks& hooks, IndexSummary& summary) {
  std::optional<Xapian::WritableDatabase> lock;
  try {
    lock.emplace(options.db.string(), Xapian::DB_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    return;  // another writer came in: it runs the policy itself
  } catch (const Xapian::Error& e) {
    throw FatalError(options.db.string() + ": cannot open index: " + e.get_description());
  }
  const fs::path live = live_database(options.db);
  const uint64_t bytes = directory_size(live);
  const std::optional<CompactedSize> recorded = parse_compacted(lock->get_metadata(schema::kMetaCompacted));
  if ((!summary.changed && recorded) || !should_compact(bytes, lock->get_doccount(), recorded)) {
    lock->close();
    return;
  }
  remove_stale_generations(options.db);
  const fs::path gen = next_generation(options.db);
  if (hooks.action) hooks.action("compact into " + gen.string());
  std::error_code ec;
  try {
    // STANDARD, as compact_in_place (write.cc); the ids are renumbered, so
    // the gaps left by deleted passages go.
    Xapian::Database(live.string()).compact(gen.string(), Xapian::Compactor::STANDARD);
    record_compacted(gen);
  } catch (const Xapian::Error& e) {
    fs::remove_all(gen, ec);
    throw FatalError(options.db.string() + ": cannot compact into " + gen.string() + ": " + e.get_description());
  } catch (...) {
    fs::remove_all(gen, ec);
    throw;
  }
  swap_in(options.db, gen);
  try {
    lock->close();
  } catch (const Xapian::Error&) {
  }
  summary.update_compacted = true;
  summary.bytes_before_compaction = bytes;
}

// Why @p db must be rebuilt, when the run covers every file of its manifest
// (so re-indexing them all is a full rebuild of the same content): its
// analyzer or schema differs from this build's. "" otherwise (a run that
// does not cover it fails in the writer, which names the way out).
std::string rebuild_reason(const fs::path& db, const WalkResult& walk) {
  std::error_code ec;
  if (!fs::exists(db, ec)) return "";
  try {
    Xapian::Database x(db.string());
    const std::string have = x.get_metadata(schema::kMetaAnalyzer);
    const std::string schema_have = x.get_metadata(schema::kMetaSchema);
    const std::string schema_want = std::to_string(schema::kSchemaVersion);
    const bool analyzer_differs = !have.empty() && have != schema::analyzer_id();
    const bool schema_differs = !have.empty() && !schema_have.empty() && schema_have != schema_want;
    if (!analyzer_differs && !schema_differs) return "";
    const auto manifest = load_manifest(x);
    if (manifest.empty() && x.get_doccount() > 0) return "";
    for (const auto& [key, e] : manifest)
      if (!in_scope(e, walk)) return "";
    if (analyzer_differs) return "index was built by analyzer " + have + ", this is " + schema::analyzer_id();
    return "index was built by schema version " + schema_have + ", this is " + schema_want;
  } catch (const Xapian::Error&) {
    return "";  // the writer reports it
  }
}

// Refuses a run whose --shard differs from the one @p options.db was built with.
void check_index_shard(const IndexerOptions& options) {
  std::string recorded;
  Xapian::doccount docs = 0;
  try {
    Xapian::Database x(options.db.string());
    recorded = x.get_metadata(schema::kMetaShard);
    docs = x.get_doccount();
  } catch (const Xapian::Error&) {
    return;  // the writer reports it
  }
  if (const std::string why = check_shard(options.shard, recorded, docs); !why.empty())
    throw FatalError(options.db.string() + ": " + why);
}

}  // namespace

IndexSummary run(const IndexerOptions& options, const RunHooks& hooks) {
  const Clock::time_point start = Clock::now();
  IndexSummary summary;
  summary.dry_run = options.dry_run;

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

  std::error_code ec;
  const bool exists = fs::exists(options.db, ec);
  if (exists) check_index_shard(options);
  // --shard: the files of other shards are not even read (a .jsonl is: each
  // of its documents has its own owner).
  if (options.shard)
    std::erase_if(walk.files, [&](const WalkedFile& f) {
      return f.format != Format::kJsonl && !owns(options.shard, f.rel);
    });
  bool rebuild = options.rebuild && exists;
  const std::string why_rebuild = rebuild_reason(options.db, walk);
  if (!why_rebuild.empty()) {
    rebuild = exists;
    if (hooks.notice)
      hooks.notice(options.db.string() + ": " + why_rebuild + ": re-indexing everything into a new generation");
  }
  if (!rebuild && !exists && options.threads > 1 && options.compact && !options.dry_run) {
    // A first build with two writers: into DB.building, renamed when done
    // (shard.h). One left by a killed build is started over.
    const fs::path building = options.db.string() + ".building";
    if (fs::exists(building, ec)) {
      try {
        Xapian::WritableDatabase(building.string(), Xapian::DB_OPEN).close();
      } catch (const Xapian::DatabaseLockError&) {
        throw FatalError(options.db.string() + ": index is being built by another process (" + building.string() +
                         " is locked)");
      } catch (const Xapian::Error&) {
      }
      fs::remove_all(building, ec);
      if (hooks.notice) hooks.notice(building.string() + ": left by an interrupted first build; starting over");
    }
    try {
      summary = update(options, walk, building, true, hooks, summary, start);
    } catch (...) {
      fs::remove_all(building, ec);
      throw;
    }
    if (!summary.interrupted && summary.passages > 0) {
      if (!summary.compacted) compact_in_place(building);
      record_compacted(building);
    }
    fs::rename(building, options.db, ec);
    if (ec) throw FatalError(options.db.string() + ": cannot move the new index in from " + building.string() + ": " + ec.message());
  } else if (!rebuild) {
    summary = update(options, walk, options.db, !exists, hooks, summary, start);
    if (!exists && options.compact && !options.dry_run && !summary.interrupted && summary.passages > 0) {
      compact_in_place(options.db);
      record_compacted(options.db);
    } else if (exists && options.compact && !options.dry_run && !summary.interrupted) {
      compact_if_grown(options, hooks, summary);
    }
  } else if (options.dry_run) {
    if (hooks.action) hooks.action("rebuild " + options.db.string());
    summary = update(options, walk, options.db, true, hooks, summary, start);
  } else {
    // Hold the live index's lock for the whole rebuild: no update can slip
    // in and be lost by the swap.
    std::optional<Xapian::WritableDatabase> lock;
    try {
      lock.emplace(open_existing(options.db.string()));
    } catch (const Xapian::DatabaseLockError&) {
      throw FatalError(options.db.string() + ": index is being updated by another process (lock held)");
    } catch (const Xapian::Error& e) {
      throw FatalError(options.db.string() + ": cannot open index: " + e.get_description());
    }
    remove_stale_generations(options.db);
    const fs::path gen = next_generation(options.db);
    if (hooks.action) hooks.action("rebuild into " + gen.string());
    try {
      summary = update(options, walk, gen, true, hooks, summary, start);
    } catch (...) {
      fs::remove_all(gen, ec);
      throw;
    }
    if (summary.interrupted) {
      fs::remove_all(gen, ec);  // nothing changed; the old index stays live
    } else {
      try {
        if (options.compact && !summary.compacted) compact_in_place(gen);
        if (options.compact) record_compacted(gen);
      } catch (...) {
        fs::remove_all(gen, ec);
        throw;
      }
      swap_in(options.db, gen);
      summary.rebuilt = true;
    }
    try {
      lock->close();
    } catch (const Xapian::Error&) {
    }
  }
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.index_bytes = directory_size(options.db);
  return summary;
}

std::string format_crosslang(const IndexSummary& s) {
  if (!s.lexicon_relearned || (s.aligned_groups == 0 && s.glossaries == 0)) return "";
  return "cross-language: " + plural(s.aligned_groups, "aligned group") + "; lexicon of " +
         plural(s.lexicon_size, "translation") + " from " + plural(s.lexicon_pairs, "sentence pair") +
         (s.glossaries ? "; " + plural(s.glossaries, "glossary file") : "");
}

std::string format_changes(const IndexSummary& s) {
  std::string out = s.dry_run ? "would change files: " : "files: ";
  out += std::to_string(s.files_added) + " added, " + std::to_string(s.files_changed) + " changed, " +
         std::to_string(s.files_removed) + " removed, " + std::to_string(s.files_renamed) + " renamed, " +
         std::to_string(s.files_unchanged) + " unchanged, " + std::to_string(s.files_failed) + " failed";
  if (s.files_still_failed > 0) out += ", " + std::to_string(s.files_still_failed) + " still not indexable";
  return out;
}

std::string format_compaction(const IndexSummary& s) {
  if (!s.update_compacted) return "";
  char growth[32];
  snprintf(growth, sizeof growth, "%.1fx", kMaxGrowth);
  return "compacted: " + format_size(s.bytes_before_compaction) + " -> " + format_size(s.index_bytes) +
         " (grown past " + growth + " its size when last compacted)";
}

std::string format_still_failed(const IndexSummary& s, const std::string& db) {
  if (s.files_still_failed == 0) return "";
  return plural(s.files_still_failed, "file") + " still not indexable (unchanged since they failed; not retried); see "
         "bisearch-index --db " + db + " status";
}

std::string format_status(const fs::path& db) {
  std::map<std::string, FileEntry> manifest;
  std::string analyzer;
  size_t unreadable = 0;
  Xapian::doccount passages = 0;
  uint64_t digest = 0;
  try {
    Xapian::Database x(db.string());
    manifest = load_manifest(x, &unreadable);
    analyzer = x.get_metadata(schema::kMetaAnalyzer);
    for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
      ++passages;
      // The digest of the plain record: indexes of the same passages agree
      // whatever dictionary compressed them (record_codec.h).
      const std::string data = schema::stored_record(x.get_document(*it));
      const auto record = schema::deserialize(data, x);
      digest += content_hash(record ? schema::serialize(*record) : data);
    }
  } catch (const Xapian::Error& e) {
    throw FatalError(db.string() + ": cannot open index: " + e.get_description());
  }
  std::vector<const FileEntry*> entries;
  for (const auto& [key, e] : manifest) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(),
            [](const FileEntry* a, const FileEntry* b) { return std::tie(a->root, a->rel) < std::tie(b->root, b->rel); });
  std::string out;
  uint64_t ok = 0, failed = 0, incomplete = 0, listed = 0;
  for (const FileEntry* e : entries) {
    char line[64];
    snprintf(line, sizeof line, "%-10s %6llu passages  ", std::string(status_name(e->status)).c_str(),
             static_cast<unsigned long long>(e->passages()));
    out += line + e->path();
    if (!e->encoding.empty()) out += " (converted from " + e->encoding + ")";
    out += '\n';
    for (const StoredProblem& p : e->problems) out += "    " + e->rel + p.at + ": " + p.reason + '\n';
    listed += e->passages();
    if (e->status == FileStatus::kOk) ++ok;
    if (e->status == FileStatus::kFailed) ++failed;
    if (e->status == FileStatus::kIncomplete) ++incomplete;
  }
  out += plural(entries.size(), "file") + ": " + std::to_string(ok) + " ok, " + std::to_string(failed) + " failed, " +
         std::to_string(incomplete) + " incomplete; " + plural(listed, "passage") + " listed, " +
         std::to_string(passages) + " in the index; analyzer " + (analyzer.empty() ? "(none)" : analyzer);
  if (unreadable > 0) out += "; " + std::to_string(unreadable) + " unreadable manifest entries";
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
  out += std::string("\npassage digest ") + hex + '\n';
  return out;
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
  if (s.dates_not_understood > 0)
    out += "; " + plural(s.dates_not_understood, "date") + " not understood, e.g. " + s.date_example;
  return out;
}

int exit_code(const IndexSummary& s) {
  if (s.interrupted) return 130;
  return s.problems > 0 ? 1 : 0;
}

}  // namespace bisearch::indexer
