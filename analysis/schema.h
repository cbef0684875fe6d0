/** @file schema.h
 *  @brief The on-disk layout of a bisearch index: part of its persistent format.
 *
 *  Each passage is one Xapian document.
 *
 *  Term prefixes (free-text terms come from analyzer.h):
 *    (none)  word / CJK bigram / CJK unigram (the analyzer's positional kinds)
 *    Z       English Snowball stem
 *    K       CJK word with particles stripped
 *  No term has positions in the index (version 3): they were 3/4 of its
 *  size and most of its indexing time. A query's word order (a Korean
 *  word's adjacent bigrams, a quoted phrase) is matched as an AND of its
 *  terms and then checked on the passage's own text (query/rank.h).
 *    S       title term: S + the free-text term of a title token (S<word>,
 *            SZ<stem>, SK<ko word>, S<bigram>, S<unigram>; title_term()),
 *            with its frequency in the title, on every passage of the
 *            document (version 6). Title words are not free text of the
 *            passages any more: a passage matches a title word only
 *            through these terms.
 *    Q       unique passage id: Q<hash>#<passage>     (boolean; hash: 16 hex
 *            digits of a 64-bit FNV-1a-style hash of doc_id, as in
 *            bounded_term(); a reader checks the record's doc_id)
 *    XD      document id: XD<doc_id>                   (boolean, --doc)
 *    XP      folder: XP + each '/'-prefix of the source file's path
 *            relative to its indexed root (folder_terms(): "core",
 *            "core/wd.txt"; a .jsonl's documents have the .jsonl file's
 *            path)                                      (boolean, --path)
 *    XF      metadata field: XF<key>=<value>, the value case-folded and the
 *            term bounded (field_term())               (boolean, --field)
 *    L       passage language: Lko / Len / Lmixed      (boolean, --lang)
 *    XG      gloss pair: XG<key>\x1f<kind><key>        (boolean; crosslang.h)
 *
 *  Value slots (doc_id and the passage number are in the record):
 *    2 language
 *    3 date: the document's date normalized by normalize_date()
 *      (analysis/dates.h): "YYYY-MM-DD", or "YYYY-MM" / "YYYY" for a date
 *      given only to the month or year (they sort just before the period's
 *      first day); empty when the document has no date or one that is not
 *      understood (version 6; before, the date as given). The record keeps
 *      the date as given, for display.
 *    4 the stored record (version 5)
 *    5 document key: content_key() of the document's body, 16 hex digits,
 *      the same for every passage of a document and for exact copies of it
 *      under other paths or headers (version 6; collapse, --per-doc)
 *    6 folder: folder_of() the source file's relative path, "" at the root
 *      (version 6; the folder facet)
 *
 *  The stored record is in value slot 4, not in the document data (version
 *  5): glass deflates every document data entry at write and again at
 *  compaction, in vain on compressed records, and values are not deflated
 *  (docs/benchmark.md, "Schema 5"). A record in the document data, as
 *  version 4 wrote it, is still read (stored_record()).
 *
 *  The stored record: a PassageRecord (below), compressed with the index's
 *  zstd dictionary when it has one (record_codec.h), else plain: a sequence
 *  of fields, each a decimal byte length, ':' and the bytes; the first field is
 *  the record format version ("1"). Tolerant readers ignore trailing fields.
 *  Optional trailing fields after the text name themselves, so they may come
 *  in any order and records without them (written before they existed) read
 *  as before:
 *    "page=F-L" / "section=F-L"   the pages (PDF) or sections (HWP, HWPX)
 *                                 the passage spans, 1-based, F <= L
 *    "path=REL"                   the source file's path relative to its
 *                                 root (version 6)
 *    "key=HEX"                    the document key of slot 5 (version 6)
 *    "field=KEY=VALUE"            one kept metadata field, as given (version
 *                                 6; one such field each, sorted by key)
 *  Everything a passage's terms and values hold follows from its record, so
 *  a passage can be indexed again (renamed) from its record alone.
 *
 *  The database keeps its termlist table again (version 7). Versions 4 to 6
 *  left it out (DB_NO_TERMLIST): it is the largest table (65.8 of 132.6 MB
 *  for 1,070 White House files, uncompacted; without it 58.2 MB), but
 *  without it Xapian cannot delete a document, so a passage superseded by
 *  an update stayed, listed as dead, skipped by every reader and still
 *  counted in the collection statistics: rankings after updates differed
 *  from a fresh build's. Now a superseded passage is deleted (by its XD
 *  term) in the transaction that adds its replacement, the statistics count
 *  live passages only, and the index is kept lean by compaction after
 *  updates (bisearch.compacted, indexer/merge_policy.h). An index of version
 *  6 or less cannot delete: a run over all its roots rebuilds it into a new
 *  generation, a partial run fails and says so.
 *
 *  Database metadata keys:
 *    bisearch.compacted  "<bytes> <passages>": the index's size and passage
 *                        count after its last full build or compaction
 *                        (version 7; indexer/merge_policy.h)
 *    bisearch.analyzer   "<kAnalyzerName>/<kAnalyzerVersion>"
 *    bisearch.schema     kSchemaVersion
 *    bisearch.root       absolute path of the last indexed root(s), '\n'-joined
 *    bisearch.fields     the keys of every metadata field with XF terms ever
 *                        indexed, sorted, '\n'-joined (version 6)
 *    bisearch.shard      "I/N": shard I of N (bisearch-index --shard)
 *    bisearch.dict       the zstd dictionary of the stored records
 *                        (record_codec.h; absent: plain records)
 *    bisearch.file.<key> one manifest entry per indexed file
 *                        (indexer/manifest.h; entry format "m1")
 *    bisearch.lex.<key>, bisearch.gls.<key>, bisearch.cp.<doc_id>,
 *    bisearch.align.<group>, bisearch.pending.<id>, bisearch.crosslang
 *                        cross-language data (analysis/crosslang.h, which
 *                        documents their values; record format "1")
 *  Every key and prefix is defined below, in one place; the headers named
 *  describe the values they hold.
 */
#pragma once

#include <xapian.h>

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bisearch::schema {

class RecordCodec;

/// 2: passages carry gloss pair terms (XG, analysis/crosslang.h) and the
/// index holds cross-language metadata. 3: no positions. 4: no termlist
/// table; superseded passages are listed as dead (metadata bisearch.dead) instead
/// of deleted. 5: the record is in value slot kSlotRecord. 6: title terms
/// (S) instead of title words in the free text, folder (XP) and field (XF)
/// terms, the normalized date, the document key and folder slots.
/// 7: the termlist table is kept and superseded passages are deleted (no
/// dead list). An index of another version is rebuilt by a run that covers
/// all its files, like an analyzer change.
inline constexpr int kSchemaVersion = 7;

/// Whether the schema version @p have (metadata text) is older than this
/// build's (so a covering run can rebuild it).
inline bool older_schema(std::string_view have) {
  int v = 0;
  auto [p, ec] = std::from_chars(have.data(), have.data() + have.size(), v);
  return ec == std::errc() && p == have.data() + have.size() && v < kSchemaVersion;
}

inline constexpr std::string_view kPrefixStem = "Z";
inline constexpr std::string_view kPrefixKoWord = "K";
inline constexpr std::string_view kPrefixUid = "Q";
inline constexpr std::string_view kPrefixDoc = "XD";
inline constexpr std::string_view kPrefixLang = "L";
// Schema 6: the document's fields.
/// Title terms: S + the analyzer's term for a title token (with its own
/// prefix: S<word>, SZ<stem>, SK<ko word>), on every passage of the document;
/// title words are no longer free text of each passage.
inline constexpr std::string_view kPrefixTitle = "S";
/// Folder terms: XP + each '/'-prefix of the source file's path relative to
/// its root ("a", "a/b", "a/b/c.txt"), for --path.
inline constexpr std::string_view kPrefixFolder = "XP";
/// Metadata field terms: XF + key + '=' + the value case-folded
/// (bounded_term), for --field key=value.
inline constexpr std::string_view kPrefixField = "XF";

inline constexpr unsigned kSlotLang = 2;
inline constexpr unsigned kSlotDate = 3;
inline constexpr unsigned kSlotRecord = 4;
/// Schema 6: the document's content hash (16 hex digits), the key that
/// groups a document's passages and its exact copies (collapse, --per-doc).
inline constexpr unsigned kSlotDocKey = 5;
/// Schema 6: the directory of the source file's path relative to its root
/// ("" at the root), for the folder facet.
inline constexpr unsigned kSlotFolder = 6;

inline constexpr const char* kMetaAnalyzer = "bisearch.analyzer";
inline constexpr const char* kMetaSchema = "bisearch.schema";
inline constexpr const char* kMetaRoot = "bisearch.root";
/// Schema 6: the metadata field keys with XF terms, '\n'-joined and sorted
/// (so --field can name an unknown key as such).
inline constexpr const char* kMetaFields = "bisearch.fields";
/// "I/N" when the index is shard I (0-based) of N of one collection, built
/// with bisearch-index --shard I/N (indexer/partition.h); absent otherwise.
/// A search over several shards checks that they are one complete set
/// (query/shards.h).
inline constexpr const char* kMetaShard = "bisearch.shard";
/// Schema 7: "<bytes> <passages>" after the last full build or compaction
/// (indexer/merge_policy.h decides from it when an update run compacts).
inline constexpr const char* kMetaCompacted = "bisearch.compacted";

/// Format versions: the first field of a stored record (serialize()), of a
/// cross-language value (analysis/crosslang.h) and of a manifest entry
/// (indexer/manifest.h).
inline constexpr std::string_view kRecordVersion = "1";
inline constexpr std::string_view kCrosslangVersion = "1";
inline constexpr std::string_view kManifestEntryVersion = "m1";

/// The stored records' zstd dictionary (record_codec.h).
inline constexpr const char* kMetaDictionary = "bisearch.dict";
/// Prefix of every manifest entry's key (indexer/manifest.h).
inline constexpr std::string_view kManifestPrefix = "bisearch.file.";
// Cross-language data (analysis/crosslang.h).
inline constexpr const char* kMetaLexicon = "bisearch.lex.";
inline constexpr const char* kMetaGlossary = "bisearch.gls.";
inline constexpr const char* kMetaCounterpart = "bisearch.cp.";
inline constexpr const char* kMetaCrosslang = "bisearch.crosslang";
inline constexpr const char* kMetaAlignGroup = "bisearch.align.";
inline constexpr const char* kMetaPending = "bisearch.pending.";
/// Gloss pair terms XG<from key>\x1f<kind><to key> (analysis/crosslang.h).
inline constexpr std::string_view kPrefixGlossPair = "XG";

/// "<name>/<version>" of the analyzer compiled into this binary.
std::string analyzer_id();

/// One passage as stored in value slot kSlotRecord.
struct PassageRecord {
  std::string doc_id;      ///< JSONL id, else path relative to the indexed root
  std::string title;       ///< document title ("" if none)
  std::string date;        ///< document date as given ("" if none)
  std::string url;         ///< source_url / url ("" if none)
  std::string source;      ///< file the passage was read from (as given)
  uint32_t passage = 0;    ///< 0-based passage number within the document
  std::string lang;        ///< "ko", "en" or "mixed"
  uint64_t begin = 0;      ///< byte offset of the passage in its source text
  uint64_t end = 0;        ///< one past its last byte
  std::string text;        ///< the passage text, exactly source[begin, end)
  std::string place_unit;  ///< "page", "section", or "" when the source has neither
  uint32_t place_first = 0;  ///< first page/section of the passage (1-based; 0 = none)
  uint32_t place_last = 0;   ///< last page/section (== place_first unless it spans several)
  std::string path;        ///< source file's path relative to its root ("" = unknown)
  std::string doc_key;     ///< content_key() of the document body ("" = unknown)
  /// Kept metadata fields (key, value as given), sorted by key.
  std::vector<std::pair<std::string, std::string>> fields;
};

/// The longest metadata field value kept as a field (XF term and record
/// field); longer values are not kept.
inline constexpr size_t kMaxFieldValueBytes = 200;

/// Whether @p key can name a kept metadata field: a letter, then letters,
/// digits, '_', '-' or '.' (ASCII, lower case), at most 64 bytes.
bool valid_field_key(std::string_view key);

/// The title term of a free-text term: kPrefixTitle + @p index_term.
std::string title_term(std::string_view index_term);

/// The XP terms of a root-relative path: one per '/'-prefix ("a/b/c.txt" ->
/// "XPa", "XPa/b", "XPa/b/c.txt"), each bounded_term().
std::vector<std::string> folder_terms(std::string_view rel);

/// The folder of a root-relative path ("a/b/c.txt" -> "a/b"; "c.txt" -> "").
std::string folder_of(std::string_view rel);

/// The field term XF<key>=<value folded>: @p value NFKC-case-folded with
/// its runs of white space made one space and trimmed; bounded_term().
std::string field_term(std::string_view key, std::string_view value);

/// The document key of a body text: 16 hex digits of a 64-bit hash of
/// @p body with every run of white space made one space and leading and
/// trailing space dropped (so copies differing only in line endings or
/// wrapping share it).
std::string content_key(std::string_view body);

/// The field encoding of stored records, also used by the indexer's
/// manifest: a decimal byte length, ':' and the bytes.
void append_field(std::string& out, std::string_view field);
/// Takes one field off the front of @p in; false (and @p in unchanged in
/// meaning) when it is malformed.
bool read_field(std::string_view& in, std::string_view* field);
/// Takes one field holding a number written in @p base.
template <typename T>
bool read_number_field(std::string_view& in, T* value, int base = 10) {
  std::string_view f;
  if (!read_field(in, &f)) return false;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), *value, base);
  return ec == std::errc() && p == f.data() + f.size();
}

/// The stored form of @p record: plain, or compressed by @p codec
/// (record_codec.h) when one is given.
std::string serialize(const PassageRecord& record, const RecordCodec* codec = nullptr);
/// std::nullopt when @p data is not a record this build can read (or is
/// compressed with a dictionary no index opened by this process holds).
std::optional<PassageRecord> deserialize(std::string_view data);
/// The same, for data read from @p db: its dictionary is loaded when needed.
std::optional<PassageRecord> deserialize(std::string_view data, const Xapian::Database& db);

/// The stored form of @p doc's record: its value slot kSlotRecord, or its
/// document data when that slot is empty (a passage written by version 4).
std::string stored_record(const Xapian::Document& doc);
/// deserialize(stored_record(@p doc), @p db): the record of a document read
/// from @p db.
std::optional<PassageRecord> read_record(const Xapian::Document& doc, const Xapian::Database& db);
/// @p record's stored form put in @p doc (serialize()).
void set_stored_record(Xapian::Document& doc, const PassageRecord& record, const RecordCodec* codec = nullptr);

/// @p prefix + @p value, shortened to fit Xapian's term length limit: a
/// value that would make the term longer than 240 bytes keeps its first
/// bytes (cut at a UTF-8 boundary) followed by '~' and a 64-bit FNV-1a-style
/// hash of the whole value in hex. Its offset basis, 1469598103934665603,
/// is one digit short of FNV's published one; it is part of the on-disk
/// format, so changing it needs a schema version bump.
std::string bounded_term(std::string_view prefix, std::string_view value);

/// The unique id term of a passage: Q, the doc id's 64-bit hash in hex,
/// '#' and the passage number (about 22 bytes however long the id: it was
/// a fifth of an English index's postlist table as Q<doc_id>#<n>).
std::string uid_term(std::string_view doc_id, uint32_t passage);

/// The document filter term: bounded_term(XD, doc_id).
std::string doc_term(std::string_view doc_id);

}  // namespace bisearch::schema
