// The data center's fact feed (facts.h, facts_feed.h).
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "modules/datacenter/collect.h"
#include "modules/datacenter/facts_feed.h"

namespace hrss::datacenter {

namespace {

using Rows = std::vector<FactRow>;
using Sink = std::function<Status(std::span<const FactRow>)>;

const std::vector<FactSpec>& Specs() {
  static const std::vector<FactSpec> specs = {
      {FactKind::kContribution,
       "contribution",
       {"division_code", "period", "insurance_type", "domain", "status", "gender", "birth_date",
        "unit_industry", "unit_type"},
       {"base_fen", "personal_fen", "unit_fen", "subsidy_fen"}},
      {FactKind::kPayment,
       "payment",
       {"division_code", "period", "benefit_type", "domain", "status", "gender", "birth_date"},
       {"amount_fen"}},
      {FactKind::kEnrolment,
       "enrolment",
       {"division_code", "start_period", "end_period", "insurance_type", "domain", "status",
        "gender", "birth_date", "unit_industry", "unit_type"},
       {}},
      {FactKind::kEmployment,
       "employment",
       {"division_code", "period", "event_type", "domain", "gender", "birth_date"},
       {"amount_fen"}},
      {FactKind::kCase,
       "case",
       {"division_code", "period", "kind", "case_type", "status", "domain", "unit_industry",
        "closed_period"},
       {"amount_fen", "workers", "duration_days"}},
      {FactKind::kArchive,
       "archive",
       {"division_code", "period", "archive_type", "domain", "gender", "birth_date"},
       {}},
      {FactKind::kPersonnel,
       "personnel",
       {"division_code", "period", "post", "domain", "gender", "birth_date"},
       {"salary_base_fen"}},
      {FactKind::kHandling,
       "handling",
       {"division_code", "period", "day", "outlet_code", "outlet_name", "item_code", "item_name",
        "item_category", "channel", "staff_code", "staff_name", "status", "domain"},
       {"duration_minutes", "completed", "overdue"}},
      {FactKind::kPerson,
       "person",
       {"division_code", "gender", "birth_date", "death_date"},
       {"jubao", "shebao_pension", "shebao_medical", "jibao", "employed"}},
  };
  return specs;
}

constexpr const char* kCounty = "511724";

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 9-digit township, else the county.
std::string Division(std::string s) {
  if (s.size() == 9 && AllDigits(s)) return s;
  return kCounty;
}

std::string Gender(const std::string& g) { return g == "1" || g == "2" ? g : "9"; }

bool ValidYearMonth(int y, int m) { return y >= 1900 && y <= 2199 && m >= 1 && m <= 12; }

// BIGINT YYYYMM → "YYYYMM", "" when unknown.
std::string PeriodOfInt(int64_t p) {
  if (!ValidYearMonth(static_cast<int>(p / 100), static_cast<int>(p % 100))) return "";
  return std::to_string(p);
}

// "YYYY-MM-DD[ ...]" → "YYYYMM", "" when not a date.
std::string PeriodOfDate(std::string_view d) {
  if (d.size() < 7 || d[4] != '-' || !AllDigits(d.substr(0, 4)) || !AllDigits(d.substr(5, 2))) {
    return "";
  }
  int y = std::stoi(std::string(d.substr(0, 4))), m = std::stoi(std::string(d.substr(5, 2)));
  if (!ValidYearMonth(y, m)) return "";
  return std::string(d.substr(0, 4)) + std::string(d.substr(5, 2));
}

// "YYYY-MM-DD[ ...]" → "YYYYMMDD", "" when not a date.
std::string DayOfDate(std::string_view d) {
  std::string p = PeriodOfDate(d);
  if (p.empty() || d.size() < 10 || d[7] != '-' || !AllDigits(d.substr(8, 2))) return "";
  return p + std::string(d.substr(8, 2));
}

// Days since 1970-01-01 of "YYYY-MM-DD", or INT64_MIN.
int64_t DayNumber(std::string_view d) {
  if (DayOfDate(d).empty()) return INT64_MIN;
  int y = std::stoi(std::string(d.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(d.substr(5, 2))));
  unsigned dd = static_cast<unsigned>(std::stoi(std::string(d.substr(8, 2))));
  // H. Hinnant's days_from_civil.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The attributes of a row's unit (UnitCache).
struct UnitAttrs {
  std::string industry, unit_type;
};

// How a kind's rows name their unit: the column of the row, and the
// dc_unit column it matches (the unit with the lowest id among those).
struct UnitRef {
  const char* row_col = nullptr;   // null: the kind has no unit
  const char* unit_col = nullptr;
};

// How one kind is read: the columns after "t.id, t.person_id, t.batch_id,
// t.deleted" (index 4 on), the joins, the unit reference (its key is read
// as the last column), and the conversion into dims/values.
struct KindSql {
  const char* table;
  const char* cols;
  const char* joins;
  UnitRef unit;
  void (*convert)(const db::Row& r, const UnitAttrs& u, FactRow& out);
};

#define HRSS_PERSON_JOIN " LEFT JOIN dc_person p ON p.id = t.person_id"
#define HRSS_UNIT_BY_NO UnitRef{"t.unit_no", "unit_no"}
#define HRSS_PERSON_COLS "COALESCE(p.gender, ''), COALESCE(p.birth_date, '')"

const KindSql& SqlOf(FactKind kind) {
  static const KindSql contribution{
      "dc_contribution",
      "t.division_code, t.period, t.insurance_type, t.domain, t.status, " HRSS_PERSON_COLS
      ", t.base_fen, t.personal_fen, t.unit_fen, t.subsidy_fen",
      HRSS_PERSON_JOIN, HRSS_UNIT_BY_NO, [](const db::Row& r, const UnitAttrs& u, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfInt(r.GetInt64(5)), r.GetText(6), r.GetText(7),
                  r.GetText(8),           Gender(r.GetText(9)),      r.GetText(10), u.industry,
                  u.unit_type};
        o.values = {r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14)};
      }};
  static const KindSql payment{
      "dc_benefit_payment",
      "t.division_code, t.period, t.benefit_type, t.domain, t.status, " HRSS_PERSON_COLS
      ", t.amount_fen",
      HRSS_PERSON_JOIN, {}, [](const db::Row& r, const UnitAttrs&, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfInt(r.GetInt64(5)), r.GetText(6), r.GetText(7),
                  r.GetText(8),           Gender(r.GetText(9)),      r.GetText(10)};
        o.values = {r.GetInt64(11)};
      }};
  static const KindSql enrolment{
      "dc_enrolment",
      "t.division_code, t.start_date, t.end_date, t.insurance_type, t.domain, t.status, " HRSS_PERSON_COLS,
      HRSS_PERSON_JOIN, HRSS_UNIT_BY_NO, [](const db::Row& r, const UnitAttrs& u, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfDate(r.GetText(5)), PeriodOfDate(r.GetText(6)),
                  r.GetText(7),           r.GetText(8),               r.GetText(9),
                  Gender(r.GetText(10)),  r.GetText(11),              u.industry,
                  u.unit_type};
        o.values = {};
      }};
  static const KindSql employment{
      "dc_employment_event",
      "t.division_code, t.event_date, t.event_type, t.domain, " HRSS_PERSON_COLS ", t.amount_fen",
      HRSS_PERSON_JOIN, {}, [](const db::Row& r, const UnitAttrs&, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfDate(r.GetText(5)), r.GetText(6), r.GetText(7),
                  Gender(r.GetText(8)),   r.GetText(9)};
        o.values = {r.GetInt64(10)};
      }};
  static const KindSql case_{
      "dc_case",
      "t.division_code, t.filed_date, t.received_date, t.kind, t.case_type, t.status, t.domain, "
      "t.closed_date, t.amount_fen, t.workers",
      "", UnitRef{"t.unit_credit_code", "credit_code"},
      [](const db::Row& r, const UnitAttrs& u, FactRow& o) {
        std::string filed = r.GetText(5), received = r.GetText(6), closed = r.GetText(11);
        const std::string& start = PeriodOfDate(filed).empty() ? received : filed;
        int64_t duration = -1;
        int64_t a = DayNumber(start), b = DayNumber(closed);
        if (a != INT64_MIN && b != INT64_MIN) duration = std::max<int64_t>(0, b - a);
        o.dims = {Division(r.GetText(4)), PeriodOfDate(start), r.GetText(7), r.GetText(8),
                  r.GetText(9),           r.GetText(10),       u.industry,    PeriodOfDate(closed)};
        o.values = {r.GetInt64(12), r.GetInt64(13), duration};
      }};
  static const KindSql archive{
      "dc_archive", "t.division_code, t.received_date, t.archive_type, t.domain, " HRSS_PERSON_COLS,
      HRSS_PERSON_JOIN, {}, [](const db::Row& r, const UnitAttrs&, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfDate(r.GetText(5)), r.GetText(6), r.GetText(7),
                  Gender(r.GetText(8)),   r.GetText(9)};
        o.values = {};
      }};
  static const KindSql personnel{
      "dc_institution_personnel",
      "t.division_code, t.entry_date, t.post, t.domain, " HRSS_PERSON_COLS ", t.salary_base_fen",
      HRSS_PERSON_JOIN, {}, [](const db::Row& r, const UnitAttrs&, FactRow& o) {
        o.dims = {Division(r.GetText(4)), PeriodOfDate(r.GetText(5)), r.GetText(6), r.GetText(7),
                  Gender(r.GetText(8)),   r.GetText(9)};
        o.values = {r.GetInt64(10)};
      }};
  static const KindSql handling{
      "dc_business_record",
      "t.division_code, t.accepted_at, t.outlet_code, t.outlet_name, t.item_code, t.item_name, "
      "t.item_category, t.channel, t.staff_code, t.staff_name, t.status, t.domain, "
      "t.duration_minutes, t.overdue",
      "", {}, [](const db::Row& r, const UnitAttrs&, FactRow& o) {
        std::string at = r.GetText(5), status = r.GetText(14);
        o.dims = {Division(r.GetText(4)), PeriodOfDate(at), DayOfDate(at), r.GetText(6),
                  r.GetText(7),           r.GetText(8),     r.GetText(9),  r.GetText(10),
                  r.GetText(11),          r.GetText(12),    r.GetText(13), status,
                  r.GetText(15)};
        o.values = {r.GetInt64(16), status == "completed" ? 1 : 0, r.GetInt64(17) != 0 ? 1 : 0};
      }};
  switch (kind) {
    case FactKind::kContribution: return contribution;
    case FactKind::kPayment: return payment;
    case FactKind::kEnrolment: return enrolment;
    case FactKind::kEmployment: return employment;
    case FactKind::kCase: return case_;
    case FactKind::kArchive: return archive;
    case FactKind::kPersonnel: return personnel;
    case FactKind::kHandling: return handling;
    case FactKind::kPerson: break;
  }
  return contribution;  // not reached: kPerson has its own scan
}

std::string Placeholders(size_t n) {
  std::string s;
  s.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

constexpr size_t kInBatch = 500;          // ids per IN (...) list
constexpr size_t kIdListLimit = 250000;   // larger windows: keyset over the id range
constexpr int64_t kIdSlice = 65536;       // ids per statement of a range read

// Collects rows and hands them to the sink in chunks of `chunk`.
class Chunker {
 public:
  Chunker(const Sink& sink, size_t chunk) : sink_(sink), chunk_(chunk) { rows_.reserve(chunk); }
  Status Add(FactRow row) {
    rows_.push_back(std::move(row));
    if (rows_.size() >= chunk_) return Flush();
    return Status::Ok();
  }
  Status Flush() {
    if (rows_.empty()) return Status::Ok();
    Status st = sink_(std::span<const FactRow>(rows_.data(), rows_.size()));
    rows_.clear();
    return st;
  }

 private:
  const Sink& sink_;
  size_t chunk_;
  Rows rows_;
};

// The units a scan's rows name, looked up by key as chunks arrive (not a
// correlated subquery per row: dc_unit's indexes are dropped while a first
// load of units runs, and each row's subquery then walked the whole table,
// 17 s for one chunk of 8,192 contributions during the county 社保 load).
// Keys already looked up (found or not) are not asked again.
class UnitCache {
 public:
  UnitCache(db::Connection& conn, const UnitRef& ref) : conn_(conn), ref_(ref) {}

  // Looks up the keys of `rows` (their last column) not seen yet.
  Status Prefetch(const std::vector<db::Row>& rows) {
    if (ref_.row_col == nullptr || rows.empty()) return Status::Ok();
    db::Params keys;
    for (const auto& r : rows) {
      std::string key = r.OptText(r.size() - 1).value_or("");
      if (key.empty()) continue;
      auto [it, added] = units_.try_emplace(std::move(key));
      if (added) keys.emplace_back(it->first);
    }
    const std::string sql = std::string("SELECT ") + ref_.unit_col + ", id, industry, unit_type " +
                            "FROM dc_unit WHERE " + ref_.unit_col + " IN (";
    for (size_t i = 0; i < keys.size(); i += kInBatch) {
      size_t n = std::min(kInBatch, keys.size() - i);
      db::Params slice(keys.begin() + static_cast<ptrdiff_t>(i),
                       keys.begin() + static_cast<ptrdiff_t>(i + n));
      std::unordered_map<std::string, int64_t> lowest;
      HRSS_RETURN_IF_ERROR(conn_.QueryEach(
          sql + Placeholders(n) + ")", slice, [&](const db::Row& u) {
            std::string key = u.GetText(0);
            int64_t id = u.GetInt64(1);
            auto [low, first] = lowest.try_emplace(key, id);
            if (!first && low->second < id) return Status::Ok();
            low->second = id;
            units_[key] = UnitAttrs{u.GetText(2), u.GetText(3)};
            return Status::Ok();
          }));
    }
    return Status::Ok();
  }

  const UnitAttrs& Of(const db::Row& r) const {
    static const UnitAttrs kNone;
    if (ref_.row_col == nullptr) return kNone;
    auto it = units_.find(r.OptText(r.size() - 1).value_or(""));
    return it == units_.end() ? kNone : it->second;
  }

 private:
  db::Connection& conn_;
  UnitRef ref_;
  std::unordered_map<std::string, UnitAttrs> units_;
};

FactRow Convert(const KindSql& k, const UnitCache& units, const db::Row& r) {
  FactRow o;
  o.key = r.GetInt64(0);
  o.person_id = r.GetInt64(1);
  o.batch_id = r.GetInt64(2);
  o.deleted = r.GetInt64(3) != 0;
  k.convert(r, units.Of(r), o);
  return o;
}

// Where the rows of a window (after < batch_id <= upto) of `table` are
// (collect.h, "Batch windows"): above `above` when `range` (the lowest mark
// of the window's batches), and the older rows in `changed` (sorted, at or
// below `above`). Rows found there may since carry a later batch: callers
// filter on the window again.
struct WindowRows {
  bool range = false;
  int64_t above = 0;
  std::vector<int64_t> changed;
};

Result<WindowRows> RowsOfWindow(db::Connection& conn, const std::string& table, int64_t after,
                                int64_t upto) {
  WindowRows w;
  HRSS_ASSIGN_OR_RETURN(auto mark, conn.QueryOne("SELECT MIN(max_id) FROM dc_batch_mark WHERE "
                                                 "batch_id > ? AND batch_id <= ? AND table_name = ?",
                                                 {after, upto, table}));
  if (mark.has_value() && !mark->IsNull(0)) {
    w.range = true;
    w.above = mark->GetInt64(0);
  }
  HRSS_RETURN_IF_ERROR(conn.QueryEach("SELECT row_id FROM dc_row_change WHERE table_name = ? AND "
                                      "batch_id > ? AND batch_id <= ?",
                                      {table, after, upto}, [&](const db::Row& r) {
                                        int64_t id = r.GetInt64(0);
                                        if (!w.range || id <= w.above) w.changed.push_back(id);
                                        return Status::Ok();
                                      }));
  std::sort(w.changed.begin(), w.changed.end());
  w.changed.erase(std::unique(w.changed.begin(), w.changed.end()), w.changed.end());
  return w;
}

// Runs `fn` over `ids` in slices of at most kInBatch.
Status ForIdSlices(const std::vector<int64_t>& ids,
                   const std::function<Status(std::span<const int64_t>)>& fn) {
  for (size_t i = 0; i < ids.size(); i += kInBatch) {
    HRSS_RETURN_IF_ERROR(fn(std::span<const int64_t>(ids).subspan(i, std::min(kInBatch, ids.size() - i))));
  }
  return Status::Ok();
}

// The highest id of `table` now. Rows of batches up to a window's `upto`
// are all at or below it: `upto` is at most LatestBatch (every batch up to
// it had finished), so any row inserted later carries a later batch. A scan
// that stops here keeps each statement short while a loader appends: a
// statement left to walk the loader's new rows (millions, from the WAL)
// held one snapshot for tens of seconds, and SQLite's WAL cannot start
// over behind it (it grew to 68 GB during a county 社保 load).
Result<int64_t> TopId(db::Connection& conn, const std::string& table) {
  HRSS_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT COALESCE(MAX(id), 0) FROM " + table));
  return row.has_value() ? row->GetInt64(0) : 0;
}

Status ScanTable(db::Connection& conn, const KindSql& k, int64_t after, int64_t upto,
                 const Sink& sink, size_t chunk) {
  HRSS_ASSIGN_OR_RETURN(const int64_t top, TopId(conn, k.table));
  const std::string base = std::string("SELECT t.id, t.person_id, t.batch_id, t.deleted, ") +
                           k.cols +
                           (k.unit.row_col != nullptr ? std::string(", ") + k.unit.row_col : "") +
                           " FROM " + k.table + " t" + k.joins;
  Chunker out(sink, chunk);
  UnitCache units(conn, k.unit);
  auto emit = [&](const std::vector<db::Row>& rows) -> Status {
    HRSS_RETURN_IF_ERROR(units.Prefetch(rows));
    for (const auto& r : rows) HRSS_RETURN_IF_ERROR(out.Add(Convert(k, units, r)));
    return Status::Ok();
  };
  auto keyset = [&](int64_t from_id, int64_t to_id) -> Status {
    int64_t last = from_id;
    const std::string sql =
        base + " WHERE t.id > ? AND t.id <= ? AND t.batch_id > ? AND t.batch_id <= ? ORDER BY "
               "t.id LIMIT ?";
    while (true) {
      HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {last, to_id, after, upto,
                                                        static_cast<int64_t>(chunk)}));
      HRSS_RETURN_IF_ERROR(emit(rows));
      if (rows.size() < chunk) break;
      last = rows.back().GetInt64(0);
    }
    return Status::Ok();
  };
  if (after <= 0) {
    HRSS_RETURN_IF_ERROR(keyset(0, top));
    return out.Flush();
  }
  HRSS_ASSIGN_OR_RETURN(WindowRows w, RowsOfWindow(conn, k.table, after, upto));
  // The older rows the window changed (ids ascending, all below the range).
  const std::vector<int64_t>& ids = w.changed;
  if (ids.size() > kIdListLimit) {
    HRSS_RETURN_IF_ERROR(keyset(ids.front() - 1, ids.back()));
  } else {
    HRSS_RETURN_IF_ERROR(ForIdSlices(ids, [&](std::span<const int64_t> slice) -> Status {
      db::Params params(slice.begin(), slice.end());
      params.emplace_back(after);
      params.emplace_back(upto);
      // The window again: a row changed by a later batch since comes with
      // that batch's window instead.
      HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query(base + " WHERE t.id IN (" +
                                                      Placeholders(slice.size()) +
                                                      ") AND t.batch_id > ? AND t.batch_id <= ? "
                                                      "ORDER BY t.id",
                                                  params));
      HRSS_RETURN_IF_ERROR(emit(rows));
      return Status::Ok();
    }));
  }
  // The rows the window's batches inserted, and later ones filtered out.
  if (w.range && w.above < top) HRSS_RETURN_IF_ERROR(keyset(w.above, top));
  return out.Flush();
}

// Tables that may reference a person who has no source record (a stub
// created from an ID number); the first of their batches is the stub's.
// (Window tables, collect.h: they are also read by batch window.)
constexpr const char* kStubTables[] = {"dc_contribution", "dc_benefit_payment",
                                       "dc_case",         "dc_archive",
                                       "dc_institution_personnel", "dc_business_record"};

// Enrolment schemes of the person kind's flags: value index by insurance type.
int FlagOf(const std::string& insurance_type) {
  if (insurance_type == "170") return 0;  // jubao
  if (insurance_type == "110") return 1;  // shebao_pension
  if (insurance_type == "310") return 2;  // shebao_medical
  if (insurance_type == "120") return 3;  // jibao
  return -1;
}

}  // namespace

const FactSpec& FactSpecOf(FactKind kind) {
  for (const FactSpec& s : Specs()) {
    if (s.kind == kind) return s;
  }
  return Specs().front();
}

const std::vector<FactKind>& AllFactKinds() {
  static const std::vector<FactKind> kinds = [] {
    std::vector<FactKind> v;
    for (const FactSpec& s : Specs()) v.push_back(s.kind);
    return v;
  }();
  return kinds;
}

Result<int64_t> SqlFactFeed::LatestBatch() {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto row, conn->QueryOne("SELECT COALESCE((SELECT MIN(id) FROM dc_batch WHERE status = "
                               "'running'), 0), COALESCE((SELECT MAX(id) FROM dc_batch), 0)"));
  if (!row.has_value()) return int64_t{0};
  int64_t running = row->GetInt64(0), max = row->GetInt64(1);
  return running > 0 ? running - 1 : max;
}

void SqlFactFeed::OnBatchCommitted(std::function<void(int64_t batch_id)> fn) {
  if (!fn) return;
  std::lock_guard lock(mu_);
  subscribers_.push_back(std::move(fn));
}

void SqlFactFeed::NotifyCommitted(int64_t batch_id) {
  std::vector<std::function<void(int64_t)>> subs;
  {
    std::lock_guard lock(mu_);
    subs = subscribers_;
  }
  for (const auto& fn : subs) fn(batch_id);
}

Status SqlFactFeed::Scan(FactKind kind, int64_t after_batch, int64_t upto_batch, const Sink& sink,
                         size_t chunk) {
  if (chunk == 0) chunk = 8192;
  if (upto_batch <= after_batch) return Status::Ok();
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  if (kind == FactKind::kPerson) return ScanPersons(*conn, after_batch, upto_batch, sink, chunk);
  return ScanTable(*conn, SqlOf(kind), after_batch, upto_batch, sink, chunk);
}

// Persons: the golden records, chunk by chunk (by id), with the enrolment
// and employment rows of each chunk's persons read by person_id IN (...).
Status SqlFactFeed::ScanPersons(db::Connection& conn, int64_t after, int64_t upto,
                                const Sink& sink, size_t chunk) {
  Chunker out(sink, chunk);
  // Builds the facts of persons `rows` (id, division, gender, birth, death).
  auto emit = [&](const std::vector<db::Row>& rows) -> Status {
    if (rows.empty()) return Status::Ok();
    db::Params ids;
    ids.reserve(rows.size());
    std::unordered_map<int64_t, size_t> index;
    for (size_t i = 0; i < rows.size(); ++i) {
      ids.emplace_back(rows[i].GetInt64(0));
      index[rows[i].GetInt64(0)] = i;
    }
    const std::string in = " WHERE person_id IN (" + Placeholders(rows.size()) + ")";
    std::vector<int64_t> batch(rows.size(), 0);
    std::vector<std::array<int64_t, 4>> flags(rows.size(), {0, 0, 0, 0});
    struct Latest {
      std::string date;
      int64_t id = 0;
      bool employed = false;
    };
    std::vector<Latest> latest(rows.size());
    HRSS_RETURN_IF_ERROR(conn.QueryEach(
        "SELECT person_id, MAX(batch_id) FROM dc_person_source" + in + " GROUP BY person_id", ids,
        [&](const db::Row& r) {
          size_t i = index[r.GetInt64(0)];
          batch[i] = std::max(batch[i], r.GetInt64(1));
          return Status::Ok();
        }));
    HRSS_RETURN_IF_ERROR(conn.QueryEach(
        "SELECT person_id, batch_id, deleted, status, insurance_type FROM dc_enrolment" + in, ids,
        [&](const db::Row& r) {
          size_t i = index[r.GetInt64(0)];
          batch[i] = std::max(batch[i], r.GetInt64(1));
          if (r.GetInt64(2) == 0 && r.GetText(3) == "1") {
            int f = FlagOf(r.GetText(4));
            if (f >= 0) flags[i][static_cast<size_t>(f)] = 1;
          }
          return Status::Ok();
        }));
    HRSS_RETURN_IF_ERROR(conn.QueryEach(
        "SELECT person_id, batch_id, deleted, event_type, event_date, id FROM dc_employment_event" +
            in,
        ids, [&](const db::Row& r) {
          size_t i = index[r.GetInt64(0)];
          batch[i] = std::max(batch[i], r.GetInt64(1));
          std::string type = r.GetText(3);
          if (r.GetInt64(2) != 0 ||
              (type != "employment_registration" && type != "unemployment_registration")) {
            return Status::Ok();
          }
          std::string date = r.GetText(4);
          int64_t id = r.GetInt64(5);
          Latest& l = latest[i];
          if (l.id == 0 || date > l.date || (date == l.date && id > l.id)) {
            l = {date, id, type == "employment_registration"};
          }
          return Status::Ok();
        }));
    // Stub persons (known only from an ID number on a contribution, a case
    // ...: no source record, enrolment or employment event): the batch that
    // first referenced them.
    db::Params stubs;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (batch[i] == 0) stubs.emplace_back(rows[i].GetInt64(0));
    }
    if (!stubs.empty()) {
      const std::string in_stubs = " WHERE person_id IN (" + Placeholders(stubs.size()) + ")";
      for (const char* table : kStubTables) {
        HRSS_RETURN_IF_ERROR(conn.QueryEach(
            std::string("SELECT person_id, MIN(batch_id) FROM ") + table + in_stubs +
                " GROUP BY person_id",
            stubs, [&](const db::Row& r) {
              size_t i = index[r.GetInt64(0)];
              int64_t first = r.GetInt64(1);
              if (first > 0 && (batch[i] == 0 || first < batch[i])) batch[i] = first;
              return Status::Ok();
            }));
      }
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      // Window: after < batch <= upto. From 0, persons no row refers to
      // (none come from collection) are included as well, with batch 0.
      if (batch[i] > upto || (batch[i] <= after && !(after <= 0 && batch[i] == 0))) continue;
      const db::Row& r = rows[i];
      FactRow o;
      o.key = r.GetInt64(0);
      o.person_id = o.key;
      o.batch_id = batch[i];
      o.dims = {Division(r.GetText(1)), Gender(r.GetText(2)), r.GetText(3), r.GetText(4)};
      o.values = {flags[i][0], flags[i][1], flags[i][2], flags[i][3],
                  latest[i].employed ? 1 : 0};
      HRSS_RETURN_IF_ERROR(out.Add(std::move(o)));
    }
    return Status::Ok();
  };
  const std::string cols = "SELECT id, division_code, gender, birth_date, death_date FROM dc_person";
  if (after <= 0) {
    int64_t last = 0;
    while (true) {
      HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query(cols + " WHERE id > ? ORDER BY id LIMIT ?",
                                                  {last, static_cast<int64_t>(kInBatch)}));
      HRSS_RETURN_IF_ERROR(emit(rows));
      if (rows.size() < kInBatch) break;
      last = rows.back().GetInt64(0);
    }
    return out.Flush();
  }
  // The persons of every row the window wrote (emit keeps those whose
  // batch is in the window).
  std::vector<int64_t> ids;
  auto add_person = [&](const db::Row& r) {
    if (r.GetInt64(0) > 0) ids.push_back(r.GetInt64(0));
    return Status::Ok();
  };
  // Every window table has a person column: its source records, enrolments
  // and employment events, and the stub tables (kStubTables).
  for (const std::string& table : WindowTables()) {
    HRSS_ASSIGN_OR_RETURN(WindowRows w, RowsOfWindow(conn, table, after, upto));
    HRSS_RETURN_IF_ERROR(ForIdSlices(w.changed, [&](std::span<const int64_t> slice) -> Status {
      db::Params params(slice.begin(), slice.end());
      params.emplace_back(after);
      params.emplace_back(upto);
      return conn.QueryEach("SELECT person_id FROM " + table + " WHERE id IN (" +
                                Placeholders(slice.size()) + ") AND batch_id > ? AND batch_id <= ?",
                            params, add_person);
    }));
    if (w.range) {
      // In id slices: each statement a short read (TopId).
      HRSS_ASSIGN_OR_RETURN(const int64_t top, TopId(conn, table));
      for (int64_t from = w.above; from < top; from += kIdSlice) {
        HRSS_RETURN_IF_ERROR(conn.QueryEach(
            "SELECT person_id FROM " + table +
                " WHERE id > ? AND id <= ? AND batch_id > ? AND batch_id <= ?",
            {from, std::min(top, from + kIdSlice), after, upto}, add_person));
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (size_t i = 0; i < ids.size(); i += kInBatch) {
    size_t n = std::min(kInBatch, ids.size() - i);
    db::Params params(ids.begin() + static_cast<ptrdiff_t>(i),
                      ids.begin() + static_cast<ptrdiff_t>(i + n));
    HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query(cols + " WHERE id IN (" + Placeholders(n) +
                                                    ") ORDER BY id",
                                                params));
    HRSS_RETURN_IF_ERROR(emit(rows));
  }
  return out.Flush();
}

}  // namespace hrss::datacenter
