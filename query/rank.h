/** @file rank.h
 *  @brief Opens bisearch indexes and ranks passages for a query.
 *
 *  A Searcher opens one or more indexes as one (Xapian combines their
 *  statistics), refuses any index whose analyzer differs from the one
 *  compiled in, and ranks with BM25. The index has no positions, so every
 *  candidate is checked on its own text (and title) before it becomes a
 *  hit: a Korean word's bigrams must be adjacent and a phrase in order
 *  (build_query.h); candidates that only hold the terms apart are dropped.
 *  A search that races an update
 *  (DatabaseModifiedError) reopens and retries. Not thread-safe: use one
 *  Searcher per thread.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/parts.h"
#include "analysis/schema.h"
#include "query/build_query.h"
#include "query/expand.h"
#include "query/highlight.h"
#include "query/shards.h"

namespace bisearch::query {

/// A failure that concerns the whole search: bad index path, wrong analyzer.
class SearchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SearchOptions {
  std::vector<std::string> dbs;   ///< index directories (at least one)
  size_t limit = 10;              ///< hits to return
  size_t offset = 0;              ///< hits to skip
  std::string lang;               ///< "" (any), "ko", "en" or "mixed"
  std::vector<std::string> docs;  ///< restrict to these document ids (any of)
  BuildOptions build;             ///< query construction
  double bm25_k1 = 0.5;           ///< BM25 term-frequency saturation (docs/analyzer.md)
  double bm25_b = 0.75;           ///< BM25 length normalization
  /// Proximity re-ranking of the top `rerank_depth` passages: a passage's
  /// BM25 score is multiplied by 1 + proximity_weight * (c - 1) / (n - 1),
  /// where n is the number of query clauses and c the most distinct clauses
  /// matched within `proximity_window` positions of each other. 0 turns it
  /// off. Defaults measured on KorQuAD (docs/analyzer.md).
  double proximity_weight = 1.0;
  uint32_t proximity_window = 50;
  size_t rerank_depth = 50;
  /// Cross-language expansion (--cross, expand.h): each clause's known
  /// translations are added as weighted alternatives. On by default
  /// (measured in docs/crosslang.md).
  bool cross = true;
  ExpandOptions expand;
  /// Candidates checked at most per search. The index has no positions, so
  /// a candidate of a sequence (a Korean word's bigrams, a phrase) is
  /// checked on its text and dropped when the terms only occur apart; a
  /// search stops looking for more hits after this many candidates.
  size_t max_checked = 20000;
  /// The total (and facets, dates) count every matching passage exactly
  /// when at most this many candidates need their text checked (those
  /// holding none of the query's one-term units: a Korean word only inside
  /// a compound, a phrase); beyond it, an evenly spaced sample of this many
  /// is checked and its share of hits stands for the rest ("about").
  size_t count_bound = 1000;

  // --- Narrowing and grouping (issue 12) ---
  std::string since;  ///< ISO 8601 date (YYYY-MM-DD), inclusive; "" = no bound (--since)
  std::string until;  ///< ISO 8601 date, inclusive; "" = no bound (--until)
  enum class Sort { kRelevance, kDate, kDateDesc };
  Sort sort = Sort::kRelevance;  ///< --sort relevance|date|-date (undated passages last)
  std::vector<std::string> paths;  ///< source path prefixes, any of (--path)
  /// Metadata fields that must hold, all of them (--field key=value); a key
  /// the index does not keep is a SearchError naming it.
  std::vector<std::pair<std::string, std::string>> fields;
  /// Facets to count over all matching passages: "lang", "year", "folder",
  /// "field:KEY" (--facets); an unknown name is a SearchError.
  std::vector<std::string> facets;
  /// At most this many passages of one document (and its exact copies) in
  /// the results; the others are counted in Hit::more_in_doc. 0: no grouping.
  size_t per_doc = 2;
};

struct Hit {
  size_t rank = 0;                 ///< 1-based, counting the offset
  double score = 0;
  schema::PassageRecord record;
  std::vector<Range> highlights;   ///< byte ranges in record.text
  /// The passage's aligned translation (counterpart.h), when it has one.
  std::optional<schema::PassageRecord> counterpart;
  /// Byte ranges in record.title matched by the query.
  std::vector<Range> title_highlights;
  /// The passage matched on its document's title words alone (none of the
  /// query's words is in its text): said so in the output.
  bool title_only = false;
  /// Further matching passages of this document (and its copies) that the
  /// grouping (SearchOptions::per_doc) left out.
  uint64_t more_in_doc = 0;
  /// Doc ids of other indexed documents with the same content (same
  /// kSlotDocKey): one hit stands for all of them.
  std::vector<std::string> copies;
};

/// Counts of one facet over the matching passages.
struct Facet {
  std::string name;  ///< "lang", "year", "folder", "field:KEY"
  std::vector<std::pair<std::string, uint64_t>> values;  ///< value, passages; most first
};

struct SearchResult {
  std::vector<Hit> hits;
  /// Matching passages (copies included), whatever the page: exact when
  /// total_exact, else estimated from a sample (SearchOptions::count_bound).
  uint64_t total_estimate = 0;
  /// Whether total_estimate, the facets and the dates are exact (every
  /// candidate counted: at most count_bound needed a text check) or
  /// estimates beyond that bound ("about").
  bool total_exact = false;
  std::vector<Facet> facets;       ///< in SearchOptions::facets' order
  /// ISO dates of the earliest/latest matching passage ("" if none),
  /// counted with the facets (only when SearchOptions::facets is not empty).
  std::string date_first, date_last;
  std::string description;         ///< the parsed query, for --explain
  std::vector<Expansion> expansions;  ///< translations added by --cross
};

/// @p q as a filter on all documents: Query(OP_FILTER, every_document(), q), for
/// BoolWeight matches. A first version of schema 7 met Xapian 1.4.22
/// throwing "Unexpected end of posting list" on a BoolWeight match of a
/// term that is in every document of a database with gaps in its document
/// ids (passages deleted by updates); the filter form matches the same
/// documents and avoided it. Not reproduced with this code (the test
/// AWordInEveryPassageIsFoundAfterDeletes passes without it too), kept as
/// cheap insurance. Empty @p q stays empty.
Xapian::Query all_documents_filter(const Xapian::Query& q);

class Searcher {
 public:
  /// Opens the indexes. Throws SearchError naming the offending path.
  explicit Searcher(SearchOptions options);

  /// Runs @p query_text. Throws SearchError on an index failure.
  SearchResult search(std::string_view query_text);

  const SearchOptions& options() const { return options_; }
  /// Replaces the per-search settings (limit, offset, filters, sort, ...)
  /// and keeps the opened indexes (bisearch-serve: one Searcher per worker
  /// thread, its settings per request); @p options.dbs is ignored.
  void set_options(SearchOptions options) {
    options.dbs = options_.dbs;
    options_ = std::move(options);
  }
  /// The opened indexes, as one database (for term lookups, terms.h).
  const Xapian::Database& database() const { return db_; }

 private:
  SearchResult search_once(std::string_view query_text);
  double proximity(const std::vector<UnitMatch>& matches, uint32_t clauses) const;

  // The shard that a network error came from (its name), for the message.
  std::string failed_shard();
  // Opens and checks the shards options_.dbs names (the constructor; again
  // after a remote shard's connection was lost).
  void open_shards();

  SearchOptions options_;
  std::vector<ShardSpec> shards_;        // what options_.dbs named (shards.h)
  bool remote_ = false;                  // some shard is remote
  Xapian::Database db_;
  std::vector<Xapian::Database> parts_;  // share their internals with db_
  analysis::PartsRegistration registration_;  // parts_ for metadata reads (parts.h)
};

}  // namespace bisearch::query
