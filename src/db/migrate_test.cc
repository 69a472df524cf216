// Migrations on SQLite and MariaDB.
#include "db/migrate.h"

#include <thread>

#include "db/test_fixture.h"

namespace hrss::db {
namespace {

using testing::DbTest;

Migration PersonV1() {
  return {"person", 1, "create person",
          "CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          "name TEXT NOT NULL);",
          "CREATE TABLE IF NOT EXISTS person (id BIGINT PRIMARY KEY AUTO_INCREMENT, "
          "name VARCHAR(100) NOT NULL) ENGINE=InnoDB;"};
}

Migration PersonV2() {
  // Portable text: one script for both dialects.
  return {"person", 2, "index person name",
          "CREATE INDEX IF NOT EXISTS ix_person_name ON person (name);", ""};
}

Migration AuditV1() {
  return {"audit", 1, "create audit log",
          "CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY, at_ms BIGINT NOT NULL, "
          "action VARCHAR(64) NOT NULL);\n"
          "INSERT INTO audit_log (id, at_ms, action) VALUES (1, 0, 'created');",
          ""};
}

Migrator Make(std::vector<Migration> ms) {
  Migrator m;
  for (auto& x : ms) {
    Status st = m.Register(std::move(x));
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  return m;
}

class MigrateTest : public DbTest {
 protected:
  Result<bool> TableExists(const std::string& table) {
    Result<PooledConnection> c = pool_->Acquire();
    if (!c.ok()) return c.status();
    Result<std::optional<Row>> r =
        is_sqlite() ? (*c)->QueryOne("SELECT name FROM sqlite_master WHERE name = ?", {table})
                    : (*c)->QueryOne(
                          "SELECT table_name FROM information_schema.tables WHERE "
                          "table_schema = DATABASE() AND table_name = ?",
                          {table});
    if (!r.ok()) return r.status();
    return r->has_value();
  }
};

TEST_P(MigrateTest, AppliesOnceAndIsIdempotent) {
  ManualClock clock(1'767'225'600'000);
  Migrator m = Make({PersonV1(), AuditV1(), PersonV2()});

  DB_ASSERT_OK_AND_ASSIGN(auto before, m.ListStatus(*pool_));
  ASSERT_EQ(before.size(), 3u);
  for (const auto& s : before) EXPECT_EQ(s.state, MigrationStatus::State::kPending);

  int applied = -1;
  DB_ASSERT_OK(m.Migrate(*pool_, clock, &applied));
  EXPECT_EQ(applied, 3);
  DB_ASSERT_OK_AND_ASSIGN(bool person, TableExists("person"));
  DB_ASSERT_OK_AND_ASSIGN(bool audit, TableExists("audit_log"));
  EXPECT_TRUE(person);
  EXPECT_TRUE(audit);

  DB_ASSERT_OK(m.Migrate(*pool_, clock, &applied));
  EXPECT_EQ(applied, 0);

  DB_ASSERT_OK_AND_ASSIGN(auto status, m.ListStatus(*pool_));
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[0].module, "person");
  EXPECT_EQ(status[0].version, 1);
  EXPECT_EQ(status[1].version, 2);
  EXPECT_EQ(status[2].module, "audit");
  for (const auto& s : status) {
    EXPECT_EQ(s.state, MigrationStatus::State::kApplied) << s.module << "/" << s.version;
    EXPECT_EQ(s.applied_at_ms, 1'767'225'600'000);
    EXPECT_EQ(s.checksum.size(), 64u);
  }
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT action FROM audit_log"));
  EXPECT_EQ(rows.size(), 1u);  // the data step ran once

  // A binary with one more migration applies just that one.
  Migrator next =
      Make({PersonV1(),
            AuditV1(),
            PersonV2(),
            {"audit", 2, "add actor", "ALTER TABLE audit_log ADD COLUMN actor VARCHAR(64);",
             "ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS actor VARCHAR(64);"}});
  DB_ASSERT_OK(next.Migrate(*pool_, clock, &applied));
  EXPECT_EQ(applied, 1);
  DB_ASSERT_OK(c->Exec("UPDATE audit_log SET actor = ? WHERE id = 1", {"系统"}).status());
}

TEST_P(MigrateTest, PortableDdlTokensWorkOnBothDialects) {
  Migration portable{"portable", 1, "one text for both",
                     "CREATE TABLE IF NOT EXISTS note (id {{AUTO_ID}}, body TEXT NOT NULL, "
                     "at_ms BIGINT NOT NULL){{TABLE_OPTIONS}};",
                     ""};
  EXPECT_EQ(portable.SqlFor(Dialect::kSqlite),
            "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT "
            "NULL, at_ms BIGINT NOT NULL);");
  EXPECT_NE(portable.SqlFor(Dialect::kMariaDb).find("AUTO_INCREMENT PRIMARY KEY"),
            std::string::npos);
  EXPECT_NE(portable.SqlFor(Dialect::kMariaDb).find(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"),
            std::string::npos);
  ManualClock clock;
  Migrator m = Make({portable});
  DB_ASSERT_OK(m.Migrate(*pool_, clock));
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK(c->Exec("INSERT INTO note (body, at_ms) VALUES (?, ?)", {"一", 1}).status());
  DB_ASSERT_OK(c->Exec("INSERT INTO note (body, at_ms) VALUES (?, ?)", {"二", 2}).status());
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT id, body FROM note ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].GetInt64(0), rows[0].GetInt64(0) + 1);  // generated ids
  EXPECT_EQ(rows[1].GetText(1), "二");
  // The checksum is over the substituted text, so re-running is a no-op.
  int applied = -1;
  DB_ASSERT_OK(m.Migrate(*pool_, clock, &applied));
  EXPECT_EQ(applied, 0);
}

TEST_P(MigrateTest, DetectsChangedMigration) {
  DB_ASSERT_OK(Make({PersonV1(), PersonV2()}).Migrate(*pool_));
  Migration edited = PersonV2();
  edited.sqlite_sql = "CREATE INDEX IF NOT EXISTS ix_person_name2 ON person (name);";
  Migrator m = Make({PersonV1(), edited});
  Status st = m.Migrate(*pool_);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("person/2 (index person name)"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("checksum"), std::string::npos);
  DB_ASSERT_OK_AND_ASSIGN(auto status, m.ListStatus(*pool_));
  EXPECT_EQ(status[1].state, MigrationStatus::State::kChanged);
}

TEST_P(MigrateTest, AcceptsADeclaredEquivalentEarlierText) {
  DB_ASSERT_OK(Make({PersonV1(), PersonV2()}).Migrate(*pool_));
  const std::string old_sum = Migrator::Checksum(PersonV2().SqlFor(GetParam()));
  Migration rewritten = PersonV2();
  rewritten.sqlite_sql = "CREATE INDEX IF NOT EXISTS ix_person_name ON person (name) ;";
  rewritten.mariadb_sql.clear();
  // Without the declaration the rewrite is refused ...
  EXPECT_EQ(Make({PersonV1(), rewritten}).Migrate(*pool_).code(), Code::kFailedPrecondition);
  // ... with it, the database that applied the earlier text is current.
  rewritten.equivalent_checksums = {old_sum};
  Migrator m = Make({PersonV1(), rewritten});
  int applied = -1;
  DB_ASSERT_OK(m.Migrate(*pool_, Clock::Real(), &applied));
  EXPECT_EQ(applied, 0);
  DB_ASSERT_OK_AND_ASSIGN(auto status, m.ListStatus(*pool_));
  EXPECT_EQ(status[1].state, MigrationStatus::State::kApplied);
}

TEST_P(MigrateTest, RefusesNewerDatabase) {
  DB_ASSERT_OK(Make({PersonV1(), PersonV2(), AuditV1()}).Migrate(*pool_));
  Migrator old = Make({PersonV1(), AuditV1()});
  Status st = old.Migrate(*pool_);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("database is newer than this binary"), std::string::npos)
      << st.ToString();
  EXPECT_NE(st.message().find("person/2"), std::string::npos);

  DB_ASSERT_OK_AND_ASSIGN(auto status, old.ListStatus(*pool_));
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[2].module, "person");
  EXPECT_EQ(status[2].version, 2);
  EXPECT_EQ(status[2].state, MigrationStatus::State::kUnknown);

  // A binary that lacks a whole module is older too.
  Status st2 = Make({PersonV1(), PersonV2()}).Migrate(*pool_);
  EXPECT_NE(st2.message().find("database is newer than this binary"), std::string::npos)
      << st2.ToString();
}

TEST_P(MigrateTest, RefusesPendingMigrationOlderThanApplied) {
  Migration v3{"person", 3, "three", "SELECT 3;", ""};
  Migration v4{"person", 4, "four (added late)", "SELECT 4;", ""};
  Migration v5{"person", 5, "five", "SELECT 5;", ""};
  DB_ASSERT_OK(Make({PersonV1(), PersonV2(), v3, v5}).Migrate(*pool_));
  Status st = Make({PersonV1(), PersonV2(), v3, v4, v5}).Migrate(*pool_);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("person/4"), std::string::npos) << st.ToString();
}

TEST_P(MigrateTest, FailedMigrationIsNotRecordedAndCanBeRerun) {
  Migration broken{"person", 1, "create person and index",
                   "CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT);\n"
                   "CREATE INDEX ix_bad ON no_such_table (x);",
                   "CREATE TABLE IF NOT EXISTS person (id BIGINT PRIMARY KEY, name TEXT);\n"
                   "CREATE INDEX ix_bad ON no_such_table (x);"};
  Status st = Make({broken}).Migrate(*pool_);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("person/1"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("statement #2"), std::string::npos) << st.ToString();

  DB_ASSERT_OK_AND_ASSIGN(bool exists, TableExists("person"));
  if (is_sqlite()) {
    EXPECT_FALSE(exists);  // transactional DDL: nothing left behind
  } else {
    EXPECT_TRUE(exists);  // MariaDB committed the first DDL statement
  }
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT module FROM schema_migrations"));
  EXPECT_TRUE(rows.empty());
  c.Release();

  // The fixed, idempotent migration completes on both.
  Migration fixed = broken;
  fixed.sqlite_sql =
      "CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT);\n"
      "CREATE INDEX IF NOT EXISTS ix_person_name ON person (name);";
  fixed.mariadb_sql =
      "CREATE TABLE IF NOT EXISTS person (id BIGINT PRIMARY KEY, name VARCHAR(100));\n"
      "CREATE INDEX IF NOT EXISTS ix_person_name ON person (name);";
  DB_ASSERT_OK(Make({fixed}).Migrate(*pool_));
  DB_ASSERT_OK_AND_ASSIGN(auto status, Make({fixed}).ListStatus(*pool_));
  EXPECT_EQ(status[0].state, MigrationStatus::State::kApplied);
}

TEST_P(MigrateTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  DB_ASSERT_OK_AND_ASSIGN(auto other, OpenPool());
  Migrator m = Make({PersonV1(), PersonV2(), AuditV1()});
  int a = -1, b = -1;
  Status sa, sb;
  std::thread t1([&] { sa = m.Migrate(*pool_, Clock::Real(), &a); });
  std::thread t2([&] { sb = m.Migrate(*other, Clock::Real(), &b); });
  t1.join();
  t2.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(a + b, 3);
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT action FROM audit_log"));
  EXPECT_EQ(rows.size(), 1u);
}

TEST_P(MigrateTest, GlobalRegistryIsUsable) {
  // Modules register through explicit functions called from main; here the
  // test only checks the registry exists and holds what is added to it.
  Migrator& g = Migrator::Global();
  EXPECT_EQ(&g, &Migrator::Global());
}

HRSS_INSTANTIATE_DB_TEST(MigrateTest);

}  // namespace
}  // namespace hrss::db
