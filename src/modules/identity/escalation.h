// Anti-escalation rules (the flaw of well-known admin frameworks: a scoped
// administrator widening a role, granting a role with more rights than
// their own, or binding users outside their scope). Every check answers
// 403 ESCALATION_DENIED naming the offending key/domain/user.
//
//  * Grantable permissions: the caller's own DIRECT permissions (received
//    delegations never count). The security administrator (admin kind
//    `security`) is the grantor of record for the whole catalog: it may put
//    any catalog key on a role without holding it, but never on a role it
//    holds itself and never to itself.
//  * Scopes: a grant's scope, resolved for the holder, must lie within the
//    caller's own direct scope of the same domain (per domain, never "the
//    widest of all"). Relative kinds (own_org, self) are checked when the
//    role is bound to a user and, on role updates, for every current holder.
//  * Users: a caller binds roles only to users inside its `system` scope,
//    and never to itself. A role is managed only while every holder is
//    inside the caller's `system` scope.
//  * Separation of the three administrators: roles with an admin kind are
//    created, changed and granted only by a security administrator, and no
//    user holds two admin kinds.
//  * Delegation: only direct permissions and direct scope, without the
//    security-admin exception (one cannot lend what one does not hold).
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/identity/orgs.h"
#include "modules/identity/principal.h"
#include "modules/identity/roles.h"

namespace hrss::identity {

Status EscalationDenied(std::string message);

bool MayGrantPermission(const UserPrincipal& caller, std::string_view key);

// A role's permissions and absolute scopes (all, org_subtree, list) against
// the caller; `roles_held_by_caller` refuses editing a role the caller holds.
Status CheckRoleWithinCaller(const UserPrincipal& caller, const Role& role, const OrgTree& tree);

// `role` (new content) resolved for each holder lies within the caller.
Status CheckRoleForHolders(const UserPrincipal& caller, const Role& role,
                           const std::vector<Holder>& holders, const OrgTree& tree);

// Binding exactly `roles` to `target_id` (in `target_org`).
Status CheckGrant(const UserPrincipal& caller, int64_t target_id, int64_t target_org,
                  const std::vector<Role>& roles, const OrgTree& tree);

// CONFLICT (ADMIN_SEPARATION) when `roles` carry two admin kinds.
Status CheckAdminSeparation(const std::vector<Role>& roles);

// A delegation of `perms` and `scopes` by `caller`.
Status CheckDelegation(const UserPrincipal& caller, const std::vector<std::string>& perms,
                       const std::vector<ScopeGrant>& scopes, const OrgTree& tree);

}  // namespace hrss::identity
