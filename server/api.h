/** @file api.h
 *  @brief The JSON API: /api/search, /api/terms, /api/doc/{id}, /api/status.
 *
 *  Every route answers with the records bisearch-query --json prints
 *  (query/output.h), gathered into one JSON object (format in
 *  docs/server.md). Each worker thread has its own Searcher (Xapian objects
 *  are not thread-safe), opened at the index generation IndexWatch last saw
 *  and opened again when that changes, so a commit or a swapped-in rebuild is
 *  served within one watch period. A search that fails on the index (it was
 *  replaced under it) is retried once on a freshly opened Searcher; only
 *  when that fails too is the answer 503.
 */
#pragma once

#include <string>

#include "query/rank.h"
#include "server/http.h"
#include "server/index_watch.h"
#include "server/params.h"

namespace bisearch::server {

class Api {
 public:
  /// @p defaults: the settings of every search (dbs = the index);
  /// requests change limit, offset and the filters only.
  Api(IndexWatch& watch, query::SearchOptions defaults);

  HttpResponse search(const Params& params);
  HttpResponse terms(const Params& params);
  HttpResponse doc(const std::string& id, const Params& params);
  HttpResponse status(const Params& params);

 private:
  // This thread's Searcher, opened anew when the index changed or @p fresh.
  query::Searcher& searcher(bool fresh);
  template <typename F>
  auto with_searcher(F&& f);

  IndexWatch& watch_;
  query::SearchOptions defaults_;
};

/// At most this many passages in one /api/doc answer.
inline constexpr size_t kMaxDocPassages = 5000;

}  // namespace bisearch::server
