// Resolves what a user may do: the union of their roles' permissions, the
// per-domain union of their roles' scopes, and the delegations in force —
// each delegated right only while the delegator still holds it directly.
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "modules/identity/delegation.h"
#include "modules/identity/orgs.h"
#include "modules/identity/principal.h"
#include "modules/identity/roles.h"
#include "modules/identity/users.h"

namespace hrss::identity {

struct ResolvedAccess {
  PrincipalData data;
  // When the result changes by itself (a delegation starts or ends); a cache
  // must not keep it past this instant. INT64_MAX when never.
  int64_t next_change_at = INT64_MAX;
};

// Adds `roles` held by a user in `holder_org` with id `holder_id` to `d`:
// permissions, direct (and effective) scopes per domain, roles, admin kind.
void AddRoles(const std::vector<Role>& roles, const OrgTree& tree, int64_t holder_org,
              int64_t holder_id, PrincipalData* d);

class AccessResolver {
 public:
  AccessResolver(UserStore& users, RoleStore& roles, DelegationStore& delegations, OrgStore& orgs)
      : users_(users), roles_(roles), delegations_(delegations), orgs_(orgs) {}

  Result<ResolvedAccess> Resolve(const User& u, int64_t now_ms);
  // Direct rights only (no delegations), e.g. of a delegator or a target user.
  Result<PrincipalData> Direct(const User& u);

 private:
  UserStore& users_;
  RoleStore& roles_;
  DelegationStore& delegations_;
  OrgStore& orgs_;
};

}  // namespace hrss::identity
