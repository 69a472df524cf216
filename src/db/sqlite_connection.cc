// SQLite driver. See connection.h for the writer model.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "core/periodic.h"
#include "db/errors.h"
#include "db/internal.h"

namespace hrss::db::internal {
namespace {

struct Finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, Finalizer>;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ';'; }

bool OnlySpace(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (!IsSpace(*p)) return false;
  }
  return true;
}

// BEGIN IMMEDIATE / BEGIN EXCLUSIVE take SQLite's write lock although
// sqlite3_stmt_readonly() reports them as read-only.
bool IsWriteBegin(std::string_view sql) {
  while (!sql.empty() && IsSpace(sql.front())) sql.remove_prefix(1);
  auto starts = [&](const char* p) {
    size_t n = std::strlen(p);
    return sql.size() >= n && sqlite3_strnicmp(sql.data(), p, static_cast<int>(n)) == 0;
  };
  return starts("BEGIN IMMEDIATE") || starts("BEGIN EXCLUSIVE");
}

Status MapError(sqlite3* db, int rc, std::string_view sql) {
  int ext = sqlite3_extended_errcode(db);
  if ((ext & 0xff) != (rc & 0xff)) ext = rc;
  const char* msg = sqlite3_errmsg(db);
  std::string where = " in: " + SqlForMessage(sql);
  switch (ext & 0xff) {
    case SQLITE_CONSTRAINT:
      // SQLite's constraint messages name tables/columns/constraints, never
      // values ("UNIQUE constraint failed: person.id_hash").
      switch (ext) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_ROWID:
          return Status::Conflict(std::string("duplicate key (") + msg + ")" + where);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return Status::FailedPrecondition("foreign key constraint failed" + where);
        default: return Status::InvalidArgument(std::string(msg) + where);
      }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RetryableError("sqlite database is busy (code " + std::to_string(ext) + ")" + where);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Status::DataLoss(std::string("sqlite: ") + msg + where);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM: return Status::Unavailable(std::string("sqlite: ") + msg + where);
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE: return Status::InvalidArgument(std::string("sqlite: ") + msg + where);
    default: return Status::Internal(std::string("sqlite: ") + msg + where);
  }
}

class SqliteConnection;

// Bulk mode's checkpoints, on a thread of their own: every kInterval a
// PASSIVE checkpoint on a second handle copies what the loading connection
// committed into the database file. The copy (a pwrite per page, ~15 % of
// the loader's time when the loader did it itself) then overlaps with the
// load instead of stopping it; the loader only ever finishes the last pages
// (WalHook's RESTART past the bulk threshold). Measured on the county 居保
// job: 144 → 130 s, the loader's CPU 133 → 122 s.
class BackgroundCheckpointer {
 public:
  static constexpr std::chrono::milliseconds kInterval{100};

  // Null when the second handle cannot be opened (the loader's hook then
  // checkpoints, as without it).
  static std::unique_ptr<BackgroundCheckpointer> Start(const char* path, int busy_timeout_ms) {
    if (path == nullptr || *path == '\0') return nullptr;  // in-memory or temporary
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    Handle db(raw);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(raw, busy_timeout_ms);
      // Opens the WAL (a handle finds its journal mode on its first read).
      rc = sqlite3_exec(raw, "PRAGMA schema_version", nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) return nullptr;
    return std::unique_ptr<BackgroundCheckpointer>(new BackgroundCheckpointer(std::move(db)));
  }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  using Handle = std::unique_ptr<sqlite3, Closer>;

  explicit BackgroundCheckpointer(Handle db)
      : db_(std::move(db)), ticker_(kInterval, [db = db_.get()] {
          // Busy (another checkpoint runs) or an I/O error: the next round,
          // or the loader's own RESTART, copies the pages.
          (void)sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }) {}

  Handle db_;
  Periodic ticker_;  // stopped (destroyed) before the handle is closed
};

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(SqliteConnection* conn, StmtPtr stmt, std::string sql)
      : conn_(conn), stmt_(std::move(stmt)), sql_(std::move(sql)) {}
  ~SqliteStatement() override;

  void BindNull(int i) override { sqlite3_bind_null(stmt_.get(), i + 1); }
  void BindInt64(int i, int64_t v) override { sqlite3_bind_int64(stmt_.get(), i + 1, v); }
  void BindText(int i, std::string_view v) override {
    sqlite3_bind_text64(stmt_.get(), i + 1, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  void Bind(int i, const Value& v) override {
    switch (v.type()) {
      case Value::Type::kNull: BindNull(i); break;
      case Value::Type::kInt64: BindInt64(i, v.int64()); break;
      case Value::Type::kDouble: sqlite3_bind_double(stmt_.get(), i + 1, v.dbl()); break;
      case Value::Type::kText: BindText(i, v.text()); break;
      case Value::Type::kBlob:
        if (v.blob().empty()) {
          sqlite3_bind_zeroblob(stmt_.get(), i + 1, 0);
        } else {
          sqlite3_bind_blob64(stmt_.get(), i + 1, v.blob().data(), v.blob().size(), SQLITE_STATIC);
        }
        break;
    }
  }
  Result<bool> Step() override;
  int64_t ColumnInt64(int i) const override { return sqlite3_column_int64(stmt_.get(), i); }
  std::string_view ColumnText(int i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), i));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_.get(), i)) : std::string_view();
  }
  int64_t Changes() const override { return changes_; }
  void Reset() override;

 private:
  SqliteConnection* conn_;
  StmtPtr stmt_;
  std::string sql_;
  bool running_ = false;
  int64_t before_ = 0, changes_ = 0;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<WriterGate> gate, const Options& o)
      : db_(db),
        gate_(std::move(gate)),
        checkpoint_pages_(o.sqlite_path == ":memory:" ? 0 : o.sqlite_checkpoint_pages),
        active_checkpoint_pages_(checkpoint_pages_),
        busy_timeout_(o.sqlite_busy_timeout_ms),
        mmap_bytes_(o.sqlite_mmap_bytes),
        cache_(o.statement_cache_size) {}

  ~SqliteConnection() override {
    checkpointer_.reset();
    cache_.Clear();
    if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    ReleaseGateIfIdle();
    sqlite3_close_v2(db_);
  }

  Status Init() {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_.count());  // first, before any statement
    HRSS_RETURN_IF_ERROR(Simple("PRAGMA journal_mode=WAL"));
    HRSS_RETURN_IF_ERROR(Simple("PRAGMA foreign_keys=ON"));
    HRSS_RETURN_IF_ERROR(Simple("PRAGMA synchronous=NORMAL"));
    // Memory-mapped reads when configured (see Options::sqlite_mmap_bytes).
    HRSS_RETURN_IF_ERROR(SetPragma("mmap_size", mmap_bytes_));
    if (checkpoint_pages_ > 0) {
      // Replaces SQLite's autocheckpoint (also a WAL hook).
      sqlite3_wal_hook(db_, &WalHook, this);
      // A WAL that grew shrinks back to 64 MiB when it starts over.
      HRSS_RETURN_IF_ERROR(Simple("PRAGMA journal_size_limit=67108864"));
    }
    return Status::Ok();
  }

  // After each commit (Options::sqlite_checkpoint_pages).
  static int WalHook(void* arg, sqlite3* db, const char* schema, int wal_pages) {
    auto* self = static_cast<SqliteConnection*>(arg);
    const int threshold = self->active_checkpoint_pages_;
    if (wal_pages < threshold) return SQLITE_OK;
    // With a background checkpointer (bulk mode) a full WAL means it did
    // not keep up, or readers kept the WAL from starting over: RESTART.
    if (wal_pages < 4 * threshold && !self->checkpointer_) {
      (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      return SQLITE_OK;
    }
    // The wait for old snapshots' readers is short: a request's read is
    // milliseconds, and a long one (an export) is not worth stalling this
    // writer for; the next commit tries again.
    sqlite3_busy_timeout(db, 50);
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(db, static_cast<int>(self->busy_timeout_.count()));
    return SQLITE_OK;
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<int64_t> DoExec(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    HRSS_RETURN_IF_ERROR(Run(sql, params, nullptr, &changes));
    return changes;
  }

  Result<std::vector<Row>> DoQuery(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    HRSS_RETURN_IF_ERROR(Run(
        sql, params,
        [&](const Row& r) {
          rows.push_back(r);
          return Status::Ok();
        },
        nullptr));
    return rows;
  }

  Status DoQueryEach(std::string_view sql, const Params& params, const RowCallback& cb) override {
    return Run(sql, params, cb, nullptr);
  }

  Result<int64_t> ExecBatch(std::string_view sql, const std::vector<Params>& rows) override {
    if (rows.empty()) return int64_t{0};
    HRSS_ASSIGN_OR_RETURN(StmtPtr stmt, PrepareCached(sql));
    Status st = EnterWrite(stmt.get(), sql);
    int64_t total = 0;
    for (size_t i = 0; st.ok() && i < rows.size(); ++i) {
      st = Bind(stmt.get(), rows[i], sql);
      if (!st.ok()) break;
      const int64_t before = sqlite3_total_changes64(db_);
      int rc = sqlite3_step(stmt.get());
      while (rc == SQLITE_ROW) rc = sqlite3_step(stmt.get());  // RETURNING clauses
      if (rc != SQLITE_DONE) {
        st = MapError(db_, rc, sql);
        break;
      }
      total += Changes(before);
      sqlite3_reset(stmt.get());
    }
    Recycle(sql, std::move(stmt));
    ReleaseGateIfIdle();
    if (!st.ok()) return st;
    return total;
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    HRSS_ASSIGN_OR_RETURN(StmtPtr stmt, PrepareStmt(sql));
    return std::unique_ptr<Statement>(
        std::make_unique<SqliteStatement>(this, std::move(stmt), std::string(sql)));
  }

  int64_t LastInsertId() const override { return sqlite3_last_insert_rowid(db_); }

  Status ExecScript(std::string_view script) override {
    const char* p = script.data();
    const char* end = script.data() + script.size();
    int n = 0;
    Status st;
    while (st.ok() && p < end && !OnlySpace(p, end)) {
      sqlite3_stmt* raw = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &raw, &tail);
      StmtPtr stmt(raw);
      ++n;
      std::string_view text(p, (tail ? tail : end) - p);
      if (rc != SQLITE_OK) {
        st = MapError(db_, rc, text);
      } else if (stmt) {
        st = EnterWrite(stmt.get(), text);
        if (st.ok()) {
          do rc = sqlite3_step(stmt.get());
          while (rc == SQLITE_ROW);
          if (rc != SQLITE_DONE) st = MapError(db_, rc, text);
        }
      }
      if (!st.ok()) st = st.WithContext("script statement #" + std::to_string(n));
      stmt.reset();
      ReleaseGateIfIdle();
      p = tail ? tail : end;
    }
    return st;
  }

  Status Begin() override {
    HRSS_RETURN_IF_ERROR(AcquireGate("BEGIN IMMEDIATE"));
    Status st = Exec("BEGIN IMMEDIATE").status();
    if (!st.ok()) ReleaseGateIfIdle();
    return st;
  }

  Status Commit() override { return Exec("COMMIT").status(); }

  Status Rollback() override {
    if (!InTransaction()) {  // SQLite may already have rolled back (e.g. on SQLITE_FULL)
      ReleaseGateIfIdle();
      return Status::Ok();
    }
    return Exec("ROLLBACK").status();
  }

  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }

  Status Ping() override { return Simple("SELECT 1"); }

  bool broken() const override { return false; }

  Status SetBulkLoad(bool on) override {
    if (on == bulk_) return Status::Ok();
    if (on) {
      // What the connection had, to put back.
      HRSS_ASSIGN_OR_RETURN(saved_cache_size_, PragmaInt("cache_size"));
      HRSS_ASSIGN_OR_RETURN(saved_temp_store_, PragmaInt("temp_store"));
      HRSS_ASSIGN_OR_RETURN(saved_journal_size_limit_, PragmaInt("journal_size_limit"));
      HRSS_RETURN_IF_ERROR(SetPragma("cache_size", -262144));  // 256 MiB
      HRSS_RETURN_IF_ERROR(SetPragma("temp_store", 2));        // MEMORY
      // Index pages beyond the page cache are read through the mapping
      // instead of pread copies; SQLite clamps it to its limit (2 GB on
      // most builds).
      HRSS_RETURN_IF_ERROR(SetPragma("mmap_size", int64_t{4} << 30));
      // The WAL is not cut back when it starts over: the loader's commits
      // then overwrite file pages the OS still caches. (Cut to 64 MiB at
      // every RESTART, the next 350 MB were new pages again, each zeroed
      // by the kernel around the 4,120-byte frames written into it.)
      HRSS_RETURN_IF_ERROR(SetPragma("journal_size_limit", -1));
      if (checkpoint_pages_ == 0) sqlite3_wal_hook(db_, &WalHook, this);
      active_checkpoint_pages_ = kBulkCheckpointPages;
      checkpointer_ = BackgroundCheckpointer::Start(sqlite3_db_filename(db_, "main"),
                                                    static_cast<int>(busy_timeout_.count()));
    } else {
      checkpointer_.reset();
      HRSS_RETURN_IF_ERROR(SetPragma("cache_size", saved_cache_size_));
      HRSS_RETURN_IF_ERROR(SetPragma("temp_store", saved_temp_store_));
      HRSS_RETURN_IF_ERROR(SetPragma("mmap_size", mmap_bytes_));
      HRSS_RETURN_IF_ERROR(SetPragma("journal_size_limit", saved_journal_size_limit_));
      active_checkpoint_pages_ = checkpoint_pages_;
      if (checkpoint_pages_ == 0) sqlite3_wal_autocheckpoint(db_, 1000);  // SQLite's default
    }
    bulk_ = on;
    return Status::Ok();
  }

  bool bulk_load() const override { return bulk_; }

  Status SetIndexBuild(bool on) override {
    static constexpr const char* kPragmas[] = {"cache_size", "temp_store", "threads"};
    if (on == index_build_) return Status::Ok();
    if (on) {
      const int64_t threads = std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 4);
      const int64_t values[] = {-32768, 1, threads};  // 32 MiB, FILE
      for (size_t i = 0; i < std::size(kPragmas); ++i) {
        HRSS_ASSIGN_OR_RETURN(saved_index_build_[i], PragmaInt(kPragmas[i]));
      }
      index_build_ = true;  // from here on, off puts back what was saved
      for (size_t i = 0; i < std::size(kPragmas); ++i) {
        HRSS_RETURN_IF_ERROR(SetPragma(kPragmas[i], values[i]));
      }
      return Status::Ok();
    }
    index_build_ = false;
    for (size_t i = 0; i < std::size(kPragmas); ++i) {
      HRSS_RETURN_IF_ERROR(SetPragma(kPragmas[i], saved_index_build_[i]));
    }
    return Status::Ok();
  }

  StatementCacheStats statement_cache_stats() const override { return cache_.stats(); }

 private:
  friend class SqliteStatement;

  Status SetPragma(const char* name, int64_t value) {
    const std::string sql = std::string("PRAGMA ") + name + "=" + std::to_string(value);
    return Simple(sql.c_str());
  }

  Result<int64_t> PragmaInt(const char* name) {
    const std::string sql = std::string("PRAGMA ") + name;
    int64_t value = 0;
    auto read = [](void* out, int n, char** values, char**) {
      if (n > 0 && values[0] != nullptr) *static_cast<int64_t*>(out) = std::atoll(values[0]);
      return 0;
    };
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), read, &value, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return MapError(db_, rc, sql);
    return value;
  }

  Status Simple(const char* sql) {
    // Non-cached; used for set-up pragmas and Ping.
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return MapError(db_, rc, sql);
    return Status::Ok();
  }

  // Rows changed by the statement just completed. sqlite3_changes64() keeps
  // the count of the last INSERT/UPDATE/DELETE, so DDL and other statements
  // that change nothing would report a stale number; the total counter tells
  // whether this statement changed anything at all.
  int64_t Changes(int64_t total_before) const {
    return sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
  }

  Result<StmtPtr> PrepareCached(std::string_view sql) {
    StmtPtr stmt = cache_.Take(sql);
    if (stmt) return stmt;
    return PrepareStmt(sql);
  }

  Result<StmtPtr> PrepareStmt(std::string_view sql) {
    StmtPtr stmt;
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    stmt.reset(raw);
    if (rc != SQLITE_OK) return MapError(db_, rc, sql);
    if (!stmt) return Status::Internal("empty SQL statement");
    if (tail && !OnlySpace(tail, sql.data() + sql.size())) {
      return Status::Internal("more than one statement (use ExecScript) in: " + SqlForMessage(sql));
    }
    return stmt;
  }

  void Recycle(std::string_view sql, StmtPtr stmt) {
    sqlite3_reset(stmt.get());
    sqlite3_clear_bindings(stmt.get());
    cache_.Put(sql, std::move(stmt));
  }

  Status Bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
    int n = sqlite3_bind_parameter_count(stmt);
    if (n != static_cast<int>(params.size())) {
      return Status::Internal("statement has " + std::to_string(n) + " placeholders but " +
                              std::to_string(params.size()) +
                              " parameters were given: " + SqlForMessage(sql));
    }
    for (int i = 0; i < n; ++i) {
      const Value& v = params[i];
      int rc = SQLITE_OK;
      switch (v.type()) {
        case Value::Type::kNull: rc = sqlite3_bind_null(stmt, i + 1); break;
        case Value::Type::kInt64: rc = sqlite3_bind_int64(stmt, i + 1, v.int64()); break;
        case Value::Type::kDouble: rc = sqlite3_bind_double(stmt, i + 1, v.dbl()); break;
        case Value::Type::kText:
          rc = sqlite3_bind_text64(stmt, i + 1, v.text().data(), v.text().size(), SQLITE_STATIC,
                                   SQLITE_UTF8);
          break;
        case Value::Type::kBlob:
          rc = v.blob().empty() ? sqlite3_bind_zeroblob(stmt, i + 1, 0)
                                : sqlite3_bind_blob64(stmt, i + 1, v.blob().data(), v.blob().size(),
                                                      SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return MapError(db_, rc, sql);
    }
    return Status::Ok();
  }

  Status AcquireGate(std::string_view sql) {
    if (gate_held_) return Status::Ok();
    if (!gate_->Acquire(busy_timeout_)) {
      return RetryableError("sqlite writer busy: waited " + std::to_string(busy_timeout_.count()) +
                            " ms for the writer gate in: " + SqlForMessage(sql));
    }
    gate_held_ = true;
    return Status::Ok();
  }

  Status EnterWrite(sqlite3_stmt* stmt, std::string_view sql) {
    if (sqlite3_stmt_readonly(stmt) && !IsWriteBegin(sql)) return Status::Ok();
    return AcquireGate(sql);
  }

  void ReleaseGateIfIdle() {
    if (gate_held_ && sqlite3_get_autocommit(db_)) {
      gate_held_ = false;
      gate_->Release();
    }
  }

  Status Run(std::string_view sql, const Params& params, const RowCallback& cb, int64_t* changes) {
    HRSS_ASSIGN_OR_RETURN(StmtPtr stmt, PrepareCached(sql));
    sqlite3_stmt* s = stmt.get();
    Status st = Bind(s, params, sql);
    if (st.ok()) st = EnterWrite(s, sql);
    if (st.ok()) {
      std::shared_ptr<std::vector<std::string>> names;
      const int ncol = sqlite3_column_count(s);
      const int64_t before = sqlite3_total_changes64(db_);
      for (;;) {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE) {
          if (changes) *changes = Changes(before);
          break;
        }
        if (rc != SQLITE_ROW) {
          st = MapError(db_, rc, sql);
          break;
        }
        if (!cb) continue;
        if (!names) {
          names = std::make_shared<std::vector<std::string>>();
          for (int i = 0; i < ncol; ++i) names->emplace_back(sqlite3_column_name(s, i));
        }
        std::vector<Value> values;
        values.reserve(ncol);
        for (int i = 0; i < ncol; ++i) values.push_back(ColumnValue(s, i));
        st = cb(Row(names, std::move(values)));
        if (!st.ok()) break;
      }
    }
    Recycle(sql, std::move(stmt));
    ReleaseGateIfIdle();
    return st;
  }

  static Value ColumnValue(sqlite3_stmt* s, int i) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_INTEGER: return Value(static_cast<int64_t>(sqlite3_column_int64(s, i)));
      case SQLITE_FLOAT: return Value(sqlite3_column_double(s, i));
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return Value(std::string(p, sqlite3_column_bytes(s, i)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
        int n = sqlite3_column_bytes(s, i);
        return Value(Blob{p ? std::string(p, n) : std::string()});
      }
      default: return Value();
    }
  }

  sqlite3* db_;
  std::shared_ptr<WriterGate> gate_;
  int checkpoint_pages_ = 0;  // 0: SQLite's autocheckpoint
  // The hook's threshold: checkpoint_pages_, or kBulkCheckpointPages in bulk mode.
  int active_checkpoint_pages_ = 0;
  static constexpr int kBulkCheckpointPages = 100000;
  bool bulk_ = false;
  std::unique_ptr<BackgroundCheckpointer> checkpointer_;  // bulk mode only
  int64_t saved_cache_size_ = 0, saved_temp_store_ = 0;  // before bulk mode
  int64_t saved_journal_size_limit_ = -1;
  bool index_build_ = false;
  int64_t saved_index_build_[3] = {};  // before SetIndexBuild(true), as in its kPragmas
  bool gate_held_ = false;
  std::chrono::milliseconds busy_timeout_;
  int64_t mmap_bytes_ = 0;
  StmtCache<StmtPtr> cache_;
};

SqliteStatement::~SqliteStatement() {
  Reset();
  stmt_.reset();
}

Result<bool> SqliteStatement::Step() {
  sqlite3* db = conn_->db_;
  if (!running_) {
    HRSS_RETURN_IF_ERROR(conn_->EnterWrite(stmt_.get(), sql_));
    running_ = true;
    before_ = sqlite3_total_changes64(db);
  }
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    changes_ = conn_->Changes(before_);
    return false;
  }
  Status st = MapError(db, rc, sql_);
  Reset();
  return st;
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_.get());
  if (running_) {
    running_ = false;
    conn_->ReleaseGateIfIdle();
  }
}

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const Options& options,
                                               std::shared_ptr<WriterGate> gate) {
  if (options.sqlite_path.empty()) return Status::InvalidArgument("sqlite path is empty");
  if (!sqlite3_threadsafe()) return Status::Internal("sqlite3 built without thread support");
  // No global memory statistics: they take a global mutex on every
  // sqlite3_malloc/free (a few % of a bulk load). Must precede the library's
  // initialisation; afterwards it is a harmless SQLITE_MISUSE.
  static const bool memstatus_off = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)memstatus_off;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      options.sqlite_path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::Unavailable("cannot open sqlite database '" + options.sqlite_path + "': " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db, std::move(gate), options);
  HRSS_RETURN_IF_ERROR(conn->Init().WithContext("sqlite set-up"));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace hrss::db::internal
