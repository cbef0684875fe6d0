// bench-floor: how fast Xapian alone can write bisearch's passages.
//
// It reads a JSONL corpus, cuts and analyzes its passages exactly as
// bisearch-index does (segment, detect_language, record_document, records
// compressed with a dictionary trained on the first MB), and keeps the
// finished Xapian documents in memory. Only then does the clock start: two
// threads each add every other document to a database of their own
// (DB_NO_SYNC, no termlists, a commit per 1,000 passages, as a first build
// does) and the two are compacted into one. That time is the floor of a
// build with this term scheme on Xapian's writer: no analysis, no reading,
// no cross-language pass. Variants show what a change of storage or terms
// would buy before it is built:
//   value     the records in value slot 4, as bisearch-index stores them
//             (schema 5; glass does not deflate values)
//   data      the records in the document data, as schema 4 stored them:
//             glass deflates them at write and again at compaction
//   no-title  as value, without the title's terms on every passage
// Usage: bench-floor CORPUS.jsonl WORKDIR [VARIANT ...] (default: all three)
//
// bench-floor query DB QUERIES.tsv does the same for searching: each query
// (the benchmark's id<TAB>text lines) is parsed and built as bisearch-query
// does, and only Xapian's match of its best 10 passages is timed (then also
// with their records read): no check on the text, no re-rank, no highlights.
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <algorithm>
#include <fstream>

#include "analysis/dead.h"
#include "analysis/language.h"
#include "analysis/record_codec.h"
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
  void problem(indexer::Problem&&) override {}
};

struct Passages {
  std::vector<std::vector<Xapian::Document>> per_doc;  // one entry per input document
  uint64_t text_bytes = 0;
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
    std::vector<analysis::Token> title;
    if (variant != "no-title" && !doc.title.empty()) title = analysis::analyze(doc.title, 0);
    std::vector<Xapian::Document> xs;
    for (size_t i = 0; i < spans.size(); ++i) {
      const std::string_view lang =
          analysis::detect_language(std::string_view(doc.text).substr(spans[i].begin, spans[i].size()));
      Xapian::Document d = indexer::passage_document(doc, static_cast<uint32_t>(i), spans[i], lang, title, codec.get());
      if (!codec) {
        samples.push_back(schema::stored_record(d));
        sampled += samples.back().size();
        if (sampled >= (1u << 20)) codec = schema::RecordCodec::train(samples);
      }
      if (variant == "data") {
        d.set_data(schema::stored_record(d));
        d.remove_value(schema::kSlotRecord);
      }
      xs.push_back(std::move(d));
    }
    out.per_doc.push_back(std::move(xs));
  }
  return out;
}

void write_part(const Passages& p, size_t part, const fs::path& dir) {
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC |
                                                Xapian::DB_NO_TERMLIST);
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

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

int query_floor(const std::string& db_path, const std::string& queries_path) {
  std::vector<std::string> queries;
  std::ifstream in(queries_path);
  for (std::string line; std::getline(in, line);)
    if (const size_t tab = line.find('\t'); tab != std::string::npos) queries.push_back(line.substr(tab + 1));
  if (queries.empty()) {
    std::cerr << "bench-floor: no queries in " << queries_path << "\n";
    return 1;
  }
  const query::SearchOptions defaults;
  const Xapian::Database db(db_path);
  const analysis::Liveness liveness(std::vector<Xapian::Database>{db});
  for (const bool read_records : {false, true}) {
    std::vector<double> ms;
    const auto all = std::chrono::steady_clock::now();
    size_t hits = 0;
    for (const std::string& text : queries) {
      const auto t = std::chrono::steady_clock::now();
      const query::BuiltQuery built = query::build_query(query::parse_query(text), defaults.build);
      if (!built.query.empty()) {
        Xapian::Enquire enquire(db);
        enquire.set_query(analysis::without_dead(built.query, liveness));
        enquire.set_weighting_scheme(Xapian::BM25Weight(defaults.bm25_k1, 0, 1, defaults.bm25_b, 0.5));
        const Xapian::MSet mset = enquire.get_mset(0, 10);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          ++hits;
          if (read_records && !schema::deserialize(schema::stored_record(it.get_document()), db))
            throw std::runtime_error("unreadable record");
        }
      }
      ms.push_back(seconds_since(t) * 1e3);
    }
    std::cout << (read_records ? "match + records" : "match only") << ": " << queries.size() << " queries, " << hits
              << " hits; p50 " << percentile(ms, 0.5) << " ms, p95 " << percentile(ms, 0.95) << " ms, p99 "
              << percentile(ms, 0.99) << " ms, batch " << seconds_since(all) << " s\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "query") {
    try {
      return query_floor(argv[2], argv[3]);
    } catch (const Xapian::Error& e) {
      std::cerr << "bench-floor: " << e.get_description() << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "bench-floor: " << e.what() << "\n";
      return 1;
    }
  }
  if (argc < 3) {
    std::cerr << "usage: bench-floor CORPUS.jsonl WORKDIR [value|data|no-title ...]\n"
                 "       bench-floor query DB QUERIES.tsv\n";
    return 2;
  }
  std::vector<std::string> variants(argv + 3, argv + argc);
  if (variants.empty()) variants = {"value", "data", "no-title"};
  try {
    Collect sink;
    indexer::SourceFile file;
    file.path = argv[1];
    file.rel = file.path.filename().string();
    file.format = indexer::Format::kJsonl;
    indexer::read_jsonl(file, indexer::ExtractOptions{}, sink);
    const fs::path work = argv[2];
    for (const std::string& variant : variants) {
      if (variant != "data" && variant != "value" && variant != "no-title") {
        std::cerr << "bench-floor: unknown variant " << variant << "\n";
        return 2;
      }
      const Passages p = prepare(sink.docs, variant);
      const fs::path dir = work / ("floor-" + variant);
      fs::remove_all(dir);
      fs::create_directories(dir);
      const auto start = std::chrono::steady_clock::now();
      std::thread other(write_part, std::cref(p), 1, dir / "b");
      write_part(p, 0, dir / "a");
      other.join();
      const double written = seconds_since(start);
      Xapian::Database both((dir / "a").string());
      both.add_database(Xapian::Database((dir / "b").string()));
      both.compact((dir / "db").string(), Xapian::Compactor::STANDARD);
      const double total = seconds_since(start);
      uint64_t size = 0;
      for (const auto& e : fs::recursive_directory_iterator(dir / "db"))
        if (e.is_regular_file()) size += e.file_size();
      size_t passages = 0;
      for (const auto& d : p.per_doc) passages += d.size();
      const double mb = p.text_bytes / 1e6;
      std::cout << variant << ": " << passages << " passages, " << mb << " MB of text; written in " << written
                << " s, compacted at " << total << " s: " << mb / total << " MB/s, index " << size / 1e6 << " MB\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "bench-floor: " << e.what() << "\n";
    return 1;
  } catch (const Xapian::Error& e) {
    std::cerr << "bench-floor: " << e.get_description() << "\n";
    return 1;
  }
  return 0;
}
