/** @file xml_paragraphs.h
 *  @brief Paragraph text of word-processing XML (DOCX's w:p/w:t, HWPX's hp:p/hp:t) as text blocks.
 *
 *  Element names are matched by local name, so one walker serves both
 *  vocabularies. Every paragraph element gives one block (a paragraph that
 *  holds a table or a text box gives the text before it, then the nested
 *  paragraphs, then the rest); text is taken only from text-run elements,
 *  tabs become '\t', line breaks '\n'; subtrees of skipped elements (deleted
 *  revisions, field codes, duplicate fallback content) are left out. An
 *  empty click-here field gives its guide text and a drawing object its
 *  description, where the vocabulary names them (HWPX; see hwp_records.h).
 */
#pragma once

#include <libxml/tree.h>

#include <string>
#include <vector>

#include "indexer/formats.h"

namespace bisearch::indexer {

struct ParagraphVocabulary {
  std::vector<const char*> paragraph;  ///< e.g. "p"
  std::vector<const char*> text;       ///< elements whose text children are document text ("t")
  std::vector<const char*> tab;        ///< elements that stand for a tab
  std::vector<const char*> line_break; ///< elements that stand for a line break
  std::vector<const char*> space;      ///< elements that stand for a space (HWPX fwSpace, nbSpace)
  std::vector<const char*> hyphen;     ///< elements that stand for a hyphen
  std::vector<const char*> skip;       ///< subtrees without document text
};

/// What a vocabulary shows besides its runs' text (HWPX; see hwp_records.h).
struct ShownVocabulary {
  /// Fields (hp:fieldBegin / hp:fieldEnd, matched by id / beginIDRef): a
  /// field with nothing between its begin and end shows its guide text,
  /// @p field_guide of its begin element ("" for none: not a click-here field).
  std::vector<const char*> field_begin;
  std::vector<const char*> field_end;
  std::string (*field_guide)(const xmlNode* begin) = nullptr;
  /// Elements whose text is a drawing object's description (hp:shapeComment):
  /// a block of its own after the paragraph holding the object.
  std::vector<const char*> description;
};

/// Appends the paragraphs under @p root to @p out, each with @p place.
/// @p shown: guides and descriptions to read too (none when null).
void add_paragraphs(const xmlNode* root, const ParagraphVocabulary& vocabulary, uint32_t place,
                    const FormatLimits& limits, Extracted* out, const ShownVocabulary* shown = nullptr);

}  // namespace bisearch::indexer
