// http.cc: bisearch-serve's HTTP layer on GNU libmicrohttpd (limits, worker pool, shutdown).
#include "server/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "server/errors.h"

namespace bisearch::server {
namespace {

// The raw request target, kept from the URI log callback (libmicrohttpd
// hands the access handler a decoded path without its query string).
struct RequestState {
  std::string target;
};

void* on_uri(void*, const char* uri, MHD_Connection*) { return new RequestState{uri ? uri : ""}; }

void on_completed(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<RequestState*>(*con_cls);
  *con_cls = nullptr;
}

void on_log(void*, const char* fmt, va_list ap) {
  char line[512];
  std::vsnprintf(line, sizeof line, fmt, ap);
  std::string s = line;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  // A client going away mid-request is its own business, not the server's.
  if (s.find("closed by remote side") != std::string::npos) return;
  std::cerr << "bisearch-serve: http: " << s << '\n';
}

MHD_Result send(MHD_Connection* connection, const HttpResponse& r) {
  MHD_Response* response =
      MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (!response) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : r.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
  const MHD_Result ok = MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return ok;
}

MHD_Result send_error(MHD_Connection* connection, int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = error_json(status, message);
  r.headers.emplace_back("Connection", "close");
  return send(connection, r);
}

MHD_Result count_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  *static_cast<size_t*>(cls) += std::strlen(key) + (value ? std::strlen(value) : 0) + 4;
  return MHD_YES;
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char*, const char* method, const char*,
                      const char*, size_t* upload_size, void** con_cls) {
  auto* server = static_cast<HttpServer*>(cls);
  auto* state = static_cast<RequestState*>(*con_cls);
  if (!state) return MHD_NO;  // not from the URI callback: cannot happen
  const HttpLimits& limits = server->limits();
  // Any body (announced or arriving) is refused: the API is read-only.
  const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  const char* chunked = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
  if (*upload_size > 0 || chunked || (length && std::strcmp(length, "0") != 0)) {
    *upload_size = 0;
    return send_error(connection, 413, "request bodies are not accepted: the API is read-only (GET and HEAD)");
  }
  if (state->target.size() > limits.max_target)
    return send_error(connection, 414,
                      "request target too long (at most " + std::to_string(limits.max_target) + " bytes)");
  size_t header_bytes = 0;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, count_header, &header_bytes);
  if (header_bytes > limits.max_header_bytes)
    return send_error(connection, 431,
                      "request headers too large (at most " + std::to_string(limits.max_header_bytes) + " bytes)");
  HttpResponse response;
  try {
    response = server->handler()(HttpRequest{method ? method : "", state->target});
  } catch (const std::exception& e) {
    std::cerr << "bisearch-serve: internal error on " << state->target.substr(0, 200) << ": " << e.what() << '\n';
    response = HttpResponse{};
    response.status = 500;
    response.body = error_json(500, "internal error");
  }
  return send(connection, response);
}

}  // namespace

bool parse_listen(const std::string& spec, std::string* host, uint16_t* port) {
  const size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= spec.size()) return false;
  std::string h = spec.substr(0, colon);
  if (h.front() == '[') {
    if (h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  }
  const std::string p = spec.substr(colon + 1);
  if (p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  const unsigned long v = std::stoul(p);
  if (v > 65535) return false;
  in_addr a4;
  in6_addr a6;
  if (inet_pton(AF_INET, h.c_str(), &a4) != 1 && inet_pton(AF_INET6, h.c_str(), &a6) != 1) return false;
  *host = h;
  *port = static_cast<uint16_t>(v);
  return true;
}

HttpServer::HttpServer(Handler handler, HttpLimits limits) : handler_(std::move(handler)), limits_(limits) {}

HttpServer::~HttpServer() { stop(0); }

void HttpServer::start(const std::string& host, uint16_t port, unsigned threads) {
  sockaddr_storage addr{};
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    flags |= MHD_USE_IPv6;
  } else {
    throw std::runtime_error(host + ": not an IPv4 or IPv6 address");
  }
  daemon_ = MHD_start_daemon(
      flags, port, nullptr, nullptr, &on_request, this,
      MHD_OPTION_EXTERNAL_LOGGER, &on_log, nullptr,
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&addr),
      MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(threads),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(limits_.connection_memory),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(limits_.timeout_seconds),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(limits_.max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned>(limits_.max_per_ip),
      MHD_OPTION_URI_LOG_CALLBACK, &on_uri, nullptr,
      MHD_OPTION_NOTIFY_COMPLETED, &on_completed, nullptr,
      MHD_OPTION_END);
  if (!daemon_)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (address in use, or not an address of this machine)");
}

uint16_t HttpServer::port() const {
  if (!daemon_) return 0;
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

void HttpServer::stop(unsigned grace_ms) {
  if (!daemon_) return;
  const MHD_socket listener = MHD_quiesce_daemon(daemon_);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (std::chrono::steady_clock::now() < until) {
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!info || info->num_connections == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  MHD_stop_daemon(daemon_);
  if (listener != MHD_INVALID_SOCKET) close(listener);
  daemon_ = nullptr;
}

}  // namespace bisearch::server
