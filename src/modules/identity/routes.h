// The identity module's HTTP routes (docs/api/identity.md). Every route
// declares its permission (see catalog.h); "self:*" keys are implicit for
// signed-in users. Handlers audit security-relevant changes.
#pragma once

#include "core/status.h"

namespace hrss {
class Platform;
}

namespace hrss::identity {

class Identity;
class AuthService;

// /auth/*, /me (session), /auth/totp/* (administrator TOTP enrolment).
Status RegisterAuthRoutes(Platform& platform, Identity& id, AuthService& auth);
// /me/* personal center and /delegations.
Status RegisterMeRoutes(Platform& platform, Identity& id, AuthService& auth);
// /orgs, /posts, /users (system administrator).
Status RegisterAdminRoutes(Platform& platform, Identity& id, AuthService& auth);
// /permissions, /scope-domains, /roles, /users/{id}/roles, /sessions, /pii/unmask.
Status RegisterSecurityRoutes(Platform& platform, Identity& id);

}  // namespace hrss::identity
