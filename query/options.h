/** @file options.h
 *  @brief What a bisearch-query run is asked to do: raw arguments and validated options.
 *
 *  main.cc lets CLI11 fill a plain QueryArgs; to_options() checks every
 *  value once and turns it into SearchOptions (rank.h), OutputOptions
 *  (output.h) and the run's mode. A bad value is a UsageError whose message
 *  is one line naming the option and the value (the CLI exits 2). Nothing
 *  here opens an index: checks that need one (a --field key the index does
 *  not keep, a --doc id) are the Searcher's.
 */
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "query/output.h"
#include "query/rank.h"

namespace bisearch::query {

/// A bad command-line value: the message names the option and the value.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The command line as parsed, before any check.
struct QueryArgs {
  std::vector<std::string> dbs;
  std::vector<std::string> query_words;  ///< everything that is not an option
  size_t limit = 10;
  size_t offset = 0;
  std::string lang;
  std::vector<std::string> docs;
  bool json = false;
  bool explain = false;
  bool all = false;
  std::string color = "auto";
  std::string batch;
  size_t snippet = 280;
  std::vector<std::string> tune;  ///< --tune KEY=VALUE
  bool terms = false;
  bool cross = true;
  bool default_lexicon = true;         ///< --no-default-lexicon turns it off
  std::string since, until;            ///< --since/--until DATE ("" = none)
  std::string sort = "relevance";      ///< --sort relevance|date|-date
  std::vector<std::string> paths;      ///< --path PREFIX
  std::vector<std::string> fields;     ///< --field key=value
  std::vector<std::string> facets;     ///< --facets lang,year,folder,field:KEY (comma lists, repeatable)
  long long per_doc = 2;               ///< --per-doc N
};

/// Everything a run does, checked.
struct QueryRun {
  SearchOptions search;
  OutputOptions output;
  std::string query;   ///< the query words joined with spaces ("" with --batch only)
  std::string batch;   ///< --batch FILE ("-" = stdin), "" = one query
  bool json = false;
  bool terms = false;  ///< --terms: look the query up as a term
};

/// Validates @p args. Throws UsageError with a one-line message. Colour
/// "auto" is resolved by the caller (it depends on the terminal).
QueryRun to_options(const QueryArgs& args);

/// Applies --tune KEY=VALUE settings (evaluation runs) to @p options.
/// Throws UsageError naming the setting when a key is unknown or a value is
/// not a number.
void apply_tuning(const std::vector<std::string>& settings, SearchOptions& options);

/// A --since (@p upper false) or --until (@p upper true) value as the
/// inclusive ISO bound "YYYY-MM-DD": any form analysis/dates.h reads
/// (2023-04-26, 2023.04.26, 2023. 4. 26., 2023년 4월 26일, April 26, 2023);
/// a year or a month alone is its first day as a lower bound and its last
/// as an upper one (--until 2023 = 2023-12-31). Throws UsageError naming
/// @p option otherwise.
std::string date_bound(std::string_view option, std::string_view value, bool upper);

/// What --doc values name in an index (resolve_doc_ids).
struct DocIds {
  std::vector<std::string> ids;      ///< the document ids to filter on
  std::vector<std::string> unknown;  ///< values that name no document (kept in ids as given)
};

/// The document ids that --doc values name in @p db, so that a user need
/// not type a whole id, tried in this order: a value that is a doc id is
/// kept; a value that ends ids after a '/' stands for all of them (a file
/// name, or the last parts of a path: --doc 2023-04-26-washington-declaration-2.txt
/// names it in core/ and in whitehouse-korea/...); the start of exactly
/// one id stands for it (--doc core/2023-04-26-wash); a part of ids that
/// are all one file name (in several folders) stands for them
/// (--doc washington-declaration). A value that names nothing is kept as
/// given and listed in `unknown` (the CLI says so; the search has no hits
/// from it); one that is part of several different ids is a UsageError
/// naming it and some of the ids. Reads the index's XD terms (schema.h).
DocIds resolve_doc_ids(const Xapian::Database& db, const std::vector<std::string>& values);

/// Facet names accepted by --facets, besides field:KEY.
inline constexpr const char* kFacetNames[] = {"lang", "year", "folder"};

}  // namespace bisearch::query
