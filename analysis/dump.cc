// dump.cc: the compact token dump used by tests and tools/bisearch-terms.
#include "analysis/dump.h"

namespace bisearch::analysis {

std::string dump_tokens(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += index_term(t);
    out += '@' + std::to_string(t.position) + '[' + std::to_string(t.begin) + ',' + std::to_string(t.end) + ')';
  }
  return out;
}

}  // namespace bisearch::analysis
