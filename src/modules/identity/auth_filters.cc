#include "modules/identity/auth_filters.h"

#include "core/crypto.h"
#include "core/log.h"
#include "modules/identity/identity.h"

namespace hrss::identity {

std::optional<std::string> RequestToken(const http::Request& req, bool* from_cookie) {
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
    if (from_cookie) *from_cookie = false;
    return std::string(auth.substr(7));
  }
  auto c = req.Cookie(kSessionCookie);
  if (c && !c->empty()) {
    if (from_cookie) *from_cookie = true;
    return c;
  }
  return std::nullopt;
}

namespace {

class AuthenticationFilter final : public http::Filter {
 public:
  explicit AuthenticationFilter(Identity& id) : id_(id) {}
  std::string_view name() const override { return "authentication"; }

  // Blocks when the session must be read from the database, or when the
  // route is used through a delegation (that use is audited, a write).
  bool MayBlock(const http::Request& req, const http::Route& route) override {
    if (route.is_public && !route.attach_principal) return false;
    bool from_cookie = false;
    auto token = RequestToken(req, &from_cookie);
    if (!token) return false;
    if (!id_.authenticator.ResolvesFromMemory(*token)) return true;
    auto p = id_.authenticator.Resolve(*token);  // from memory, per the check above
    return p.ok() && !route.permission.empty() && (*p)->DelegationFor(route.permission);
  }

  std::optional<http::Response> OnRequest(http::Request& req, const http::Route& route) override {
    req.principal.reset();  // only this filter sets it
    if (route.is_public && !route.attach_principal) return std::nullopt;
    bool from_cookie = false;
    auto token = RequestToken(req, &from_cookie);
    if (!token) return std::nullopt;
    auto p = id_.authenticator.Resolve(*token);
    if (!p.ok() && route.is_public) return std::nullopt;  // optional: stay anonymous
    if (!p.ok()) {
      http::Response r = http::Response::Error(p.status(), req.request_id);
      if (from_cookie && p.status().code() == Code::kUnauthenticated) {
        r.AddHeader("Set-Cookie",
                    std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
      }
      return r;
    }
    req.principal = *p;
    if (auto del = (*p)->DelegationFor(route.permission)) {
      AuditEvent e;
      e.action = "delegation.use";
      e.object_type = "permission";
      e.object_id = route.permission;
      e.delegation_id = std::to_string(*del);
      e.detail = "{\"route\":\"" + std::string(http::MethodName(route.method)) + " " +
                 route.pattern + "\"}";
      Status st = id_.Audit(req, e);
      if (!st.ok()) {
        // No audit, no delegated access.
        return http::Response::Error(Status::Unavailable("审计记录失败，请稍后重试"),
                                     req.request_id);
      }
    }
    return std::nullopt;
  }

 private:
  Identity& id_;
};

bool Unsafe(http::Method m) {
  return m == http::Method::kPost || m == http::Method::kPut || m == http::Method::kPatch ||
         m == http::Method::kDelete || m == http::Method::kOther;
}

class CsrfFilter final : public http::Filter {
 public:
  std::string_view name() const override { return "csrf"; }
  std::optional<http::Response> OnRequest(http::Request& req, const http::Route& route) override {
    if (route.is_public || !Unsafe(req.method) || !req.principal) return std::nullopt;
    bool from_cookie = false;
    if (!RequestToken(req, &from_cookie) || !from_cookie) return std::nullopt;
    const UserPrincipal* p = CurrentUser(req);
    std::string_view header = req.Header("x-csrf-token");
    auto cookie = req.Cookie(kCsrfCookie);
    bool ok = p != nullptr && !header.empty() && cookie && ConstantTimeEquals(header, *cookie) &&
              ConstantTimeEquals(Sm3Hex(header), p->data().csrf_hash);
    if (!ok) {
      return http::Response::Error(
          Status::PermissionDenied("缺少或错误的 CSRF 令牌（X-CSRF-Token）")
              .WithReason("CSRF_INVALID"),
          req.request_id);
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<http::Filter> MakeAuthenticationFilter(Identity& id) {
  return std::make_unique<AuthenticationFilter>(id);
}

std::unique_ptr<http::Filter> MakeCsrfFilter() { return std::make_unique<CsrfFilter>(); }

void InstallFilters(http::FilterChain& chain, Identity& id) {
  chain.InsertBefore("authorization", MakeAuthenticationFilter(id));
  chain.InsertBefore("authorization", MakeCsrfFilter());
}

}  // namespace hrss::identity
