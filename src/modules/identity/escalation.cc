#include "modules/identity/escalation.h"

#include <set>

#include "modules/identity/catalog.h"

namespace hrss::identity {

Status EscalationDenied(std::string message) {
  return Status::PermissionDenied(std::move(message)).WithReason("ESCALATION_DENIED");
}

bool MayGrantPermission(const UserPrincipal& caller, std::string_view key) {
  if (IsImplicitPermission(key)) return false;  // never granted, always held
  if (caller.HasDirectPermission(key)) return true;
  return caller.admin_kind() == AdminKind::kSecurity && Catalog().Contains(key);
}

namespace {

bool HoldsRole(const UserPrincipal& caller, int64_t role_id) {
  for (const auto& r : caller.data().roles) {
    if (r.id == role_id) return true;
  }
  return false;
}

Status CheckScopesFor(const UserPrincipal& caller, const std::vector<ScopeGrant>& scopes,
                      const OrgTree& tree, int64_t holder_org, int64_t holder_id,
                      bool relative_too) {
  for (const auto& g : scopes) {
    bool relative = g.kind == ScopeKind::kOwnOrg || g.kind == ScopeKind::kSelf;
    if (relative && !relative_too) continue;
    DataScope want;
    want.Add(g, tree, holder_org, holder_id);
    const DataScope& mine = caller.DirectScopeFor(g.domain);
    bool ok = mine.Covers(want);
    // A `self` grant is within the caller's scope when the holder's account
    // is: the caller may see the holder's org (or is the holder).
    if (!ok && g.kind == ScopeKind::kSelf) {
      ok = mine.Allows(holder_org, holder_id);
    }
    if (!ok) {
      return EscalationDenied("数据范围超出本人范围：" + g.domain + "/" +
                              std::string(ScopeKindName(g.kind)));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckRoleWithinCaller(const UserPrincipal& caller, const Role& role, const OrgTree& tree) {
  if (role.id != 0 && HoldsRole(caller, role.id)) {
    return EscalationDenied("不能修改本人持有的角色");
  }
  if (role.admin_kind != AdminKind::kNone && caller.admin_kind() != AdminKind::kSecurity) {
    return EscalationDenied("只有安全管理员可以管理管理员角色");
  }
  for (const auto& p : role.permissions) {
    if (!Catalog().Contains(p)) return Status::InvalidArgument("未知的权限：" + p);
    if (!MayGrantPermission(caller, p)) return EscalationDenied("权限超出本人权限：" + p);
  }
  for (const auto& g : role.scopes) HRSS_RETURN_IF_ERROR(ValidateGrant(g, tree));
  return CheckScopesFor(caller, role.scopes, tree, 0, 0, /*relative_too=*/false);
}

Status CheckRoleForHolders(const UserPrincipal& caller, const Role& role,
                           const std::vector<Holder>& holders, const OrgTree& tree) {
  const DataScope& sys = caller.DirectScopeFor("system");
  for (const auto& h : holders) {
    if (h.user_id == caller.id()) return EscalationDenied("不能修改本人持有的角色");
    if (!sys.Allows(h.org_id, h.user_id)) {
      return EscalationDenied("角色的持有人超出本人管理范围");
    }
    HRSS_RETURN_IF_ERROR(CheckScopesFor(caller, role.scopes, tree, h.org_id, h.user_id, true));
  }
  return Status::Ok();
}

Status CheckAdminSeparation(const std::vector<Role>& roles) {
  std::set<AdminKind> kinds;
  for (const auto& r : roles) {
    if (r.admin_kind != AdminKind::kNone) kinds.insert(r.admin_kind);
  }
  if (kinds.size() > 1) {
    return Status::Conflict("系统管理员、安全管理员、审计员三权分立，同一账号不能兼任")
        .WithReason("ADMIN_SEPARATION");
  }
  return Status::Ok();
}

Status CheckGrant(const UserPrincipal& caller, int64_t target_id, int64_t target_org,
                  const std::vector<Role>& roles, const OrgTree& tree) {
  if (target_id == caller.id()) return EscalationDenied("不能为本人授予角色");
  if (!caller.DirectScopeFor("system").Allows(target_org, target_id)) {
    return EscalationDenied("用户超出本人管理范围");
  }
  for (const auto& r : roles) {
    if (r.admin_kind != AdminKind::kNone && caller.admin_kind() != AdminKind::kSecurity) {
      return EscalationDenied("只有安全管理员可以授予管理员角色");
    }
    for (const auto& p : r.permissions) {
      if (!MayGrantPermission(caller, p)) {
        return EscalationDenied("角色“" + r.name + "”的权限超出本人权限：" + p);
      }
    }
    HRSS_RETURN_IF_ERROR(CheckScopesFor(caller, r.scopes, tree, target_org, target_id, true));
  }
  return CheckAdminSeparation(roles);
}

Status CheckDelegation(const UserPrincipal& caller, const std::vector<std::string>& perms,
                       const std::vector<ScopeGrant>& scopes, const OrgTree& tree) {
  if (perms.empty() && scopes.empty()) return Status::InvalidArgument("转授内容为空");
  for (const auto& p : perms) {
    if (IsImplicitPermission(p) || !Catalog().Contains(p)) {
      return Status::InvalidArgument("不能转授的权限：" + p);
    }
    if (!caller.HasDirectPermission(p)) {
      return EscalationDenied(caller.HasPermission(p) ? "转授得来的权限不能再转授：" + p
                                                      : "只能转授本人持有的权限：" + p);
    }
  }
  for (const auto& g : scopes) {
    HRSS_RETURN_IF_ERROR(ValidateGrant(g, tree));
    DataScope want;
    want.Add(g, tree, caller.org_id(), caller.id());
    if (!caller.DirectScopeFor(g.domain).Covers(want)) {
      return EscalationDenied("转授的数据范围超出本人范围：" + g.domain);
    }
  }
  return Status::Ok();
}

}  // namespace hrss::identity
