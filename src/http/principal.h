// Who is calling: attached to a Request by the authentication filter (the
// identity module implements it). The HTTP layer only needs to ask whether
// the caller holds a function permission.
#pragma once

#include <string_view>

namespace hrss::http {

class Principal {
 public:
  virtual ~Principal() = default;
  // Stable account id, for logs and audit.
  virtual std::string_view user_id() const = 0;
  // True when the caller holds the function permission `key`
  // (e.g. "datacenter:person:read"), directly or by delegation.
  virtual bool HasPermission(std::string_view key) const = 0;
};

}  // namespace hrss::http
