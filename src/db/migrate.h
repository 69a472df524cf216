// Schema migrations, one direction only.
//
// Each module registers its migrations from an explicit registration
// function called by main (no static initialisers):
//
//   Status RegisterIdentityMigrations(db::Migrator& m) {
//     HRSS_RETURN_IF_ERROR(m.Register({"identity", 1, "create users",
//         "CREATE TABLE IF NOT EXISTS users (...);",      // SQLite
//         "CREATE TABLE IF NOT EXISTS users (...);"}));   // MariaDB ("" = same text)
//     return Status::Ok();
//   }
//
// A migration carries one SQL script per dialect; an empty mariadb_sql means
// the sqlite_sql text is portable and used for both. The checksum is the
// SHA-256 (hex) of the text actually applied on that dialect.
//
// Migrate(pool):
//   * creates schema_migrations(module, version, name, checksum, applied_at)
//     (applied_at: UTC epoch milliseconds) if missing;
//   * refuses to start (FAILED_PRECONDITION "database is newer than this
//     binary ...") when the database holds a version of a module above the
//     highest this binary knows, and (FAILED_PRECONDITION naming the
//     migration) when an applied migration's text has changed, when an
//     applied version is unknown to the binary, or when a pending migration
//     is older than an applied one of the same module;
//   * applies pending migrations module by module in first-registration
//     order, versions ascending, each in its own transaction together with
//     its schema_migrations row.
// SQLite DDL is transactional, so a failed migration leaves no trace.
// MariaDB commits each DDL statement implicitly: a migration that fails
// half-way keeps its earlier statements but is not recorded (the row is
// written only after all statements succeeded). Write MariaDB migrations as
// a single DDL statement or make every statement idempotent (CREATE TABLE
// IF NOT EXISTS, CREATE INDEX IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP
// ... IF EXISTS) so that re-running after a fix completes it. Concurrent
// migrators (several nodes starting at once) are serialised by GET_LOCK on
// MariaDB and by BEGIN IMMEDIATE plus a re-check of schema_migrations inside
// each migration's transaction on SQLite.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"

namespace hrss::db {

// Portable DDL: write a migration once, in sqlite_sql, with these tokens
// where the dialects differ, and leave mariadb_sql empty:
//   {{AUTO_ID}}        SQLite "INTEGER PRIMARY KEY AUTOINCREMENT",
//                      MariaDB "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
//   {{TABLE_OPTIONS}}  after a CREATE TABLE's closing parenthesis: nothing on
//                      SQLite, " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
//                      COLLATE=utf8mb4_bin" on MariaDB
// Use BIGINT for other integer columns (SQLite gives it integer affinity) and
// IF NOT EXISTS forms, so a MariaDB migration that fails half-way can re-run.
inline constexpr std::string_view kAutoIdToken = "{{AUTO_ID}}";
inline constexpr std::string_view kTableOptionsToken = "{{TABLE_OPTIONS}}";

struct Migration {
  std::string module;  // [a-z0-9_]+
  int version = 0;     // >= 1, unique within the module
  std::string name;    // human-readable, not checksummed
  std::string sqlite_sql;
  std::string mariadb_sql;  // empty: sqlite_sql (with its tokens) is used on MariaDB too
  // Checksums of earlier texts of this migration that created the same
  // schema (e.g. INTEGER → BIGINT in non-key SQLite columns, which have the
  // same affinity); a database that applied one of them is accepted as is.
  // Only for provably equivalent rewrites — anything else is a new migration.
  std::vector<std::string> equivalent_checksums;
  bool AcceptsChecksum(Dialect d, const std::string& checksum) const;

  // The text applied on `d`, tokens substituted. Checksums are over this.
  std::string SqlFor(Dialect d) const;
};

// One line of `hrss migrate --status`.
struct MigrationStatus {
  enum class State {
    kApplied,  // applied, checksum matches
    kPending,  // known to the binary, not applied yet
    kChanged,  // applied, but the binary's text differs (checksum mismatch)
    kUnknown,  // applied, but this binary does not know it (newer database)
  };
  std::string module;
  int version = 0;
  std::string name;
  State state = State::kPending;
  std::string checksum;                  // recorded one; computed for pending
  std::optional<int64_t> applied_at_ms;  // UTC epoch milliseconds
};

std::string_view MigrationStateName(MigrationStatus::State s);

class Migrator {
 public:
  Migrator() = default;
  Migrator(Migrator&& other) noexcept;

  // The process-wide registry main() fills through the modules' explicit
  // registration functions.
  static Migrator& Global();

  // INVALID_ARGUMENT for a bad module name, version < 1, empty SQL or a
  // duplicate (module, version).
  Status Register(Migration m);

  // Brings the schema up to date (see above). `applied`, when given,
  // receives the number of migrations applied by this call.
  Status Migrate(Pool& pool, const Clock& clock = Clock::Real(), int* applied = nullptr) const;

  // Every known and every applied migration, in apply order, applied-only
  // ones (kUnknown) last. Read-only: does not create schema_migrations.
  Result<std::vector<MigrationStatus>> ListStatus(Pool& pool) const;

  // Registered migrations in apply order.
  std::vector<Migration> migrations() const;

  // SHA-256 of `sql`, lower-case hex.
  static std::string Checksum(std::string_view sql);

 private:
  mutable std::mutex mu_;
  std::vector<Migration> migrations_;  // registration order
};

}  // namespace hrss::db
