// routes.cc: dispatching requests to the page and the API; errors as JSON.
#include "server/routes.h"

#include "server/errors.h"
#include "server/params.h"

namespace bisearch::server {
namespace {

HttpResponse error_response(const RequestError& e) {
  HttpResponse r;
  r.status = e.status();
  r.body = error_json(e.status(), e.what(), e.parameter());
  r.content_type = "application/json; charset=utf-8";
  if (e.status() == 405) r.headers.emplace_back("Allow", "GET, HEAD");
  if (e.status() == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace

HttpResponse Router::handle(const HttpRequest& request) {
  try {
    return route(request);
  } catch (const RequestError& e) {
    return error_response(e);
  }
}

HttpResponse Router::route(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD")
    throw RequestError(405, "method " + request.method.substr(0, 20) + " not allowed: the server is read-only (GET, HEAD)");
  const std::string& target = request.target;
  const size_t question = target.find('?');
  const std::string raw_path = target.substr(0, question);
  const std::string query = question == std::string::npos ? "" : target.substr(question + 1);
  const auto path = percent_decode(raw_path, false);
  if (!path) throw RequestError(400, "malformed percent-encoding in the path");
  if (!valid_utf8(*path)) throw RequestError(400, "the path is not valid UTF-8");

  if (*path == "/" || *path == "/index.html") {
    if (auto page = files_.get("index.html")) return *page;
  }
  if (path->rfind("/static/", 0) == 0) {
    if (auto file = files_.get(path->substr(8))) return *file;
    throw RequestError(404, "no such file");
  }
  if (*path == "/api/search") return api_.search(Params::parse(query));
  if (*path == "/api/terms") return api_.terms(Params::parse(query));
  if (*path == "/api/status") return api_.status(Params::parse(query));
  // Document ids may hold '/' (a file's path): the rest of the path is the id.
  // Its segments are decoded from the raw path, so %2F and '/' are the same.
  if (path->rfind("/api/doc/", 0) == 0) return api_.doc(path->substr(9), Params::parse(query));
  throw RequestError(404, "no such route; the API is /api/search, /api/terms, /api/doc/{id}, /api/status");
}

}  // namespace bisearch::server
