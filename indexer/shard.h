/** @file shard.h
 *  @brief A second writer thread for fresh builds: documents offered to it go
 *  into a shard database that is merged into the main one at the end.
 *
 *  Xapian's writer (its in-memory change maps, B-tree updates and zlib) is
 *  most of an indexing run's CPU time, and one WritableDatabase is written
 *  by one thread. A fresh build (a new index or a rebuild generation, write.h)
 *  can use a second core: the indexer thread reads, segments and detects
 *  languages for every document, and hands whole documents to a ShardWriter
 *  while its queue has room; the shard thread analyzes them and writes them
 *  into its own database. IndexWriter::finish_shards() then reads the shard
 *  beside the main database (the cross-language pass sees both), and
 *  IndexWriter::close() merges the two with Xapian's compactor, which is
 *  also the build's compaction.
 *
 *  The shard lives in a sub-directory of the database being built, so it
 *  goes wherever that goes: a killed build leaves both behind together (a
 *  first build's ".building" directory and a rebuild's generation are
 *  removed by the next run, indexer.cc). Its documents are never listed in
 *  the manifest before the merge, because a fresh build's database only
 *  becomes the live index after it.
 */
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analysis/record_codec.h"
#include "indexer/extract.h"
#include "indexer/segment.h"

namespace bisearch::indexer {

class ShardWriter {
 public:
  /// Creates the shard database in @p dir (which must not exist) and starts
  /// its thread. It commits after @p batch_passages passages, or once the
  /// open batch's estimated memory (write.h kMemoryPerTextByte) reaches
  /// @p memory_bytes (0: no limit). Throws FatalError naming @p dir.
  ShardWriter(const std::filesystem::path& dir, size_t batch_passages, uint64_t memory_bytes);
  /// Stops the thread; queued documents are dropped (the build failed or
  /// was abandoned).
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  /// Queues @p doc's passages @p spans (languages @p langs) for the shard
  /// when the queue has room; false when it is full (the caller writes the
  /// document itself). Throws FatalError when the shard thread has failed.
  bool offer(const Document& doc, const std::vector<Span>& spans, const std::vector<std::string>& langs);

  /// Writes everything queued, commits and closes the shard database, and
  /// joins the thread. Throws FatalError when the shard thread failed.
  void finish();

  const std::filesystem::path& dir() const { return dir_; }

  /// The record codec for the documents offered from now on (set before the
  /// first offer; nullptr: plain records).
  void set_codec(std::shared_ptr<const schema::RecordCodec> codec);

 private:
  struct Job {
    Document doc;
    std::vector<Span> spans;
    std::vector<std::string> langs;
    size_t bytes = 0;
  };
  void run();
  void fail_if_failed();

  std::filesystem::path dir_;
  size_t batch_passages_;
  uint64_t memory_bytes_;
  Xapian::WritableDatabase db_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  size_t queued_bytes_ = 0;
  bool closing_ = false;    // finish(): write what is queued, then stop
  bool abandon_ = false;    // destructor: stop now
  std::string error_;       // set by the thread when it fails
  std::shared_ptr<const schema::RecordCodec> codec_;  // under mutex_
  std::thread thread_;
};

}  // namespace bisearch::indexer
