#include "db/pool.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "db/internal.h"

namespace hrss::db {

class PoolState {
 public:
  explicit PoolState(const Options& o)
      : opts(o),
        clock(o.clock ? o.clock : &Clock::Real()),
        gate(std::make_shared<internal::WriterGate>()) {}

  Result<std::unique_ptr<Connection>> OpenOne() {
    if (opts.dialect == Dialect::kSqlite) return internal::OpenSqlite(opts, gate);
    return internal::OpenMariaDb(opts);
  }

  Result<std::unique_ptr<Connection>> Take();
  void Return(std::unique_ptr<Connection> conn);

  const Options opts;
  Clock* const clock;
  const std::shared_ptr<internal::WriterGate> gate;

  mutable std::mutex mu;
  std::condition_variable cv;
  struct Idle {
    std::unique_ptr<Connection> conn;
    std::chrono::steady_clock::time_point since;
  };
  std::vector<Idle> idle;  // back = most recently returned
  int size = 0;            // open or being opened
  int in_use = 0;
  Pool::Stats counters;
};

Result<std::unique_ptr<Connection>> PoolState::Take() {
  const auto deadline = std::chrono::steady_clock::now() + opts.acquire_timeout;
  std::unique_lock lk(mu);
  bool waited = false;
  for (;;) {
    if (!idle.empty()) {
      Idle entry = std::move(idle.back());
      idle.pop_back();
      ++in_use;
      lk.unlock();
      if (clock->Monotonic() - entry.since < opts.ping_after_idle || entry.conn->Ping().ok()) {
        return std::move(entry.conn);
      }
      entry.conn.reset();  // broken: discard, then try the next or open anew
      lk.lock();
      --in_use;
      --size;
      ++counters.discarded;
      continue;
    }
    if (size < opts.max_connections) {
      ++size;
      ++in_use;
      lk.unlock();
      Result<std::unique_ptr<Connection>> conn = OpenOne();
      lk.lock();
      if (!conn.ok()) {
        --size;
        --in_use;
        cv.notify_one();
        return conn.status();
      }
      ++counters.created;
      return conn;
    }
    if (!waited) {
      waited = true;
      ++counters.waits;
    }
    if (cv.wait_until(lk, deadline) == std::cv_status::timeout && idle.empty() &&
        size >= opts.max_connections) {
      ++counters.timeouts;
      return Status::Unavailable("database connection pool exhausted: " + std::to_string(in_use) +
                                 " of " + std::to_string(opts.max_connections) +
                                 " connections in use after waiting " +
                                 std::to_string(opts.acquire_timeout.count()) + " ms");
    }
  }
}

void PoolState::Return(std::unique_ptr<Connection> conn) {
  if (!conn->broken() && conn->InTransaction() && !conn->Rollback().ok()) {
    conn.reset();  // unknown state: do not reuse
  }
  if (conn && !conn->broken() && conn->bulk_load() && !conn->SetBulkLoad(false).ok()) {
    conn.reset();  // settings not restored: do not reuse
  }
  bool keep = conn && !conn->broken();
  auto now = clock->Monotonic();
  {
    std::lock_guard lk(mu);
    --in_use;
    if (keep) {
      idle.push_back({std::move(conn), now});
    } else {
      --size;
      ++counters.discarded;
    }
  }
  cv.notify_one();
  // A discarded connection is closed here, outside the lock.
}

PooledConnection::PooledConnection(std::shared_ptr<PoolState> pool,
                                   std::unique_ptr<Connection> conn)
    : pool_(std::move(pool)), conn_(std::move(conn)) {}

PooledConnection::PooledConnection(PooledConnection&& o) noexcept
    : pool_(std::move(o.pool_)), conn_(std::move(o.conn_)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& o) noexcept {
  if (this != &o) {
    Release();
    pool_ = std::move(o.pool_);
    conn_ = std::move(o.conn_);
  }
  return *this;
}

PooledConnection::~PooledConnection() { Release(); }

void PooledConnection::Release() {
  if (conn_ && pool_) pool_->Return(std::move(conn_));
  conn_.reset();
  pool_.reset();
}

Pool::Pool(std::shared_ptr<PoolState> state) : state_(std::move(state)) {}
Pool::~Pool() = default;

Result<std::unique_ptr<Pool>> Pool::Open(const Options& options) {
  Options o = options;
  if (o.max_connections < 1)
    return Status::InvalidArgument("db pool: max_connections must be >= 1");
  if (o.dialect == Dialect::kSqlite) {
    if (o.sqlite_path.empty()) return Status::InvalidArgument("db pool: sqlite path is empty");
    if (o.sqlite_path == ":memory:") o.max_connections = 1;
  }
  auto state = std::make_shared<PoolState>(o);
  // Open one connection now so that bad options fail at start-up.
  HRSS_ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, state->OpenOne());
  state->size = 1;
  state->counters.created = 1;
  state->idle.push_back({std::move(first), state->clock->Monotonic()});
  return std::unique_ptr<Pool>(new Pool(std::move(state)));
}

Result<PooledConnection> Pool::Acquire() {
  HRSS_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, state_->Take());
  return PooledConnection(state_, std::move(conn));
}

Pool::Stats Pool::stats() const {
  std::lock_guard lk(state_->mu);
  Stats s = state_->counters;
  s.size = state_->size;
  s.in_use = state_->in_use;
  s.idle = static_cast<int>(state_->idle.size());
  s.max_connections = state_->opts.max_connections;
  return s;
}

Dialect Pool::dialect() const { return state_->opts.dialect; }
const Options& Pool::options() const { return state_->opts; }

}  // namespace hrss::db
