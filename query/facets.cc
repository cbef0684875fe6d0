// facets.cc: counting matching passages by language, year, folder and metadata field.
#include "query/facets.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/schema.h"

namespace bisearch::query {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

Facet finish(std::string name, const std::map<std::string, double>& counts) {
  Facet f;
  f.name = std::move(name);
  for (const auto& [value, n] : counts) {
    const auto rounded = static_cast<uint64_t>(std::llround(n));
    if (rounded > 0) f.values.emplace_back(value, rounded);
  }
  std::stable_sort(f.values.begin(), f.values.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return f;
}

double weight_of(const PassageSet& p, size_t i) { return p.weights.empty() ? 1.0 : p.weights[i]; }

}  // namespace

std::vector<FacetSpec> parse_facets(const std::vector<std::string>& names, const std::vector<std::string>& field_keys) {
  std::vector<FacetSpec> specs;
  for (const std::string& name : names) {
    FacetSpec s{FacetSpec::Kind::kLang, name, ""};
    if (name == "lang") s.kind = FacetSpec::Kind::kLang;
    else if (name == "year") s.kind = FacetSpec::Kind::kYear;
    else if (name == "folder") s.kind = FacetSpec::Kind::kFolder;
    else if (name.starts_with("field:")) {
      s.kind = FacetSpec::Kind::kField;
      s.key = name.substr(6);
      if (!std::binary_search(field_keys.begin(), field_keys.end(), s.key))
        throw SearchError("--facets " + name + ": the index keeps no field " + (s.key.empty() ? "''" : s.key) +
                          " (fields: " + join(field_keys) + ")");
    } else {
      throw SearchError("--facets " + name + ": unknown facet (known: lang, year, folder, field:KEY)");
    }
    specs.push_back(std::move(s));
  }
  return specs;
}

std::vector<std::string> slot_values(const Xapian::Database& db, unsigned slot, const std::vector<Xapian::docid>& ids) {
  std::vector<std::string> out(ids.size());
  Xapian::ValueIterator it = db.valuestream_begin(slot);
  const Xapian::ValueIterator end = db.valuestream_end(slot);
  for (size_t i = 0; i < ids.size() && it != end; ++i) {
    it.skip_to(ids[i]);
    if (it == end) break;
    if (it.get_docid() == ids[i]) out[i] = *it;
  }
  return out;
}

std::vector<Facet> count_facets(const Xapian::Database& db, const std::vector<FacetSpec>& specs,
                                const PassageSet& passages) {
  std::vector<Facet> facets;
  const auto& ids = passages.ids;
  for (const FacetSpec& spec : specs) {
    std::map<std::string, double> counts;
    switch (spec.kind) {
      case FacetSpec::Kind::kLang:
      case FacetSpec::Kind::kYear:
      case FacetSpec::Kind::kFolder: {
        const unsigned slot = spec.kind == FacetSpec::Kind::kLang   ? schema::kSlotLang
                              : spec.kind == FacetSpec::Kind::kYear ? schema::kSlotDate
                                                                    : schema::kSlotFolder;
        const std::vector<std::string> values = slot_values(db, slot, ids);
        for (size_t i = 0; i < ids.size(); ++i) {
          std::string v = values[i];
          if (spec.kind == FacetSpec::Kind::kYear) {
            if (v.size() < 4) continue;
            v.resize(4);
          } else if (spec.kind == FacetSpec::Kind::kFolder && v.empty()) {
            v = ".";
          } else if (v.empty()) {
            continue;
          }
          counts[v] += weight_of(passages, i);
        }
        break;
      }
      case FacetSpec::Kind::kField: {
        // Each value's postlist, intersected with the (sorted) passages.
        const std::string prefix = std::string(schema::kPrefixField) + spec.key + "=";
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
          const std::string value = (*t).substr(prefix.size());
          double n = 0;
          size_t i = 0;
          for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t) && i < ids.size(); ++p) {
            while (i < ids.size() && ids[i] < *p) ++i;
            if (i < ids.size() && ids[i] == *p) n += weight_of(passages, i);
          }
          if (n > 0) counts[value] += n;
        }
        break;
      }
    }
    facets.push_back(finish(spec.name, counts));
  }
  return facets;
}

}  // namespace bisearch::query
