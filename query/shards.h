/** @file shards.h
 *  @brief What --db names: one bisearch index, or several searched as one (shards, local or remote).
 *
 *  A --db value is
 *   - a bisearch index directory (a glass database, or the generation
 *     layout of indexer/generation.h: DIR/XAPIANDB naming one database);
 *   - a directory whose XAPIANDB stub lists several databases, or a Xapian
 *     stub file: one database per line, `auto PATH` or `glass PATH` (PATH
 *     relative to the stub's directory; `auto` may name another stub),
 *     `remote HOST:PORT [TIMEOUT_MS]` (a shard served by xapian-tcpsrv; the
 *     timeout is bisearch's addition to Xapian's format, default 10000) or
 *     `remote :PROGRAM ARGS` (xapian-progsrv run through e.g. ssh), blank
 *     lines and lines starting with '#' skipped.
 *  --db may be repeated; every shard found is opened on its own (so its
 *  metadata can be read: Database::get_metadata on a combined database reads
 *  only the first) and added to one combined database, which Xapian
 *  searches with collection-wide statistics.
 *
 *  Before a search, every shard must have this program's analyzer and all
 *  the same schema; shards built with `bisearch-index --shard I/N`
 *  (schema.h kMetaShard) must all be of one N with distinct I, and when
 *  more than one is given they must be all N of them (a missing shard would
 *  silently shrink the answer). One shard searched alone is allowed.
 *  Errors are one line naming the shard.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace bisearch::query {

struct ShardSpec {
  enum class Kind { kLocal, kTcp, kProgram };
  Kind kind = Kind::kLocal;
  /// How messages name the shard: its path, or "remote HOST:PORT
  /// (STUB:LINE)" / "remote :PROGRAM (STUB:LINE)".
  std::string name;
  std::string path;              ///< kLocal: the directory Xapian opens
  std::string host;              ///< kTcp
  unsigned port = 0;             ///< kTcp
  unsigned timeout_ms = 10000;   ///< kTcp, kProgram: per request and to connect
  std::string program, args;     ///< kProgram
  bool remote() const { return kind != Kind::kLocal; }
};

/// The shards named by the --db values @p dbs, in order. Throws SearchError
/// naming the value, stub line or path that cannot be used (missing path,
/// bad or unsupported stub line, a stub listing nothing).
std::vector<ShardSpec> resolve_shards(const std::vector<std::string>& dbs);

/// Opens one shard (throws Xapian errors; the caller names the shard).
Xapian::Database open_shard(const ShardSpec& shard);

/// What each shard says of itself (its own metadata).
struct ShardMeta {
  std::string analyzer;  ///< schema::kMetaAnalyzer
  std::string schema;    ///< schema::kMetaSchema
  std::string shard;     ///< schema::kMetaShard, "" when not built with --shard
  std::string uuid;      ///< Database::get_uuid()
};

/// Reads @p db's ShardMeta.
ShardMeta read_shard_meta(const Xapian::Database& db);

/// Checks that @p meta (one per shard of @p shards) describe one searchable
/// collection for this program (see the file comment). Throws SearchError
/// naming the first offending shard.
void check_shards(const std::vector<ShardSpec>& shards, const std::vector<ShardMeta>& meta);

}  // namespace bisearch::query
