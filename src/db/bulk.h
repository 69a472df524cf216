// Bulk loading.
//
//   db::BulkInserter ins(conn, "person", {"id_hash", "name", "birth_date"}, 1000,
//                        db::OnConflict::kUpsert, {"id_hash"});
//   for (...) HRSS_RETURN_IF_ERROR(ins.Add({hash, name, date}));
//   HRSS_RETURN_IF_ERROR(ins.Finish());
//
// Rows are buffered and sent every `batch_rows` rows through
// Connection::ExecBatch: MariaDB binds the batch as column-wise arrays and
// executes it once (Connector/C bulk execution); SQLite re-binds one prepared
// statement per row. Unless the connection is already in a transaction (then
// the caller's transaction decides), the whole load runs in one transaction
// that Finish() commits: a failed or abandoned load leaves nothing behind.
//
// OnConflict, for idempotent re-loads of the same source batch:
//   kError  — a duplicate key fails the load (CONFLICT);
//   kIgnore — rows whose unique key exists are skipped
//             (SQLite ON CONFLICT DO NOTHING; MariaDB ON DUPLICATE KEY
//             UPDATE k = k, which unlike INSERT IGNORE keeps strict-mode
//             errors for bad values);
//   kUpsert — existing rows get the new values of every column not in
//             key_columns (SQLite ON CONFLICT(key_columns) DO UPDATE SET
//             c = excluded.c; MariaDB ON DUPLICATE KEY UPDATE c = VALUES(c)).
// key_columns name the unique key for kUpsert (required there on SQLite
// unless the table has a single unique key; MariaDB matches any unique key).
// affected_rows() follows each server's rules (MariaDB counts an updated row
// as 2), so compare table contents, not counts, across dialects.
// Table and column names must be plain identifiers ([A-Za-z_][A-Za-z0-9_]*,
// optionally "schema.table"); they are quoted with backticks (both dialects).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/connection.h"

namespace hrss::db {

enum class OnConflict { kError, kIgnore, kUpsert };

class BulkInserter {
 public:
  BulkInserter(Connection& conn, std::string table, std::vector<std::string> columns,
               size_t batch_rows = 1000, OnConflict on_conflict = OnConflict::kError,
               std::vector<std::string> key_columns = {});
  // Without Finish(), rolls back the transaction it began.
  ~BulkInserter();
  BulkInserter(const BulkInserter&) = delete;
  BulkInserter& operator=(const BulkInserter&) = delete;

  // Adds one row (values in `columns` order). After an error every further
  // call returns that error.
  Status Add(std::vector<Value> row);
  // Sends the remaining rows and commits.
  Status Finish();

  int64_t rows_added() const { return rows_added_; }
  int64_t affected_rows() const { return affected_; }
  // The generated INSERT statement (for logs and tests).
  const std::string& sql() const { return sql_; }

 private:
  Status Flush();
  Status Fail(Status st);

  Connection& conn_;
  size_t batch_rows_;
  std::string sql_;
  Status status_;  // sticky first error
  std::vector<Params> buffer_;
  bool own_tx_ = false;
  bool finished_ = false;
  int64_t rows_added_ = 0;
  int64_t affected_ = 0;
  size_t ncols_;
};

}  // namespace hrss::db
