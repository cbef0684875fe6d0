/** @file dead.h
 *  @brief Superseded passages: the index's list of documents that no longer count.
 *
 *  A bisearch index has no termlist table (schema.h, version 4): it is the
 *  largest part of a glass database and Xapian needs it only to delete or
 *  replace documents. So a passage is never deleted: when its file changes,
 *  is removed or is renamed, its Xapian document is listed as dead, in the
 *  same transaction that adds its replacement, and every reader skips dead
 *  documents (searches through without_dead(), lookups by term with
 *  Liveness::live). Their terms still count in the collection statistics
 *  (BM25's document frequencies), as deleted documents do in Lucene, until
 *  the index is rebuilt: an update run that covers every indexed file
 *  rebuilds it once a quarter of its passages are dead (indexer.cc), and
 *  --rebuild always does.
 *
 *  The list is stored as the metadata key bisearch.dead: the sorted
 *  document ids, each as a base-128 varint of its difference from the one
 *  before.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bisearch::analysis {

inline constexpr const char* kMetaDead = "bisearch.dead";

/// A sorted set of dead document ids of one database.
class DeadSet {
 public:
  DeadSet() = default;
  /// The set stored in @p db (empty when it has none). Throws
  /// Xapian::DatabaseCorruptError when the stored value is malformed.
  static DeadSet load(const Xapian::Database& db);

  bool contains(Xapian::docid id) const;
  bool empty() const { return ids_.empty(); }
  size_t size() const { return ids_.size(); }
  /// Adds @p ids (in any order, duplicates allowed).
  void add(std::vector<Xapian::docid> ids);
  std::string serialize() const;
  /// The ids, ascending.
  const std::vector<Xapian::docid>& ids() const { return ids_; }

 private:
  std::vector<Xapian::docid> ids_;  // sorted, unique
};

/// Xapian numbers the documents of @p parts combined databases (the i-th's
/// local id d) as (d - 1) * parts + i + 1 in postlists: the part (0-based)
/// and the local id of @p combined.
inline std::pair<size_t, Xapian::docid> split_docid(Xapian::docid combined, size_t parts) {
  return {(combined - 1) % parts, static_cast<Xapian::docid>((combined - 1) / parts + 1)};
}

/// Which documents of a (possibly combined) database are live: one DeadSet
/// per part.
class Liveness {
 public:
  Liveness() = default;
  /// @p parts: the databases in the order they were added to the combined one.
  explicit Liveness(const std::vector<Xapian::Database>& parts);

  /// Whether document @p combined (an id from the combined database's
  /// postlists) is live.
  bool live(Xapian::docid combined) const;
  /// True when no part has a dead document (readers can skip the checks).
  bool all_live() const { return all_live_; }
  /// The dead set of one part, found by its UUID and revision; nullptr when
  /// @p part is not one of them (as of this revision).
  const DeadSet* find(const Xapian::Database& part) const;

 private:
  struct Part {
    std::string uuid;
    Xapian::rev revision = 0;
    DeadSet dead;
  };
  std::vector<Part> parts_;
  bool all_live_ = true;
};

/// @p query without the dead documents: an AND_NOT of a posting source
/// that lists each database's dead ids (Xapian hands it every part of a
/// combined database in turn, with local ids: a match decider would not
/// know which part a document came from). @p query itself when all are
/// live. @p liveness must outlive the search.
Xapian::Query without_dead(const Xapian::Query& query, const Liveness& liveness);

}  // namespace bisearch::analysis
