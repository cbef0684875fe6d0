// shard.cc: the second writer thread of a fresh build and its queue.
#include "indexer/shard.h"

#include "analysis/analyzer.h"
#include "indexer/errors.h"
#include "indexer/write.h"

namespace bisearch::indexer {
namespace {

// The queue holds at most this much text: enough to keep the thread busy
// while the indexer reads the next documents, and little left for it to
// write once the indexer has read everything (with 4 MiB / 256 documents
// the 1,500-speech build took 2.0-2.4 s, with 1 MiB / 64 2.0-2.05 s, with
// 256 KiB / 16 2.1-2.2 s).
constexpr size_t kMaxQueuedBytes = 1u << 20;
constexpr size_t kMaxQueuedDocuments = 64;

}  // namespace

ShardWriter::ShardWriter(const std::filesystem::path& dir, size_t batch_passages, uint64_t memory_bytes)
    : dir_(dir), batch_passages_(batch_passages), memory_bytes_(memory_bytes) {
  try {
    db_ = Xapian::WritableDatabase(dir_.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
  } catch (const Xapian::Error& e) {
    throw FatalError(dir_.string() + ": cannot create the second writer's database: " + e.get_description());
  }
  thread_ = std::thread([this] { run(); });
}

ShardWriter::~ShardWriter() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      abandon_ = true;
    }
    ready_.notify_all();
    thread_.join();
  }
  try {
    db_.close();
  } catch (...) {
  }
}

void ShardWriter::fail_if_failed() {
  if (!error_.empty()) throw FatalError(dir_.string() + ": " + error_);
}

void ShardWriter::set_codec(std::shared_ptr<const schema::RecordCodec> codec) {
  std::lock_guard<std::mutex> lock(mutex_);
  codec_ = std::move(codec);
}

bool ShardWriter::offer(const Document& doc, const std::vector<Span>& spans, const std::vector<std::string>& langs) {
  size_t bytes = 0;
  for (const Span& s : spans) bytes += s.size() + doc.title.size();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_if_failed();
    if (queue_.size() >= kMaxQueuedDocuments || (queued_bytes_ > 0 && queued_bytes_ + bytes > kMaxQueuedBytes))
      return false;
    queue_.push_back(Job{doc, spans, langs, bytes});
    queued_bytes_ += bytes;
  }
  ready_.notify_one();
  return true;
}

void ShardWriter::run() {
  size_t pending = 0;
  uint64_t pending_bytes = 0;
  for (;;) {
    Job job;
    std::shared_ptr<const schema::RecordCodec> codec;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return abandon_ || closing_ || !queue_.empty(); });
      if (abandon_ || queue_.empty()) break;  // closing with nothing left
      job = std::move(queue_.front());
      codec = codec_;
      queue_.pop_front();
      queued_bytes_ -= job.bytes;
    }
    try {
      const std::vector<analysis::Token> title = title_tokens(job.doc.title);
      for (size_t i = 0; i < job.spans.size(); ++i)
        db_.add_document(
            passage_document(job.doc, static_cast<uint32_t>(i), job.spans[i], job.langs[i], title, codec.get()));
      pending += job.spans.size();
      pending_bytes += job.bytes;
      // The main writer keeps the other half of the memory budget.
      if (pending >= batch_passages_ || (memory_bytes_ > 0 && pending_bytes * kMemoryPerTextByte >= memory_bytes_ / 2)) {
        db_.commit();
        pending = 0;
        pending_bytes = 0;
      }
    } catch (const Xapian::Error& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = "cannot write the second writer's database: " + e.get_description();
      return;
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::string("second writer failed: ") + e.what();
      return;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (abandon_) return;
  try {
    db_.commit();
    db_.close();
  } catch (const Xapian::Error& e) {
    error_ = "cannot commit the second writer's database: " + e.get_description();
  }
}

void ShardWriter::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  ready_.notify_all();
  if (thread_.joinable()) thread_.join();
  fail_if_failed();
}

}  // namespace bisearch::indexer
