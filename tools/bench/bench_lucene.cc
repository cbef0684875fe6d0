// bench-lucene: the benchmark's driver for Lucene++ 3.0 with the CJK
// analyzer (bench_driver.h). One analyzed, unstored field "body" (title,
// newline, text) and a stored, unindexed "id"; the index is optimized to one
// segment after the build. Queries: QueryParser over "body" with the same
// analyzer, default OR, each word quoted (query_words() has removed the
// syntax characters; a Korean word becomes a phrase of its bigrams, as it
// would unquoted); top 10 by Lucene's default similarity.
#include <lucene++/LuceneHeaders.h>
#include <lucene++/CJKAnalyzer.h>
#include <lucene++/QueryParser.h>

#include <iostream>

#include "bench_driver.h"

using namespace Lucene;

namespace {

String wide(const std::string& s) { return StringUtils::toUnicode(s); }

}  // namespace

int main(int argc, char** argv) {
  using namespace bisearch;
  try {
    return bench::driver_main(
        argc, argv, "bench-lucene",
        [](const std::string& path, const std::string& docs) {
          AnalyzerPtr analyzer = newLucene<CJKAnalyzer>(LuceneVersion::LUCENE_CURRENT);
          IndexWriterPtr writer = newLucene<IndexWriter>(FSDirectory::open(wide(path)), analyzer, true,
                                                         IndexWriter::MaxFieldLengthUNLIMITED);
          bench::for_each_doc(docs, [&](bench::Doc&& d) {
            DocumentPtr doc = newLucene<Document>();
            doc->add(newLucene<Field>(L"id", wide(d.id), Field::STORE_YES, Field::INDEX_NO));
            doc->add(newLucene<Field>(L"body", wide(d.title + "\n" + d.text), Field::STORE_NO,
                                      Field::INDEX_ANALYZED));
            writer->addDocument(doc);
          });
          writer->optimize();
          writer->close();
        },
        [](const std::string& path) -> bench::SearchFn {
          AnalyzerPtr analyzer = newLucene<CJKAnalyzer>(LuceneVersion::LUCENE_CURRENT);
          IndexReaderPtr reader = IndexReader::open(FSDirectory::open(wide(path)), true);
          SearcherPtr searcher = newLucene<IndexSearcher>(reader);
          QueryParserPtr parser = newLucene<QueryParser>(LuceneVersion::LUCENE_CURRENT, L"body", analyzer);
          parser->setDefaultOperator(QueryParser::OR_OPERATOR);
          return [reader, searcher, parser](const std::string& text) {
            std::vector<std::string> ids;
            String q;
            for (const std::string& w : bench::query_words(text)) q += (q.empty() ? L"\"" : L" \"") + wide(w) + L"\"";
            if (q.empty()) return ids;
            try {
              TopDocsPtr top = searcher->search(parser->parse(q), 10);
              for (const ScoreDocPtr& sd : top->scoreDocs)
                ids.push_back(StringUtils::toUTF8(searcher->doc(sd->doc)->get(L"id")));
            } catch (LuceneException& e) {
              throw std::runtime_error(StringUtils::toUTF8(e.getError()));
            }
            return ids;
          };
        });
  } catch (LuceneException& e) {
    std::cerr << "bench-lucene: " << StringUtils::toUTF8(e.getError()) << '\n';
    return 2;
  }
}
