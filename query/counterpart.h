/** @file counterpart.h
 *  @brief A hit's aligned translation: the passage of the other language the indexer aligned it with.
 *
 *  The indexer stores, for documents aligned across languages, each
 *  passage's counterparts (analysis/crosslang.h, indexer/crosslang.h). The
 *  first (best) one is shown with a hit.
 */
#pragma once

#include <xapian.h>

#include <optional>

#include "analysis/schema.h"

namespace bisearch::query {

/// The best counterpart of @p record in @p db, or std::nullopt when the passage has none (or it is no
/// longer in the index).
std::optional<schema::PassageRecord> find_counterpart(const Xapian::Database& db,
                                                      const schema::PassageRecord& record);

}  // namespace bisearch::query
