/** @file manifest.h
 *  @brief The manifest: what the index holds for every source file. Part of the persistent format.
 *
 *  The manifest lives in the index itself, as Xapian metadata, so that it is
 *  written in the same transaction as the passages it describes: a commit
 *  either has both or neither, and a killed run never leaves them
 *  disagreeing.
 *
 *  Keys (Xapian metadata; see analysis/schema.h for the other bisearch.* keys):
 *    bisearch.file.<16 lower-case hex digits>   one source file; the digits
 *        are file_key(): the 64-bit FNV-1a hash of root + '\n' + rel (paths
 *        can be longer than a metadata key may be, so the key is a hash;
 *        the full root and rel are in the value)
 *
 *  Value: a sequence of fields, each a decimal byte length, ':' and the
 *  bytes (as schema::serialize does), in this order:
 *    "m1"        format version of the entry
 *    root        absolute directory the file was found under (the directory
 *                given on the command line; for a file named directly, its
 *                parent directory)
 *    rel         path relative to root, '/'-separated (its file name for a
 *                file named directly); the document id of .txt/.md files
 *    size        bytes, decimal
 *    mtime       modification time, nanoseconds since the epoch, decimal
 *    hash        content hash: 64-bit FNV-1a of the file's bytes, 16 hex digits
 *    analyzer    schema::analyzer_id() of the run that wrote the entry
 *    status      "ok", "failed" (some or all of it could not be indexed) or
 *                "incomplete" (a run stopped in the middle of the file; the
 *                next run indexes it again)
 *    encoding    "" for UTF-8, else the legacy encoding it was converted
 *                from ("CP949" or "EUC-KR")
 *    problems    total number of problems of the file, decimal
 *    shown       number N of stored problems (at most the per-file cap), then
 *                N pairs of fields: where-suffix ("" or ":LINE") and reason
 *    docs        number M of documents, then M pairs of fields: document id
 *                and its passage count (decimal)
 *  Readers ignore trailing fields. An entry lists exactly the documents
 *  whose passages are in the index for that file; deleting a file's
 *  passages means deleting every passage of those document ids.
 *
 *  A document id belongs to one file: a file that yields an id another
 *  file in the manifest already has reports a duplicate id (as within one
 *  run) instead of taking over the other file's passages.
 */
#pragma once

#include <xapian.h>

#include "analysis/schema.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::indexer {

/// Prefix of every manifest metadata key (defined in analysis/schema.h).
using schema::kManifestPrefix;

/// 64-bit FNV-1a, fed in pieces. Byte-at-a-time; about 1 GB/s.
class ContentHash {
 public:
  void update(std::string_view bytes) {
    uint64_t h = h_;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
    h_ = h;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ULL;
};

/// The hash of a whole string.
uint64_t content_hash(std::string_view bytes);

enum class FileStatus { kOk, kFailed, kIncomplete };

/// "ok", "failed", "incomplete".
std::string_view status_name(FileStatus status);

/// A problem remembered for a failed file.
struct StoredProblem {
  std::string at;      ///< "" (the whole file) or ":LINE" (a JSONL line)
  std::string reason;  ///< as reported
};

/// One document a file produced.
struct DocEntry {
  std::string id;
  uint32_t passages = 0;
};

/// One source file as the index knows it.
struct FileEntry {
  std::string root;
  std::string rel;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t hash = 0;
  std::string analyzer;
  FileStatus status = FileStatus::kOk;
  std::string encoding;
  uint64_t problem_count = 0;
  std::vector<StoredProblem> problems;
  std::vector<DocEntry> docs;

  /// root + "/" + rel.
  std::string path() const;
  uint64_t passages() const;
};

/// The metadata key of the file @p rel under @p root.
std::string file_key(std::string_view root, std::string_view rel);

std::string serialize_entry(const FileEntry& entry);
/// std::nullopt when @p value is not an entry this build can read.
std::optional<FileEntry> parse_entry(std::string_view value);

/// All entries of @p db, by key. Entries that cannot be parsed are left out
/// and counted in @p unreadable (may be null). Throws Xapian::Error.
std::map<std::string, FileEntry> load_manifest(const Xapian::Database& db, size_t* unreadable = nullptr);

/// Whether @p db has any manifest entry. Throws Xapian::Error.
bool has_manifest(const Xapian::Database& db);

}  // namespace bisearch::indexer
