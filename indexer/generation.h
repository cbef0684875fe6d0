/** @file generation.h
 *  @brief Index generations: where the live database of --db DIR is, and swapping in a rebuilt one.
 *
 *  Two layouts of DIR, both opened by Xapian::Database(DIR) (and so by
 *  bisearch-query) without knowing which:
 *   - plain: DIR is a glass database (DIR/iamglass exists). Every index
 *     starts like this.
 *   - generations: DIR holds a stub file DIR/XAPIANDB with the one line
 *     "glass gen-N" (relative to DIR) and the live database DIR/gen-N/.
 *     A rebuild (--rebuild, or an analyzer change) writes this layout.
 *  Xapian opens a directory holding iamglass as glass even when XAPIANDB is
 *  also there (checked with 1.4.22), so the swap is one atomic step in both
 *  layouts: from plain, XAPIANDB is written first and then iamglass is
 *  unlinked; from generations, a new XAPIANDB replaces the old one by
 *  rename(2). A search that opened the old database keeps reading it (its
 *  files stay readable while open); one that opens after the swap reads the
 *  new one; none sees a mix. The old generation is deleted kOldGenerationGrace
 *  after the swap, so a search that read the old stub just before the swap
 *  has time to open its files. (From the plain layout, unlinking iamglass is
 *  itself the swap: a search that found iamglass microseconds before and
 *  opens it after fails to open and must be re-run.)
 *
 *  gen-N directories that the stub does not name are left-overs of a killed
 *  rebuild; remove_stale_generations() deletes them (callers hold the
 *  index's write lock).
 */
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace bisearch::indexer {

/// How long swap_in() waits before deleting the old database.
inline constexpr std::chrono::milliseconds kOldGenerationGrace{200};

/// Name of Xapian's stub file inside a stub directory.
inline constexpr const char* kStubFile = "XAPIANDB";

/// The live glass database directory of @p db: @p db itself (plain layout,
/// or when it does not exist yet) or DIR/gen-N named by its stub file.
std::filesystem::path live_database(const std::filesystem::path& db);

/// The directory a rebuild of @p db writes into: DIR/gen-(N+1), N the
/// highest generation number present (0 if none). Does not create it.
std::filesystem::path next_generation(const std::filesystem::path& db);

/// Makes @p generation (a directory inside @p db) the live database of @p db
/// atomically, then deletes the previous live database (its gen-N directory,
/// or the glass files of the plain layout). Throws FatalError naming the path.
void swap_in(const std::filesystem::path& db, const std::filesystem::path& generation);

/// Deletes gen-N directories of @p db that are not the live one. Returns how
/// many were removed.
size_t remove_stale_generations(const std::filesystem::path& db);

}  // namespace bisearch::indexer
