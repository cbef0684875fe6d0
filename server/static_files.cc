// static_files.cc: loading and serving the search page's files.
#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bisearch::server {
namespace fs = std::filesystem;
namespace {

std::string content_type(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  return "application/octet-stream";
}

// The page runs only its own script and style: a document's text that got
// into the page as markup could not run anything even then.
constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

bool plain_file_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.size() > 100) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  return name.find("..") == std::string::npos;
}

StaticFiles::StaticFiles(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !plain_file_name(name)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    HttpResponse r;
    r.body = data.str();
    r.content_type = content_type(entry.path().extension().string());
    r.headers.emplace_back("Content-Security-Policy", kPolicy);
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Cache-Control", "no-cache");
    files_.emplace(name, std::move(r));
  }
  if (ec) throw std::runtime_error(dir + ": cannot read the page's files: " + ec.message());
  if (!files_.count("index.html")) throw std::runtime_error(dir + ": no index.html (the search page's files)");
}

std::optional<HttpResponse> StaticFiles::get(const std::string& name) const {
  if (!plain_file_name(name)) return std::nullopt;
  auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bisearch::server
