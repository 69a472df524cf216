#include "modules/identity/auth_service.h"

#include "core/crypto.h"
#include "core/log.h"
#include "modules/identity/certs.h"
#include "modules/identity/identity.h"
#include "modules/identity/totp.h"

namespace hrss::identity {

namespace {
Status InvalidCredentials() {
  return Status::Unauthenticated("用户名或密码错误").WithReason("INVALID_CREDENTIALS");
}
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}
}  // namespace

Status AuthService::Fail(const User* u, const LoginRequest& r, const Status& st, bool count) {
  if (count) {
    id_.throttle.RecordFailure(r.ip, r.username);
  }
  Status result = st;
  if (count && u != nullptr) {
    int64_t until = id_.clock.NowMillis() + id_.options.lockout_ms;
    auto n = id_.users.RecordFailure(u->id, id_.options.lockout_threshold, until);
    if (!n.ok()) return n.status();
  }
  AuditEvent e;
  e.user_id = u ? std::to_string(u->id) : "";
  e.username = r.username.substr(0, 64);
  e.source_ip = r.ip;
  e.request_id = r.request_id;
  e.action = "auth.login";
  e.object_type = "user";
  e.object_id = e.user_id;
  e.success = false;
  e.detail = "{\"reason\":" + Quote(st.reason().empty() ? CodeName(st.code()) : st.reason()) + "}";
  Status a = id_.audit.Record(e);
  if (!a.ok()) log::Error("identity.audit_failed", {{"error", a.ToString()}});
  return result;
}

Result<LoginResult> AuthService::Login(const LoginRequest& r, LoginRefusal* refusal) {
  if (r.username.empty() || r.password.empty()) {
    return Status::InvalidArgument("请输入用户名和密码");
  }
  if (r.username.size() > 64 || r.password.size() > 1024) return InvalidCredentials();
  if (Status thr = id_.throttle.Check(r.ip, r.username); !thr.ok()) {
    return Fail(nullptr, r, thr, false);
  }
  const int64_t now = id_.clock.NowMillis();
  HRSS_ASSIGN_OR_RETURN(auto user, id_.users.FindByUsername(r.username));
  if (!user) {
    (void)id_.hasher.Verify(id_.hasher.DummyHash(), r.password);  // same timing
    return Fail(nullptr, r, InvalidCredentials(), true);
  }
  if (user->locked_until > now) {
    return Fail(&*user, r,
                Status::FailedPrecondition("连续登录失败次数过多，账号已锁定 15 分钟")
                    .WithReason("ACCOUNT_LOCKED"),
                false);
  }
  if (!id_.hasher.Verify(user->password_hash, r.password)) {
    return Fail(&*user, r, InvalidCredentials(), true);
  }
  if (user->status != "active") {
    return Fail(&*user, r, Status::PermissionDenied("账号已停用").WithReason("ACCOUNT_DISABLED"),
                false);
  }
  // Second factor.
  HRSS_ASSIGN_OR_RETURN(PrincipalData direct, id_.access.Direct(*user));
  bool admin = direct.admin_kind != AdminKind::kNone;
  HRSS_ASSIGN_OR_RETURN(auto certs, id_.certs.ListOf(user->id));
  std::string method = "password";
  if (!r.cert_challenge_id.empty() || !r.cert_signature.empty()) {
    auto challenge = id_.challenges.Take(r.cert_challenge_id, r.username);
    auto sig = Base64DecodeAny(r.cert_signature);
    bool ok = false;
    if (challenge && sig.ok()) {
      for (const auto& c : certs) {
        if (VerifySignature(c.public_key_pem, *challenge, *sig)) {
          ok = true;
          method = "password+cert:" + c.fingerprint.substr(0, 16);
          break;
        }
      }
    }
    if (!ok) {
      return Fail(&*user, r, Status::Unauthenticated("证书签名验证失败").WithReason("TOTP_INVALID"),
                  true);
    }
  } else if (user->totp_enabled) {
    if (r.totp.empty()) {
      return Fail(&*user, r, Status::Unauthenticated("请输入动态口令").WithReason("TOTP_REQUIRED"),
                  false);
    }
    Status t = CheckTotp(*user, r.totp);
    if (!t.ok()) return Fail(&*user, r, t, true);
    method = "password+totp";
  } else if (!certs.empty()) {
    return Fail(&*user, r,
                Status::Unauthenticated("请使用证书完成第二因素认证").WithReason("TOTP_REQUIRED"),
                false);
  } else if (admin) {
    return Fail(&*user, r,
                Status::PermissionDenied("管理员须先绑定动态口令，请联系安全管理员")
                    .WithReason("TOTP_ENROLMENT_REQUIRED"),
                false);
  }
  if (user->password_changed_at + kPasswordMaxAgeMs <= now) {
    if (refusal) refusal->change_token = IssueChangeToken(user->id);
    return Fail(&*user, r,
                Status::PermissionDenied("密码已超过 90 天未修改，请修改密码")
                    .WithReason("PASSWORD_EXPIRED"),
                false);
  }
  HRSS_RETURN_IF_ERROR(id_.users.RecordSuccess(user->id));
  HRSS_ASSIGN_OR_RETURN(NewSession ns, id_.sessions.Create(user->id, r.ip, r.user_agent, method));
  HRSS_ASSIGN_OR_RETURN(
      auto principal,
      id_.authenticator.Build(user->id, ns.session.id, ns.session.csrf_hash, now, nullptr));
  AuditEvent e;
  e.user_id = std::to_string(user->id);
  e.username = user->username;
  e.source_ip = r.ip;
  e.request_id = r.request_id;
  e.action = "auth.login";
  e.object_type = "session";
  e.object_id = ns.session.id;
  e.detail = "{\"method\":" + Quote(method) + "}";
  HRSS_RETURN_IF_ERROR(id_.audit.Record(e));
  return LoginResult{std::move(ns), std::move(principal)};
}

Status AuthService::CheckTotp(const User& u, const std::string& code) {
  auto invalid = [] { return Status::Unauthenticated("动态口令错误").WithReason("TOTP_INVALID"); };
  HRSS_ASSIGN_OR_RETURN(std::string secret, id_.users.TotpSecret(u));
  auto step = TotpVerify(secret, code, id_.clock.NowSeconds(), u.totp_last_step);
  SecureWipe(&secret);
  if (!step) return invalid();
  HRSS_ASSIGN_OR_RETURN(bool fresh, id_.users.ConsumeTotpStep(u.id, *step));
  if (!fresh) return invalid();  // used concurrently
  return Status::Ok();
}

std::string AuthService::IssueChangeToken(int64_t user_id) {
  std::string token = Base64UrlEncode(RandomBytes(32));
  int64_t now = id_.clock.NowMillis();
  std::lock_guard lock(mu_);
  for (auto it = change_tokens_.begin(); it != change_tokens_.end();) {
    it = it->second.expires_at <= now ? change_tokens_.erase(it) : std::next(it);
  }
  change_tokens_[Sm3Hex(token)] = {user_id, now + 10 * 60'000};
  return token;
}

Status AuthService::SetPassword(const User& u, const std::string& pw, bool check_history,
                                bool expired_now) {
  HRSS_RETURN_IF_ERROR(CheckPasswordPolicy(pw, u.username));
  if (check_history) {
    HRSS_ASSIGN_OR_RETURN(auto history, id_.users.PasswordHistory(u.id, kPasswordHistory));
    bool current = id_.hasher.Verify(u.password_hash, pw);
    for (const auto& h : history) current = current || id_.hasher.Verify(h, pw);
    if (current) {
      return Status::InvalidArgument("新密码不能与最近 5 次使用过的密码相同")
          .WithReason("PASSWORD_POLICY");
    }
  }
  HRSS_ASSIGN_OR_RETURN(std::string hash, id_.hasher.Hash(pw));
  int64_t changed = expired_now ? 0 : id_.clock.NowMillis();
  return id_.users.SetPassword(u.id, hash, changed, kPasswordHistory);
}

Status AuthService::ChangeExpiredPassword(const std::string& username,
                                          const std::string& change_token,
                                          const std::string& new_password, const std::string& ip) {
  int64_t user_id = 0;
  {
    std::lock_guard lock(mu_);
    auto it = change_tokens_.find(Sm3Hex(change_token));
    if (it == change_tokens_.end() || it->second.expires_at <= id_.clock.NowMillis()) {
      return Status::Unauthenticated("修改密码凭证无效或已过期，请重新登录")
          .WithReason("INVALID_CREDENTIALS");
    }
    user_id = it->second.user_id;
  }
  HRSS_ASSIGN_OR_RETURN(auto user, id_.users.FindById(user_id));
  if (!user || user->username != username) {
    return Status::Unauthenticated("修改密码凭证无效").WithReason("INVALID_CREDENTIALS");
  }
  HRSS_RETURN_IF_ERROR(SetPassword(*user, new_password, true, false));
  {
    std::lock_guard lock(mu_);
    change_tokens_.erase(Sm3Hex(change_token));
  }
  AuditEvent e;
  e.user_id = std::to_string(user->id);
  e.username = user->username;
  e.source_ip = ip;
  e.action = "auth.password.change";
  e.object_type = "user";
  e.object_id = e.user_id;
  e.detail = "{\"expired\":true}";
  return id_.audit.Record(e);
}

Status AuthService::ChangePassword(const UserPrincipal& p, const std::string& old_password,
                                   const std::string& new_password, const std::string& ip) {
  HRSS_ASSIGN_OR_RETURN(auto user, id_.users.FindById(p.id()));
  if (!user) return Status::NotFound("用户不存在");
  AuditEvent e;
  e.user_id = std::to_string(user->id);
  e.username = user->username;
  e.source_ip = ip;
  e.action = "auth.password.change";
  e.object_type = "user";
  e.object_id = e.user_id;
  if (!id_.hasher.Verify(user->password_hash, old_password)) {
    e.success = false;
    e.detail = "{\"reason\":\"INVALID_CREDENTIALS\"}";
    HRSS_RETURN_IF_ERROR(id_.audit.Record(e));
    return Status::Unauthenticated("原密码错误").WithReason("INVALID_CREDENTIALS");
  }
  Status st = SetPassword(*user, new_password, true, false);
  if (!st.ok()) return st;
  HRSS_ASSIGN_OR_RETURN(auto revoked,
                        id_.sessions.RevokeAllOf(user->id, p.data().session_id, user->id));
  for (const auto& sid : revoked) id_.authenticator.ForgetSession(sid);
  id_.authenticator.ForgetUser(user->id);
  e.detail = "{\"otherSessionsRevoked\":" + std::to_string(revoked.size()) + "}";
  return id_.audit.Record(e);
}

Status AuthService::Reauth(const UserPrincipal& p, const std::string& password,
                           const std::string& totp, const std::string& ip) {
  HRSS_ASSIGN_OR_RETURN(auto user, id_.users.FindById(p.id()));
  if (!user) return Status::NotFound("用户不存在");
  Status st = Status::Ok();
  if (!password.empty()) {
    if (!id_.hasher.Verify(user->password_hash, password)) {
      st = Status::Unauthenticated("密码错误").WithReason("INVALID_CREDENTIALS");
    }
  } else if (!totp.empty()) {
    st = user->totp_enabled ? CheckTotp(*user, totp)
                            : Status::FailedPrecondition("未启用动态口令，请使用密码验证");
  } else {
    st = Status::InvalidArgument("请提供密码或动态口令");
  }
  AuditEvent e;
  e.user_id = std::to_string(user->id);
  e.username = user->username;
  e.source_ip = ip;
  e.action = "auth.reauth";
  e.object_type = "session";
  e.object_id = p.data().session_id;
  e.success = st.ok();
  HRSS_RETURN_IF_ERROR(id_.audit.Record(e));
  if (!st.ok()) {
    if (st.code() == Code::kUnauthenticated) {
      (void)id_.users.RecordFailure(user->id, id_.options.lockout_threshold,
                                    id_.clock.NowMillis() + id_.options.lockout_ms);
    }
    return st;
  }
  HRSS_RETURN_IF_ERROR(id_.sessions.MarkReauth(p.data().session_id, id_.clock.NowMillis()));
  id_.authenticator.ForgetSession(p.data().session_id);
  return Status::Ok();
}

}  // namespace hrss::identity
