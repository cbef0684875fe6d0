// counterpart.cc: looks up a passage's stored counterpart and reads its record.
#include "query/counterpart.h"

#include "analysis/crosslang.h"

namespace bisearch::query {

std::optional<schema::PassageRecord> find_counterpart(const Xapian::Database& db,
                                                      const schema::PassageRecord& record) {
  for (const analysis::CounterpartRef& ref : analysis::read_counterparts(db, record.doc_id, record.passage)) {
    const std::string uid = schema::uid_term(ref.doc_id, ref.passage);
    for (auto it = db.postlist_begin(uid); it != db.postlist_end(uid); ++it) {
      auto r = schema::read_record(db.get_document(*it), db);
      if (r && r->doc_id == ref.doc_id && r->passage == ref.passage) return r;
    }
  }
  return std::nullopt;
}

}  // namespace bisearch::query
