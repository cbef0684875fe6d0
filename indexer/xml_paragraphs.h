/** @file xml_paragraphs.h
 *  @brief Paragraph text of word-processing XML (DOCX's w:p/w:t, HWPX's hp:p/hp:t) as text blocks.
 *
 *  Element names are matched by local name, so one walker serves both
 *  vocabularies. Every paragraph element gives one block (a paragraph that
 *  holds a table or a text box gives the text before it, then the nested
 *  paragraphs, then the rest); text is taken only from text-run elements,
 *  tabs become '\t', line breaks '\n'; subtrees of skipped elements (deleted
 *  revisions, field codes, duplicate fallback content) are left out.
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

/// Appends the paragraphs under @p root to @p out, each with @p place.
void add_paragraphs(const xmlNode* root, const ParagraphVocabulary& vocabulary, uint32_t place,
                    const FormatLimits& limits, Extracted* out);

}  // namespace bisearch::indexer
