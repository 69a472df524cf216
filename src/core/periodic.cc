#include "core/periodic.h"

namespace hrss {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> fn)
    : thread_([this, interval, fn = std::move(fn)] {
        std::unique_lock lock(mu_);
        while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
          lock.unlock();
          fn();
          lock.lock();
        }
      }) {}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace hrss
