// index_watch.cc: polling the index for commits and swaps; the status description.
#include "server/index_watch.h"

#include <xapian.h>

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <set>

#include "analysis/schema.h"
#include "indexer/generation.h"
#include "indexer/manifest.h"
#include "query/rank.h"
#include "query/shards.h"

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

IndexWatch::IndexWatch(std::vector<std::string> dbs, std::chrono::milliseconds period)
    : dbs_(std::move(dbs)), period_(period) {
  for (const std::string& db : dbs_) name_ += (name_.empty() ? "" : ", ") + db;
  query::SearchOptions o;
  o.dbs = dbs_;
  query::Searcher probe(o);  // the same checks a worker's open makes (analyzer, records, shards)
  if (!check()) throw query::SearchError(name_ + ": cannot read the index's description");
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
    const std::vector<query::ShardSpec> shards = query::resolve_shards(dbs_);
    std::vector<Xapian::Database> parts;
    std::string signature;
    for (const query::ShardSpec& shard : shards) {
      parts.push_back(query::open_shard(shard));
      const Xapian::Database& db = parts.back();
      signature += db.get_uuid() + ":";
      // Xapian's remote protocol does not tell the revision.
      signature += shard.remote() ? std::to_string(db.get_doccount()) + "/" + std::to_string(db.get_lastdocid())
                                  : std::to_string(db.get_revision());
      signature += ";";
    }
    if (signature == signature_) return false;
    auto state = std::make_shared<IndexState>();
    std::set<std::string> fields;
    uint64_t files = 0, documents = 0, passages = 0, stored = 0, bytes = 0;
    std::string last_update;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (size_t i = 0; i < parts.size(); ++i) {
      const Xapian::Database& db = parts[i];
      for (const std::string& f : split_lines(db.get_metadata(schema::kMetaFields))) fields.insert(f);
      const auto manifest = indexer::load_manifest(db);
      uint64_t shard_documents = 0, shard_passages = 0;
      for (const auto& [key, file] : manifest) {
        shard_documents += file.docs.size();
        shard_passages += file.passages();
      }
      files += manifest.size();
      documents += shard_documents;
      passages += shard_passages;
      stored += db.get_doccount();
      std::string updated;
      if (!shards[i].remote()) {
        const fs::path live = indexer::live_database(shards[i].path);
        updated = mtime_utc(live / "iamglass");
        bytes += tree_bytes(live);
      }
      if (updated > last_update) last_update = updated;
      nlohmann::ordered_json one;
      one["name"] = shards[i].name;
      one["shard"] = db.get_metadata(schema::kMetaShard);
      one["documents"] = shard_documents;
      one["passages"] = shard_passages;
      one["uuid"] = db.get_uuid();
      list.push_back(std::move(one));
    }
    state->fields.assign(fields.begin(), fields.end());
    const Xapian::Database& first = parts[0];
    auto& s = state->status;
    s["type"] = "status";
    s["db"] = name_;
    s["analyzer"] = first.get_metadata(schema::kMetaAnalyzer);
    s["schema"] = first.get_metadata(schema::kMetaSchema);
    s["server_analyzer"] = schema::analyzer_id();
    s["files"] = files;
    s["documents"] = documents;
    s["passages"] = passages;
    s["stored_passages"] = stored;  // the passages in the indexes (superseded ones are deleted)
    s["size_bytes"] = bytes;        // local shards only
    s["last_update"] = last_update.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(last_update);
    if (parts.size() == 1 && !shards[0].remote()) {
      s["revision"] = first.get_revision();
      s["uuid"] = first.get_uuid();
    } else {
      s["shards"] = std::move(list);
    }
    s["fields"] = state->fields;
    {
      std::lock_guard lock(mutex_);
      state_ = std::move(state);
    }
    signature_ = signature;
    return true;
  } catch (const Xapian::Error&) {
    return false;  // mid-swap or mid-commit (or a shard down): next period
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace bisearch::server
