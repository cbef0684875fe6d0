// walk.cc: sorted recursive directory walk collecting the files to index.
#include "indexer/walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

namespace bisearch::indexer {
namespace fs = std::filesystem;
namespace {

class Walker {
 public:
  explicit Walker(const fs::path& exclude) {
    struct stat st {};
    if (!exclude.empty() && ::stat(exclude.c_str(), &st) == 0) {
      exclude_ = {st.st_dev, st.st_ino};
      have_exclude_ = true;
    }
  }

  void input(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      const int e = errno;
      if (e == ENOENT || e == ENOTDIR)
        result_.problems.push_back({ProblemKind::kMissing, path.string(), "no such file or directory"});
      else
        result_.problems.push_back({ProblemKind::kUnreadable, path.string(), std::strerror(e)});
      return;
    }
    ++result_.inputs_found;
    std::error_code ec;
    if (S_ISDIR(st.st_mode)) {
      result_.roots.push_back(fs::absolute(path, ec).lexically_normal().string());
      if (have_exclude_ && std::pair(st.st_dev, st.st_ino) == exclude_) {
        result_.skipped.push_back(path.string() + " (the index directory)");
        return;
      }
      root_ = normal_root(path);
      if (walk(path, "")) result_.dir_roots.push_back(root_);
      return;
    }
    result_.roots.push_back(fs::absolute(path, ec).parent_path().lexically_normal().string());
    root_ = normal_root(fs::absolute(path, ec).parent_path());
    result_.file_inputs.emplace_back(root_, path.filename().string());
    take(path, path.filename().string(), format_for(path).value_or(Format::kText), st);
  }

  WalkResult finish() { return std::move(result_); }

 private:
  void take(const fs::path& path, std::string rel, Format format, const struct stat& st) {
    if (!seen_.insert({st.st_dev, st.st_ino}).second) {
      result_.skipped.push_back(path.string() + " (already listed)");
      return;
    }
    WalkedFile f;
    f.path = path;
    f.rel = std::move(rel);
    f.format = format;
    f.size = static_cast<uint64_t>(st.st_size);
    f.root = root_;
    f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    result_.files.push_back(std::move(f));
  }

  // False when @p dir itself could not be listed.
  bool walk(const fs::path& dir, const std::string& prefix) {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string());
    if (ec) {
      result_.problems.push_back({ProblemKind::kUnreadable, dir.string(), "cannot list directory: " + ec.message()});
      if (!prefix.empty()) result_.unlisted.emplace_back(root_, prefix);
      return false;
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      const fs::path full = dir / name;
      const std::string rel = prefix + name;
      if (name.starts_with(".")) {
        result_.skipped.push_back(full.string() + " (hidden)");
        continue;
      }
      struct stat st {};
      if (::lstat(full.c_str(), &st) != 0) {
        result_.problems.push_back({ProblemKind::kUnreadable, full.string(), std::strerror(errno)});
        result_.unlisted.emplace_back(root_, rel);  // not known to be gone
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (::stat(full.c_str(), &st) != 0) {
          result_.skipped.push_back(full.string() + (errno == ELOOP ? " (symbolic link loop)" : " (broken symbolic link)"));
          continue;
        }
        if (S_ISDIR(st.st_mode)) {
          result_.skipped.push_back(full.string() + " (symbolic link to a directory, not followed)");
          continue;
        }
      }
      if (S_ISDIR(st.st_mode)) {
        if (have_exclude_ && std::pair(st.st_dev, st.st_ino) == exclude_) {
          result_.skipped.push_back(full.string() + " (the index directory)");
          continue;
        }
        walk(full, rel + "/");
        continue;
      }
      if (!S_ISREG(st.st_mode)) {
        result_.skipped.push_back(full.string() + " (not a regular file)");
        continue;
      }
      const auto format = format_for(full);
      if (!format) {
        result_.skipped.push_back(full.string() + " (not a format bisearch reads)");
        continue;
      }
      take(full, rel, *format, st);
    }
    return true;
  }

  WalkResult result_;
  std::set<std::pair<dev_t, ino_t>> seen_;
  std::pair<dev_t, ino_t> exclude_{};
  bool have_exclude_ = false;
  std::string root_;  // normal_root() of the input being walked
};

}  // namespace

std::string normal_root(const fs::path& path) {
  std::error_code ec;
  std::string s = fs::absolute(path, ec).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

WalkResult collect_inputs(const std::vector<fs::path>& inputs, const fs::path& exclude) {
  Walker walker(exclude);
  for (const fs::path& p : inputs) walker.input(p);
  return walker.finish();
}

}  // namespace bisearch::indexer
