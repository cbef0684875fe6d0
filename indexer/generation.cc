// generation.cc: the stub-file layout of rebuilt indexes and the atomic swap.
#include "indexer/generation.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "indexer/errors.h"

namespace bisearch::indexer {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kGenPrefix = "gen-";

// The generation number of a directory name "gen-N", or 0.
unsigned long generation_number(const std::string& name) {
  if (!name.starts_with(kGenPrefix) || name.size() == kGenPrefix.size()) return 0;
  unsigned long n = 0;
  for (size_t i = kGenPrefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    n = n * 10 + static_cast<unsigned long>(name[i] - '0');
  }
  return n;
}

// The gen-N name in the stub file of @p db, or "".
std::string stub_target(const fs::path& db) {
  std::ifstream in(db / kStubFile);
  std::string backend, target;
  if (!(in >> backend >> target) || backend != "glass") return "";
  return target;
}

void sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

fs::path live_database(const fs::path& db) {
  std::error_code ec;
  if (fs::exists(db / "iamglass", ec)) return db;
  const std::string target = stub_target(db);
  return target.empty() ? db : db / target;
}

fs::path next_generation(const fs::path& db) {
  unsigned long top = 0;
  std::error_code ec;
  for (fs::directory_iterator it(db, ec), end; !ec && it != end; it.increment(ec))
    top = std::max(top, generation_number(it->path().filename().string()));
  return db / (std::string(kGenPrefix) + std::to_string(top + 1));
}

void swap_in(const fs::path& db, const fs::path& generation) {
  const bool plain = fs::exists(db / "iamglass");
  const fs::path old = live_database(db);
  const fs::path tmp = db / (std::string(kStubFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "glass " << generation.filename().string() << "\n";
    out.flush();
    if (!out) throw FatalError(tmp.string() + ": cannot write the stub file");
  }
  sync_path(tmp);
  sync_path(generation);
  if (::rename(tmp.c_str(), (db / kStubFile).c_str()) != 0)
    throw FatalError((db / kStubFile).string() + ": cannot replace the stub file: " + std::strerror(errno));
  if (plain && ::unlink((db / "iamglass").c_str()) != 0)  // the swap for the plain layout
    throw FatalError((db / "iamglass").string() + ": cannot remove: " + std::strerror(errno));
  sync_path(db);
  // The previous live database goes, after a moment for searches that read
  // the old stub just before the swap to open its files (then they keep them).
  std::this_thread::sleep_for(kOldGenerationGrace);
  std::error_code ec;
  if (plain) {
    for (fs::directory_iterator it(db, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.ends_with(".glass") || name == "flintlock" || name == "postlist.tmp") fs::remove(it->path(), ec);
    }
  } else if (old != generation && old != db) {
    fs::remove_all(old, ec);
  }
}

size_t remove_stale_generations(const fs::path& db) {
  const fs::path live = live_database(db);
  size_t removed = 0;
  std::error_code ec;
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(db, ec), end; !ec && it != end; it.increment(ec)) {
    if (generation_number(it->path().filename().string()) > 0 && it->path() != live) stale.push_back(it->path());
  }
  for (const fs::path& p : stale) {
    std::error_code rec;
    fs::remove_all(p, rec);
    if (!rec) ++removed;
  }
  return removed;
}

}  // namespace bisearch::indexer
