// A module is one subsystem of the platform (identity, datacenter, ...). It
// registers with the Platform what it brings — migrations, routes, demo data —
// and owns its tables: other modules call its C++ service, never its tables.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss::db {
class Migrator;
}

namespace hrss {

class Platform;

struct DemoOptions {
  std::string password;  // password of every demo account
  uint64_t seed = 20261129;
};

class Module {
 public:
  virtual ~Module() = default;
  // Short lower-case name; also the module name of its migrations.
  virtual std::string_view name() const = 0;
  // Adds this module's schema migrations.
  virtual Status RegisterMigrations(db::Migrator& migrator) {
    (void)migrator;
    return Status::Ok();
  }
  // Called after migrations: builds services, adds routes and filters.
  virtual Status Start(Platform& platform) {
    (void)platform;
    return Status::Ok();
  }
  // Loads the module's demo data (idempotent). Called by `hrss demo` after
  // every module has started, in registration order.
  virtual Status LoadDemo(Platform& platform, const DemoOptions& options) {
    (void)platform;
    (void)options;
    return Status::Ok();
  }
  // Lines printed by `hrss demo` / `make run` (e.g. demo accounts).
  virtual std::string DemoSummary() const { return {}; }
};

}  // namespace hrss
