// Transactions with retry.
//
//   Status st = db::WithTransaction(pool, [&](db::Connection& c) -> Status {
//     HRSS_RETURN_IF_ERROR(c.Exec("UPDATE account SET balance_fen = balance_fen - ? WHERE id = ?",
//                                 {amount, from}).status());
//     ...
//     return Status::Ok();
//   });
//
// BEGIN (SQLite: BEGIN IMMEDIATE, holding the writer gate), run `body`,
// COMMIT. Any error from the body or COMMIT rolls back. If the error is
// retryable (IsRetryable: deadlock 1213 incl. Galera certification conflicts,
// lock wait timeout 1205, SQLite busy), the whole body runs again after a
// short jittered exponential backoff (about 5, 10, 20 ... ms, capped at
// 200 ms), up to max_attempts runs in total. The body must therefore have no
// side effects outside the transaction (or be safe to repeat). A lost
// connection is not retried: a COMMIT may have happened. Transactions do not
// nest: do not call WithTransaction on a connection already in a transaction.
#pragma once

#include <functional>

#include "core/status.h"
#include "db/connection.h"
#include "db/pool.h"

namespace hrss::db {

using TransactionBody = std::function<Status(Connection&)>;

// Acquires one connection from `pool` for all attempts.
Status WithTransaction(Pool& pool, const TransactionBody& body, int max_attempts = 3);

// On a connection the caller already holds (e.g. migrations).
Status WithTransaction(Connection& conn, const TransactionBody& body, int max_attempts = 3);

}  // namespace hrss::db
