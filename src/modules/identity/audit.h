// The audit log (等保 2.0: 安全审计). Append-only records of everything that
// matters — logins, logouts, permission/role/scope/delegation changes,
// unmasking, exports, sensitive reads — each with time, user, source
// address, action, object and result.
//
// Tamper evidence: every record stores mac = HMAC-SM3(audit key,
// prev_mac || canonical(record)), so editing, deleting or reordering any
// record breaks the chain from there on; Verify() walks it. There is no API
// that updates or deletes records; retention is at least 6 months (records
// older than the retention may only be archived, never edited).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "modules/identity/keyring.h"

namespace hrss::db {
class Migrator;
}

namespace hrss::identity {

struct AuditEvent {
  std::string user_id;        // empty for anonymous (failed login of unknown user)
  std::string username;       // as typed / as known
  std::string source_ip;
  std::string action;         // e.g. "auth.login", "role.update", "pii.unmask"
  std::string object_type;    // e.g. "user", "role", "person"
  std::string object_id;
  bool success = true;
  std::string detail;         // short JSON object text, never secrets
  std::string delegation_id;  // set when the action used a delegated right
  std::string request_id;
};

struct AuditRecord : AuditEvent {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string mac;  // hex
};

struct AuditQuery {
  std::optional<int64_t> from_ms, to_ms;
  std::string user_id, action;
  std::optional<bool> success;
  int page = 1, size = 20;
};

struct AuditVerifyReport {
  bool ok = true;
  int64_t checked = 0;
  int64_t first_bad_id = 0;  // 0 when ok
  std::string reason;
};

class AuditLog {
 public:
  AuditLog(db::Pool& pool, const KeyRing& keys, Clock& clock);

  // Table audit_log (module "audit").
  static Status RegisterMigrations(db::Migrator& migrator);

  // Appends a record (serialised: the chain has one writer at a time, across
  // processes too). A failure to audit is an error the caller must not
  // ignore for security-relevant actions.
  Status Record(const AuditEvent& event);

  Result<std::vector<AuditRecord>> Search(const AuditQuery& q, int64_t* total);

  // Walks the whole chain and recomputes every MAC.
  Result<AuditVerifyReport> Verify();

 private:
  db::Pool& pool_;
  std::string key_;
  Clock& clock_;
  std::mutex mu_;
};

}  // namespace hrss::identity
