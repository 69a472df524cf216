#include "db/migrate.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <utility>

#include "db/internal.h"
#include "db/transaction.h"

namespace hrss::db {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module VARCHAR(64) NOT NULL,"
    " version INTEGER NOT NULL,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at BIGINT NOT NULL,"
    " PRIMARY KEY (module, version))";

constexpr char kLockName[] = "hrss.schema_migrations";

using Key = std::pair<std::string, int>;

struct AppliedRow {
  std::string name;
  std::string checksum;
  int64_t applied_at = 0;
};

std::string Label(const std::string& module, int version, const std::string& name) {
  return "migration " + module + "/" + std::to_string(version) + " (" + name + ")";
}

bool ValidModule(std::string_view m) {
  return !m.empty() && m.size() <= 64 && std::all_of(m.begin(), m.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Registered migrations in apply order: modules by first registration,
// versions ascending within a module.
std::vector<Migration> Ordered(std::vector<Migration> ms) {
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < ms.size(); ++i) first.emplace(ms[i].module, i);
  std::stable_sort(ms.begin(), ms.end(), [&](const Migration& a, const Migration& b) {
    size_t fa = first[a.module], fb = first[b.module];
    if (fa != fb) return fa < fb;
    return a.version < b.version;
  });
  return ms;
}

Result<bool> TableExists(Connection& c) {
  Result<std::optional<Row>> r =
      c.dialect() == Dialect::kSqlite
          ? c.QueryOne(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = "
                "'schema_migrations'")
          : c.QueryOne(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "DATABASE() AND table_name = 'schema_migrations'");
  if (!r.ok()) return r.status();
  return r->has_value();
}

Result<std::map<Key, AppliedRow>> ReadApplied(Connection& c) {
  HRSS_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      c.Query("SELECT module, version, name, checksum, applied_at FROM schema_migrations"));
  std::map<Key, AppliedRow> out;
  for (const Row& r : rows) {
    out[{r.GetText(0), static_cast<int>(r.GetInt64(1))}] =
        AppliedRow{r.GetText(2), r.GetText(3), r.GetInt64(4)};
  }
  return out;
}

// Checks applied rows against the binary's migrations (see migrate.h).
Status Verify(Dialect d, const std::vector<Migration>& known,
              const std::map<Key, AppliedRow>& applied) {
  std::map<std::string, int> max_known;
  std::map<Key, const Migration*> by_key;
  for (const Migration& m : known) {
    max_known[m.module] = std::max(max_known[m.module], m.version);
    by_key[{m.module, m.version}] = &m;
  }
  // "Newer database" first: it explains every other mismatch.
  for (const auto& [key, row] : applied) {
    int max = max_known.count(key.first) ? max_known[key.first] : 0;
    if (key.second > max) {
      return Status::FailedPrecondition(
          "database is newer than this binary: " + Label(key.first, key.second, row.name) +
          " is applied but this binary knows module '" + key.first + "' only up to version " +
          std::to_string(max) + "; run a newer hrss");
    }
  }
  std::map<std::string, int> max_applied;
  for (const auto& [key, row] : applied) {
    auto it = by_key.find(key);
    if (it == by_key.end()) {
      return Status::FailedPrecondition(Label(key.first, key.second, row.name) +
                                        " is applied but unknown to this binary");
    }
    if (!it->second->AcceptsChecksum(d, row.checksum)) {
      return Status::FailedPrecondition(Label(key.first, key.second, it->second->name) +
                                        " was changed after it was applied (checksum mismatch); "
                                        "add a new migration instead of editing an applied one");
    }
    max_applied[key.first] = std::max(max_applied[key.first], key.second);
  }
  for (const Migration& m : known) {
    if (applied.count({m.module, m.version})) continue;
    auto it = max_applied.find(m.module);
    if (it != max_applied.end() && it->second > m.version) {
      return Status::FailedPrecondition(Label(m.module, m.version, m.name) +
                                        " is pending but version " + std::to_string(it->second) +
                                        " of the module is already applied");
    }
  }
  return Status::Ok();
}

// Applies `m` with its schema_migrations row in one transaction. *did_apply
// is false when another migrator recorded it first.
Status ApplyOne(Connection& c, const Migration& m, const Clock& clock, bool* did_apply) {
  const std::string& sql = m.SqlFor(c.dialect());
  const std::string sum = Migrator::Checksum(sql);
  return WithTransaction(
      c,
      [&](Connection& tx) -> Status {
        *did_apply = false;
        // Another node may have applied it since we looked.
        HRSS_ASSIGN_OR_RETURN(
            std::optional<Row> row,
            tx.QueryOne("SELECT checksum FROM schema_migrations WHERE module = ? AND version = ?",
                        {m.module, m.version}));
        if (row) {
          if (row->GetText(0) != sum && !m.AcceptsChecksum(c.dialect(), row->GetText(0))) {
            return Status::FailedPrecondition(Label(m.module, m.version, m.name) +
                                              " was changed after it was applied");
          }
          return Status::Ok();
        }
        HRSS_RETURN_IF_ERROR(tx.ExecScript(sql));
        *did_apply = true;
        return tx
            .Exec(
                "INSERT INTO schema_migrations (module, version, name, checksum, applied_at) "
                "VALUES (?, ?, ?, ?, ?)",
                {m.module, m.version, m.name, sum, clock.NowMillis()})
            .status();
      },
      /*max_attempts=*/3);
}

}  // namespace

std::string Migration::SqlFor(Dialect d) const {
  const bool maria = d == Dialect::kMariaDb;
  std::string sql = maria && !mariadb_sql.empty() ? mariadb_sql : sqlite_sql;
  auto replace_all = [&sql](std::string_view token, std::string_view with) {
    for (size_t at = sql.find(token); at != std::string::npos;
         at = sql.find(token, at + with.size())) {
      sql.replace(at, token.size(), with);
    }
  };
  replace_all(kAutoIdToken, maria ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
                                  : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all(kTableOptionsToken,
              maria ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "");
  return sql;
}

bool Migration::AcceptsChecksum(Dialect d, const std::string& checksum) const {
  if (Migrator::Checksum(SqlFor(d)) == checksum) return true;
  return std::find(equivalent_checksums.begin(), equivalent_checksums.end(), checksum) !=
         equivalent_checksums.end();
}

std::string_view MigrationStateName(MigrationStatus::State s) {
  switch (s) {
    case MigrationStatus::State::kApplied: return "applied";
    case MigrationStatus::State::kPending: return "pending";
    case MigrationStatus::State::kChanged: return "changed";
    case MigrationStatus::State::kUnknown: return "unknown";
  }
  return "?";
}

Migrator::Migrator(Migrator&& other) noexcept {
  std::lock_guard lk(other.mu_);
  migrations_ = std::move(other.migrations_);
}

Migrator& Migrator::Global() {
  static Migrator* m = new Migrator();  // never destroyed: no exit-order issues
  return *m;
}

Status Migrator::Register(Migration m) {
  if (!ValidModule(m.module)) {
    return Status::InvalidArgument("migration: module name must match [a-z0-9_]{1,64}");
  }
  if (m.version < 1) return Status::InvalidArgument("migration: version must be >= 1");
  if (m.name.empty() || m.sqlite_sql.empty()) {
    return Status::InvalidArgument("migration " + m.module + "/" + std::to_string(m.version) +
                                   ": name and SQL are required");
  }
  std::lock_guard lk(mu_);
  for (const Migration& e : migrations_) {
    if (e.module == m.module && e.version == m.version) {
      return Status::InvalidArgument("migration " + m.module + "/" + std::to_string(m.version) +
                                     " is registered twice");
    }
  }
  migrations_.push_back(std::move(m));
  return Status::Ok();
}

std::vector<Migration> Migrator::migrations() const {
  std::lock_guard lk(mu_);
  return Ordered(migrations_);
}

std::string Migrator::Checksum(std::string_view sql) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(sql.data(), sql.size(), md, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

Status Migrator::Migrate(Pool& pool, const Clock& clock, int* applied_count) const {
  if (applied_count) *applied_count = 0;
  const std::vector<Migration> known = migrations();
  HRSS_ASSIGN_OR_RETURN(PooledConnection conn, pool.Acquire());
  Connection& c = *conn;
  const Dialect d = c.dialect();

  bool locked = false;
  if (d == Dialect::kMariaDb) {
    // Serialise migrators across nodes. GET_LOCK is not available on every
    // Galera setup; without it the re-check inside each transaction and the
    // primary key on schema_migrations still prevent double application.
    Result<std::optional<Row>> r = c.QueryOne("SELECT GET_LOCK(?, 60) AS got", {kLockName});
    if (r.ok() && r->has_value()) {
      std::optional<int64_t> got = (*r)->OptInt64(0);
      if (got && *got == 1) {
        locked = true;
      } else {
        return Status::Unavailable("another migration holds the schema lock; try again");
      }
    }
  }
  auto unlock = [&] {
    if (locked && !c.broken()) {
      Result<std::optional<Row>> r = c.QueryOne("SELECT RELEASE_LOCK(?)", {kLockName});
      (void)r;
    }
  };

  Status st = [&]() -> Status {
    HRSS_RETURN_IF_ERROR(c.ExecScript(kCreateTable).WithContext("create schema_migrations"));
    HRSS_ASSIGN_OR_RETURN(auto applied, ReadApplied(c));
    HRSS_RETURN_IF_ERROR(Verify(d, known, applied));
    for (const Migration& m : known) {
      if (applied.count({m.module, m.version})) continue;
      bool did_apply = false;
      Status s = ApplyOne(c, m, clock, &did_apply);
      if (!s.ok()) {
        std::string ctx = Label(m.module, m.version, m.name) + " failed";
        if (d == Dialect::kMariaDb) {
          ctx +=
              " (MariaDB commits DDL statement by statement: earlier statements of this "
              "migration may be applied; it is not recorded and runs again after a fix, so its "
              "statements must be idempotent)";
        }
        return s.WithContext(ctx);
      }
      if (applied_count && did_apply) ++*applied_count;
    }
    return Status::Ok();
  }();
  unlock();
  return st;
}

Result<std::vector<MigrationStatus>> Migrator::ListStatus(Pool& pool) const {
  const std::vector<Migration> known = migrations();
  HRSS_ASSIGN_OR_RETURN(PooledConnection conn, pool.Acquire());
  const Dialect d = conn->dialect();
  HRSS_ASSIGN_OR_RETURN(bool exists, TableExists(*conn));
  std::map<Key, AppliedRow> applied;
  if (exists) {
    HRSS_ASSIGN_OR_RETURN(applied, ReadApplied(*conn));
  }
  std::vector<MigrationStatus> out;
  for (const Migration& m : known) {
    MigrationStatus s;
    s.module = m.module;
    s.version = m.version;
    s.name = m.name;
    auto it = applied.find({m.module, m.version});
    std::string sum = Checksum(m.SqlFor(d));
    if (it == applied.end()) {
      s.state = MigrationStatus::State::kPending;
      s.checksum = sum;
    } else {
      s.state = m.AcceptsChecksum(d, it->second.checksum) ? MigrationStatus::State::kApplied
                                                          : MigrationStatus::State::kChanged;
      s.checksum = it->second.checksum;
      s.applied_at_ms = it->second.applied_at;
      applied.erase(it);
    }
    out.push_back(std::move(s));
  }
  for (const auto& [key, row] : applied) {
    MigrationStatus s;
    s.module = key.first;
    s.version = key.second;
    s.name = row.name;
    s.state = MigrationStatus::State::kUnknown;
    s.checksum = row.checksum;
    s.applied_at_ms = row.applied_at;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace hrss::db
