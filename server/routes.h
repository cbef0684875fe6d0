/** @file routes.h
 *  @brief Which handler answers a request: method check, path decoding, the page and the API routes.
 *
 *    GET|HEAD /                  the search page (any query string: the page's state)
 *    GET|HEAD /static/NAME       the page's files
 *    GET|HEAD /api/search?...    /api/terms?...   /api/doc/{id}   /api/status
 *  Anything else is a JSON error: 404 (no such route), 405 (another
 *  method), 400 (a malformed path or parameter).
 */
#pragma once

#include "server/api.h"
#include "server/http.h"
#include "server/static_files.h"

namespace bisearch::server {

class Router {
 public:
  Router(Api& api, const StaticFiles& files) : api_(api), files_(files) {}
  HttpResponse handle(const HttpRequest& request);

 private:
  HttpResponse route(const HttpRequest& request);
  Api& api_;
  const StaticFiles& files_;
};

}  // namespace bisearch::server
