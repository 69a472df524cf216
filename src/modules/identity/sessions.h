// Server-side sessions. A session token is 32 random bytes (base64url, 43
// characters); only its SM3 hash is stored, so a database leak does not
// hand out sessions. Each session also has a public id (for listing and
// forced logout) and a CSRF token (double submit, hash stored too).
// Idle timeout (security.session_idle_minutes) and absolute lifetime
// (security.session_absolute_hours) are measured with the injected Clock;
// last_seen_at is written at most once a minute per session, so the idle
// timeout has one-minute granularity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"

namespace hrss::identity {

inline constexpr int64_t kTouchIntervalMs = 60'000;

struct Session {
  std::string id;
  int64_t user_id = 0;
  std::string csrf_hash;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // absolute
  int64_t reauth_at = 0;
  std::string ip;
  std::string user_agent;
  std::string auth_method;
  int64_t revoked_at = 0;
};

struct NewSession {
  Session session;
  std::string token;  // secret; given to the client once
  std::string csrf;   // secret; cookie hrss_csrf
};

class SessionStore {
 public:
  SessionStore(db::Pool& pool, Clock& clock, int64_t idle_ms, int64_t absolute_ms)
      : pool_(pool), clock_(clock), idle_ms_(idle_ms), absolute_ms_(absolute_ms) {}

  int64_t idle_ms() const { return idle_ms_; }

  Result<NewSession> Create(int64_t user_id, std::string_view ip, std::string_view user_agent,
                            std::string_view auth_method);
  // The live session for `token`: nullopt when unknown, revoked, idle too
  // long or past its absolute lifetime.
  Result<std::optional<Session>> Find(std::string_view token);
  bool Live(const Session& s, int64_t now) const;
  Result<std::optional<Session>> Get(const std::string& id);

  Status Touch(const std::string& id, int64_t now);
  Status MarkReauth(const std::string& id, int64_t now);
  // OK when already revoked; NOT_FOUND when unknown.
  Status Revoke(const std::string& id, int64_t by_user_id);
  // Revokes every live session of the user except `keep_id`; returns their ids.
  Result<std::vector<std::string>> RevokeAllOf(int64_t user_id, const std::string& keep_id,
                                               int64_t by_user_id);
  Result<std::vector<Session>> ListOf(int64_t user_id);
  // Live sessions of everyone (online users), newest first.
  Result<std::vector<Session>> ListLive(int page, int size, int64_t* total);

 private:
  db::Pool& pool_;
  Clock& clock_;
  const int64_t idle_ms_;
  const int64_t absolute_ms_;
};

}  // namespace hrss::identity
