#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "modules/identity/catalog.h"
#include "modules/identity/escalation.h"
#include "modules/identity/identity.h"
#include "modules/identity/route_util.h"
#include "modules/identity/routes.h"
#include "platform/platform.h"

namespace hrss::identity {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

json::array PermissionTree(const std::vector<PermissionEntry>& all, const std::string& parent) {
  json::array out;
  std::vector<const PermissionEntry*> kids;
  for (const auto& e : all) {
    if (e.parent == parent) kids.push_back(&e);
  }
  std::stable_sort(
      kids.begin(), kids.end(),
      [](const PermissionEntry* a, const PermissionEntry* b) { return a->sort < b->sort; });
  for (const auto* e : kids) {
    json::object o{{"key", e->key}, {"name", e->name}, {"kind", PermissionKindName(e->kind)}};
    o["children"] = PermissionTree(all, e->key);
    out.push_back(std::move(o));
  }
  return out;
}

Result<Role> RoleFromBody(const json::object& b) {
  Role r;
  HRSS_ASSIGN_OR_RETURN(r.name, rt::Str(b, "name", 64));
  if (r.name.empty()) return Status::InvalidArgument("请填写角色名称");
  HRSS_ASSIGN_OR_RETURN(r.code, rt::Str(b, "code", 64));
  for (char c : r.code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("角色编码只能包含小写字母、数字、_ -");
  }
  HRSS_ASSIGN_OR_RETURN(r.description, rt::Str(b, "description", 255));
  HRSS_ASSIGN_OR_RETURN(r.permissions, rt::StrList(b, "permissions"));
  std::sort(r.permissions.begin(), r.permissions.end());
  r.permissions.erase(std::unique(r.permissions.begin(), r.permissions.end()), r.permissions.end());
  HRSS_ASSIGN_OR_RETURN(r.scopes, rt::Scopes(b, "scopes"));
  HRSS_ASSIGN_OR_RETURN(std::string admin, rt::Str(b, "adminRole", 16));
  auto kind = ParseAdminKind(admin);
  if (!kind) return Status::InvalidArgument("adminRole 须为 system、security、auditor 或 null");
  r.admin_kind = *kind;
  return r;
}

std::string RoleDetail(const Role& r) { return json::serialize(rt::RoleJson(r)); }

// Refusals of privilege changes are audited too.
Response Refuse(Identity& id, const Request& req, const std::string& action,
                const std::string& type, const std::string& object_id, const Status& st) {
  if (st.reason() == "ESCALATION_DENIED" || st.reason() == "ADMIN_SEPARATION") {
    (void)id.Audit(
        req, action, type, object_id,
        "{\"refused\":" + rt::Q(st.reason()) + ",\"message\":" + rt::Q(st.message()) + "}", false);
  }
  return rt::Err(req, st);
}

}  // namespace

Status RegisterSecurityRoutes(Platform& platform, Identity& id) {
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/permissions",
      .permission = "security:role:read",
      .summary = "权限目录（菜单、按钮、接口）",
      .handler = [](Request&) { return rt::Json(PermissionTree(Catalog().Entries(), "")); },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/scope-domains",
      .permission = "security:role:read",
      .summary = "数据权限的业务域",
      .handler =
          [](Request&) {
            json::array a;
            for (const auto& d : ScopeDomains())
              a.push_back(json::object{{"domain", d.domain}, {"name", d.name}});
            return rt::Json(a);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/roles",
      .permission = "security:role:read",
      .summary = "角色列表",
      .handler =
          [&id](Request& req) {
            auto roles = id.roles.List();
            if (!roles.ok()) return rt::Err(req, roles.status());
            json::array items;
            for (const auto& r : *roles) items.push_back(rt::RoleJson(r));
            return rt::Json(json::object{{"items", std::move(items)}});
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/roles/{id}",
      .permission = "security:role:read",
      .summary = "角色详情",
      .handler =
          [&id](Request& req) {
            auto rid = rt::PathId(req);
            if (!rid.ok()) return rt::Err(req, rid.status());
            auto r = id.roles.Get(*rid);
            if (!r.ok()) return rt::Err(req, r.status());
            if (!*r) return rt::Err(req, Status::NotFound("角色不存在"));
            return rt::Json(rt::RoleJson(**r));
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/roles",
      .permission = "security:role:write",
      .max_body_bytes = 64 << 10,
      .summary = "新增角色（权限与数据范围不得超出本人）",
      .handler =
          [&id](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto role = RoleFromBody(*body);
            if (!role.ok()) return rt::Err(req, role.status());
            if (role->code.empty()) role->code = "role-" + std::to_string(id.clock.NowMillis());
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            Status st = CheckRoleWithinCaller(rt::Me(req), *role, **tree);
            if (!st.ok()) return Refuse(id, req, "role.create", "role", "", st);
            auto rid = id.roles.Create(*role);
            if (!rid.ok()) return rt::Err(req, rid.status());
            role->id = *rid;
            st = id.Audit(req, "role.create", "role", std::to_string(*rid), RoleDetail(*role));
            return st.ok() ? rt::Json(rt::RoleJson(*role), 201) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPut,
      .pattern = "/api/v1/roles/{id}",
      .permission = "security:role:write",
      .max_body_bytes = 64 << 10,
      .summary = "修改角色（权限与数据范围不得超出本人）",
      .handler =
          [&id](Request& req) {
            auto rid = rt::PathId(req);
            if (!rid.ok()) return rt::Err(req, rid.status());
            auto cur = id.roles.Get(*rid);
            if (!cur.ok()) return rt::Err(req, cur.status());
            if (!*cur) return rt::Err(req, Status::NotFound("角色不存在"));
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto role = RoleFromBody(*body);
            if (!role.ok()) return rt::Err(req, role.status());
            role->id = *rid;
            role->code = (*cur)->code;
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            const UserPrincipal& me = rt::Me(req);
            std::string oid = std::to_string(*rid);
            // The role as it is must be within the caller (one manages only
            // roles within one's own rights), and so must the new content,
            // for every current holder.
            Status st = CheckRoleWithinCaller(me, **cur, **tree);
            if (st.ok()) st = CheckRoleWithinCaller(me, *role, **tree);
            auto holders = id.roles.HoldersOf(*rid);
            if (!holders.ok()) return rt::Err(req, holders.status());
            if (st.ok()) st = CheckRoleForHolders(me, *role, *holders, **tree);
            if (st.ok() && role->admin_kind != (*cur)->admin_kind) {
              // A holder must not end up with two admin kinds.
              for (const auto& h : *holders) {
                auto rs = id.roles.RolesOfUser(h.user_id);
                if (!rs.ok()) return rt::Err(req, rs.status());
                for (auto& r : *rs) {
                  if (r.id == *rid) r.admin_kind = role->admin_kind;
                }
                st = CheckAdminSeparation(*rs);
                if (!st.ok()) break;
              }
            }
            if (!st.ok()) return Refuse(id, req, "role.update", "role", oid, st);
            st = id.roles.Update(*role);
            id.authenticator.ForgetAll();
            if (st.ok()) {
              st = id.Audit(
                  req, "role.update", "role", oid,
                  "{\"before\":" + RoleDetail(**cur) + ",\"after\":" + RoleDetail(*role) + "}");
            }
            return st.ok() ? rt::Json(rt::RoleJson(*role)) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/roles/{id}",
      .permission = "security:role:write",
      .summary = "删除角色（须无人持有）",
      .handler =
          [&id](Request& req) {
            auto rid = rt::PathId(req);
            if (!rid.ok()) return rt::Err(req, rid.status());
            auto cur = id.roles.Get(*rid);
            if (!cur.ok()) return rt::Err(req, cur.status());
            if (!*cur) return rt::Err(req, Status::NotFound("角色不存在"));
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            Status st = CheckRoleWithinCaller(rt::Me(req), **cur, **tree);
            if (!st.ok()) return Refuse(id, req, "role.delete", "role", std::to_string(*rid), st);
            st = id.roles.Delete(*rid);
            id.authenticator.ForgetAll();
            if (st.ok())
              st = id.Audit(req, "role.delete", "role", std::to_string(*rid), RoleDetail(**cur));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPut,
      .pattern = "/api/v1/users/{id}/roles",
      .permission = "security:role:grant",
      .max_body_bytes = 16 << 10,
      .summary = "为用户授予角色（不得超出本人权限和管理范围）",
      .handler =
          [&id](Request& req) {
            auto uid = rt::PathId(req);
            if (!uid.ok()) return rt::Err(req, uid.status());
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto ids = rt::IntList(*body, "roleIds");
            if (!ids.ok()) return rt::Err(req, ids.status());
            auto user = id.users.FindById(*uid);
            if (!user.ok()) return rt::Err(req, user.status());
            if (!*user) return rt::Err(req, Status::NotFound("用户不存在"));
            std::vector<Role> wanted;
            std::set<int64_t> want_ids(ids->begin(), ids->end());
            for (int64_t r : want_ids) {
              auto role = id.roles.Get(r);
              if (!role.ok()) return rt::Err(req, role.status());
              if (!*role)
                return rt::Err(req, Status::InvalidArgument("角色不存在：" + std::to_string(r)));
              wanted.push_back(std::move(**role));
            }
            auto current = id.roles.RolesOfUser(*uid);
            if (!current.ok()) return rt::Err(req, current.status());
            std::vector<Role> added, removed;
            std::set<int64_t> cur_ids;
            for (const auto& r : *current) {
              cur_ids.insert(r.id);
              if (!want_ids.count(r.id)) removed.push_back(r);
            }
            for (const auto& r : wanted) {
              if (!cur_ids.count(r.id)) added.push_back(r);
            }
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            const UserPrincipal& me = rt::Me(req);
            std::string oid = std::to_string(*uid);
            // Added and removed roles must lie within the caller; the whole
            // new set must respect the separation of administrators.
            Status st = CheckGrant(me, *uid, (*user)->org_id, added, **tree);
            if (st.ok()) st = CheckGrant(me, *uid, (*user)->org_id, removed, **tree);
            if (st.ok() && (added.empty() && removed.empty())) {
              // No change, but still only for users within scope.
              st = CheckGrant(me, *uid, (*user)->org_id, {}, **tree);
            }
            if (st.ok()) st = CheckAdminSeparation(wanted);
            if (!st.ok()) return Refuse(id, req, "user.roles.set", "user", oid, st);
            st =
                id.roles.SetUserRoles(*uid, std::vector<int64_t>(want_ids.begin(), want_ids.end()));
            id.authenticator.ForgetUser(*uid);
            json::array before, after;
            for (int64_t r : cur_ids) before.push_back(r);
            for (int64_t r : want_ids) after.push_back(r);
            if (st.ok()) {
              st = id.Audit(req, "user.roles.set", "user", oid,
                            json::serialize(json::object{{"before", before}, {"after", after}}));
            }
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/sessions",
      .permission = "security:session:read",
      .summary = "在线用户",
      .handler =
          [&id](Request& req) {
            auto page = rt::ParsePage(req);
            if (!page.ok()) return rt::Err(req, page.status());
            int64_t total = 0;
            auto list = id.sessions.ListLive(page->page, page->size, &total);
            if (!list.ok()) return rt::Err(req, list.status());
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            const UserPrincipal& me = rt::Me(req);
            json::array items;
            for (const auto& s : *list) {
              auto u = id.users.FindById(s.user_id);
              if (!u.ok() || !*u) continue;
              if (!me.ScopeFor("system").Allows((*u)->org_id, (*u)->id)) continue;
              json::object o;
              o["id"] = s.id;
              o["current"] = s.id == me.data().session_id;
              o["userId"] = s.user_id;
              o["username"] = (*u)->username;
              o["displayName"] = (*u)->display_name;
              const Org* org = (*tree)->Find((*u)->org_id);
              o["orgName"] = org ? org->name : "";
              o["createdAt"] = s.created_at;
              o["lastSeenAt"] = s.last_seen_at;
              o["ip"] = s.ip;
              o["userAgent"] = s.user_agent;
              o["authMethod"] = s.auth_method;
              items.push_back(std::move(o));
            }
            return rt::Json(rt::PageJson(std::move(items), total, *page));
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/sessions/{id}",
      .permission = "security:session:kick",
      .summary = "强制下线",
      .handler =
          [&id](Request& req) {
            std::string sid(req.PathParam("id"));
            auto s = id.sessions.Get(sid);
            if (!s.ok()) return rt::Err(req, s.status());
            if (!*s) return rt::Err(req, Status::NotFound("会话不存在"));
            auto u = id.users.FindById((*s)->user_id);
            if (!u.ok()) return rt::Err(req, u.status());
            if (!*u || !rt::Me(req).ScopeFor("system").Allows((*u)->org_id, (*u)->id)) {
              return rt::Err(req, Status::NotFound("会话不存在"));
            }
            Status st = id.sessions.Revoke(sid, rt::Me(req).id());
            id.authenticator.ForgetSession(sid);
            if (st.ok()) {
              st = id.Audit(req, "session.kick", "session", sid,
                            json::serialize(json::object{{"userId", (*s)->user_id},
                                                         {"username", (*u)->username}}));
            }
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/pii/unmask",
      .permission = "pii:unmask",
      .max_body_bytes = 8 << 10,
      .summary = "查看脱敏字段原文（须说明理由并近期重新验证身份，记入审计）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto type = rt::Str(*body, "objectType", 64);
            auto oid = rt::Str(*body, "objectId", 128);
            auto field = rt::Str(*body, "field", 64);
            auto reason = rt::Str(*body, "reason", 255);
            for (const Status& s : {type.status(), oid.status(), field.status(), reason.status()}) {
              if (!s.ok()) return rt::Err(req, s);
            }
            if (reason->size() < 2)
              return rt::Err(req, Status::InvalidArgument("请填写查看原文的理由"));
            std::string detail =
                json::serialize(json::object{{"field", *field}, {"reason", *reason}});
            AuditEvent e;
            e.action = "pii.unmask";
            e.object_type = *type;
            e.object_id = *oid;
            e.detail = detail;
            if (Status st = RequireRecentAuth(id, me); !st.ok()) {
              e.success = false;
              (void)id.Audit(req, e);
              return rt::Err(req, st);
            }
            auto value = id.unmask.Unmask(me, *type, *oid, *field);
            e.success = value.ok();
            // Audited before the value leaves: no record, no value.
            Status st = id.Audit(req, e);
            if (!st.ok()) return rt::Err(req, st);
            if (!value.ok()) return rt::Err(req, value.status());
            return rt::Json(json::object{{"value", *value}});
          },
  }));
  return Status::Ok();
}

}  // namespace hrss::identity
