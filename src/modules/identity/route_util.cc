#include "modules/identity/route_util.h"

#include <charconv>

#include "modules/identity/delegation.h"
#include "modules/identity/roles.h"

namespace hrss::identity::rt {

namespace json = boost::json;

http::Response Err(const http::Request& req, const Status& st) {
  http::Response r = http::Response::Error(st, req.request_id);
  if (st.reason() == "ACCOUNT_LOCKED") r.status = 423;
  return r;
}

http::Response Json(const json::value& v, int status) { return http::Response::Json(status, v); }

Result<json::object> Body(const http::Request& req) {
  HRSS_ASSIGN_OR_RETURN(json::value v, http::ParseJsonBody(req));
  if (!v.is_object()) return Status::InvalidArgument("请求体须为 JSON 对象");
  return std::move(v.as_object());
}

Result<std::string> Str(const json::object& o, std::string_view key, size_t max_len) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return Status::InvalidArgument("字段 " + std::string(key) + " 须为字符串");
  const json::string& s = v->get_string();
  if (s.size() > max_len) return Status::InvalidArgument("字段 " + std::string(key) + " 过长");
  return std::string(s.data(), s.size());
}

Result<std::optional<int64_t>> Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(v->get_uint64()));
  }
  if (v->is_string()) {
    const auto& s = v->get_string();
    int64_t x = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec == std::errc() && p == s.data() + s.size()) return std::optional<int64_t>(x);
  }
  return Status::InvalidArgument("字段 " + std::string(key) + " 须为整数");
}

Result<std::vector<std::string>> StrList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->get_array().size() > 1000) {
    return Status::InvalidArgument("字段 " + std::string(key) + " 须为字符串数组");
  }
  for (const auto& e : v->get_array()) {
    if (!e.is_string())
      return Status::InvalidArgument("字段 " + std::string(key) + " 须为字符串数组");
    out.emplace_back(e.get_string().data(), e.get_string().size());
  }
  return out;
}

Result<std::vector<int64_t>> IntList(const json::object& o, std::string_view key) {
  std::vector<int64_t> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->get_array().size() > 1000) {
    return Status::InvalidArgument("字段 " + std::string(key) + " 须为整数数组");
  }
  for (const auto& e : v->get_array()) {
    json::object tmp;
    tmp["x"] = e;
    HRSS_ASSIGN_OR_RETURN(auto x, Int(tmp, "x"));
    if (!x) return Status::InvalidArgument("字段 " + std::string(key) + " 须为整数数组");
    out.push_back(*x);
  }
  return out;
}

Result<std::vector<ScopeGrant>> Scopes(const json::object& o, std::string_view key) {
  std::vector<ScopeGrant> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->get_array().size() > 100) {
    return Status::InvalidArgument("字段 " + std::string(key) + " 须为数据范围数组");
  }
  for (const auto& e : v->get_array()) {
    if (!e.is_object()) return Status::InvalidArgument("数据范围须为对象");
    const auto& so = e.get_object();
    ScopeGrant g;
    HRSS_ASSIGN_OR_RETURN(g.domain, Str(so, "domain", 32));
    if (!IsScopeDomain(g.domain)) return Status::InvalidArgument("未知的业务域：" + g.domain);
    HRSS_ASSIGN_OR_RETURN(std::string kind, Str(so, "kind", 32));
    HRSS_ASSIGN_OR_RETURN(g.kind, ParseScopeKind(kind));
    HRSS_ASSIGN_OR_RETURN(g.org_ids, IntList(so, "orgIds"));
    for (const auto& x : out) {
      if (x.domain == g.domain && x.kind == g.kind) {
        return Status::InvalidArgument("同一业务域的同类数据范围重复：" + g.domain);
      }
    }
    out.push_back(std::move(g));
  }
  return out;
}

Result<int64_t> PathId(const http::Request& req, std::string_view name) {
  std::string_view s = req.PathParam(name);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || p != s.data() + s.size() || x <= 0)
    return Status::NotFound("对象不存在");
  return x;
}

Result<Page> ParsePage(const http::Request& req) {
  Page p;
  auto parse = [](const std::optional<std::string>& s, int lo, int hi, int* out) -> bool {
    if (!s) return true;
    int x = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), x);
    if (ec != std::errc() || ptr != s->data() + s->size() || x < lo || x > hi) return false;
    *out = x;
    return true;
  };
  if (!parse(req.QueryParam("page"), 1, 1000000, &p.page))
    return Status::InvalidArgument("page 须为正整数");
  if (!parse(req.QueryParam("size"), 1, 200, &p.size))
    return Status::InvalidArgument("size 须为 1–200");
  return p;
}

json::object PageJson(json::array items, int64_t total, const Page& p) {
  json::object o;
  o["items"] = std::move(items);
  o["total"] = total;
  o["page"] = p.page;
  o["size"] = p.size;
  return o;
}

const UserPrincipal& Me(const http::Request& req) { return *CurrentUser(req); }

json::array ScopesJson(const std::vector<ScopeGrant>& scopes) {
  json::array a;
  for (const auto& s : scopes) {
    json::object o;
    o["domain"] = s.domain;
    o["kind"] = ScopeKindName(s.kind);
    json::array ids;
    for (int64_t id : s.org_ids) ids.push_back(id);
    o["orgIds"] = std::move(ids);
    a.push_back(std::move(o));
  }
  return a;
}

json::object SessionUserJson(const UserPrincipal& p) {
  const PrincipalData& d = p.data();
  json::object u;
  u["id"] = d.user_id;
  u["username"] = d.username;
  u["displayName"] = d.display_name;
  u["orgId"] = d.org_id;
  u["orgName"] = d.org_name;
  u["divisionCode"] = d.division_code;
  json::array roles;
  for (const auto& r : d.roles) roles.push_back(json::object{{"id", r.id}, {"name", r.name}});
  u["roles"] = std::move(roles);
  json::array perms;
  for (const auto& k : d.direct_permissions) perms.push_back(json::string(k));
  for (const auto& [k, del] : d.delegated_permissions) perms.push_back(json::string(k));
  u["permissions"] = std::move(perms);
  json::object scopes;
  for (const auto& [domain, s] : d.effective_scopes) {
    json::object so;
    std::string kind = s.all()               ? "all"
                       : s.org_ids().empty() ? (s.owner_ids().empty() ? "none" : "self")
                                             : "list";
    so["kind"] = kind;
    json::array ids;
    for (int64_t o : s.org_ids()) ids.push_back(o);
    so["orgIds"] = std::move(ids);
    scopes[domain] = std::move(so);
  }
  u["scopes"] = std::move(scopes);
  if (d.admin_kind == AdminKind::kNone) {
    u["adminRole"] = nullptr;
  } else {
    u["adminRole"] = AdminKindName(d.admin_kind);
  }
  u["totpEnabled"] = d.totp_enabled;
  u["passwordExpiresAt"] = d.password_expires_at_ms;
  json::array from;
  for (const auto& del : d.delegations) {
    json::object o;
    o["delegationId"] = del.id;
    o["fromUser"] = del.from_username;
    json::array ps;
    for (const auto& k : del.permissions) ps.push_back(json::string(k));
    o["permissions"] = std::move(ps);
    o["endsAt"] = del.ends_at_ms;
    from.push_back(std::move(o));
  }
  u["delegatedFrom"] = std::move(from);
  return u;
}

json::object RoleJson(const Role& r) {
  json::object o;
  o["id"] = r.id;
  o["code"] = r.code;
  o["name"] = r.name;
  o["description"] = r.description;
  json::array perms;
  for (const auto& p : r.permissions) perms.push_back(json::string(p));
  o["permissions"] = std::move(perms);
  o["scopes"] = ScopesJson(r.scopes);
  if (r.admin_kind == AdminKind::kNone) {
    o["adminRole"] = nullptr;
  } else {
    o["adminRole"] = AdminKindName(r.admin_kind);
  }
  return o;
}

json::object DelegationJson(const Delegation& d, int64_t now) {
  json::object o;
  o["id"] = d.id;
  o["fromUserId"] = d.from_user_id;
  o["toUserId"] = d.to_user_id;
  json::array perms;
  for (const auto& p : d.permissions) perms.push_back(json::string(p));
  o["permissions"] = std::move(perms);
  o["scopes"] = ScopesJson(d.scopes);
  o["startsAt"] = d.starts_at;
  o["endsAt"] = d.ends_at;
  o["reason"] = d.reason;
  o["createdAt"] = d.created_at;
  o["revokedAt"] = d.revoked_at == 0 ? json::value(nullptr) : json::value(d.revoked_at);
  o["status"] = d.revoked_at != 0   ? "revoked"
                : now >= d.ends_at  ? "expired"
                : now < d.starts_at ? "pending"
                                    : "active";
  return o;
}

std::string Q(std::string_view s) { return json::serialize(json::value(json::string(s))); }

}  // namespace hrss::identity::rt
