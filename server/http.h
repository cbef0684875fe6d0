/** @file http.h
 *  @brief The HTTP layer of bisearch-serve: GNU libmicrohttpd with explicit limits, a pool of worker threads.
 *
 *  HttpServer hands each request to one Handler call on one of its worker
 *  threads (each thread serves many connections, event-driven, so a slow
 *  client holds a connection slot, not a thread). Before the handler runs,
 *  the layer itself refuses, with a JSON error (errors.h):
 *    - a request target longer than HttpLimits::max_target (414),
 *    - request headers larger than max_header_bytes in total (431),
 *    - any request body: the API is read-only (413),
 *  and libmicrohttpd refuses anything that does not fit its per-connection
 *  memory (connection_memory: request line and headers; it answers 414 or
 *  431 itself and closes). A connection idle for `timeout_seconds` is closed;
 *  at most `max_connections` are open, `max_per_ip` from one address.
 */
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

struct MHD_Daemon;

namespace bisearch::server {

struct HttpRequest {
  std::string method;  ///< "GET", "HEAD", ...
  std::string target;  ///< the raw request target: path and query string, still percent-encoded
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpLimits {
  size_t max_target = 8 * 1024;          ///< bytes of path + query string
  size_t max_header_bytes = 16 * 1024;   ///< bytes of all header names and values
  size_t connection_memory = 64 * 1024;  ///< libmicrohttpd's buffer per connection (request line + headers)
  unsigned timeout_seconds = 15;         ///< idle connection timeout
  unsigned max_connections = 512;
  unsigned max_per_ip = 128;
};

/// "HOST:PORT" (IPv4 or [IPv6]); false when malformed. Port 0 = any free port.
bool parse_listen(const std::string& spec, std::string* host, uint16_t* port);

class HttpServer {
 public:
  HttpServer(Handler handler, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Starts listening on @p host:@p port with @p threads workers. Throws
  /// std::runtime_error saying why it cannot (address in use, ...).
  void start(const std::string& host, uint16_t port, unsigned threads);
  /// The port actually bound (useful after port 0).
  uint16_t port() const;
  /// Stops accepting, lets the requests in progress finish (up to
  /// @p grace_ms), then closes every connection.
  void stop(unsigned grace_ms = 3000);

  // Used by the libmicrohttpd callbacks.
  const Handler& handler() const { return handler_; }
  const HttpLimits& limits() const { return limits_; }

 private:
  Handler handler_;
  HttpLimits limits_;
  MHD_Daemon* daemon_ = nullptr;
};

}  // namespace bisearch::server
