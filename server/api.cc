// api.cc: the JSON API routes, on one Searcher per worker thread.
#include "server/api.h"

#include <xapian.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "analysis/schema.h"
#include "query/counterpart.h"
#include "query/output.h"
#include "query/terms.h"

namespace bisearch::server {
namespace {

struct Worker {
  const Api* owner = nullptr;
  uint64_t generation = 0;
  std::unique_ptr<query::Searcher> searcher;
};
thread_local Worker tl_worker;

HttpResponse json_response(const nlohmann::ordered_json& body) {
  HttpResponse r;
  r.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  r.content_type = "application/json; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

// Facet counts and the date range, in summary_json's own form, for a
// summary_json that does not carry them (query/output.h before issue 12).
void complete_summary(nlohmann::ordered_json& summary, const query::SearchResult& result) {
  if (!summary.contains("total_exact")) summary["total_exact"] = result.total_exact;
  if (!summary.contains("facets")) {
    auto& facets = summary["facets"] = nlohmann::ordered_json::object();
    for (const auto& f : result.facets) {
      auto& values = facets[f.name] = nlohmann::ordered_json::array();
      for (const auto& [value, count] : f.values) values.push_back({{"value", value}, {"count", count}});
    }
  }
  for (const char* key : {"date_first", "date_last"}) {
    if (summary.contains(key)) continue;
    const std::string& d = key[5] == 'f' ? result.date_first : result.date_last;
    summary[key] = d.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d);
  }
}

}  // namespace

Api::Api(IndexWatch& watch, query::SearchOptions defaults) : watch_(watch), defaults_(std::move(defaults)) {}

query::Searcher& Api::searcher(bool fresh) {
  Worker& w = tl_worker;
  if (w.owner != this) w = Worker{this, 0, nullptr};
  const uint64_t generation = watch_.generation();
  if (!fresh && w.searcher && w.generation == generation) return *w.searcher;
  std::string reason;
  for (int attempt = 0; attempt < 4; ++attempt) {
    try {
      w.searcher = std::make_unique<query::Searcher>(defaults_);
      w.generation = generation;
      return *w.searcher;
    } catch (const query::SearchError& e) {
      reason = e.what();
    } catch (const Xapian::Error& e) {
      reason = e.get_description();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25 << attempt));
  }
  // The index cannot be opened right now: keep serving the state this
  // thread had, if any (a later request tries again).
  if (w.searcher && !fresh) return *w.searcher;
  throw RequestError(503, "the index cannot be opened: " + reason);
}

template <typename F>
auto Api::with_searcher(F&& f) {
  std::string reason;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      return f(searcher(attempt > 0));
    } catch (const query::SearchError& e) {
      reason = e.what();
    } catch (const Xapian::Error& e) {
      reason = e.get_description();
    }
  }
  throw RequestError(503, "the index is unavailable: " + reason);
}

HttpResponse Api::search(const Params& params) {
  const auto state = watch_.state();
  std::string q;
  const query::SearchOptions options = search_params(params, defaults_, state->fields, &q);
  return with_searcher([&](query::Searcher& s) {
    s.set_options(options);
    const query::SearchResult result = s.search(q);
    nlohmann::ordered_json body;
    body["hits"] = nlohmann::ordered_json::array();
    for (const auto& hit : result.hits) body["hits"].push_back(query::hit_json(hit, nullptr));
    nlohmann::ordered_json summary = query::summary_json(nullptr, q, result, s.options());
    complete_summary(summary, result);
    body["summary"] = std::move(summary);
    return json_response(body);
  });
}

HttpResponse Api::terms(const Params& params) {
  params.only({"q", "lang"});
  const std::string q = query_text_param(params, "q");
  query::TermOptions options;
  if (auto v = params.get("lang"); v && !v->empty()) {
    if (*v != "ko" && *v != "en") throw RequestError(400, "must be ko or en", "lang");
    options.lang = *v;
  }
  return with_searcher([&](query::Searcher& s) {
    const query::TermLookup lookup = query::lookup_term(s.database(), q, options);
    nlohmann::ordered_json body;
    body["translations"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < lookup.translations.size(); ++i)
      body["translations"].push_back(query::translation_json(lookup.translations[i], i + 1));
    body["summary"] = query::terms_summary_json(lookup);
    return json_response(body);
  });
}

HttpResponse Api::doc(const std::string& id, const Params& params) {
  params.only({});
  if (id.empty()) throw RequestError(404, "no document id given: /api/doc/{id}");
  return with_searcher([&](query::Searcher& s) {
    const Xapian::Database& db = s.database();
    Xapian::Enquire enquire(db);
    // A filter on all documents, not the bare term: see query::all_documents_filter().
    enquire.set_query(query::all_documents_filter(Xapian::Query(schema::doc_term(id))));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet mset = enquire.get_mset(0, kMaxDocPassages);
    std::vector<schema::PassageRecord> records;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto record = schema::read_record(it.get_document(), db);
      if (record && record->doc_id == id) records.push_back(std::move(*record));
    }
    if (records.empty()) throw RequestError(404, "no document with this id in the index", "id");
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.passage < b.passage; });
    nlohmann::ordered_json body;
    const auto& first = records.front();
    body["type"] = "document";
    body["doc_id"] = first.doc_id;
    body["title"] = first.title;
    body["date"] = first.date;
    body["url"] = first.url;
    body["source"] = first.source;
    body["passages"] = nlohmann::ordered_json::array();
    for (auto& record : records) {
      query::Hit hit;
      hit.counterpart = query::find_counterpart(db, record);
      hit.record = std::move(record);
      nlohmann::ordered_json p = query::hit_json(hit, nullptr);
      p["type"] = "passage";
      p.erase("rank");
      p.erase("score");
      body["passages"].push_back(std::move(p));
    }
    return json_response(body);
  });
}

HttpResponse Api::status(const Params& params) {
  params.only({});
  const auto state = watch_.state();
  nlohmann::ordered_json body = state->status;
  body["generation"] = watch_.generation();
  return json_response(body);
}

}  // namespace bisearch::server
