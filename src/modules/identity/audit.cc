#include "modules/identity/audit.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <limits>
#include <string>
#include <utility>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "db/migrate.h"
#include "db/transaction.h"
#include "http/message.h"
#include "http/principal.h"

namespace hrss::identity {

void FillFromRequest(const http::Request& req, AuditEvent& e) {
  if (e.source_ip.empty()) e.source_ip = req.remote_addr;
  if (e.request_id.empty()) e.request_id = req.request_id;
  if (req.principal) {
    if (e.user_id.empty()) e.user_id = std::string(req.principal->user_id());
    if (e.username.empty()) e.username = std::string(req.principal->username());
  }
}

AuditEvent EventFromRequest(const http::Request& req) {
  AuditEvent e;
  FillFromRequest(req, e);
  return e;
}

namespace {

constexpr char kRecordTag[] = "hrss.audit.v1";
constexpr char kHeadTag[] = "hrss.audit-head.v1";
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr int kMaxPage = 1'000'000;

constexpr char kColumns[] =
    "id, at_ms, user_id, username, source_ip, action, object_type, object_id, success, detail, "
    "delegation_id, request_id, prev_mac, mac";

void AppendLp(std::string* out, std::string_view field) {
  uint32_t n = static_cast<uint32_t>(field.size());
  out->push_back(static_cast<char>((n >> 24) & 0xff));
  out->push_back(static_cast<char>((n >> 16) & 0xff));
  out->push_back(static_cast<char>((n >> 8) & 0xff));
  out->push_back(static_cast<char>(n & 0xff));
  out->append(field);
}

// Length in bytes of the UTF-8 sequence starting with `lead`, or 0.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Well-formed UTF-8 without NUL, at most `max_chars` code points: invalid
// bytes and NUL become U+FFFD, the rest is cut at a code point boundary.
std::string CleanText(std::string_view in, size_t max_chars) {
  std::string out;
  out.reserve(in.size() < 256 ? in.size() : 256);
  size_t chars = 0;
  size_t i = 0;
  while (i < in.size() && chars < max_chars) {
    size_t n = SequenceLength(static_cast<unsigned char>(in[i]));
    if (n == 1 && in[i] != '\0') {
      out.push_back(in[i]);
      i += 1;
    } else if (n > 1 && i + n <= in.size() && IsValidUtf8(in.substr(i, n))) {
      out.append(in.substr(i, n));
      i += n;
    } else {
      out.append(kReplacement);
      i += 1;
    }
    ++chars;
  }
  return out;
}

AuditRecord FromRow(const db::Row& r) {
  AuditRecord a;
  a.id = r.GetInt64(0);
  a.at_ms = r.GetInt64(1);
  a.user_id = r.GetText(2);
  a.username = r.GetText(3);
  a.source_ip = r.GetText(4);
  a.action = r.GetText(5);
  a.object_type = r.GetText(6);
  a.object_id = r.GetText(7);
  a.success = r.GetInt64(8) != 0;
  a.detail = r.GetText(9);
  a.delegation_id = r.GetText(10);
  a.request_id = r.GetText(11);
  a.prev_mac = r.GetText(12);
  a.mac = r.GetText(13);
  return a;
}

constexpr char kSqliteSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS audit_log (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  user_id       VARCHAR(64) NOT NULL,
  username      VARCHAR(128) NOT NULL,
  source_ip     VARCHAR(64) NOT NULL,
  action        VARCHAR(64) NOT NULL,
  object_type   VARCHAR(64) NOT NULL,
  object_id     VARCHAR(128) NOT NULL,
  success       INTEGER NOT NULL,
  detail        TEXT NOT NULL,
  delegation_id VARCHAR(64) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  prev_mac      VARCHAR(64) NOT NULL,
  mac           VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_log_at ON audit_log (at_ms);
CREATE INDEX IF NOT EXISTS ix_audit_log_user_at ON audit_log (user_id, at_ms);
CREATE INDEX IF NOT EXISTS ix_audit_log_action_at ON audit_log (action, at_ms);
CREATE INDEX IF NOT EXISTS ix_audit_log_username_at ON audit_log (username, at_ms);
CREATE TABLE IF NOT EXISTS audit_head (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_id  INTEGER NOT NULL,
  last_mac VARCHAR(64) NOT NULL,
  head_mac VARCHAR(64) NOT NULL
);
INSERT OR IGNORE INTO audit_head (id, last_id, last_mac, head_mac) VALUES (1, 0, '', '');
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
)sql";

// Every statement is idempotent (MariaDB commits DDL one by one).
constexpr char kMariaDbSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS audit_log (
  id            BIGINT NOT NULL PRIMARY KEY,
  at_ms         BIGINT NOT NULL,
  user_id       VARCHAR(64) NOT NULL,
  username      VARCHAR(128) NOT NULL,
  source_ip     VARCHAR(64) NOT NULL,
  action        VARCHAR(64) NOT NULL,
  object_type   VARCHAR(64) NOT NULL,
  object_id     VARCHAR(128) NOT NULL,
  success       TINYINT NOT NULL,
  detail        TEXT NOT NULL,
  delegation_id VARCHAR(64) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  prev_mac      VARCHAR(64) NOT NULL,
  mac           VARCHAR(64) NOT NULL,
  KEY ix_audit_log_at (at_ms),
  KEY ix_audit_log_user_at (user_id, at_ms),
  KEY ix_audit_log_action_at (action, at_ms),
  KEY ix_audit_log_username_at (username, at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS audit_head (
  id       BIGINT NOT NULL PRIMARY KEY,
  last_id  BIGINT NOT NULL,
  last_mac VARCHAR(64) NOT NULL,
  head_mac VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO audit_head (id, last_id, last_mac, head_mac) VALUES (1, 0, '', '');
)sql";

}  // namespace

std::string AuditCanonical(const AuditRecord& r, std::string_view prev_mac) {
  std::string out;
  out.reserve(128 + r.detail.size() + r.username.size());
  AppendLp(&out, kRecordTag);
  AppendLp(&out, prev_mac);
  AppendLp(&out, std::to_string(r.id));
  AppendLp(&out, std::to_string(r.at_ms));
  AppendLp(&out, r.user_id);
  AppendLp(&out, r.username);
  AppendLp(&out, r.source_ip);
  AppendLp(&out, r.action);
  AppendLp(&out, r.object_type);
  AppendLp(&out, r.object_id);
  AppendLp(&out, r.success ? "1" : "0");
  AppendLp(&out, r.detail);
  AppendLp(&out, r.delegation_id);
  AppendLp(&out, r.request_id);
  return out;
}

AuditLog::AuditLog(db::Pool& pool, const KeyRing& keys, Clock& clock)
    : pool_(pool), key_(keys.DeriveKey("audit.hmac", kSm3Size)), clock_(clock) {
  if (const char* e = std::getenv("HRSS_AUDIT_LINGER_US"); e != nullptr && *e != '\0') {
    linger_us_ = std::clamp(std::atoi(e), 0, 20000);
  }
}

AuditLog::~AuditLog() { SecureWipe(&key_); }

Status AuditLog::RegisterMigrations(db::Migrator& migrator) {
  return migrator.Register({
      .module = "audit",
      .version = 1,
      .name = "audit log with HMAC-SM3 chain",
      .sqlite_sql = kSqliteSchema,
      .mariadb_sql = kMariaDbSchema,
  });
}

std::string AuditLog::Mac(const AuditRecord& r, std::string_view prev_mac) const {
  return HmacSm3Hex(key_, AuditCanonical(r, prev_mac));
}

std::string AuditLog::HeadMac(int64_t last_id, std::string_view last_mac) const {
  std::string data;
  AppendLp(&data, kHeadTag);
  AppendLp(&data, std::to_string(last_id));
  AppendLp(&data, last_mac);
  return HmacSm3Hex(key_, data);
}

struct AuditLog::Pending {
  AuditRecord record;
  Status status;
  bool done = false;
  std::condition_variable cv;  // signalled when done, or to become the writer
};

Status AuditLog::Record(const AuditEvent& event, AuditRecord* out) {
  AuditRecord r;
  r.user_id = CleanText(event.user_id, AuditFieldLimits::kUserId);
  r.username = CleanText(event.username, AuditFieldLimits::kUsername);
  r.source_ip = CleanText(event.source_ip, AuditFieldLimits::kSourceIp);
  r.action = CleanText(event.action, AuditFieldLimits::kAction);
  r.object_type = CleanText(event.object_type, AuditFieldLimits::kObjectType);
  r.object_id = CleanText(event.object_id, AuditFieldLimits::kObjectId);
  r.success = event.success;
  r.detail = CleanText(event.detail, AuditFieldLimits::kDetail);
  r.delegation_id = CleanText(event.delegation_id, AuditFieldLimits::kDelegationId);
  r.request_id = CleanText(event.request_id, AuditFieldLimits::kRequestId);
  if (r.action.empty()) return Status::InvalidArgument("audit event without an action");

  Pending p;
  p.record = std::move(r);
  std::unique_lock lock(mu_);
  queue_.push_back(&p);
  while (!p.done) {
    if (writing_) {
      p.cv.wait(lock);
      continue;
    }
    writing_ = true;
    if (linger_us_ > 0 && last_batch_ > 1) {
      // Let records arriving in the next moment join this commit.
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(linger_us_));
      lock.lock();
    }
    std::vector<Pending*> batch;
    batch.swap(queue_);
    lock.unlock();
    Status st = AppendBatch(batch);
    lock.lock();
    last_batch_ = batch.size();
    // Notified under the lock: a caller frees its Pending only after it
    // has seen done, which needs the lock.
    for (Pending* q : batch) {
      q->status = st;
      q->done = true;
      if (q != &p) q->cv.notify_one();
    }
    writing_ = false;
    // The oldest record that came in meanwhile: its caller writes the next
    // batch.
    if (!queue_.empty()) queue_.front()->cv.notify_one();
  }
  lock.unlock();
  if (!p.status.ok()) {
    log::Error("audit.record_failed", {{"action", p.record.action}, {"error", p.status.ToString()}});
    return p.status.WithContext("audit");
  }
  if (out != nullptr) *out = std::move(p.record);
  return Status::Ok();
}

Status AuditLog::AppendBatch(const std::vector<Pending*>& batch) {
  const bool sqlite = pool_.dialect() == db::Dialect::kSqlite;
  return db::WithTransaction(
      pool_,
      [&](db::Connection& c) -> Status {
        auto head =
            c.QueryOne(sqlite ? "SELECT last_id, last_mac FROM audit_head WHERE id = 1"
                              : "SELECT last_id, last_mac FROM audit_head WHERE id = 1 FOR UPDATE");
        if (!head.ok()) return head.status();
        if (!head->has_value()) {
          return Status::DataLoss("audit_head row is missing: the audit log was tampered with");
        }
        const int64_t first_last_id = (*head)->GetInt64(0);
        int64_t last_id = first_last_id;
        std::string prev_mac = (*head)->GetText(1);
        const int64_t now = clock_.NowMillis();
        for (Pending* q : batch) {
          AuditRecord& r = q->record;
          r.prev_mac = prev_mac;
          r.id = last_id + 1;
          r.at_ms = now;
          r.mac = Mac(r, r.prev_mac);
          auto ins = c.Exec(
              "INSERT INTO audit_log (id, at_ms, user_id, username, source_ip, action, "
              "object_type, object_id, success, detail, delegation_id, request_id, prev_mac, mac) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.id, r.at_ms, r.user_id, r.username, r.source_ip, r.action, r.object_type,
               r.object_id, r.success, r.detail, r.delegation_id, r.request_id, r.prev_mac,
               r.mac});
          if (!ins.ok()) return ins.status();
          last_id = r.id;
          prev_mac = r.mac;
        }
        auto upd = c.Exec(
            "UPDATE audit_head SET last_id = ?, last_mac = ?, head_mac = ? "
            "WHERE id = 1 AND last_id = ?",
            {last_id, prev_mac, HeadMac(last_id, prev_mac), first_last_id});
        if (!upd.ok()) return upd.status();
        if (*upd != 1) return Status::Internal("audit_head changed during the append");
        return Status::Ok();
      },
      /*max_attempts=*/8);
}

Result<std::vector<AuditRecord>> AuditLog::Search(const AuditQuery& q, int64_t* total) {
  if (q.page < 1 || q.page > kMaxPage) {
    return Status::InvalidArgument("page 须为 1–" + std::to_string(kMaxPage) + " 的整数");
  }
  if (q.size < 1 || q.size > 200) return Status::InvalidArgument("size 须为 1–200 的整数");
  std::string where;
  db::Params params;
  auto add = [&](const char* clause, db::Value v) {
    where += where.empty() ? " WHERE " : " AND ";
    where += clause;
    params.push_back(std::move(v));
  };
  if (q.from_ms) add("at_ms >= ?", *q.from_ms);
  if (q.to_ms) add("at_ms <= ?", *q.to_ms);
  if (!q.user_id.empty()) add("user_id = ?", q.user_id);
  if (!q.action.empty()) add("action = ?", q.action);
  if (!q.username.empty()) add("username = ?", q.username);
  if (q.success) add("success = ?", *q.success);

  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  if (total != nullptr) {
    HRSS_ASSIGN_OR_RETURN(auto count,
                          conn->QueryOne("SELECT COUNT(*) AS n FROM audit_log" + where, params));
    *total = count.has_value() ? count->GetInt64(0) : 0;
  }
  db::Params page_params = params;
  page_params.push_back(int64_t{q.size});
  page_params.push_back(static_cast<int64_t>(q.page - 1) * q.size);
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn->Query(std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                                        " ORDER BY at_ms DESC, id DESC LIMIT ? OFFSET ?",
                                    page_params));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

Result<AuditVerifyReport> AuditLog::Verify() {
  AuditVerifyReport rep;
  auto fail = [&rep](int64_t id, const char* kind, std::string reason) {
    rep.ok = false;
    rep.first_bad_id = id;
    rep.kind = kind;
    rep.reason = std::move(reason);
  };

  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  // The head first: every record up to it is committed (same transaction),
  // so the walk below must reach it, whatever is appended meanwhile.
  HRSS_ASSIGN_OR_RETURN(
      auto head, conn->QueryOne("SELECT last_id, last_mac, head_mac FROM audit_head WHERE id = 1"));
  std::string head_mac;
  if (head.has_value()) {
    rep.head_id = head->GetInt64(0);
    rep.head_mac = head->GetText(1);
    head_mac = head->GetText(2);
  }

  int64_t prev_id = 0;
  std::string prev_mac;  // "" before the first record
  bool stopped = false;
  const std::string id_s = "记录 ";
  Status walk = conn->QueryEach(
      std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id", {},
      [&](const db::Row& row) -> Status {
        AuditRecord r = FromRow(row);
        const int64_t expected = prev_id + 1;
        if (r.id < expected) {
          fail(r.id, "EDITED", id_s + std::to_string(r.id) + " 的编号不在链中（伪造的记录）");
        } else if (r.id != expected) {
          fail(expected, "MISSING",
               id_s + std::to_string(expected) +
                   (r.id - expected > 1 ? " 至 " + std::to_string(r.id - 1) : std::string()) +
                   " 缺失（已被删除）；日志在 " + std::to_string(r.id) + " 处继续");
        } else if (!ConstantTimeEquals(Mac(r, r.prev_mac), r.mac)) {
          fail(r.id, "EDITED",
               id_s + std::to_string(r.id) + " 的校验码与内容不符（记录被篡改或被移动）");
        } else if (r.prev_mac != prev_mac) {
          fail(r.id, "BROKEN_LINK",
               id_s + std::to_string(r.id) +
                   " 未链接到前一条记录（记录被重排、替换或前序记录被删除）");
        } else if (r.id == rep.head_id && r.mac != rep.head_mac) {
          fail(r.id, "HEAD_MISMATCH",
               id_s + std::to_string(r.id) + " 与链头（audit_head）记载的校验码不符");
        }
        if (!rep.ok) {
          stopped = true;
          return Status::Internal("stop");
        }
        ++rep.checked;
        prev_id = r.id;
        prev_mac = std::move(r.mac);
        return Status::Ok();
      });
  if (!walk.ok() && !stopped) return walk;
  if (!rep.ok) return rep;

  if (!head.has_value()) {
    fail(prev_id + 1, "HEAD_EDITED", "链头（audit_head）缺失");
  } else if (rep.head_id > prev_id) {
    fail(prev_id + 1, "TAIL_DELETED",
         "链头记载最后一条记录为 " + std::to_string(rep.head_id) + "，而日志止于 " +
             std::to_string(prev_id) + "（末尾记录被删除）");
  } else if (rep.head_id == 0 ? !(rep.head_mac.empty() && head_mac.empty())
                              : !ConstantTimeEquals(HeadMac(rep.head_id, rep.head_mac), head_mac)) {
    fail(rep.head_id == 0 ? 1 : rep.head_id, "HEAD_EDITED",
         "链头（audit_head）的校验码不符（链头被篡改）");
  } else if (rep.head_id == 0 && prev_id > 0) {
    // Records but an empty head: appended after we read the head, or the
    // head was reset. Look again.
    HRSS_ASSIGN_OR_RETURN(auto again,
                          conn->QueryOne("SELECT last_id FROM audit_head WHERE id = 1"));
    if (!again.has_value() || again->GetInt64(0) == 0) {
      fail(1, "HEAD_EDITED", "链头（audit_head）被重置，但日志中有记录");
    }
  }
  return rep;
}

}  // namespace hrss::identity
