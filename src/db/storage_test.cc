// The storage suite: every test runs on SQLite and on MariaDB.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <thread>

#include "db/bulk.h"
#include "db/errors.h"
#include "db/test_fixture.h"
#include "db/transaction.h"

namespace hrss::db {
namespace {

using testing::DbTest;

constexpr char kPersonSqlite[] = R"sql(
CREATE TABLE person (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  id_hash VARCHAR(64) NOT NULL UNIQUE,
  name TEXT NOT NULL,
  balance_fen BIGINT,
  score DOUBLE,
  photo BLOB,
  birth_date TEXT,
  created_at BIGINT
);
CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO counter (id, n) VALUES (1, 0), (2, 0);
)sql";

constexpr char kPersonMariaDb[] = R"sql(
CREATE TABLE person (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  id_hash VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  balance_fen BIGINT,
  score DOUBLE,
  photo LONGBLOB,
  birth_date DATE,
  created_at BIGINT,
  UNIQUE KEY uk_person_id_hash (id_hash)
) ENGINE=InnoDB;
CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB;
INSERT INTO counter (id, n) VALUES (1, 0), (2, 0);
)sql";

class StorageTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    DB_ASSERT_OK(Script(kPersonSqlite, kPersonMariaDb));
  }

  int64_t Count(Connection& c, const std::string& table = "person") {
    auto r = c.QueryOne("SELECT COUNT(*) AS n FROM " + table);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->has_value() ? (*r)->GetInt64("n") : -1;
  }
};

std::string AllBytes() {
  std::string b;
  for (int i = 0; i < 256; ++i) b += static_cast<char>(i);
  return b + std::string("\0\0end", 5);
}

TEST_P(StorageTest, CrudAndTypes) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  const std::string name = "张三丰·测试 😀 Ünïcode";
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const std::string insert =
      "INSERT INTO person (id_hash, name, balance_fen, score, photo, birth_date, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)";
  DB_ASSERT_OK_AND_ASSIGN(int64_t n, c->Exec(insert, {"h1", name, kMax, 98.5, Blob{AllBytes()},
                                                      "2026-02-28", int64_t{1767225600123}}));
  EXPECT_EQ(n, 1);
  int64_t id1 = c->LastInsertId();
  EXPECT_GT(id1, 0);
  DB_ASSERT_OK_AND_ASSIGN(
      n, c->Exec(insert, {"h2", "", kMin, Value(), Value(), Value(), std::optional<int64_t>()}));
  int64_t id2 = c->LastInsertId();
  EXPECT_NE(id1, id2);

  DB_ASSERT_OK_AND_ASSIGN(std::optional<Row> row,
                          c->QueryOne("SELECT id, id_hash, name, balance_fen, score, photo, "
                                      "birth_date, created_at FROM person WHERE id = ?",
                                      {id1}));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->GetInt64("id"), id1);
  EXPECT_EQ(row->GetText("name"), name);
  EXPECT_EQ(row->GetText(2), name);
  EXPECT_EQ(row->GetInt64("balance_fen"), kMax);
  EXPECT_DOUBLE_EQ(row->GetDouble("score"), 98.5);
  EXPECT_EQ(row->GetBlob("photo"), AllBytes());
  EXPECT_EQ(row->at("photo").type(), Value::Type::kBlob);
  EXPECT_EQ(row->GetText("birth_date"), "2026-02-28");
  EXPECT_EQ(row->GetInt64("created_at"), 1767225600123);
  EXPECT_FALSE(row->IsNull("photo"));

  DB_ASSERT_OK_AND_ASSIGN(row, c->QueryOne("SELECT * FROM person WHERE id = ?", {id2}));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->GetText("name"), "");
  EXPECT_EQ(row->GetInt64("balance_fen"), kMin);
  EXPECT_TRUE(row->IsNull("score"));
  EXPECT_TRUE(row->IsNull("photo"));
  EXPECT_EQ(row->OptText("birth_date"), std::nullopt);
  EXPECT_EQ(row->OptInt64("created_at"), std::nullopt);
  EXPECT_EQ(row->OptDouble("score"), std::nullopt);
  EXPECT_EQ(row->ColumnIndex("no_such_column"), -1);

  // Chinese text as a parameter in WHERE, and a long text value (bigger than
  // the MariaDB driver's initial fetch buffer).
  std::string long_name(60000, 'x');
  DB_ASSERT_OK_AND_ASSIGN(
      n, c->Exec("UPDATE person SET name = ? WHERE name = ?", {long_name.substr(0, 200), name}));
  EXPECT_EQ(n, 1);
  DB_ASSERT_OK(c->ExecScript(is_sqlite() ? "CREATE TABLE note (body TEXT)"
                                         : "CREATE TABLE note (body MEDIUMTEXT)"));
  DB_ASSERT_OK(c->Exec("INSERT INTO note (body) VALUES (?)", {long_name + "尾"}).status());
  DB_ASSERT_OK_AND_ASSIGN(std::vector<Row> notes, c->Query("SELECT body FROM note"));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].GetText(0), long_name + "尾");
  DB_ASSERT_OK(c->QueryEach("SELECT body FROM note", {}, [&](const Row& r) {
    EXPECT_EQ(r.GetText("body"), long_name + "尾");
    return Status::Ok();
  }));

  // Aggregates: MariaDB returns SUM(BIGINT) as DECIMAL; GetInt64 still works.
  DB_ASSERT_OK(
      c->Exec("UPDATE person SET balance_fen = ? WHERE id = ?", {int64_t{150}, id1}).status());
  DB_ASSERT_OK(
      c->Exec("UPDATE person SET balance_fen = ? WHERE id = ?", {int64_t{-50}, id2}).status());
  DB_ASSERT_OK_AND_ASSIGN(row, c->QueryOne("SELECT SUM(balance_fen) AS total FROM person"));
  EXPECT_EQ(row->GetInt64("total"), 100);

  // Several rows; QueryOne refuses more than one.
  DB_ASSERT_OK_AND_ASSIGN(std::vector<Row> rows,
                          c->Query("SELECT id_hash FROM person ORDER BY id_hash"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].GetText(0), "h1");
  EXPECT_EQ(rows[1].GetText(0), "h2");
  EXPECT_EQ(c->QueryOne("SELECT id FROM person").status().code(), Code::kInternal);

  DB_ASSERT_OK_AND_ASSIGN(n, c->Exec("DELETE FROM person WHERE id = ?", {id2}));
  EXPECT_EQ(n, 1);
  DB_ASSERT_OK_AND_ASSIGN(row, c->QueryOne("SELECT id FROM person WHERE id = ?", {id2}));
  EXPECT_FALSE(row.has_value());
  // Affected rows count matched rows on both dialects (CLIENT_FOUND_ROWS).
  DB_ASSERT_OK_AND_ASSIGN(n, c->Exec("UPDATE counter SET n = n WHERE id = 1"));
  EXPECT_EQ(n, 1);
  DB_ASSERT_OK_AND_ASSIGN(n, c->Exec("CREATE TABLE t2 (x INTEGER)"));
  EXPECT_EQ(n, 0);  // DDL changes no rows (no stale count from the UPDATE)
}

TEST_P(StorageTest, ParameterCountMismatchIsInternal) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  EXPECT_EQ(c->Exec("SELECT ? + ?", {1}).status().code(), Code::kInternal);
  EXPECT_EQ(c->Exec("SELEKT 1").status().code(), Code::kInternal);
  // The connection is still usable afterwards.
  DB_ASSERT_OK_AND_ASSIGN(auto row, c->QueryOne("SELECT ? + ? AS s", {1, 2}));
  EXPECT_EQ(row->GetInt64("s"), 3);
}

TEST_P(StorageTest, StatementCacheReusesPreparedStatements) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  const std::string q = "SELECT COUNT(*) FROM person WHERE balance_fen > ?";
  auto server_prepares = [&]() -> int64_t {
    if (is_sqlite()) return 0;
    auto r = c->QueryOne(
        "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
        "WHERE VARIABLE_NAME = 'COM_STMT_PREPARE'");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  server_prepares();  // prepare the probe itself
  int64_t server_before = server_prepares();
  StatementCacheStats before = c->statement_cache_stats();
  for (int i = 0; i < 100; ++i) {
    DB_ASSERT_OK_AND_ASSIGN(auto row, c->QueryOne(q, {i}));
    ASSERT_TRUE(row.has_value());
  }
  StatementCacheStats after = c->statement_cache_stats();
  EXPECT_EQ(after.prepares - before.prepares, 1);
  EXPECT_GE(after.hits - before.hits, 99);
  if (!is_sqlite()) {
    // The server saw one COM_STMT_PREPARE for 100 executions (plus 0 for the
    // cached probe).
    EXPECT_EQ(server_prepares() - server_before, 1);
  }

  // A small cache evicts the least recently used statement and stays correct.
  DB_ASSERT_OK_AND_ASSIGN(auto small, OpenPool([](Options& o) { o.statement_cache_size = 2; }));
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection s, small->Acquire());
  for (int round = 0; round < 3; ++round) {
    for (int k = 1; k <= 3; ++k) {
      DB_ASSERT_OK_AND_ASSIGN(auto row,
                              s->QueryOne("SELECT ? * " + std::to_string(k) + " AS v", {round}));
      EXPECT_EQ(row->GetInt64("v"), round * k);
    }
  }
  StatementCacheStats st = s->statement_cache_stats();
  EXPECT_EQ(st.size, 2u);
  EXPECT_GT(st.evictions, 0);
}

// db::Statement (SQLite bulk fast path): typed positional binding that
// persists across Reset, Changes() per execution, rows read in place, the
// writer gate taken by writes; MariaDB refuses it (ExecBatch there).
TEST_P(StorageTest, PreparedStatementBindStepReset) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  auto prepared = c->Prepare(
      "INSERT INTO person (id_hash, name, balance_fen, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT(id_hash) DO NOTHING");
  if (!is_sqlite()) {
    EXPECT_EQ(prepared.status().code(), Code::kFailedPrecondition);
    return;
  }
  DB_ASSERT_OK(prepared.status());
  Statement& ins = **prepared;
  DB_ASSERT_OK(c->Begin());
  ins.BindInt64(3, 42);  // stays bound for every execution
  for (int i = 0; i < 3; ++i) {
    std::string key = "h" + std::to_string(i % 2);  // h0, h1, h0 (a conflict)
    ins.BindText(0, key);
    ins.Bind(1, Value("名" + std::to_string(i)));
    if (i == 1) {
      ins.BindNull(2);
    } else {
      ins.BindInt64(2, 100 + i);
    }
    DB_ASSERT_OK_AND_ASSIGN(bool row, ins.Step());
    EXPECT_FALSE(row);
    EXPECT_EQ(ins.Changes(), i < 2 ? 1 : 0) << i;
    ins.Reset();
  }
  DB_ASSERT_OK(c->Commit());
  DB_ASSERT_OK_AND_ASSIGN(auto sel, c->Prepare("SELECT balance_fen, name, created_at FROM person "
                                               "WHERE id_hash = ?"));
  sel->BindText(0, "h0");
  DB_ASSERT_OK_AND_ASSIGN(bool row, sel->Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(sel->ColumnInt64(0), 100);
  EXPECT_EQ(sel->ColumnText(1), "名0");
  EXPECT_EQ(sel->ColumnInt64(2), 42);
  DB_ASSERT_OK_AND_ASSIGN(row, sel->Step());
  EXPECT_FALSE(row);
  sel->Reset();
  EXPECT_EQ(Count(*c), 2);
  // An autocommitted write released the writer gate: another connection writes.
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection other, pool_->Acquire());
  DB_ASSERT_OK(other->Exec("UPDATE counter SET n = n + 1 WHERE id = 1").status());
  // Errors are statuses and leave the statement reusable.
  DB_ASSERT_OK_AND_ASSIGN(auto bad, c->Prepare("INSERT INTO person (id_hash, name) VALUES (?, ?)"));
  bad->BindText(0, "h1");
  bad->BindText(1, "dup");
  EXPECT_EQ(bad->Step().status().code(), Code::kConflict);
  bad->BindText(0, "h2");
  DB_ASSERT_OK_AND_ASSIGN(row, bad->Step());
  EXPECT_EQ(bad->Changes(), 1);
  bad->Reset();
  EXPECT_EQ(Count(*c), 3);
}

TEST_P(StorageTest, UniqueViolationIsConflictWithoutUserData) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  const std::string secret = "110101199003077777";
  DB_ASSERT_OK(
      c->Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {secret, "甲"}).status());
  Result<int64_t> dup = c->Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {secret, "乙"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::kConflict) << dup.status().ToString();
  EXPECT_EQ(dup.status().message().find(secret), std::string::npos) << dup.status().ToString();
  EXPECT_EQ(dup.status().message().find("乙"), std::string::npos);
  EXPECT_FALSE(IsRetryable(dup.status()));
  // NOT NULL violation: INVALID_ARGUMENT.
  Result<int64_t> null_name =
      c->Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"h9", Value()});
  EXPECT_EQ(null_name.status().code(), Code::kInvalidArgument) << null_name.status().ToString();
  EXPECT_EQ(Count(*c), 1);
}

TEST_P(StorageTest, TransactionRollbackLeavesNothing) {
  Status st = WithTransaction(*pool_, [](Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"a", "A"}).status());
    HRSS_RETURN_IF_ERROR(c.Exec("UPDATE counter SET n = n + 100 WHERE id = 1").status());
    return Status::InvalidArgument("business rule failed");
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);

  // A database error half-way (duplicate key on the second insert).
  st = WithTransaction(*pool_, [](Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"b", "B"}).status());
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"b", "B2"}).status());
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kConflict) << st.ToString();

  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  EXPECT_FALSE(c->InTransaction());
  EXPECT_EQ(Count(*c), 0);
  DB_ASSERT_OK_AND_ASSIGN(auto row, c->QueryOne("SELECT n FROM counter WHERE id = 1"));
  EXPECT_EQ(row->GetInt64(0), 0);
  c.Release();

  // And a successful one commits.
  DB_ASSERT_OK(WithTransaction(*pool_, [](Connection& c) -> Status {
    return c.Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"c", "C"}).status();
  }));
  DB_ASSERT_OK_AND_ASSIGN(c, pool_->Acquire());
  EXPECT_EQ(Count(*c), 1);

  // A connection returned to the pool inside a transaction is rolled back.
  DB_ASSERT_OK(c->Begin());
  DB_ASSERT_OK(c->Exec("INSERT INTO person (id_hash, name) VALUES (?, ?)", {"d", "D"}).status());
  c.Release();
  DB_ASSERT_OK_AND_ASSIGN(c, pool_->Acquire());
  EXPECT_EQ(Count(*c), 1);
}

// MariaDB: two transactions lock rows 1 and 2 in opposite order; InnoDB
// picks a victim (error 1213) and WithTransaction re-runs it.
// SQLite: a second pool (standing in for another process) holds the write
// lock; BEGIN IMMEDIATE fails with SQLITE_BUSY until it is released and the
// retry succeeds.
TEST_P(StorageTest, RetriesDeadlockOrBusy) {
  if (is_sqlite()) {
    DB_ASSERT_OK_AND_ASSIGN(auto other, OpenPool());
    DB_ASSERT_OK_AND_ASSIGN(auto mine, OpenPool([](Options& o) { o.sqlite_busy_timeout_ms = 30; }));
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection holder, other->Acquire());
    DB_ASSERT_OK(holder->Begin());
    DB_ASSERT_OK(holder->Exec("UPDATE counter SET n = n + 1 WHERE id = 1").status());

    // With one attempt the busy error comes back, marked retryable.
    Status once = WithTransaction(
        *mine,
        [](Connection& c) -> Status {
          return c.Exec("UPDATE counter SET n = n + 10 WHERE id = 1").status();
        },
        1);
    EXPECT_EQ(once.code(), Code::kUnavailable) << once.ToString();
    EXPECT_TRUE(IsRetryable(once)) << once.ToString();

    std::atomic<int> runs{0};
    auto start = std::chrono::steady_clock::now();
    std::thread t([&] {
      Status st = WithTransaction(
          *mine,
          [&](Connection& c) -> Status {
            ++runs;
            return c.Exec("UPDATE counter SET n = n + 10 WHERE id = 1").status();
          },
          20);
      EXPECT_TRUE(st.ok()) << st.ToString();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    DB_EXPECT_OK(holder->Commit());
    t.join();
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
    EXPECT_EQ(runs.load(), 1);  // the body ran once BEGIN IMMEDIATE got the lock
    DB_ASSERT_OK_AND_ASSIGN(auto row, holder->QueryOne("SELECT n FROM counter WHERE id = 1"));
    EXPECT_EQ(row->GetInt64(0), 11);
    return;
  }

  std::atomic<int> runs{0};
  std::atomic<int> first_done{0};
  auto body = [&](int first, int second, std::atomic<bool>* first_attempt) {
    return [&, first, second, first_attempt](Connection& c) -> Status {
      ++runs;
      HRSS_RETURN_IF_ERROR(c.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {first}).status());
      if (first_attempt->exchange(false)) {
        // Both transactions hold their first row lock before either asks for
        // its second: a guaranteed lock cycle.
        ++first_done;
        while (first_done.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      return c.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {second}).status();
    };
  };
  std::atomic<bool> a_first{true}, b_first{true};
  Status sa, sb;
  std::thread ta([&] { sa = WithTransaction(*pool_, body(1, 2, &a_first), 5); });
  std::thread tb([&] { sb = WithTransaction(*pool_, body(2, 1, &b_first), 5); });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(runs.load(), 3);  // one victim ran twice
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT n FROM counter ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].GetInt64(0), 2);
  EXPECT_EQ(rows[1].GetInt64(0), 2);
}

// Read-modify-write from several threads through the pool: SQLite's writer
// gate (BEGIN IMMEDIATE) and MariaDB's SELECT ... FOR UPDATE serialise them.
TEST_P(StorageTest, ConcurrentIncrementsWithLockingReads) {
  constexpr int kThreads = 6;
  constexpr int kEach = 40;
  const std::string select = is_sqlite() ? "SELECT n FROM counter WHERE id = 2"
                                         : "SELECT n FROM counter WHERE id = 2 FOR UPDATE";
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status st = WithTransaction(
            *pool_,
            [&](Connection& c) -> Status {
              HRSS_ASSIGN_OR_RETURN(auto row, c.QueryOne(select));
              return c.Exec("UPDATE counter SET n = ? WHERE id = 2", {row->GetInt64(0) + 1})
                  .status();
            },
            10);
        EXPECT_TRUE(st.ok()) << st.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto row, c->QueryOne("SELECT n FROM counter WHERE id = 2"));
  EXPECT_EQ(row->GetInt64(0), kThreads * kEach);  // no lost updates
  Pool::Stats stats = pool_->stats();
  EXPECT_LE(stats.size, options_.max_connections);
  EXPECT_EQ(stats.in_use, 1);
}

TEST_P(StorageTest, BulkInsert100kRows) {
  constexpr int kRows = 100000;
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  auto server_inserts = [&]() -> int64_t {
    if (is_sqlite()) return 0;
    auto r = c->QueryOne(
        "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
        "WHERE VARIABLE_NAME = 'COM_INSERT'");
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  const int64_t inserts_before = server_inserts();
  auto start = std::chrono::steady_clock::now();
  BulkInserter ins(*c, "person", {"id_hash", "name", "balance_fen", "score", "birth_date"}, 1000);
  int64_t expected_sum = 0;
  for (int i = 0; i < kRows; ++i) {
    int64_t fen = (i % 1000) * 100 + 7;
    expected_sum += fen;
    DB_ASSERT_OK(
        ins.Add({"h" + std::to_string(i), "参保人" + std::to_string(i), fen,
                 i % 3 == 0 ? Value() : Value(i * 0.5), i % 2 ? Value("2000-01-31") : Value()}));
  }
  DB_ASSERT_OK(ins.Finish());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::printf("[ %s ] bulk insert of %d rows: %lld ms\n",
              std::string(DialectName(dialect())).c_str(), kRows, static_cast<long long>(ms));
  EXPECT_EQ(ins.rows_added(), kRows);
  EXPECT_EQ(ins.affected_rows(), kRows);
  if (!is_sqlite()) {
    // Array binding: one INSERT execution per batch of 1000, not per row.
    EXPECT_EQ(server_inserts() - inserts_before, kRows / 1000);
  }
  EXPECT_FALSE(c->InTransaction());
  DB_ASSERT_OK_AND_ASSIGN(auto row,
                          c->QueryOne("SELECT COUNT(*) AS n, SUM(balance_fen) AS s, "
                                      "COUNT(score) AS scored, COUNT(birth_date) AS dated "
                                      "FROM person"));
  EXPECT_EQ(row->GetInt64("n"), kRows);
  EXPECT_EQ(row->GetInt64("s"), expected_sum);
  EXPECT_EQ(row->GetInt64("scored"), kRows - (kRows + 2) / 3);
  EXPECT_EQ(row->GetInt64("dated"), kRows / 2);
  DB_ASSERT_OK_AND_ASSIGN(row, c->QueryOne("SELECT name, score, birth_date FROM person "
                                           "WHERE id_hash = ?",
                                           {"h77777"}));
  EXPECT_EQ(row->GetText("name"), "参保人77777");
  EXPECT_DOUBLE_EQ(row->GetDouble("score"), 77777 * 0.5);
  EXPECT_EQ(row->GetText("birth_date"), "2000-01-31");

  // Streaming read of the whole table; stopping early returns the callback's
  // status and leaves the connection usable.
  int64_t seen = 0;
  DB_ASSERT_OK(c->QueryEach("SELECT id, name FROM person", {}, [&](const Row&) {
    ++seen;
    return Status::Ok();
  }));
  EXPECT_EQ(seen, kRows);
  seen = 0;
  Status stop = c->QueryEach("SELECT id FROM person", {}, [&](const Row&) {
    return ++seen == 10 ? Status::Conflict("enough") : Status::Ok();
  });
  EXPECT_EQ(stop.code(), Code::kConflict);
  EXPECT_EQ(seen, 10);
  EXPECT_EQ(Count(*c), kRows);
}

TEST_P(StorageTest, BulkInsertFailureLeavesNothing) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  {
    BulkInserter ins(*c, "person", {"id_hash", "name"}, 100);
    Status st;
    for (int i = 0; i < 1000 && st.ok(); ++i) {
      st = ins.Add({"k" + std::to_string(i % 500), "x"});  // duplicates from row 500 on
    }
    if (st.ok()) st = ins.Finish();
    EXPECT_EQ(st.code(), Code::kConflict) << st.ToString();
    EXPECT_EQ(ins.Add({"z", "z"}).code(), Code::kConflict);  // sticky
  }
  EXPECT_FALSE(c->InTransaction());
  EXPECT_EQ(Count(*c), 0);

  BulkInserter bad(*c, "person; DROP TABLE person", {"id_hash"}, 10);
  EXPECT_EQ(bad.Add({"x"}).code(), Code::kInvalidArgument);
  BulkInserter wrong_width(*c, "person", {"id_hash", "name"}, 10);
  EXPECT_EQ(wrong_width.Add({"x"}).code(), Code::kInvalidArgument);
}

TEST_P(StorageTest, UpsertAndIgnoreAreIdempotent) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  auto load = [&](OnConflict mode, int version) -> Status {
    BulkInserter ins(*c, "person", {"id_hash", "name", "balance_fen"}, 128, mode, {"id_hash"});
    for (int i = 0; i < 1000; ++i) {
      HRSS_RETURN_IF_ERROR(ins.Add({"u" + std::to_string(i),
                                    "姓名" + std::to_string(i) + "v" + std::to_string(version),
                                    int64_t{i} * version}));
    }
    return ins.Finish();
  };
  auto snapshot = [&]() -> std::string {
    std::string out;
    Status st = c->QueryEach(
        "SELECT id_hash, name, balance_fen FROM person ORDER BY id_hash", {}, [&](const Row& r) {
          out += r.GetText(0) + "|" + r.GetText(1) + "|" + std::to_string(r.GetInt64(2)) + "\n";
          return Status::Ok();
        });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  };

  DB_ASSERT_OK(load(OnConflict::kUpsert, 1));
  std::string first = snapshot();
  EXPECT_EQ(Count(*c), 1000);
  DB_ASSERT_OK(load(OnConflict::kUpsert, 1));  // same batch again
  EXPECT_EQ(Count(*c), 1000);
  EXPECT_EQ(snapshot(), first);

  DB_ASSERT_OK(load(OnConflict::kIgnore, 2));  // existing rows untouched
  EXPECT_EQ(Count(*c), 1000);
  EXPECT_EQ(snapshot(), first);

  DB_ASSERT_OK(load(OnConflict::kUpsert, 3));  // existing rows updated
  EXPECT_EQ(Count(*c), 1000);
  DB_ASSERT_OK_AND_ASSIGN(auto row, c->QueryOne("SELECT name, balance_fen FROM person "
                                                "WHERE id_hash = ?",
                                                {"u10"}));
  EXPECT_EQ(row->GetText(0), "姓名10v3");
  EXPECT_EQ(row->GetInt64(1), 30);

  EXPECT_EQ(load(OnConflict::kError, 4).code(), Code::kConflict);
  EXPECT_EQ(Count(*c), 1000);
}

TEST_P(StorageTest, ExecScriptNamesFailingStatement) {
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool_->Acquire());
  Status st = c->ExecScript(
      "INSERT INTO counter (id, n) VALUES (10, 1);\n"
      "INSERT INTO counter (id, n) VALUES (11, 1);\n"
      "INSERT INTO no_such_table (x) VALUES (1);\n");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("statement #3"), std::string::npos) << st.ToString();
  DB_ASSERT_OK(c->ExecScript("  ;\n"));
  DB_ASSERT_OK_AND_ASSIGN(auto rows, c->Query("SELECT id FROM counter WHERE id >= 10"));
  EXPECT_EQ(rows.size(), 2u);  // scripts are not atomic by themselves
  // Multi-statement text through Exec is refused (one statement per call).
  EXPECT_FALSE(c->Exec("SELECT 1; SELECT 2").ok());
}

TEST_P(StorageTest, PoolExhaustionTimesOut) {
  DB_ASSERT_OK_AND_ASSIGN(auto pool, OpenPool([](Options& o) {
                            o.max_connections = 2;
                            o.acquire_timeout = std::chrono::milliseconds(100);
                          }));
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection a, pool->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection b, pool->Acquire());
  auto start = std::chrono::steady_clock::now();
  Result<PooledConnection> c = pool->Acquire();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnavailable) << c.status().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  EXPECT_LT(waited, std::chrono::milliseconds(1500));
  Pool::Stats s = pool->stats();
  EXPECT_EQ(s.size, 2);
  EXPECT_EQ(s.in_use, 2);
  EXPECT_EQ(s.timeouts, 1);
  EXPECT_EQ(s.waits, 1);

  // A waiter gets the connection as soon as one is returned.
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    a.Release();
  });
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection d, pool->Acquire());
  releaser.join();
  DB_ASSERT_OK(d->Ping());
  EXPECT_EQ(pool->stats().waits, 2);
}

// SQLite: with readers all the time, as on a server, a WAL that only gets
// PASSIVE checkpoints never starts over and keeps growing; past 4× the
// checkpoint threshold a commit runs a RESTART checkpoint, so it does.
TEST_P(StorageTest, SqliteWalStartsOverUnderSteadyReads) {
  if (!is_sqlite()) GTEST_SKIP() << "SQLite WAL only";
  DB_ASSERT_OK_AND_ASSIGN(auto pool, OpenPool([&](Options& o) { o.sqlite_checkpoint_pages = 16; }));
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
  std::atomic<bool> stop{false};
  std::atomic<int> snapshots{0}, failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      auto rc = pool->Acquire();
      if (!rc.ok()) {
        ++failures;
        return;
      }
      // Each read holds its snapshot for a moment (a request's read takes
      // milliseconds), so some reader is always on an older one.
      while (!stop.load()) {
        bool ok = (*rc)->Exec("BEGIN").ok() &&
                  (*rc)->Query("SELECT COUNT(*), MAX(id) FROM person").ok();
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        ok = (*rc)->Exec("COMMIT").ok() && ok;
        ++(ok ? snapshots : failures);
      }
    });
  }
  const std::string photo(3000, 'p');  // about one page per commit
  int64_t max_wal = 0;
  for (int i = 0; i < 400; ++i) {
    DB_ASSERT_OK(c->Exec("INSERT INTO person (id_hash, name, photo) VALUES (?, ?, ?)",
                         {"h" + std::to_string(i), "n", Value(Blob{photo})})
                     .status());
    std::error_code ec;
    auto size = std::filesystem::file_size(options_.sqlite_path + "-wal", ec);
    if (!ec) max_wal = std::max<int64_t>(max_wal, static_cast<int64_t>(size));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(Count(*c), 400);
  // The readers really were there the whole time.
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(snapshots.load(), 20);
  // The 400 commits write ~2000 pages (8 MB): a WAL that never starts over
  // gets that big.
  EXPECT_LT(max_wal, 4'000'000) << "the WAL did not start over";
}

// Bulk-load settings hold while the caller has the connection, and the pool
// restores the connection's own settings (page cache, mmap, the WAL hook with
// the pool's checkpoint threshold) when it comes back.
TEST_P(StorageTest, BulkLoadSettingsEndWhenTheConnectionComesBack) {
  DB_ASSERT_OK_AND_ASSIGN(auto pool, OpenPool([&](Options& o) {
                            o.max_connections = 1;
                            o.sqlite_checkpoint_pages = 16;
                          }));
  auto pragma = [](Connection& c, const char* name) -> int64_t {
    auto r = c.QueryOne(std::string("PRAGMA ") + name);
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  const std::string photo(3000, 'p');  // about one page per commit
  // The WAL's size after 300 one-page commits, each a transaction.
  auto wal_after_commits = [&](Connection& c, int from) -> int64_t {
    int64_t max_wal = 0;
    for (int i = from; i < from + 300; ++i) {
      EXPECT_TRUE(c.Exec("INSERT INTO person (id_hash, name, photo) VALUES (?, ?, ?)",
                         {"b" + std::to_string(i), "n", Value(Blob{photo})})
                      .ok());
      std::error_code ec;
      auto size = std::filesystem::file_size(options_.sqlite_path + "-wal", ec);
      if (!ec) max_wal = std::max<int64_t>(max_wal, static_cast<int64_t>(size));
    }
    return max_wal;
  };
  {
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
    EXPECT_FALSE(c->bulk_load());
    DB_ASSERT_OK(c->SetBulkLoad(true));
    EXPECT_TRUE(c->bulk_load());
    if (is_sqlite()) {
      EXPECT_EQ(pragma(*c, "cache_size"), -262144);
      EXPECT_EQ(pragma(*c, "temp_store"), 2);
      EXPECT_GT(pragma(*c, "mmap_size"), 0);
      // The WAL file keeps its size when it starts over (its pages stay in
      // the OS cache instead of being cut off and written anew).
      EXPECT_EQ(pragma(*c, "journal_size_limit"), -1);
      // The connection's own checkpoints wait for 100,000 pages; a thread
      // of its own copies the commits into the database file meanwhile.
      std::error_code ec;
      const auto db_before = std::filesystem::file_size(options_.sqlite_path, ec);
      ASSERT_FALSE(ec);
      wal_after_commits(*c, 0);
      const auto photos = 300u * photo.size();
      uintmax_t db_size = 0;
      for (int i = 0; i < 100 && db_size < db_before + photos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        db_size = std::filesystem::file_size(options_.sqlite_path, ec);
      }
      EXPECT_GE(db_size, db_before + photos) << "no background checkpoint";
      // Turning bulk mode off stops the thread; the connection goes on.
      DB_ASSERT_OK(c->SetBulkLoad(false));
      DB_ASSERT_OK(c->SetBulkLoad(true));
      EXPECT_EQ(Count(*c), 300);
    }
  }
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());  // the same connection
  EXPECT_EQ(pool->stats().created, 1);
  EXPECT_FALSE(c->bulk_load());
  if (!is_sqlite()) return;
  EXPECT_EQ(pragma(*c, "cache_size"), -2000);
  EXPECT_EQ(pragma(*c, "temp_store"), 0);
  EXPECT_EQ(pragma(*c, "mmap_size"), options_.sqlite_mmap_bytes);
  EXPECT_EQ(pragma(*c, "journal_size_limit"), 64 << 20);
  DB_ASSERT_OK(c->Exec("PRAGMA wal_checkpoint(TRUNCATE)").status());
  // The pool's threshold of 16 pages is back: the WAL starts over every few commits.
  EXPECT_LT(wal_after_commits(*c, 300), 400'000);
  EXPECT_EQ(Count(*c), 600);
}

// Index-build settings (SQLite: temporary files, worker threads, a 32 MiB
// page cache) hold until turned off, which puts back what the connection
// had, bulk mode's included; an index built meanwhile is a normal index.
TEST_P(StorageTest, IndexBuildSettingsArePutBack) {
  DB_ASSERT_OK_AND_ASSIGN(auto pool, OpenPool([&](Options& o) { o.max_connections = 1; }));
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
  auto pragma = [&](const char* name) -> int64_t {
    auto r = c->QueryOne(std::string("PRAGMA ") + name);
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  for (bool bulk : {false, true}) {
    DB_ASSERT_OK(c->SetBulkLoad(bulk));
    const int64_t cache = pragma("cache_size"), temp = pragma("temp_store"),
                  threads = pragma("threads");
    DB_ASSERT_OK(c->SetIndexBuild(true));
    DB_ASSERT_OK(c->SetIndexBuild(true));  // again: no change, nothing saved twice
    if (is_sqlite()) {
      EXPECT_EQ(pragma("cache_size"), -32768);
      EXPECT_EQ(pragma("temp_store"), 1);
      EXPECT_GE(pragma("threads"), 1);
    }
    const std::string index = bulk ? "person_name_bulk" : "person_name_plain";
    DB_ASSERT_OK(c->Exec("CREATE INDEX " + index + " ON person (name)").status());
    DB_ASSERT_OK(c->SetIndexBuild(false));
    if (is_sqlite()) {
      EXPECT_EQ(pragma("cache_size"), cache) << "bulk " << bulk;
      EXPECT_EQ(pragma("temp_store"), temp) << "bulk " << bulk;
      EXPECT_EQ(pragma("threads"), threads) << "bulk " << bulk;
    }
  }
  DB_ASSERT_OK(c->SetBulkLoad(false));
}

TEST_P(StorageTest, PoolHealthCheckReplacesKilledConnection) {
  ManualClock clock;
  DB_ASSERT_OK_AND_ASSIGN(auto pool, OpenPool([&](Options& o) {
                            o.max_connections = 1;
                            o.ping_after_idle = std::chrono::seconds(5);
                            o.clock = &clock;
                          }));
  if (is_sqlite()) {
    // No server to kill: the idle check pings and keeps the healthy
    // connection.
    clock.Advance(std::chrono::seconds(10));
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
    DB_ASSERT_OK(c->Exec("INSERT INTO counter (id, n) VALUES (5, 5)").status());
    c.Release();
    EXPECT_EQ(pool->stats().discarded, 0);
    EXPECT_EQ(pool->stats().created, 1);
    return;
  }
  auto connection_id = [](Connection& c) -> int64_t {
    auto r = c.QueryOne("SELECT CONNECTION_ID()");
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  auto kill = [&](int64_t id) {
    DB_ASSERT_OK(admin()->ExecScript("KILL " + std::to_string(id)));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };

  // 1. Killed while idle for longer than ping_after_idle: the checkout ping
  //    finds it dead and the pool opens a replacement.
  int64_t first = 0;
  {
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
    first = connection_id(*c);
    ASSERT_GT(first, 0);
  }
  kill(first);
  clock.Advance(std::chrono::seconds(6));
  int64_t second = 0;
  {
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
    second = connection_id(*c);
    EXPECT_GT(second, 0);
    EXPECT_NE(second, first);
  }
  EXPECT_EQ(pool->stats().discarded, 1);
  EXPECT_EQ(pool->stats().size, 1);

  // 2. Killed and reused before the idle threshold: the query fails with
  //    UNAVAILABLE, the connection is marked broken and not reused.
  kill(second);
  {
    DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
    Result<std::vector<Row>> r = c->Query("SELECT 1");
    EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().ToString();
    EXPECT_FALSE(IsRetryable(r.status()));
    EXPECT_TRUE(c->broken());
  }
  EXPECT_EQ(pool->stats().discarded, 2);
  DB_ASSERT_OK_AND_ASSIGN(PooledConnection c, pool->Acquire());
  int64_t third = connection_id(*c);
  EXPECT_GT(third, 0);
  EXPECT_NE(third, second);
  EXPECT_EQ(pool->stats().created, 3);
}

HRSS_INSTANTIATE_DB_TEST(StorageTest);

}  // namespace
}  // namespace hrss::db
