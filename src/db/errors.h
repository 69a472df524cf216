// How storage errors map onto Status codes.
//
//   unique / primary key violation            → CONFLICT
//   foreign key violation                     → FAILED_PRECONDITION
//   NOT NULL / CHECK / bad value / too long   → INVALID_ARGUMENT
//   deadlock (MariaDB 1213, also Galera
//   certification failure), lock wait timeout
//   (1205), SQLite BUSY/LOCKED, writer gate
//   timeout                                   → UNAVAILABLE, retryable
//   connection lost/refused/killed
//   (2002, 2003, 2006, 2013, 1927, 4031)      → UNAVAILABLE, not retryable
//                                               (the connection is broken)
//   corrupt database file                     → DATA_LOSS
//   anything else (syntax, unknown table...)  → INTERNAL
//
// Messages carry the SQL text (with `?` placeholders) and, for CONFLICT, the
// violated key or columns, but never bound values or server messages that may
// echo them: the server's own text is only kept for INTERNAL errors, which the
// HTTP layer does not show to clients.
#pragma once

#include <string>

#include "core/status.h"

namespace hrss::db {

// UNAVAILABLE, marked so that IsRetryable() is true: the whole transaction may
// be run again (deadlock, lock wait timeout, Galera certification conflict,
// SQLite busy).
Status RetryableError(std::string message);

// True for errors made by RetryableError(). A lost connection is not
// retryable: a COMMIT may or may not have happened.
bool IsRetryable(const Status& s);

}  // namespace hrss::db
