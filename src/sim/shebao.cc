// 社保 (enterprise employees' insurance, 金保工程 style): a SQLite source
// database shebao.db plus the same rows as a MariaDB-loadable shebao.sql.
// The database is the state at the end of the last drop day; aae036 (change
// time) tells on which day a row was last changed.
//
// ae10 (业务经办日志) is the business handling log of the service outlets —
// the county's halls and the 31 townships' 便民服务中心 — over the last three
// years (GenerateBusinessLog below; columns in docs/datacenter/sources.md).
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {
namespace {

struct Column {
  const char* name;
  const char* sqlite_type;
  const char* mariadb_type;
};
struct TableSpec {
  const char* name;
  std::vector<Column> columns;
  const char* primary_key;  // column list
};

const std::vector<TableSpec>& Tables() {
  static const std::vector<TableSpec> kTables = {
      {"ab01",
       {{"aab001", "TEXT NOT NULL", "VARCHAR(20) NOT NULL"},
        {"aab003", "TEXT", "VARCHAR(32)"},
        {"aab004", "TEXT", "VARCHAR(200)"},
        {"aab019", "TEXT", "VARCHAR(4)"},
        {"aab022", "TEXT", "VARCHAR(4)"},
        {"aab301", "TEXT", "VARCHAR(12)"},
        {"aab013", "TEXT", "VARCHAR(60)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aab001"},
      {"ac01",
       {{"aac001", "TEXT NOT NULL", "VARCHAR(20) NOT NULL"},
        {"aac002", "TEXT", "VARCHAR(64)"},
        {"aac003", "TEXT", "VARCHAR(60)"},
        {"aac004", "TEXT", "VARCHAR(1)"},
        {"aac006", "INTEGER", "INT"},
        {"aab301", "TEXT", "VARCHAR(12)"},
        {"aae005", "TEXT", "VARCHAR(20)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aac001"},
      {"ac02",
       {{"aac001", "TEXT NOT NULL", "VARCHAR(20) NOT NULL"},
        {"aab001", "TEXT", "VARCHAR(20)"},
        {"aae140", "TEXT NOT NULL", "VARCHAR(3) NOT NULL"},
        {"aac008", "TEXT", "VARCHAR(1)"},
        {"aac030", "INTEGER", "INT"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aac001, aae140"},
      {"ac43",
       {{"aaz223", "INTEGER NOT NULL", "BIGINT NOT NULL"},
        {"aac001", "TEXT", "VARCHAR(20)"},
        {"aab001", "TEXT", "VARCHAR(20)"},
        {"aae140", "TEXT", "VARCHAR(3)"},
        {"aae003", "INTEGER", "INT"},
        {"aac040", "REAL", "DECIMAL(14,2)"},
        {"aae020", "REAL", "DECIMAL(14,2)"},
        {"aae022", "REAL", "DECIMAL(14,2)"},
        {"aae078", "TEXT", "VARCHAR(1)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aaz223"},
      {"ab07",
       {{"aaz288", "INTEGER NOT NULL", "BIGINT NOT NULL"},
        {"aab001", "TEXT", "VARCHAR(20)"},
        {"aae140", "TEXT", "VARCHAR(3)"},
        {"aae003", "INTEGER", "INT"},
        {"aae019", "REAL", "DECIMAL(14,2)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aaz288"},
      {"ac84",
       {{"aaz220", "INTEGER NOT NULL", "BIGINT NOT NULL"},
        {"aac001", "TEXT", "VARCHAR(20)"},
        {"aaa036", "TEXT", "VARCHAR(2)"},
        {"aae002", "INTEGER", "INT"},
        {"aae019", "REAL", "DECIMAL(14,2)"},
        {"aae117", "TEXT", "VARCHAR(1)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aaz220"},
      {"ae10",
       {{"aaz002", "INTEGER NOT NULL", "BIGINT NOT NULL"},
        {"aaa121", "TEXT", "VARCHAR(10)"},
        {"aaa122", "TEXT", "VARCHAR(60)"},
        {"aac001", "TEXT", "VARCHAR(20)"},
        {"aac002", "TEXT", "VARCHAR(18)"},
        {"aab034", "TEXT", "VARCHAR(16)"},
        {"aab035", "TEXT", "VARCHAR(100)"},
        {"aab301", "TEXT", "VARCHAR(12)"},
        {"aae011", "TEXT", "VARCHAR(20)"},
        {"aae012", "TEXT", "VARCHAR(30)"},
        {"aae314", "TEXT", "VARCHAR(2)"},
        {"aae040", "TEXT", "VARCHAR(14)"},
        {"aae043", "TEXT", "VARCHAR(14)"},
        {"aae115", "TEXT", "VARCHAR(1)"},
        {"aae160", "TEXT", "VARCHAR(1)"},
        {"aae036", "TEXT NOT NULL", "VARCHAR(14) NOT NULL"},
        {"aae100", "TEXT NOT NULL", "VARCHAR(1) NOT NULL"}},
       "aaz002"},
  };
  return kTables;
}

// One column value: NULL, integer, money (fen, stored as REAL yuan) or text.
struct Val {
  enum Kind { kNull, kInt, kMoney, kText } kind = kNull;
  int64_t i = 0;
  std::string s;
  static Val Null() { return {}; }
  static Val Int(int64_t v) { return {kInt, v, {}}; }
  static Val Fen(int64_t v) { return {kMoney, v, {}}; }
  static Val Text(std::string v) { return {kText, 0, std::move(v)}; }
};

class Db {
 public:
  ~Db() {
    for (auto& [name, st] : inserts_) sqlite3_finalize(st);
    if (db_) sqlite3_close(db_);
  }
  Status Open(const std::string& path) {
    std::filesystem::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return Error("open");
    HRSS_RETURN_IF_ERROR(Exec("PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                              "PRAGMA cache_size=-65536; PRAGMA locking_mode=EXCLUSIVE;"));
    for (const TableSpec& t : Tables()) {
      std::string ddl = std::string("CREATE TABLE ") + t.name + " (";
      std::string ins = std::string("INSERT INTO ") + t.name + " VALUES (";
      for (size_t c = 0; c < t.columns.size(); ++c) {
        ddl += std::string(c ? ", " : "") + t.columns[c].name + " " + t.columns[c].sqlite_type;
        ins += c ? ",?" : "?";
      }
      ddl += std::string(", PRIMARY KEY (") + t.primary_key + "))";
      ins += ")";
      HRSS_RETURN_IF_ERROR(Exec(ddl));
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db_, ins.c_str(), -1, &st, nullptr) != SQLITE_OK) return Error("prepare");
      inserts_.emplace_back(t.name, st);
    }
    return Exec("BEGIN");
  }
  // REQUIRES: `table` is one of Tables(); row matches its columns.
  Status Insert(size_t table, const std::vector<Val>& row) {
    sqlite3_stmt* st = inserts_[table].second;
    for (size_t c = 0; c < row.size(); ++c) {
      int k = static_cast<int>(c) + 1;
      const Val& v = row[c];
      switch (v.kind) {
        case Val::kNull: sqlite3_bind_null(st, k); break;
        case Val::kInt: sqlite3_bind_int64(st, k, v.i); break;
        case Val::kMoney: sqlite3_bind_double(st, k, static_cast<double>(v.i) / 100.0); break;
        case Val::kText: sqlite3_bind_text(st, k, v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC); break;
      }
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return Error(std::string("insert into ") + inserts_[table].first);
    return Status::Ok();
  }
  Status Commit() { return Exec("COMMIT"); }

  // Writes CREATE TABLE and INSERT batches of every table to `path`.
  Status DumpSql(const std::string& path, int64_t* rows_out) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return Status::Internal("cannot create " + path);
    std::string out =
        "-- 社保 source database (simulated), MariaDB dialect. Generated by `hrss simulate`.\n"
        "SET NAMES utf8mb4;\nSET autocommit=0;\n";
    int64_t rows = 0;
    for (const TableSpec& t : Tables()) {
      out += std::string("DROP TABLE IF EXISTS `") + t.name + "`;\nCREATE TABLE `" + t.name + "` (\n";
      std::string cols;
      for (size_t c = 0; c < t.columns.size(); ++c) {
        out += std::string("  `") + t.columns[c].name + "` " + t.columns[c].mariadb_type + ",\n";
        cols += std::string(c ? "," : "") + "`" + t.columns[c].name + "`";
      }
      std::string pk = t.primary_key;
      std::string pk_quoted;
      for (size_t p = 0, q; p < pk.size(); p = q + 2) {
        q = pk.find(", ", p);
        if (q == std::string::npos) q = pk.size();
        pk_quoted += std::string(pk_quoted.empty() ? "" : ",") + "`" + pk.substr(p, q - p) + "`";
      }
      out += "  PRIMARY KEY (" + pk_quoted + ")\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n";
      sqlite3_stmt* st = nullptr;
      std::string q = std::string("SELECT * FROM ") + t.name + " ORDER BY rowid";
      if (sqlite3_prepare_v2(db_, q.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        std::fclose(f);
        return Error("prepare select");
      }
      int batch = 0;
      while (sqlite3_step(st) == SQLITE_ROW) {
        out += batch == 0 ? std::string("INSERT INTO `") + t.name + "` (" + cols + ") VALUES\n(" : ",\n(";
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
          if (c) out += ',';
          switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL: out += "NULL"; break;
            case SQLITE_INTEGER: out += std::to_string(sqlite3_column_int64(st, c)); break;
            case SQLITE_FLOAT: {
              char buf[40];
              std::snprintf(buf, sizeof buf, "%.2f", sqlite3_column_double(st, c));
              out += buf;
              break;
            }
            default: {
              const char* s = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
              out += '\'';
              for (const char* p = s; *p; ++p) {
                if (*p == '\'' || *p == '\\') out += *p == '\'' ? '\'' : '\\';
                out += *p;
              }
              out += '\'';
            }
          }
        }
        out += ')';
        ++rows;
        if (++batch == 1000) {
          out += ";\n";
          batch = 0;
        }
        if (out.size() > (1u << 20)) {
          std::fwrite(out.data(), 1, out.size(), f);
          out.clear();
        }
      }
      if (batch) out += ";\n";
      sqlite3_finalize(st);
    }
    out += "COMMIT;\n";
    std::fwrite(out.data(), 1, out.size(), f);
    if (std::fclose(f) != 0) return Status::Internal("write failed: " + path);
    *rows_out = rows;
    return Status::Ok();
  }

  int64_t Count(const char* table) {
    sqlite3_stmt* st = nullptr;
    std::string q = std::string("SELECT COUNT(*) FROM ") + table;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db_, q.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
  }

 private:
  Status Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      return Status::Internal("shebao.db: " + m);
    }
    return Status::Ok();
  }
  Status Error(const std::string& what) { return Status::Internal("shebao.db " + what + ": " + sqlite3_errmsg(db_)); }

  sqlite3* db_ = nullptr;
  std::vector<std::pair<std::string, sqlite3_stmt*>> inserts_;
};

enum TableIndex : size_t { kAb01, kAc01, kAc02, kAc43, kAb07, kAc84, kAe10 };

const char* const kInsurance[] = {"110", "210", "310", "410", "510"};
// Personal and unit rates in 1/10000 of the base.
int PersonalRate(int type, int ym) {
  (void)ym;
  static const int kRates[] = {800, 40, 200, 0, 0};
  return kRates[type];
}
int UnitRate(int type, int ym) {
  static const int kRates[] = {1600, 60, 650, 50, 80};
  if (type == 0 && ym < 201905) return 1900;
  return kRates[type];
}

std::string UnitKey(int unit) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "511724%08d", unit + 1);
  return buf;
}

Status GenerateBusinessLog(const SimContext& ctx, Db& db, Ledger& L);

}  // namespace

std::string Stamp(int yyyymmdd, int seconds) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%08d%02d%02d%02d", yyyymmdd, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
  return buf;
}

Status GenerateShebao(const SimContext& ctx, Ledger* ledger) {
  const Population& pop = *ctx.pop;
  Ledger& L = *ledger;
  L.persons_seen.assign(pop.residents.size(), 0);
  L.units_seen.assign(pop.units.size(), 0);
  std::string dir = ctx.out_dir + "/shebao";
  std::filesystem::create_directories(dir);
  Db db;
  HRSS_RETURN_IF_ERROR(db.Open(dir + "/shebao.db"));

  const int first = pop.preset.first_month, last = pop.preset.last_month;
  const int day1 = ctx.DayDate(1);
  std::vector<uint8_t> unit_day1_contrib(pop.units.size(), 0);
  std::vector<Val> row;
  int64_t aaz223 = 0, aaz220 = 0, aaz288 = 0;
  // A change time in month `ym` (clamped to drop day 1).
  auto month_stamp = [&](int ym, Rng& rng) {
    int date = ym * 100 + rng.Range(5, 25);
    if (date > day1) date = day1;
    return Stamp(date, rng.Range(8 * 3600, 18 * 3600));
  };
  auto later_stamp = [&](int day, Rng& rng) { return ctx.DayStamp(day, rng.Range(8 * 3600, 18 * 3600)); };

  int64_t rows = 0;
  int64_t members = 0;
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    const Resident& r = pop.residents[i];
    if (!(r.systems & kInShebao)) continue;
    Rng rng = Rng::Stream(pop.seed, Tag("shebao.person"), i);
    const std::string aac001 = std::to_string(3000000000LL + static_cast<int64_t>(i));
    const std::string aab001 = UnitKey(r.unit);
    const bool conflict = r.birth_conflict_in == kInShebao;
    const int joined = r.emp_from ? r.emp_from : std::min(r.retire_month, first);
    const int day = joined == last && rng.Chance(0.5) ? 2 : 1;
    Fatal fatal = conflict ? Fatal::kNone : PickFatal(rng, true, false, false);
    std::string name = ctx.NameVariantIn(i, kInShebao) ? NameVariant(r.name) : r.name;
    if (name != r.name) L.Count(Dirt::kNameVariant);
    int birth = r.birth;
    if (conflict) {
      birth = ConflictingBirth(r.birth, rng.Next());
      L.Count(Dirt::kBirthConflict);
      ++L.birth_conflicts;
    }
    std::string gender = r.male ? "1" : "2";
    if (rng.Chance(kRates.gender_codes / 3)) {
      gender = "9";
      L.Count(Dirt::kGenderCodes);
    }
    Val town = Val::Text(pop.townships[r.township].code);
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      town = rng.Chance(0.5) ? Val::Null() : Val::Text("511724");
    }
    std::string stamp = day == 1 ? month_stamp(joined, rng) : later_stamp(day, rng);
    std::string valid = "1";
    std::string phone = Phone(rng.Next());
    if (fatal == Fatal::kNone && day < ctx.days) {
      if (rng.Chance(kRates.late_update)) {
        L.Count(Dirt::kLateUpdate);
        phone = Phone(rng.Next());
        stamp = later_stamp(ctx.DayAfter(day, rng), rng);
      } else if (!conflict && rng.Chance(kRates.deletion)) {
        L.Count(Dirt::kDeletion);
        valid = "0";
        stamp = later_stamp(ctx.DayAfter(day, rng), rng);
      }
    }
    row = {Val::Text(aac001), Val::Text(WriteId(r.id_view(), rng, L, fatal == Fatal::kIdChecksum)),
           Val::Text(WriteName(name, rng, L)), Val::Text(gender), Val::Int(birth), town, Val::Text(phone),
           Val::Text(stamp), Val::Text(valid)};
    HRSS_RETURN_IF_ERROR(db.Insert(kAc01, row));
    L.Quarantined(fatal);
    if (fatal == Fatal::kNone) L.persons_seen[i] = 1;

    // 参保 per insurance type.
    for (int t = 0; t < 5; ++t) {
      if (!(r.insurance & (1 << t))) continue;
      Fatal f = PickFatal(rng, false, true, false);
      int since = r.emp_from ? r.emp_from * 100 + rng.Range(1, 28) : (r.MonthAtAge(22) * 100 + 1);
      std::string state = r.death_month ? "3" : (r.emp_to && !r.retire_month) ? "2" : "1";
      row = {Val::Text(aac001), Val::Text(aab001), Val::Text(kInsurance[t]), Val::Text(state),
             Val::Int(f == Fatal::kBadDate ? (since / 10000) * 10000 + 230 : since),
             Val::Text(day == 1 ? month_stamp(joined, rng) : later_stamp(day, rng)), Val::Text("1")};
      HRSS_RETURN_IF_ERROR(db.Insert(kAc02, row));
      L.Quarantined(f);
    }

    // Monthly contributions during employment.
    if (r.emp_from) {
      int end = r.emp_to ? r.emp_to : last;
      int64_t base0 = r.base;
      for (int mi = MonthIndex(std::max(first, r.emp_from)); mi <= MonthIndex(end); ++mi) {
        int ym = YyyymmOf(mi);
        int years = ym / 100 - r.emp_from / 100;
        int64_t base_fen = base0 * 100;
        for (int k = 0; k < years; ++k) base_fen = base_fen * 105 / 100;
        base_fen = base_fen / 100 * 100;
        int cday = day;
        if (ym == last && cday == 1 && rng.Chance(0.03)) cday = 2;
        for (int t = 0; t < 5; ++t) {
          if (!(r.insurance & (1 << t))) continue;
          std::string arrived = "1";
          std::string st = cday == 1 ? month_stamp(YyyymmOf(mi + 1), rng) : later_stamp(cday, rng);
          std::string valid_c = "1";
          if (cday < ctx.days) {
            double u = rng.Unit();
            if (u < kRates.late_update / 10) {
              L.Count(Dirt::kLateUpdate);
              st = later_stamp(ctx.DayAfter(cday, rng), rng);
            } else if (u < kRates.late_update / 10 + kRates.deletion / 4) {
              L.Count(Dirt::kDeletion);
              valid_c = "0";
              st = later_stamp(ctx.DayAfter(cday, rng), rng);
            } else if (ym == last && u < 0.05) {
              arrived = "0";
            }
          }
          row = {Val::Int(++aaz223), Val::Text(aac001), Val::Text(aab001), Val::Text(kInsurance[t]), Val::Int(ym),
                 Val::Fen(base_fen), Val::Fen(base_fen * PersonalRate(t, ym) / 10000),
                 Val::Fen(base_fen * UnitRate(t, ym) / 10000), Val::Text(arrived), Val::Text(st), Val::Text(valid_c)};
          HRSS_RETURN_IF_ERROR(db.Insert(kAc43, row));
          if (cday == 1) unit_day1_contrib[static_cast<size_t>(r.unit)] = 1;
          ++rows;
        }
      }
    }

    // Benefits.
    auto pay = [&](const char* kind, int ym, int64_t fen) -> Status {
      double u = rng.Unit();
      std::string flag = u < 0.99 ? "1" : u < 0.996 ? "0" : "2";
      int pday = ym == last && rng.Chance(0.03) ? 2 : 1;
      std::string valid_p = "1";
      std::string st = pday == 1 ? month_stamp(ym, rng) : later_stamp(pday, rng);
      if (flag == "2" && pday < ctx.days) {  // returned, paid again later
        L.Count(Dirt::kLateUpdate);
        flag = "1";
        st = later_stamp(ctx.DayAfter(pday, rng), rng);
      } else if (pday < ctx.days && rng.Chance(kRates.deletion / 4)) {
        L.Count(Dirt::kDeletion);
        valid_p = "0";
        st = later_stamp(ctx.DayAfter(pday, rng), rng);
      }
      row = {Val::Int(++aaz220), Val::Text(aac001), Val::Text(kind), Val::Int(ym), Val::Fen(fen), Val::Text(flag),
             Val::Text(st), Val::Text(valid_p)};
      ++rows;
      return db.Insert(kAc84, row);
    };
    if (r.retire_month) {
      int64_t pension = rng.Range(1800, 4500) * 100LL;
      int end = r.death_month ? YyyymmOf(MonthIndex(r.death_month) - 1) : last;
      for (int mi = MonthIndex(std::max(first, r.retire_month)); mi <= MonthIndex(std::min(end, last)); ++mi) {
        int ym = YyyymmOf(mi);
        int64_t amount = pension;
        for (int y = 2016; y < ym / 100; ++y) amount = amount * 103 / 100;
        HRSS_RETURN_IF_ERROR(pay("11", ym, amount / 10 * 10));
      }
      if (r.death_month && r.death_month <= last) {
        HRSS_RETURN_IF_ERROR(pay("91", r.death_month, rng.Range(5000, 8000) * 100LL));
        HRSS_RETURN_IF_ERROR(pay("92", r.death_month, rng.Range(20000, 60000) * 100LL));
      }
    }
    if (r.emp_to && !r.retire_month && (r.insurance & 2) && rng.Chance(0.4)) {
      int n = rng.Range(3, 12);
      for (int k = 1; k <= n && YyyymmOf(MonthIndex(r.emp_to) + k) <= last; ++k) {
        HRSS_RETURN_IF_ERROR(pay("21", YyyymmOf(MonthIndex(r.emp_to) + k), rng.Range(1300, 1650) * 100LL));
      }
    }
    if ((r.insurance & 8) && r.emp_from && rng.Chance(0.01)) {
      int start = MonthIndex(std::max(first, r.emp_from)) + rng.Range(0, 12);
      int n = rng.Range(1, 24);
      for (int k = 0; k < n && YyyymmOf(start + k) <= last; ++k) {
        HRSS_RETURN_IF_ERROR(pay("41", YyyymmOf(start + k), rng.Range(2000, 5000) * 100LL));
      }
    }
    if (++members % 100000 == 0) ctx.Progress("shebao", "ac43+ac84 rows", rows);
  }

  // Units (after persons, so orphans are known) and arrears.
  for (size_t u = 0; u < pop.units.size(); ++u) {
    const Unit& unit = pop.units[u];
    Rng rng = Rng::Stream(pop.seed, Tag("shebao.unit"), u);
    L.units_seen[u] = 1;
    Val town = Val::Text(pop.townships[static_cast<size_t>(unit.township)].code);
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      town = rng.Chance(0.5) ? Val::Null() : Val::Text("511724");
    }
    std::string stamp = Stamp(CivilFromDays(DaysFromCivil(2005, 1, 1) + static_cast<int64_t>(rng.Below(7000))),
                              rng.Range(8 * 3600, 18 * 3600));
    if (stamp.substr(0, 8) > std::to_string(day1)) stamp = Stamp(day1, 9 * 3600);
    std::string name = unit.name, valid = "1";
    if (unit.late) {
      stamp = later_stamp(2, rng);
      if (unit_day1_contrib[u]) L.Count(Dirt::kOrphanUnit);
    } else if (rng.Chance(kRates.late_update)) {
      L.Count(Dirt::kLateUpdate);
      stamp = later_stamp(ctx.LaterDay(rng), rng);
    }
    row = {Val::Text(UnitKey(static_cast<int>(u))), Val::Text(unit.credit_code), Val::Text(name),
           Val::Text(std::to_string(unit.type)), Val::Text(std::string(1, unit.industry)), town,
           Val::Text(WriteName(unit.legal_rep, rng, L)), Val::Text(stamp), Val::Text(valid)};
    HRSS_RETURN_IF_ERROR(db.Insert(kAb01, row));
    if (unit.type == 10 || unit.type == 60) {
      for (int mi = MonthIndex(first); mi <= MonthIndex(last); ++mi) {
        if (!rng.Chance(0.01)) continue;
        int ym = YyyymmOf(mi);
        row = {Val::Int(++aaz288), Val::Text(UnitKey(static_cast<int>(u))), Val::Text("110"), Val::Int(ym),
               Val::Fen(static_cast<int64_t>(unit.weight) * rng.Range(800, 2400) * 100LL),
               Val::Text(month_stamp(YyyymmOf(mi + 2), rng)), Val::Text("1")};
        HRSS_RETURN_IF_ERROR(db.Insert(kAb07, row));
      }
    }
  }
  HRSS_RETURN_IF_ERROR(GenerateBusinessLog(ctx, db, L));
  HRSS_RETURN_IF_ERROR(db.Commit());
  for (const TableSpec& t : Tables()) L.AddTable(t.name, db.Count(t.name));
  ctx.Progress("shebao", "writing shebao.sql", L.rows);
  int64_t sql_rows = 0;
  HRSS_RETURN_IF_ERROR(db.DumpSql(dir + "/shebao.sql", &sql_rows));
  L.files.push_back({"shebao/shebao.db", "SQLite", L.rows});
  L.files.push_back({"shebao/shebao.sql", "SQL", sql_rows});
  return Status::Ok();
}

namespace {

// ---------------------------------------------------------------------------
// ae10 业务经办日志.

struct Item {
  const char* code;  // aaa121 (the 社保 system's own item code)
  const char* name;  // aaa122
  bool person;       // needs a person (aac001/aac002)
  bool jubao;        // a 居保 item: the person is named by ID number (aac002)
  int weight;        // relative volume
  int minutes;       // typical handling time
  int limit;         // time limit (minutes) beyond which it is overdue
  bool window_only;  // not offered online
};
constexpr Item kItems[] = {
    {"SB1001", "政策咨询", false, false, 300, 6, 30, false},
    {"SB1002", "个人权益记录查询", false, false, 180, 4, 20, false},
    {"SB1003", "参保缴费证明打印", true, false, 90, 4, 20, false},
    {"SB2001", "企业职工养老保险参保登记", true, false, 45, 15, 60, false},
    {"SB2002", "职工基本医疗保险参保登记", true, false, 40, 15, 60, false},
    {"JM2003", "城乡居民养老保险参保登记", true, true, 55, 12, 60, false},
    {"SB3001", "社会保险关系转移接续", true, false, 25, 35, 240, true},
    {"SB4001", "个人基本信息变更", true, false, 60, 8, 30, false},
    {"SB5001", "社会保障卡申领", true, false, 50, 12, 60, false},
    {"SB5002", "社会保障卡挂失补换", true, false, 45, 10, 45, false},
    {"SB6001", "退休审批", true, false, 18, 45, 300, true},
    {"SB7001", "养老保险待遇申领", true, false, 16, 30, 240, true},
    {"SB7002", "丧葬补助金抚恤金申领", true, false, 6, 30, 240, true},
    {"JM7003", "待遇领取资格认证", true, true, 60, 5, 20, false},
    {"JY8001", "就业登记", true, false, 35, 10, 45, false},
    {"JY8002", "失业登记", true, false, 25, 10, 45, false},
    {"SB8003", "失业保险金申领", true, false, 15, 20, 120, false},
};
constexpr int kItemCount = static_cast<int>(sizeof(kItems) / sizeof(kItems[0]));

struct Outlet {
  std::string code, name, township;
  std::vector<std::pair<std::string, std::string>> staff;  // aae011, aae012
};

// Month-of-year factor of an item's volume (居保 payment and certification
// season in winter, graduates in summer, retirements in spring).
double Season(const Item& item, int month) {
  std::string_view c = item.code;
  if (c == "JM7003" || c == "JM2003") return month <= 3 || month == 12 ? 2.2 : 0.7;
  if (c == "JY8001") return month == 7 || month == 8 ? 2.0 : 1.0;
  if (c == "SB6001" || c == "SB7001") return month >= 3 && month <= 5 ? 1.4 : 1.0;
  return 1.0;
}

Status GenerateBusinessLog(const SimContext& ctx, Db& db, Ledger& L) {
  const Population& pop = *ctx.pop;
  // Outlets: the county's halls, then one per township.
  std::vector<Outlet> outlets = {
      {"5117240001", "大竹县政务服务中心人社窗口", "511724001", {}},
      {"5117240002", "大竹县社会保险事业管理中心服务大厅", "511724001", {}},
      {"5117240003", "大竹县就业服务管理局", "511724002", {}},
      {"5117240004", "大竹县人才交流服务中心", "511724001", {}},
  };
  const int kCountyStaff[] = {16, 20, 12, 6};
  for (const Township& t : pop.townships) {
    bool street = t.name.find("街道") != std::string::npos;
    outlets.push_back({t.code + "01", t.name + (street ? "便民服务中心人社服务站" : "便民服务中心"),
                       t.code, {}});
  }
  int staff_no = 0;
  for (size_t o = 0; o < outlets.size(); ++o) {
    int n = o < 4 ? kCountyStaff[o] : (outlets[o].township.substr(6, 1) == "0" ? 4 : 3);
    for (int k = 0; k < n; ++k) {
      Rng rng = Rng::Stream(pop.seed, Tag("shebao.ae10.staff"), static_cast<uint64_t>(staff_no));
      char code[16];
      std::snprintf(code, sizeof code, "RS%04d", ++staff_no);
      outlets[o].staff.emplace_back(code, RandomName(rng.Next(), rng.Chance(0.45)));
    }
  }
  // Persons: 社保 members with a valid master record (by aac001), 居保
  // members (by ID number).
  std::vector<uint32_t> shebao_people, jubao_people;
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    if (i < L.persons_seen.size() && L.persons_seen[i]) shebao_people.push_back(static_cast<uint32_t>(i));
    if (pop.residents[i].systems & kInJubao) jubao_people.push_back(static_cast<uint32_t>(i));
  }
  // Three years of days up to the last drop day.
  const int last_day = ctx.DayDate(ctx.days), day1 = ctx.DayDate(1);
  const int64_t first_n = DaysOf(YyyymmOf(MonthIndex(pop.preset.last_month) - 35) * 100 + 1);
  const int64_t last_n = DaysOf(last_day);
  const int64_t target = pop.preset.name == "county" ? 2500000 : pop.preset.name == "small"
                                                                     ? 20000
                                                                     : pop.preset.residents * 10LL;
  std::vector<double> weight(static_cast<size_t>(last_n - first_n + 1));
  double total_weight = 0;
  for (int64_t n = first_n; n <= last_n; ++n) {
    int date = CivilFromDays(n);
    int month = date / 100 % 100, dom = date % 100;
    int dow = static_cast<int>((n % 7 + 11) % 7);  // 0 = Sunday (1970-01-01 was a Thursday)
    double w = dow == 0 ? 0.08 : dow == 6 ? 0.12 : dow == 1 ? 1.3 : dow == 5 ? 0.9 : 1.0;
    if (month == 1 || month == 12) w *= 1.25;
    if (month == 7) w *= 1.15;
    if ((month == 2 && dom <= 12) || (month == 10 && dom <= 7)) w *= 0.15;  // 春节、国庆
    w *= 1.0 + 0.06 * static_cast<double>(n - first_n) / 365.0;             // growth
    weight[static_cast<size_t>(n - first_n)] = w;
    total_weight += w;
  }
  int item_w[kItemCount];
  std::vector<Val> row;
  int64_t aaz002 = 0;
  auto stamp = [](int date, int minute_of_day) { return Stamp(date, minute_of_day * 60); };
  for (int64_t n = first_n; n <= last_n; ++n) {
    Rng rng = Rng::Stream(pop.seed, Tag("shebao.ae10.day"), static_cast<uint64_t>(n));
    const int date = CivilFromDays(n);
    const int month = date / 100 % 100;
    const int dow = static_cast<int>((n % 7 + 11) % 7);
    const bool weekend = dow == 0 || dow == 6;
    const double years = static_cast<double>(n - first_n) / 365.0;  // 0..3
    double expect = static_cast<double>(target) * weight[static_cast<size_t>(n - first_n)] / total_weight;
    int count = static_cast<int>(expect * (0.85 + 0.3 * rng.Unit()) + rng.Unit());
    for (int k = 0; k < kItemCount; ++k) {
      item_w[k] = static_cast<int>(kItems[k].weight * Season(kItems[k], month) * 10);
    }
    for (int r = 0; r < count; ++r) {
      int it = rng.Weighted(item_w);
      const Item& item = kItems[it];
      // Channel (aae314): 1 窗口 2 自助终端 3 网上 4 手机; online grows over the years.
      std::string channel = "1";
      double online = 0.12 + 0.10 * years, kiosk = 0.08;
      if (weekend && !item.window_only) {
        channel = rng.Chance(0.6) ? "4" : "3";
      } else if (!item.window_only) {
        double u = rng.Unit();
        channel = u < online * 0.45 ? "3" : u < online ? "4" : u < online + kiosk ? "2" : "1";
      }
      if (weekend && item.window_only) continue;  // halls are closed
      // Person.
      std::string aac001, aac002;
      int town = -1;
      if (item.jubao && !jubao_people.empty()) {
        const Resident& p = pop.residents[jubao_people[rng.Below(jubao_people.size())]];
        aac002 = std::string(p.id_view());
        town = p.township;
      } else if ((item.person || rng.Chance(0.35)) && !shebao_people.empty()) {
        uint32_t i = shebao_people[rng.Below(shebao_people.size())];
        aac001 = std::to_string(3000000000LL + static_cast<int64_t>(i));
        town = pop.residents[i].township;
      }
      if (town < 0) town = static_cast<int>(rng.Below(pop.townships.size()));
      // Outlet: online business is handled by the county's back offices,
      // counter business at the person's township or at a county hall.
      size_t o;
      std::string_view c = item.code;
      bool employment = c.substr(0, 2) == "JY";
      if (channel == "3" || channel == "4") {
        o = employment ? 2 : 1;
      } else if (item.jubao || rng.Chance(0.55)) {
        o = 4 + static_cast<size_t>(town) % (outlets.size() - 4);
      } else if (employment) {
        o = 2;
      } else if (c == "SB1001" || c == "SB1002") {
        o = rng.Below(4);
      } else {
        o = rng.Chance(0.5) ? 0 : 1;
      }
      const Outlet& outlet = outlets[o];
      const auto& staff = outlet.staff[rng.Below(outlet.staff.size())];
      // Times (minutes of the day): halls 8:30–12:00 and 14:00–17:30.
      int accept = channel == "3" || channel == "4"
                       ? rng.Range(7 * 60, 23 * 60)
                       : (rng.Chance(0.5) ? rng.Range(510, 715) : rng.Range(840, 1045));
      int minutes = std::max(1, static_cast<int>(item.minutes * (0.4 + rng.Unit() * 1.2 +
                                                                 (rng.Chance(0.05) ? 3.0 : 0.0))));
      // Status (aae115): 0 受理 1 办结 2 退回.
      std::string status = "1";
      const bool recent = n >= last_n - 2;
      if (rng.Chance(0.035)) {
        status = "2";
      } else if ((recent && rng.Chance(0.3)) || (item.limit >= 240 && rng.Chance(0.04))) {
        status = "0";
      }
      int finish = std::min(accept + minutes, 23 * 60 + 59);
      std::string accepted = stamp(date, accept);
      std::string finished = status == "0" ? "" : stamp(date, finish);
      bool overdue = status == "1" && minutes > item.limit;
      if (status == "0" && !recent) overdue = true;  // still open after days
      std::string change = status == "0" ? accepted : finished;
      if (date < day1 && change.substr(0, 8) >= std::to_string(day1)) change = stamp(day1, 9 * 60);
      std::string valid = "1";
      if (rng.Chance(kRates.deletion / 2)) {
        L.Count(Dirt::kDeletion);
        valid = "0";
      }
      // Fatal defects: an impossible accept date, an item code outside the list.
      std::string item_code = item.code;
      Fatal fatal = Fatal::kNone;
      double u = rng.Unit();
      if (u < kRates.bad_date) {
        fatal = Fatal::kBadDate;
        accepted = std::to_string(date / 10000) + "0230" + accepted.substr(8);
      } else if (u < kRates.bad_date * 2) {
        fatal = Fatal::kUnknownCode;
        item_code = rng.Chance(0.5) ? "SB9901" : "QT0001";
      }
      row = {Val::Int(++aaz002),
             Val::Text(item_code),
             Val::Text(item.name),
             aac001.empty() ? Val::Null() : Val::Text(aac001),
             aac002.empty() ? Val::Null() : Val::Text(aac002),
             Val::Text(outlet.code),
             Val::Text(outlet.name),
             Val::Text(outlet.township),
             Val::Text(staff.first),
             Val::Text(staff.second),
             Val::Text(channel),
             Val::Text(accepted),
             finished.empty() ? Val::Null() : Val::Text(finished),
             Val::Text(status),
             Val::Text(overdue ? "1" : "0"),
             Val::Text(change),
             Val::Text(valid)};
      HRSS_RETURN_IF_ERROR(db.Insert(kAe10, row));
      L.Quarantined(fatal);
      if (fatal == Fatal::kNone) {
        ++L.business_records;
        if (valid == "0") ++L.business_deleted;
        if (status == "1") ++L.business_completed;
      }
    }
  }
  ctx.Progress("shebao", "ae10 rows", aaz002);
  return Status::Ok();
}

}  // namespace

}  // namespace hrss::sim
