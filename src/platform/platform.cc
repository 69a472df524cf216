#include "platform/platform.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "core/log.h"
#include "http/server.h"
#include "http/static_files.h"
#include "platform/openapi.h"

namespace hrss {

Platform::Platform(Config config, Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      started_at_(clock.NowMillis()),
      chain_(http::MakeDefaultChain(config_.server.cors_origins)) {}

Platform::~Platform() = default;

void Platform::AddModule(std::unique_ptr<Module> module) { modules_.push_back(std::move(module)); }

Status Platform::OpenStorage() {
  db::Options o;
  o.clock = &clock_;
  // Every worker may hold a connection while the audit log (or another
  // service) needs one more, so the pool is never smaller than the worker
  // pool plus headroom: otherwise a burst of audited requests can leave the
  // audit writer waiting for a connection that only its waiters hold.
  o.max_connections =
      std::max(config_.storage.pool_size, http::WorkerThreadCount(config_.server) + 4);
  if (config_.storage.driver == "sqlite") {
    std::error_code ec;
    std::filesystem::create_directories(config_.data_dir, ec);
    if (ec) {
      return Status::Unavailable("cannot create data directory " + config_.data_dir + ": " +
                                 ec.message());
    }
    ::chmod(config_.data_dir.c_str(), 0700);
    o.dialect = db::Dialect::kSqlite;
    o.sqlite_path = config_.SqlitePath();
    o.sqlite_checkpoint_pages = config_.storage.sqlite_checkpoint_pages;
  } else {
    o.dialect = db::Dialect::kMariaDb;
    o.host = config_.storage.mariadb_host;
    o.port = config_.storage.mariadb_port;
    o.user = config_.storage.mariadb_user;
    o.password = config_.storage.mariadb_password;
    o.database = config_.storage.mariadb_database;
    o.unix_socket = config_.storage.mariadb_socket;
  }
  auto pool = db::Pool::Open(o);
  if (!pool.ok()) return pool.status().WithContext("opening storage");
  db_ = std::move(pool).value();
  return Status::Ok();
}

Status Platform::RegisterMigrations() {
  if (migrations_registered_) return Status::Ok();
  for (auto& m : modules_) {
    HRSS_RETURN_IF_ERROR(m->RegisterMigrations(migrator_).WithContext("migrations of module " +
                                                                      std::string(m->name())));
  }
  migrations_registered_ = true;
  return Status::Ok();
}

Status Platform::Migrate() {
  HRSS_RETURN_IF_ERROR(RegisterMigrations());
  int applied = 0;
  HRSS_RETURN_IF_ERROR(migrator_.Migrate(*db_, clock_, &applied));
  if (applied > 0) log::Info("db.migrated", {{"applied", applied}});
  return Status::Ok();
}

Status Platform::CheckSchema() {
  HRSS_RETURN_IF_ERROR(RegisterMigrations());
  auto list = migrator_.ListStatus(*db_);
  if (!list.ok()) return list.status();
  for (const auto& m : *list) {
    if (m.state != db::MigrationStatus::State::kApplied) {
      return Status::FailedPrecondition("migration " + m.module + "/" + std::to_string(m.version) +
                                        " (" + m.name + ") is " +
                                        std::string(db::MigrationStateName(m.state)));
    }
  }
  return Status::Ok();
}

Status Platform::AddRoute(http::Route route) {
  std::string desc = std::string(http::MethodName(route.method)) + " " + route.pattern;
  return router_.Add(std::move(route)).WithContext("route " + desc);
}

Status Platform::RegisterBuiltinRoutes() {
  // GET /healthz: liveness and storage status, for load balancers and people.
  HRSS_RETURN_IF_ERROR(AddRoute({
      .method = http::Method::kGet,
      .pattern = "/healthz",
      .is_public = true,
      .summary = "服务健康状态",
      .handler =
          [this](http::Request&) {
            boost::json::object storage;
            storage["driver"] = config_.storage.driver;
            auto t0 = std::chrono::steady_clock::now();
            Status st = Status::Ok();
            {
              auto conn = db_->Acquire();
              st = conn.ok() ? (*conn)->Ping() : conn.status();
            }
            double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            storage["ok"] = st.ok();
            storage["latencyMicros"] = static_cast<int64_t>(ms * 1000);
            if (!st.ok()) storage["error"] = std::string(CodeName(st.code()));
            auto pool = db_->stats();
            storage["poolSize"] = pool.size;
            storage["poolInUse"] = pool.in_use;
            boost::json::object o;
            o["status"] = st.ok() ? "ok" : "degraded";
            o["version"] = kVersion;
            o["uptimeSeconds"] = (clock_.NowMillis() - started_at_) / 1000;
            o["storage"] = std::move(storage);
            return http::Response::Json(st.ok() ? 200 : 503, o);
          },
  }));
  // GET /metrics: Prometheus text, only to scrapers on this machine (in a
  // cluster nginx or the node's own network policy publishes it).
  HRSS_RETURN_IF_ERROR(AddRoute({
      .method = http::Method::kGet,
      .pattern = "/metrics",
      .is_public = true,
      .execution = http::Execution::kInline,
      .summary = "Prometheus 指标（仅本机）",
      .handler =
          [this](http::Request& req) {
            const std::string& a = req.remote_addr;
            bool local = a.rfind("127.", 0) == 0 || a == "::1" || a.rfind("::ffff:127.", 0) == 0;
            if (!local) {
              return http::Response::Error(Status::PermissionDenied("指标仅对本机开放"),
                                           req.request_id);
            }
            return http::Response::Text(200, metrics_.Render(),
                                        "text/plain; version=0.0.4; charset=utf-8");
          },
  }));
  // GET /api/v1/ws: the WebSocket hub (topics subscribed by the client).
  HRSS_RETURN_IF_ERROR(AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/ws",
      .is_public = true,
      // The session cookie (if any) identifies the client, so that topics
      // can be authorized (WebSocketHub::SetTopicAuthorizer).
      .attach_principal = true,
      .websocket = true,
      .summary = "WebSocket 消息通道",
      .handler =
          [](http::Request&) {
            http::Response r;
            r.status = 101;
            return r;
          },
  }));
  return Status::Ok();
}

Status Platform::StartModules() {
  HRSS_RETURN_IF_ERROR(RegisterBuiltinRoutes());
  for (auto& m : modules_) {
    HRSS_RETURN_IF_ERROR(m->Start(*this).WithContext("module " + std::string(m->name())));
  }
  // The API description, generated from the router once every module has
  // registered (built on first request; the router no longer changes then).
  auto openapi = std::make_shared<std::string>();
  auto openapi_once = std::make_shared<std::once_flag>();
  HRSS_RETURN_IF_ERROR(AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/openapi.json",
      .is_public = true,
      .execution = http::Execution::kInline,
      .summary = "接口说明（OpenAPI 3.0，由路由表生成）",
      .handler =
          [this, openapi, openapi_once](http::Request&) {
            std::call_once(*openapi_once, [&] { *openapi = BuildOpenApi(router_, kVersion); });
            return http::Response::JsonText(200, *openapi);
          },
  }));
  // Last: the web apps, served for any GET no module claimed.
  auto files = std::make_shared<http::StaticFiles>(
      config_.server.web_root, std::vector<std::string>{"portal", "m", "kiosk", "hall", "screen"},
      "site");
  HRSS_RETURN_IF_ERROR(AddRoute({
      .method = http::Method::kGet,
      .pattern = "/{*path}",
      .is_public = true,
      .execution = http::Execution::kInline,
      .summary = "Web 应用静态文件",
      .handler = [files](http::Request& req) { return files->Serve(req); },
  }));
  std::vector<std::string> labels;
  for (const auto& r : router_.routes()) {
    labels.push_back(std::string(http::MethodName(r->method)) + " " + r->pattern);
  }
  metrics_.Init(std::move(labels));
  return CheckRouteDeclarations(router_);
}

Status Platform::LoadDemo(const DemoOptions& options) {
  for (auto& m : modules_) {
    HRSS_RETURN_IF_ERROR(
        m->LoadDemo(*this, options).WithContext("demo data of " + std::string(m->name())));
  }
  return Status::Ok();
}

std::string Platform::DemoSummary() const {
  std::string out;
  for (const auto& m : modules_) out += m->DemoSummary();
  return out;
}

Status Platform::Serve() {
  auto db_stats = [this](auto field) {
    return [this, field] { return static_cast<double>(db_->stats().*field); };
  };
  metrics_.AddGauge("hrss_db_pool_size", "Open database connections.",
                    db_stats(&db::Pool::Stats::size));
  metrics_.AddGauge("hrss_db_pool_in_use", "Database connections checked out.",
                    db_stats(&db::Pool::Stats::in_use));
  http::Server server(config_.server, router_, chain_, hub_, metrics_);
  HRSS_RETURN_IF_ERROR(server.Start());
  std::printf("hrss %s serving http://%s:%d/  (portal: /portal/, health: /healthz)\n", kVersion,
              config_.server.host.c_str(), server.port());
  std::fflush(stdout);
  int sig = http::WaitForTerminationSignal();
  log::Info("server.signal", {{"signal", sig}});
  server.Drain();
  return Status::Ok();
}

}  // namespace hrss
