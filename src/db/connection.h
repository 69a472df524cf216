// One database connection: prepared statements with `?` placeholders and a
// per-connection LRU statement cache keyed by SQL text.
//
// A Connection is used by one thread at a time (the pool hands it out).
// Errors map to Status codes as described in db/errors.h.
//
// SQLite (sqlite3_prepare_v3, SQLITE_PREPARE_PERSISTENT): every connection
// sets busy_timeout first, then journal_mode=WAL, foreign_keys=ON,
// synchronous=NORMAL. Writer model: the connections of one Pool share one
// in-process *writer gate* (a mutex with a timed wait). A connection takes it
// before its first writing statement (sqlite3_stmt_readonly() false, or BEGIN
// IMMEDIATE/EXCLUSIVE, or Begin()) and holds it until it is back in
// autocommit mode (COMMIT/ROLLBACK, or the end of the autocommitted
// statement). So one writer at a time inside the process, queued on a mutex
// instead of SQLite's sleep-and-poll busy handler, and any number of WAL
// readers alongside it. Other processes on the same file are arbitrated by
// busy_timeout; a timeout is a retryable UNAVAILABLE.
//
// MariaDB (server-side prepared statements, mysql_stmt_prepare): utf8mb4,
// strict sql_mode (STRICT_ALL_TABLES, NO_ZERO_DATE, NO_ZERO_IN_DATE,
// ERROR_FOR_DIVISION_BY_ZERO, NO_ENGINE_SUBSTITUTION, PIPES_AS_CONCAT so `||`
// concatenates as in SQLite), time_zone '+00:00', CLIENT_FOUND_ROWS (affected
// rows count matched rows, as SQLite does). MYSQL_OPT_RECONNECT is off: a
// lost connection marks the Connection broken() and the pool replaces it.
// Statements the server cannot prepare (error 1295) fall back to the text
// protocol when they have no parameters.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/options.h"
#include "db/value.h"

namespace hrss::db {

// Called once per row by QueryEach; a non-OK return stops the iteration and
// becomes QueryEach's result.
using RowCallback = std::function<Status(const Row&)>;

struct StatementCacheStats {
  int64_t hits = 0;      // executions that reused a cached prepared statement
  int64_t prepares = 0;  // statements prepared (cache misses)
  int64_t evictions = 0;
  size_t size = 0;  // statements currently cached
};

// A prepared statement for hot loops (bulk loads), from
// Connection::Prepare: bound by position (0-based, like Params) with typed
// values, stepped and reset by the caller. No statement-cache lookup, no
// Params/Row materialisation per execution. Text passed to BindText must
// stay alive and unchanged until the execution is finished (Reset or the
// next Bind after the last Step): it is not copied. Bindings persist across
// Reset. Valid while its Connection lives; used by one thread at a time,
// like the connection. SQLite only: on MariaDB Prepare returns
// FAILED_PRECONDITION (batch there with ExecBatch, one array-bound round trip).
class Statement {
 public:
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  virtual void BindNull(int i) = 0;
  virtual void BindInt64(int i, int64_t v) = 0;
  virtual void BindText(int i, std::string_view v) = 0;
  // By the value's type (text and blobs are not copied, as BindText).
  virtual void Bind(int i, const Value& v) = 0;
  // Runs to the next row: true when a row is available (read it with
  // ColumnInt64/ColumnText before the next Step or Reset), false when done.
  // A write statement takes the SQLite writer gate as Exec does.
  virtual Result<bool> Step() = 0;
  virtual int64_t ColumnInt64(int i) const = 0;
  virtual std::string_view ColumnText(int i) const = 0;
  // Rows changed by the last completed execution (0 for none or a query).
  virtual int64_t Changes() const = 0;
  // Ready for the next execution (keeps the bindings).
  virtual void Reset() = 0;

 protected:
  Statement() = default;
};

class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Dialect dialect() const = 0;

  // Runs one statement; returns the number of affected rows.
  Result<int64_t> Exec(std::string_view sql, const Params& params = {}) {
    return DoExec(sql, params);
  }

  // Runs one query and returns all rows.
  Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) {
    return DoQuery(sql, params);
  }

  // At most one row: nullopt for none, INTERNAL for more than one.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});

  // Streams rows to `cb` without materialising the result. On MariaDB the
  // rows come unbuffered from the server, so `cb` must not use this same
  // connection (use another one from the pool).
  Status QueryEach(std::string_view sql, const Params& params, const RowCallback& cb) {
    return DoQueryEach(sql, params, cb);
  }

  // Runs one statement once per parameter row and returns the total affected
  // rows. MariaDB: one array-bound execution (STMT_ATTR_ARRAY_SIZE,
  // column-wise arrays) per call. SQLite: one prepared statement re-bound per
  // row. Not wrapped in a transaction by itself (see BulkInserter).
  virtual Result<int64_t> ExecBatch(std::string_view sql, const std::vector<Params>& rows) = 0;

  // A prepared statement owned by the caller (see Statement), outside the
  // statement cache. FAILED_PRECONDITION on MariaDB.
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;

  // Rowid / AUTO_INCREMENT value of the last successful INSERT.
  virtual int64_t LastInsertId() const = 0;

  // Runs several ';'-separated statements without parameters (DDL scripts,
  // migrations). On error the message names the failing statement's number.
  virtual Status ExecScript(std::string_view script) = 0;

  // Transactions. Prefer WithTransaction() (db/transaction.h). On SQLite
  // Begin() is BEGIN IMMEDIATE and takes the writer gate.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // Round trip to the server (MariaDB) or a trivial statement (SQLite).
  virtual Status Ping() = 0;

  // Settings for a bulk load on this connection. SQLite: a 256 MiB page
  // cache, temporary B-trees in memory, reads through mmap (up to SQLite's
  // compile-time limit), and WAL checkpoints on a background thread (a
  // second handle, PASSIVE every 100 ms; the connection itself only runs a
  // RESTART past 100,000 pages) instead of at its commits with
  // Options::sqlite_checkpoint_pages; off restores the pool's settings, and
  // the pool turns it off when the connection comes back. MariaDB: nothing
  // to change (the server's buffers are shared).
  virtual Status SetBulkLoad(bool on) = 0;
  virtual bool bulk_load() const = 0;

  // Settings for building indexes of filled tables (CREATE INDEX) while on.
  // SQLite sorts the keys in runs of at most its page cache's size and
  // merges them; with its temporary files in memory (as in bulk mode) it
  // does all of it on the calling thread. On: temporary files on disk (the
  // OS keeps them in its page cache), worker threads (as many as cores, at
  // most 4) and a 32 MiB page cache (smaller runs sort faster); off puts
  // back what the connection had (bulk mode's or the pool's). MariaDB:
  // nothing to change.
  virtual Status SetIndexBuild(bool on) = 0;

  // True once the connection is known to be unusable (lost, killed); the
  // pool then discards it instead of reusing it.
  virtual bool broken() const = 0;

  virtual StatementCacheStats statement_cache_stats() const = 0;

 protected:
  Connection() = default;
  // Implementations (non-virtual interface: defaults live on the public
  // methods, as default arguments must not be on virtual functions).
  virtual Result<int64_t> DoExec(std::string_view sql, const Params& params) = 0;
  virtual Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) = 0;
  virtual Status DoQueryEach(std::string_view sql, const Params& params, const RowCallback& cb) = 0;
};

// Opens one connection outside any pool (CLI tools, test set-up). A SQLite
// connection opened this way has its own writer gate.
Result<std::unique_ptr<Connection>> Connect(const Options& options);

}  // namespace hrss::db
