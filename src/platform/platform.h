// The Platform wires the shared mechanisms together — configuration, clock,
// relational storage, router and filter chain, WebSocket hub, metrics — and
// the modules that use them. One Platform per process.
//
//   Platform p(config);
//   p.AddModule(std::make_unique<SystemModule>());
//   HRSS_RETURN_IF_ERROR(p.OpenStorage());
//   HRSS_RETURN_IF_ERROR(p.Migrate());
//   HRSS_RETURN_IF_ERROR(p.StartModules());
//   ... Serve()
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "db/migrate.h"
#include "db/pool.h"
#include "http/filter.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/websocket_hub.h"
#include "platform/module.h"

namespace hrss {

inline constexpr const char* kVersion = "0.1.0";

class Platform {
 public:
  explicit Platform(Config config, Clock& clock = Clock::Real());
  ~Platform();

  void AddModule(std::unique_ptr<Module> module);

  // Creates the data directory and opens the database pool.
  Status OpenStorage();
  // Applies pending migrations of every module (refuses a newer database).
  Status Migrate();
  // Verifies the schema is current without changing it.
  Status CheckSchema();
  // Registers the built-in routes, then starts every module.
  Status StartModules();
  // Loads every module's demo data.
  Status LoadDemo(const DemoOptions& options);
  std::string DemoSummary() const;

  // Serves HTTP until SIGTERM/SIGINT, then drains. Blocks.
  // REQUIRES: BlockTerminationSignals() was called before any thread started.
  Status Serve();

  const Config& config() const { return config_; }
  Clock& clock() { return clock_; }
  db::Pool& db() { return *db_; }
  db::Migrator& migrator() { return migrator_; }
  http::Router& router() { return router_; }
  http::FilterChain& filters() { return chain_; }
  http::WebSocketHub& hub() { return hub_; }
  http::Metrics& metrics() { return metrics_; }
  int64_t started_at_millis() const { return started_at_; }

  // Adds a route or fails startup loudly (a malformed route is a bug).
  Status AddRoute(http::Route route);

 private:
  Status RegisterBuiltinRoutes();
  Status RegisterMigrations();

  Config config_;
  Clock& clock_;
  int64_t started_at_;
  std::unique_ptr<db::Pool> db_;
  db::Migrator migrator_;
  http::Router router_;
  http::FilterChain chain_;
  http::WebSocketHub hub_;
  http::Metrics metrics_;
  std::vector<std::unique_ptr<Module>> modules_;
  bool migrations_registered_ = false;
};

}  // namespace hrss
