#include "modules/identity/authenticator.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/log.h"
#include "modules/identity/identity.h"

namespace hrss::identity {

namespace {
Status Expired() {
  return Status::Unauthenticated("会话已失效，请重新登录").WithReason("SESSION_EXPIRED");
}
}  // namespace

Result<std::shared_ptr<const UserPrincipal>> Authenticator::Build(int64_t user_id,
                                                                  const std::string& session_id,
                                                                  const std::string& csrf_hash,
                                                                  int64_t reauth_at,
                                                                  int64_t* next_change_at) {
  HRSS_ASSIGN_OR_RETURN(auto user, id_.users.FindById(user_id));
  if (!user || user->status != "active") return Expired();
  HRSS_ASSIGN_OR_RETURN(ResolvedAccess acc, id_.access.Resolve(*user, id_.clock.NowMillis()));
  acc.data.session_id = session_id;
  acc.data.csrf_hash = csrf_hash;
  acc.data.reauth_at_ms = reauth_at;
  if (next_change_at) *next_change_at = acc.next_change_at;
  return std::shared_ptr<const UserPrincipal>(std::make_shared<UserPrincipal>(std::move(acc.data)));
}

bool Authenticator::ResolvesFromMemory(std::string_view token) {
  if (token.size() != 43) return true;  // refused without a lookup
  const std::string key = Sm3Hex(token);
  const int64_t now = id_.clock.NowMillis();
  const int64_t idle = id_.sessions.idle_ms();
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return false;
  const Entry& e = *it->second;
  int64_t last = e.last_seen.load();
  bool usable =
      now < e.hard_until && now < e.expires_at && now - last <= idle && now >= last - cache_ms_;
  return usable && now < e.valid_until && now - e.last_written.load() < kTouchIntervalMs;
}

Result<std::shared_ptr<const UserPrincipal>> Authenticator::Resolve(std::string_view token) {
  if (token.size() != 43) return Expired();
  const std::string key = Sm3Hex(token);
  const int64_t now = id_.clock.NowMillis();
  const int64_t idle = id_.sessions.idle_ms();
  std::shared_ptr<Entry> e;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      e = it->second;
      int64_t last = e->last_seen.load();
      bool usable = now < e->hard_until && now < e->expires_at && now - last <= idle &&
                    now >= last - cache_ms_;
      bool soft_fresh = now < e->valid_until;
      if (!usable) {
        cache_.erase(it);
        e.reset();
      } else if (!soft_fresh && !e->refreshing.exchange(true)) {
        e.reset();  // this request reloads; others keep using the entry meanwhile
      }
    }
  }
  if (e) {
    e->last_seen.store(std::max(e->last_seen.load(), now));
    if (now - e->last_written.load() >= kTouchIntervalMs) {
      e->last_written.store(now);
      Status st = id_.sessions.Touch(e->session_id, now);
      if (!st.ok()) log::Warn("identity.session_touch_failed", {{"error", st.ToString()}});
    }
    return e->principal;
  }
  auto found = id_.sessions.Find(token);
  if (!found.ok() || !*found) {
    std::lock_guard lock(mu_);
    cache_.erase(key);
    if (!found.ok()) return found.status();
    return Expired();
  }
  auto& session = *found;
  int64_t next_change = INT64_MAX;
  auto built =
      Build(session->user_id, session->id, session->csrf_hash, session->reauth_at, &next_change);
  if (!built.ok()) {
    std::lock_guard lock(mu_);
    cache_.erase(key);
    return built.status();
  }
  auto principal = *built;
  int64_t written = session->last_seen_at;
  if (now - written >= kTouchIntervalMs) {
    Status st = id_.sessions.Touch(session->id, now);
    if (!st.ok()) log::Warn("identity.session_touch_failed", {{"error", st.ToString()}});
    written = now;
  }
  auto fresh = std::make_shared<Entry>();
  fresh->principal = principal;
  fresh->session_id = session->id;
  fresh->user_id = session->user_id;
  fresh->valid_until = now + cache_ms_;
  fresh->hard_until = next_change;
  fresh->expires_at = session->expires_at;
  fresh->last_seen.store(now);
  fresh->last_written.store(written);
  {
    std::lock_guard lock(mu_);
    if (generation == generation_) {
      if (cache_.size() > 100000) cache_.clear();  // bounded
      cache_[key] = std::move(fresh);
    } else {
      cache_.erase(key);
    }
  }
  return principal;
}

void Authenticator::ForgetSession(const std::string& session_id) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->second->session_id == session_id ? cache_.erase(it) : std::next(it);
  }
}

void Authenticator::ForgetUser(int64_t user_id) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->second->user_id == user_id ? cache_.erase(it) : std::next(it);
  }
}

void Authenticator::ForgetAll() {
  std::lock_guard lock(mu_);
  ++generation_;
  cache_.clear();
}

}  // namespace hrss::identity
