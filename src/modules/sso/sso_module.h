// 单点登录 (R4.4): the portal is an OpenID Connect provider, so the other
// subsystems and the level-2 business systems sign users in with the one
// identity of the portal.
//
//   GET  /.well-known/openid-configuration   discovery (OpenID Connect Discovery 1.0)
//   GET  /oidc/jwks                          signing keys (ES256, RFC 7517)
//   GET  /oidc/authorize                     authorization code flow; PKCE S256 required
//   POST /oidc/token                         code -> tokens; refresh_token rotation
//   GET  /oidc/userinfo                      claims for a bearer access token
//   GET  /oidc/logout                        RP-initiated logout
//   /api/v1/sso/apps[...]                    client registry (system administrator)
//   GET  /api/v1/sso/catalog                 the applications the caller may open
//
// Codes live 60 s and are single-use; access tokens 10 min; ID tokens 10 min;
// refresh tokens rotate on every use, and presenting a rotated one revokes
// the whole family (theft detection, OAuth 2.0 Security BCP §4.14). Only
// hashes of codes and tokens are stored. The signing key is stored sealed
// with the key ring (SM4) in the database, so every node signs with it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "platform/module.h"

namespace hrss::http {
struct Request;
}

namespace hrss::sso {

class SsoModule final : public Module {
 public:
  SsoModule();
  ~SsoModule() override;
  std::string_view name() const override { return "sso"; }
  Status RegisterMigrations(db::Migrator& migrator) override;
  Status Start(Platform& platform) override;
  Status LoadDemo(Platform& platform, const DemoOptions& options) override;
  std::string DemoSummary() const override;

  // Set by the identity module: ends the portal session of the request
  // (RP-initiated logout ends the single sign-on session too).
  using EndSession = std::function<void(const http::Request&)>;
  void SetEndSession(EndSession end_session);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace hrss::sso
