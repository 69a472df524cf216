// Anti-automation for sign-in (ASVS 2.2.1): sliding windows of failed
// attempts per source address and per account, kept in memory with the
// injected Clock. Limits: 30 failures per address in 15 minutes, 100 per
// account per hour (DOMAIN.md). The 5-failure lockout itself is stored in
// the user row and therefore holds across nodes.
//
// Loopback sources (127.0.0.0/8, ::1) are not throttled per address: that
// is the reverse proxy (nginx) in front of the server, and counting it would
// throttle every user at once; the per-account budget and the lockout still
// apply. (Trusting X-Forwarded-For from the proxy is a job for the HTTP
// layer, not done yet.)
//
// Multi-node caveat: these windows are per process; behind a load balancer
// with N nodes an attacker gets up to N times the budget (the shared
// lockout still stops guessing one account). A shared store (Redis) can
// replace this class without changing callers.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace hrss::identity {

struct ThrottleLimits {
  int per_ip = 30;
  int64_t per_ip_window_ms = 15 * 60 * 1000;
  int per_account = 100;
  int64_t per_account_window_ms = 60 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(Clock& clock, ThrottleLimits limits = {})
      : clock_(clock), limits_(limits) {}
  // RESOURCE_EXHAUSTED (RATE_LIMITED) when either budget is spent.
  Status Check(const std::string& ip, const std::string& account);
  void RecordFailure(const std::string& ip, const std::string& account);

 private:
  using Window = std::deque<int64_t>;
  static void Prune(Window& w, int64_t cutoff);
  static bool Loopback(const std::string& ip);
  void PruneMap(std::map<std::string, Window>& m, int64_t cutoff);

  Clock& clock_;
  const ThrottleLimits limits_;
  std::mutex mu_;
  std::map<std::string, Window> by_ip_;       // GUARDED_BY(mu_)
  std::map<std::string, Window> by_account_;  // GUARDED_BY(mu_)
};

}  // namespace hrss::identity
