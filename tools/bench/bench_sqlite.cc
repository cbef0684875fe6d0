// bench-sqlite: the benchmark's driver for SQLite FTS5 (bench_driver.h).
// One FTS5 table (id UNINDEXED, title, text), built in one transaction and
// then optimized; the tokenizer comes from the environment variable
// BENCH_FTS5_TOKENIZER (unicode61, the default, or trigram) so the driver
// protocol stays the same. Queries: the OR of the query's words, each
// quoted, ranked by FTS5's bm25 (ORDER BY rank).
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "bench_driver.h"

namespace {

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "error";
    sqlite3_free(err);
    throw std::runtime_error(sql + ": " + msg);
  }
}

std::string tokenizer() {
  const char* t = std::getenv("BENCH_FTS5_TOKENIZER");
  return t && *t ? t : "unicode61";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bisearch;
  return bench::driver_main(
      argc, argv, "bench-sqlite",
      [](const std::string& path, const std::string& docs) {
        std::remove(path.c_str());
        sqlite3* db = nullptr;
        check(sqlite3_open(path.c_str(), &db), db, "open");
        exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
        exec(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='" + tokenizer() + "')");
        exec(db, "BEGIN");
        sqlite3_stmt* ins = nullptr;
        check(sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", -1, &ins, nullptr), db,
              "prepare");
        bench::for_each_doc(docs, [&](bench::Doc&& d) {
          sqlite3_bind_text(ins, 1, d.id.data(), static_cast<int>(d.id.size()), SQLITE_TRANSIENT);
          sqlite3_bind_text(ins, 2, d.title.data(), static_cast<int>(d.title.size()), SQLITE_TRANSIENT);
          sqlite3_bind_text(ins, 3, d.text.data(), static_cast<int>(d.text.size()), SQLITE_TRANSIENT);
          check(sqlite3_step(ins), db, "insert");
          sqlite3_reset(ins);
        });
        sqlite3_finalize(ins);
        exec(db, "COMMIT");
        exec(db, "INSERT INTO docs(docs) VALUES('optimize')");
        sqlite3_close(db);
      },
      [](const std::string& path) -> bench::SearchFn {
        sqlite3* raw = nullptr;
        check(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), raw, "open");
        auto db = std::shared_ptr<sqlite3>(raw, sqlite3_close);
        sqlite3_stmt* st = nullptr;
        check(sqlite3_prepare_v2(raw, "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", -1, &st,
                                 nullptr),
              raw, "prepare");
        auto stmt = std::shared_ptr<sqlite3_stmt>(st, sqlite3_finalize);
        return [db, stmt](const std::string& text) {
          std::string match;
          for (const std::string& w : bench::query_words(text)) match += (match.empty() ? "\"" : " OR \"") + w + "\"";
          std::vector<std::string> ids;
          if (match.empty()) return ids;
          sqlite3_reset(stmt.get());
          sqlite3_bind_text(stmt.get(), 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
          int rc;
          while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
            ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)));
          check(rc, db.get(), "query");
          return ids;
        };
      });
}
