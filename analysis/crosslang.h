/** @file crosslang.h
 *  @brief Stored cross-language data: translation tables and passage counterparts (persistent format).
 *
 *  Written by the indexer (indexer/crosslang.h), read by the query tool.
 *  Everything lives in Xapian metadata of the index, so it is committed in
 *  the same transactions as the passages it was derived from.
 *
 *  Passages carry gloss pair terms (kPrefixGlossPair, below).
 *
 *    bisearch.lex.<key>      translations of term <key> learned from aligned
 *                            text (source "alignment")
 *    bisearch.gls.<key>      translations of <key> from the user's glossary
 *                            files (source "glossary")
 *    bisearch.cp.<doc_id>    the counterparts of a document's passages
 *    bisearch.align.<group>  the document ids of an aligned group ('\n'-joined)
 *    bisearch.pending.<id>   document ids changed since the last pass
 *                            (written with the change, cleared by the pass)
 *    bisearch.crosslang      a summary of the last derivation (free text
 *                            fields, for `status` and the evaluation tool)
 *
 *  <key> is analysis::term_key() of the term (gloss.h), so lookups compare
 *  terms as the gloss extractor does; keys and doc ids go through
 *  schema::bounded_term (long ones end in a hash). Values are sequences of
 *  schema::append_field fields; the first is the format version ("1").
 */
#pragma once

#include <xapian.h>

#include "analysis/schema.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::analysis {

// The metadata keys above and the gloss pair prefix are defined in schema.h.
using schema::kMetaAlignGroup;
using schema::kMetaCounterpart;
using schema::kMetaCrosslang;
using schema::kMetaGlossary;
using schema::kMetaLexicon;
using schema::kMetaPending;

/// Key marking @p doc_id as changed since the last cross-language pass.
std::string pending_meta_key(std::string_view doc_id);

/// Prefix of the gloss pair terms a passage carries (boolean, unpositioned):
/// XG<from key>\x1f<kind><to key>, one per ordered pair of sides of each
/// parenthetical gloss in the passage (gloss.h); kind 'g' gloss, 'a' the
/// other side is an acronym, 'e' the term is an acronym and the other side
/// its spelled-out form. So the passages glossing a term are one prefix scan
/// of the term list away, and a term's termfreq is its gloss evidence.
using schema::kPrefixGlossPair;

/// The gloss pair terms of @p text (deduplicated, sorted).
std::vector<std::string> gloss_pair_terms(std::string_view text);

/// The scan prefix for the pairs whose first side is @p key.
std::string gloss_pair_prefix(std::string_view key);

/// One translation of a term.
struct StoredTranslation {
  std::string key;        ///< term_key of the translation
  std::string text;       ///< its most frequent written form
  std::string lang;       ///< "ko" or "en"
  uint32_t evidence = 0;  ///< alignment: sentence pairs linking the two; glossary: rows
  double score = 0;       ///< alignment: log-likelihood ratio G2; glossary: 0
  std::string note;       ///< glossary: the row's note and "file:line"; alignment: ""
};

std::string serialize_translations(const std::vector<StoredTranslation>& list);
std::optional<std::vector<StoredTranslation>> deserialize_translations(std::string_view data);

/// Metadata key of term @p key under @p table (kMetaLexicon or kMetaGlossary).
std::string translation_meta_key(const char* table, std::string_view key);

/// The translations stored for @p key in @p table; empty when none or unreadable.
std::vector<StoredTranslation> read_translations(const Xapian::Database& db, const char* table,
                                                 std::string_view key);

/// An aligned passage of the other language.
struct CounterpartRef {
  std::string doc_id;
  uint32_t passage = 0;
};

/// Counterparts of every passage of one document: passage -> refs, best first.
struct DocCounterparts {
  std::vector<std::pair<uint32_t, std::vector<CounterpartRef>>> passages;  ///< by passage number
};

std::string serialize_counterparts(const DocCounterparts& c);
std::optional<DocCounterparts> deserialize_counterparts(std::string_view data);
std::string counterpart_meta_key(std::string_view doc_id);

/// The counterparts of passage @p passage of @p doc_id (empty when none).
std::vector<CounterpartRef> read_counterparts(const Xapian::Database& db, std::string_view doc_id, uint32_t passage);

}  // namespace bisearch::analysis
