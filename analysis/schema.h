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
 *    Q       unique passage id: Q<hash>#<passage>     (boolean; hash: 16 hex
 *            digits of a 64-bit FNV-1a-style hash of doc_id, as in
 *            bounded_term(); a reader checks the record's doc_id)
 *    XD      document id: XD<doc_id>                   (boolean, --doc)
 *    L       passage language: Lko / Len / Lmixed      (boolean, --lang)
 *    XG      gloss pair: XG<key>\x1f<kind><key>        (boolean; crosslang.h)
 *
 *  Value slots (doc_id and the passage number are in the record):
 *    2 language   3 date   4 the stored record (version 5)
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
 *
 *  The database has no termlist table (glass DB_NO_TERMLIST, version 4):
 *  it was the largest table and Xapian needs it only to delete or replace
 *  documents, which bisearch never does. A passage superseded by an update
 *  stays and is listed in bisearch.dead (analysis/dead.h); readers skip it.
 *
 *  Database metadata keys:
 *    bisearch.dead       the dead documents (analysis/dead.h)
 *    bisearch.analyzer   "<kAnalyzerName>/<kAnalyzerVersion>"
 *    bisearch.schema     kSchemaVersion
 *    bisearch.root       absolute path of the last indexed root(s), '\n'-joined
 */
#pragma once

#include <xapian.h>

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bisearch::schema {

class RecordCodec;

/// 2: passages carry gloss pair terms (XG, analysis/crosslang.h) and the
/// index holds cross-language metadata. 3: no positions. 4: no termlist
/// table; superseded passages are listed as dead (analysis/dead.h) instead
/// of deleted. 5: the record is in value slot kSlotRecord. An index of
/// another version is rebuilt by a run that covers all its files, like an
/// analyzer change.
inline constexpr int kSchemaVersion = 5;

inline constexpr std::string_view kPrefixStem = "Z";
inline constexpr std::string_view kPrefixKoWord = "K";
inline constexpr std::string_view kPrefixUid = "Q";
inline constexpr std::string_view kPrefixDoc = "XD";
inline constexpr std::string_view kPrefixLang = "L";
// Schema 6 (issue 12; being built): the document's fields.
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
};

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
