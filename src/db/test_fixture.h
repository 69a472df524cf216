// Test support for db_test: a value-parameterised fixture that gives every
// test a fresh database on SQLite (a new file) and on MariaDB (a new
// database on the server named by $HRSS_TEST_MARIADB, a DSN as in
// db/options.h). Without $HRSS_TEST_MARIADB the MariaDB instance of a test
// is skipped, or FAILS when $HRSS_REQUIRE_MARIADB=1. Start a server with
//   scripts/services.sh start-mariadb /tmp/hrss-mariadb-dev 33061
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "db/connection.h"
#include "db/options.h"
#include "db/pool.h"

#define DB_ASSERT_OK(expr)                                          \
  do {                                                              \
    ::hrss::Status db_st_ = (expr);                                 \
    ASSERT_TRUE(db_st_.ok()) << #expr << ": " << db_st_.ToString(); \
  } while (0)

#define DB_EXPECT_OK(expr)                                          \
  do {                                                              \
    ::hrss::Status db_st_ = (expr);                                 \
    EXPECT_TRUE(db_st_.ok()) << #expr << ": " << db_st_.ToString(); \
  } while (0)

// Declares `lhs` from a Result expression, failing the test on error.
#define DB_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  DB_ASSERT_OK_AND_ASSIGN_IMPL_(HRSS_CONCAT_(db_res_, __LINE__), lhs, expr)
#define DB_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

namespace hrss::db {
// gtest prints parameters with this (found by ADL).
inline void PrintTo(Dialect d, std::ostream* os) { *os << DialectName(d); }
}  // namespace hrss::db

namespace hrss::db::testing {

inline std::string DialectParamName(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "Sqlite" : "MariaDb";
}

class DbTest : public ::testing::TestWithParam<Dialect> {
 protected:
  Dialect dialect() const { return GetParam(); }
  bool is_sqlite() const { return GetParam() == Dialect::kSqlite; }

  void SetUp() override {
    static std::atomic<int> counter{0};
    std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (is_sqlite()) {
      sqlite_file_ = ::testing::TempDir() + "hrss_db_test_" + unique + ".db";
      RemoveSqliteFiles();
      options_.dialect = Dialect::kSqlite;
      options_.sqlite_path = sqlite_file_;
    } else {
      const char* dsn = std::getenv("HRSS_TEST_MARIADB");
      if (dsn == nullptr || *dsn == '\0') {
        const char* req = std::getenv("HRSS_REQUIRE_MARIADB");
        if (req != nullptr && std::string(req) == "1") {
          FAIL() << "HRSS_REQUIRE_MARIADB=1 but HRSS_TEST_MARIADB is not set. Start a server "
                    "with `scripts/services.sh start-mariadb /tmp/hrss-mariadb-dev 33061` and "
                    "set HRSS_TEST_MARIADB to the DSN it prints, e.g. "
                    "'host=127.0.0.1;port=33061;user=root;password=;database=hrss_test'.";
        }
        GTEST_SKIP() << "HRSS_TEST_MARIADB is not set; MariaDB variant skipped";
      }
      Result<Options> parsed = ParseMariaDbDsn(dsn);
      ASSERT_TRUE(parsed.ok()) << "HRSS_TEST_MARIADB: " << parsed.status().ToString();
      Options admin = *parsed;
      admin.database.clear();
      Result<std::unique_ptr<Connection>> conn = Connect(admin);
      ASSERT_TRUE(conn.ok()) << "cannot reach the MariaDB named by HRSS_TEST_MARIADB: "
                             << conn.status().ToString();
      admin_ = std::move(conn).value();
      mariadb_db_ = "hrss_t_" + unique;
      DB_ASSERT_OK(admin_->ExecScript("DROP DATABASE IF EXISTS " + mariadb_db_ +
                                      "; CREATE DATABASE " + mariadb_db_ +
                                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
      options_ = *parsed;
      options_.database = mariadb_db_;
    }
    options_.max_connections = 4;
    options_.acquire_timeout = std::chrono::milliseconds(2000);
    auto pool = Pool::Open(options_);
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(pool).value();
  }

  void TearDown() override {
    pool_.reset();
    if (admin_) {
      Status st = admin_->ExecScript("DROP DATABASE IF EXISTS " + mariadb_db_);
      EXPECT_TRUE(st.ok()) << st.ToString();
      admin_.reset();
    }
    if (!sqlite_file_.empty()) RemoveSqliteFiles();
  }

  // Opens another pool on this test's database, with `tweak` applied.
  Result<std::unique_ptr<Pool>> OpenPool(const std::function<void(Options&)>& tweak = nullptr) {
    Options o = options_;
    if (tweak) tweak(o);
    return Pool::Open(o);
  }

  // Runs the script for this dialect on a pooled connection.
  Status Script(const std::string& sqlite_sql, const std::string& mariadb_sql) {
    Result<PooledConnection> c = pool_->Acquire();
    if (!c.ok()) return c.status();
    return (*c)->ExecScript(is_sqlite() ? sqlite_sql : mariadb_sql);
  }

  // An admin connection outside the test's pool (MariaDB only).
  Connection* admin() { return admin_.get(); }

  Options options_;
  std::unique_ptr<Pool> pool_;

 private:
  void RemoveSqliteFiles() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::error_code ec;
      std::filesystem::remove(sqlite_file_ + suffix, ec);
    }
  }

  std::string sqlite_file_;
  std::string mariadb_db_;
  std::unique_ptr<Connection> admin_;
};

}  // namespace hrss::db::testing

#define HRSS_INSTANTIATE_DB_TEST(suite)                                               \
  INSTANTIATE_TEST_SUITE_P(                                                           \
      Dialects, suite,                                                                \
      ::testing::Values(::hrss::db::Dialect::kSqlite, ::hrss::db::Dialect::kMariaDb), \
      ::hrss::db::testing::DialectParamName)
