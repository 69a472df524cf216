#include <boost/json.hpp>
#include <set>

#include "core/crypto.h"
#include "modules/identity/auth_service.h"
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

json::object OrgJson(const Org& o) {
  json::object j;
  j["id"] = o.id;
  j["parentId"] = o.parent_id == 0 ? json::value(nullptr) : json::value(o.parent_id);
  j["name"] = o.name;
  j["kind"] = o.kind;
  j["divisionCode"] = o.division_code;
  j["sort"] = o.sort;
  return j;
}

json::object OrgNode(const OrgTree& tree, const Org& o, const DataScope& scope, int depth) {
  json::object j = OrgJson(o);
  json::array kids;
  if (depth < 32) {
    for (const Org* c : tree.Children(o.id)) {
      if (scope.Allows(c->id)) kids.push_back(OrgNode(tree, *c, scope, depth + 1));
    }
  }
  j["children"] = std::move(kids);
  return j;
}

json::object UserJson(Identity& id, const User& u, const OrgTree& tree) {
  json::object j;
  j["id"] = u.id;
  j["username"] = u.username;
  j["displayName"] = u.display_name;
  j["staffNo"] = u.staff_no;
  j["phone"] = u.phone_masked;
  j["orgId"] = u.org_id;
  const Org* o = tree.Find(u.org_id);
  j["orgName"] = o ? o->name : "";
  json::array posts;
  for (int64_t p : u.post_ids) posts.push_back(p);
  j["postIds"] = std::move(posts);
  j["status"] = u.status;
  int64_t now = id.clock.NowMillis();
  j["locked"] = u.locked_until > now;
  j["lockedUntil"] = u.locked_until > now ? json::value(u.locked_until) : json::value(nullptr);
  j["totpEnabled"] = u.totp_enabled;
  j["passwordChangedAt"] = u.password_changed_at;
  j["createdAt"] = u.created_at;
  json::array roles;
  auto rs = id.roles.RolesOfUser(u.id);
  if (rs.ok()) {
    for (const auto& r : *rs) {
      json::object ro{{"id", r.id}, {"name", r.name}};
      ro["adminRole"] = r.admin_kind == AdminKind::kNone ? json::value(nullptr)
                                                         : json::value(AdminKindName(r.admin_kind));
      roles.push_back(std::move(ro));
    }
  }
  j["roles"] = std::move(roles);
  return j;
}

// The user `uid` if it exists and lies in the caller's `system` scope;
// NOT_FOUND otherwise (no IDOR: outside looks like absent).
Result<User> ScopedUser(Identity& id, const Request& req, int64_t uid) {
  HRSS_ASSIGN_OR_RETURN(auto u, id.users.FindById(uid));
  if (!u || !rt::Me(req).ScopeFor("system").Allows(u->org_id, u->id)) {
    return Status::NotFound("用户不存在");
  }
  return std::move(*u);
}

Result<Org> OrgFromBody(const json::object& b) {
  Org o;
  HRSS_ASSIGN_OR_RETURN(auto parent, rt::Int(b, "parentId"));
  o.parent_id = parent.value_or(0);
  HRSS_ASSIGN_OR_RETURN(o.name, rt::Str(b, "name", 128));
  HRSS_ASSIGN_OR_RETURN(o.kind, rt::Str(b, "kind", 16));
  HRSS_ASSIGN_OR_RETURN(o.division_code, rt::Str(b, "divisionCode", 12));
  HRSS_ASSIGN_OR_RETURN(auto sort, rt::Int(b, "sort"));
  o.sort = static_cast<int>(sort.value_or(0));
  return o;
}

}  // namespace

Status RegisterAdminRoutes(Platform& platform, Identity& id, AuthService& auth) {
  // --- Orgs.
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/orgs",
      .permission = "system:org:read",
      .summary = "机构树（限本人管理范围）",
      .handler =
          [&id](Request& req) {
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            const DataScope& scope = rt::Me(req).ScopeFor("system");
            json::array roots;
            for (const Org& o : (*tree)->orgs()) {
              if (!scope.Allows(o.id)) continue;
              bool parent_in = o.parent_id != 0 && scope.Allows(o.parent_id);
              if (!parent_in) roots.push_back(OrgNode(**tree, o, scope, 0));
            }
            return rt::Json(roots);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/orgs",
      .permission = "system:org:write",
      .max_body_bytes = 8 << 10,
      .summary = "新增机构",
      .handler =
          [&id](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto org = OrgFromBody(*body);
            if (!org.ok()) return rt::Err(req, org.status());
            if (!rt::Me(req).ScopeFor("system").Allows(org->parent_id)) {
              return rt::Err(req, EscalationDenied("上级机构超出本人管理范围"));
            }
            auto oid = id.orgs.Create(*org);
            if (!oid.ok()) return rt::Err(req, oid.status());
            org->id = *oid;
            id.authenticator.ForgetAll();  // subtree scopes may grow
            Status st = id.Audit(req, "org.create", "org", std::to_string(*oid),
                                 json::serialize(OrgJson(*org)));
            return st.ok() ? rt::Json(OrgJson(*org), 201) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPut,
      .pattern = "/api/v1/orgs/{id}",
      .permission = "system:org:write",
      .max_body_bytes = 8 << 10,
      .summary = "修改机构",
      .handler =
          [&id](Request& req) {
            auto oid = rt::PathId(req);
            if (!oid.ok()) return rt::Err(req, oid.status());
            const DataScope& scope = rt::Me(req).ScopeFor("system");
            if (!scope.Allows(*oid)) return rt::Err(req, Status::NotFound("机构不存在"));
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto org = OrgFromBody(*body);
            if (!org.ok()) return rt::Err(req, org.status());
            org->id = *oid;
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            const Org* cur = (*tree)->Find(*oid);
            if (cur == nullptr) return rt::Err(req, Status::NotFound("机构不存在"));
            if (org->parent_id != cur->parent_id && !scope.Allows(org->parent_id)) {
              return rt::Err(req, EscalationDenied("上级机构超出本人管理范围"));
            }
            Status st = id.orgs.Update(*org);
            id.authenticator.ForgetAll();
            if (st.ok())
              st = id.Audit(req, "org.update", "org", std::to_string(*oid),
                            json::serialize(OrgJson(*org)));
            return st.ok() ? rt::Json(OrgJson(*org)) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/orgs/{id}",
      .permission = "system:org:write",
      .summary = "删除机构（须无下级机构和用户）",
      .handler =
          [&id](Request& req) {
            auto oid = rt::PathId(req);
            if (!oid.ok()) return rt::Err(req, oid.status());
            if (!rt::Me(req).ScopeFor("system").Allows(*oid))
              return rt::Err(req, Status::NotFound("机构不存在"));
            Status st = id.orgs.Delete(*oid);
            id.authenticator.ForgetAll();
            if (st.ok()) st = id.Audit(req, "org.delete", "org", std::to_string(*oid));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  // --- Posts.
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/posts",
      .permission = "system:org:read",
      .summary = "岗位列表",
      .handler =
          [&id](Request& req) {
            auto posts = id.orgs.ListPosts();
            if (!posts.ok()) return rt::Err(req, posts.status());
            json::array items;
            for (const auto& p : *posts) {
              items.push_back(
                  json::object{{"id", p.id}, {"code", p.code}, {"name", p.name}, {"sort", p.sort}});
            }
            return rt::Json(json::object{{"items", std::move(items)}});
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/posts",
      .permission = "system:org:write",
      .max_body_bytes = 4 << 10,
      .summary = "新增岗位",
      .handler =
          [&id](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            Post p;
            auto code = rt::Str(*body, "code", 64);
            auto name = rt::Str(*body, "name", 128);
            auto sort = rt::Int(*body, "sort");
            if (!code.ok() || !name.ok() || !sort.ok())
              return rt::Err(req, Status::InvalidArgument("参数错误"));
            p.code = *code;
            p.name = *name;
            p.sort = static_cast<int>(sort->value_or(0));
            auto pid = id.orgs.CreatePost(p);
            if (!pid.ok()) return rt::Err(req, pid.status());
            Status st = id.Audit(req, "post.create", "post", std::to_string(*pid));
            if (!st.ok()) return rt::Err(req, st);
            return rt::Json(
                json::object{{"id", *pid}, {"code", p.code}, {"name", p.name}, {"sort", p.sort}},
                201);
          },
  }));

  // --- Users.
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/users",
      .permission = "system:user:read",
      .summary = "用户列表（限本人管理范围）",
      .handler =
          [&id](Request& req) {
            auto page = rt::ParsePage(req);
            if (!page.ok()) return rt::Err(req, page.status());
            UserQuery q;
            q.page = page->page;
            q.size = page->size;
            if (auto org = req.QueryParam("orgId"); org && !org->empty()) {
              json::object tmp{{"x", *org}};
              auto v = rt::Int(tmp, "x");
              if (!v.ok() || !*v) return rt::Err(req, Status::InvalidArgument("orgId 须为整数"));
              q.org_id = **v;
            }
            q.q = req.QueryParam("q").value_or("");
            if (q.q.size() > 64) return rt::Err(req, Status::InvalidArgument("查询条件过长"));
            int64_t total = 0;
            auto users = id.users.List(q, rt::Me(req).ScopeFor("system"), &total);
            if (!users.ok()) return rt::Err(req, users.status());
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            json::array items;
            for (const auto& u : *users) items.push_back(UserJson(id, u, **tree));
            return rt::Json(rt::PageJson(std::move(items), total, *page));
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/users/{id}",
      .permission = "system:user:read",
      .summary = "用户详情（范围外视为不存在）",
      .handler =
          [&id](Request& req) {
            auto uid = rt::PathId(req);
            if (!uid.ok()) return rt::Err(req, uid.status());
            auto u = ScopedUser(id, req, *uid);
            if (!u.ok()) return rt::Err(req, u.status());
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            return rt::Json(UserJson(id, *u, **tree));
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/users",
      .permission = "system:user:write",
      .max_body_bytes = 16 << 10,
      .summary = "新增用户",
      .handler =
          [&id](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            User u;
            auto username = rt::Str(*body, "username", 64);
            auto name = rt::Str(*body, "displayName", 64);
            auto staff = rt::Str(*body, "staffNo", 32);
            auto phone = rt::Str(*body, "phone", 32);
            auto org = rt::Int(*body, "orgId");
            auto posts = rt::IntList(*body, "postIds");
            auto password = rt::Str(*body, "password", 1024);
            for (const Status& s :
                 {username.status(), name.status(), staff.status(), phone.status(), org.status(),
                  posts.status(), password.status()}) {
              if (!s.ok()) return rt::Err(req, s);
            }
            u.username = *username;
            u.display_name = *name;
            u.staff_no = *staff;
            u.org_id = org->value_or(0);
            u.post_ids = *posts;
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            if ((*tree)->Find(u.org_id) == nullptr)
              return rt::Err(req, Status::InvalidArgument("所属机构不存在"));
            if (!rt::Me(req).ScopeFor("system").Allows(u.org_id)) {
              return rt::Err(req, EscalationDenied("所属机构超出本人管理范围"));
            }
            if (Status st = CheckPasswordPolicy(*password, u.username); !st.ok())
              return rt::Err(req, st);
            auto hash = id.hasher.Hash(*password);
            SecureWipe(&*password);
            if (!hash.ok()) return rt::Err(req, hash.status());
            u.password_hash = *hash;
            u.password_changed_at = 0;  // initial password: change at first sign-in
            auto uid = id.users.Create(u, *phone);
            if (!uid.ok()) return rt::Err(req, uid.status());
            Status st = id.Audit(
                req, "user.create", "user", std::to_string(*uid),
                json::serialize(json::object{{"username", u.username}, {"orgId", u.org_id}}));
            if (!st.ok()) return rt::Err(req, st);
            auto created = id.users.FindById(*uid);
            if (!created.ok() || !*created) return rt::Err(req, Status::Internal("user vanished"));
            return rt::Json(UserJson(id, **created, **tree), 201);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPut,
      .pattern = "/api/v1/users/{id}",
      .permission = "system:user:write",
      .max_body_bytes = 16 << 10,
      .summary = "修改用户",
      .handler =
          [&id](Request& req) {
            auto uid = rt::PathId(req);
            if (!uid.ok()) return rt::Err(req, uid.status());
            auto u = ScopedUser(id, req, *uid);
            if (!u.ok()) return rt::Err(req, u.status());
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto name = rt::Str(*body, "displayName", 64);
            auto staff = rt::Str(*body, "staffNo", 32);
            auto phone = rt::Str(*body, "phone", 32);
            auto org = rt::Int(*body, "orgId");
            auto posts = rt::IntList(*body, "postIds");
            for (const Status& s :
                 {name.status(), staff.status(), phone.status(), org.status(), posts.status()}) {
              if (!s.ok()) return rt::Err(req, s);
            }
            if (!name->empty()) u->display_name = *name;
            if (!staff->empty()) u->staff_no = *staff;
            if (body->contains("postIds")) u->post_ids = *posts;
            if (*org && **org != u->org_id) {
              auto tree = id.orgs.Tree();
              if (!tree.ok()) return rt::Err(req, tree.status());
              if ((*tree)->Find(**org) == nullptr)
                return rt::Err(req, Status::InvalidArgument("所属机构不存在"));
              if (!rt::Me(req).ScopeFor("system").Allows(**org)) {
                return rt::Err(req, EscalationDenied("所属机构超出本人管理范围"));
              }
              u->org_id = **org;
            }
            std::optional<std::string> new_phone;
            if (body->contains("phone") && !phone->empty() &&
                phone->find('*') == std::string::npos) {
              new_phone = *phone;
            }
            Status st = id.users.Update(*u, new_phone);
            id.authenticator.ForgetUser(*uid);  // org change moves own_org scopes
            if (st.ok()) st = id.Audit(req, "user.update", "user", std::to_string(*uid));
            if (!st.ok()) return rt::Err(req, st);
            auto tree = id.orgs.Tree();
            auto updated = id.users.FindById(*uid);
            if (!tree.ok() || !updated.ok() || !*updated)
              return rt::Err(req, Status::Internal("reload failed"));
            return rt::Json(UserJson(id, **updated, **tree));
          },
  }));

  struct Action {
    const char* path;
    const char* summary;
    const char* audit;
  };
  for (const Action& a :
       {Action{"disable", "停用用户（并注销其全部会话）", "user.disable"},
        Action{"enable", "启用用户", "user.enable"},
        Action{"unlock", "解除登录锁定", "user.unlock"},
        Action{"reset-password", "重置密码（下次登录须修改）", "user.reset_password"}}) {
    std::string which = a.path;
    HRSS_RETURN_IF_ERROR(platform.AddRoute({
        .method = Method::kPost,
        .pattern = std::string("/api/v1/users/{id}/") + a.path,
        .permission = "system:user:write",
        .max_body_bytes = 8 << 10,
        .summary = a.summary,
        .handler =
            [&id, &auth, which, audit = std::string(a.audit)](Request& req) {
              auto uid = rt::PathId(req);
              if (!uid.ok()) return rt::Err(req, uid.status());
              auto u = ScopedUser(id, req, *uid);
              if (!u.ok()) return rt::Err(req, u.status());
              const UserPrincipal& me = rt::Me(req);
              Status st;
              if (which == "disable") {
                if (*uid == me.id())
                  return rt::Err(req, Status::FailedPrecondition("不能停用本人账号"));
                st = id.users.SetStatus(*uid, "disabled");
                if (st.ok()) st = id.sessions.RevokeAllOf(*uid, "", me.id()).status();
              } else if (which == "enable") {
                st = id.users.SetStatus(*uid, "active");
              } else if (which == "unlock") {
                st = id.users.Unlock(*uid);
              } else {
                auto body = rt::Body(req);
                if (!body.ok()) return rt::Err(req, body.status());
                auto pw = rt::Str(*body, "password", 1024);
                if (!pw.ok()) return rt::Err(req, pw.status());
                st = auth.SetPassword(*u, *pw, false, /*expired_now=*/true);
                SecureWipe(&*pw);
                if (st.ok()) st = id.sessions.RevokeAllOf(*uid, "", me.id()).status();
              }
              id.authenticator.ForgetUser(*uid);
              if (st.ok()) st = id.Audit(req, audit, "user", std::to_string(*uid));
              return st.ok() ? Response::NoContent() : rt::Err(req, st);
            },
    }));
  }
  return Status::Ok();
}

}  // namespace hrss::identity
