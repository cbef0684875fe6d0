// write.cc: passages to Xapian documents, batched in transactions of whole documents.
#include "indexer/write.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "analysis/analyzer.h"
#include "analysis/crosslang.h"
#include "analysis/dates.h"
#include "analysis/language.h"
#include "analysis/schema.h"

namespace bisearch::indexer {
namespace fs = std::filesystem;
namespace {

// A directory that holds files but none of Xapian's: not ours to write into.
bool is_foreign_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  bool any = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "iamglass" || name == "iamchert" || name == "iamhoney" || name == "flintlock" || name == "XAPIANDB") return false;
    any = true;
  }
  return any;
}

Xapian::WritableDatabase open_database(const std::string& path, bool fresh) {
  if (is_foreign_directory(path))
    throw FatalError(path + ": directory exists and is not a Xapian index; choose another --db");
  try {
    // An existing index is opened, never created: after a rebuild swapped a
    // new generation in (generation.h) the path is a stub directory, which
    // Xapian follows only when no backend is forced.
    std::error_code ec;
    if (fs::exists(fs::path(path) / "iamglass", ec) || fs::exists(fs::path(path) / "XAPIANDB", ec))
      return open_existing(path);
    // With termlists (schema 7): a superseded passage is deleted.
    return Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS |
                                              (fresh ? Xapian::DB_NO_SYNC : 0));
  } catch (const Xapian::DatabaseLockError&) {
    throw FatalError(path + ": index is being updated by another process (lock held)");
  } catch (const Xapian::Error& e) {
    throw FatalError(path + ": cannot open or create index: " + e.get_description());
  }
}

}  // namespace

Xapian::WritableDatabase open_existing(const std::string& path) {
  try {
    return Xapian::WritableDatabase(path, Xapian::DB_OPEN);
  } catch (const Xapian::DatabaseOpeningError&) {
    // An index of schema 6 or older has no termlist table, and glass will
    // not open it for writing without this flag; the schema check that
    // follows names the way out.
    return Xapian::WritableDatabase(path, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
  }
}

namespace {

// fsync(2)s every regular file in @p dir, then the directory.
void sync_files(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::fsync(fd) != 0) {
      const int err = errno;
      ::close(fd);
      throw FatalError(it->path().string() + ": cannot sync: " + std::strerror(err));
    }
    ::close(fd);
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

schema::PassageRecord passage_record(const Document& doc, uint32_t n, Span span, std::string_view lang) {
  schema::PassageRecord r;
  r.doc_id = doc.doc_id;
  r.title = doc.title;
  r.date = doc.date;
  r.url = doc.url;
  r.source = doc.source;
  r.passage = n;
  r.lang = std::string(lang);
  r.begin = span.begin;
  r.end = span.end;
  r.text = std::string(std::string_view(doc.text).substr(span.begin, span.size()));
  r.path = doc.rel;
  r.doc_key = doc.content_key.empty() ? schema::content_key(std::string_view(doc.text).substr(doc.body_begin))
                                      : doc.content_key;
  r.fields = kept_fields(doc);
  if (!doc.place_unit.empty()) {
    const auto [first, last] = places_of(doc, span.begin, span.end);
    if (first > 0) {
      r.place_unit = doc.place_unit;
      r.place_first = first;
      r.place_last = last;
    }
  }
  return r;
}

std::vector<std::pair<std::string, std::string>> kept_fields(const Document& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : doc.fields) {
    std::string k = key;
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!schema::valid_field_key(k) || value.empty() || value.size() > schema::kMaxFieldValueBytes) continue;
    if (value.find_first_of("\r\n") != std::string::npos) continue;  // a literal block: text, not a field
    out.emplace_back(std::move(k), value);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  return out;
}

std::vector<analysis::Token> title_tokens(std::string_view title) {
  return title.empty() ? std::vector<analysis::Token>{} : analysis::analyze(title, 0);
}

Xapian::Document record_document(const schema::PassageRecord& r, const std::vector<analysis::Token>& title_tokens,
                                 const schema::RecordCodec* codec) {
  Xapian::Document xd;
  // The passage's terms; the document title's as S terms (schema.h), so a
  // title match is known as such. No positions are stored (schema.h): word
  // order is checked on the passage text itself when a query is matched.
  for (const analysis::Token& t : analysis::analyze(r.text)) {
    const std::string term = analysis::index_term(t);
    if (term.size() <= kMaxTermBytes) xd.add_term(term);
  }
  for (const analysis::Token& t : title_tokens) {
    const std::string term = schema::title_term(analysis::index_term(t));
    if (term.size() <= kMaxTermBytes) xd.add_term(term);
  }
  xd.add_boolean_term(schema::uid_term(r.doc_id, r.passage));
  xd.add_boolean_term(schema::doc_term(r.doc_id));
  for (const std::string& t : analysis::gloss_pair_terms(r.text))
    xd.add_boolean_term(t);
  std::string lang_term(schema::kPrefixLang);
  lang_term += r.lang;
  xd.add_boolean_term(lang_term);
  for (const std::string& t : schema::folder_terms(r.path)) xd.add_boolean_term(t);
  for (const auto& [key, value] : r.fields) xd.add_boolean_term(schema::field_term(key, value));
  xd.add_value(schema::kSlotLang, r.lang);
  if (const std::optional<std::string> date = normalize_date(r.date)) xd.add_value(schema::kSlotDate, *date);
  if (!r.doc_key.empty()) xd.add_value(schema::kSlotDocKey, r.doc_key);
  if (const std::string folder = schema::folder_of(r.path); !folder.empty()) xd.add_value(schema::kSlotFolder, folder);
  schema::set_stored_record(xd, r, codec);
  return xd;
}

Xapian::Document passage_document(const Document& doc, uint32_t n, Span span, std::string_view lang,
                                   const std::vector<analysis::Token>& title_tokens, const schema::RecordCodec* codec) {
  return record_document(passage_record(doc, n, span, lang), title_tokens, codec);
}

// The shard of a fresh build, inside the database it is merged into.
constexpr const char* kShardDir = "shard";

IndexWriter::IndexWriter(const fs::path& db, const WriterOptions& options)
    : path_(db.string()), options_(options), db_(open_database(path_, options.fresh)) {
  try {
    const std::string have = db_.get_metadata(schema::kMetaAnalyzer);
    const std::string want = schema::analyzer_id();
    if (!have.empty() && have != want)
      throw FatalError(path_ + ": index was built by analyzer " + have + ", this is " + want +
                       "; index into a new --db");
    if (have.empty() && db_.get_doccount() > 0)
      throw FatalError(path_ + ": not a bisearch index (no " + schema::kMetaAnalyzer +
                       " metadata); index into a new --db");
    const std::string schema_have = db_.get_metadata(schema::kMetaSchema);
    const std::string schema_want = std::to_string(schema::kSchemaVersion);
    if (!schema_have.empty() && schema_have != schema_want)
      throw FatalError(path_ + ": index has schema version " + schema_have + ", this is " + schema_want +
                       (schema::older_schema(schema_have)
                            ? " (its passages cannot be deleted); run over all its roots or use --rebuild"
                            : "; index into a new --db"));
    codec_ = schema::codec_of(db_);
    const std::string keys = db_.get_metadata(schema::kMetaFields);
    for (size_t at = 0; at < keys.size();) {
      size_t nl = keys.find('\n', at);
      if (nl == std::string::npos) nl = keys.size();
      if (nl > at) field_keys_.insert(keys.substr(at, nl - at));
      at = nl + 1;
    }
  } catch (const Xapian::Error& e) {
    fail("cannot prepare index", e);
  }
  sampling_ = options_.fresh && !codec_ && db_.get_doccount() == 0;
  if (options_.fresh && options_.threads > 1 && db_.get_doccount() == 0) {
    const fs::path dir = fs::path(path_) / kShardDir;
    std::error_code ec;
    fs::remove_all(dir, ec);
    shard_ = std::make_unique<ShardWriter>(dir, options_.batch_passages, options_.memory_budget / 2);
  }
}

IndexWriter::~IndexWriter() {
  shard_.reset();  // a failed or abandoned build: its shard goes with the database directory
  if (closed_) return;
  try {
    if (in_transaction_) db_.cancel_transaction();
    db_.close();
  } catch (...) {
    // Nothing more can be done; the index stays as of the last commit.
  }
}

void IndexWriter::fail(const char* doing, const Xapian::Error& e) {
  if (in_transaction_) {
    in_transaction_ = false;
    try {
      db_.cancel_transaction();
    } catch (...) {
    }
  }
  throw FatalError(path_ + ": " + doing + ": " + e.get_description());
}

void IndexWriter::begin() {
  db_.begin_transaction(true);
  in_transaction_ = true;
}

void IndexWriter::start_writing() {
  if (!in_transaction_) begin();
  if (changed_) return;
  changed_ = true;
  const std::string want = schema::analyzer_id();
  if (db_.get_metadata(schema::kMetaAnalyzer) != want) db_.set_metadata(schema::kMetaAnalyzer, want);
  const std::string schema_want = std::to_string(schema::kSchemaVersion);
  if (db_.get_metadata(schema::kMetaSchema) != schema_want) db_.set_metadata(schema::kMetaSchema, schema_want);
  if (!options_.shard.empty() && db_.get_metadata(schema::kMetaShard) != options_.shard)
    db_.set_metadata(schema::kMetaShard, options_.shard);
  std::string roots;
  for (const std::string& r : options_.roots) roots += (roots.empty() ? "" : "\n") + r;
  if (!roots.empty() && db_.get_metadata(schema::kMetaRoot) != roots) db_.set_metadata(schema::kMetaRoot, roots);
}

void IndexWriter::bury(const std::string& doc_id) {
  // Deleted for real (schema 7): the collection statistics count live
  // passages only, as in a fresh build of the same files.
  const std::string term = schema::doc_term(doc_id);
  if (db_.term_exists(term)) db_.delete_document(term);
}

void IndexWriter::remove_document(const std::string& doc_id) {
  try {
    start_writing();
    bury(doc_id);
    mark_pending(doc_id);
  } catch (const Xapian::Error& e) {
    fail("cannot write index", e);
  }
}

uint32_t IndexWriter::rename_document(const std::string& from, const std::string& to, const std::string& source,
                                      const std::string& rel) {
  uint32_t n = 0;
  try {
    start_writing();
    const std::string from_term = schema::doc_term(from);
    std::vector<Xapian::docid> ids;
    for (auto it = db_.postlist_begin(from_term); it != db_.postlist_end(from_term); ++it) ids.push_back(*it);
    // Its record, relabelled, is indexed again (the same text gives the same
    // terms; the ids of all its terms follow) and the old passage is deleted.
    std::vector<Xapian::Document> docs;
    // The passages of one document share its title: analyzed once.
    std::optional<std::string> title;
    std::vector<analysis::Token> title_terms;
    for (const Xapian::docid id : ids) {
      std::optional<schema::PassageRecord> r = schema::read_record(db_.get_document(id), db_);
      if (!r) throw FatalError(path_ + ": passage " + std::to_string(id) + " of \"" + from + "\" has unreadable data");
      r->doc_id = to;
      r->source = source;
      r->path = rel;
      if (title != r->title) {
        title = r->title;
        title_terms = title_tokens(r->title);
      }
      docs.push_back(record_document(*r, title_terms, codec_.get()));
    }
    bury(from);
    for (const Xapian::Document& d : docs) {
      db_.add_document(d);
      ++n;
    }
    mark_pending(from);
    mark_pending(to);
  } catch (const Xapian::Error& e) {
    fail("cannot write index", e);
  }
  pending_ += n;
  return n;
}

void IndexWriter::mark_pending(const std::string& doc_id) {
  db_.set_metadata(analysis::pending_meta_key(doc_id), doc_id);
}

void IndexWriter::set_entry(const std::string& key, const std::string* value) {
  try {
    start_writing();
    db_.set_metadata(key, value ? *value : std::string());
  } catch (const Xapian::Error& e) {
    fail("cannot write index", e);
  }
}

void IndexWriter::sample(const std::vector<Xapian::Document>& docs) {
  for (const Xapian::Document& d : docs) {
    samples_.push_back(schema::stored_record(d));
    sample_bytes_ += samples_.back().size();
  }
  if (sample_bytes_ < kRecordSampleBytes) return;
  sampling_ = false;
  codec_ = schema::RecordCodec::train(samples_);
  samples_ = {};
  if (!codec_) return;
  schema::register_codec(codec_);
  db_.set_metadata(schema::kMetaDictionary, codec_->dictionary());
  if (shard_) shard_->set_codec(codec_);
}

PassageCounts IndexWriter::add(const Document& doc, const std::vector<Span>& passages) {
  for (auto& [key, value] : kept_fields(doc))
    if (field_keys_.insert(key).second) field_keys_changed_ = true;
  PassageCounts counts;
  std::vector<std::string> langs;
  langs.reserve(passages.size());
  for (const Span& s : passages) {
    const std::string_view lang = analysis::detect_language(std::string_view(doc.text).substr(s.begin, s.size()));
    if (lang == "ko")
      ++counts.ko;
    else if (lang == "en")
      ++counts.en;
    else
      ++counts.mixed;
    langs.emplace_back(lang);
  }
  if (shard_ && shard_->offer(doc, passages, langs)) {
    shard_passages_ += passages.size();
    try {
      start_writing();
      mark_pending(doc.doc_id);
    } catch (const Xapian::Error& e) {
      fail("cannot write index", e);
    }
    return counts;
  }
  std::vector<Xapian::Document> docs;
  docs.reserve(passages.size());
  // The title is analyzed once for all of the document's passages.
  const std::vector<analysis::Token> title = title_tokens(doc.title);
  for (size_t i = 0; i < passages.size(); ++i)
    docs.push_back(passage_document(doc, static_cast<uint32_t>(i), passages[i], langs[i], title, codec_.get()));
  try {
    start_writing();
    bury(doc.doc_id);
    for (const Xapian::Document& d : docs) db_.add_document(d);
    if (sampling_) sample(docs);
    mark_pending(doc.doc_id);
  } catch (const Xapian::Error& e) {
    fail("cannot write index", e);
  }
  pending_ += docs.size();
  for (const Span& s : passages) pending_text_bytes_ += s.size() + doc.title.size();
  return counts;
}

void IndexWriter::commit() {
  if (!in_transaction_) return;
  try {
    if (field_keys_changed_) {
      std::string keys;
      for (const std::string& k : field_keys_) keys += (keys.empty() ? "" : "\n") + k;
      db_.set_metadata(schema::kMetaFields, keys);
      field_keys_changed_ = false;
    }
    in_transaction_ = false;
    db_.commit_transaction();
  } catch (const Xapian::Error& e) {
    fail("cannot commit index", e);  // Xapian has cancelled the transaction
  }
  pending_ = 0;
  pending_text_bytes_ = 0;
}

uint64_t IndexWriter::finish_shards() {
  if (!shard_) return 0;
  shard_->finish();
  shard_dir_ = shard_->dir();
  shard_.reset();
  commit();
  // The shard is read beside this database until close() merges the two
  // (one compaction instead of a merge and then a compaction).
  try {
    shard_db_ = Xapian::Database(shard_dir_.string(), Xapian::DB_BACKEND_GLASS);
    reader_ = Xapian::Database();
    reader_.add_database(db_);
    reader_.add_database(shard_db_);
  } catch (const Xapian::Error& e) {
    throw FatalError(shard_dir_.string() + ": cannot open the second writer's database: " + e.get_description());
  }
  reading_shard_ = true;
  return shard_passages_;
}

void IndexWriter::close() {
  if (closed_) return;
  finish_shards();
  commit();
  try {
    reader_ = Xapian::Database();
    shard_db_ = Xapian::Database();
    db_.close();
  } catch (const Xapian::Error& e) {
    fail("cannot close index", e);
  }
  if (reading_shard_) {
    reading_shard_ = false;
    merge_in_place(path_, shard_dir_);
    compacted_ = true;
  }
  closed_ = true;
  if (options_.fresh && changed_) sync_files(path_);
}

namespace {

// Compacts @p sources (the first is @p dir) into a sibling of @p dir, then
// moves the compacted tables over @p dir's.
void compact_over(const fs::path& dir, const std::vector<fs::path>& sources, unsigned flags) {
  const fs::path tmp = dir.string() + ".compacting";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  try {
    Xapian::Database src;
    for (const fs::path& p : sources) src.add_database(Xapian::Database(p.string(), Xapian::DB_BACKEND_GLASS));
    src.compact(tmp.string(), flags);
  } catch (const Xapian::Error& e) {
    fs::remove_all(tmp, ec);
    throw FatalError(dir.string() + ": cannot compact: " + e.get_description());
  }
  // Tables first, the version file (which names their revisions) last; a
  // table the compactor did not write (an empty one) must not stay behind.
  std::vector<std::string> names;
  for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return (a == "iamglass") < (b == "iamglass") || ((a == "iamglass") == (b == "iamglass") && a < b);
  });
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.ends_with(".glass") && std::find(names.begin(), names.end(), name) == names.end())
      fs::remove(it->path(), ec);
  }
  for (const std::string& name : names) {
    fs::rename(tmp / name, dir / name, ec);
    if (ec) throw FatalError(dir.string() + ": cannot move the compacted " + name + " in: " + ec.message());
  }
  fs::remove_all(tmp, ec);
}

}  // namespace

// STANDARD, never FULLER: FULLER packs every block full, and the first
// update of such a schema 4 index (no termlist) overran a buffer inside
// glass at its commit (ASan, Xapian 1.4.22: heap-buffer-overflow in the
// postlist table's block split; without ASan, heap corruption and a
// corrupt postlist table: the kill test's first update run). STANDARD
// gave the same size for the 1,500-speech index (14.7 MB).
void compact_in_place(const fs::path& dir) {
  compact_over(dir, {dir}, Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::STANDARD);
}

void merge_in_place(const fs::path& dir, const fs::path& shard) {
  // One compaction merges the shard and compacts the build (nothing of
  // this run writes to the result).
  compact_over(dir, {dir, shard}, Xapian::Compactor::STANDARD);
  std::error_code ec;
  fs::remove_all(shard, ec);
}

uint64_t directory_size(const fs::path& dir) {
  std::error_code ec;
  uint64_t total = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec)) total += it->file_size(fec);
  }
  return total;
}

}  // namespace bisearch::indexer
