// shards.cc: resolving --db values into shards, opening them, checking they fit together.
#include "query/shards.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "analysis/parts.h"
#include "analysis/schema.h"
#include "query/rank.h"

namespace bisearch::query {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxStubDepth = 8;

std::string trim(std::string s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool parse_unsigned(const std::string& s, unsigned* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

void resolve_value(const std::string& value, int depth, std::vector<ShardSpec>* out);

ShardSpec local_shard(const std::string& path) {
  ShardSpec s;
  s.name = s.path = path;
  return s;
}

// The databases listed by the stub file @p stub, one spec each.
void resolve_stub(const fs::path& stub, int depth, std::vector<ShardSpec>* out) {
  if (depth > kMaxStubDepth) throw SearchError(stub.string() + ": stub files nested too deeply (a loop?)");
  std::ifstream in(stub);
  if (!in) throw SearchError(stub.string() + ": cannot read the stub file");
  const fs::path base = stub.parent_path();
  const size_t before = out->size();
  std::string line;
  unsigned line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = stub.string() + ":" + std::to_string(line_no);
    const size_t space = line.find(' ');
    const std::string type = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : trim(line.substr(space + 1));
    if (rest.empty()) throw SearchError(where + ": '" + type + "' names no database");
    if (type == "auto" || type == "glass") {
      const fs::path p = fs::path(rest).is_absolute() ? fs::path(rest) : base / rest;
      if (type == "glass") {
        std::error_code ec;
        if (!fs::is_directory(p, ec)) throw SearchError(p.string() + ": no such index (" + where + ")");
        out->push_back(local_shard(p.string()));
      } else {
        resolve_value(p.string(), depth + 1, out);
      }
    } else if (type == "remote") {
      ShardSpec s;
      if (rest[0] == ':') {  // remote :PROGRAM ARGS
        s.kind = ShardSpec::Kind::kProgram;
        const size_t sp = rest.find(' ');
        s.program = rest.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
        if (sp != std::string::npos) s.args = trim(rest.substr(sp + 1));
        if (s.program.empty()) throw SearchError(where + ": 'remote :' names no program");
        s.name = "remote :" + s.program + " (" + where + ")";
      } else {  // remote HOST:PORT [TIMEOUT_MS]
        s.kind = ShardSpec::Kind::kTcp;
        const size_t sp = rest.find(' ');
        const std::string address = rest.substr(0, sp);
        const size_t colon = address.rfind(':');
        unsigned port = 0;
        if (colon == std::string::npos || colon == 0 || !parse_unsigned(address.substr(colon + 1), &port) ||
            port == 0 || port > 65535)
          throw SearchError(where + ": expected 'remote HOST:PORT [TIMEOUT_MS]' or 'remote :PROGRAM ARGS'");
        s.host = address.substr(0, colon);
        if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']') s.host = s.host.substr(1, s.host.size() - 2);
        s.port = port;
        if (sp != std::string::npos) {
          unsigned t = 0;
          if (!parse_unsigned(trim(rest.substr(sp + 1)), &t) || t == 0)
            throw SearchError(where + ": the timeout after HOST:PORT must be a number of milliseconds");
          s.timeout_ms = t;
        }
        s.name = "remote " + address + " (" + where + ")";
      }
      out->push_back(std::move(s));
    } else {
      throw SearchError(where + ": unsupported stub line type '" + type +
                        "' (bisearch reads auto, glass and remote lines)");
    }
  }
  if (out->size() == before) throw SearchError(stub.string() + ": the stub file lists no index");
}

// One --db value (or an `auto` line's path).
void resolve_value(const std::string& value, int depth, std::vector<ShardSpec>* out) {
  std::error_code ec;
  const fs::path p(value);
  if (!fs::exists(p, ec)) throw SearchError(value + ": no such index (directory not found)");
  if (fs::is_regular_file(p, ec)) return resolve_stub(p, depth, out);
  const fs::path stub = p / "XAPIANDB";
  if (!fs::exists(p / "iamglass", ec) && fs::is_regular_file(stub, ec)) {
    // A generation or replica directory names one database: open the
    // directory itself, so a swap of its stub is followed. Several lines:
    // the directory stands for its shards.
    std::vector<ShardSpec> listed;
    resolve_stub(stub, depth, &listed);
    if (listed.size() > 1 || listed[0].remote()) {
      out->insert(out->end(), listed.begin(), listed.end());
      return;
    }
  }
  out->push_back(local_shard(value));
}

}  // namespace

std::vector<ShardSpec> resolve_shards(const std::vector<std::string>& dbs) {
  if (dbs.empty()) throw SearchError("no index given (--db DIR)");
  std::vector<ShardSpec> out;
  for (const std::string& db : dbs) resolve_value(db, 0, &out);
  return out;
}

Xapian::Database open_shard(const ShardSpec& shard) {
  switch (shard.kind) {
    case ShardSpec::Kind::kTcp:
      return Xapian::Remote::open(shard.host, shard.port, shard.timeout_ms, shard.timeout_ms);
    case ShardSpec::Kind::kProgram:
      return Xapian::Remote::open(shard.program, shard.args, shard.timeout_ms);
    case ShardSpec::Kind::kLocal:
      break;
  }
  return Xapian::Database(shard.path);
}

ShardMeta read_shard_meta(const Xapian::Database& db) {
  ShardMeta m;
  m.analyzer = db.get_metadata(schema::kMetaAnalyzer);
  m.schema = db.get_metadata(schema::kMetaSchema);
  m.shard = db.get_metadata(schema::kMetaShard);
  try {
    m.uuid = db.get_uuid();
  } catch (const Xapian::UnimplementedError&) {
  }
  return m;
}

void check_shards(const std::vector<ShardSpec>& shards, const std::vector<ShardMeta>& meta) {
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string& name = shards[i].name;
    const ShardMeta& m = meta[i];
    if (m.analyzer.empty()) throw SearchError(name + ": not a bisearch index (no analyzer recorded)");
    if (m.analyzer != schema::analyzer_id())
      throw SearchError(name + ": index was built by analyzer " + m.analyzer + ", this program uses " +
                        schema::analyzer_id() + "; rebuild the index with this version's bisearch-index");
    if (i > 0 && m.schema != meta[0].schema)
      throw SearchError(name + ": index schema " + m.schema + ", but " + shards[0].name + " has schema " +
                        meta[0].schema + "; rebuild the older one");
    for (size_t j = 0; j < i; ++j)
      if (!m.uuid.empty() && m.uuid == meta[j].uuid)
        throw SearchError(name + ": the same index as " + shards[j].name + " (named twice)");
  }
  if (shards.size() < 2) return;
  // --shard I/N: one complete set.
  unsigned n0 = 0;
  std::map<unsigned, size_t> seen;  // I -> shard
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string& name = shards[i].name;
    if (meta[i].shard.empty()) {
      if (!seen.empty() || (i > 0 && !meta[0].shard.empty()))
        throw SearchError(name + ": not built with --shard, unlike " + shards[0].name + " (shard " + meta[0].shard +
                          "); search the shards of one collection together");
      continue;
    }
    if (i > 0 && meta[0].shard.empty())
      throw SearchError(name + ": built as shard " + meta[i].shard + ", unlike " + shards[0].name +
                        " (not built with --shard); search the shards of one collection together");
    unsigned index = 0, count = 0;
    if (!analysis::parse_shard_id(meta[i].shard, &index, &count))
      throw SearchError(name + ": unreadable shard id '" + meta[i].shard + "'");
    if (i == 0) n0 = count;
    if (count != n0)
      throw SearchError(name + ": built as shard " + meta[i].shard + " of " + std::to_string(count) +
                        " shards, but " + shards[0].name + " is one of " + std::to_string(n0));
    if (auto it = seen.find(index); it != seen.end())
      throw SearchError(name + ": shard " + meta[i].shard + " again (" + shards[it->second].name + " is too)");
    seen[index] = i;
  }
  if (!seen.empty() && seen.size() != n0) {
    std::string missing;
    for (unsigned k = 0; k < n0; ++k)
      if (!seen.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n0);
    throw SearchError(shards[0].name + ": shard " + meta[0].shard + " is searched without shard " + missing +
                      " of its collection; name every shard (or one alone)");
  }
}

}  // namespace bisearch::query
