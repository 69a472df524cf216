#include <boost/json.hpp>

#include "core/crypto.h"
#include "modules/identity/auth_service.h"
#include "modules/identity/catalog.h"
#include "modules/identity/escalation.h"
#include "modules/identity/identity.h"
#include "modules/identity/qr.h"
#include "modules/identity/route_util.h"
#include "modules/identity/routes.h"
#include "modules/identity/totp.h"
#include "platform/platform.h"

namespace hrss::identity {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

json::object SessionJson(const Session& s, const std::string& current) {
  json::object o;
  o["id"] = s.id;
  o["current"] = s.id == current;
  o["createdAt"] = s.created_at;
  o["lastSeenAt"] = s.last_seen_at;
  o["ip"] = s.ip;
  o["userAgent"] = s.user_agent;
  return o;
}

json::object CertJson(const Certificate& c) {
  return json::object{{"id", c.id},
                      {"name", c.name},
                      {"algorithm", c.algorithm},
                      {"fingerprint", c.fingerprint},
                      {"createdAt", c.created_at}};
}

struct App {
  const char* id;
  const char* name;
  const char* url;
  const char* icon;
  const char* description;
  const char* prefix;  // any permission with this prefix opens it
};
constexpr App kApps[] = {
    {"datacenter", "数据中心", "/portal/datacenter", "DataAnalysis", "人员与业务数据汇聚、查询",
     "datacenter:"},
    {"analytics", "指挥中心", "/screen/", "Monitor", "分析决策与指挥中心大屏", "analytics:"},
    {"jubao", "城乡居民养老保险", "/portal/jubao", "Wallet", "居保参保、缴费与待遇", "jubao:"},
    {"shebao", "社会保险", "/portal/shebao", "Umbrella", "企业职工社保经办", "shebao:"},
    {"jiuye", "就业创业", "/portal/jiuye", "Briefcase", "就业登记、招聘与补贴", "jiuye:"},
    {"jiancha", "劳动保障监察", "/portal/jiancha", "Warning", "投诉举报与案件办理", "jiancha:"},
    {"system", "系统管理", "/portal/system/users", "Setting", "机构、用户与岗位", "system:"},
    {"security", "安全管理", "/portal/security/roles", "Lock", "角色、权限与在线用户", "security:"},
    {"audit", "安全审计", "/portal/audit", "Document", "审计日志查询与校验", "audit:"},
};

}  // namespace

Status RegisterMeRoutes(Platform& platform, Identity& id, AuthService& auth) {
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/me/password",
      .permission = "self:password",
      .max_body_bytes = 8 << 10,
      .summary = "修改本人密码",
      .handler =
          [&auth](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto oldp = rt::Str(*body, "oldPassword", 1024);
            auto newp = rt::Str(*body, "newPassword", 1024);
            if (!oldp.ok() || !newp.ok()) return rt::Err(req, Status::InvalidArgument("参数错误"));
            Status st = auth.ChangePassword(rt::Me(req), *oldp, *newp, req.remote_addr);
            SecureWipe(&*oldp);
            SecureWipe(&*newp);
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/me/sessions",
      .permission = "self:profile",
      .summary = "本人的登录会话",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto list = id.sessions.ListOf(me.id());
            if (!list.ok()) return rt::Err(req, list.status());
            json::array items;
            for (const auto& s : *list) items.push_back(SessionJson(s, me.data().session_id));
            return rt::Json(json::object{{"items", std::move(items)}});
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/me/sessions/{id}",
      .permission = "self:profile",
      .summary = "注销本人的某个会话",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            std::string sid(req.PathParam("id"));
            auto s = id.sessions.Get(sid);
            if (!s.ok()) return rt::Err(req, s.status());
            if (!*s || (*s)->user_id != me.id())
              return rt::Err(req, Status::NotFound("会话不存在"));
            Status st = id.sessions.Revoke(sid, me.id());
            id.authenticator.ForgetSession(sid);
            if (st.ok()) st = id.Audit(req, "session.revoke", "session", sid);
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/me/totp/enroll",
      .permission = "self:totp",
      .summary = "绑定动态口令：生成密钥（确认后生效）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            if (me.data().totp_enabled) {
              // Replacing a second factor is a credential change.
              if (Status st = RequireRecentAuth(id, me); !st.ok()) return rt::Err(req, st);
            }
            std::string secret = RandomBytes(20);
            Status st = id.users.SetTotpPending(me.id(), secret);
            if (!st.ok()) return rt::Err(req, st);
            json::object o;
            o["secret"] = Base32Encode(secret);
            o["otpauthUri"] = TotpUri("大竹人社", me.username(), secret);
            auto qr = EncodeQr(std::string(o["otpauthUri"].as_string()));
            o["qrSvg"] = qr.ok() ? QrSvg(*qr) : std::string();
            SecureWipe(&secret);
            return rt::Json(o);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/me/totp/confirm",
      .permission = "self:totp",
      .max_body_bytes = 4 << 10,
      .summary = "绑定动态口令：输入动态口令确认",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto code = rt::Str(*body, "code", 16);
            if (!code.ok()) return rt::Err(req, code.status());
            auto user = id.users.FindById(me.id());
            if (!user.ok() || !*user) return rt::Err(req, Status::NotFound("用户不存在"));
            auto secret = id.users.PendingTotpSecret(**user);
            if (!secret.ok()) return rt::Err(req, secret.status());
            auto step = TotpVerify(*secret, *code, id.clock.NowSeconds(), (*user)->totp_last_step);
            if (!step)
              return rt::Err(req,
                             Status::InvalidArgument("动态口令错误").WithReason("TOTP_INVALID"));
            Status st = id.users.EnableTotp(me.id(), *secret);
            if (st.ok()) st = id.users.ConsumeTotpStep(me.id(), *step).status();
            id.authenticator.ForgetUser(me.id());
            if (st.ok()) st = id.Audit(req, "totp.enable", "user", std::string(me.user_id()));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/me/totp",
      .permission = "self:totp",
      .summary = "解绑动态口令（管理员不可解绑）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            if (Status st = RequireRecentAuth(id, me); !st.ok()) return rt::Err(req, st);
            if (me.admin_kind() != AdminKind::kNone) {
              return rt::Err(req, Status::FailedPrecondition("管理员必须启用动态口令"));
            }
            Status st = id.users.DisableTotp(me.id());
            id.authenticator.ForgetUser(me.id());
            if (st.ok()) st = id.Audit(req, "totp.disable", "user", std::string(me.user_id()));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/me/certificates",
      .permission = "self:cert",
      .summary = "本人登记的证书公钥",
      .handler =
          [&id](Request& req) {
            auto list = id.certs.ListOf(rt::Me(req).id());
            if (!list.ok()) return rt::Err(req, list.status());
            json::array items;
            for (const auto& c : *list) items.push_back(CertJson(c));
            return rt::Json(json::object{{"items", std::move(items)}});
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/me/certificates",
      .permission = "self:cert",
      .max_body_bytes = 16 << 10,
      .summary = "登记证书公钥（SM2 或 EC P-256）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            if (Status st = RequireRecentAuth(id, me); !st.ok()) return rt::Err(req, st);
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto name = rt::Str(*body, "name", 64);
            auto pem = rt::Str(*body, "publicKeyPem", 8192);
            if (!name.ok() || !pem.ok()) return rt::Err(req, Status::InvalidArgument("参数错误"));
            auto c = id.certs.Add(me.id(), *name, *pem);
            if (!c.ok()) return rt::Err(req, c.status());
            id.authenticator.ForgetUser(me.id());
            Status st = id.Audit(req, "cert.add", "certificate", std::to_string(c->id),
                                 "{\"fingerprint\":" + rt::Q(c->fingerprint) + "}");
            return st.ok() ? rt::Json(CertJson(*c), 201) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/me/certificates/{id}",
      .permission = "self:cert",
      .summary = "删除证书公钥",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            if (Status st = RequireRecentAuth(id, me); !st.ok()) return rt::Err(req, st);
            auto cid = rt::PathId(req);
            if (!cid.ok()) return rt::Err(req, cid.status());
            Status st = id.certs.Delete(me.id(), *cid);
            if (st.ok()) st = id.Audit(req, "cert.delete", "certificate", std::to_string(*cid));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/me/apps",
      .permission = "self:profile",
      .summary = "本人可进入的应用",
      .handler =
          [](Request& req) {
            const PrincipalData& d = rt::Me(req).data();
            json::array items;
            for (const App& a : kApps) {
              std::string_view prefix = a.prefix;
              bool ok = false;
              for (const auto& k : d.direct_permissions) ok = ok || k.rfind(prefix, 0) == 0;
              for (const auto& [k, del] : d.delegated_permissions)
                ok = ok || k.rfind(prefix, 0) == 0;
              if (!ok) continue;
              items.push_back(json::object{{"id", a.id},
                                           {"name", a.name},
                                           {"url", a.url},
                                           {"icon", a.icon},
                                           {"description", a.description}});
            }
            return rt::Json(json::object{{"items", std::move(items)}});
          },
  }));

  // --- Delegation.
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/delegations",
      .permission = "self:delegation",
      .summary = "本人转出与收到的权限转授",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto given = id.delegations.Given(me.id());
            auto received = id.delegations.Received(me.id());
            if (!given.ok()) return rt::Err(req, given.status());
            if (!received.ok()) return rt::Err(req, received.status());
            int64_t now = id.clock.NowMillis();
            json::array g, r;
            for (const auto& d : *given) g.push_back(rt::DelegationJson(d, now));
            for (const auto& d : *received) r.push_back(rt::DelegationJson(d, now));
            return rt::Json(json::object{{"given", std::move(g)}, {"received", std::move(r)}});
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/delegations",
      .permission = "self:delegation",
      .max_body_bytes = 32 << 10,
      .summary = "转授本人的部分权限（限时、须说明理由）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            Delegation d;
            d.from_user_id = me.id();
            auto to = rt::Int(*body, "toUserId");
            auto perms = rt::StrList(*body, "permissions");
            auto scopes = rt::Scopes(*body, "scopes");
            auto starts = rt::Int(*body, "startsAt");
            auto ends = rt::Int(*body, "endsAt");
            auto reason = rt::Str(*body, "reason", 255);
            for (const Status& s : {to.status(), perms.status(), scopes.status(), starts.status(),
                                    ends.status(), reason.status()}) {
              if (!s.ok()) return rt::Err(req, s);
            }
            int64_t now = id.clock.NowMillis();
            if (!*to) return rt::Err(req, Status::InvalidArgument("请指定被转授人"));
            d.to_user_id = **to;
            d.starts_at = starts->value_or(now);
            if (!*ends) return rt::Err(req, Status::InvalidArgument("请指定转授结束时间"));
            d.ends_at = **ends;
            d.reason = *reason;
            if (d.reason.size() < 2) return rt::Err(req, Status::InvalidArgument("请填写转授理由"));
            if (d.ends_at <= d.starts_at || d.ends_at <= now) {
              return rt::Err(req, Status::InvalidArgument("转授结束时间须晚于开始时间和当前时间"));
            }
            if (d.ends_at - std::max(d.starts_at, now) > kMaxDelegationMs) {
              return rt::Err(req, Status::InvalidArgument("转授期限不能超过 90 天"));
            }
            if (d.to_user_id == me.id())
              return rt::Err(req, Status::InvalidArgument("不能转授给本人"));
            auto target = id.users.FindById(d.to_user_id);
            if (!target.ok()) return rt::Err(req, target.status());
            if (!*target || (*target)->status != "active") {
              return rt::Err(req, Status::NotFound("被转授人不存在或已停用"));
            }
            if (me.admin_kind() != AdminKind::kNone) {
              return rt::Err(req, EscalationDenied("管理员的权限不能转授（三权分立）"));
            }
            auto tree = id.orgs.Tree();
            if (!tree.ok()) return rt::Err(req, tree.status());
            d.permissions = *perms;
            Status st = CheckDelegation(me, d.permissions, *scopes, **tree);
            if (!st.ok()) return rt::Err(req, st);
            for (auto g : *scopes) {
              if (g.kind == ScopeKind::kOwnOrg) {  // resolved against the delegator
                g.kind = ScopeKind::kList;
                g.org_ids = {me.org_id()};
              }
              d.scopes.push_back(std::move(g));
            }
            auto did = id.delegations.Create(d);
            if (!did.ok()) return rt::Err(req, did.status());
            d.id = *did;
            d.created_at = now;
            id.authenticator.ForgetUser(d.to_user_id);
            json::array ps;
            for (const auto& p : d.permissions) ps.push_back(json::string(p));
            std::string detail = json::serialize(json::object{{"toUserId", d.to_user_id},
                                                              {"permissions", ps},
                                                              {"scopes", rt::ScopesJson(d.scopes)},
                                                              {"startsAt", d.starts_at},
                                                              {"endsAt", d.ends_at},
                                                              {"reason", d.reason}});
            AuditEvent e;
            e.action = "delegation.create";
            e.object_type = "delegation";
            e.object_id = std::to_string(d.id);
            e.detail = detail;
            st = id.Audit(req, e);
            return st.ok() ? rt::Json(rt::DelegationJson(d, now), 201) : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/delegations/{id}/revoke",
      .permission = "self:delegation",
      .summary = "撤销权限转授（转授人或安全管理员）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            auto did = rt::PathId(req);
            if (!did.ok()) return rt::Err(req, did.status());
            auto d = id.delegations.Get(*did);
            if (!d.ok()) return rt::Err(req, d.status());
            bool may =
                *d && ((*d)->from_user_id == me.id() || me.admin_kind() == AdminKind::kSecurity);
            if (!may) return rt::Err(req, Status::NotFound("转授不存在"));
            Status st = id.delegations.Revoke(*did, me.id());
            id.authenticator.ForgetUser((*d)->to_user_id);
            if (st.ok())
              st = id.Audit(req, "delegation.revoke", "delegation", std::to_string(*did));
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));
  return Status::Ok();
}

}  // namespace hrss::identity
