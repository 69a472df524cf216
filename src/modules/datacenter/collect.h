// Collection internals (issue 4 items 3–4), shared by the collect_*.cc,
// dialect_*.cc, resolve.cc, load.cc, quality.cc, scheduler.cc and push.cc
// files of this module. Nothing outside src/modules/datacenter includes it;
// other modules use services.h.
//
// The pipeline of one batch (collect_runner.cc), two threads:
//
//   reader thread: stream (file / db table / http feed / push events)
//       → ingest::Record → DialectMapper::Map (normalize, validate, code maps)
//       → MappedRecord {StdRow...} or quarantine
//       → Chunk (≈2,000 records + the stream position after the last one)
//       → bounded queue (4 chunks)
//   writer thread: Chunk → Loader (resolve persons/units, upsert by
//       (src_system, src_key) only when row_hash differs, quarantine)
//       → every CollectOptions::commit_every records: checkpoint + counters
//         in the SAME transaction as the rows, then COMMIT.
//
// So a process killed at any point leaves the database at the last commit
// with a checkpoint that says exactly where to continue: re-running gives the
// result of an uninterrupted run.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "db/connection.h"
#include "db/pool.h"
#include "ingest/reader.h"

namespace hrss {
class Platform;
namespace identity {
class KeyRing;
class FieldEncryptor;
}
}  // namespace hrss

namespace hrss::datacenter {

// ---------------------------------------------------------------------------
// Source systems and their priority for golden records (lower = wins):
// 社保 shebao 1 > 机保 jibao 2 > 居保 jubao 3 > 就业 jiuye 4 > 劳动监察 jiancha 5.
// 社保 holds the verified 金保工程 registry, 机保 the personnel files of
// institutions, 居保 self-declared rural data, 就业 and 监察 the least checked.
int SystemPriority(std::string_view system);
// Chinese name ("社保"), or the code itself when unknown.
std::string SystemName(std::string_view system);
bool IsKnownSystem(std::string_view system);

// ---------------------------------------------------------------------------
// Standardized tables (standard.h) as the loader sees them: the lineage
// columns (src_system, src_key, batch_id, row_hash, deleted, updated_at_ms)
// come first and are written by the loader; `columns` are the rest, in the
// order of StdRow::cols.
enum class TableId {
  kPersonSource,
  kUnitSource,
  kEnrolment,
  kContribution,
  kArrears,
  kBenefitPayment,
  kEmploymentEvent,
  kCase,
  kInstitutionPersonnel,
  kBusinessRecord,  // dc_business_record (社保 ae10 经办记录)
  kCount
};
struct TableSpec {
  TableId id;
  const char* name;
  std::vector<const char*> columns;
  int person_col = -1;    // person_id (filled by the resolver), -1: none
  int division_col = -1;  // division_code filled with the person's township, -1: own value
  int unit_col = -1;      // unit_id (unit source rows), -1: none
};
const TableSpec& Spec(TableId t);
const std::vector<TableSpec>& AllSpecs();

// ---------------------------------------------------------------------------
// Batch windows (migration datacenter v8). The fact feed (facts_feed.h) reads
// the rows a window of batches wrote from these tables without a batch_id
// index:
//   * rows a batch inserted have ids above the batch's mark, the table's
//     highest id when the batch began (dc_batch_mark; ids only grow, on
//     SQLite by AUTOINCREMENT and on MariaDB by AUTO_INCREMENT), and carry
//     its batch_id;
//   * older rows a batch changed (batch_id set to it from another batch's)
//     are logged by the loader in dc_row_change (table_name, batch_id,
//     row_id).
// A bulk first load so writes no index but the key, and logs nothing.
const std::vector<std::string>& WindowTables();
bool IsWindowTable(TableId t);
// Writes the marks of batch `batch_id` (one per window table). Call in the
// transaction that inserts its dc_batch row, before any of its rows.
Status MarkBatch(db::Connection& conn, int64_t batch_id);

// What a person source record says about the person (golden record input).
struct PersonFacts {
  std::string name, gender, birth_date, division_code, mobile_enc;
};
// What a unit source record says about the unit.
struct UnitFacts {
  std::string credit_code, unit_no, name, unit_type, industry, division_code, legal_person;
};

// One standardized row produced by a dialect mapper.
struct StdRow {
  TableId table = TableId::kPersonSource;
  std::string src_key;
  bool deleted = false;
  int64_t row_hash = 0;  // over src_key, deleted and cols (placeholders excluded)
  // Person link: a normalized 18-digit ID, or else the person's key in the
  // same source system (社保 aac001) resolved through dc_person_source.
  std::string id_number;
  std::string person_src_key;
  // For arrears: the unit's source number (division from the unit).
  std::string unit_ref;
  std::vector<db::Value> cols;  // placeholders (person_id, division) are 0 / ""
  std::shared_ptr<PersonFacts> person;  // kPersonSource only
  std::shared_ptr<UnitFacts> unit;      // kUnitSource only
};

// Computes row.row_hash (call after filling cols).
void FinishRow(StdRow& row);

// A source record as the mapper saw it: rows, or a reason to quarantine.
struct MappedRecord {
  int64_t line = 0;
  std::string src_key;
  std::vector<StdRow> rows;
  std::string reason_code;  // empty: ok
  std::string reason;       // Chinese
  // The raw record (for quarantine): the reader's columns and values.
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<std::string> values;
  // RecordJson serialized, by the reader thread for the records the mapper
  // quarantined (off the writer thread); empty: the loader serializes it.
  std::string record_json;
  int64_t change_ms = 0;       // source change time (aae036 / updated_at), 0 unknown
};

// The raw record as a JSON object {column: value}.
boost::json::object RecordJson(const MappedRecord& rec);
// A Record from a JSON object (values as text; numbers in JSON text).
ingest::Record RecordFromJson(const boost::json::object& o);

// Chinese description of a reason code ("ID_CHECKSUM" → "身份证号校验位错误").
std::string ReasonText(std::string_view code);

// ---------------------------------------------------------------------------
// Code maps (dc_code_map): per system and code set, source value → standard.
class CodeMaps {
 public:
  // Seeds the defaults (idempotent: existing rows, manual or not, are kept).
  static Status SeedDefaults(db::Pool& pool, int64_t now_ms);
  // Loads every mapping of `system`.
  static Result<CodeMaps> Load(db::Connection& conn, std::string_view system);
  // nullopt when unmapped.
  std::optional<std::string> Map(std::string_view code_set, std::string_view src) const;
  void Set(std::string code_set, std::string src, std::string std_value);

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_;
};

// ---------------------------------------------------------------------------
// Quality counters of one batch (rule → checked, failed).
struct QualityRuleDef {
  const char* rule;
  const char* name;
  const char* dimension;  // completeness | validity | consistency | timeliness
};
const std::vector<QualityRuleDef>& QualityRules();
class QualityCounters {
 public:
  void Check(std::string_view rule, bool ok, int64_t n = 1);
  void Merge(const QualityCounters& other);
  const std::map<std::string, std::pair<int64_t, int64_t>, std::less<>>& counts() const {
    return c_;
  }
  // Writes dc_quality rows for the batch (replacing earlier ones).
  Status Save(db::Connection& conn, int64_t batch_id, std::string_view system) const;

 private:
  std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> c_;
};

// ---------------------------------------------------------------------------
// Dialect mappers (dialect_*.cc): one per source system.
struct MapContext {
  const CodeMaps* codes = nullptr;
  const Clock* clock = nullptr;
  const identity::KeyRing* keys = nullptr;  // nullptr: mobiles are not stored
  int64_t batch_time_ms = 0;
  QualityCounters* quality = nullptr;
  // keys->FieldEncryptorFor("datacenter.mobile") when set (bulk loads).
  std::shared_ptr<const identity::FieldEncryptor> mobile_encryptor;
};

class DialectMapper {
 public:
  virtual ~DialectMapper() = default;
  virtual std::string_view system() const = 0;
  // The stream kind of a file name, table or path ("cbry", "ac43", "persons"),
  // empty when the mapper does not know it (the stream is skipped).
  virtual std::string StreamKind(std::string_view stream_name) const = 0;
  // Rank of a kind in dependency order (units before persons before the rest).
  virtual int KindRank(std::string_view kind) const = 0;
  // Maps one record. Fills out->rows, or out->reason_code/reason. `op` is the
  // record's operation when the transport says it (push: "delete"), else "".
  virtual void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
                   const MapContext& ctx, MappedRecord* out) const = 0;
};
// nullptr for an unknown dialect.
const DialectMapper* FindMapper(std::string_view dialect);

// ---------------------------------------------------------------------------
// Jobs (collect_job.cc).
struct Job {
  int64_t id = 0;
  std::string code, name, system, method;  // method: file | db | http | push
  boost::json::object config;
  std::string cron;
  bool enabled = true;
  int64_t updated_at_ms = 0;
};

struct Batch {
  int64_t id = 0, job_id = 0;
  std::string trigger, triggered_by, status;
  int64_t started_at_ms = 0, finished_at_ms = 0, heartbeat_ms = 0;
  int64_t rows_read = 0, rows_inserted = 0, rows_updated = 0, rows_unchanged = 0,
          rows_deleted = 0, rows_quarantined = 0, progress_done = 0, progress_total = 0;
  std::string current_stream, error;
};

class JobStore {
 public:
  explicit JobStore(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::vector<Job>> List();
  Result<std::optional<Job>> Get(int64_t id);
  Result<std::optional<Job>> GetByCode(std::string_view code);
  // Inserts (id 0) or updates a job. CONFLICT for a duplicate code.
  Result<Job> Save(Job job, std::string_view actor);
  // The five default jobs (idempotent: an existing code is left alone).
  Status EnsureDefaults(const std::string& data_dir);
  // Marks batches "running" whose heartbeat is older than `stale_ms` as
  // interrupted. Returns how many.
  Result<int64_t> MarkStaleBatches(int64_t stale_ms = 30000);
  Result<std::optional<Batch>> GetBatch(int64_t id);
  Result<std::optional<Batch>> LastBatch(int64_t job_id);

 private:
  db::Pool& pool_;
  const Clock& clock_;
};
Batch BatchFromRow(const db::Row& r);
extern const char* const kBatchColumns;

// ---------------------------------------------------------------------------
// The writer side (load.cc, resolve.cc): loads mapped records into the
// standardized tables through one connection inside the caller's
// transaction.
struct LoadCounts {
  int64_t read = 0, inserted = 0, updated = 0, unchanged = 0, deleted = 0, quarantined = 0;
  void Add(const LoadCounts& o) {
    read += o.read;
    inserted += o.inserted;
    updated += o.updated;
    unchanged += o.unchanged;
    deleted += o.deleted;
    quarantined += o.quarantined;
  }
};

class Resolver;  // resolve.cc
struct LoaderStatements;  // load.cc

class Loader {
 public:
  Loader(db::Connection& conn, std::string_view system, int64_t job_id, int64_t batch_id,
         int64_t now_ms, QualityCounters* quality);
  ~Loader();
  // Loads the records of one chunk. REQUIRES: conn is in a transaction.
  // `stream` names the stream for quarantine rows.
  Status Load(std::string_view stream, std::vector<MappedRecord>& records);
  // Writes pending golden-record changes (call before every commit).
  Status Flush();
  // Forgets cached state (after a rollback).
  void Reset();
  const LoadCounts& counts() const { return counts_; }

  // Writes one quarantine row (ignored when the same (job, stream, line) exists).
  Status Quarantine(std::string_view stream, const MappedRecord& rec);

 private:
  Status UpsertSqlite(const StdRow& row, int* outcome);
  Status PrepareTable(const StdRow& row);
  Status ExistingSqlite(const StdRow& row, int* outcome);
  Status AddSqlite(const StdRow& row);
  Status FlushSqlite(LoaderStatements& s);
  void CountOutcome(const StdRow& row, int outcome);
  db::Connection& conn_;
  std::string system_;
  int64_t job_id_, batch_id_, now_ms_;
  QualityCounters* quality_;
  std::unique_ptr<Resolver> resolver_;
  std::vector<std::unique_ptr<LoaderStatements>> stmts_;  // SQLite, by TableId
  LoadCounts counts_;
};

// ---------------------------------------------------------------------------
// Running batches (collect_runner.cc).
struct CollectEnv {
  Platform* platform = nullptr;  // for settings and the hub (may be null in tools)
  db::Pool* pool = nullptr;
  const Clock* clock = nullptr;
  const identity::KeyRing* keys = nullptr;
  std::string data_dir;
  // Publishes progress (topic datacenter.batch); may be empty.
  std::function<void(const boost::json::object&)> publish;
  // Settings (datacenter.*) by key; empty result = unset.
  std::function<std::string(std::string_view key)> setting;
  // Called after a batch (collection, push events, quarantine re-processing)
  // that committed inserted, updated or deleted standardized rows, with its
  // id, once the batch row is final. May be empty.
  std::function<void(int64_t batch_id)> on_committed;
};

struct CollectOptions {
  // Records per transaction. Each commit writes every page dirtied since the
  // last one to the WAL; index pages (person_id, period) are dirtied again
  // by every transaction, so fewer, larger transactions write much less
  // (10,000 → 50,000: about 15% faster on SQLite). A transaction of 50,000
  // records holds the SQLite writer gate for well under a second.
  int64_t commit_every = 50000;
  int64_t chunk_records = 2000;  // records per queue element
  // Test hook: sleep after every commit (lets a test kill the process
  // mid-batch).
  int pause_after_commit_ms = 0;
  const std::atomic<bool>* stop = nullptr;  // set: stop at the next commit point
  // Called (writer thread) after every commit with the batch so far, and
  // before each deferred index is rebuilt (current_stream "重建索引 i/n：name").
  std::function<void(const Batch&)> on_progress;
  // While deferred indexes are rebuilt, the batch's heartbeat is refreshed
  // this often from a side connection.
  int heartbeat_every_ms = 5000;
};

// Creates a batch for `job` (status running) and runs it to the end.
// Returns the batch (status succeeded, failed or interrupted). CONFLICT
// (JOB_RUNNING) when a batch of the job is already running and fresh.
Result<Batch> RunJob(const CollectEnv& env, const Job& job, std::string_view trigger,
                     std::string_view triggered_by, const CollectOptions& options);
// Creates the batch row only (status running), so a caller can answer with
// its id and run it on another thread with RunBatch.
Result<int64_t> CreateBatch(const CollectEnv& env, const Job& job, std::string_view trigger,
                            std::string_view triggered_by);
Result<Batch> RunBatch(const CollectEnv& env, const Job& job, int64_t batch_id,
                       const CollectOptions& options);
// Bulk first load (SQLite and MariaDB): a file or database batch drops the
// secondary (non-unique, and on SQLite kPersonIdIndex) indexes of the standardized tables (and of
// dc_person, dc_unit) that are empty when it starts and rebuilds them at its
// end (one sort each instead of a random B-tree insert per row); their
// definitions are kept in dc_deferred_index until rebuilt. This rebuilds any
// left by a killed batch (run at every batch start and at module start);
// `before_each` (if set) is told which index it builds next.
Status RestoreDeferredIndexes(
    db::Connection& conn,
    const std::function<void(size_t i, size_t n, const std::string& name)>& before_each = {});
// The deferral itself, for the tables that are empty (see collect_runner.cc;
// SQLite: call in the batch's first transaction).
Status DeferIndexes(db::Connection& conn);
// SQLite: a first load also defers the golden persons' unique ID-number
// index. Its resolver holds every person in memory while no other
// connection writes (Resolver::cache_complete_) and never looks one up in
// the table; in the county 居保 persons file that index's random inserts
// were about a third of the writer's time. Everything that looks persons
// up by ID number in a write transaction calls EnsurePersonIdIndex first,
// which builds the index (and forgets its record) when it is deferred; all
// writers of dc_person resolve under the write lock (BEGIN IMMEDIATE), so
// no duplicate can slip in meanwhile. Readers outside the loader (the query
// API) scan the table until the first load ends.
inline constexpr const char* kPersonIdIndex = "dc_person_idno";
Status EnsurePersonIdIndex(db::Connection& conn);

// Re-runs quarantined records (fixed values when present) through their
// dialect. Returns per id: empty string on success, else "CODE\tReason".
Result<std::map<int64_t, std::pair<std::string, std::string>>> ReprocessQuarantine(
    const CollectEnv& env, const std::vector<int64_t>& ids, std::string_view actor);

// Processes pending dc_push_event rows of `system` (one batch, trigger
// "push"). Returns the number of events processed.
Result<int64_t> ProcessPushEvents(const CollectEnv& env, std::string_view system);

// ---------------------------------------------------------------------------
// Cron (scheduler.cc): 5 fields (minute hour day-of-month month day-of-week),
// each `*`, a number, a range `a-b`, a list `a,b`, and a step `*/n` or `a-b/n`;
// day-of-week 0–7 (0 and 7 Sunday). Day-of-month and day-of-week: as in
// Vixie cron, when both are restricted a day matching either runs. Times are
// in Asia/Shanghai (UTC+8, no DST).
class CronExpr {
 public:
  static Result<CronExpr> Parse(std::string_view text);
  // The first run time strictly after `after_ms` (UTC epoch ms), or -1 when
  // none within 5 years (e.g. "0 0 31 2 *").
  int64_t NextAfter(int64_t after_ms) const;

 private:
  uint64_t minute_ = 0;
  uint32_t hour_ = 0, dom_ = 0, month_ = 0, dow_ = 0;
  bool dom_any_ = true, dow_any_ = true;
};

// JSON of a batch for the API (camelCase as in docs/api/datacenter.md).
boost::json::object BatchJson(const Batch& b, std::string_view job_name);

}  // namespace hrss::datacenter
