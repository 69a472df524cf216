// The signed-in caller as the identity module resolves it: account, org,
// function permissions (direct, and received by delegation with the
// delegation's id) and one resolved DataScope per business domain.
//
//   const identity::UserPrincipal* me = identity::CurrentUser(req);
//   if (me == nullptr) ...                     // anonymous (public route)
//   me->HasPermission("shebao:record:read");   // route keys are checked for you
//   const DataScope& s = me->ScopeFor("shebao");  // see data_scope.h
//
// A UserPrincipal is immutable once built and shared (read-only) by the
// requests of one session, so nothing leaks between concurrent requests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/principal.h"
#include "modules/identity/data_scope.h"

namespace hrss::identity {

enum class AdminKind { kNone, kSystem, kSecurity, kAuditor };
std::string_view AdminKindName(AdminKind k);  // "none" | "system" | "security" | "auditor"
std::optional<AdminKind> ParseAdminKind(std::string_view name);

struct RoleRef {
  int64_t id = 0;
  std::string name;
};

// A delegation in force for the principal (received).
struct ReceivedDelegation {
  int64_t id = 0;
  int64_t from_user_id = 0;
  std::string from_username;
  std::vector<std::string> permissions;
  std::vector<ScopeGrant> scopes;  // resolved against the delegator
  int64_t ends_at_ms = 0;
};

struct PrincipalData {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  int64_t org_id = 0;
  std::string org_name;
  std::string division_code;
  AdminKind admin_kind = AdminKind::kNone;
  std::vector<RoleRef> roles;
  std::set<std::string, std::less<>> direct_permissions;
  // permission -> id of the (first) delegation that grants it.
  std::map<std::string, int64_t, std::less<>> delegated_permissions;
  std::map<std::string, DataScope, std::less<>> direct_scopes;     // by domain
  std::map<std::string, DataScope, std::less<>> effective_scopes;  // direct ∪ delegated
  std::vector<ReceivedDelegation> delegations;
  bool totp_enabled = false;
  int64_t password_expires_at_ms = 0;
  // The session this principal was resolved from.
  std::string session_id;
  bool via_cookie = false;   // cookie-authenticated: unsafe methods need the CSRF token
  std::string csrf_hash;     // SM3 hex of the session's CSRF token
  int64_t reauth_at_ms = 0;  // last (re-)authentication
};

class UserPrincipal final : public http::Principal {
 public:
  explicit UserPrincipal(PrincipalData d);

  std::string_view user_id() const override { return id_text_; }
  bool HasPermission(std::string_view key) const override;

  int64_t id() const { return d_.user_id; }
  std::string_view username() const override { return d_.username; }
  std::string_view display_name() const override { return d_.display_name; }
  std::string_view session_id() const override { return d_.session_id; }
  int64_t authenticated_at_ms() const override { return d_.reauth_at_ms; }
  int64_t org_id() const { return d_.org_id; }
  AdminKind admin_kind() const { return d_.admin_kind; }
  const PrincipalData& data() const { return d_; }

  // Held through a role (delegated permissions excluded).
  bool HasDirectPermission(std::string_view key) const;
  // The delegation that grants `key` when it is not held directly; nullopt
  // when held directly or not at all.
  std::optional<int64_t> DelegationFor(std::string_view key) const;

  // Direct ∪ delegated scope in `domain` (empty scope for unknown domains).
  const DataScope& ScopeFor(std::string_view domain) const;
  // From the user's roles only (for anti-escalation checks).
  const DataScope& DirectScopeFor(std::string_view domain) const;

 private:
  PrincipalData d_;
  std::string id_text_;
};

// The caller of `req` when signed in through the identity module, else nullptr.
const UserPrincipal* CurrentUser(const http::Request& req);

}  // namespace hrss::identity
