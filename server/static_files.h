/** @file static_files.h
 *  @brief The search page's files, read once at start-up and served from memory.
 *
 *  Only regular files directly in the static directory whose names are
 *  plain ([A-Za-z0-9._-], not starting with '.') are served; nothing a
 *  request names is ever opened on disk, so no path ("..", "/", an encoded
 *  form of them) can reach another file.
 */
#pragma once

#include <map>
#include <optional>
#include <string>

#include "server/http.h"

namespace bisearch::server {

class StaticFiles {
 public:
  /// Reads the files of @p dir. Throws std::runtime_error when @p dir has
  /// no index.html.
  explicit StaticFiles(const std::string& dir);

  /// The file @p name as a response, or std::nullopt when there is none.
  std::optional<HttpResponse> get(const std::string& name) const;

 private:
  std::map<std::string, HttpResponse> files_;
};

/// Whether @p name is a plain file name the server would serve.
bool plain_file_name(const std::string& name);

}  // namespace bisearch::server
