// Roles (repository): function permission keys, per-domain data scopes and
// an administrator kind; and which users hold which roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "modules/identity/data_scope.h"
#include "modules/identity/principal.h"

namespace hrss::identity {

struct Role {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string description;
  AdminKind admin_kind = AdminKind::kNone;
  std::vector<std::string> permissions;  // sorted, unique
  std::vector<ScopeGrant> scopes;        // at most one per (domain, kind)
};

struct Holder {
  int64_t user_id = 0;
  int64_t org_id = 0;
};

class RoleStore {
 public:
  RoleStore(db::Pool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<std::vector<Role>> List();
  Result<std::optional<Role>> Get(int64_t id);
  Result<std::vector<Role>> RolesOfUser(int64_t user_id);
  Result<std::vector<Holder>> HoldersOf(int64_t role_id);

  Result<int64_t> Create(const Role& r);
  Status Update(const Role& r);
  // FAILED_PRECONDITION while users hold the role.
  Status Delete(int64_t id);
  // Replaces the user's roles.
  Status SetUserRoles(int64_t user_id, const std::vector<int64_t>& role_ids);
  // By code, for demo data.
  Result<int64_t> Upsert(const Role& r);

 private:
  Status Load(db::Connection& c, Role& r);
  Status WriteChildren(db::Connection& c, const Role& r);

  db::Pool& pool_;
  Clock& clock_;
};

}  // namespace hrss::identity
