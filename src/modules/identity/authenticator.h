// Resolves a session token to a UserPrincipal, with a small in-memory cache
// of hot sessions (a few seconds, by the injected Clock) so that an
// authenticated request usually costs one hash and one map lookup.
//
// Revocation is immediate on the node that revokes (Forget*); other nodes
// notice within IdentityOptions::principal_cache_ms. A cached entry also
// never outlives its session's absolute expiry, its idle timeout or the next
// start/end of a delegation the user receives. When an entry's few seconds
// are up, one request reloads it while concurrent requests of the same
// session keep using it (no thundering herd on a hot session).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "modules/identity/principal.h"

namespace hrss::identity {

class Identity;

class Authenticator {
 public:
  Authenticator(Identity& id, int64_t cache_ms) : id_(id), cache_ms_(cache_ms) {}

  // The principal for `token`; 401 SESSION_EXPIRED when the token names no
  // live session (unknown, revoked, idle, expired, account disabled).
  Result<std::shared_ptr<const UserPrincipal>> Resolve(std::string_view token);
  // Builds a principal for a session (login, tests).
  Result<std::shared_ptr<const UserPrincipal>> Build(int64_t user_id, const std::string& session_id,
                                                     const std::string& csrf_hash,
                                                     int64_t reauth_at, int64_t* next_change_at);

  // True when Resolve(token) would answer from memory alone, without SQL: a
  // usable, fresh cache entry whose last-seen write is not due (or a token
  // that is malformed anyway). Cheap; never blocks on I/O.
  bool ResolvesFromMemory(std::string_view token);

  void ForgetSession(const std::string& session_id);
  void ForgetUser(int64_t user_id);
  void ForgetAll();

 private:
  struct Entry {
    std::shared_ptr<const UserPrincipal> principal;
    std::string session_id;
    int64_t user_id = 0;
    int64_t valid_until = 0;              // soft cache lifetime (cached_at + cache_ms)
    int64_t hard_until = 0;               // never served past: next delegation change
    int64_t expires_at = 0;               // absolute session expiry
    std::atomic<bool> refreshing{false};  // one request reloads, the others keep the entry
    std::atomic<int64_t> last_seen{0};
    std::atomic<int64_t> last_written{0};
  };

  Identity& id_;
  const int64_t cache_ms_;
  std::mutex mu_;
  uint64_t generation_ = 0;  // GUARDED_BY(mu_); bumped by Forget*, so a reload
                             // that raced with a revocation is not cached
  std::unordered_map<std::string, std::shared_ptr<Entry>> cache_;  // token hash -> entry
};

}  // namespace hrss::identity
