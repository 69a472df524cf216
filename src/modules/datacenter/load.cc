// Loading standardized rows: upsert by (src_system, src_key), writing only
// when row_hash differs, with exact inserted/updated/unchanged counts.
//
// SQLite (in-process, so per-row statements are cheap): three db::Statement
// handles per table, prepared once per Loader and bound by position straight
// from the StdRow (no Params, no statement-cache lookup, no RETURNING):
//   INSERT ... ON CONFLICT(src_system, src_key) DO NOTHING   changes() = 1 → inserted
//   else SELECT row_hash ... WHERE src_system = ? AND src_key = ?
//        same hash → unchanged (nothing written), else UPDATE → updated.
// MariaDB (round trips matter): the chunk's keys are looked up once per
// table (src_key IN (...), 500 keys a query), rows are classified in memory,
// then inserts and updates go out as array-bound batches (one round trip
// each).
// An update of a window table's row that another batch wrote is logged in
// dc_row_change (collect.h, "Batch windows"); rows this batch inserted are
// found above its mark and are not logged.
#include <algorithm>
#include <array>
#include <functional>
#include <boost/json.hpp>

#include "modules/datacenter/collect.h"
#include "modules/datacenter/resolve.h"

namespace hrss::datacenter {

namespace json = boost::json;

namespace {

// Rows per multi-row INSERT (SQLite): one statement start/halt, one set of
// cursor opens and one bind of the constant columns per kMultiRows rows.
// 64 was slower on the county 居保 job (two alternating pairs: 111.2 /
// 108.0 s against 103.9 / 96.9 s).
constexpr size_t kMultiRows = 32;

struct TableSql {
  std::string insert, update;
  // SQLite per-row path: insert unless the key exists, else read its hash
  // (with its batch and id, for the change log).
  std::string insert_new, select_hash;
  // SQLite leaf tables: kMultiRows rows per INSERT OR IGNORE, and the probe of the
  // rows it did not insert.
  std::string insert_multi, select_id_hash;
};

const TableSql& SqlFor(TableId t) {
  static const std::vector<TableSql> all = [] {
    std::vector<TableSql> v;
    for (const TableSpec& spec : AllSpecs()) {
      TableSql s;
      std::string cols = "src_system, src_key, batch_id, row_hash, deleted, updated_at_ms";
      std::string qs = "?, ?, ?, ?, ?, ?";
      std::string set_params = "batch_id = ?, row_hash = ?, deleted = ?, updated_at_ms = ?";
      for (const char* c : spec.columns) {
        cols += std::string(", ") + c;
        qs += ", ?";
        set_params += std::string(", ") + c + " = ?";
      }
      s.insert = std::string("INSERT INTO ") + spec.name + " (" + cols + ") VALUES (" + qs + ")";
      s.insert_new = s.insert + " ON CONFLICT(src_system, src_key) DO NOTHING";
      // OR IGNORE, not ON CONFLICT(key) DO NOTHING: the key is the leaf
      // tables' only unique index, so it skips the same rows; and a
      // statement that cannot abort needs no statement journal (with DO
      // NOTHING, NOT NULL still aborts, so every statement saved the pages
      // it touched first: 17 s of the county 居保 job's 118). A row skipped
      // for another reason (NULL in a NOT NULL column) is caught by the
      // probe after the statement.
      s.insert_multi = std::string("INSERT OR IGNORE INTO ") + spec.name + " (" + cols + ") VALUES ";
      for (size_t r = 0; r < kMultiRows; ++r) s.insert_multi += (r ? ", (" : "(") + qs + ")";
      s.select_id_hash = std::string("SELECT id, row_hash FROM ") + spec.name +
                         " WHERE src_system = ? AND src_key = ?";
      s.select_hash = std::string("SELECT row_hash, batch_id, id FROM ") + spec.name +
                      " WHERE src_system = ? AND src_key = ?";
      s.update = std::string("UPDATE ") + spec.name + " SET " + set_params +
                 " WHERE src_system = ? AND src_key = ?";
      v.push_back(std::move(s));
    }
    return v;
  }();
  return all[static_cast<size_t>(t)];
}

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

enum Outcome { kInserted = 0, kUpdated = 1, kUnchanged = 2 };

std::string RowChangeSql(db::Dialect d) {
  return std::string(d == db::Dialect::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE") +
         " INTO dc_row_change (table_name, batch_id, row_id) VALUES (?, ?, ?)";
}

}  // namespace

// MariaDB classification state of one chunk.
struct ChunkState {
  struct Known {
    int64_t row_hash = 0, batch_id = 0, id = 0;
  };
  // table → src_key → what the database (or this chunk) holds.
  std::vector<std::unordered_map<std::string, Known>> known;
  // Change log rows (table_name, batch_id, row_id).
  std::vector<db::Params> changes;
  // Pending writes per table: params and whether it is an insert.
  struct Pending {
    db::Params params;
    bool insert = false;
  };
  std::vector<std::vector<Pending>> pending;
  std::vector<std::unordered_map<std::string, size_t>> pending_index;
};

// SQLite: the three statements of one table, prepared once per Loader.
struct LoaderStatements {
  std::unique_ptr<db::Statement> insert_new, select_hash, update;
  // Leaf tables: kMultiRows rows per INSERT OR IGNORE, and
  // the (id, row_hash) probe of the rows that were not inserted.
  std::unique_ptr<db::Statement> insert_multi, select_id_hash;
  std::unique_ptr<db::Statement> max_id_stmt;
  // Window tables: the dc_row_change insert (table name and batch bound).
  std::unique_ptr<db::Statement> log_change;
  std::vector<const StdRow*> pending;  // rows waiting for insert_multi
  // Hashes of the pending rows' keys (pending_key_hash[i] for pending[i]),
  // so that the duplicate check compares keys only on a hash match.
  std::array<size_t, kMultiRows> pending_key_hash{};
  // Highest id in the table, -1 unknown. Valid inside one Load (one
  // transaction, which holds the writer lock): refreshed per chunk.
  int64_t max_id = -1;
};

namespace {

// Tables whose rows only need counting after the write (no golden-record
// follow-up), so their writes can be deferred and batched.
bool Batchable(TableId t) { return t != TableId::kPersonSource && t != TableId::kUnitSource; }

}  // namespace

Loader::Loader(db::Connection& conn, std::string_view system, int64_t job_id, int64_t batch_id,
               int64_t now_ms, QualityCounters* quality)
    : conn_(conn),
      system_(system),
      job_id_(job_id),
      batch_id_(batch_id),
      now_ms_(now_ms),
      quality_(quality),
      resolver_(std::make_unique<Resolver>(conn, system_, now_ms, quality)) {}

Loader::~Loader() = default;

void Loader::Reset() {
  resolver_ = std::make_unique<Resolver>(conn_, system_, now_ms_, quality_);
  for (auto& s : stmts_) {
    if (s) s->pending.clear();
  }
}

Status Loader::Flush() { return resolver_->Flush(); }

Status Loader::Quarantine(std::string_view stream, const MappedRecord& rec) {
  static const std::string kHead =
      "INSERT INTO dc_quarantine (job_id, batch_id, src_system, stream, src_key, line, "
      "record_json, reason_code, reason, status, created_at_ms, updated_at_ms) VALUES (?, ?, ?, "
      "?, ?, ?, ?, ?, ?, 'open', ?, ?)";
  static const std::string kSqlite = kHead + " ON CONFLICT(job_id, stream, line) DO NOTHING";
  static const std::string kMariaDb = kHead + " ON DUPLICATE KEY UPDATE id = id";
  const std::string& sql = conn_.dialect() == db::Dialect::kSqlite ? kSqlite : kMariaDb;
  std::string key = rec.src_key.substr(0, 96);
  // At most 500 bytes, cut at a character boundary (a reason that fits is
  // kept whole: it usually ends in a multi-byte "」").
  size_t cut = std::min<size_t>(rec.reason.size(), 500);
  while (cut > 0 && cut < rec.reason.size() &&
         (static_cast<unsigned char>(rec.reason[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string reason = rec.reason.substr(0, cut);
  return conn_
      .Exec(sql, {job_id_, batch_id_, system_, stream, key, rec.line,
                  rec.record_json.empty() ? json::serialize(RecordJson(rec)) : rec.record_json,
                  rec.reason_code, reason, now_ms_, now_ms_})
      .status();
}

// SQLite, one row: INSERT .. ON CONFLICT DO NOTHING (one unique-index probe
// for a new row); when the key exists, its stored row_hash decides between
// unchanged (nothing written) and an UPDATE.
Status Loader::UpsertSqlite(const StdRow& row, int* outcome) {
  size_t t = static_cast<size_t>(row.table);
  HRSS_RETURN_IF_ERROR(PrepareTable(row));
  LoaderStatements& s = *stmts_[t];
  const int64_t deleted = row.deleted ? 1 : 0;
  db::Statement& ins = *s.insert_new;
  ins.BindText(1, row.src_key);
  ins.BindInt64(3, row.row_hash);
  ins.BindInt64(4, deleted);
  for (size_t i = 0; i < row.cols.size(); ++i) ins.Bind(6 + static_cast<int>(i), row.cols[i]);
  auto step = ins.Step();
  ins.Reset();
  HRSS_RETURN_IF_ERROR(step.status());
  if (ins.Changes() > 0) {
    *outcome = kInserted;
    if (s.max_id >= 0) s.max_id = std::max(s.max_id, conn_.LastInsertId());
    return Status::Ok();
  }
  return ExistingSqlite(row, outcome);
}

Status Loader::PrepareTable(const StdRow& row) {
  size_t t = static_cast<size_t>(row.table);
  if (stmts_.empty()) stmts_.resize(static_cast<size_t>(TableId::kCount));
  if (!stmts_[t]) {
    const TableSql& sql = SqlFor(row.table);
    auto s = std::make_unique<LoaderStatements>();
    HRSS_ASSIGN_OR_RETURN(s->insert_new, conn_.Prepare(sql.insert_new));
    HRSS_ASSIGN_OR_RETURN(s->select_hash, conn_.Prepare(sql.select_hash));
    HRSS_ASSIGN_OR_RETURN(s->update, conn_.Prepare(sql.update));
    s->insert_new->BindText(0, system_);
    s->insert_new->BindInt64(2, batch_id_);
    s->insert_new->BindInt64(5, now_ms_);
    s->select_hash->BindText(0, system_);
    s->update->BindInt64(0, batch_id_);
    s->update->BindInt64(3, now_ms_);
    s->update->BindText(4 + static_cast<int>(row.cols.size()), system_);
    if (IsWindowTable(row.table)) {
      HRSS_ASSIGN_OR_RETURN(s->log_change, conn_.Prepare(RowChangeSql(conn_.dialect())));
      s->log_change->BindText(0, Spec(row.table).name);
      s->log_change->BindInt64(1, batch_id_);
    }
    if (Batchable(row.table)) {
      HRSS_ASSIGN_OR_RETURN(s->insert_multi, conn_.Prepare(sql.insert_multi));
      HRSS_ASSIGN_OR_RETURN(s->select_id_hash, conn_.Prepare(sql.select_id_hash));
      const int width = 6 + static_cast<int>(row.cols.size());
      for (int r = 0; r < static_cast<int>(kMultiRows); ++r) {
        s->insert_multi->BindText(r * width, system_);
        s->insert_multi->BindInt64(r * width + 2, batch_id_);
        s->insert_multi->BindInt64(r * width + 5, now_ms_);
      }
      s->select_id_hash->BindText(0, system_);
      HRSS_ASSIGN_OR_RETURN(s->max_id_stmt, conn_.Prepare(std::string("SELECT COALESCE(MAX(id), 0) FROM ") +
                                                         Spec(row.table).name));
    }
    stmts_[t] = std::move(s);
  }
  return Status::Ok();
}

// The key exists: same row_hash → unchanged, else UPDATE.
Status Loader::ExistingSqlite(const StdRow& row, int* outcome) {
  LoaderStatements& s = *stmts_[static_cast<size_t>(row.table)];
  const int64_t deleted = row.deleted ? 1 : 0;
  db::Statement& sel = *s.select_hash;
  sel.BindText(1, row.src_key);
  auto found = sel.Step();
  bool have = found.ok() && *found;
  const int64_t stored = have ? sel.ColumnInt64(0) : 0;
  const int64_t stored_batch = have ? sel.ColumnInt64(1) : 0, id = have ? sel.ColumnInt64(2) : 0;
  sel.Reset();
  HRSS_RETURN_IF_ERROR(found.status());
  if (!have) return Status::Internal(std::string("row vanished during upsert: ") + Spec(row.table).name);
  if (stored == row.row_hash) {
    *outcome = kUnchanged;
    return Status::Ok();
  }
  db::Statement& upd = *s.update;
  upd.BindInt64(1, row.row_hash);
  upd.BindInt64(2, deleted);
  for (size_t i = 0; i < row.cols.size(); ++i) upd.Bind(4 + static_cast<int>(i), row.cols[i]);
  upd.BindText(5 + static_cast<int>(row.cols.size()), row.src_key);
  auto done = upd.Step();
  upd.Reset();
  HRSS_RETURN_IF_ERROR(done.status());
  if (s.log_change && stored_batch != batch_id_) {
    db::Statement& log = *s.log_change;
    log.BindInt64(2, id);
    auto logged = log.Step();
    log.Reset();
    HRSS_RETURN_IF_ERROR(logged.status());
  }
  *outcome = kUpdated;
  return Status::Ok();
}

void Loader::CountOutcome(const StdRow& row, int outcome) {
  if (outcome == kUnchanged) {
    ++counts_.unchanged;
  } else if (row.deleted) {
    ++counts_.deleted;
  } else if (outcome == kInserted) {
    ++counts_.inserted;
  } else {
    ++counts_.updated;
  }
}

// Queues a leaf-table row for a multi-row INSERT. A key already queued (an
// increment updating a record of the same chunk) flushes the queue first, so
// one statement never holds a key twice.
Status Loader::AddSqlite(const StdRow& row) {
  HRSS_RETURN_IF_ERROR(PrepareTable(row));
  LoaderStatements& s = *stmts_[static_cast<size_t>(row.table)];
  const size_t h = std::hash<std::string_view>{}(row.src_key);
  for (size_t i = 0; i < s.pending.size(); ++i) {
    if (s.pending_key_hash[i] == h && s.pending[i]->src_key == row.src_key) {
      HRSS_RETURN_IF_ERROR(FlushSqlite(s));
      break;
    }
  }
  s.pending_key_hash[s.pending.size()] = h;
  s.pending.push_back(&row);
  if (s.pending.size() == kMultiRows) return FlushSqlite(s);
  return Status::Ok();
}

// Writes the queued rows: all new (the common case of a first load) → one
// statement; otherwise every row is probed: the rows this statement
// inserted have ids above the table's maximum before it (AUTOINCREMENT ids
// only grow; the maximum is read once per chunk, inside the transaction that
// holds the write lock, and advanced with last_insert_rowid), any other id
// existed before, and its stored row_hash decides between unchanged and
// UPDATE. A short queue (end of a chunk) goes row by row.
Status Loader::FlushSqlite(LoaderStatements& s) {
  if (s.pending.empty()) return Status::Ok();
  if (s.pending.size() < kMultiRows) {
    for (const StdRow* row : s.pending) {
      int outcome = kUnchanged;
      HRSS_RETURN_IF_ERROR(UpsertSqlite(*row, &outcome));
      CountOutcome(*row, outcome);
    }
    s.pending.clear();
    return Status::Ok();
  }
  if (s.max_id < 0) {
    db::Statement& m = *s.max_id_stmt;
    auto r = m.Step();
    s.max_id = r.ok() && *r ? m.ColumnInt64(0) : -1;
    m.Reset();
    HRSS_RETURN_IF_ERROR(r.status());
  }
  db::Statement& ins = *s.insert_multi;
  const int width = 6 + static_cast<int>(s.pending[0]->cols.size());
  for (int r = 0; r < static_cast<int>(s.pending.size()); ++r) {
    const StdRow& row = *s.pending[r];
    const int base = r * width;
    ins.BindText(base + 1, row.src_key);
    ins.BindInt64(base + 3, row.row_hash);
    ins.BindInt64(base + 4, row.deleted ? 1 : 0);
    for (size_t i = 0; i < row.cols.size(); ++i) ins.Bind(base + 6 + static_cast<int>(i), row.cols[i]);
  }
  auto step = ins.Step();
  ins.Reset();
  HRSS_RETURN_IF_ERROR(step.status());
  const int64_t inserted = ins.Changes();
  // Ids above this one are the rows this statement inserted (conflicting
  // rows may consume ids, so the new ids are not necessarily consecutive).
  const int64_t before_max = s.max_id;
  if (inserted > 0) s.max_id = std::max(s.max_id, conn_.LastInsertId());
  if (inserted == static_cast<int64_t>(s.pending.size())) {
    for (const StdRow* row : s.pending) CountOutcome(*row, kInserted);
    s.pending.clear();
    return Status::Ok();
  }
  db::Statement& sel = *s.select_id_hash;
  for (const StdRow* row : s.pending) {
    sel.BindText(1, row->src_key);
    auto found = sel.Step();
    bool have = found.ok() && *found;
    int64_t id = have ? sel.ColumnInt64(0) : 0;
    sel.Reset();
    HRSS_RETURN_IF_ERROR(found.status());
    if (!have) {
      return Status::InvalidArgument(std::string("row not stored (NOT NULL or CHECK constraint of ") +
                                     Spec(row->table).name + ")");
    }
    int outcome = kInserted;
    if (id <= before_max) HRSS_RETURN_IF_ERROR(ExistingSqlite(*row, &outcome));
    CountOutcome(*row, outcome);
  }
  s.pending.clear();
  return Status::Ok();
}

Status Loader::Load(std::string_view stream, std::vector<MappedRecord>& records) {
  for (auto& s : stmts_) {
    if (!s) continue;
    s->pending.clear();  // left by a failed Load: its records are gone
    s->max_id = -1;      // other writers may have inserted since the last chunk
  }
  HRSS_RETURN_IF_ERROR(resolver_->Prefetch(records));
  const bool maria = conn_.dialect() == db::Dialect::kMariaDb;
  const size_t ntables = static_cast<size_t>(TableId::kCount);
  ChunkState st;
  if (maria) {
    st.known.resize(ntables);
    st.pending.resize(ntables);
    st.pending_index.resize(ntables);
    std::vector<std::vector<std::string>> keys(ntables);
    for (const auto& rec : records) {
      for (const auto& row : rec.rows) keys[static_cast<size_t>(row.table)].push_back(row.src_key);
    }
    for (size_t t = 0; t < ntables; ++t) {
      auto& k = keys[t];
      std::sort(k.begin(), k.end());
      k.erase(std::unique(k.begin(), k.end()), k.end());
      for (size_t i = 0; i < k.size(); i += 500) {
        size_t n = std::min<size_t>(500, k.size() - i);
        db::Params params{system_};
        params.insert(params.end(), k.begin() + i, k.begin() + i + n);
        HRSS_ASSIGN_OR_RETURN(
            auto rows, conn_.Query(std::string("SELECT src_key, row_hash, batch_id, id FROM ") +
                                       AllSpecs()[t].name + " WHERE src_system = ? AND src_key IN (" +
                                       Placeholders(n) + ")",
                                   params));
        for (const auto& r : rows) {
          st.known[t][r.GetText(0)] = {r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)};
        }
      }
    }
  }
  auto classify = [&](StdRow& row, int* outcome) {
    size_t t = static_cast<size_t>(row.table);
    auto it = st.known[t].find(row.src_key);
    db::Params params;
    if (it == st.known[t].end()) {
      *outcome = kInserted;
      st.known[t][row.src_key] = {row.row_hash, batch_id_, 0};
    } else if (it->second.row_hash == row.row_hash) {
      *outcome = kUnchanged;
      return;
    } else {
      *outcome = kUpdated;
      if (it->second.batch_id != batch_id_ && IsWindowTable(row.table)) {
        st.changes.push_back({std::string(Spec(row.table).name), batch_id_, it->second.id});
      }
      it->second.row_hash = row.row_hash;
      it->second.batch_id = batch_id_;
    }
    auto pit = st.pending_index[t].find(row.src_key);
    bool insert = *outcome == kInserted;
    if (pit != st.pending_index[t].end()) insert = st.pending[t][pit->second].insert;
    if (insert) {
      params = {system_, row.src_key, batch_id_, row.row_hash, int64_t{row.deleted ? 1 : 0},
                now_ms_};
      for (auto& v : row.cols) params.push_back(std::move(v));
    } else {
      params = {batch_id_, row.row_hash, int64_t{row.deleted ? 1 : 0}, now_ms_};
      for (auto& v : row.cols) params.push_back(std::move(v));
      params.emplace_back(system_);
      params.emplace_back(row.src_key);
    }
    if (pit != st.pending_index[t].end()) {
      st.pending[t][pit->second].params = std::move(params);
    } else {
      st.pending_index[t][row.src_key] = st.pending[t].size();
      st.pending[t].push_back({std::move(params), insert});
    }
  };

  // Per chunk, not per record (writer thread): the completeness tally and
  // the resolved persons of the current record (one allocation per chunk).
  int64_t complete = 0, incomplete = 0;
  std::vector<PersonEntry*> people;
  for (MappedRecord& rec : records) {
    ++counts_.read;
    ++(rec.reason_code != "MISSING_FIELD" ? complete : incomplete);
    if (rec.reason_code.empty()) {
      // Resolve every row first: a record is loaded whole or quarantined whole.
      people.assign(rec.rows.size(), nullptr);
      for (size_t i = 0; i < rec.rows.size() && rec.reason_code.empty(); ++i) {
        StdRow& row = rec.rows[i];
        const TableSpec& spec = Spec(row.table);
        if (spec.person_col < 0) continue;
        PersonEntry* p = nullptr;
        if (!row.id_number.empty()) {
          HRSS_ASSIGN_OR_RETURN(p, resolver_->PersonById(row.id_number, row.person.get()));
        } else if (!row.person_src_key.empty()) {
          p = resolver_->PersonBySrcKey(row.person_src_key);
          if (p == nullptr) {
            rec.reason_code = "PERSON_UNKNOWN";
            rec.reason = ReasonText("PERSON_UNKNOWN") + "：个人编号「" + row.person_src_key + "」";
            break;
          }
          row.cols[spec.person_col + 1] = p->id_number;
        }
        if (p != nullptr) row.cols[spec.person_col] = p->id;
        people[i] = p;
      }
      if (rec.reason_code.empty()) {
        for (size_t i = 0; i < rec.rows.size(); ++i) {
          StdRow& row = rec.rows[i];
          const TableSpec& spec = Spec(row.table);
          PersonEntry* p = people[i];
          if (spec.division_col >= 0) {
            if (p != nullptr) {
              row.cols[spec.division_col] = p->division_code;
            } else if (!row.unit_ref.empty()) {
              row.cols[spec.division_col] = resolver_->UnitDivision(row.unit_ref);
            }
          }
          if (row.table == TableId::kUnitSource) {
            bool new_unit = false;
            HRSS_RETURN_IF_ERROR(resolver_->ApplyUnitSource(row, &new_unit));
          }
          int64_t unit_id = row.table == TableId::kUnitSource ? row.cols[0].int64() : 0;
          int outcome = kUnchanged;
          if (maria) {
            classify(row, &outcome);
          } else if (Batchable(row.table)) {
            HRSS_RETURN_IF_ERROR(AddSqlite(row));  // counted when written
            continue;
          } else {
            HRSS_RETURN_IF_ERROR(UpsertSqlite(row, &outcome));
          }
          CountOutcome(row, outcome);
          if (row.table == TableId::kPersonSource) {
            if (outcome != kUnchanged) {
              HRSS_RETURN_IF_ERROR(
                  resolver_->ApplyPersonSource(p, row, outcome == kInserted));
            }
          } else if (row.table == TableId::kUnitSource && outcome == kInserted) {
            resolver_->NoteUnitSourceInserted(unit_id);
          }
        }
        continue;
      }
    }
    ++counts_.quarantined;
    HRSS_RETURN_IF_ERROR(Quarantine(stream, rec));
  }
  if (quality_ && complete > 0) quality_->Check("completeness.required", true, complete);
  if (quality_ && incomplete > 0) quality_->Check("completeness.required", false, incomplete);
  // Queued rows point into `records`: write them before returning.
  for (auto& s : stmts_) {
    if (s) HRSS_RETURN_IF_ERROR(FlushSqlite(*s));
  }
  if (maria) {
    for (size_t t = 0; t < ntables; ++t) {
      std::vector<db::Params> inserts, updates;
      for (auto& p : st.pending[t]) (p.insert ? inserts : updates).push_back(std::move(p.params));
      if (!inserts.empty()) {
        HRSS_RETURN_IF_ERROR(conn_.ExecBatch(SqlFor(static_cast<TableId>(t)).insert, inserts).status());
      }
      if (!updates.empty()) {
        HRSS_RETURN_IF_ERROR(conn_.ExecBatch(SqlFor(static_cast<TableId>(t)).update, updates).status());
      }
    }
    if (!st.changes.empty()) {
      HRSS_RETURN_IF_ERROR(conn_.ExecBatch(RowChangeSql(conn_.dialect()), st.changes).status());
    }
  }
  return Status::Ok();
}

}  // namespace hrss::datacenter
