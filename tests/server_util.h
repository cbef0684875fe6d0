/** @file server_util.h
 *  @brief Test helpers for bisearch-serve: a server process on an ephemeral loopback port, and a raw HTTP client.
 */
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_util.h"

namespace bisearch::testing {

inline std::string serve_bin() { return BISEARCH_SERVE_BIN; }

struct HttpReply {
  int status = 0;          ///< 0: no answer (connection failed or closed)
  std::string head;        ///< status line and headers
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(const std::string& name) const {
    std::string lower_head = head, lower_name = name;
    for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t at = lower_head.find("\r\n" + lower_name + ":");
    if (at == std::string::npos) return "";
    const size_t start = at + 3 + name.size();
    const size_t end = head.find("\r\n", start);
    std::string v = head.substr(start, end - start);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
  }
};

/// A free loopback port for a server a test starts (bound once, then
/// released for the server to take).
inline uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

/// A TCP connection to 127.0.0.1:@p port (-1 on failure).
inline int connect_loopback(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/// Sends @p raw (a whole request) and reads the answer until the server
/// closes the connection ("Connection: close" is up to the caller) or
/// @p timeout passes.
inline HttpReply raw_request(uint16_t port, const std::string& raw,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  HttpReply reply;
  const int fd = connect_loopback(port);
  if (fd < 0) return reply;
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading it all
    sent += static_cast<size_t>(n);
  }
  std::string data;
  const auto until = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  const size_t split = data.find("\r\n\r\n");
  if (data.rfind("HTTP/1.", 0) != 0 || split == std::string::npos) return reply;
  reply.head = data.substr(0, split);
  reply.body = data.substr(split + 4);
  reply.status = std::stoi(data.substr(9, 3));
  return reply;
}

/// GET (or another @p method) of @p target, connection closed after it.
inline HttpReply http_get(uint16_t port, const std::string& target, const std::string& method = "GET") {
  return raw_request(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

/// %XX-encodes everything but unreserved characters.
inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// bisearch-serve on 127.0.0.1, any free port; stopped (SIGTERM) on destruction.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& db, unsigned threads = 4, std::vector<std::string> extra = {}) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> argv = {serve_bin(), "--db", db, "--listen", "127.0.0.1:0", "--threads",
                                     std::to_string(threads)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    // The first line says where it listens: "... listening on http://127.0.0.1:PORT/ ...".
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    out_fd_ = out[0];
    const size_t at = line.find("127.0.0.1:");
    if (at == std::string::npos) throw std::runtime_error("bisearch-serve did not start: " + line);
    port_ = static_cast<uint16_t>(std::stoi(line.substr(at + 10)));
  }
  ~ServerProcess() { stop(); }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// SIGTERM, then the exit status (as run() reports it).
  int stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    close(out_fd_);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  int exit_code_ = -1;
};

}  // namespace bisearch::testing
