/** @file glossary.h
 *  @brief User glossaries (TSV/CSV of Korean and English terms): parsing, and keeping them in the index.
 *
 *  File format, chosen per file: TSV when the first row holds a tab, else
 *  CSV (commas; fields may be double-quoted, "" is a quote inside one; a
 *  quoted field may not span lines). Columns: ko, en, and an optional note.
 *  A first row whose cells name the columns (ko/korean/한국어,
 *  en/english/영어, note/notes/비고/메모, any case) is a header, and then the
 *  columns may come in any order. Blank lines and lines starting with '#'
 *  are skipped. A UTF-8 byte order mark is skipped.
 *
 *  Encoding: UTF-8; a whole file in CP949/EUC-KR is converted (legacy.h).
 *  Bad rows are reported with the file and line and skipped; the other rows
 *  load: a line that is not valid UTF-8, a row with fewer than two columns,
 *  an empty term, an unterminated quote, a ko cell without Korean letters
 *  (swapped columns are named as such).
 *
 *  In the index (analysis/crosslang.h): each glossary file has a record
 *  under bisearch.glossary.<path> (its path, content hash and rows); the
 *  bisearch.gls.<key> translation tables are rebuilt from all records when
 *  one changes. Files loaded once are checked on every later run: changed
 *  ones are read again, deleted ones are dropped (with a note).
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/errors.h"
#include "indexer/write.h"

namespace bisearch::indexer {

struct GlossaryRow {
  std::string ko, en, note;
  size_t line = 0;  ///< 1-based
};

struct ParsedGlossary {
  std::vector<GlossaryRow> rows;
  std::vector<Problem> problems;  ///< where = "FILE:LINE"
  std::string encoding = "UTF-8";
};

/// Parses glossary @p bytes read from @p file (named in problems).
ParsedGlossary parse_glossary(std::string_view bytes, const std::string& file);

struct GlossarySummary {
  size_t files = 0;     ///< glossary files in the index after the run
  size_t loaded = 0;    ///< files read (new or changed) this run
  size_t rows = 0;      ///< rows of the files read
  size_t dropped = 0;   ///< files removed because they no longer exist
  bool rebuilt = false; ///< the bisearch.gls.* tables were rebuilt
};

/// Loads @p given (and re-checks the glossaries already in the index) into
/// @p writer's index. Problems (unreadable file, bad rows) go to @p problem;
/// @p note gets informational lines. Throws FatalError on a database error.
GlossarySummary update_glossaries(IndexWriter& writer, const std::vector<std::filesystem::path>& given,
                                  const std::function<void(const Problem&)>& problem,
                                  const std::function<void(const std::string&)>& note);

}  // namespace bisearch::indexer
