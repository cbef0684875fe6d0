/** @file index_watch.h
 *  @brief Notices when the index changes (a commit, or a --rebuild swapped in) and describes it for /api/status.
 *
 *  A background thread opens the index every `period` and compares its
 *  UUID and revision (a commit raises the revision; a rebuild swapped in by
 *  bisearch-index, indexer/generation.h, is a new database with a new
 *  UUID) with the last ones seen. On a change it bumps generation(), which
 *  the worker threads compare with the one their Searcher was opened at
 *  (api.h), and describes the index again (status()). An open that fails
 *  (the instant of a swap) is tried again next period; the old state stays.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bisearch::server {

/// What /api/status reports, and the metadata keys the requests need.
struct IndexState {
  nlohmann::ordered_json status;
  std::vector<std::string> fields;  ///< metadata keys with XF terms (schema kMetaFields)
};

class IndexWatch {
 public:
  /// Describes @p db now. Throws query::SearchError when it cannot be
  /// opened as a bisearch index of this analyzer.
  explicit IndexWatch(std::vector<std::string> dbs, std::chrono::milliseconds period = std::chrono::milliseconds(200));
  ~IndexWatch();

  void start();
  void stop();

  /// Raised on every change seen.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  std::shared_ptr<const IndexState> state() const;
  /// The --db values, ", "-joined (for messages).
  const std::string& name() const { return name_; }

 private:
  void run();
  // Opens the index; true when its UUID/revision differ from the last seen.
  bool check();

  std::vector<std::string> dbs_;
  std::string name_;
  std::chrono::milliseconds period_;
  std::string signature_;
  std::atomic<uint64_t> generation_{1};
  mutable std::mutex mutex_;
  std::shared_ptr<const IndexState> state_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bisearch::server
