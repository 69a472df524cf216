#include "modules/identity/identity_module.h"

#include "db/migrate.h"
#include "modules/identity/audit_routes.h"
#include "modules/identity/auth_filters.h"
#include "modules/identity/auth_service.h"
#include "modules/identity/catalog.h"
#include "modules/identity/directory.h"
#include "modules/identity/routes.h"
#include "modules/identity/schema.h"
#include "platform/platform.h"

namespace hrss::identity {

IdentityModule::IdentityModule(IdentityOptions options) : options_(options) {}
IdentityModule::~IdentityModule() {
  if (identity_) SetDisplayNameLookup(nullptr);
}

Status IdentityModule::RegisterMigrations(db::Migrator& migrator) {
  HRSS_RETURN_IF_ERROR(AuditLog::RegisterMigrations(migrator));
  return RegisterIdentityMigrations(migrator);
}

Status IdentityModule::Start(Platform& platform) {
  HRSS_ASSIGN_OR_RETURN(KeyRing keys, KeyRing::LoadOrCreate(platform.config().KeyFilePath()));
  identity_ = std::make_unique<Identity>(platform.db(), platform.clock(),
                                         platform.config().security, std::move(keys), options_);
  auth_ = std::make_unique<AuthService>(*identity_);
  HRSS_RETURN_IF_ERROR(RegisterIdentityPermissions(Catalog()));
  Identity& id = *identity_;
  // The user's phone number, for POST /api/v1/pii/unmask.
  id.unmask.Register("user",
                     [&id](const UserPrincipal& caller, const std::string& object_id,
                           const std::string& field) -> Result<std::string> {
                       if (field != "phone")
                         return Status::InvalidArgument("用户对象只支持 phone 字段");
                       int64_t uid = 0;
                       try {
                         uid = std::stoll(object_id);
                       } catch (...) {
                         return Status::NotFound("用户不存在");
                       }
                       HRSS_ASSIGN_OR_RETURN(auto u, id.users.FindById(uid));
                       if (!u || !caller.ScopeFor("system").Allows(u->org_id, u->id))
                         return Status::NotFound("用户不存在");
                       return id.users.DecryptPhone(*u);
                     });
  HRSS_RETURN_IF_ERROR(RegisterAuthRoutes(platform, id, *auth_));
  HRSS_RETURN_IF_ERROR(RegisterMeRoutes(platform, id, *auth_));
  HRSS_RETURN_IF_ERROR(RegisterAdminRoutes(platform, id, *auth_));
  HRSS_RETURN_IF_ERROR(RegisterSecurityRoutes(platform, id));
  HRSS_RETURN_IF_ERROR(RegisterAuditRoutes(platform, id.audit));
  InstallFilters(platform.filters(), id);
  SetDisplayNameLookup(
      [&id](const std::vector<std::string>& names) { return id.users.DisplayNames(names); });
  return Status::Ok();
}

Status IdentityModule::LoadDemo(Platform&, const DemoOptions& options) {
  if (!identity_) return Status::FailedPrecondition("identity module not started");
  HRSS_ASSIGN_OR_RETURN(demo_accounts_, LoadIdentityDemo(*identity_, options));
  return Status::Ok();
}

std::string IdentityModule::DemoSummary() const { return FormatDemoSummary(demo_accounts_); }

}  // namespace hrss::identity
