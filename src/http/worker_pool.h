// A fixed set of threads with a bounded queue, for work that may block (SQL,
// file I/O, report rendering). When the queue is full TryPost() refuses the
// work instead of letting latency grow without bound; the server answers 503
// with Retry-After.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hrss::http {

class WorkerPool {
 public:
  WorkerPool(int threads, int queue_limit);
  ~WorkerPool();  // Stop()s and joins.
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is stopped.
  bool TryPost(std::function<void()> task);

  // Finishes queued tasks, then joins the threads. Idempotent.
  void Stop();

  int threads() const { return static_cast<int>(threads_.size()); }
  int64_t queued() const { return queued_.load(std::memory_order_relaxed); }
  int64_t busy() const { return busy_.load(std::memory_order_relaxed); }
  int queue_limit() const { return queue_limit_; }

 private:
  void Loop();

  const int queue_limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::atomic<int64_t> queued_{0};
  std::atomic<int64_t> busy_{0};
  std::vector<std::thread> threads_;
};

}  // namespace hrss::http
