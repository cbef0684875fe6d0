// bisearch-terms: prints the analyzer's terms, positions and byte spans for
// each argument (or each line of stdin), in the format of analysis/dump.h.
#include <iostream>
#include <string>

#include "analysis/analyzer.h"
#include "analysis/dump.h"

int main(int argc, char** argv) {
  using namespace bisearch::analysis;
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << "usage: bisearch-terms [TEXT...]\n"
                 "Prints the terms the analyzer (" << kAnalyzerName << "/" << kAnalyzerVersion
              << ") produces for each TEXT, or for each line of stdin:\n"
                 "  TERM@POSITION[BEGIN,END)   (offsets are UTF-8 bytes; K = Korean word, Z = English stem)\n";
    return 0;
  }
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) std::cout << dump_tokens(analyze(argv[i])) << '\n';
    return 0;
  }
  std::string line;
  while (std::getline(std::cin, line)) std::cout << dump_tokens(analyze(line)) << '\n';
  return 0;
}
