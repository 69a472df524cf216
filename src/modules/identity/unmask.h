// Showing a masked personal field unmasked (POST /api/v1/pii/unmask). Each
// module registers a handler for its object types; the route checks the
// pii:unmask permission, the reason and a recent re-authentication, and
// audits every attempt. A handler must apply the caller's data scope (answer
// NOT_FOUND outside it) and return the plain value.
//
//   identity.unmask.Register("person", [&](const UserPrincipal& me,
//       const std::string& id, const std::string& field) -> Result<std::string> {...});
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/status.h"
#include "modules/identity/principal.h"

namespace hrss::identity {

using UnmaskHandler = std::function<Result<std::string>(
    const UserPrincipal& caller, const std::string& object_id, const std::string& field)>;

class UnmaskRegistry {
 public:
  void Register(const std::string& object_type, UnmaskHandler handler);
  // NOT_FOUND for unknown object types.
  Result<std::string> Unmask(const UserPrincipal& caller, const std::string& object_type,
                             const std::string& object_id, const std::string& field) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, UnmaskHandler> handlers_;
};

}  // namespace hrss::identity
