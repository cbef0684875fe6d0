// index_watch.cc: polling the index for commits and swaps; the status description.
#include "server/index_watch.h"

#include <xapian.h>

#include <sys/stat.h>

#include <ctime>
#include <filesystem>

#include "analysis/dead.h"
#include "analysis/schema.h"
#include "indexer/generation.h"
#include "indexer/manifest.h"
#include "query/rank.h"

namespace bisearch::server {
namespace fs = std::filesystem;
namespace {

// The modification time of @p file as ISO 8601 UTC; "" when it cannot be read.
std::string mtime_utc(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return "";
  const std::time_t tt = st.st_mtime;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

uint64_t tree_bytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (it->is_regular_file(e2)) total += it->file_size(e2);
  }
  return total;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    if (nl > start) out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

IndexWatch::IndexWatch(std::string db, std::chrono::milliseconds period) : db_(std::move(db)), period_(period) {
  query::SearchOptions o;
  o.dbs = {db_};
  query::Searcher probe(o);  // the same checks a worker's open makes (analyzer, records)
  if (!check()) throw query::SearchError(db_ + ": cannot read the index's description");
}

IndexWatch::~IndexWatch() { stop(); }

void IndexWatch::start() { thread_ = std::thread([this] { run(); }); }

void IndexWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const IndexState> IndexWatch::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void IndexWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (check()) generation_.fetch_add(1, std::memory_order_acq_rel);
    lock.lock();
  }
}

bool IndexWatch::check() {
  try {
    Xapian::Database db(db_);
    const std::string signature = db.get_uuid() + ":" + std::to_string(db.get_revision());
    if (signature == signature_) return false;
    auto state = std::make_shared<IndexState>();
    state->fields = split_lines(db.get_metadata(schema::kMetaFields));
    const auto manifest = indexer::load_manifest(db);
    uint64_t documents = 0, passages = 0;
    for (const auto& [key, file] : manifest) {
      documents += file.docs.size();
      passages += file.passages();
    }
    const fs::path live = indexer::live_database(db_);
    const std::string last_update = mtime_utc(live / "iamglass");
    auto& s = state->status;
    s["type"] = "status";
    s["db"] = db_;
    s["analyzer"] = db.get_metadata(schema::kMetaAnalyzer);
    s["schema"] = db.get_metadata(schema::kMetaSchema);
    s["server_analyzer"] = schema::analyzer_id();
    s["files"] = manifest.size();
    s["documents"] = documents;
    s["passages"] = passages;
    s["stored_passages"] = db.get_doccount();  // live and superseded (analysis/dead.h)
    s["size_bytes"] = tree_bytes(live);
    s["last_update"] = last_update.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(last_update);
    s["revision"] = db.get_revision();
    s["uuid"] = db.get_uuid();
    s["fields"] = state->fields;
    {
      std::lock_guard lock(mutex_);
      state_ = std::move(state);
    }
    signature_ = signature;
    return true;
  } catch (const Xapian::Error&) {
    return false;  // mid-swap or mid-commit: next period
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace bisearch::server
