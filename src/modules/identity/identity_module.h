// The identity module (issue 3): org tree, users, roles, function and data
// permissions, sessions, TOTP and certificate second factors, delegation,
// masking/unmasking and the audit log. It installs the authentication and
// CSRF filters in front of the platform's authorization filter.
//
// Other modules use, from a request: identity::CurrentUser(req) (principal.h)
// and its ScopeFor(domain) (data_scope.h); at start-up:
// identity::Catalog().Add(...) for their permission keys (catalog.h) and
// IdentityModule::identity()->unmask.Register(...) for unmask handlers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "modules/identity/demo.h"
#include "modules/identity/identity.h"
#include "platform/module.h"

namespace hrss::identity {

class AuthService;

class IdentityModule final : public Module {
 public:
  explicit IdentityModule(IdentityOptions options = {});
  ~IdentityModule() override;

  std::string_view name() const override { return "identity"; }
  Status RegisterMigrations(db::Migrator& migrator) override;
  Status Start(Platform& platform) override;
  Status LoadDemo(Platform& platform, const DemoOptions& options) override;
  std::string DemoSummary() const override;

  // After Start(); nullptr before.
  Identity* identity() { return identity_.get(); }
  AuthService* auth() { return auth_.get(); }

 private:
  IdentityOptions options_;
  std::unique_ptr<Identity> identity_;
  std::unique_ptr<AuthService> auth_;
  std::vector<DemoAccount> demo_accounts_;
};

}  // namespace hrss::identity
