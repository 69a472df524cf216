// A function run every `interval` on a thread of its own until the object is
// destroyed. The destructor wakes the thread at once (no wait for the rest of
// an interval) and waits for a run in progress to end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace hrss {

class Periodic {
 public:
  // The first run is one interval after construction.
  Periodic(std::chrono::milliseconds interval, std::function<void()> fn);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace hrss
