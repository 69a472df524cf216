// Who is calling: attached to a Request by the authentication filter (the
// identity module implements it). The HTTP layer only needs to ask whether
// the caller holds a function permission.
#pragma once

#include <cstdint>
#include <string_view>

namespace hrss::http {

class Principal {
 public:
  virtual ~Principal() = default;
  // Stable account id, for logs and audit.
  virtual std::string_view user_id() const = 0;
  // Login name and display name (for SSO claims, logs); may be empty.
  virtual std::string_view username() const { return {}; }
  virtual std::string_view display_name() const { return {}; }
  // The server-side session this request came with (empty for API tokens).
  virtual std::string_view session_id() const { return {}; }
  // Epoch milliseconds of the last interactive authentication (0: unknown).
  virtual int64_t authenticated_at_ms() const { return 0; }
  // True when the caller holds the function permission `key`
  // (e.g. "datacenter:person:read"), directly or by delegation.
  virtual bool HasPermission(std::string_view key) const = 0;
};

}  // namespace hrss::http
