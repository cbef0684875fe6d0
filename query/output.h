/** @file output.h
 *  @brief Printing search results: terminal text and JSON Lines.
 *
 *  JSON Lines format (one object per line; offsets are UTF-8 bytes):
 *   hit:     {"type":"hit", "query_id"?, "rank", "score", "doc_id", "title",
 *             "passage", "lang", "date", "url", "source", "begin", "end",
 *             "text", "highlights":[[begin,end],...]}
 *            `text` is the whole passage; `highlights` are byte ranges in
 *            `text`; `begin`/`end` locate the passage in its source.
 *   summary: {"type":"summary", "query_id"?, "query", "parsed",
 *             "total_estimate", "returned", "offset", "limit"}
 *   error:   {"type":"error", "query_id"?, "query", "message"}   (batch only)
 *  `query_id` appears in batch mode only. One summary follows the hits of
 *  each query.
 */
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "query/rank.h"

namespace bisearch::query {

struct OutputOptions {
  bool color = false;          ///< ANSI colour for matches and headers
  bool explain = false;        ///< print the parsed query first (text mode)
  size_t snippet_chars = 280;  ///< code points of passage shown in text mode
};

void print_text(std::ostream& out, std::string_view query, const SearchResult& result,
                const SearchOptions& search, const OutputOptions& options);

/// @p query_id may be null (single query mode).
void print_json(std::ostream& out, const std::string* query_id, std::string_view query,
                const SearchResult& result, const SearchOptions& search);

void print_json_error(std::ostream& out, const std::string* query_id, std::string_view query,
                      std::string_view message);

}  // namespace bisearch::query
