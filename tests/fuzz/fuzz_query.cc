// fuzz_query.cc: the query parser and the query builder on any query text.
// Checked: parsing never fails and gives clauses of the query's own text,
// building gives units whose clause index is in range and a description.
#include <cstdint>
#include <string_view>

#include "query/build_query.h"
#include "query/parse.h"
#include "tests/fuzz/fuzz_check.h"

using namespace bisearch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first byte picks the options (--all, ending backoff); the rest is the query.
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::vector<query::Clause> clauses = query::parse_query(text);
  for (const query::Clause& c : clauses) {
    FUZZ_CHECK(c.text.size() <= text.size());
    FUZZ_CHECK(!(c.stop && c.phrase));
  }
  query::BuildOptions options;
  options.match_all = flags & 1;
  options.terms.ending_backoff = flags & 2;
  query::Alternatives alternatives;
  if ((flags & 4) && !clauses.empty()) alternatives[clauses.front().text].push_back({"nuclear deterrence", 0.5});
  const query::BuiltQuery built = query::build_query(clauses, options, alternatives);
  FUZZ_CHECK(built.clause_group.size() == built.clauses);
  for (const auto& u : built.units) FUZZ_CHECK(u.clause < built.clauses);
  for (const uint32_t g : built.clause_group) FUZZ_CHECK(g < built.group_required.size());
  (void)built.query.get_description();
  return 0;
}
