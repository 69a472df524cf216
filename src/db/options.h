// Connection and pool options, and the MariaDB DSN format.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "db/value.h"

namespace hrss::db {

struct Options {
  Dialect dialect = Dialect::kSqlite;

  // SQLite: the database file (created if missing). ":memory:" gives a private
  // in-memory database; the pool is then limited to one connection.
  std::string sqlite_path;
  // Set first on every SQLite connection; also bounds the wait for the
  // in-process writer gate.
  int sqlite_busy_timeout_ms = 5000;
  // PRAGMA mmap_size for every SQLite connection (capped by SQLite's
  // compile-time maximum); 0 (the default) disables memory-mapped reads.
  // Measured on bench/person360: with writers growing the file (every view
  // is audited) each connection remaps on its next read, and munmap with
  // its TLB shootdowns cost more than the pread copies it saves, so the
  // server leaves it off; bulk loads turn it on for their own connection.
  int64_t sqlite_mmap_bytes = 0;
  // WAL checkpoints: a commit that leaves at least this many pages in the
  // WAL copies them back into the database (PASSIVE, as SQLite's own
  // autocheckpoint does). A WAL can start over from its beginning only once
  // every page is copied AND no reader still reads from it; under a steady
  // stream of reads and commits (a person 360° view is a read plus an
  // audited commit) that moment may never come, and the WAL grew to 1 GB in
  // a minute of bench/person360, slowing every page lookup. So a commit that
  // finds it past 4× this runs a RESTART checkpoint instead: copies the rest
  // and waits up to 50 ms for the readers of older snapshots, after which
  // the next writer starts the WAL over (truncated to 64 MiB). 0: SQLite's
  // default (PASSIVE at 1000 pages, nothing more).
  int sqlite_checkpoint_pages = 1000;

  // MariaDB. unix_socket, when set, is used instead of host/port.
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user;
  std::string password;
  std::string database;  // empty: no default database
  std::string unix_socket;
  int connect_timeout_s = 5;
  int read_timeout_s = 0;        // 0: no client-side read timeout
  int write_timeout_s = 0;       // 0: no client-side write timeout
  int lock_wait_timeout_s = 10;  // innodb_lock_wait_timeout for the session

  // Pool.
  int max_connections = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  // A connection idle for longer than this is pinged on checkout; a broken
  // one is discarded and replaced. 0: ping on every checkout.
  std::chrono::milliseconds ping_after_idle{5000};

  // Per-connection LRU cache of prepared statements, keyed by SQL text.
  size_t statement_cache_size = 64;

  // Idle-time measurements (Monotonic); must outlive the pool.
  // nullptr: Clock::Real().
  Clock* clock = nullptr;
};

// Parses a MariaDB DSN: `key=value` pairs separated by ';', e.g.
//   host=127.0.0.1;port=33061;user=root;password=;database=hrss_test
// Keys: host, port, user, password, database (alias db), unix_socket (alias
// socket), connect_timeout (s), read_timeout (s), write_timeout (s),
// lock_wait_timeout (s), max_connections, acquire_timeout_ms,
// ping_after_idle_ms. Whitespace around keys and values is ignored; a value
// may contain ';' or '\' escaped as "\;" and "\\". Unknown keys and
// malformed numbers are INVALID_ARGUMENT (the message never echoes values,
// which may be passwords). Returns Options with dialect kMariaDb.
Result<Options> ParseMariaDbDsn(std::string_view dsn);

}  // namespace hrss::db
