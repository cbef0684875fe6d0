/** @file hwp_records.h
 *  @brief HWP 5.0 body records (one decompressed BodyText/SectionN stream) to text blocks, and the
 *  click-here field guide text that HWP and HWPX share.
 *
 *  Records (Hancom's published HWP 5.0 format): a u32 header, tag (bits
 *  0-9), level (10-19), size (20-31; 0xFFF means a u32 size follows). A
 *  paragraph is a PARA_HEADER (tag 66) at level L followed by its records at
 *  level L+1: PARA_TEXT (67, UTF-16LE), and one CTRL_HEADER (71) for each
 *  extended control character of the text, in the same order; a control's
 *  own records (a table's cells, a text box's paragraphs) follow it at
 *  deeper levels. Code units below 32 in PARA_TEXT are controls: 10 line
 *  break, 13 paragraph end, 24 hyphen, 30/31 fixed spaces take one unit;
 *  the others take eight, and 1-3, 11-12, 14-18 and 21-23 are "extended"
 *  (they own a CTRL_HEADER). 3 begins a field and 4 ends it.
 *
 *  Text read besides PARA_TEXT, because the document shows it:
 *   - a click-here field (누름틀, CTRL_HEADER id "%clk") shows its guide
 *     text while nothing is typed in it: an empty field gives its guide,
 *     the "Direction" of its command string
 *     ("Clickhere:set:66:Direction:wstring:4:처리과명 HelpState:wstring:0: ");
 *   - a drawing object (id "gso ": picture, shape, text box) has a
 *     description (개체 설명문) after its common properties: a u16 length at
 *     byte 44 and that many UTF-16LE units. It becomes a block of its own
 *     after the paragraph that holds the object.
 *  Blocks come in stream order: a paragraph, then what its controls hold.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/formats.h"

namespace bisearch::indexer {

/// The guide text of a click-here field's command (its "Direction:wstring:N:"
/// value, N UTF-16 units, spaces collapsed); "" when it has none.
std::string clickhere_guide(std::string_view command);

/// @p units UTF-16LE code units (the bytes of a PARA_TEXT record, @p n units)
/// as UTF-8 without its controls, line breaks kept as '\n', spaces of each
/// line collapsed. @p controls: the CTRL_HEADER bodies of the paragraph's
/// extended controls in order (empty fields show the guide of theirs).
std::string hwp_paragraph_text(const unsigned char* units, size_t n, const std::vector<std::string_view>& controls);

/// The description text of a drawing object's CTRL_HEADER body ("" for other controls).
std::string hwp_object_description(std::string_view ctrl_header);

/// Reads the records of one decompressed section stream @p data (named
/// @p name in errors) into blocks of place @p section. Throws FormatError
/// for a record that runs past the stream.
void read_hwp_records(std::string_view data, const std::string& name, uint32_t section, const FormatLimits& limits,
                      Extracted* out);

}  // namespace bisearch::indexer
