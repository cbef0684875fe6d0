// bisearch-serve: command-line glue for the HTTP server (options, start-up checks, signals).
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/schema.h"
#include "query/rank.h"
#include "server/api.h"
#include "server/http.h"
#include "server/index_watch.h"
#include "server/routes.h"
#include "server/static_files.h"

namespace {

constexpr int kExitError = 2;
namespace fs = std::filesystem;

// The page's files: beside an installed binary (PREFIX/bin ->
// PREFIX/share/bisearch/static), else the source tree's (a build tree).
std::string default_static_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "bisearch" / "static";
    if (fs::exists(installed / "index.html", ec)) return installed.string();
  }
  return BISEARCH_SOURCE_STATIC_DIR;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> dbs;
  std::string listen = "127.0.0.1:8080", static_dir;
  unsigned threads = std::max(1u, std::min(64u, std::thread::hardware_concurrency()));
  CLI::App app{
      "Serve a bisearch index over HTTP: a JSON API (the records of bisearch-query --json) and a search page.\n\n"
      "Routes:\n"
      "  /                     the search page\n"
      "  /api/search?q=...     ranked passages: lang, since, until, sort, path, per_doc, limit, offset,\n"
      "                        facets, cross, all, field\n"
      "  /api/terms?q=...      a term's translations with their sources and evidence (lang)\n"
      "  /api/doc/ID           a document's passages in order\n"
      "  /api/status           index size, documents, passages, last update, analyzer\n\n"
      "The server only reads the index. A commit or a --rebuild by bisearch-index is served within a\n"
      "second, without restart. It listens on loopback unless told otherwise; put a reverse proxy in\n"
      "front of it to serve other machines (docs/server.md). SIGTERM or SIGINT stops it gracefully.\n\n"
      "Examples:\n"
      "  bisearch-serve --db idx                           (http://127.0.0.1:8080/)\n"
      "  bisearch-serve --db idx --listen 127.0.0.1:9000 --threads 4\n"
      "  bisearch-serve --db shards.stub                   (shards searched as one, docs/shards.md)\n\n"
      "Exit status: 0 after a signal stopped it, 2 when it cannot start (no index, bad options, address in use).",
      "bisearch-serve"};
  app.add_option("--db", dbs,
                 "Index directory (built by bisearch-index), or a Xapian stub file listing shards (local or "
                 "remote); repeat to search several as one")
      ->required()
      ->allow_extra_args(false);
  app.add_option("--listen", listen, "Address and port to listen on, HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--threads", threads, "Worker threads, each with its own index handle")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  app.add_option("--static", static_dir, "Directory of the search page's files (default: the installed ones)");
  app.set_version_flag("--version", std::string("bisearch-serve 0.1.0, analyzer ") + bisearch::schema::analyzer_id());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }

  std::string host;
  uint16_t port = 0;
  if (!bisearch::server::parse_listen(listen, &host, &port)) {
    std::cerr << "bisearch-serve: --listen " << listen << ": expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080\n";
    return kExitError;
  }
  std::error_code ec;
  for (const std::string& db : dbs) {
    if (!fs::exists(db, ec) && fs::exists(db + ".building", ec)) {
      std::cerr << "bisearch-serve: " << db << ": the index is still being built (" << db
                << ".building); start the server when bisearch-index has finished\n";
      return kExitError;
    }
  }
  if (static_dir.empty()) static_dir = default_static_dir();

  // Signals are taken by sigwait() below; every thread started from here on
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    bisearch::server::StaticFiles files(static_dir);
    bisearch::server::IndexWatch watch(dbs);
    bisearch::query::SearchOptions defaults;
    defaults.dbs = dbs;
    bisearch::server::Api api(watch, defaults);
    bisearch::server::Router router(api, files);
    bisearch::server::HttpServer server([&](const auto& request) { return router.handle(request); },
                                        bisearch::server::HttpLimits{});
    server.start(host, port, threads);
    watch.start();
    const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::cout << "bisearch-serve: listening on http://" << shown_host << ":" << server.port() << "/ (index " << watch.name()
              << ", " << threads << " threads)" << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    std::cout << "bisearch-serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ": stopping" << std::endl;
    server.stop();
    watch.stop();
    return 0;
  } catch (const bisearch::query::SearchError& e) {
    std::cerr << "bisearch-serve: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bisearch-serve: " << e.what() << '\n';
  }
  return kExitError;
}
