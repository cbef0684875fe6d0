// bench-floor: what Xapian alone costs bisearch, as a benchmark engine
// (bench_driver.h) that tools/bench.py shows as "xapian-floor".
//
//   bench-floor index DB DOCS.jsonl
//     Reads the documents, cuts and analyzes their passages exactly as
//     bisearch-index does (segment, detect_language, record_document,
//     records compressed with a dictionary trained on the first MB), and
//     keeps the finished Xapian documents in memory. Only then does the
//     clock start: two threads each add every other document to a database
//     of their own (DB_NO_SYNC, a commit per 1,000 passages,
//     as a first build does) and the two are compacted into DB. Prints
//     "timed_s SECONDS": the floor of a build with this term scheme on
//     Xapian's writer (no reading, analysis or cross-language pass).
//   bench-floor query DB QUERIES.tsv OUT
//     Each query is parsed and built as bisearch-query does, and only
//     Xapian's match of the best 10 passages is run: no record read, no
//     check on the text, no re-rank, no highlights. The ids are docids.
//   bench-floor variants DOCS.jsonl WORKDIR [value|data|no-title ...]
//     The index floor for other storage or terms, before they are built:
//       value     the records in value slot 4, as bisearch-index stores them
//       data      the records in the document data, as schema 4 did: glass
//                 deflates them at write and again at compaction
//       no-title  as value, without the title's terms on every passage
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "analysis/language.h"
#include "analysis/record_codec.h"
#include "bench_driver.h"
#include "indexer/jsonl.h"
#include "indexer/segment.h"
#include "indexer/write.h"
#include "query/build_query.h"
#include "query/parse.h"
#include "query/rank.h"

namespace fs = std::filesystem;
using namespace bisearch;

namespace {

struct Collect : indexer::DocumentSink {
  std::vector<indexer::Document> docs;
  bool document(indexer::Document&& d) override {
    docs.push_back(std::move(d));
    return true;
  }
  void problem(indexer::Problem&& p) override {
    // The benchmark's corpora are clean: a problem means the wrong file.
    if (first_problem.empty()) first_problem = p.message();
  }
  std::string first_problem;
};

std::vector<indexer::Document> read_docs(const std::string& path) {
  Collect sink;
  indexer::SourceFile file;
  file.path = path;
  file.rel = file.path.filename().string();
  file.format = indexer::Format::kJsonl;
  indexer::read_jsonl(file, indexer::ExtractOptions{}, sink);
  if (!sink.first_problem.empty()) throw std::runtime_error(sink.first_problem);
  if (sink.docs.empty()) throw std::runtime_error(path + ": no documents");
  return std::move(sink.docs);
}

struct Passages {
  std::vector<std::vector<Xapian::Document>> per_doc;  // one entry per input document
  uint64_t text_bytes = 0;
  size_t count = 0;
};

Passages prepare(const std::vector<indexer::Document>& docs, const std::string& variant) {
  Passages out;
  const indexer::SegmentOptions seg;
  std::shared_ptr<const schema::RecordCodec> codec;
  std::vector<std::string> samples;
  size_t sampled = 0;
  for (const indexer::Document& doc : docs) {
    out.text_bytes += doc.text.size();
    const std::vector<indexer::Span> spans = indexer::segment(doc.text, doc.body_begin, seg);
    const std::vector<analysis::Token> title = indexer::title_tokens(variant == "no-title" ? "" : doc.title);
    std::vector<Xapian::Document> xs;
    for (size_t i = 0; i < spans.size(); ++i) {
      const std::string_view lang =
          analysis::detect_language(std::string_view(doc.text).substr(spans[i].begin, spans[i].size()));
      Xapian::Document d = indexer::passage_document(doc, static_cast<uint32_t>(i), spans[i], lang, title, codec.get());
      if (!codec) {
        samples.push_back(schema::stored_record(d));
        sampled += samples.back().size();
        if (sampled >= indexer::kRecordSampleBytes) codec = schema::RecordCodec::train(samples);
      }
      if (variant == "data") {
        d.set_data(schema::stored_record(d));
        d.remove_value(schema::kSlotRecord);
      }
      xs.push_back(std::move(d));
    }
    out.count += xs.size();
    out.per_doc.push_back(std::move(xs));
  }
  return out;
}

void write_part(const Passages& p, size_t part, const fs::path& dir) {
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
  size_t pending = 0;
  db.begin_transaction(true);
  for (size_t i = part; i < p.per_doc.size(); i += 2) {
    for (const Xapian::Document& d : p.per_doc[i]) db.add_document(d);
    pending += p.per_doc[i].size();
    if (pending >= 1000) {
      db.commit_transaction();
      db.begin_transaction(true);
      pending = 0;
    }
  }
  db.commit_transaction();
  db.close();
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Writes @p p into @p db the way a two-writer first build does; returns
// the seconds it took (writing, then compacting the two parts into @p db).
double write_floor(const Passages& p, const fs::path& db) {
  const fs::path a = db.string() + ".part-a", b = db.string() + ".part-b";
  for (const fs::path& dir : {db, a, b}) fs::remove_all(dir);
  if (db.has_parent_path()) fs::create_directories(db.parent_path());
  const auto start = std::chrono::steady_clock::now();
  std::thread other(write_part, std::cref(p), 1, b);
  write_part(p, 0, a);
  other.join();
  Xapian::Database both(a.string());
  both.add_database(Xapian::Database(b.string()));
  both.compact(db.string(), Xapian::Compactor::STANDARD);
  const double seconds = seconds_since(start);
  fs::remove_all(a);
  fs::remove_all(b);
  return seconds;
}

int variants(const std::string& docs_path, const fs::path& work, std::vector<std::string> names) {
  if (names.empty()) names = {"value", "data", "no-title"};
  const std::vector<indexer::Document> docs = read_docs(docs_path);
  fs::create_directories(work);
  for (const std::string& variant : names) {
    if (variant != "data" && variant != "value" && variant != "no-title") {
      std::cerr << "bench-floor: unknown variant " << variant << " (value, data or no-title)\n";
      return 2;
    }
    const Passages p = prepare(docs, variant);
    const fs::path db = work / ("floor-" + variant);
    const double seconds = write_floor(p, db);
    uint64_t size = 0;
    for (const auto& e : fs::recursive_directory_iterator(db))
      if (e.is_regular_file()) size += e.file_size();
    const double mb = static_cast<double>(p.text_bytes) / 1e6;
    std::cout << variant << ": " << p.count << " passages, " << mb << " MB of text, written and compacted in "
              << seconds << " s: " << mb / seconds << " MB/s, index " << static_cast<double>(size) / 1e6 << " MB\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "variants") {
    try {
      return variants(argv[2], argv[3], std::vector<std::string>(argv + 4, argv + argc));
    } catch (const Xapian::Error& e) {
      std::cerr << "bench-floor: " << e.get_description() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "bench-floor: " << e.what() << "\n";
    }
    return 1;
  }
  return bench::driver_main(
      argc, argv, "bench-floor",
      [](const std::string& db, const std::string& docs) {
        try {
          const Passages p = prepare(read_docs(docs), "value");
          std::cout << "timed_s " << write_floor(p, db) << "\n";
        } catch (const Xapian::Error& e) {
          throw std::runtime_error(db + ": " + e.get_description());
        }
      },
      [](const std::string& db_path) -> bench::SearchFn {
        std::shared_ptr<Xapian::Database> db;
        try {
          db = std::make_shared<Xapian::Database>(db_path);
        } catch (const Xapian::Error& e) {
          throw std::runtime_error(db_path + ": " + e.get_description());
        }
        return [db, defaults = query::SearchOptions{}](const std::string& text) {
          std::vector<std::string> ids;
          const query::BuiltQuery built = query::build_query(query::parse_query(text), defaults.build);
          if (built.query.empty()) return ids;
          Xapian::Enquire enquire(*db);
          enquire.set_query(built.query);
          enquire.set_weighting_scheme(Xapian::BM25Weight(defaults.bm25_k1, 0, 1, defaults.bm25_b, 0.5));
          const Xapian::MSet mset = enquire.get_mset(0, 10);
          for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(std::to_string(*it));
          return ids;
        };
      });
}
