#include "modules/identity/throttle.h"

#include <vector>

namespace hrss::identity {

void LoginThrottle::Prune(Window& w, int64_t cutoff) {
  while (!w.empty() && w.front() <= cutoff) w.pop_front();
}

bool LoginThrottle::Loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("::ffff:127.", 0) == 0;
}

void LoginThrottle::PruneMap(std::map<std::string, Window>& m, int64_t cutoff) {
  if (m.size() < 10000) return;
  for (auto it = m.begin(); it != m.end();) {
    Prune(it->second, cutoff);
    it = it->second.empty() ? m.erase(it) : std::next(it);
  }
}

Status LoginThrottle::Check(const std::string& ip, const std::string& account) {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  auto limited = [] {
    return Status::ResourceExhausted("登录尝试过于频繁，请稍后再试").WithReason("RATE_LIMITED");
  };
  if (auto it = by_ip_.find(ip); it != by_ip_.end() && !Loopback(ip)) {
    Prune(it->second, now - limits_.per_ip_window_ms);
    if (static_cast<int>(it->second.size()) >= limits_.per_ip) return limited();
  }
  if (auto it = by_account_.find(account); it != by_account_.end()) {
    Prune(it->second, now - limits_.per_account_window_ms);
    if (static_cast<int>(it->second.size()) >= limits_.per_account) return limited();
  }
  return Status::Ok();
}

void LoginThrottle::RecordFailure(const std::string& ip, const std::string& account) {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  PruneMap(by_ip_, now - limits_.per_ip_window_ms);
  PruneMap(by_account_, now - limits_.per_account_window_ms);
  std::vector<Window*> windows = {&by_account_[account]};
  if (!Loopback(ip)) windows.push_back(&by_ip_[ip]);
  for (Window* w : windows) {
    w->push_back(now);
    if (w->size() > 1024) w->pop_front();  // bounded memory per key
  }
}

}  // namespace hrss::identity
