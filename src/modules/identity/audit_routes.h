// HTTP routes of the audit log, for the auditor (permission
// "audit:log:read"; see docs/api/identity.md "Audit"):
//
//   GET /api/v1/audit?from&to&userId&username&action&result&page&size
//     from, to: UTC epoch milliseconds, inclusive bounds on the record time;
//     userId, username, action: exact match (username is an extension of
//     the contract: finds failed logins of unknown accounts, which have no
//     userId); result: "success" | "failure";
//     page >= 1 (default 1), size 1..200 (default 20). Newest first.
//     → {"items":[{id, at, userId, username, ip, action, objectType,
//        objectId, result, detail, delegationId, requestId}], "total", "page",
//        "size"}
//   GET /api/v1/audit/verify
//     → {"ok", "checked", "headId", "recorded", "firstBadId"?, "kind"?,
//        "reason"?} (kind: AuditVerifyReport::kind; recorded: whether this
//        verification could itself be audited — answered even when not,
//        since a damaged chain may refuse appends)
//
// A malformed parameter is 400 INVALID_ARGUMENT with a Chinese message.
// Reading the audit log is itself audited (actions "audit.search" and
// "audit.verify"); if the search cannot be recorded it fails.
#pragma once

#include "core/status.h"
#include "http/message.h"
#include "modules/identity/audit.h"

namespace hrss {
class Platform;
}

namespace hrss::identity {

inline constexpr char kAuditReadPermission[] = "audit:log:read";

// Adds GET /api/v1/audit and GET /api/v1/audit/verify. `audit` must outlive
// the platform's router.
Status RegisterAuditRoutes(Platform& platform, AuditLog& audit);

// Parses the query parameters of GET /api/v1/audit (exposed for tests).
Result<AuditQuery> ParseAuditQuery(const http::Request& req);

}  // namespace hrss::identity
