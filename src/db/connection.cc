#include "db/connection.h"

#include <algorithm>

#include "db/internal.h"

namespace hrss::db {

Result<std::optional<Row>> Connection::QueryOne(std::string_view sql, const Params& params) {
  std::optional<Row> out;
  bool more = false;
  Status st = QueryEach(sql, params, [&](const Row& row) {
    if (out.has_value()) {
      more = true;
      return Status::Ok();  // keep draining; MariaDB needs the result consumed
    }
    out = row;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (more) {
    return Status::Internal("QueryOne: more than one row from: " + internal::SqlForMessage(sql));
  }
  return out;
}

Result<std::unique_ptr<Connection>> Connect(const Options& options) {
  switch (options.dialect) {
    case Dialect::kSqlite:
      return internal::OpenSqlite(options, std::make_shared<internal::WriterGate>());
    case Dialect::kMariaDb: return internal::OpenMariaDb(options);
  }
  return Status::InvalidArgument("unknown dialect");
}

namespace internal {

std::string SqlForMessage(std::string_view sql) {
  constexpr size_t kMax = 300;
  std::string out;
  out.reserve(std::min(sql.size(), kMax + 3));
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= kMax) {
      // Do not cut a UTF-8 sequence in half.
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
        out.pop_back();
      }
      if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace internal
}  // namespace hrss::db
