/** @file write.h
 *  @brief Writing passages into the Xapian index; the only indexer module that uses Xapian.
 *
 *  Layout (see analysis/schema.h, the persistent format): one Xapian
 *  document per passage, holding
 *   - the analyzer's terms of the passage text (words, CJK bigrams and
 *     unigrams, Z stems, K Korean words) with their frequencies and without
 *     positions (schema.h: the searcher checks word order on the passage
 *     text); a term longer than Xapian's limit (kMaxTermBytes) is dropped;
 *   - the same for the document's title, each with the title prefix S
 *     (schema::title_term), not as free text;
 *   - boolean terms Q<hash of doc_id>#<n>, XD<doc_id>, L<lang>, XP<each
 *     '/'-prefix of the source file's relative path> and XF<key>=<value> for
 *     each kept metadata field (kept_fields());
 *   - values: 2 lang, 3 the date normalized (analysis/dates.h; none when not
 *     understood), 4 the stored PassageRecord (schema::set_stored_record),
 *     5 the document key (schema::content_key of the body), 6 the folder;
 *     lang from detect_language().
 *  Every added, removed or renamed document id is also written, in the same
 *  transaction, as a bisearch.pending.<id> metadata key (analysis/crosslang.h)
 *  that the cross-language pass consumes.
 *  Metadata: bisearch.analyzer = schema::analyzer_id(), bisearch.schema,
 *  bisearch.root = the run's roots, '\n'-joined, bisearch.fields = the keys
 *  of every kept field written so far (sorted, '\n'-joined; a key whose
 *  documents are all removed stays listed until a rebuild).
 *
 *  Replacing: the index keeps its termlist table (schema.h, version 7), so
 *  adding a document first deletes every passage indexed under its XD term,
 *  in the same transaction: indexing the same document again replaces it.
 *  Removing deletes the same way; renaming indexes the records again under
 *  the new id and deletes the old passages.
 *
 *  The manifest (manifest.h) is written through the same object, inside the
 *  same transactions as the passages it describes.
 *
 *  Crash safety: all changes happen inside one open Xapian transaction that
 *  is committed only when the caller asks (commit()), which the indexer does
 *  only at points where the manifest agrees with the passages. A process
 *  killed between commits leaves the index as of the last commit. On a
 *  Xapian failure, and in the destructor, the open transaction is cancelled
 *  (never committed implicitly by Xapian's destructor). Nothing is written,
 *  not even metadata, until the first change: a run that changes nothing
 *  leaves the index's revision as it was.
 *
 *  A fresh database (WriterOptions::fresh) is written with DB_NO_SYNC and
 *  synced once by close(): killing the process still leaves the last commit
 *  intact (the data is in the page cache), but an OS crash or power loss
 *  during a first build or a rebuild can leave the new database broken (a
 *  first build is then re-run into an empty --db; a rebuild's generation is
 *  never live before close()).
 *
 *  Not thread-safe; one IndexWriter per index. Xapian's lock stops a second
 *  writer (another process) from opening the same index.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/record_codec.h"
#include "analysis/schema.h"
#include "indexer/extract.h"
#include "indexer/segment.h"
#include "indexer/shard.h"

namespace bisearch::indexer {

/// Xapian (glass) refuses terms longer than this many bytes.
inline constexpr size_t kMaxTermBytes = 245;

struct WriterOptions {
  /// Commit after the document that brings the open batch to this many
  /// passages. Larger batches use more memory and, past ~1,000 passages,
  /// more time (docs/benchmark.md). Default 1,000.
  size_t batch_passages = 1000;
  /// Absolute roots of this run, stored as bisearch.root. Default none.
  std::vector<std::string> roots;
  /// Memory the open batch may take, in bytes: it also counts as full once
  /// its passages' text, times kMemoryPerTextByte, reaches half of this
  /// (the rest is for Xapian's commit, caches and the process). 0 = no limit.
  uint64_t memory_budget = 0;
  /// The database is new (a first build or a rebuild generation that is not
  /// live yet): written without fsync (DB_NO_SYNC); close() syncs its files.
  bool fresh = false;
  /// Writer threads of a fresh database: with 2, a ShardWriter (shard.h)
  /// writes about half of the documents into a shard that finish_shards()
  /// merges in, compacting the database. Ignored unless fresh. Default 1.
  unsigned threads = 1;
  /// "I/N" of --shard, stored as schema::kMetaShard ("" = none).
  std::string shard;
};

/// Measured peak RSS growth of an open batch per byte of passage text
/// (Korean speeches, whole corpus in one batch: ~16); rounded up.
inline constexpr uint64_t kMemoryPerTextByte = 20;

/// Passages written, by detected language.
struct PassageCounts {
  uint64_t ko = 0;
  uint64_t en = 0;
  uint64_t mixed = 0;
  uint64_t total() const { return ko + en + mixed; }
  PassageCounts& operator+=(const PassageCounts& o) {
    ko += o.ko;
    en += o.en;
    mixed += o.mixed;
    return *this;
  }
};

/// The metadata fields of @p doc kept in the index (XF terms, record
/// fields): keys (lower-cased) that schema::valid_field_key() accepts,
/// values of 1 to schema::kMaxFieldValueBytes bytes on one line; sorted by key.
std::vector<std::pair<std::string, std::string>> kept_fields(const Document& doc);

/// The tokens of a document title, analyzed once for all its passages
/// (record_document's @p title_tokens); none for an empty title.
std::vector<analysis::Token> title_tokens(std::string_view title);

/// Plain records a fresh build samples to train its record dictionary on
/// (record_codec.h): 1 MB of speeches trains a dictionary that stores them
/// in 0.389 of their plain size, 4 MB in 0.377; the records written while
/// sampling (by both writers) stay plain.
inline constexpr uint64_t kRecordSampleBytes = 1 << 20;

/// The stored record of passage @p n of @p doc, spanning @p span of
/// doc.text, in language @p lang.
schema::PassageRecord passage_record(const Document& doc, uint32_t n, Span span, std::string_view lang);

/// The Xapian document of a passage record: everything it holds (terms,
/// values, data) follows from the record, so a stored passage can be
/// indexed again without its source. @p title_tokens are
/// analyze(record.title, 0), computed once per document. Touches no database.
/// The record is stored compressed by @p codec when one is given.
Xapian::Document record_document(const schema::PassageRecord& record, const std::vector<analysis::Token>& title_tokens,
                                 const schema::RecordCodec* codec = nullptr);

/// record_document(passage_record(doc, n, span, lang), title_tokens, codec).
Xapian::Document passage_document(const Document& doc, uint32_t n, Span span, std::string_view lang,
                                  const std::vector<analysis::Token>& title_tokens,
                                  const schema::RecordCodec* codec = nullptr);

class IndexWriter {
 public:
  /// Opens @p db, creating it if needed. Throws FatalError naming @p db when
  /// it cannot be opened or created, is locked by another writer, is a
  /// non-empty directory that is not a Xapian index, or was built by another
  /// analyzer or schema version.
  IndexWriter(const std::filesystem::path& db, const WriterOptions& options);
  /// Cancels uncommitted changes.
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  /// Replaces the passages of @p doc by @p passages (spans of doc.text).
  /// REQUIRES: passages is not empty. Throws FatalError on a database error
  /// (the open batch is then lost, the index stays as of the last commit).
  /// Never commits by itself.
  PassageCounts add(const Document& doc, const std::vector<Span>& passages);

  /// Deletes every passage of document @p doc_id. Throws FatalError.
  void remove_document(const std::string& doc_id);

  /// Gives the passages of document @p from the id @p to, the source
  /// @p source and the root-relative path @p rel: their records are
  /// relabelled and indexed again (Q/XD/XP terms and the folder value
  /// follow), the rest is kept. Returns the number of passages. Throws FatalError.
  uint32_t rename_document(const std::string& from, const std::string& to, const std::string& source,
                           const std::string& rel);

  /// Writes (or, with std::nullopt, deletes) the manifest entry under @p key.
  /// Throws FatalError.
  void set_entry(const std::string& key, const std::string* value);

  /// The index as it stands, uncommitted changes included (for reading
  /// metadata and documents).
  const Xapian::Database& database() const { return reading_shard_ ? reader_ : db_; }

  /// True when the open batch holds batch_passages or more passages, or
  /// its estimated memory reaches half the memory budget (a quarter while a
  /// ShardWriter holds another batch).
  bool batch_full() const {
    const uint64_t share = options_.memory_budget / (shard_ ? 4 : 2);
    return pending_ >= options_.batch_passages ||
           (options_.memory_budget > 0 && pending_text_bytes_ * kMemoryPerTextByte >= share);
  }

  /// With a ShardWriter: waits for it and from then on reads its database
  /// beside this one (database() is both), while
  /// writes go to this one; close() merges them (merge_in_place), which is
  /// also the build's compaction. Called by close() when not called before;
  /// does nothing without a shard. Returns the passages the shard wrote (0
  /// without one). Throws FatalError.
  uint64_t finish_shards();

  /// Whether close() compacted the database (by merging a shard into it).
  bool compacted() const { return compacted_; }

  /// Whether anything was changed since the writer was opened.
  bool changed() const { return changed_; }

  /// Commits the open batch. Throws FatalError.
  void commit();

  /// Commits and closes the index. Throws FatalError.
  void close();

  /// Passages added since the last commit.
  size_t pending_passages() const { return pending_; }

 private:
  [[noreturn]] void fail(const char* doing, const Xapian::Error& e);
  void begin();
  // Records, in the open transaction, that @p doc_id's cross-language data
  // (counterparts, lexicon) must be derived again (indexer/crosslang.h).
  void mark_pending(const std::string& doc_id);
  // Opens the transaction and writes the run's metadata, once.
  void start_writing();
  // Deletes every passage of @p doc_id (in the open transaction).
  void bury(const std::string& doc_id);
  // A fresh build without a record dictionary keeps copies of the plain
  // records it writes until it has kRecordSampleBytes of them, then trains the
  // dictionary (record_codec.h) that compresses the records after them,
  // its own and the shard's; a smaller build stays plain.
  void sample(const std::vector<Xapian::Document>& docs);
  std::string path_;
  WriterOptions options_;
  Xapian::WritableDatabase db_;
  bool in_transaction_ = false;
  bool closed_ = false;
  bool changed_ = false;
  size_t pending_ = 0;
  uint64_t pending_text_bytes_ = 0;
  std::unique_ptr<ShardWriter> shard_;
  uint64_t shard_passages_ = 0;
  std::shared_ptr<const schema::RecordCodec> codec_;  // nullptr: plain records
  std::set<std::string> field_keys_;            // bisearch.fields
  bool field_keys_changed_ = false;
  // After finish_shards(): the shard's database, read with this one as reader_.
  bool reading_shard_ = false;
  std::filesystem::path shard_dir_;
  Xapian::Database shard_db_;
  Xapian::Database reader_;
  bool compacted_ = false;
  bool sampling_ = false;
  std::vector<std::string> samples_;
  uint64_t sample_bytes_ = 0;
};

/// Opens the existing index @p path for writing (also one of schema 6 or
/// older, which has no termlist table). Throws Xapian errors.
Xapian::WritableDatabase open_existing(const std::string& path);

/// Rewrites the closed glass database in @p dir compacted (Xapian's
/// compactor, STANDARD: the B-trees rebuilt in order; FULLER's full blocks
/// broke glass's next update, write.cc), then moves the compacted tables
/// over the originals, the version file last.
/// For a database nobody else has open for writing (a fresh build); a search
/// that opens it during the move may fail and must be re-run. Throws
/// FatalError naming @p dir.
void compact_in_place(const std::filesystem::path& dir);

/// Merges the closed databases @p dir and @p shard: their documents
/// (renumbered, @p dir's first, so its ids stay) and metadata (@p dir's
/// wins) are written by the compactor (STANDARD, as compact_in_place) over
/// @p dir, then @p shard is deleted. Throws FatalError naming @p dir.
void merge_in_place(const std::filesystem::path& dir, const std::filesystem::path& shard);

/// Bytes taken by the files under @p dir (0 if it does not exist).
uint64_t directory_size(const std::filesystem::path& dir);

}  // namespace bisearch::indexer
