// bench-xapian: the benchmark's driver for stock Xapian 1.4 (bench_driver.h):
// TermGenerator with FLAG_CJK_NGRAM, no stemmer, title then text; the id in
// the document data. Queries: QueryParser with FLAG_CJK_NGRAM, default OR,
// BM25 defaults (as in bisearch-eval-korquad's stock engine).
#include <xapian.h>

#include <memory>

#include "bench_driver.h"

int main(int argc, char** argv) {
  using namespace bisearch;
  return bench::driver_main(
      argc, argv, "bench-xapian",
      [](const std::string& db_path, const std::string& docs) {
        Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        Xapian::TermGenerator generator;
        generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        bench::for_each_doc(docs, [&](bench::Doc&& d) {
          Xapian::Document doc;
          generator.set_document(doc);
          generator.index_text(d.title);
          generator.increase_termpos();
          generator.index_text(d.text);
          doc.set_data(d.id);
          db.add_document(doc);
        });
        db.commit();
      },
      [](const std::string& db_path) -> bench::SearchFn {
        auto db = std::make_shared<Xapian::Database>(db_path);
        auto enquire = std::make_shared<Xapian::Enquire>(*db);
        enquire->set_weighting_scheme(Xapian::BM25Weight());
        auto parser = std::make_shared<Xapian::QueryParser>();
        parser->set_database(*db);
        parser->set_default_op(Xapian::Query::OP_OR);
        return [db, enquire, parser](const std::string& text) {
          std::vector<std::string> ids;
          try {
            const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;
            enquire->set_query(parser->parse_query(text, flags));
            const Xapian::MSet mset = enquire->get_mset(0, 10);
            for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(it.get_document().get_data());
          } catch (const Xapian::Error& e) {
            throw std::runtime_error(e.get_description());
          }
          return ids;
        };
      });
}
