#include "modules/identity/roles.h"

#include <algorithm>

#include "db/transaction.h"

namespace hrss::identity {

namespace {
Role RoleFromRow(const db::Row& r) {
  Role role;
  role.id = r.GetInt64("id");
  role.code = r.GetText("code");
  role.name = r.GetText("name");
  role.description = r.GetText("description");
  role.admin_kind = ParseAdminKind(r.GetText("admin_kind")).value_or(AdminKind::kNone);
  return role;
}
constexpr const char* kRoleColumns = "id, code, name, description, admin_kind";
}  // namespace

Status RoleStore::Load(db::Connection& c, Role& r) {
  HRSS_ASSIGN_OR_RETURN(auto perms, c.Query("SELECT perm_key FROM idn_role_permission WHERE "
                                            "role_id = ? ORDER BY perm_key",
                                            {r.id}));
  r.permissions.clear();
  for (const auto& p : perms) r.permissions.push_back(p.GetText(0));
  HRSS_ASSIGN_OR_RETURN(auto scopes, c.Query("SELECT domain, kind, org_ids FROM idn_role_scope "
                                             "WHERE role_id = ? ORDER BY domain, kind",
                                             {r.id}));
  r.scopes.clear();
  for (const auto& s : scopes) {
    auto kind = ParseScopeKind(s.GetText(1));
    if (!kind.ok()) continue;  // unknown kinds grant nothing
    r.scopes.push_back({s.GetText(0), *kind, SplitIds(s.GetText(2))});
  }
  return Status::Ok();
}

Status RoleStore::WriteChildren(db::Connection& c, const Role& r) {
  HRSS_RETURN_IF_ERROR(
      c.Exec("DELETE FROM idn_role_permission WHERE role_id = ?", {r.id}).status());
  HRSS_RETURN_IF_ERROR(c.Exec("DELETE FROM idn_role_scope WHERE role_id = ?", {r.id}).status());
  std::vector<std::string> perms = r.permissions;
  std::sort(perms.begin(), perms.end());
  perms.erase(std::unique(perms.begin(), perms.end()), perms.end());
  for (const auto& p : perms) {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_role_permission (role_id, perm_key) VALUES (?, ?)", {r.id, p})
            .status());
  }
  for (const auto& s : r.scopes) {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_role_scope (role_id, domain, kind, org_ids) "
               "VALUES (?, ?, ?, ?)",
               {r.id, s.domain, std::string(ScopeKindName(s.kind)), JoinIds(s.org_ids)})
            .status());
  }
  return Status::Ok();
}

Result<std::vector<Role>> RoleStore::List() {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto rows, conn->Query(std::string("SELECT ") + kRoleColumns + " FROM idn_role ORDER BY id"));
  std::vector<Role> out;
  for (const auto& row : rows) {
    Role r = RoleFromRow(row);
    HRSS_RETURN_IF_ERROR(Load(*conn, r));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<Role>> RoleStore::Get(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto row,
      conn->QueryOne(std::string("SELECT ") + kRoleColumns + " FROM idn_role WHERE id = ?", {id}));
  if (!row) return std::optional<Role>();
  Role r = RoleFromRow(*row);
  HRSS_RETURN_IF_ERROR(Load(*conn, r));
  return std::optional<Role>(std::move(r));
}

Result<std::vector<Role>> RoleStore::RolesOfUser(int64_t user_id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn->Query("SELECT r.id, r.code, r.name, r.description, r.admin_kind FROM "
                                    "idn_role r JOIN idn_user_role ur ON ur.role_id = r.id WHERE "
                                    "ur.user_id = ? ORDER BY r.id",
                                    {user_id}));
  std::vector<Role> out;
  for (const auto& row : rows) {
    Role r = RoleFromRow(row);
    HRSS_RETURN_IF_ERROR(Load(*conn, r));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Holder>> RoleStore::HoldersOf(int64_t role_id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT u.id, u.org_id FROM idn_user u JOIN "
                                               "idn_user_role ur ON ur.user_id = u.id WHERE "
                                               "ur.role_id = ? ORDER BY u.id",
                                               {role_id}));
  std::vector<Holder> out;
  for (const auto& r : rows) out.push_back({r.GetInt64(0), r.GetInt64(1)});
  return out;
}

Result<int64_t> RoleStore::Create(const Role& r) {
  int64_t now = clock_.NowMillis();
  int64_t id = 0;
  HRSS_RETURN_IF_ERROR(db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_role (code, name, description, admin_kind, "
               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
               {r.code, r.name, r.description, std::string(AdminKindName(r.admin_kind)), now, now})
            .status());
    Role copy = r;
    copy.id = id = c.LastInsertId();
    return WriteChildren(c, copy);
  }));
  return id;
}

Status RoleStore::Update(const Role& r) {
  int64_t now = clock_.NowMillis();
  return db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE idn_role SET name = ?, description = ?, "
                                            "admin_kind = ?, updated_at = ? WHERE id = ?",
                                            {r.name, r.description,
                                             std::string(AdminKindName(r.admin_kind)), now, r.id}));
    if (n == 0) return Status::NotFound("角色不存在");
    return WriteChildren(c, r);
  });
}

Status RoleStore::Delete(int64_t id) {
  return db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(auto cnt, c.QueryOne("SELECT COUNT(*) AS n FROM idn_user_role WHERE "
                                               "role_id = ?",
                                               {id}));
    if (cnt && cnt->GetInt64("n") > 0)
      return Status::FailedPrecondition("角色仍有用户持有，不能删除");
    HRSS_RETURN_IF_ERROR(
        c.Exec("DELETE FROM idn_role_permission WHERE role_id = ?", {id}).status());
    HRSS_RETURN_IF_ERROR(c.Exec("DELETE FROM idn_role_scope WHERE role_id = ?", {id}).status());
    HRSS_ASSIGN_OR_RETURN(int64_t n, c.Exec("DELETE FROM idn_role WHERE id = ?", {id}));
    return n == 0 ? Status::NotFound("角色不存在") : Status::Ok();
  });
}

Status RoleStore::SetUserRoles(int64_t user_id, const std::vector<int64_t>& role_ids) {
  return db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(c.Exec("DELETE FROM idn_user_role WHERE user_id = ?", {user_id}).status());
    std::vector<int64_t> ids = role_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int64_t r : ids) {
      HRSS_RETURN_IF_ERROR(
          c.Exec("INSERT INTO idn_user_role (user_id, role_id) VALUES (?, ?)", {user_id, r})
              .status());
    }
    return Status::Ok();
  });
}

Result<int64_t> RoleStore::Upsert(const Role& r) {
  int64_t id = 0;
  {
    HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
    HRSS_ASSIGN_OR_RETURN(auto row,
                          conn->QueryOne("SELECT id FROM idn_role WHERE code = ?", {r.code}));
    if (row) id = row->GetInt64(0);
  }
  if (id == 0) return Create(r);
  Role copy = r;
  copy.id = id;
  HRSS_RETURN_IF_ERROR(Update(copy));
  return id;
}

}  // namespace hrss::identity
