#include "modules/identity/principal.h"

#include "modules/identity/catalog.h"

namespace hrss::identity {

std::string_view AdminKindName(AdminKind k) {
  switch (k) {
    case AdminKind::kNone: return "none";
    case AdminKind::kSystem: return "system";
    case AdminKind::kSecurity: return "security";
    case AdminKind::kAuditor: return "auditor";
  }
  return "none";
}

std::optional<AdminKind> ParseAdminKind(std::string_view name) {
  for (AdminKind k :
       {AdminKind::kNone, AdminKind::kSystem, AdminKind::kSecurity, AdminKind::kAuditor}) {
    if (AdminKindName(k) == name) return k;
  }
  if (name.empty()) return AdminKind::kNone;
  return std::nullopt;
}

UserPrincipal::UserPrincipal(PrincipalData d)
    : d_(std::move(d)), id_text_(std::to_string(d_.user_id)) {}

bool UserPrincipal::HasPermission(std::string_view key) const {
  if (IsImplicitPermission(key)) return true;
  return HasDirectPermission(key) || d_.delegated_permissions.count(key) > 0;
}

bool UserPrincipal::HasDirectPermission(std::string_view key) const {
  return d_.direct_permissions.count(key) > 0;
}

std::optional<int64_t> UserPrincipal::DelegationFor(std::string_view key) const {
  if (IsImplicitPermission(key) || HasDirectPermission(key)) return std::nullopt;
  auto it = d_.delegated_permissions.find(key);
  if (it == d_.delegated_permissions.end()) return std::nullopt;
  return it->second;
}

namespace {
const DataScope& EmptyScope() {
  static const DataScope* empty = new DataScope();
  return *empty;
}
}  // namespace

const DataScope& UserPrincipal::ScopeFor(std::string_view domain) const {
  auto it = d_.effective_scopes.find(domain);
  return it == d_.effective_scopes.end() ? EmptyScope() : it->second;
}

const DataScope& UserPrincipal::DirectScopeFor(std::string_view domain) const {
  auto it = d_.direct_scopes.find(domain);
  return it == d_.direct_scopes.end() ? EmptyScope() : it->second;
}

const UserPrincipal* CurrentUser(const http::Request& req) {
  return dynamic_cast<const UserPrincipal*>(req.principal.get());
}

}  // namespace hrss::identity
