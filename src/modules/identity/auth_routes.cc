#include <boost/json.hpp>

#include "core/crypto.h"
#include "modules/identity/auth_filters.h"
#include "modules/identity/auth_service.h"
#include "modules/identity/certs.h"
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

std::string CookieAttrs(const Identity& id, bool http_only) {
  std::string a = "; Path=/; SameSite=Lax";
  if (http_only) a += "; HttpOnly";
  if (id.security.cookie_secure) a += "; Secure";
  return a;
}

void SetSessionCookies(const Identity& id, Response& r, const NewSession& ns) {
  std::string max_age =
      "; Max-Age=" + std::to_string(int64_t{id.security.session_absolute_hours} * 3600);
  r.AddHeader("Set-Cookie",
              std::string(kSessionCookie) + "=" + ns.token + max_age + CookieAttrs(id, true));
  r.AddHeader("Set-Cookie",
              std::string(kCsrfCookie) + "=" + ns.csrf + max_age + CookieAttrs(id, false));
}

void ClearSessionCookies(const Identity& id, Response& r) {
  r.AddHeader("Set-Cookie", std::string(kSessionCookie) + "=; Max-Age=0" + CookieAttrs(id, true));
  r.AddHeader("Set-Cookie", std::string(kCsrfCookie) + "=; Max-Age=0" + CookieAttrs(id, false));
}

// Administrator TOTP enrolment before the first sign-in (TOTP_ENROLMENT_REQUIRED).
class EnrolmentTokens {
 public:
  std::string Issue(int64_t user_id, int64_t now) {
    std::string t = Base64UrlEncode(RandomBytes(32));
    std::lock_guard lock(mu_);
    for (auto it = m_.begin(); it != m_.end();)
      it = it->second.second <= now ? m_.erase(it) : std::next(it);
    m_[Sm3Hex(t)] = {user_id, now + 10 * 60'000};
    return t;
  }
  std::optional<int64_t> Check(const std::string& token, int64_t now, bool consume) {
    std::lock_guard lock(mu_);
    auto it = m_.find(Sm3Hex(token));
    if (it == m_.end() || it->second.second <= now) return std::nullopt;
    int64_t uid = it->second.first;
    if (consume) m_.erase(it);
    return uid;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<int64_t, int64_t>> m_;
};

}  // namespace

Status RegisterAuthRoutes(Platform& platform, Identity& id, AuthService& auth) {
  auto enrol = std::make_shared<EnrolmentTokens>();

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/login",
      .is_public = true,
      .max_body_bytes = 16 << 10,
      .summary = "登录（密码 + 动态口令或证书）",
      .handler =
          [&id, &auth, enrol](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            LoginRequest lr;
            for (auto [field, key] : {std::pair{&lr.username, "username"},
                                      {&lr.password, "password"},
                                      {&lr.totp, "totp"},
                                      {&lr.cert_challenge_id, "certChallengeId"},
                                      {&lr.cert_signature, "certSignature"}}) {
              auto v = rt::Str(*body, key, 4096);
              if (!v.ok()) return rt::Err(req, v.status());
              *field = std::move(*v);
            }
            lr.ip = req.remote_addr;
            lr.user_agent = std::string(req.Header("user-agent"));
            lr.request_id = req.request_id;
            LoginRefusal refusal;
            auto res = auth.Login(lr, &refusal);
            SecureWipe(&lr.password);
            if (!res.ok()) {
              const Status& st = res.status();
              if (st.reason() == "PASSWORD_EXPIRED" || st.reason() == "TOTP_ENROLMENT_REQUIRED") {
                json::object o;
                o["code"] = st.reason();
                o["message"] = st.message();
                o["requestId"] = req.request_id;
                if (st.reason() == "PASSWORD_EXPIRED") {
                  o["changeToken"] = refusal.change_token;
                } else if (auto u = id.users.FindByUsername(lr.username); u.ok() && *u) {
                  o["enrolmentToken"] = enrol->Issue((*u)->id, id.clock.NowMillis());
                }
                Response r = rt::Json(o, 403);
                r.error_code = st.code();
                return r;
              }
              return rt::Err(req, st);
            }
            json::object o;
            o["user"] = rt::SessionUserJson(*res->principal);
            o["token"] = res->session.token;
            Response r = rt::Json(o);
            SetSessionCookies(id, r, res->session);
            return r;
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/password/expired",
      .is_public = true,
      .max_body_bytes = 16 << 10,
      .summary = "修改已过期的密码（凭登录时返回的一次性凭证）",
      .handler =
          [&auth](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto u = rt::Str(*body, "username", 64);
            auto t = rt::Str(*body, "changeToken", 128);
            auto p = rt::Str(*body, "newPassword", 1024);
            for (const Status& s : {u.status(), t.status(), p.status()}) {
              if (!s.ok()) return rt::Err(req, s);
            }
            Status st = auth.ChangeExpiredPassword(*u, *t, *p, req.remote_addr);
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/cert/challenge",
      .is_public = true,
      .max_body_bytes = 4 << 10,
      .summary = "证书登录挑战值",
      .handler =
          [&id](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto u = rt::Str(*body, "username", 64);
            if (!u.ok() || u->empty()) return rt::Err(req, Status::InvalidArgument("请输入用户名"));
            // Issued for any name, so it does not reveal which accounts exist.
            auto c = id.challenges.Issue(*u);
            return rt::Json(
                json::object{{"challengeId", c.id}, {"challenge", Base64Encode(c.bytes)}});
          },
  }));

  // Administrator TOTP enrolment with the token from TOTP_ENROLMENT_REQUIRED.
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/totp/enroll",
      .is_public = true,
      .max_body_bytes = 4 << 10,
      .summary = "管理员首次登录绑定动态口令：生成密钥",
      .handler =
          [&id, enrol](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto u = rt::Str(*body, "username", 64);
            auto t = rt::Str(*body, "enrolmentToken", 128);
            if (!u.ok() || !t.ok()) return rt::Err(req, Status::InvalidArgument("参数错误"));
            auto uid = enrol->Check(*t, id.clock.NowMillis(), false);
            auto user =
                uid ? id.users.FindById(*uid) : Result<std::optional<User>>(std::optional<User>());
            if (!uid || !user.ok() || !*user || (*user)->username != *u || (*user)->totp_enabled) {
              return rt::Err(req, Status::Unauthenticated("绑定凭证无效或已过期")
                                      .WithReason("INVALID_CREDENTIALS"));
            }
            std::string secret = RandomBytes(20);
            Status st = id.users.SetTotpPending(*uid, secret);
            if (!st.ok()) return rt::Err(req, st);
            json::object o;
            o["secret"] = Base32Encode(secret);
            o["otpauthUri"] = TotpUri("大竹人社", *u, secret);
            auto qr = EncodeQr(std::string(o["otpauthUri"].as_string()));
            o["qrSvg"] = qr.ok() ? QrSvg(*qr) : std::string();
            return rt::Json(o);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/totp/confirm",
      .is_public = true,
      .max_body_bytes = 4 << 10,
      .summary = "管理员首次登录绑定动态口令：确认",
      .handler =
          [&id, enrol](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto u = rt::Str(*body, "username", 64);
            auto t = rt::Str(*body, "enrolmentToken", 128);
            auto code = rt::Str(*body, "code", 16);
            if (!u.ok() || !t.ok() || !code.ok())
              return rt::Err(req, Status::InvalidArgument("参数错误"));
            auto uid = enrol->Check(*t, id.clock.NowMillis(), false);
            auto user =
                uid ? id.users.FindById(*uid) : Result<std::optional<User>>(std::optional<User>());
            if (!uid || !user.ok() || !*user || (*user)->username != *u) {
              return rt::Err(req, Status::Unauthenticated("绑定凭证无效或已过期")
                                      .WithReason("INVALID_CREDENTIALS"));
            }
            auto secret = id.users.PendingTotpSecret(**user);
            if (!secret.ok()) return rt::Err(req, secret.status());
            auto step = TotpVerify(*secret, *code, id.clock.NowSeconds(), (*user)->totp_last_step);
            if (!step)
              return rt::Err(req,
                             Status::Unauthenticated("动态口令错误").WithReason("TOTP_INVALID"));
            Status st = id.users.EnableTotp(*uid, *secret);
            if (st.ok()) st = id.users.ConsumeTotpStep(*uid, *step).status();
            if (!st.ok()) return rt::Err(req, st);
            enrol->Check(*t, id.clock.NowMillis(), true);
            AuditEvent e;
            e.user_id = std::to_string(*uid);
            e.username = *u;
            e.action = "totp.enable";
            e.object_type = "user";
            e.object_id = e.user_id;
            st = id.Audit(req, e);
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/logout",
      .permission = "self:profile",
      .summary = "退出登录（服务端注销会话）",
      .handler =
          [&id](Request& req) {
            const UserPrincipal& me = rt::Me(req);
            Status st = id.sessions.Revoke(me.data().session_id, me.id());
            id.authenticator.ForgetSession(me.data().session_id);
            if (!st.ok()) return rt::Err(req, st);
            AuditEvent e;
            e.action = "auth.logout";
            e.object_type = "session";
            e.object_id = me.data().session_id;
            st = id.Audit(req, e);
            if (!st.ok()) return rt::Err(req, st);
            Response r = Response::NoContent();
            ClearSessionCookies(id, r);
            return r;
          },
  }));

  for (const char* path : {"/api/v1/auth/session", "/api/v1/me"}) {
    HRSS_RETURN_IF_ERROR(platform.AddRoute({
        .method = Method::kGet,
        .pattern = path,
        .permission = "self:profile",
        // Answers from the resolved principal alone. Runs on the I/O thread
        // when the session is in memory (the authentication filter's
        // MayBlock() sends the request to the worker pool otherwise).
        .execution = http::Execution::kInline,
        .summary = "当前登录用户",
        .handler =
            [](Request& req) {
              return rt::Json(json::object{{"user", rt::SessionUserJson(rt::Me(req))}});
            },
    }));
  }

  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/auth/reauth",
      .permission = "self:profile",
      .max_body_bytes = 4 << 10,
      .summary = "敏感操作前重新验证身份（密码或动态口令）",
      .handler =
          [&auth](Request& req) {
            auto body = rt::Body(req);
            if (!body.ok()) return rt::Err(req, body.status());
            auto pw = rt::Str(*body, "password", 1024);
            auto totp = rt::Str(*body, "totp", 16);
            if (!pw.ok() || !totp.ok()) return rt::Err(req, Status::InvalidArgument("参数错误"));
            Status st = auth.Reauth(rt::Me(req), *pw, *totp, req.remote_addr);
            SecureWipe(&*pw);
            return st.ok() ? Response::NoContent() : rt::Err(req, st);
          },
  }));
  return Status::Ok();
}

}  // namespace hrss::identity
