// Identity: the identity module's services wired together (one per
// Platform). Other modules normally need only the request's principal
// (principal.h) and data scopes (data_scope.h); this is for the identity
// module's own routes and for tests.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "db/pool.h"
#include "http/message.h"
#include "modules/identity/access.h"
#include "modules/identity/audit.h"
#include "modules/identity/authenticator.h"
#include "modules/identity/certs.h"
#include "modules/identity/delegation.h"
#include "modules/identity/keyring.h"
#include "modules/identity/orgs.h"
#include "modules/identity/password.h"
#include "modules/identity/roles.h"
#include "modules/identity/sessions.h"
#include "modules/identity/throttle.h"
#include "modules/identity/unmask.h"
#include "modules/identity/users.h"

namespace hrss::identity {

struct IdentityOptions {
  Argon2Params argon2;
  ThrottleLimits throttle;
  int64_t principal_cache_ms = 5000;  // hot sessions kept in memory this long
  int lockout_threshold = 5;
  int64_t lockout_ms = 15 * 60 * 1000;
};

class Identity {
 public:
  Identity(db::Pool& pool, Clock& clock, const SecurityConfig& security, KeyRing keys,
           IdentityOptions options = {});
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;

  // Records an audit event with the request's source address, request id
  // and (when signed in) user.
  Status Audit(const http::Request& req, AuditEvent e);
  // The same for one action on one object (`detail`: short JSON object text).
  Status Audit(const http::Request& req, std::string action, std::string object_type,
               std::string object_id, std::string detail = "", bool success = true);

  db::Pool& pool;
  Clock& clock;
  const SecurityConfig security;
  const IdentityOptions options;
  const KeyRing keys;
  AuditLog audit;
  PasswordHasher hasher;
  OrgStore orgs;
  UserStore users;
  RoleStore roles;
  DelegationStore delegations;
  SessionStore sessions;
  CertStore certs;
  ChallengeStore challenges;
  LoginThrottle throttle;
  AccessResolver access;
  Authenticator authenticator;
  UnmaskRegistry unmask;
};

// 401 REAUTH_REQUIRED unless `p` (re-)authenticated within
// security.reauth_window_seconds.
Status RequireRecentAuth(const Identity& id, const UserPrincipal& p);

}  // namespace hrss::identity
