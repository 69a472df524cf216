// The identity module's tables (prefix idn_), as migrations of module
// "identity" for SQLite and MariaDB (MariaDB statements idempotent).
#pragma once

#include "core/status.h"

namespace hrss::db {
class Migrator;
}

namespace hrss::identity {

Status RegisterIdentityMigrations(db::Migrator& migrator);

}  // namespace hrss::identity
