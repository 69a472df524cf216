#include "db/bulk.h"

#include <algorithm>
#include <cctype>

namespace hrss::db {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// `name` or `schema`.`name`; empty on an invalid name.
std::string Quote(std::string_view name, bool allow_schema) {
  size_t dot = name.find('.');
  if (allow_schema && dot != std::string_view::npos) {
    std::string a = Quote(name.substr(0, dot), false);
    std::string b = Quote(name.substr(dot + 1), false);
    if (a.empty() || b.empty()) return "";
    return a + "." + b;
  }
  if (!IsIdentifier(name)) return "";
  return "`" + std::string(name) + "`";
}

Result<std::string> BuildSql(Dialect d, const std::string& table,
                             const std::vector<std::string>& columns, OnConflict mode,
                             const std::vector<std::string>& keys) {
  std::string qt = Quote(table, true);
  if (qt.empty()) return Status::InvalidArgument("bulk insert: invalid table name");
  if (columns.empty()) return Status::InvalidArgument("bulk insert: no columns");
  std::vector<std::string> qc;
  for (const auto& c : columns) {
    qc.push_back(Quote(c, false));
    if (qc.back().empty()) return Status::InvalidArgument("bulk insert: invalid column name");
  }
  std::vector<std::string> qk;
  for (const auto& k : keys) {
    qk.push_back(Quote(k, false));
    if (qk.back().empty()) return Status::InvalidArgument("bulk insert: invalid key column name");
  }
  std::string sql = "INSERT INTO " + qt + " (";
  for (size_t i = 0; i < qc.size(); ++i) sql += (i ? ", " : "") + qc[i];
  sql += ") VALUES (";
  for (size_t i = 0; i < qc.size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";

  std::vector<std::string> update;  // columns an upsert overwrites
  for (size_t i = 0; i < columns.size(); ++i) {
    if (std::find(keys.begin(), keys.end(), columns[i]) == keys.end()) update.push_back(qc[i]);
  }
  if (mode == OnConflict::kUpsert && update.empty()) mode = OnConflict::kIgnore;

  std::string target;
  if (!qk.empty()) {
    target = "(";
    for (size_t i = 0; i < qk.size(); ++i) target += (i ? ", " : "") + qk[i];
    target += ")";
  }
  switch (mode) {
    case OnConflict::kError: break;
    case OnConflict::kIgnore:
      if (d == Dialect::kSqlite) {
        sql += " ON CONFLICT" + target + " DO NOTHING";
      } else {
        sql += " ON DUPLICATE KEY UPDATE " + qc[0] + " = " + qc[0];
      }
      break;
    case OnConflict::kUpsert:
      if (d == Dialect::kSqlite) {
        sql += " ON CONFLICT" + target + " DO UPDATE SET ";
        for (size_t i = 0; i < update.size(); ++i) {
          sql += (i ? ", " : "") + update[i] + " = excluded." + update[i];
        }
      } else {
        sql += " ON DUPLICATE KEY UPDATE ";
        for (size_t i = 0; i < update.size(); ++i) {
          sql += (i ? ", " : "") + update[i] + " = VALUES(" + update[i] + ")";
        }
      }
      break;
  }
  return sql;
}

}  // namespace

BulkInserter::BulkInserter(Connection& conn, std::string table, std::vector<std::string> columns,
                           size_t batch_rows, OnConflict on_conflict,
                           std::vector<std::string> key_columns)
    : conn_(conn), batch_rows_(std::max<size_t>(1, batch_rows)), ncols_(columns.size()) {
  Result<std::string> sql = BuildSql(conn.dialect(), table, columns, on_conflict, key_columns);
  if (sql.ok()) {
    sql_ = std::move(sql).value();
  } else {
    status_ = sql.status();
  }
  buffer_.reserve(std::min<size_t>(batch_rows_, 10000));
}

BulkInserter::~BulkInserter() {
  if (own_tx_ && !finished_) {
    Status st = conn_.Rollback();
    (void)st;
  }
}

Status BulkInserter::Fail(Status st) {
  if (own_tx_) {
    Status rb = conn_.Rollback();
    (void)rb;
    own_tx_ = false;
  }
  buffer_.clear();
  status_ = st;
  return st;
}

Status BulkInserter::Add(std::vector<Value> row) {
  if (!status_.ok()) return status_;
  if (finished_) return Status::FailedPrecondition("bulk insert: Add after Finish");
  if (row.size() != ncols_) {
    return Fail(Status::InvalidArgument("bulk insert: row has " + std::to_string(row.size()) +
                                        " values, expected " + std::to_string(ncols_)));
  }
  buffer_.push_back(std::move(row));
  ++rows_added_;
  if (buffer_.size() >= batch_rows_) return Flush();
  return Status::Ok();
}

Status BulkInserter::Flush() {
  if (buffer_.empty()) return Status::Ok();
  if (!own_tx_ && !conn_.InTransaction()) {
    Status st = conn_.Begin();
    if (!st.ok()) return Fail(st);
    own_tx_ = true;
  }
  Result<int64_t> n = conn_.ExecBatch(sql_, buffer_);
  if (!n.ok()) return Fail(n.status().WithContext("bulk insert"));
  affected_ += *n;
  buffer_.clear();
  return Status::Ok();
}

Status BulkInserter::Finish() {
  if (!status_.ok()) return status_;
  if (finished_) return Status::Ok();
  HRSS_RETURN_IF_ERROR(Flush());
  if (own_tx_) {
    Status st = conn_.Commit();
    if (!st.ok()) return Fail(st.WithContext("bulk insert commit"));
    own_tx_ = false;
  }
  finished_ = true;
  return Status::Ok();
}

}  // namespace hrss::db
