#include "modules/analytics/analytics_module.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"
#include "db/migrate.h"
#include "modules/analytics/cubes.h"
#include "modules/analytics/internal.h"
#include "platform/platform.h"

namespace hrss::analytics {

namespace json = boost::json;

namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS an_view (
  id             {{AUTO_ID}},
  owner_id       BIGINT NOT NULL,
  owner_name     VARCHAR(64) NOT NULL,
  name           VARCHAR(200) NOT NULL,
  description    VARCHAR(1000) NOT NULL DEFAULT '',
  query_json     TEXT NOT NULL,
  chart          VARCHAR(16) NOT NULL,
  shared         BIGINT NOT NULL DEFAULT 0,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS an_view_owner ON an_view (owner_id, id);
CREATE INDEX IF NOT EXISTS an_view_shared ON an_view (shared, id);
CREATE TABLE IF NOT EXISTS an_view_pin (
  user_id        BIGINT NOT NULL,
  view_id        BIGINT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (user_id, view_id)
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS an_view_pin_view ON an_view_pin (view_id);
CREATE TABLE IF NOT EXISTS an_screen_config (
  id             VARCHAR(32) NOT NULL PRIMARY KEY,
  config_json    TEXT NOT NULL,
  updated_by     VARCHAR(64) NOT NULL DEFAULT '',
  updated_at_ms  BIGINT NOT NULL
){{TABLE_OPTIONS}};
CREATE TABLE IF NOT EXISTS an_refresh_log (
  id             {{AUTO_ID}},
  kind           VARCHAR(16) NOT NULL,
  started_at_ms  BIGINT NOT NULL,
  elapsed_ms     BIGINT NOT NULL,
  from_batch     BIGINT NOT NULL,
  to_batch       BIGINT NOT NULL,
  row_count      BIGINT NOT NULL,
  status         VARCHAR(16) NOT NULL,
  error          VARCHAR(1000) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS an_refresh_log_time ON an_refresh_log (started_at_ms);
)sql";

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int DebounceMs() {
  const char* e = std::getenv("HRSS_ANALYTICS_DEBOUNCE_MS");
  if (e != nullptr && *e != '\0') {
    int v = std::atoi(e);
    if (v >= 0 && v <= 60000) return v;
  }
  return 500;
}

}  // namespace

// ---- shared helpers ---------------------------------------------------------

olap::Scope ScopeOf(const identity::UserPrincipal& me) {
  olap::Scope scope;
  for (const std::string& d : ScopeDomains()) {
    const identity::DataScope& ds = me.ScopeFor(d);
    if (ds.all()) {
      scope.domains[d] = std::nullopt;
    } else if (!ds.division_codes().empty()) {
      scope.domains[d] = ds.division_codes();
    }
  }
  return scope;
}

Status State::CheckReady() const {
  std::lock_guard lock(mu);
  if (ready && engine) return Status::Ok();
  std::string msg = "分析数据正在加载（首次构建多维数据集），请稍后重试";
  if (!build_error.empty()) msg += "；上次构建失败：" + build_error;
  return Status::Unavailable(msg).WithReason("ANALYTICS_WARMING");
}

std::map<std::string, int64_t> State::Versions() const {
  std::shared_ptr<olap::Engine> e;
  std::map<std::string, int64_t> offsets;
  {
    std::lock_guard lock(mu);
    e = engine;
    for (const auto& [name, info] : cubes) offsets[name] = info.version_offset;
  }
  std::map<std::string, int64_t> out;
  if (!e) return out;
  for (const auto& st : e->Stats()) out[st.name] = st.version + offsets[st.name];
  return out;
}

Result<json::object> State::Query(const json::value& query, const olap::Scope& scope) const {
  std::shared_ptr<olap::Engine> e;
  int64_t offset = 0;
  {
    std::lock_guard lock(mu);
    e = engine;
    if (query.is_object()) {
      if (const auto* c = query.as_object().if_contains("cube"); c && c->is_string()) {
        auto it = cubes.find(std::string(c->as_string()));
        if (it != cubes.end()) offset = it->second.version_offset;
      }
    }
  }
  if (!e) return CheckReady();
  HRSS_ASSIGN_OR_RETURN(json::object r, e->Query(query, scope));
  if (auto* v = r.if_contains("version"); v && v->is_int64()) *v = v->as_int64() + offset;
  return r;
}

json::object State::Describe() const {
  std::shared_ptr<olap::Engine> e;
  std::map<std::string, CubeInfo> info;
  {
    std::lock_guard lock(mu);
    e = engine;
    info = cubes;
  }
  if (!e) return json::object{{"cubes", json::array{}}};
  json::object d = e->Describe();
  std::map<std::string, olap::CubeStats> stats;
  for (auto& st : e->Stats()) stats[st.name] = st;
  if (auto* arr = d.if_contains("cubes"); arr && arr->is_array()) {
    for (auto& c : arr->as_array()) {
      if (!c.is_object()) continue;
      json::object& o = c.as_object();
      std::string name = o.contains("name") && o["name"].is_string()
                             ? std::string(o["name"].as_string())
                             : std::string();
      const CubeInfo& ci = info[name];
      o["version"] = stats[name].version + ci.version_offset;
      o["rows"] = stats[name].rows;
      o["refreshedAtMs"] = ci.refreshed_at_ms;
    }
  }
  return d;
}

Status State::Audit(const http::Request& req, std::string action, std::string object_type,
                    std::string object_id, json::object detail) {
  identity::AuditEvent e = identity::EventFromRequest(req);
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.detail = json::serialize(detail);
  return audit->Record(e);
}

Status AddRoute(const State& s, http::Route route) {
  return s.platform->AddRoute(std::move(route));
}

std::string NowPeriod(const State& s) {
  std::time_t t = static_cast<std::time_t>(s.platform->clock().NowMillis() / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

std::string ShiftMonth(std::string_view period, int months) {
  if (period.size() != 6) return {};
  int y = std::atoi(std::string(period.substr(0, 4)).c_str());
  int m = std::atoi(std::string(period.substr(4, 2)).c_str());
  int idx = y * 12 + (m - 1) + months;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d", idx / 12, idx % 12 + 1);
  return buf;
}

// ---- refresh ----------------------------------------------------------------

Status State::LogRefresh(std::string_view kind, int64_t started_ms, int64_t elapsed_ms,
                         int64_t from_batch, int64_t to_batch, int64_t rows, const Status& st) {
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return conn.status();
  std::string err = st.ok() ? "" : st.ToString().substr(0, 900);
  return (*conn)
      ->Exec("INSERT INTO an_refresh_log (kind, started_at_ms, elapsed_ms, from_batch, to_batch, "
             "row_count, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {std::string(kind), started_ms, elapsed_ms, from_batch, to_batch, rows,
              std::string(st.ok() ? "succeeded" : "failed"), err})
      .status();
}

namespace {

// Loads rows of (after, upto] of every fact kind into `engine`. Returns rows scanned.
Result<int64_t> LoadInto(olap::Engine& engine, datacenter::FactFeed& feed, int64_t after,
                         int64_t upto, const std::string& now_period,
                         std::map<std::string, CubeInfo>* info, const std::atomic<bool>& cancel) {
  int64_t total = 0;
  for (datacenter::FactKind kind : datacenter::AllFactKinds()) {
    std::string cube(CubeName(kind));
    int64_t t0 = SteadyMs();
    int64_t rows = 0;
    Status st = feed.Scan(kind, after, upto, [&](std::span<const datacenter::FactRow> chunk) {
      if (cancel.load()) return Status::Unavailable("分析模块正在停止");
      Converted conv;
      ConvertRows(kind, chunk, now_period, &conv);
      rows += conv.rows;
      for (const auto& [dim, members] : conv.members) {
        std::vector<olap::MemberDef> list;
        list.reserve(members.size());
        for (const auto& [code, m] : members) list.push_back(m);
        HRSS_RETURN_IF_ERROR(engine.AddMembers(cube, dim, list));
      }
      return engine.Apply(cube, conv.batch);
    });
    HRSS_RETURN_IF_ERROR(st.WithContext("分析数据集 " + cube));
    total += rows;
    if (info != nullptr) {
      (*info)[cube].build_ms = SteadyMs() - t0;
      (*info)[cube].rows_loaded = rows;
    }
  }
  return total;
}

}  // namespace

Status State::FullBuild(std::string_view trigger) {
  std::lock_guard serial(refresh_mu);
  int64_t started = platform->clock().NowMillis();
  int64_t t0 = SteadyMs();
  datacenter::FactFeed* f = feed();
  Status st;
  int64_t upto = 0, rows = 0;
  std::map<std::string, int64_t> before = Versions();
  if (f == nullptr) {
    st = Status::FailedPrecondition("数据中心的事实数据接口不可用");
  } else {
    auto latest = f->LatestBatch();
    if (!latest.ok()) {
      st = latest.status();
    } else {
      upto = *latest;
      auto e = std::make_shared<olap::Engine>(olap::EngineOptions{});
      for (datacenter::FactKind kind : datacenter::AllFactKinds()) {
        st = e->DefineCube(CubeSchemaOf(kind));
        if (!st.ok()) break;
      }
      std::map<std::string, CubeInfo> info;
      if (st.ok()) {
        auto n = LoadInto(*e, *f, 0, upto, NowPeriod(*this), &info, cancel);
        if (n.ok()) {
          rows = *n;
        } else {
          st = n.status();
        }
      }
      if (st.ok()) {
        std::lock_guard lock(mu);
        std::map<std::string, int64_t> old_versions;
        if (engine) {
          for (const auto& s : engine->Stats()) old_versions[s.name] = s.version;
        }
        int64_t now = platform->clock().NowMillis();
        for (auto& [name, ci] : info) {
          CubeInfo& cur = cubes[name];
          // Strictly above every version reported so far.
          cur.version_offset += old_versions[name] + (engine ? 1 : 0);
          cur.build_ms = ci.build_ms;
          cur.rows_loaded = ci.rows_loaded;
          cur.refreshed_at_ms = now;
        }
        engine = std::move(e);
        ready = true;
        build_error.clear();
        last_batch = upto;
        last_refresh_at_ms = now;
        last_full_ms = SteadyMs() - t0;
        ++refreshes;
      }
    }
  }
  if (!st.ok()) {
    std::lock_guard lock(mu);
    build_error = st.message();
  }
  int64_t elapsed = SteadyMs() - t0;
  if (!st.ok() && cancel.load()) {
    // Stopped mid-build (process exit, e.g. `hrss demo`): nothing to report.
    log::Info("analytics.full_build_cancelled", {{"trigger", std::string(trigger)}});
    return st;
  }
  (st.ok() ? log::Info : log::Warn)("analytics.full_build", {{"trigger", std::string(trigger)},
                                                             {"rows", std::to_string(rows)},
                                                             {"ms", std::to_string(elapsed)},
                                                             {"status", st.ToString()}});
  (void)LogRefresh("full", started, elapsed, 0, upto, rows, st);
  if (st.ok()) Publish(before);
  return st;
}

Status State::Incremental() {
  if (!Ready()) return FullBuild("incremental-before-ready");
  std::lock_guard serial(refresh_mu);
  datacenter::FactFeed* f = feed();
  if (f == nullptr) return Status::FailedPrecondition("数据中心的事实数据接口不可用");
  HRSS_ASSIGN_OR_RETURN(int64_t upto, f->LatestBatch());
  int64_t after = 0;
  std::shared_ptr<olap::Engine> e;
  {
    std::lock_guard lock(mu);
    after = last_batch;
    e = engine;
  }
  if (upto <= after || !e) return Status::Ok();
  int64_t started = platform->clock().NowMillis();
  int64_t t0 = SteadyMs();
  std::map<std::string, int64_t> before = Versions();
  auto n = LoadInto(*e, *f, after, upto, NowPeriod(*this), nullptr, cancel);
  int64_t elapsed = SteadyMs() - t0;
  (void)LogRefresh("incremental", started, elapsed, after, upto, n.ok() ? *n : 0, n.status());
  if (!n.ok()) {
    std::lock_guard lock(mu);
    build_error = n.status().message();
    return n.status();
  }
  std::map<std::string, int64_t> after_versions = Versions();
  {
    std::lock_guard lock(mu);
    last_batch = upto;
    int64_t now = platform->clock().NowMillis();
    last_refresh_at_ms = now;
    build_error.clear();
    ++refreshes;
    for (const auto& [name, v] : after_versions) {
      if (before[name] != v) cubes[name].refreshed_at_ms = now;
    }
  }
  log::Info("analytics.incremental", {{"from", std::to_string(after)},
                                      {"to", std::to_string(upto)},
                                      {"rows", std::to_string(*n)},
                                      {"ms", std::to_string(elapsed)}});
  Publish(before);
  return Status::Ok();
}

void State::Publish(const std::map<std::string, int64_t>& before) {
  std::map<std::string, int64_t> now = Versions();
  std::set<std::string> changed;
  for (const auto& [name, v] : now) {
    auto it = before.find(name);
    if (it != before.end() && it->second == v) continue;
    changed.insert(name);
    platform->hub().Publish("analytics.refresh",
                            json::serialize(json::object{{"cube", name}, {"version", v}}));
  }
  if (changed.empty()) return;
  json::array items;
  for (const auto& [item, cubes_read] : ScreenItemCubes()) {
    for (const auto& c : cubes_read) {
      if (changed.count(c)) {
        items.emplace_back(item);
        break;
      }
    }
  }
  if (items.empty()) return;
  platform->hub().Publish(
      "screen.update",
      json::serialize(json::object{{"items", items}, {"asOf", platform->clock().NowMillis()}}));
}

void State::WorkerLoop() {
  // Cube builds are background work: on Linux a thread has its own nice
  // value, so the refresh thread yields the CPU to request handling (at
  // county scale a full build takes minutes of CPU at start-up).
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
  const int debounce = DebounceMs();
  std::unique_lock lock(work_mu);
  while (true) {
    work_cv.wait(lock, [&] { return stopping || pending_full || pending_incremental; });
    if (stopping) return;
    if (pending_full) {
      pending_full = false;
      pending_incremental = false;
      lock.unlock();
      (void)FullBuild("start");
      lock.lock();
      continue;
    }
    // Debounce: let a burst of batches settle, then apply them together.
    if (work_cv.wait_for(lock, std::chrono::milliseconds(debounce),
                         [&] { return stopping || pending_full; })) {
      continue;
    }
    pending_incremental = false;
    lock.unlock();
    if (Status st = Incremental(); !st.ok()) {
      log::Warn("analytics.incremental_failed", {{"error", st.ToString()}});
    }
    lock.lock();
  }
}

// ---- module -----------------------------------------------------------------

AnalyticsModule::AnalyticsModule() : state_(std::make_shared<State>()) {}
AnalyticsModule::~AnalyticsModule() { Stop(); }

void AnalyticsModule::SetFactFeed(std::function<datacenter::FactFeed*()> feed) {
  state_->feed_fn = std::move(feed);
}

void AnalyticsModule::Stop() {
  {
    std::lock_guard lock(state_->work_mu);
    state_->stopping = true;
  }
  state_->cancel = true;
  state_->work_cv.notify_all();
  if (state_->worker.joinable()) state_->worker.join();
}

Status AnalyticsModule::WaitReady(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(state_->mu);
      if (state_->ready) return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return state_->CheckReady();
}

Status AnalyticsModule::RefreshNow(bool full) {
  return full ? state_->FullBuild("manual") : state_->Incremental();
}

Status AnalyticsModule::RegisterMigrations(db::Migrator& migrator) {
  return migrator.Register({
      .module = "analytics",
      .version = 1,
      .name = "saved views, pins, screen config, refresh log",
      .sqlite_sql = kSchemaV1,
  });
}

Status AnalyticsModule::Start(Platform& platform) {
  State& s = *state_;
  s.platform = &platform;
  HRSS_ASSIGN_OR_RETURN(auto keys,
                        identity::KeyRing::LoadOrCreate(platform.config().KeyFilePath()));
  s.keys.emplace(std::move(keys));
  s.audit.emplace(platform.db(), *s.keys, platform.clock());
  // Live topics: cube versions for analysts, screen updates for the screen.
  platform.hub().AddTopicAuthorizer("analytics.", [](const http::Principal* who, std::string_view) {
    return who != nullptr && who->HasPermission(kQuery);
  });
  platform.hub().AddTopicAuthorizer("screen.", [](const http::Principal* who, std::string_view) {
    return who != nullptr && who->HasPermission(kScreenView);
  });
  HRSS_RETURN_IF_ERROR(AddQueryRoutes(state_));
  HRSS_RETURN_IF_ERROR(AddViewRoutes(state_));
  HRSS_RETURN_IF_ERROR(AddDomainRoutes(state_));
  HRSS_RETURN_IF_ERROR(AddScreenRoutes(state_));
  if (datacenter::FactFeed* f = s.feed()) {
    std::weak_ptr<State> weak = state_;
    f->OnBatchCommitted([weak](int64_t) {
      auto st = weak.lock();
      if (!st) return;
      {
        std::lock_guard lock(st->work_mu);
        st->pending_incremental = true;
      }
      st->work_cv.notify_all();
    });
  } else {
    log::Warn("analytics.no_fact_feed", {});
  }
  // HRSS_ANALYTICS_WORKER=0: no cube builds in this process (`hrss collect`
  // runs one job in the foreground and exits: a start-up build would only
  // take the CPU from the load, and its cubes would be thrown away).
  if (const char* w = std::getenv("HRSS_ANALYTICS_WORKER"); w != nullptr && std::string_view(w) == "0") {
    log::Info("analytics.worker_off", {});
    return Status::Ok();
  }
  {
    std::lock_guard lock(s.work_mu);
    s.stopping = false;
    s.pending_full = true;
  }
  s.cancel = false;
  if (!s.worker.joinable()) {
    s.worker = std::thread([st = state_.get()] { st->WorkerLoop(); });
  }
  return Status::Ok();
}

}  // namespace hrss::analytics
