// The audit log (等保 2.0: 安全审计). Append-only records of everything that
// matters — logins, logouts, permission/role/scope/delegation changes,
// unmasking, exports, sensitive reads — each with time, user, source
// address, action, object and result.
//
// Tamper evidence: every record stores mac = HMAC-SM3(audit key,
// canonical(prev_mac, record)), so editing, deleting or reordering any
// record breaks the chain from there on; Verify() walks it. There is no API
// that updates or deletes records; retention is at least 6 months (records
// older than the retention may only be archived, never edited). Nothing in
// the code base deletes audit records; SecurityConfig::audit_retention_days
// is the minimum an archiving job (not written yet) must keep online.
//
// Tables (migration module "audit"):
//   audit_log  (id, at_ms, user_id, username, source_ip, action, object_type,
//               object_id, success, detail, delegation_id, request_id,
//               prev_mac, mac), indexes (at_ms), (user_id, at_ms),
//               (action, at_ms), (username, at_ms). On SQLite, triggers
//               refuse UPDATE and DELETE of audit_log rows (defence in
//               depth; in production on MariaDB grant the application
//               account only INSERT and SELECT on audit_log).
//   audit_head (one row, id = 1: last_id, last_mac, head_mac): the chain's
//               running head, updated in the same transaction as each
//               insert. head_mac = HMAC-SM3(key, LP("hrss.audit-head.v1") ||
//               LP(last_id) || LP(last_mac)).
//
// Ids are chain sequence numbers assigned by Record() as last_id + 1 under
// the head lock — not AUTO_INCREMENT, whose values skip on rollback and on
// Galera (auto_increment_increment = cluster size) — so a missing id is
// always a deleted record.
//
// Canonical encoding (the MAC input). LP(x) = 4-byte big-endian length of
// x, then the bytes of x. Integers are decimal ASCII, success is "1"/"0",
// MACs are 64 lower-case hex digits ("" for the first record's prev_mac):
//   LP("hrss.audit.v1") || LP(prev_mac) || LP(id) || LP(at_ms) ||
//   LP(user_id) || LP(username) || LP(source_ip) || LP(action) ||
//   LP(object_type) || LP(object_id) || LP(success) || LP(detail) ||
//   LP(delegation_id) || LP(request_id)
//   mac = hex(HMAC-SM3(KeyRing::DeriveKey("audit.hmac", 32), canonical))
// Text fields are stored exactly as MAC'ed: Record() first replaces invalid
// UTF-8 and NUL with U+FFFD and truncates each field to its column length
// (AuditFieldLimits, in code points).
//
// Serialisation (one writer at a time, across processes and nodes too):
// Record() runs in one transaction that first reads the head row — SELECT
// ... FOR UPDATE on MariaDB (a row lock; on Galera two nodes appending at
// once conflict on the head row at certification and WithTransaction
// retries), and under BEGIN IMMEDIATE (the database write lock) on SQLite.
//
// Limitations (documented, by design of a chain kept in the same database):
//   * An attacker with write access to the database and knowledge of this
//     scheme who deletes the newest records AND rewinds audit_head to an
//     older head (values readable from the table; head_mac from an old
//     backup or snapshot) is not detected from the database alone, nor is
//     wiping both tables back to the empty state. Anchor the head
//     externally (record `hrss audit verify` output, which prints the head,
//     or ship it to a separate log system) to close that gap.
//   * Anyone holding the key file can forge a consistent chain: the key file
//     must stay outside the database and its backups.
#pragma once

#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "modules/identity/keyring.h"

namespace hrss::db {
class Migrator;
}
namespace hrss::http {
struct Request;
}

namespace hrss::identity {

struct AuditEvent {
  std::string user_id;   // empty for anonymous (failed login of unknown user)
  std::string username;  // as typed / as known
  std::string source_ip;
  std::string action;       // e.g. "auth.login", "role.update", "pii.unmask"
  std::string object_type;  // e.g. "user", "role", "person"
  std::string object_id;
  bool success = true;
  std::string detail;         // short JSON object text, never secrets
  std::string delegation_id;  // set when the action used a delegated right
  std::string request_id;
};

// Fills what `e` leaves empty of the request's actor (its principal, if
// any), source address and request id.
void FillFromRequest(const http::Request& req, AuditEvent& e);
// A new event with those filled in; the caller adds what happened.
AuditEvent EventFromRequest(const http::Request& req);

struct AuditRecord : AuditEvent {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string prev_mac;  // hex; "" for the first record
  std::string mac;       // hex
};

// Column lengths in code points; longer values are truncated by Record().
struct AuditFieldLimits {
  static constexpr size_t kUserId = 64;
  static constexpr size_t kUsername = 128;
  static constexpr size_t kSourceIp = 64;
  static constexpr size_t kAction = 64;
  static constexpr size_t kObjectType = 64;
  static constexpr size_t kObjectId = 128;
  static constexpr size_t kDetail = 4000;
  static constexpr size_t kDelegationId = 64;
  static constexpr size_t kRequestId = 64;
};

// Search filters. from_ms/to_ms are inclusive bounds on at_ms; user_id,
// action and username match exactly when non-empty; success filters by
// result. Results come newest first (at_ms DESC, id DESC). page >= 1,
// 1 <= size <= 200.
struct AuditQuery {
  std::optional<int64_t> from_ms, to_ms;
  std::string user_id, action;
  std::optional<bool> success;
  int page = 1, size = 20;
  std::string username;
};

struct AuditVerifyReport {
  bool ok = true;
  int64_t checked = 0;       // records whose MAC and link were checked
  int64_t first_bad_id = 0;  // 0 when ok
  // Machine-readable kind of the first problem ("" when ok):
  //   EDITED        the record's MAC does not match its contents (a field,
  //                 its id or its prev_mac was changed, or it was moved)
  //   MISSING       the record with first_bad_id does not exist (deleted)
  //   BROKEN_LINK   the record is intact but its prev_mac is not the MAC of
  //                 the record before it (records reordered or replaced)
  //   TAIL_DELETED  audit_head says the chain is longer than the table
  //   HEAD_MISMATCH the record audit_head points at has another MAC
  //   HEAD_EDITED   audit_head's own MAC is wrong (or the row is missing)
  std::string kind;
  std::string reason;    // human-readable (Chinese) explanation
  int64_t head_id = 0;   // audit_head at the start of the walk
  std::string head_mac;  // last_mac of audit_head (to anchor externally)
};

// The canonical MAC input of a record (see the file comment).
std::string AuditCanonical(const AuditRecord& r, std::string_view prev_mac);

class AuditLog {
 public:
  AuditLog(db::Pool& pool, const KeyRing& keys, Clock& clock);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Tables audit_log and audit_head (module "audit").
  static Status RegisterMigrations(db::Migrator& migrator);

  // Appends a record (serialised: the chain has one writer at a time, across
  // processes too). A failure to audit is an error the caller must not
  // ignore for security-relevant actions. `out`, when given, receives the
  // stored record (with id, time and MAC).
  Status Record(const AuditEvent& event, AuditRecord* out = nullptr);

  // Records matching `q`, one page; `total` (may be null) receives the
  // number of all matching records. INVALID_ARGUMENT for a bad page/size.
  Result<std::vector<AuditRecord>> Search(const AuditQuery& q, int64_t* total);

  // Walks the whole chain in id order and recomputes every MAC; stops at the
  // first problem. A broken chain is a report with ok = false, not an error;
  // errors are for storage failures.
  Result<AuditVerifyReport> Verify();

 private:
  std::string Mac(const AuditRecord& r, std::string_view prev_mac) const;
  std::string HeadMac(int64_t last_id, std::string_view last_mac) const;

  struct Pending;
  // Appends `batch` in one transaction (chain order = batch order).
  Status AppendBatch(const std::vector<Pending*>& batch);

  db::Pool& pool_;
  std::string key_;
  Clock& clock_;
  // Group commit: Record() queues its record; whichever caller finds no
  // append in progress becomes the writer and appends everything queued in
  // one transaction, then wakes the others. Each caller still returns only
  // after its own record is committed (or with the batch's error), so the
  // guarantee is unchanged; under load (e.g. 360° views, each audited) the
  // chain's single-writer cost is paid once per batch instead of per record.
  // Each waiting caller sleeps on its own condition variable: a finished
  // batch wakes its own callers and the next writer only, not every waiter
  // (with 16 workers a shared one woke ~15 threads per commit, most of them
  // to sleep again).
  std::mutex mu_;
  std::vector<Pending*> queue_;  // GUARDED_BY(mu_)
  bool writing_ = false;         // GUARDED_BY(mu_)
  size_t last_batch_ = 0;         // GUARDED_BY(mu_)
  // When the previous commit carried more than one record (the log is
  // busy), the next writer waits this long before taking the queue, so that
  // records arriving meanwhile share its commit. Each commit invalidates the
  // page cache of every other SQLite connection (WAL), so fewer, larger
  // commits make audited reads (360° views) much cheaper: bench/person360
  // 3,600 → 4,500 requests/s, p99 27 → 21 ms. A lone record never waits.
  // HRSS_AUDIT_LINGER_US overrides (0 turns it off).
  int linger_us_ = 500;
};

}  // namespace hrss::identity
