// Delegation (权限转授): a user lends a subset of their own direct
// permissions and data scope to another user for a time window, with a
// reason. Revocable by the delegator or the security administrator; expires
// by the injected clock; a received right can never be delegated again
// (only direct rights are delegable, see escalation.h). Every use of a
// delegated permission is audited with the delegation's id (auth_filters.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "modules/identity/data_scope.h"

namespace hrss::identity {

inline constexpr int64_t kMaxDelegationMs = 90LL * 24 * 3600 * 1000;  // 90 days

struct Delegation {
  int64_t id = 0;
  int64_t from_user_id = 0;
  int64_t to_user_id = 0;
  std::vector<std::string> permissions;
  // Relative kinds are stored resolved against the delegator: own_org
  // becomes a list of the delegator's org; self means the delegator's own
  // records.
  std::vector<ScopeGrant> scopes;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  std::string reason;
  int64_t created_at = 0;
  int64_t revoked_at = 0;
  int64_t revoked_by = 0;

  bool ActiveAt(int64_t now_ms) const {
    return revoked_at == 0 && starts_at <= now_ms && now_ms < ends_at;
  }
};

class DelegationStore {
 public:
  DelegationStore(db::Pool& pool, Clock& clock) : pool_(pool), clock_(clock) {}

  Result<int64_t> Create(const Delegation& d);
  Result<std::optional<Delegation>> Get(int64_t id);
  Result<std::vector<Delegation>> Given(int64_t from_user_id);
  Result<std::vector<Delegation>> Received(int64_t to_user_id);
  // Not revoked and not yet ended (may start later).
  Result<std::vector<Delegation>> PendingOrActiveFor(int64_t to_user_id, int64_t now_ms);
  // FAILED_PRECONDITION when already revoked.
  Status Revoke(int64_t id, int64_t by_user_id);

 private:
  Result<std::vector<Delegation>> Select(const std::string& where, const db::Params& params);

  db::Pool& pool_;
  Clock& clock_;
};

std::string EncodeScopes(const std::vector<ScopeGrant>& scopes);
std::vector<ScopeGrant> DecodeScopes(std::string_view text);

}  // namespace hrss::identity
