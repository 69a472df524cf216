// Data permissions (数据权限), decoupled from function permissions.
//
// A role grants, per business domain, a ScopeGrant: all records, an org
// subtree, the holder's own org, the holder's own records, or an explicit
// list of orgs. When a user signs in, the grants of all their roles (and of
// delegations they received) are resolved against the org tree into one
// DataScope per domain: the UNION of that domain's grants only — a broad
// grant in `shebao` never widens `jubao`, and a domain no role mentions
// allows nothing (deny by default).
//
// How a module uses it (the only sanctioned way to filter by scope):
//
//   const identity::UserPrincipal* me = identity::CurrentUser(req);
//   const identity::DataScope& scope = me->ScopeFor("shebao");
//
//   // 1. Lists: append the rendered predicate to the WHERE clause.
//   identity::SqlFilter f = scope.Where({.org = "p.org_id", .owner = "p.created_by",
//                                        .division = "p.township_code"});
//   std::string sql = "SELECT ... FROM sb_person p WHERE p.status = ? AND " + f.sql;
//   db::Params params = {status};
//   params.insert(params.end(), f.params.begin(), f.params.end());
//
//   // 2. Reads by id (no IDOR): load the row, then check it; answer 404
//   //    (not 403) when it lies outside, so ids cannot be probed.
//   if (!scope.Allows(row.org_id, row.created_by)) return NotFound();
//   // or, for records keyed by township: scope.AllowsDivision(row.township)
//
// A scope matches a record when ANY of its parts does: all; the record's org
// is in org_ids(); the record's division code is covered by division_codes()
// (a 9-digit township code matches exactly, a 6-digit county code matches
// every division under it); the record's owner is in owner_ids(). Division
// codes come from the orgs in scope that stand for an area: township service
// stations (9-digit code) and the bureau (county code); departments and units
// own records by org id only. A part the
// caller gives no column for matches nothing (fails closed): a `self` scope
// with no `owner` column denies everything.
//
// DataScope values are immutable after resolution and owned by the request's
// Principal, so no scope "context" is shared between concurrent requests.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/value.h"

namespace hrss::identity {

// The business domains a scope is given for.
struct ScopeDomain {
  std::string_view domain;
  std::string_view name;
};
// jubao 居保, shebao 社保, jibao 机保, jiuye 就业, jiancha 劳动监察, dangan 档案,
// renshi 人事, system 账号与机构 (which users/orgs an administrator manages).
const std::vector<ScopeDomain>& ScopeDomains();
bool IsScopeDomain(std::string_view domain);

enum class ScopeKind { kAll, kOrgSubtree, kOwnOrg, kSelf, kList };
std::string_view ScopeKindName(ScopeKind k);
Result<ScopeKind> ParseScopeKind(std::string_view name);

// What a role or a delegation grants in one domain. org_ids: the subtree
// roots for kOrgSubtree, the orgs for kList; unused otherwise.
struct ScopeGrant {
  std::string domain;
  ScopeKind kind = ScopeKind::kSelf;
  std::vector<int64_t> org_ids;
};

// A parameterised SQL predicate: `sql` has `?` for each of `params`.
struct SqlFilter {
  std::string sql;
  db::Params params;
};

// Column names (trusted identifiers from the module's code, never from a
// request) a predicate is rendered for; empty = the table has no such column.
struct ScopeColumns {
  std::string_view org;       // owning org id (BIGINT)
  std::string_view owner;     // owning/creating user id (BIGINT)
  std::string_view division;  // township (9-digit) or county (6-digit) code (TEXT)
};

class OrgTree;

// The resolved scope of one user in one domain.
class DataScope {
 public:
  DataScope() = default;  // nothing
  static DataScope All();

  bool all() const { return all_; }
  bool empty() const { return !all_ && org_ids_.empty() && owner_ids_.empty(); }
  const std::set<int64_t>& org_ids() const { return org_ids_; }
  const std::set<std::string>& division_codes() const { return division_codes_; }
  const std::set<int64_t>& owner_ids() const { return owner_ids_; }

  // One record: true when its org or its owner lies within the scope.
  // Pass 0 for an unknown org/owner.
  bool Allows(int64_t org_id, int64_t owner_user_id = 0) const;
  // A record keyed by division code (e.g. a citizen's township).
  bool AllowsDivision(std::string_view division_code) const;
  // Every org in `orgs` lies within the scope (owner parts do not count).
  bool CoversOrgs(const std::set<int64_t>& orgs) const;
  // `other` is no wider than this scope.
  bool Covers(const DataScope& other) const;

  // Predicate for the given columns ("1=1" for all, "1=0" for nothing).
  SqlFilter Where(const ScopeColumns& cols) const;

  // Adds `grant` resolved for a holder in org `holder_org` with user id
  // `holder_id` against `tree` (union).
  void Add(const ScopeGrant& grant, const OrgTree& tree, int64_t holder_org, int64_t holder_id);
  void Union(const DataScope& other);

 private:
  void AddOrg(int64_t org, const OrgTree& tree);

  bool all_ = false;
  std::set<int64_t> org_ids_;
  std::set<std::string> division_codes_;
  std::set<int64_t> owner_ids_;
};

// Validates a grant's shape (known domain, org ids present for subtree/list
// and existing in `tree`). INVALID_ARGUMENT otherwise.
Status ValidateGrant(const ScopeGrant& g, const OrgTree& tree);

// "1,2,3" <-> {1,2,3} (storage of org id lists).
std::string JoinIds(const std::vector<int64_t>& ids);
std::vector<int64_t> SplitIds(std::string_view text);

}  // namespace hrss::identity
