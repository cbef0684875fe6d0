/** @file output.h
 *  @brief Printing search results: terminal text and JSON Lines.
 *
 *  JSON Lines format (one object per line; offsets are UTF-8 bytes):
 *   hit:     {"type":"hit", "query_id"?, "rank", "score", "doc_id", "title",
 *             "passage", "lang", "date", "url", "source", "begin", "end",
 *             "place", "text", "highlights":[[begin,end],...],
 *             "title_highlights":[[begin,end],...], "title_only",
 *             "more_in_doc", "copies":[doc_id,...], "counterpart"}
 *            `text` is the whole passage; `highlights` are byte ranges in
 *            `text`; `begin`/`end` locate the passage in its source (for
 *            PDF/HTML/DOCX/HWPX/HWP: in the text extracted from it).
 *            `place` is the page (PDF) or section (HWP, HWPX) the passage
 *            is on: {"unit": "page"|"section", "first", "last", "label"
 *            ("p. 12", "pp. 12–13", "sec. 2")}, null for other formats.
 *            In text output the label follows the passage number.
 *            `counterpart` is the passage's aligned translation
 *            (counterpart.h): {"doc_id", "passage", "lang", "text"}, null
 *            when it has none; in text output a second line "⇄ en #1: …".
 *            `title_highlights`: byte ranges in `title` matched by the query
 *            (coloured in the terminal). `title_only`: true when the passage
 *            matched on its document's title alone, none of the query's
 *            words being in `text` (text output: "(matched in title only)").
 *            `more_in_doc`: further matching passages of this document (and
 *            its copies) that the grouping left out of the results (--per-doc;
 *            text: "+5 more in this document"), 0 when none. `copies`: doc ids
 *            of other indexed documents with the same text, which this hit
 *            stands for (text: "same text also at: …"), [] when none.
 *            `date` is the date as the document writes it.
 *   summary: {"type":"summary", "query_id"?, "query", "parsed",
 *             "total_estimate", "total_exact", "returned", "offset", "limit",
 *             "per_doc", "date_first", "date_last",
 *             "facets":{NAME:[{"value", "count"}, ...], ...},
 *             "expansions":[{"clause", "text", "lang", "kind", "evidence",
 *             "weight"}, ...]}
 *            `total_estimate` counts the matching passages (the same for any
 *            limit, offset or batch); `total_exact` says whether it is an
 *            exact count (text: "passages 1–10 of 106") or an estimate beyond
 *            the searcher's bound (text: "passages 1–10 of about 3200"). A page past
 *            the end has no hits but still the total (text: "no passages at
 *            offset 200: the query matches 106 passages"; exit status 0).
 *            `per_doc` is the grouping in force (0: none). `date_first` /
 *            `date_last`: ISO dates (YYYY-MM-DD) of the earliest and latest
 *            dated matching passage, null when none is dated. `facets` has
 *            one member per --facets name in the order asked ("lang",
 *            "year", "folder", "field:KEY"), each the counts of matching
 *            passages by value, most first ("" = passages without one);
 *            {} without --facets. `expansions` lists the translations
 *            expansion added (terms.h kinds; on by default), [] with
 *            --no-cross.
 *   error:   {"type":"error", "query_id"?, "query", "message"}   (batch only)
 *  `query_id` appears in batch mode only. One summary follows the hits of
 *  each query.
 *
 *  `terms TERM` (print_terms_json), JSON Lines as well:
 *   translation: {"type":"translation", "rank", "text", "lang" ("ko"|"en"),
 *                 "kind" ("gloss"|"acronym"|"expansion"|"glossary"|
 *                 "alignment"), "evidence", "passages", "sources":[{"source",
 *                 "evidence", "score"?}, ...], "note"?, "examples":[{"doc_id",
 *                 "passage", "lang", "snippet", "begin", "end"}, ...]}
 *                `sources` lists where the translation was found (gloss:
 *                passages glossing the pair; glossary: rows; alignment:
 *                sentence pairs linking them, with the G2 `score`);
 *                `evidence` is their sum, `passages` the passages holding
 *                the glosses; `note` a glossary row's note and file:line; at most one
 *                example per language, `begin`/`end` locate `snippet` in the
 *                passage text (bytes).
 *   summary:     {"type":"summary", "term", "key", "lang", "translations",
 *                 "matching_estimate", "scanned"}
 *                `key` is the term as compared (analysis::term_key),
 *                `scanned` the passages read for the glosses' written forms.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

#include "query/rank.h"
#include "query/terms.h"

namespace bisearch::query {

struct OutputOptions {
  bool color = false;          ///< ANSI colour for matches and headers
  bool explain = false;        ///< print the parsed query first (text mode)
  size_t snippet_chars = 280;  ///< code points of passage shown in text mode
};

void print_text(std::ostream& out, std::string_view query, const SearchResult& result,
                const SearchOptions& search, const OutputOptions& options);

/// Whether the query matched anything, even when this page (a large
/// --offset) holds no hit: decides the CLI's exit status.
bool has_matches(const SearchResult& result);

/// The line that ends a text result: "passages 1–10 of 106, dated
/// 2023-04-26 to 2024-07-11", "no passages at offset 200: the query matches
/// 106 passages (...)" or "no passages match "QUERY"".
std::string total_line(std::string_view query, const SearchResult& result, const SearchOptions& search);

/// @p query_id may be null (single query mode).
void print_json(std::ostream& out, const std::string* query_id, std::string_view query,
                const SearchResult& result, const SearchOptions& search);

/// The JSON objects print_json writes, one per hit and the summary (format
/// above): the records every front end (bisearch-query, bisearch-serve) emits.
nlohmann::ordered_json hit_json(const Hit& hit, const std::string* query_id);
nlohmann::ordered_json summary_json(const std::string* query_id, std::string_view query, const SearchResult& result,
                                    const SearchOptions& search);

void print_json_error(std::ostream& out, const std::string* query_id, std::string_view query,
                      std::string_view message);

/// A term lookup as text: one line per translation, then its examples.
void print_terms_text(std::ostream& out, const TermLookup& lookup, const OutputOptions& options);

/// The JSON objects print_terms_json writes: one translation (1-based
/// @p rank) and the lookup's summary.
nlohmann::ordered_json translation_json(const Translation& t, size_t rank);
nlohmann::ordered_json terms_summary_json(const TermLookup& lookup);

/// A term lookup as JSON Lines (format above).
void print_terms_json(std::ostream& out, const TermLookup& lookup);

}  // namespace bisearch::query
