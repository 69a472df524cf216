// The audit log on SQLite and MariaDB (see db/test_fixture.h for
// HRSS_TEST_MARIADB / HRSS_REQUIRE_MARIADB).
#include "modules/identity/audit.h"

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "db/migrate.h"
#include "db/test_fixture.h"

namespace hrss::identity {
namespace {

using db::testing::DbTest;

std::string Master() { return std::string(32, 'a'); }

class AuditTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::Migrator m;
    DB_ASSERT_OK(AuditLog::RegisterMigrations(m));
    DB_ASSERT_OK(m.Migrate(*pool_));
    audit_ = std::make_unique<AuditLog>(*pool_, keys_, clock_);
  }
  void TearDown() override {
    audit_.reset();
    DbTest::TearDown();
  }

  AuditEvent Event(int i) {
    AuditEvent e;
    e.user_id = "u" + std::to_string(i % 3);
    e.username = i % 2 ? "张三" : "admin";
    e.source_ip = "10.0.0." + std::to_string(i);
    e.action = i % 2 ? "auth.login" : "role.update";
    e.object_type = "user";
    e.object_id = std::to_string(100 + i);
    e.success = i % 4 != 0;
    e.detail = R"({"n":)" + std::to_string(i) + "}";
    e.request_id = "req" + std::to_string(i);
    return e;
  }

  void RecordN(int n) {
    for (int i = 1; i <= n; ++i) {
      DB_ASSERT_OK(audit_->Record(Event(i)));
      clock_.Advance(std::chrono::milliseconds(1000));
    }
  }

  // Runs SQL as an attacker with write access to the database would (on
  // SQLite after dropping the append-only triggers).
  void Tamper(const std::string& sql) {
    DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
    if (is_sqlite()) {
      DB_ASSERT_OK(
          c->ExecScript("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS "
                        "audit_log_no_delete"));
    }
    DB_ASSERT_OK(c->ExecScript(sql));
  }

  std::string MacOf(int64_t id) {
    auto c = pool_->Acquire();
    EXPECT_TRUE(c.ok());
    auto r = (*c)->QueryOne("SELECT mac FROM audit_log WHERE id = ?", {id});
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->GetText(0) : "";
  }

  AuditVerifyReport VerifyOrDie() {
    auto rep = audit_->Verify();
    EXPECT_TRUE(rep.ok()) << rep.status().ToString();
    return rep.ok() ? *rep : AuditVerifyReport{};
  }

  KeyRing keys_ = KeyRing::FromMaster(Master());
  ManualClock clock_;
  std::unique_ptr<AuditLog> audit_;
};

TEST_P(AuditTest, EmptyChainVerifies) {
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_TRUE(rep.ok) << rep.reason;
  EXPECT_EQ(rep.checked, 0);
  EXPECT_EQ(rep.head_id, 0);
}

TEST_P(AuditTest, RecordAndVerify) {
  AuditRecord first;
  DB_ASSERT_OK(audit_->Record(Event(1), &first));
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.at_ms, clock_.NowMillis());
  EXPECT_EQ(first.prev_mac, "");
  EXPECT_EQ(first.mac.size(), 64u);
  // The MAC is HMAC-SM3 over the documented canonical encoding.
  EXPECT_EQ(first.mac, HmacSm3Hex(keys_.DeriveKey("audit.hmac", 32), AuditCanonical(first, "")));
  RecordN(9);
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_TRUE(rep.ok) << rep.kind << " " << rep.reason;
  EXPECT_EQ(rep.checked, 10);
  EXPECT_EQ(rep.first_bad_id, 0);
  EXPECT_EQ(rep.head_id, 10);
  EXPECT_EQ(rep.head_mac, MacOf(10));

  // Linkage as stored.
  DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK_AND_ASSIGN(auto rows,
                          c->Query("SELECT id, prev_mac, mac FROM audit_log ORDER BY id"));
  ASSERT_EQ(rows.size(), 10u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].GetInt64(0), static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[i].GetText(1), rows[i - 1].GetText(2));
  }
}

TEST_P(AuditTest, EmptyActionRefused) {
  AuditEvent e = Event(1);
  e.action.clear();
  EXPECT_EQ(audit_->Record(e).code(), Code::kInvalidArgument);
}

TEST_P(AuditTest, TextIsCleanedAndTruncatedBeforeTheMac) {
  AuditEvent e = Event(1);
  e.username = std::string("bad\xff\xfe utf8 \0 nul", 16) + " 😀";
  e.detail = std::string(5000, 'd');
  e.object_id = std::string(300, 'o');
  e.user_id = std::string(70, 'u');
  e.source_ip = "2001:db8::1";
  AuditRecord stored;
  DB_ASSERT_OK(audit_->Record(e, &stored));
  EXPECT_EQ(stored.username, "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD nul 😀");
  EXPECT_EQ(stored.detail.size(), AuditFieldLimits::kDetail);
  EXPECT_EQ(stored.object_id.size(), AuditFieldLimits::kObjectId);
  EXPECT_EQ(stored.user_id.size(), AuditFieldLimits::kUserId);
  AuditEvent cjk = Event(2);
  cjk.username.clear();
  for (int i = 0; i < 200; ++i) cjk.username += "张";
  DB_ASSERT_OK(audit_->Record(cjk, &stored));
  EXPECT_EQ(stored.username.size(), AuditFieldLimits::kUsername * 3);  // code points, not bytes
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_TRUE(rep.ok) << rep.kind << " " << rep.reason;
  int64_t total = 0;
  auto found = audit_->Search({.user_id = std::string(64, 'u')}, &total);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*found)[0].username, "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD nul 😀");
}

TEST_P(AuditTest, EditedFieldDetectedAtThatId) {
  RecordN(6);
  Tamper("UPDATE audit_log SET username = 'someone_else' WHERE id = 3");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 3);
  EXPECT_EQ(rep.kind, "EDITED");
  EXPECT_EQ(rep.checked, 2);
  EXPECT_FALSE(rep.reason.empty());
}

TEST_P(AuditTest, EveryColumnIsCovered) {
  RecordN(4);
  const std::vector<std::string> edits = {
      "at_ms = at_ms + 1", "user_id = 'x'",       "username = 'x'",   "source_ip = '1.2.3.4'",
      "action = 'x'",      "object_type = 'x'",   "object_id = 'x'",  "success = 1 - success",
      "detail = '{}'",     "delegation_id = 'd'", "request_id = 'x'",
  };
  for (const std::string& edit : edits) {
    SCOPED_TRACE(edit);
    DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
    DB_ASSERT_OK_AND_ASSIGN(auto before, c->QueryOne("SELECT * FROM audit_log WHERE id = 2"));
    c.Release();
    Tamper("UPDATE audit_log SET " + edit + " WHERE id = 2");
    AuditVerifyReport rep = VerifyOrDie();
    EXPECT_FALSE(rep.ok);
    EXPECT_EQ(rep.first_bad_id, 2);
    EXPECT_EQ(rep.kind, "EDITED");
    // Restore the row, the chain is whole again.
    std::string restore = "UPDATE audit_log SET ";
    const auto& cols = before->columns();
    DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection w, pool_->Acquire());
    db::Params params;
    for (size_t i = 0; i < cols.size(); ++i) {
      restore += (i ? ", " : "") + cols[i] + " = ?";
      params.push_back(before->at(i));
    }
    params.push_back(int64_t{2});
    DB_ASSERT_OK(w->Exec(restore + " WHERE id = ?", params).status());
    w.Release();
    AuditVerifyReport again = VerifyOrDie();
    EXPECT_TRUE(again.ok) << again.kind << " " << again.reason;
  }
}

TEST_P(AuditTest, DeletedMiddleRowDetected) {
  RecordN(6);
  Tamper("DELETE FROM audit_log WHERE id = 4");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 4);
  EXPECT_EQ(rep.kind, "MISSING");
  EXPECT_EQ(rep.checked, 3);
}

TEST_P(AuditTest, DeletedFirstRowDetected) {
  RecordN(3);
  Tamper("DELETE FROM audit_log WHERE id = 1");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 1);
  EXPECT_EQ(rep.kind, "MISSING");
}

TEST_P(AuditTest, DeletedAndRenumberedRowsDetected) {
  RecordN(6);
  Tamper("DELETE FROM audit_log WHERE id = 3");
  Tamper("UPDATE audit_log SET id = id - 1 WHERE id = 4");
  Tamper("UPDATE audit_log SET id = id - 1 WHERE id = 5");
  Tamper("UPDATE audit_log SET id = id - 1 WHERE id = 6");
  Tamper("UPDATE audit_head SET last_id = 5");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 3);
  EXPECT_EQ(rep.kind, "EDITED");
}

TEST_P(AuditTest, ReorderedRowsDetected) {
  RecordN(5);
  // Swap the contents (with their MACs) of records 2 and 3.
  Tamper("UPDATE audit_log SET id = 100 WHERE id = 2");
  Tamper("UPDATE audit_log SET id = 2 WHERE id = 3");
  Tamper("UPDATE audit_log SET id = 3 WHERE id = 100");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 2);
  EXPECT_EQ(rep.kind, "EDITED");
}

TEST_P(AuditTest, ReplacedRecordChainFromAnotherLogDetected) {
  // A record that is valid in itself but belongs to another chain position:
  // its MAC matches its contents, its link does not.
  RecordN(3);
  AuditRecord r;
  // Build a record with id 2 whose prev_mac is bogus but whose MAC is
  // computed correctly (as only a key holder could): BROKEN_LINK.
  r.id = 2;
  r.at_ms = 5;
  r.action = "x";
  r.prev_mac = std::string(64, '0');
  r.mac = HmacSm3Hex(keys_.DeriveKey("audit.hmac", 32), AuditCanonical(r, r.prev_mac));
  Tamper("DELETE FROM audit_log WHERE id = 2");
  DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
  DB_ASSERT_OK(c->Exec("INSERT INTO audit_log (id, at_ms, user_id, username, source_ip, action, "
                       "object_type, object_id, success, detail, delegation_id, request_id, "
                       "prev_mac, mac) VALUES (2, 5, '', '', '', 'x', '', '', 1, '', '', '', ?, ?)",
                       {r.prev_mac, r.mac})
                   .status());
  c.Release();
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 2);
  EXPECT_EQ(rep.kind, "BROKEN_LINK");
}

TEST_P(AuditTest, DeletedLastRowDetectedByTheHead) {
  RecordN(5);
  Tamper("DELETE FROM audit_log WHERE id = 5");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 5);
  EXPECT_EQ(rep.kind, "TAIL_DELETED");
  EXPECT_EQ(rep.checked, 4);
}

TEST_P(AuditTest, DeletedEverythingDetectedByTheHead) {
  RecordN(3);
  Tamper("DELETE FROM audit_log");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 1);
  EXPECT_EQ(rep.kind, "TAIL_DELETED");
}

TEST_P(AuditTest, RewoundHeadDetected) {
  RecordN(5);
  std::string mac4 = MacOf(4);
  Tamper("DELETE FROM audit_log WHERE id = 5");
  Tamper("UPDATE audit_head SET last_id = 4, last_mac = '" + mac4 + "'");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.kind, "HEAD_EDITED");
  EXPECT_EQ(rep.first_bad_id, 4);
}

TEST_P(AuditTest, HeadPointingAtAnotherMacDetected) {
  RecordN(3);
  Tamper("UPDATE audit_head SET last_mac = '" + std::string(64, 'f') + "'");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.kind, "HEAD_MISMATCH");
  EXPECT_EQ(rep.first_bad_id, 3);
}

TEST_P(AuditTest, ResetHeadDetected) {
  RecordN(3);
  Tamper("UPDATE audit_head SET last_id = 0, last_mac = '', head_mac = ''");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.kind, "HEAD_EDITED");
  Tamper("DELETE FROM audit_head");
  rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.kind, "HEAD_EDITED");
  // Appending refuses to continue without a head.
  EXPECT_EQ(audit_->Record(Event(9)).code(), Code::kDataLoss);
}

TEST_P(AuditTest, ForgedRowWithoutTheKeyDetected) {
  RecordN(3);
  std::string mac3 = MacOf(3);
  Tamper(
      "INSERT INTO audit_log (id, at_ms, user_id, username, source_ip, action, object_type, "
      "object_id, success, detail, delegation_id, request_id, prev_mac, mac) VALUES (4, 1, 'u', "
      "'u', '', 'auth.login', '', '', 1, '', '', '', '" +
      mac3 + "', '" + std::string(64, '1') + "')");
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 4);
  EXPECT_EQ(rep.kind, "EDITED");
}

TEST_P(AuditTest, OtherKeyCannotVerify) {
  RecordN(2);
  KeyRing other = KeyRing::FromMaster(std::string(32, 'b'));
  AuditLog wrong(*pool_, other, clock_);
  auto rep = wrong.Verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(rep->ok);
  EXPECT_EQ(rep->first_bad_id, 1);
  EXPECT_EQ(rep->kind, "EDITED");
}

TEST_P(AuditTest, TamperedChainStillAcceptsAppendsAndStaysBroken) {
  RecordN(3);
  Tamper("UPDATE audit_log SET detail = 'x' WHERE id = 2");
  RecordN(2);
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_id, 2);
}

TEST_P(AuditTest, AppendOnlyTriggersOnSqlite) {
  if (!is_sqlite()) GTEST_SKIP() << "SQLite only (MariaDB: grant INSERT, SELECT only)";
  RecordN(2);
  DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
  EXPECT_FALSE(c->Exec("UPDATE audit_log SET detail = 'x' WHERE id = 1").ok());
  EXPECT_FALSE(c->Exec("DELETE FROM audit_log WHERE id = 2").ok());
  c.Release();
  EXPECT_TRUE(VerifyOrDie().ok);
}

TEST_P(AuditTest, ConcurrentWritersKeepOneChain) {
  // Two AuditLog instances over two pools (as two processes or nodes would),
  // four threads each.
  DB_ASSERT_OK_AND_ASSIGN(auto pool2, OpenPool());
  AuditLog second(*pool2, keys_, Clock::Real());
  AuditLog first(*pool_, keys_, Clock::Real());
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 ? second : first;
      for (int i = 0; i < kPerThread; ++i) {
        AuditEvent e = Event(i);
        e.user_id = "t" + std::to_string(t);
        Status st = log.Record(e);
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.ToString();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_TRUE(rep.ok) << rep.kind << " " << rep.reason;
  EXPECT_EQ(rep.checked, kThreads * kPerThread);
  EXPECT_EQ(rep.head_id, kThreads * kPerThread);
  int64_t total = 0;
  ASSERT_TRUE(audit_->Search({.user_id = "t3", .size = 1}, &total).ok());
  EXPECT_EQ(total, kPerThread);
}

// Many callers on one log: every one returns once its own record is in (a
// lost wake-up of a waiter or of the next writer would hang here), and the
// records form one chain.
TEST_P(AuditTest, GroupCommitWakesEveryCaller) {
  constexpr int kThreads = 16, kPerThread = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        AuditEvent e = Event(i);
        e.user_id = "g" + std::to_string(t);
        if (!audit_->Record(e).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  AuditVerifyReport rep = VerifyOrDie();
  EXPECT_TRUE(rep.ok) << rep.kind << " " << rep.reason;
  EXPECT_EQ(rep.checked, kThreads * kPerThread);
}

TEST_P(AuditTest, VerifyWhileAppending) {
  RecordN(20);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int i = 0; !stop && i < 500; ++i) {
      if (!audit_->Record(Event(i)).ok()) ++failures;
    }
  });
  for (int i = 0; i < 5; ++i) {
    AuditVerifyReport rep = VerifyOrDie();
    EXPECT_TRUE(rep.ok) << rep.kind << " " << rep.reason;
    EXPECT_GE(rep.checked, rep.head_id);
  }
  stop = true;
  writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(VerifyOrDie().ok);
}

TEST_P(AuditTest, SearchFiltersAndPaging) {
  const int64_t t0 = clock_.NowMillis();
  RecordN(12);  // at t0, t0+1s, ... t0+11s; users u1,u2,u0,...; odd = auth.login
  int64_t total = -1;

  auto all = audit_->Search({}, &total);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(total, 12);
  ASSERT_EQ(all->size(), 12u);
  EXPECT_EQ((*all)[0].id, 12);  // newest first
  EXPECT_EQ((*all)[11].id, 1);
  EXPECT_EQ((*all)[0].at_ms, t0 + 11000);
  EXPECT_EQ((*all)[0].username, "admin");
  EXPECT_EQ((*all)[1].username, "张三");
  EXPECT_EQ((*all)[0].detail, R"({"n":12})");
  EXPECT_EQ((*all)[0].request_id, "req12");
  EXPECT_EQ((*all)[0].mac, MacOf(12));

  auto page = audit_->Search({.page = 2, .size = 5}, &total);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(total, 12);
  ASSERT_EQ(page->size(), 5u);
  EXPECT_EQ((*page)[0].id, 7);
  EXPECT_EQ((*page)[4].id, 3);
  page = audit_->Search({.page = 3, .size = 5}, &total);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  page = audit_->Search({.page = 4, .size = 5}, &total);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());
  EXPECT_EQ(total, 12);

  auto by_user = audit_->Search({.user_id = "u1"}, &total);
  ASSERT_TRUE(by_user.ok());
  EXPECT_EQ(total, 4);  // 1, 4, 7, 10
  for (const auto& r : *by_user) EXPECT_EQ(r.user_id, "u1");

  auto by_action = audit_->Search({.action = "auth.login"}, &total);
  ASSERT_TRUE(by_action.ok());
  EXPECT_EQ(total, 6);
  for (const auto& r : *by_action) EXPECT_EQ(r.action, "auth.login");
  EXPECT_TRUE(audit_->Search({.action = "auth"}, &total).ok());
  EXPECT_EQ(total, 0);  // exact match only

  auto failures = audit_->Search({.success = false}, &total);
  ASSERT_TRUE(failures.ok());
  EXPECT_EQ(total, 3);  // 4, 8, 12
  for (const auto& r : *failures) EXPECT_FALSE(r.success);
  ASSERT_TRUE(audit_->Search({.success = true}, &total).ok());
  EXPECT_EQ(total, 9);

  auto window = audit_->Search({.from_ms = t0 + 2000, .to_ms = t0 + 5000}, &total);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(total, 4);  // ids 3..6, bounds inclusive
  EXPECT_EQ(window->front().id, 6);
  EXPECT_EQ(window->back().id, 3);

  auto combined = audit_->Search(
      {.from_ms = t0, .user_id = "u1", .action = "auth.login", .success = true}, &total);
  ASSERT_TRUE(combined.ok());
  EXPECT_EQ(total, 2);  // 1, 7

  auto by_name = audit_->Search({.username = "张三"}, &total);
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(total, 6);  // odd ids
  for (const auto& r : *by_name) EXPECT_EQ(r.username, "张三");

  EXPECT_TRUE(audit_->Search({.size = 3}, nullptr).ok());
  EXPECT_EQ(audit_->Search({.size = 0}, &total).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(audit_->Search({.size = 201}, &total).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(audit_->Search({.page = 0}, &total).status().code(), Code::kInvalidArgument);
  // SQL-looking input is just a value.
  ASSERT_TRUE(audit_->Search({.user_id = "u1' OR '1'='1"}, &total).ok());
  EXPECT_EQ(total, 0);
}

HRSS_INSTANTIATE_DB_TEST(AuditTest);

}  // namespace
}  // namespace hrss::identity
