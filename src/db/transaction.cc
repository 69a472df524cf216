#include "db/transaction.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "db/errors.h"

namespace hrss::db {
namespace {

void Backoff(int attempt) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  int cap_ms = std::min(200, 5 << std::min(attempt - 1, 6));
  std::uniform_int_distribution<int> dist(cap_ms / 2, cap_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(dist(rng)));
}

Status RunOnce(Connection& conn, const TransactionBody& body) {
  HRSS_RETURN_IF_ERROR(conn.Begin());
  Status st = body(conn);
  if (st.ok()) st = conn.Commit();
  if (!st.ok()) {
    Status rb = conn.Rollback();
    (void)rb;  // the original error is the one to report
  }
  return st;
}

}  // namespace

Status WithTransaction(Connection& conn, const TransactionBody& body, int max_attempts) {
  max_attempts = std::max(1, max_attempts);
  for (int attempt = 1;; ++attempt) {
    Status st = RunOnce(conn, body);
    if (st.ok() || !IsRetryable(st) || attempt >= max_attempts || conn.broken()) {
      if (!st.ok() && IsRetryable(st) && attempt > 1) {
        return st.WithContext("transaction failed after " + std::to_string(attempt) + " attempts");
      }
      return st;
    }
    Backoff(attempt);
  }
}

Status WithTransaction(Pool& pool, const TransactionBody& body, int max_attempts) {
  HRSS_ASSIGN_OR_RETURN(PooledConnection conn, pool.Acquire());
  return WithTransaction(*conn, body, max_attempts);
}

}  // namespace hrss::db
