// Internal to src/db: driver factories, the SQLite writer gate and the
// statement cache shared by both drivers. Not for use by other modules.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "db/connection.h"

namespace hrss::db::internal {

// A binary semaphore with a timed wait that any thread may release (a
// connection may be handed between threads while it holds the gate).
class WriterGate {
 public:
  bool Acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    if (!cv_.wait_for(lk, timeout, [&] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void Release() {
    {
      std::lock_guard lk(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

Result<std::unique_ptr<Connection>> OpenSqlite(const Options& options,
                                               std::shared_ptr<WriterGate> gate);
Result<std::unique_ptr<Connection>> OpenMariaDb(const Options& options);

// LRU cache of prepared statements keyed by SQL text. A statement is taken
// out while it executes and put back afterwards, so a nested use of the same
// SQL (e.g. inside a QueryEach callback on SQLite) simply prepares a second
// copy; when both come back, the extra one is dropped. `Stmt` is a movable
// owner whose destructor finalizes the statement.
template <typename Stmt>
class StmtCache {
 public:
  explicit StmtCache(size_t capacity) : capacity_(capacity) {}

  // The cached statement for `sql` (removed from the cache), or an empty
  // Stmt on a miss.
  Stmt Take(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) {
      ++stats_.prepares;
      return Stmt();
    }
    ++stats_.hits;
    Stmt s = std::move(it->second->second);
    lru_.erase(it->second);
    index_.erase(it);
    return s;
  }

  void Put(std::string_view sql, Stmt stmt) {
    if (capacity_ == 0 || index_.count(sql) != 0) return;  // drops `stmt`
    lru_.emplace_front(std::string(sql), std::move(stmt));
    index_.emplace(lru_.front().first, lru_.begin());
    while (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
      ++stats_.evictions;
    }
  }

  void Clear() {
    index_.clear();
    lru_.clear();
  }

  StatementCacheStats stats() const {
    StatementCacheStats s = stats_;
    s.size = lru_.size();
    return s;
  }

 private:
  size_t capacity_;
  // Front = most recently used. Keys of index_ view the strings in lru_.
  std::list<std::pair<std::string, Stmt>> lru_;
  std::unordered_map<std::string_view, typename std::list<std::pair<std::string, Stmt>>::iterator>
      index_;
  StatementCacheStats stats_;
};

// Statement text for error messages: the SQL, shortened to a sane length.
std::string SqlForMessage(std::string_view sql);

}  // namespace hrss::db::internal
