// bisearch-serve's JSON API against a server on an ephemeral loopback port:
// the records match bisearch-query --json, bad input gets a 4xx JSON error
// naming the parameter, and the server keeps serving.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "tests/server_util.h"

namespace bt = bisearch::testing;
using nlohmann::json;

namespace {

class ServerApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bt::TempDir();
    docs_ = (dir_->path() / "docs").string();
    bt::TempDir& d = *dir_;
    std::filesystem::create_directories(docs_);
    std::filesystem::copy(bt::corpus_dir(), docs_ + "/corpus", std::filesystem::copy_options::recursive);
    d.write("docs/hostile.md",
            "title: <img src=x onerror=\"document.title='pwned'\"> hostile\n"
            "source_url: javascript:document.title='pwned'\n---\n"
            "확장억제 <script>document.title='pwned'</script> and <img src=x onerror=alert(1)> "
            "with [a link](javascript:alert(1)) inside.\n");
    // Dated reports of several paragraphs each, in two folders.
    const char* en[] = {"The alliance reviewed extended deterrence and the nuclear planning talks.",
                        "Deterrence exercises were held with allied forces near the peninsula.",
                        "Officials discussed deterrence, missile defense and crisis consultations.",
                        "A joint statement on deterrence followed the ministerial meeting."};
    const char* ko[] = {"한미 양국은 확장억제 강화 방안을 협의하였다.", "확장억제 실행력을 높이기 위한 연합훈련이 실시되었다.",
                        "국방장관 회의에서 확장억제와 미사일 방어를 논의하였다.", "양국은 확장억제에 관한 공동성명을 발표하였다."};
    for (int i = 0; i < 8; ++i) {
      const bool korean = i % 2 == 1;
      std::string text = korean ? "title: 보고서 " : "title: Report ";
      text += std::to_string(i) + "\ndate: " + std::to_string(2019 + i % 5) + "-0" + std::to_string(1 + i % 9) +
              "-15\n---\n";
      for (int p = 0; p < 4; ++p) text += std::string(korean ? ko[(p + i) % 4] : en[(p + i) % 4]) + "\n\n";
      d.write(std::string("docs/") + (korean ? "ko/report-" : "en/report-") + std::to_string(i) + ".md", text);
    }
    db_ = (dir_->path() / "idx").string();
    const auto r = bt::run_index({"--db", db_, docs_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = new bt::ServerProcess(db_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static uint16_t port() { return server_->port(); }
  static json get_json(const std::string& target, int expect_status) {
    const auto r = bt::http_get(port(), target);
    EXPECT_EQ(r.status, expect_status) << target << "\n" << r.body;
    EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << target;
    return json::parse(r.body);
  }
  // A 4xx answer: JSON error naming @p parameter ("" = none expected).
  static void expect_error(const std::string& target, int status, const std::string& parameter) {
    const json j = get_json(target, status);
    ASSERT_TRUE(j.contains("error")) << j;
    EXPECT_EQ(j["error"]["status"], status);
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
    if (!parameter.empty()) {
      EXPECT_EQ(j["error"].value("parameter", ""), parameter) << target << ": " << j;
    }
  }
  static void expect_still_serving() {
    const json j = get_json("/api/status", 200);
    EXPECT_GT(j["passages"].get<int>(), 0);
  }

  static bt::TempDir* dir_;
  static std::string docs_, db_;
  static bt::ServerProcess* server_;
};
bt::TempDir* ServerApiTest::dir_ = nullptr;
std::string ServerApiTest::docs_, ServerApiTest::db_;
bt::ServerProcess* ServerApiTest::server_ = nullptr;

TEST_F(ServerApiTest, SearchGivesTheRecordsOfBisearchQueryJson) {
  for (const std::string q : {"확장억제", "\"extended deterrence\" NCG", "핵협의그룹 -중국"}) {
    const json body = get_json("/api/search?q=" + bt::url_encode(q) + "&limit=5", 200);
    const auto cli = bt::run({bt::query_bin(), "--db", db_, "--json", "--limit", "5", q});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const auto lines = bt::json_lines(cli.out);
    ASSERT_EQ(body["hits"].size() + 1, lines.size()) << q;
    ASSERT_FALSE(body["hits"].empty()) << q;
    for (size_t i = 0; i < body["hits"].size(); ++i) EXPECT_EQ(body["hits"][i], lines[i]) << q << " hit " << i;
    // The summary carries the CLI's members, and the facets and date range besides.
    for (const auto& [key, value] : lines.back().items()) EXPECT_EQ(body["summary"][key], value) << q << " " << key;
    EXPECT_TRUE(body["summary"].contains("facets"));
  }
}

TEST_F(ServerApiTest, HighlightsAreByteRangesOfTheMatchedWords) {
  const json body = get_json("/api/search?q=" + bt::url_encode("확장억제") + "&lang=ko", 200);
  ASSERT_FALSE(body["hits"].empty());
  for (const auto& hit : body["hits"]) {
    EXPECT_EQ(hit["lang"], "ko");
    const std::string text = hit["text"];
    ASSERT_FALSE(hit["highlights"].empty());
    for (const auto& h : hit["highlights"]) {
      const std::string part = text.substr(h[0].get<size_t>(), h[1].get<size_t>() - h[0].get<size_t>());
      EXPECT_NE(part.find("억제"), std::string::npos) << part;
    }
  }
}

TEST_F(ServerApiTest, PagingAndLanguageFilter) {
  const json all = get_json("/api/search?q=deterrence&limit=6&per_doc=0", 200);
  const json page2 = get_json("/api/search?q=deterrence&limit=3&offset=3&per_doc=0", 200);
  ASSERT_GE(all["hits"].size(), 6u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(page2["hits"][i]["passage"], all["hits"][i + 3]["passage"]);
    EXPECT_EQ(page2["hits"][i]["rank"], i + 4);
  }
  const json en = get_json("/api/search?q=deterrence&lang=en&cross=0", 200);
  for (const auto& hit : en["hits"]) EXPECT_EQ(hit["lang"], "en");
}

TEST_F(ServerApiTest, TermsGiveTheLookupOfBisearchQueryTerms) {
  const json body = get_json("/api/terms?q=" + bt::url_encode("핵협의그룹"), 200);
  const auto cli = bt::run({bt::query_bin(), "--db", db_, "--json", "--terms", "핵협의그룹"});
  const auto lines = bt::json_lines(cli.out);
  ASSERT_FALSE(body["translations"].empty());
  ASSERT_EQ(body["translations"].size() + 1, lines.size());
  for (size_t i = 0; i < body["translations"].size(); ++i) EXPECT_EQ(body["translations"][i], lines[i]);
  EXPECT_EQ(body["summary"], lines.back());
  bool ncg = false;
  for (const auto& t : body["translations"]) ncg = ncg || t["text"] == "NCG";
  EXPECT_TRUE(ncg) << body;
}

TEST_F(ServerApiTest, DocumentGivesItsPassagesInOrder) {
  const json hits = get_json("/api/search?q=" + bt::url_encode("확장억제") + "&limit=20&lang=ko", 200);
  std::string id;
  for (const auto& hit : hits["hits"])
    if (hit["doc_id"].get<std::string>().rfind("ko/", 0) == 0) id = hit["doc_id"];
  ASSERT_FALSE(id.empty()) << hits;
  // Ids are paths ("corpus/…"): the slash may be plain or encoded.
  for (const std::string& target : {"/api/doc/" + id, "/api/doc/" + bt::url_encode(id)}) {
    const json doc = get_json(target, 200);
    EXPECT_EQ(doc["doc_id"], id);
    ASSERT_GE(doc["passages"].size(), 2u);
    std::string all;  // every paragraph the report was written with is there
    for (const auto& p : doc["passages"]) all += p["text"].get<std::string>() + "\n";
    for (const std::string sentence : {"확장억제 실행력", "미사일 방어", "공동성명", "강화 방안"})
      EXPECT_NE(all.find(sentence), std::string::npos) << sentence;
    for (size_t i = 1; i < doc["passages"].size(); ++i)
      EXPECT_GT(doc["passages"][i]["begin"], doc["passages"][i - 1]["begin"]);
    for (size_t i = 0; i < doc["passages"].size(); ++i) {
      EXPECT_EQ(doc["passages"][i]["passage"], i);
      EXPECT_EQ(doc["passages"][i]["doc_id"], id);
    }
  }
  expect_error("/api/doc/no-such-document.txt", 404, "id");
}

TEST_F(ServerApiTest, StatusDescribesTheIndex) {
  const json s = get_json("/api/status", 200);
  EXPECT_EQ(s["documents"], 10);
  EXPECT_EQ(s["files"], 10);
  EXPECT_GT(s["passages"].get<int>(), 10);
  EXPECT_GT(s["size_bytes"].get<long>(), 1000);
  EXPECT_EQ(s["analyzer"], s["server_analyzer"]);
  EXPECT_TRUE(s["last_update"].is_string());
  EXPECT_EQ(s["passages"], bt::live_passages(std::filesystem::path(db_)));
}

TEST_F(ServerApiTest, BadParametersAreNamed) {
  const std::string q = "q=" + bt::url_encode("확장억제");
  expect_error("/api/search", 400, "q");
  expect_error("/api/search?q=+++", 400, "q");
  expect_error("/api/search?" + q + "&limit=-1", 400, "limit");
  expect_error("/api/search?" + q + "&limit=0", 400, "limit");
  expect_error("/api/search?" + q + "&limit=99999999999999999999999", 400, "limit");
  expect_error("/api/search?" + q + "&offset=-5", 400, "offset");
  expect_error("/api/search?" + q + "&offset=1e3", 400, "offset");
  expect_error("/api/search?" + q + "&offset=10001", 400, "offset");
  expect_error("/api/search?" + q + "&per_doc=x", 400, "per_doc");
  expect_error("/api/search?" + q + "&lang=fr", 400, "lang");
  expect_error("/api/search?" + q + "&sort=size", 400, "sort");
  expect_error("/api/search?" + q + "&since=2023-02-30", 400, "since");
  expect_error("/api/search?" + q + "&until=yesterday", 400, "until");
  expect_error("/api/search?" + q + "&since=2024&until=2023", 400, "since");
  expect_error("/api/search?" + q + "&facets=colour", 400, "facets");
  expect_error("/api/search?" + q + "&facets=field:nosuchkey", 400, "facets");
  expect_error("/api/search?" + q + "&cross=maybe", 400, "cross");
  expect_error("/api/search?" + q + "&frobnicate=1", 400, "frobnicate");
  expect_error("/api/search?q=%E1%84", 400, "q");            // malformed percent-encoding
  expect_error("/api/search?q=%G0abc", 400, "q");
  expect_error("/api/search?q=%FF%FEabc", 400, "q");         // not UTF-8
  expect_error("/api/search?q=%ED%A0%80", 400, "q");         // a UTF-16 surrogate
  expect_error("/api/search?q=%C0%AF", 400, "q");            // overlong
  expect_error("/api/search?q=" + std::string(2001, 'a'), 400, "q");
  expect_error("/api/terms?q=NCG&lang=de", 400, "lang");
  expect_error("/api/terms?q=NCG&limit=3", 400, "limit");
  expect_error("/api/status?verbose=1", 400, "verbose");
  // Valid partial dates are accepted.
  get_json("/api/search?" + q + "&since=2019&until=2023-05", 200);
  expect_still_serving();
}

TEST_F(ServerApiTest, UnknownRoutesMethodsAndBodies) {
  expect_error("/api/nothing", 404, "");
  expect_error("/etc/passwd", 404, "");
  expect_error("/static/../CMakeLists.txt", 404, "");
  expect_error("/static/%2e%2e/%2e%2e/CMakeLists.txt", 404, "");
  expect_error("/static/.hidden", 404, "");
  expect_error("/api/search%ZZ?q=a", 400, "");
  for (const std::string method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    const auto r = bt::http_get(port(), "/api/search?q=a", method);
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.header("Allow"), "GET, HEAD");
    EXPECT_TRUE(json::parse(r.body).contains("error"));
  }
  const auto body = bt::raw_request(port(),
                                    "GET /api/status HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  EXPECT_EQ(body.status, 413);
  const auto chunked = bt::raw_request(
      port(), "GET /api/status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
              "ffffffffffffffffffff\r\nx\r\n");
  EXPECT_GE(chunked.status, 400);
  EXPECT_LT(chunked.status, 500);
  const auto head = bt::http_get(port(), "/api/status", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  expect_still_serving();
}

TEST_F(ServerApiTest, OversizedRequestsAreRefused) {
  // A long query string within the connection's buffer: the server's own JSON 414.
  const auto long_target = bt::http_get(port(), "/api/search?q=" + std::string(20000, 'a'));
  EXPECT_EQ(long_target.status, 414);
  EXPECT_TRUE(json::parse(long_target.body).contains("error"));
  // Beyond the buffer (1 MB): refused by libmicrohttpd before parsing.
  const auto huge = bt::http_get(port(), "/api/search?q=" + std::string(1 << 20, 'a'));
  EXPECT_GE(huge.status, 400);
  EXPECT_LT(huge.status, 500);
  // Headers: a 20 KB header is refused too.
  const auto big_header = bt::raw_request(
      port(), "GET /api/status HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(big_header.status, 431);
  const auto endless_line = bt::raw_request(port(), "GET /" + std::string(200000, 'x'));
  EXPECT_TRUE(endless_line.status == 0 || (endless_line.status >= 400 && endless_line.status < 500));
  expect_still_serving();
}

TEST_F(ServerApiTest, StaticPageAndItsPolicy) {
  const auto page = bt::http_get(port(), "/?q=" + bt::url_encode("확장억제"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(page.body.find("app.js"), std::string::npos);
  const auto js = bt::http_get(port(), "/static/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_NE(js.header("Content-Type").find("javascript"), std::string::npos);
  EXPECT_EQ(js.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(ServerApiTest, HostileDocumentTextComesBackVerbatim) {
  const json body = get_json("/api/search?q=" + bt::url_encode("hostile") + "&limit=1", 200);
  ASSERT_EQ(body["hits"].size(), 1u);
  EXPECT_NE(body["hits"][0]["text"].get<std::string>().find("<script>"), std::string::npos);
  EXPECT_EQ(body["hits"][0]["url"], "javascript:document.title='pwned'");
}

TEST_F(ServerApiTest, SlowClientsDoNotHoldUpOthers) {
  // 40 connections that send half a request line and stall (more than the
  // worker threads), then a normal request must still be answered at once.
  std::vector<int> slow;
  for (int i = 0; i < 40; ++i) {
    const int fd = bt::connect_loopback(port());
    ASSERT_GE(fd, 0);
    send(fd, "GET /api/sta", 12, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = bt::http_get(port(), "/api/search?q=deterrence");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(took, std::chrono::seconds(2));
  for (int fd : slow) close(fd);
}

TEST_F(ServerApiTest, ConcurrentRequestsAreAllAnswered) {
  std::atomic<int> failures{0}, done{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&, c] {
      for (int i = 0; i < 15; ++i) {
        const std::string q = (c + i) % 2 ? "확장억제" : "deterrence";
        const auto r = bt::http_get(port(), "/api/search?q=" + bt::url_encode(q) + "&limit=3");
        if (r.status != 200 || json::parse(r.body)["hits"].empty()) ++failures;
        ++done;
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(done, 120);
  EXPECT_EQ(failures, 0);
}

TEST(ServerStartTest, MissingIndexOrBadOptionsExitTwo) {
  bt::TempDir dir;
  auto r = bt::run({bt::serve_bin(), "--db", (dir.path() / "nothing").string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nothing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such index"), std::string::npos) << r.err;
  std::filesystem::create_directories(dir.path() / "building.building");
  r = bt::run({bt::serve_bin(), "--db", (dir.path() / "building").string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("still being built"), std::string::npos) << r.err;
  std::filesystem::create_directories(dir.path() / "empty");
  r = bt::run({bt::serve_bin(), "--db", (dir.path() / "empty").string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
  r = bt::run({bt::serve_bin(), "--db", "x", "--listen", "localhost"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
  r = bt::run({bt::serve_bin(), "--db", "x", "--threads", "0"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ServerStartTest, AddressInUseExitsTwoAndSigtermStopsCleanly) {
  bt::TempDir dir;
  const std::string db = (dir.path() / "idx").string();
  ASSERT_EQ(bt::run_index({"--db", db, bt::corpus_dir().string()}).exit_code, 0);
  bt::ServerProcess server(db, 2);
  const auto r = bt::run({bt::serve_bin(), "--db", db, "--listen", "127.0.0.1:" + std::to_string(server.port())});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot listen"), std::string::npos) << r.err;
  EXPECT_EQ(bt::http_get(server.port(), "/api/status").status, 200);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(bt::http_get(server.port(), "/api/status").status, 0);  // nothing listens any more
}

}  // namespace
