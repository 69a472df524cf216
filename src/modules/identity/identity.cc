#include "modules/identity/identity.h"

namespace hrss::identity {

Identity::Identity(db::Pool& pool_in, Clock& clock_in, const SecurityConfig& security_in,
                   KeyRing keys_in, IdentityOptions options_in)
    : pool(pool_in),
      clock(clock_in),
      security(security_in),
      options(options_in),
      keys(std::move(keys_in)),
      audit(pool_in, keys, clock_in),
      hasher(options_in.argon2),
      orgs(pool_in, clock_in),
      users(pool_in, keys, clock_in),
      roles(pool_in, clock_in),
      delegations(pool_in, clock_in),
      sessions(pool_in, clock_in, int64_t{security_in.session_idle_minutes} * 60'000,
               int64_t{security_in.session_absolute_hours} * 3'600'000),
      certs(pool_in, clock_in),
      challenges(clock_in),
      throttle(clock_in, options_in.throttle),
      access(users, roles, delegations, orgs),
      authenticator(*this, options_in.principal_cache_ms) {}

Status Identity::Audit(const http::Request& req, AuditEvent e) {
  FillFromRequest(req, e);
  return audit.Record(e);
}

Status Identity::Audit(const http::Request& req, std::string action, std::string object_type,
                       std::string object_id, std::string detail, bool success) {
  AuditEvent e;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.detail = std::move(detail);
  e.success = success;
  return Audit(req, std::move(e));
}

Status RequireRecentAuth(const Identity& id, const UserPrincipal& p) {
  int64_t window = int64_t{id.security.reauth_window_seconds} * 1000;
  if (id.clock.NowMillis() - p.data().reauth_at_ms > window) {
    return Status::Unauthenticated("此操作需要重新验证身份").WithReason("REAUTH_REQUIRED");
  }
  return Status::Ok();
}

}  // namespace hrss::identity
