// dead.cc: the stored list of superseded passages and the liveness checks built on it.
#include "analysis/dead.h"

#include <algorithm>
#include <span>

namespace bisearch::analysis {

DeadSet DeadSet::load(const Xapian::Database& db) {
  DeadSet out;
  const std::string value = db.get_metadata(kMetaDead);
  uint64_t last = 0;
  for (size_t i = 0; i < value.size();) {
    uint64_t delta = 0;
    int shift = 0;
    for (;;) {
      if (i >= value.size() || shift > 35) throw Xapian::DatabaseCorruptError(std::string(kMetaDead) + " is malformed");
      const auto b = static_cast<unsigned char>(value[i++]);
      delta |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    last += delta;
    if (delta == 0 || last > 0xFFFFFFFFu) throw Xapian::DatabaseCorruptError(std::string(kMetaDead) + " is malformed");
    out.ids_.push_back(static_cast<Xapian::docid>(last));
  }
  return out;
}

bool DeadSet::contains(Xapian::docid id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

void DeadSet::add(std::vector<Xapian::docid> ids) {
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  std::vector<Xapian::docid> merged;
  merged.reserve(ids_.size() + ids.size());
  std::merge(ids_.begin(), ids_.end(), ids.begin(), ids.end(), std::back_inserter(merged));
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  ids_ = std::move(merged);
}

std::string DeadSet::serialize() const {
  std::string out;
  Xapian::docid last = 0;
  for (const Xapian::docid id : ids_) {
    uint32_t delta = id - last;
    last = id;
    while (delta >= 0x80) {
      out.push_back(static_cast<char>(0x80 | (delta & 0x7F)));
      delta >>= 7;
    }
    out.push_back(static_cast<char>(delta));
  }
  return out;
}

Liveness::Liveness(const std::vector<Xapian::Database>& parts) {
  for (const Xapian::Database& db : parts) {
    parts_.push_back({db.get_uuid(), db.get_revision(), DeadSet::load(db)});
    if (!parts_.back().dead.empty()) all_live_ = false;
  }
}

bool Liveness::live(Xapian::docid combined) const {
  if (all_live_ || parts_.empty()) return true;
  const auto [part, local] = split_docid(combined, parts_.size());
  return !parts_[part].dead.contains(local);
}

const DeadSet* Liveness::find(const Xapian::Database& part) const {
  const std::string uuid = part.get_uuid();
  const Xapian::rev revision = part.get_revision();
  for (const Part& p : parts_)
    if (p.uuid == uuid && p.revision == revision) return &p.dead;
  return nullptr;
}

namespace {

// The dead ids of one database, as a posting source (weight 0).
class DeadSource : public Xapian::PostingSource {
 public:
  explicit DeadSource(const Liveness& liveness) : liveness_(liveness) {}

  Xapian::PostingSource* clone() const override { return new DeadSource(liveness_); }
  void init(const Xapian::Database& db) override {
    const DeadSet* ids = liveness_.find(db);
    if (ids == nullptr) {
      // Not one of the databases the liveness was read from (or another
      // revision): read this one's own list.
      own_ = DeadSet::load(db);
      ids = &own_;
    }
    list_ = ids->ids();
    pos_ = static_cast<size_t>(-1);
  }
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(list_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(list_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(list_.size()); }
  void next(double) override { ++pos_; }
  void skip_to(Xapian::docid did, double) override {
    const size_t from = pos_ == static_cast<size_t>(-1) ? 0 : pos_;
    pos_ = static_cast<size_t>(std::lower_bound(list_.begin() + static_cast<long>(std::min(from, list_.size())),
                                                list_.end(), did) - list_.begin());
  }
  bool at_end() const override { return pos_ != static_cast<size_t>(-1) && pos_ >= list_.size(); }
  Xapian::docid get_docid() const override { return list_[pos_]; }
  std::string get_description() const override { return "bisearch dead passages"; }

 private:
  const Liveness& liveness_;
  DeadSet own_;
  std::span<const Xapian::docid> list_;
  size_t pos_ = static_cast<size_t>(-1);
};

}  // namespace

Xapian::Query without_dead(const Xapian::Query& query, const Liveness& liveness) {
  if (liveness.all_live() || query.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query((new DeadSource(liveness))->release()));
}

}  // namespace bisearch::analysis
