// A thread-safe connection pool.
//
//   HRSS_ASSIGN_OR_RETURN(auto pool, db::Pool::Open(options));
//   HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool->Acquire());
//   HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT ...", {id}));
//   // `conn` goes back to the pool when it leaves scope.
//
// Checkout is LIFO (warm connections first). A connection idle for longer
// than Options::ping_after_idle is pinged on checkout; if the ping fails, it
// is discarded and the next idle one is tried or a new one opened. A
// connection that reports broken() (lost/killed) is discarded on return, and
// one returned inside an open transaction is rolled back first. When all
// max_connections are in use, Acquire waits up to acquire_timeout and then
// fails with UNAVAILABLE.
//
// SQLite: all connections of a pool share one writer gate (connection.h).
// ":memory:" limits the pool to one connection.
#pragma once

#include <cstdint>
#include <memory>

#include "core/status.h"
#include "db/connection.h"
#include "db/options.h"

namespace hrss::db {

class PoolState;  // internal, shared with PooledConnection

// A connection on loan from a Pool; returns it when destroyed. Move-only. It
// keeps the pool's shared state alive, so it may outlive the Pool object.
class PooledConnection {
 public:
  PooledConnection() = default;
  PooledConnection(PooledConnection&&) noexcept;
  PooledConnection& operator=(PooledConnection&&) noexcept;
  ~PooledConnection();

  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }
  Connection* get() const { return conn_.get(); }
  explicit operator bool() const { return conn_ != nullptr; }

  // Returns the connection to the pool now.
  void Release();

 private:
  friend class Pool;
  PooledConnection(std::shared_ptr<PoolState> pool, std::unique_ptr<Connection> conn);

  std::shared_ptr<PoolState> pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  struct Stats {
    int size = 0;  // open connections (idle + in use)
    int in_use = 0;
    int idle = 0;
    int max_connections = 0;
    int64_t waits = 0;      // Acquire calls that had to wait
    int64_t timeouts = 0;   // Acquire calls that gave up (pool exhausted)
    int64_t created = 0;    // connections opened
    int64_t discarded = 0;  // broken connections dropped (failed ping or broken())
  };

  // Validates the options and opens the first connection.
  static Result<std::unique_ptr<Pool>> Open(const Options& options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Result<PooledConnection> Acquire();

  Stats stats() const;
  Dialect dialect() const;
  const Options& options() const;

 private:
  explicit Pool(std::shared_ptr<PoolState> state);
  std::shared_ptr<PoolState> state_;
};

}  // namespace hrss::db
