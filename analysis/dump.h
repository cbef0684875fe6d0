/** @file dump.h
 *  @brief Compact text dumps of analyzer output, shared by tests and tools.
 *
 *  Format, one token per space-separated item, in analyzer order:
 *    <index term>@<position>[<begin>,<end>)
 *  e.g. "확장@1[0,6) 장억@2[3,9) K확장억제@1[0,12)". Offsets are bytes.
 */
#pragma once

#include <string>
#include <vector>

#include "analysis/analyzer.h"

namespace bisearch::analysis {

std::string dump_tokens(const std::vector<Token>& tokens);

}  // namespace bisearch::analysis
