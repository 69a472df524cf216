#include "modules/identity/access.h"

#include <algorithm>

#include "modules/identity/password.h"

namespace hrss::identity {

void AddRoles(const std::vector<Role>& roles, const OrgTree& tree, int64_t holder_org,
              int64_t holder_id, PrincipalData* d) {
  for (const auto& r : roles) {
    d->roles.push_back({r.id, r.name});
    if (r.admin_kind != AdminKind::kNone && d->admin_kind == AdminKind::kNone) {
      d->admin_kind = r.admin_kind;
    }
    for (const auto& p : r.permissions) d->direct_permissions.insert(p);
    for (const auto& g : r.scopes) {
      d->direct_scopes[g.domain].Add(g, tree, holder_org, holder_id);
      d->effective_scopes[g.domain].Add(g, tree, holder_org, holder_id);
    }
  }
}

Result<PrincipalData> AccessResolver::Direct(const User& u) {
  HRSS_ASSIGN_OR_RETURN(auto tree, orgs_.Tree());
  HRSS_ASSIGN_OR_RETURN(auto roles, roles_.RolesOfUser(u.id));
  PrincipalData d;
  d.user_id = u.id;
  d.username = u.username;
  d.display_name = u.display_name;
  d.org_id = u.org_id;
  if (const Org* o = tree->Find(u.org_id)) {
    d.org_name = o->name;
    d.division_code = o->division_code;
  }
  d.totp_enabled = u.totp_enabled;
  d.password_expires_at_ms = u.password_changed_at + kPasswordMaxAgeMs;
  AddRoles(roles, *tree, u.org_id, u.id, &d);
  return d;
}

Result<ResolvedAccess> AccessResolver::Resolve(const User& u, int64_t now) {
  ResolvedAccess out;
  HRSS_ASSIGN_OR_RETURN(out.data, Direct(u));
  HRSS_ASSIGN_OR_RETURN(auto tree, orgs_.Tree());
  HRSS_ASSIGN_OR_RETURN(auto dels, delegations_.PendingOrActiveFor(u.id, now));
  for (const auto& del : dels) {
    if (del.starts_at > now) {
      out.next_change_at = std::min(out.next_change_at, del.starts_at);
      continue;
    }
    out.next_change_at = std::min(out.next_change_at, del.ends_at);
    HRSS_ASSIGN_OR_RETURN(auto from, users_.FindById(del.from_user_id));
    if (!from || from->status != "active") continue;
    HRSS_ASSIGN_OR_RETURN(PrincipalData giver, Direct(*from));
    ReceivedDelegation rd;
    rd.id = del.id;
    rd.from_user_id = from->id;
    rd.from_username = from->username;
    rd.ends_at_ms = del.ends_at;
    for (const auto& p : del.permissions) {
      // Only while the delegator still holds it directly.
      if (!giver.direct_permissions.count(p)) continue;
      rd.permissions.push_back(p);
      if (!out.data.direct_permissions.count(p) && !out.data.delegated_permissions.count(p)) {
        out.data.delegated_permissions.emplace(p, del.id);
      }
    }
    for (const auto& g : del.scopes) {
      DataScope s;
      s.Add(g, *tree, 0, from->id);
      auto it = giver.direct_scopes.find(g.domain);
      if (it == giver.direct_scopes.end() || !it->second.Covers(s)) continue;
      rd.scopes.push_back(g);
      out.data.effective_scopes[g.domain].Union(s);
    }
    out.data.delegations.push_back(std::move(rd));
  }
  return out;
}

}  // namespace hrss::identity
