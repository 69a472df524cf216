// MariaDB driver over MariaDB Connector/C 3.x: server-side prepared
// statements, array binding for batches, text protocol for scripts.
#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

#include "db/errors.h"
#include "db/internal.h"

namespace hrss::db::internal {
namespace {

constexpr char kSqlMode[] =
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,PIPES_AS_CONCAT";

bool IsConnectionLoss(unsigned err) {
  switch (err) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_COMMANDS_OUT_OF_SYNC:  // protocol state unknown: do not reuse
    case ER_CONNECTION_KILLED:
    case 1053:  // ER_SERVER_SHUTDOWN
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return true;
    default: return false;
  }
}

// "Duplicate entry 'x' for key 'uk_name'" → "uk_name" (the key name is
// schema; the entry is user data and is dropped).
std::string DuplicateKeyName(const char* msg) {
  std::string_view m(msg ? msg : "");
  size_t p = m.rfind("for key '");
  if (p == std::string_view::npos) return "?";
  m.remove_prefix(p + 9);
  size_t q = m.find('\'');
  return std::string(m.substr(0, q));
}

Status MapError(unsigned err, const char* sqlstate, const char* msg, std::string_view sql) {
  std::string where = " in: " + SqlForMessage(sql);
  std::string code = " (mariadb error " + std::to_string(err) + ")";
  switch (err) {
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
      return Status::Conflict("duplicate key '" + DuplicateKeyName(msg) + "'" + where);
    case 1022:  // ER_DUP_KEY
      return Status::Conflict("duplicate key" + code + where);
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
      return Status::FailedPrecondition("foreign key constraint failed" + code + where);
    case 1048:  // ER_BAD_NULL_ERROR
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD
    case 1406:  // ER_DATA_TOO_LONG
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1411:  // ER_WRONG_VALUE_FOR_TYPE
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case ER_CONSTRAINT_FAILED:
    case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED
      return Status::InvalidArgument("invalid value" + code + where);
    case ER_LOCK_DEADLOCK:  // also Galera certification failures
      return RetryableError("deadlock or write conflict" + code + where);
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
      return RetryableError("lock wait timeout" + code + where);
    default: break;
  }
  if (IsConnectionLoss(err)) {
    return Status::Unavailable("connection to mariadb lost" + code + where);
  }
  // Internal errors (syntax, unknown table, ...) are hidden from clients by
  // the HTTP layer, so the server's text may stay for the logs.
  return Status::Internal("mariadb error " + std::to_string(err) + " [" +
                          (sqlstate ? sqlstate : "") + "]: " + (msg ? msg : "") + where);
}

struct MariaStmt {
  MYSQL_STMT* stmt = nullptr;
  explicit MariaStmt(MYSQL_STMT* s) : stmt(s) {}
  ~MariaStmt() {
    if (stmt) mysql_stmt_close(stmt);
  }
  MariaStmt(const MariaStmt&) = delete;
  MariaStmt& operator=(const MariaStmt&) = delete;
};
using StmtPtr = std::unique_ptr<MariaStmt>;

// Parameter buffers for one execution.
class ParamBinder {
 public:
  explicit ParamBinder(const Params& params)
      : binds_(params.size()), ints_(params.size()), dbls_(params.size()), lens_(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) {
      MYSQL_BIND& b = binds_[i];
      std::memset(&b, 0, sizeof b);
      const Value& v = params[i];
      switch (v.type()) {
        case Value::Type::kNull: b.buffer_type = MYSQL_TYPE_NULL; break;
        case Value::Type::kInt64:
          ints_[i] = v.int64();
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = &ints_[i];
          break;
        case Value::Type::kDouble:
          dbls_[i] = v.dbl();
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = &dbls_[i];
          break;
        case Value::Type::kText:
        case Value::Type::kBlob: {
          const std::string& s = v.type() == Value::Type::kText ? v.text() : v.blob();
          b.buffer_type = v.type() == Value::Type::kText ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
          b.buffer = const_cast<char*>(s.data());
          b.buffer_length = s.size();
          lens_[i] = s.size();
          b.length = &lens_[i];
          break;
        }
      }
    }
  }
  MYSQL_BIND* data() { return binds_.data(); }

 private:
  std::vector<MYSQL_BIND> binds_;
  std::vector<int64_t> ints_;
  std::vector<double> dbls_;
  std::vector<unsigned long> lens_;
};

// Result buffers for one execution; converts fetched rows to Values.
class ResultBinder {
 public:
  enum class Kind { kInt, kDouble, kText, kBlob };

  ResultBinder(MYSQL_FIELD* fields, unsigned n)
      : kinds_(n),
        unsigned_(n),
        binds_(n),
        ints_(n),
        dbls_(n),
        bufs_(n),
        lens_(n),
        nulls_(n),
        errs_(n) {
    names_ = std::make_shared<std::vector<std::string>>();
    for (unsigned i = 0; i < n; ++i) {
      const MYSQL_FIELD& f = fields[i];
      names_->emplace_back(f.name, f.name_length);
      MYSQL_BIND& b = binds_[i];
      std::memset(&b, 0, sizeof b);
      b.is_null = &nulls_[i];
      b.length = &lens_[i];
      b.error = &errs_[i];
      switch (f.type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
          kinds_[i] = Kind::kInt;
          unsigned_[i] = (f.flags & UNSIGNED_FLAG) != 0;
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.is_unsigned = unsigned_[i];
          b.buffer = &ints_[i];
          break;
        case MYSQL_TYPE_FLOAT:
        case MYSQL_TYPE_DOUBLE:
          kinds_[i] = Kind::kDouble;
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = &dbls_[i];
          break;
        default: {
          // Strings, blobs, decimals, dates and times: fetched as text; binary
          // charset (63) means bytes.
          bool binary = f.charsetnr == 63 &&
                        (f.type == MYSQL_TYPE_BLOB || f.type == MYSQL_TYPE_TINY_BLOB ||
                         f.type == MYSQL_TYPE_MEDIUM_BLOB || f.type == MYSQL_TYPE_LONG_BLOB ||
                         f.type == MYSQL_TYPE_STRING || f.type == MYSQL_TYPE_VAR_STRING ||
                         f.type == MYSQL_TYPE_VARCHAR || f.type == MYSQL_TYPE_BIT ||
                         f.type == MYSQL_TYPE_GEOMETRY);
          kinds_[i] = binary ? Kind::kBlob : Kind::kText;
          b.buffer_type = binary ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
          bufs_[i].resize(std::clamp<unsigned long>(f.length, 16, 1024));
          b.buffer = bufs_[i].data();
          b.buffer_length = bufs_[i].size();
          break;
        }
      }
    }
  }

  MYSQL_BIND* data() { return binds_.data(); }
  const std::shared_ptr<std::vector<std::string>>& names() const { return names_; }

  // Converts the current row; fetches columns longer than their buffer with
  // mysql_stmt_fetch_column and grows the buffer (sets *rebind).
  Result<Row> Convert(MYSQL_STMT* stmt, bool* rebind) {
    std::vector<Value> values;
    values.reserve(kinds_.size());
    for (unsigned i = 0; i < kinds_.size(); ++i) {
      if (nulls_[i]) {
        values.emplace_back();
        continue;
      }
      switch (kinds_[i]) {
        case Kind::kInt:
          if (unsigned_[i] && ints_[i] < 0) {  // > INT64_MAX: keep exact as text
            values.emplace_back(std::to_string(static_cast<uint64_t>(ints_[i])));
          } else {
            values.emplace_back(ints_[i]);
          }
          break;
        case Kind::kDouble: values.emplace_back(dbls_[i]); break;
        case Kind::kText:
        case Kind::kBlob: {
          unsigned long len = lens_[i];
          std::string s;
          if (len <= bufs_[i].size()) {
            s.assign(bufs_[i].data(), len);
          } else {
            s.resize(len);
            MYSQL_BIND b;
            std::memset(&b, 0, sizeof b);
            unsigned long got = 0;
            b.buffer_type = binds_[i].buffer_type;
            b.buffer = s.data();
            b.buffer_length = len;
            b.length = &got;
            if (mysql_stmt_fetch_column(stmt, &b, i, 0) != 0) {
              return MapError(mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt),
                              mysql_stmt_error(stmt), "fetch column");
            }
            bufs_[i].resize(std::min<unsigned long>(
                std::max<unsigned long>(len, 2 * bufs_[i].size()), 1 << 20));
            binds_[i].buffer = bufs_[i].data();
            binds_[i].buffer_length = bufs_[i].size();
            *rebind = true;
          }
          if (kinds_[i] == Kind::kBlob) {
            values.emplace_back(Blob{std::move(s)});
          } else {
            values.emplace_back(std::move(s));
          }
          break;
        }
      }
    }
    return Row(names_, std::move(values));
  }

 private:
  std::shared_ptr<std::vector<std::string>> names_;
  std::vector<Kind> kinds_;
  std::vector<char> unsigned_;
  std::vector<MYSQL_BIND> binds_;
  std::vector<int64_t> ints_;
  std::vector<double> dbls_;
  std::vector<std::vector<char>> bufs_;
  std::vector<unsigned long> lens_;
  std::vector<my_bool> nulls_;
  std::vector<my_bool> errs_;
};

// Column-wise arrays for one bulk execution (STMT_ATTR_ARRAY_SIZE).
class ArrayBinder {
 public:
  ArrayBinder(const std::vector<Params>& rows, size_t ncols) : cols_(ncols) {
    size_t n = rows.size();
    for (size_t c = 0; c < ncols; ++c) {
      Col& col = cols_[c];
      // One buffer type per column: the first non-null value's type; mixed
      // int/double become double; other mixes are sent as text (the server
      // converts).
      Value::Type t = Value::Type::kNull;
      for (const Params& r : rows) {
        Value::Type rt = r[c].type();
        if (rt == Value::Type::kNull) continue;
        if (t == Value::Type::kNull) {
          t = rt;
        } else if (rt != t) {
          bool numeric = (t == Value::Type::kInt64 || t == Value::Type::kDouble) &&
                         (rt == Value::Type::kInt64 || rt == Value::Type::kDouble);
          t = numeric ? Value::Type::kDouble : Value::Type::kText;
        }
      }
      col.ind.assign(n, STMT_INDICATOR_NONE);
      MYSQL_BIND& b = col.bind;
      std::memset(&b, 0, sizeof b);
      switch (t) {
        case Value::Type::kNull:
        case Value::Type::kInt64:
          col.ints.resize(n);
          for (size_t r = 0; r < n; ++r) {
            if (rows[r][c].is_null()) {
              col.ind[r] = STMT_INDICATOR_NULL;
            } else {
              col.ints[r] = rows[r][c].int64();
            }
          }
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = col.ints.data();
          break;
        case Value::Type::kDouble:
          col.dbls.resize(n);
          for (size_t r = 0; r < n; ++r) {
            if (rows[r][c].is_null()) {
              col.ind[r] = STMT_INDICATOR_NULL;
            } else {
              col.dbls[r] = *rows[r][c].AsDouble();
            }
          }
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = col.dbls.data();
          break;
        case Value::Type::kText:
        case Value::Type::kBlob:
          col.ptrs.resize(n);
          col.lens.resize(n);
          col.converted.reserve(n);
          for (size_t r = 0; r < n; ++r) {
            const Value& v = rows[r][c];
            const std::string* s = nullptr;
            switch (v.type()) {
              case Value::Type::kNull: col.ind[r] = STMT_INDICATOR_NULL; break;
              case Value::Type::kText: s = &v.text(); break;
              case Value::Type::kBlob: s = &v.blob(); break;
              default:
                col.converted.push_back(*v.AsText());  // reserved: no reallocation
                s = &col.converted.back();
                break;
            }
            if (s) {
              col.ptrs[r] = const_cast<char*>(s->data());
              col.lens[r] = s->size();
            }
          }
          b.buffer_type = t == Value::Type::kBlob ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
          b.buffer = col.ptrs.data();
          b.length = col.lens.data();
          break;
      }
      b.u.indicator = col.ind.data();
      binds_.push_back(b);
    }
  }
  MYSQL_BIND* data() { return binds_.data(); }

 private:
  struct Col {
    MYSQL_BIND bind;
    std::vector<char> ind;
    std::vector<int64_t> ints;
    std::vector<double> dbls;
    std::vector<char*> ptrs;
    std::vector<unsigned long> lens;
    std::vector<std::string> converted;
  };
  std::vector<Col> cols_;
  std::vector<MYSQL_BIND> binds_;
};

Value TextValue(const MYSQL_FIELD& f, const char* p, unsigned long len) {
  if (!p) return Value();
  std::string s(p, len);
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: {
      Value v(s);
      if (auto i = v.AsInt64()) return Value(*i);
      return v;
    }
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE: {
      Value v(s);
      if (auto d = v.AsDouble()) return Value(*d);
      return v;
    }
    default:
      if (f.charsetnr == 63 && f.type != MYSQL_TYPE_NEWDECIMAL && f.type != MYSQL_TYPE_DECIMAL &&
          f.type != MYSQL_TYPE_DATE && f.type != MYSQL_TYPE_DATETIME &&
          f.type != MYSQL_TYPE_TIMESTAMP && f.type != MYSQL_TYPE_TIME) {
        return Value(Blob{std::move(s)});
      }
      return Value(std::move(s));
  }
}

class MariaDbConnection final : public Connection {
 public:
  MariaDbConnection(MYSQL* m, const Options& o) : m_(m), cache_(o.statement_cache_size) {}

  ~MariaDbConnection() override {
    cache_.Clear();  // statements before the connection
    mysql_close(m_);
  }

  Dialect dialect() const override { return Dialect::kMariaDb; }

  Result<int64_t> DoExec(std::string_view sql, const Params& params) override {
    int64_t affected = 0;
    HRSS_RETURN_IF_ERROR(Run(sql, params, nullptr, &affected, /*buffered=*/true));
    return affected;
  }

  Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    HRSS_RETURN_IF_ERROR(Run(
        sql, params,
        [&](const Row& r) {
          rows.push_back(r);
          return Status::Ok();
        },
        nullptr, /*buffered=*/true));
    return rows;
  }

  Status DoQueryEach(std::string_view sql, const Params& params, const RowCallback& cb) override {
    return Run(sql, params, cb, nullptr, /*buffered=*/false);
  }

  Result<int64_t> ExecBatch(std::string_view sql, const std::vector<Params>& rows) override {
    if (rows.empty()) return int64_t{0};
    if (!BulkSupported()) {  // not a MariaDB server: one execution per row
      int64_t total = 0;
      for (const Params& r : rows) {
        HRSS_ASSIGN_OR_RETURN(int64_t n, Exec(sql, r));
        total += n;
      }
      return total;
    }
    HRSS_ASSIGN_OR_RETURN(StmtPtr stmt, PrepareCached(sql));
    MYSQL_STMT* s = stmt->stmt;
    size_t ncols = mysql_stmt_param_count(s);
    for (const Params& r : rows) {
      if (r.size() != ncols) {
        return Status::Internal("statement has " + std::to_string(ncols) +
                                " placeholders but a row has " + std::to_string(r.size()) +
                                " values: " + SqlForMessage(sql));
      }
    }
    ArrayBinder binder(rows, ncols);
    unsigned int n = static_cast<unsigned int>(rows.size());
    Status st;
    if (mysql_stmt_attr_set(s, STMT_ATTR_ARRAY_SIZE, &n) ||
        mysql_stmt_bind_param(s, binder.data()) || mysql_stmt_execute(s)) {
      st = StmtError(s, sql);
    }
    int64_t affected = st.ok() ? static_cast<int64_t>(mysql_stmt_affected_rows(s)) : 0;
    if (st.ok()) NoteInsertId(mysql_stmt_insert_id(s));
    unsigned int zero = 0;
    mysql_stmt_attr_set(s, STMT_ATTR_ARRAY_SIZE, &zero);
    Recycle(sql, std::move(stmt), st);
    if (!st.ok()) return st;
    return affected;
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view) override {
    return Status::FailedPrecondition("db::Statement is SQLite only (use ExecBatch on MariaDB)");
  }

  int64_t LastInsertId() const override { return last_insert_id_; }

  Status ExecScript(std::string_view script) override {
    bool blank = std::all_of(script.begin(), script.end(), [](char c) {
      return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ';';
    });
    if (blank) return Status::Ok();
    if (mysql_set_server_option(m_, MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
      return ConnError("enable multi statements");
    }
    Status st;
    int n = 1;
    if (mysql_real_query(m_, script.data(), script.size()) != 0) {
      st = ConnError(script);
    } else {
      for (;;) {
        MYSQL_RES* res = mysql_store_result(m_);
        if (res) {
          mysql_free_result(res);
        } else if (mysql_field_count(m_) != 0) {
          st = ConnError(script);
          break;
        }
        int more = mysql_next_result(m_);
        if (more == -1) break;
        ++n;
        if (more > 0) {
          if (mysql_errno(m_) == 1065) break;  // ER_EMPTY_QUERY: trailing comment
          st = ConnError(script);
          break;
        }
      }
    }
    if (!st.ok()) st = st.WithContext("script statement #" + std::to_string(n));
    if (!broken_ && mysql_set_server_option(m_, MYSQL_OPTION_MULTI_STATEMENTS_OFF) != 0 &&
        st.ok()) {
      st = ConnError("disable multi statements");
    }
    return st;
  }

  Status Begin() override { return Text("START TRANSACTION"); }
  Status Commit() override { return Text("COMMIT"); }
  Status Rollback() override {
    if (broken_) return Status::Ok();  // the server rolls back on disconnect
    return Text("ROLLBACK");
  }

  bool InTransaction() const override {
    if (broken_) return false;
    unsigned int status = 0;
    mariadb_get_infov(m_, MARIADB_CONNECTION_SERVER_STATUS, &status);
    return (status & SERVER_STATUS_IN_TRANS) != 0;
  }

  Status Ping() override {
    if (broken_) return Status::Unavailable("mariadb connection is broken");
    if (mysql_ping(m_) != 0) return ConnError("ping");
    return Status::Ok();
  }

  bool broken() const override { return broken_; }

  // Nothing to change on the server (its buffers are shared); the flag only.
  Status SetBulkLoad(bool on) override {
    bulk_ = on;
    return Status::Ok();
  }
  bool bulk_load() const override { return bulk_; }
  Status SetIndexBuild(bool) override { return Status::Ok(); }

  StatementCacheStats statement_cache_stats() const override { return cache_.stats(); }

 private:
  Status ConnError(std::string_view sql) {
    unsigned err = mysql_errno(m_);
    if (IsConnectionLoss(err)) broken_ = true;
    return MapError(err, mysql_sqlstate(m_), mysql_error(m_), sql);
  }

  Status StmtError(MYSQL_STMT* s, std::string_view sql) {
    unsigned err = mysql_stmt_errno(s);
    if (IsConnectionLoss(err)) broken_ = true;
    return MapError(err, mysql_stmt_sqlstate(s), mysql_stmt_error(s), sql);
  }

  bool BulkSupported() {
    unsigned long caps = 0;
    mariadb_get_infov(m_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &caps);
    return (caps & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
  }

  void NoteInsertId(my_ulonglong id) {
    if (id != 0) last_insert_id_ = static_cast<int64_t>(id);
  }

  // Text protocol, no result expected (transaction control).
  Status Text(std::string_view sql) {
    if (broken_) return Status::Unavailable("mariadb connection is broken");
    if (mysql_real_query(m_, sql.data(), sql.size()) != 0) return ConnError(sql);
    if (MYSQL_RES* res = mysql_store_result(m_)) mysql_free_result(res);
    return Status::Ok();
  }

  // Prepares `sql` or takes it from the cache. Error 1295 (cannot be
  // prepared) comes back as FAILED_PRECONDITION for the text fallback.
  Result<StmtPtr> PrepareCached(std::string_view sql) {
    if (broken_) return Status::Unavailable("mariadb connection is broken");
    StmtPtr stmt = cache_.Take(sql);
    if (stmt) return stmt;
    MYSQL_STMT* s = mysql_stmt_init(m_);
    if (!s) return Status::Unavailable("mysql_stmt_init failed (out of memory)");
    stmt = std::make_unique<MariaStmt>(s);
    if (mysql_stmt_prepare(s, sql.data(), sql.size()) != 0) {
      if (mysql_stmt_errno(s) == ER_UNSUPPORTED_PS) {
        return Status::FailedPrecondition("not preparable");
      }
      return StmtError(s, sql);
    }
    return stmt;
  }

  void Recycle(std::string_view sql, StmtPtr stmt, const Status& st) {
    if (broken_) return;  // closes the statement
    if (!st.ok()) mysql_stmt_reset(stmt->stmt);
    cache_.Put(sql, std::move(stmt));
  }

  Status Run(std::string_view sql, const Params& params, const RowCallback& cb, int64_t* affected,
             bool buffered) {
    Result<StmtPtr> prepared = PrepareCached(sql);
    if (!prepared.ok()) {
      if (prepared.status().code() == Code::kFailedPrecondition && params.empty()) {
        return RunText(sql, cb, affected);
      }
      if (prepared.status().code() == Code::kFailedPrecondition) {
        return Status::Internal("statement cannot be prepared and has parameters: " +
                                SqlForMessage(sql));
      }
      return prepared.status();
    }
    StmtPtr stmt = std::move(prepared).value();
    Status st = Execute(stmt.get(), sql, params);
    if (!st.ok() && mysql_stmt_errno(stmt->stmt) == ER_NEED_REPREPARE && !broken_) {
      // Schema changed under a cached statement: prepare afresh once.
      stmt.reset();
      HRSS_ASSIGN_OR_RETURN(stmt, PrepareCached(sql));
      st = Execute(stmt.get(), sql, params);
    }
    if (st.ok()) st = Fetch(stmt->stmt, sql, cb, affected, buffered);
    Recycle(sql, std::move(stmt), st);
    return st;
  }

  Status Execute(MariaStmt* stmt, std::string_view sql, const Params& params) {
    MYSQL_STMT* s = stmt->stmt;
    unsigned long n = mysql_stmt_param_count(s);
    if (n != params.size()) {
      return Status::Internal("statement has " + std::to_string(n) + " placeholders but " +
                              std::to_string(params.size()) +
                              " parameters were given: " + SqlForMessage(sql));
    }
    ParamBinder binder(params);
    if (n > 0 && mysql_stmt_bind_param(s, binder.data()) != 0) return StmtError(s, sql);
    if (mysql_stmt_execute(s) != 0) return StmtError(s, sql);
    return Status::Ok();
  }

  Status Fetch(MYSQL_STMT* s, std::string_view sql, const RowCallback& cb, int64_t* affected,
               bool buffered) {
    unsigned nfields = mysql_stmt_field_count(s);
    if (nfields == 0) {
      if (affected) *affected = static_cast<int64_t>(mysql_stmt_affected_rows(s));
      NoteInsertId(mysql_stmt_insert_id(s));
      return Status::Ok();
    }
    if (affected) *affected = 0;
    ResultBinder rb(mariadb_stmt_fetch_fields(s), nfields);
    if (mysql_stmt_bind_result(s, rb.data()) != 0) return StmtError(s, sql);
    if (buffered && mysql_stmt_store_result(s) != 0) return StmtError(s, sql);
    Status st;
    for (;;) {
      int rc = mysql_stmt_fetch(s);
      if (rc == MYSQL_NO_DATA) break;
      if (rc == 1) {
        st = StmtError(s, sql);
        break;
      }
      if (!cb) continue;
      bool rebind = false;
      Result<Row> row = rb.Convert(s, &rebind);
      if (!row.ok()) {
        st = row.status();
        break;
      }
      if (rebind && mysql_stmt_bind_result(s, rb.data()) != 0) {
        st = StmtError(s, sql);
        break;
      }
      st = cb(*row);
      if (!st.ok()) break;
    }
    mysql_stmt_free_result(s);                        // discards unread rows
    while (!broken_ && mysql_stmt_more_results(s)) {  // e.g. CALL
      if (mysql_stmt_next_result(s) > 0) break;
      mysql_stmt_free_result(s);
    }
    return st;
  }

  Status RunText(std::string_view sql, const RowCallback& cb, int64_t* affected) {
    if (mysql_real_query(m_, sql.data(), sql.size()) != 0) return ConnError(sql);
    MYSQL_RES* res = mysql_store_result(m_);
    if (!res) {
      if (mysql_field_count(m_) != 0) return ConnError(sql);
      if (affected) *affected = static_cast<int64_t>(mysql_affected_rows(m_));
      NoteInsertId(mysql_insert_id(m_));
      return Status::Ok();
    }
    if (affected) *affected = 0;
    unsigned n = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    auto names = std::make_shared<std::vector<std::string>>();
    for (unsigned i = 0; i < n; ++i) names->emplace_back(fields[i].name, fields[i].name_length);
    Status st;
    while (MYSQL_ROW r = mysql_fetch_row(res)) {
      if (!cb) continue;
      unsigned long* lens = mysql_fetch_lengths(res);
      std::vector<Value> values;
      values.reserve(n);
      for (unsigned i = 0; i < n; ++i) values.push_back(TextValue(fields[i], r[i], lens[i]));
      st = cb(Row(names, std::move(values)));
      if (!st.ok()) break;
    }
    mysql_free_result(res);
    return st;
  }

  MYSQL* m_;
  bool broken_ = false;
  bool bulk_ = false;
  int64_t last_insert_id_ = 0;
  StmtCache<StmtPtr> cache_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenMariaDb(const Options& o) {
  static std::once_flag init_once;
  static int init_rc = 0;
  std::call_once(init_once, [] { init_rc = mysql_library_init(0, nullptr, nullptr); });
  if (init_rc != 0) return Status::Internal("mysql_library_init failed");

  MYSQL* m = mysql_init(nullptr);
  if (!m) return Status::Unavailable("mysql_init failed (out of memory)");
  mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned int connect_timeout = static_cast<unsigned int>(o.connect_timeout_s);
  mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  if (o.read_timeout_s > 0) {
    unsigned int t = static_cast<unsigned int>(o.read_timeout_s);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &t);
  }
  if (o.write_timeout_s > 0) {
    unsigned int t = static_cast<unsigned int>(o.write_timeout_s);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &t);
  }
  my_bool reconnect = 0;  // the pool replaces broken connections
  mysql_optionsv(m, MYSQL_OPT_RECONNECT, &reconnect);
  std::string init = std::string("SET time_zone='+00:00', sql_mode='") + kSqlMode +
                     "', innodb_lock_wait_timeout=" + std::to_string(o.lock_wait_timeout_s);
  mysql_optionsv(m, MYSQL_INIT_COMMAND, init.c_str());

  bool socket = !o.unix_socket.empty();
  if (!mysql_real_connect(m, socket ? nullptr : o.host.c_str(), o.user.c_str(), o.password.c_str(),
                          o.database.empty() ? nullptr : o.database.c_str(),
                          socket ? 0 : static_cast<unsigned>(o.port),
                          socket ? o.unix_socket.c_str() : nullptr,
                          CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS)) {
    std::string where = socket ? o.unix_socket : o.host + ":" + std::to_string(o.port);
    Status st = Status::Unavailable("cannot connect to mariadb at " + where + " (error " +
                                    std::to_string(mysql_errno(m)) + ": " + mysql_error(m) + ")");
    mysql_close(m);
    return st;
  }
  return std::unique_ptr<Connection>(std::make_unique<MariaDbConnection>(m, o));
}

}  // namespace hrss::db::internal
