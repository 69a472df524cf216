// What the parts of the analytics module share: its state (engine, refresh
// worker, audit), permission keys, scope construction and small helpers.
// Parts: analytics_module.cc (start, migrations, refresh), routes.cc
// (cubes, query, status, refresh, export), views.cc (saved views,
// workbench), domains.cc (domain views), screen.cc (screen config, data,
// media).
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/utf8.h"
#include "http/message.h"
#include "http/router.h"
#include "modules/analytics/analytics_module.h"
#include "modules/analytics/query_builders.h"
#include "modules/datacenter/facts.h"
#include "modules/identity/audit.h"
#include "modules/identity/keyring.h"
#include "modules/identity/principal.h"
#include "olap/olap.h"

namespace hrss {
class Platform;
}

namespace hrss::analytics {

inline constexpr const char* kQuery = "analytics:query";
inline constexpr const char* kViewManage = "analytics:view:manage";
inline constexpr const char* kRefresh = "analytics:refresh";
inline constexpr const char* kScreenView = "screen:view";
inline constexpr const char* kScreenManage = "screen:manage";

// The caller's scope for the engine: per business domain, all townships
// (DataScope::all()), the scope's division codes, or nothing (no codes).
olap::Scope ScopeOf(const identity::UserPrincipal& me);

struct CubeInfo {
  int64_t version_offset = 0;  // added to the engine's version (monotone across rebuilds)
  int64_t build_ms = 0;        // last full build of this cube
  int64_t rows_loaded = 0;     // rows scanned by the last full build
  int64_t refreshed_at_ms = 0;
};

struct AnalyticsModule::State {
  Platform* platform = nullptr;
  std::function<datacenter::FactFeed*()> feed_fn;
  std::optional<identity::KeyRing> keys;
  std::optional<identity::AuditLog> audit;

  // --- Cubes. `mu` guards everything in this block; the engine itself is
  // thread-safe (queries concurrent with one Apply).
  mutable std::mutex mu;
  std::shared_ptr<olap::Engine> engine;
  std::map<std::string, CubeInfo> cubes;
  bool ready = false;
  std::string build_error;  // of the last failed refresh ("" when ok)
  int64_t last_batch = 0;
  int64_t last_refresh_at_ms = 0;
  int64_t last_full_ms = 0;
  int64_t refreshes = 0;

  // --- Refresh worker.
  std::mutex refresh_mu;  // serializes full builds and incremental applies
  std::mutex work_mu;
  std::condition_variable work_cv;
  bool pending_full = false;
  bool pending_incremental = false;
  bool stopping = false;
  std::atomic<bool> cancel{false};  // set by Stop: a running build gives up
  std::thread worker;

  datacenter::FactFeed* feed() const { return feed_fn ? feed_fn() : nullptr; }
  std::shared_ptr<olap::Engine> Engine() const {
    std::lock_guard lock(mu);
    return engine;
  }
  bool Ready() const {
    std::lock_guard lock(mu);
    return ready;
  }
  // 503 ANALYTICS_WARMING while the first build runs.
  Status CheckReady() const;

  // Runs a query (versions made monotone); INVALID_ARGUMENT with the
  // engine's Chinese message for a bad query.
  Result<boost::json::object> Query(const boost::json::value& query,
                                    const olap::Scope& scope) const;
  // GET /cubes body (versions and refresh times filled in).
  boost::json::object Describe() const;

  Status FullBuild(std::string_view trigger);
  Status Incremental();
  void WorkerLoop();
  void Publish(const std::map<std::string, int64_t>& before);
  Status LogRefresh(std::string_view kind, int64_t started_ms, int64_t elapsed_ms,
                    int64_t from_batch, int64_t to_batch, int64_t rows, const Status& st);
  // cube name → engine version + offset.
  std::map<std::string, int64_t> Versions() const;

  // Audits an event of the caller of `req`.
  Status Audit(const http::Request& req, std::string action, std::string object_type,
               std::string object_id, boost::json::object detail);
};

using State = AnalyticsModule::State;

// Route registration of each part.
Status AddQueryRoutes(const std::shared_ptr<State>& s);
Status AddViewRoutes(const std::shared_ptr<State>& s);
Status AddDomainRoutes(const std::shared_ptr<State>& s);
Status AddScreenRoutes(const std::shared_ptr<State>& s);

// Registers `route` on the platform.
Status AddRoute(const State& s, http::Route route);

// A route served by a member function of a part's handler object H.
template <typename H>
struct MemberRoute {
  http::Method method;
  const char* pattern;
  const char* permission;
  const char* summary;
  http::Response (H::*fn)(http::Request&);
};

// Registers `routes`, each calling its member of `*h` (request bodies up to
// 64 KiB).
template <typename H>
Status AddMemberRoutes(const State& s, const std::shared_ptr<H>& h,
                       std::initializer_list<MemberRoute<H>> routes) {
  for (const MemberRoute<H>& x : routes) {
    auto fn = x.fn;
    HRSS_RETURN_IF_ERROR(
        AddRoute(s, {
                        .method = x.method,
                        .pattern = x.pattern,
                        .permission = x.permission,
                        .max_body_bytes = 64 * 1024,
                        .summary = x.summary,
                        .handler = [h, fn](http::Request& req) { return ((*h).*fn)(req); },
                    }));
  }
  return Status::Ok();
}

// --- Helpers for reading results.
// cells[r][c][m] as a double (nullopt for null / missing).
std::optional<double> Cell(const boost::json::object& result, size_t r, size_t c, size_t m,
                           const char* field = "cells");
// grandTotal[m] (needs totals) as a double.
std::optional<double> Grand(const boost::json::object& result, size_t m);
// A JSON number or null.
boost::json::value Num(std::optional<double> v);
// The row keys' codes / labels of row r (first row dim).
std::string RowCode(const boost::json::object& result, size_t r, size_t key = 0);
std::string RowLabel(const boost::json::object& result, size_t r, size_t key = 0);
size_t RowCount(const boost::json::object& result);

// Queries of one caller anchored at a month (domain views, screen data):
// runs them with the caller's scope and notes whether any result was
// limited by it.
struct MonthQueries {
  const State& s;
  olap::Scope scope;
  std::string month;    // "YYYYMM"
  bool scoped = false;  // some result was limited by the scope

  Result<boost::json::object> Run(const boost::json::object& q);
  // time.month = month.
  boost::json::object MonthFilter() const;
  // time.month between month - 11 and month (the last 12 months).
  boost::json::object Last12() const;
};

// The latest month ("YYYYMM") with rows in `cube` within the caller's scope
// (by the time dim), "" when none.
std::string LatestMonth(const State& s, std::string_view cube, const olap::Scope& scope);
// "YYYYMM" shifted by `months`.
std::string ShiftMonth(std::string_view period, int months);
// The current month of the platform clock, "YYYYMM".
std::string NowPeriod(const State& s);

// Number of code points of `s`; SIZE_MAX when `s` is not valid UTF-8.
inline size_t CharCount(std::string_view s) {
  std::vector<char32_t> cps;
  if (!DecodeUtf8(s, &cps)) return static_cast<size_t>(-1);
  return cps.size();
}

// The screen items (docs/api/analytics.md) and the cubes they read.
const std::vector<std::pair<std::string, std::vector<std::string>>>& ScreenItemCubes();

}  // namespace hrss::analytics
