// What the query part (query_*.cc) shares inside itself: its state, request
// parameter parsing, the visibility and masking policy, and the domain query
// builder used by both the list route and exports. Not for other parts,
// except PersonVisiblePredicate (the conflict routes of collect_routes.cc).
//
// Visibility of a person (decided here, used by search, 360°, unmask):
//   a person is visible to a caller when, for at least one business domain
//   in which the person has a live source record (dc_person_source.src_system
//   names the domain: jubao shebao jibao jiuye jiancha), the caller's scope
//   in that domain covers the person's township (dc_person.division_code).
//   So a 竹阳 clerk (jubao/shebao/jiuye scoped to 竹阳街道) never finds a
//   白塔 resident, and a county-wide scope in one domain does not reveal
//   persons known only to another domain. Persons outside answer 404 by id
//   and are absent from search results.
// A section of a 360° view belongs to one domain per row (the row's
// `domain`); rows of a domain whose scope does not cover the person's
// (unit's) township are left out and the domain is listed in `restricted`.
//
// Masking (DOMAIN.md, core/masking.h), applied on the server to everything
// this part returns, exports included:
//   * ID numbers and mobile numbers: always masked (5117************18,
//     138****5678); the clear value only through POST /api/v1/pii/unmask
//     (object type "dc_person", fields "idNumber" / "mobile"), which checks
//     pii:unmask, a reason and re-authentication, and audits.
//   * names: clear for a caller whose scope covers the person in a domain of
//     the row being shown (they handle that person's business), else 张*.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "db/value.h"
#include "http/message.h"
#include "modules/datacenter/services.h"
#include "modules/identity/principal.h"

namespace hrss::datacenter::query {

inline constexpr const char* kPersonRead = "datacenter:person:read";
inline constexpr const char* kUnitRead = "datacenter:unit:read";
inline constexpr const char* kExportRequest = "datacenter:export:request";
inline constexpr const char* kExportApprove = "datacenter:export:approve";
// Routes reachable with one of several keys carry this implicit key and
// check the real ones in the handler.
inline constexpr const char* kQueryEntry = "self:datacenter-query";

// The seven business domains, in display order.
const std::vector<std::string>& BusinessDomains();
// The function permission that reads a domain ("jiancha" → jiancha:case:read).
std::string DomainReadKey(std::string_view domain);
// Chinese name of a township / county code, "" when unknown.
std::string DivisionName(std::string_view code);

// --- Request parameters. Errors are INVALID_ARGUMENT naming the field.
// An integer query parameter in [lo, hi]; `def` when absent or empty.
Result<int64_t> IntParam(const http::Request& req, std::string_view name, int64_t def, int64_t lo,
                         int64_t hi);
// A positive numeric path parameter (ids).
Result<int64_t> IdParam(const http::Request& req, std::string_view name);
// Optional text query parameter, at most `max_bytes`, valid UTF-8, trimmed.
Result<std::string> TextParam(const http::Request& req, std::string_view name, size_t max_bytes);

// Full-width ASCII → ASCII, U+3000 → ' ', then trimmed.
std::string HalfWidthTrim(std::string_view utf8);
// "2024-01", "202401", "2024/1" → 202401; nullopt when not a valid month.
std::optional<int64_t> ParsePeriod(std::string_view s);
// "1980-03-05", "19800305", "1980/3/5", "1980.3.5" → "1980-03-05".
std::optional<std::string> ParseDate(std::string_view s);
// A citizen ID in any dirty form (15/18 digits, lower x, full-width, inner
// spaces) → canonical 18; nullopt when it is not a valid ID.
std::optional<std::string> NormalizePersonId(std::string_view raw, const Clock& clock);

// --- Visibility and masking.
// True when the caller's scope in one of `domains` covers `division`.
bool ScopeCoversAny(const identity::UserPrincipal& me, const std::vector<std::string>& domains,
                    std::string_view division);
// The domains (of BusinessDomains()) whose scope does not cover `division`.
std::vector<std::string> RestrictedDomains(const identity::UserPrincipal& me,
                                           std::string_view division);
// "(t.domain = ? AND <scope of that domain on t.division_code>) OR ..." over
// `domains`; "1=0" when no domain allows anything.
struct SqlPart {
  std::string sql;
  db::Params params;
};
SqlPart DomainScopePredicate(const identity::UserPrincipal& me,
                             const std::vector<std::string>& domains, std::string_view alias);
// The person-visibility rule above as a SQL predicate over a dc_person
// alias (`alias`.id, `alias`.division_code): true when, for a business
// domain in which the person has a live source record, the caller's scope
// in that domain covers the person's township; "1=0" when no scope allows
// anything. Also used by the collection part's conflict routes.
SqlPart PersonVisiblePredicate(const identity::UserPrincipal& me, std::string_view alias);
// "?,?,?" for n values.
std::string Placeholders(size_t n);
std::string ShownName(bool clear, std::string_view name);

// --- Domain queries (GET /domain/{domain} and exports).
struct DomainFilters {
  std::string entity;    // "" = the domain's default entity
  std::string division;  // 9-digit township code or ""
  std::string from, to;  // as given (periods or dates, by entity)
  std::string q;         // ID number, name, case number ...
};
// Validates `f` for `domain` (INVALID_ARGUMENT naming the field).
Status ValidateDomainFilters(std::string_view domain, const DomainFilters& f, const Clock& clock);
struct DomainPage {
  boost::json::array items;
  int64_t total = 0;
  bool total_capped = false;
  std::vector<std::string> columns;  // JSON keys in order (for exports)
  std::vector<std::string> labels;   // Chinese column titles
};
// One page (offset/limit) of `domain` rows visible to `me`, masked. With
// count_cap > 0 the total is counted up to count_cap (then total_capped).
Result<DomainPage> RunDomainQuery(db::Pool& pool, const Clock& clock,
                                  const identity::UserPrincipal& me, std::string_view domain,
                                  const DomainFilters& f, int64_t offset, int64_t limit,
                                  int64_t count_cap);

// --- Routes of each file.
Status AddPersonRoutes(const Services& s);
Status AddUnitRoutes(const Services& s);
Status AddDomainRoutes(const Services& s);
Status AddExportRoutes(const Services& s);

// Audits an event of the caller of `req` (action, object, detail JSON).
Status AuditRequest(const Services& s, const http::Request& req, std::string action,
                    std::string object_type, std::string object_id, boost::json::object detail,
                    bool success = true);

}  // namespace hrss::datacenter::query
