// 人社大数据分析平台 and 指挥中心 (issue 5): the analytics module. It builds
// in-memory cubes (src/olap) from the data center's fact feed
// (datacenter::FactFeed, facts.h) and serves docs/api/analytics.md:
//
//   GET  /api/v1/analytics/cubes                 analytics:query   cube catalog
//   POST /api/v1/analytics/query                 analytics:query   pivot query (caller's scope)
//   GET  /api/v1/analytics/status                analytics:query   cube stats, last batch
//   POST /api/v1/analytics/refresh               analytics:refresh full rebuild (waits for it)
//   GET|POST /api/v1/analytics/views             query | view:manage  saved views
//   PUT|DELETE /api/v1/analytics/views/{id}      view:manage (owner only)
//   POST /api/v1/analytics/views/{id}/pin        view:manage (own or shared views)
//   GET  /api/v1/analytics/workbench             analytics:query   pinned views with results
//   POST /api/v1/analytics/export                analytics:query   XLSX of a result (audited)
//   GET  /api/v1/analytics/domains[/{code}]      analytics:query   domain views
//   GET|PUT /api/v1/screen/config                screen:view | screen:manage (audited)
//   GET  /api/v1/screen/data?items=..            screen:view       big-screen items
//   GET  /media/{*path}                          screen:view       <data_dir>/media (HLS)
//
// Cubes (cubes.h): one per fact kind, shared dimensions region/time/gender/
// age/domain/industry/unit_type with Chinese labels (townships from
// DivisionTable::Builtin(), codes from the data center's dictionary). Every
// query runs with the caller's scope: for each business domain,
// me->ScopeFor(domain) → all townships, the scope's division codes, or (no
// division codes) nothing in that domain.
//
// Refresh (refresh.cc): Start launches a worker thread that builds every
// cube fully (routes answer 503 ANALYTICS_WARMING until it finished), then
// applies the rows of each newly committed collection batch (FactFeed::
// OnBatchCommitted, debounced; rows with batch_id in (last, latest]).
// A full rebuild (POST /refresh) loads a fresh engine and swaps it in, so
// readers never see a half-built cube; the reported cube versions stay
// monotone across swaps. After each refresh the hub topics
// analytics.refresh ({cube, version} per changed cube; needs
// analytics:query) and screen.update ({items, asOf}; needs screen:view) are
// published. Refreshes are logged in an_refresh_log.
//
// Tables (migration module "analytics" v1): an_view (saved views),
// an_view_pin (workbench pins per user), an_screen_config (the big screen's
// configuration, one row "default"), an_refresh_log.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "platform/module.h"

namespace hrss::datacenter {
class FactFeed;
}

namespace hrss::analytics {

class AnalyticsModule final : public Module {
 public:
  AnalyticsModule();
  ~AnalyticsModule() override;
  std::string_view name() const override { return "analytics"; }
  Status RegisterMigrations(db::Migrator& migrator) override;
  Status Start(Platform& platform) override;

  // Where Start finds the fact feed (the data center module's, valid after
  // its Start). Must be set before Start.
  void SetFactFeed(std::function<datacenter::FactFeed*()> feed);

  // Waits until the first full build finished (OK) or failed / timed out.
  Status WaitReady(std::chrono::milliseconds timeout);
  // Applies every batch committed so far, now, on the caller's thread
  // (serialized with the worker). For tests and `hrss demo`.
  Status RefreshNow(bool full = false);
  // Stops the worker thread (idempotent; also done by the destructor). Call
  // before the data center module goes away.
  void Stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace hrss::analytics
