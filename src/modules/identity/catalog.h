// The permission catalog: every function permission key (menu, button, API)
// the platform knows, as a tree for the role editor. Modules add their keys
// when they start; a route's permission must be in the catalog (a test walks
// the router), and roles and delegations may only carry catalog keys.
//
//   identity::Catalog().Add({.key = "datacenter:person:read", .name = "人员查询",
//                            .kind = PermissionKind::kApi, .parent = "datacenter"});
//
// Keys are `domain:object:action` (lower case, [a-z0-9_:*-]). Keys starting
// with "self:" are held implicitly by every signed-in user and are never
// granted. The catalog is process-wide (like db::Migrator::Global) and
// thread-safe; adding the same key twice with the same name is a no-op.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::identity {

enum class PermissionKind { kMenu, kButton, kApi };
std::string_view PermissionKindName(PermissionKind k);

struct PermissionEntry {
  std::string key;
  std::string name;
  PermissionKind kind = PermissionKind::kApi;
  std::string parent;  // key of the parent menu, empty for a top-level menu
  int sort = 0;
};

// True for keys every signed-in user holds ("self:...").
inline bool IsImplicitPermission(std::string_view key) { return key.rfind("self:", 0) == 0; }

class PermissionCatalog {
 public:
  // INVALID_ARGUMENT for a malformed key; CONFLICT when the key exists with
  // another name or parent.
  Status Add(PermissionEntry e);
  bool Contains(std::string_view key) const;
  std::optional<PermissionEntry> Find(std::string_view key) const;
  // All entries in insertion order.
  std::vector<PermissionEntry> Entries() const;

 private:
  mutable std::mutex mu_;
  std::vector<PermissionEntry> entries_;
};

// The process-wide catalog.
PermissionCatalog& Catalog();

// Adds the identity module's own keys and the top-level menus of the
// platform's later subsystems (datacenter, analytics, ...). Idempotent.
Status RegisterIdentityPermissions(PermissionCatalog& catalog);

}  // namespace hrss::identity
