// Differential tests of the cube engine against SQLite: the same live rows in
// both, random queries (dims, levels, filters of every op, every measure
// kind, sort/limit, compare, thresholds, totals, scopes), results compared
// exactly (integers equal, floats within 1e-9 relative, nulls equal, same
// row and column order). The expected pivot is assembled here from plain SQL
// GROUP BY queries following the ordering rules documented in olap.cc.
#include "olap/olap.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <random>
#include <thread>

namespace hrss::olap {
namespace {
namespace json = boost::json;

constexpr uint32_t kSeed = 20251105;

// ---- test schema ------------------------------------------------------------------

struct TDim {
  std::string name;
  bool month = false;
  std::vector<std::string> levels;
  std::vector<MemberDef> members;
  std::vector<std::string> extra;  // undeclared codes that rows may carry
};

std::vector<TDim> Dims() {
  std::vector<TDim> d;
  d.push_back({"time", true, {"year", "quarter", "month"}, {}, {}});
  TDim region{"region", false, {"county", "township"}, {}, {"511799001", "511799002"}};
  region.members.push_back({"511724", "大竹县本级", {"511724"}});
  for (int i = 131; i >= 101; --i) region.members.push_back({"511724" + std::to_string(i), "乡镇" + std::to_string(i), {"511724"}});
  d.push_back(region);
  TDim item{"item", false, {"category", "item"}, {}, {"zz9"}};
  for (int i = 0; i < 40; ++i) item.members.push_back({"it" + std::to_string(100 + i), "事项" + std::to_string(i), {"c" + std::to_string(4 - i % 5)}});
  d.push_back(item);
  d.push_back({"gender", false, {"gender"}, {{"1", "男", {}}, {"2", "女", {}}, {"9", "未说明", {}}}, {}});
  d.push_back({"status", false, {"status"}, {{"b", "乙", {}}, {"a", "甲", {}}, {"d", "丁", {}}}, {"c", ""}});
  TDim staff{"staff", false, {"staff"}, {}, {}};
  for (int i = 0; i < 400; ++i) staff.members.push_back({"s" + std::to_string(1000 + (i * 7919) % 400), "人员", {}});
  for (int i = 400; i < 450; ++i) staff.extra.push_back("s" + std::to_string(1000 + i));
  d.push_back(staff);
  d.push_back({"domain", false, {"domain"}, {{"jubao", "居保", {}}, {"shebao", "社保", {}}, {"jiuye", "就业", {}}}, {}});
  return d;
}

CubeSchema Schema(const std::vector<TDim>& dims) {
  CubeSchema s;
  s.name = "t";
  s.label = "测试";
  for (auto& d : dims) {
    DimensionDef dd;
    dd.name = d.name;
    dd.label = d.name;
    dd.kind = d.month ? DimKind::kMonth : DimKind::kCode;
    for (auto& l : d.levels) dd.levels.push_back({l, l + "级"});
    dd.members = d.members;
    s.dims.push_back(dd);
  }
  s.value_columns = {"v0", "v1", "v2"};
  s.has_person = true;
  s.measures = {
      {"records", "笔数", Agg::kCount, "", "", "", "count"},
      {"persons", "人数", Agg::kDistinct, "", "", "", "person"},
      {"s0", "和0", Agg::kSum, "v0", "", "", "fen"},
      {"s1", "和1", Agg::kSum, "v1", "", "", "fen"},
      {"s2", "和2", Agg::kSum, "v2", "", "", "fen"},
      {"a0", "均0", Agg::kAvg, "v0", "", "", "fen"},
      {"mn2", "最小2", Agg::kMin, "v2", "", "", "count"},
      {"mx2", "最大2", Agg::kMax, "v2", "", "", "count"},
      {"r", "比率", Agg::kRatio, "", "s0", "persons", "ratio"},
      {"r2", "比率2", Agg::kRatio, "", "s2", "records", "ratio"},
  };
  s.region_dim = "region";
  s.domain_dim = "domain";
  return s;
}

// Level codes of a finest code (the test's own mapping).
std::vector<std::string> LevelsOf(const TDim& d, const std::string& code) {
  if (d.month) {
    if (code.empty()) return {"", "", ""};
    int m = std::stoi(code.substr(4));
    return {code.substr(0, 4), code.substr(0, 4) + "Q" + std::to_string((m - 1) / 3 + 1), code};
  }
  for (auto& m : d.members)
    if (m.code == code) {
      auto v = m.parents;
      v.push_back(code);
      return v;
    }
  std::vector<std::string> v(d.levels.size() - 1, "");
  v.push_back(code);
  return v;
}

// Member order at a level: declared first (first appearance), then by code, "" last.
struct Ranker {
  std::vector<std::vector<std::map<std::string, int>>> decl;  // dim → level → code → seq
  explicit Ranker(const std::vector<TDim>& dims) {
    for (auto& d : dims) {
      std::vector<std::map<std::string, int>> lv(d.levels.size());
      if (!d.month)
        for (auto& m : d.members) {
          auto codes = LevelsOf(d, m.code);
          for (size_t l = 0; l < codes.size(); ++l)
            if (!codes[l].empty()) lv[l].emplace(codes[l], static_cast<int>(lv[l].size()));
        }
      decl.push_back(lv);
    }
  }
  bool Less(int d, int l, const std::string& a, const std::string& b) const {
    if (a.empty() != b.empty()) return b.empty();
    auto& m = decl[d][l];
    auto ia = m.find(a), ib = m.find(b);
    int ra = ia == m.end() ? INT32_MAX : ia->second, rb = ib == m.end() ? INT32_MAX : ib->second;
    if (ra != rb) return ra < rb;
    return a < b;
  }
};

// ---- SQLite ---------------------------------------------------------------------------

struct Db {
  sqlite3* db = nullptr;
  Db() { sqlite3_open(":memory:", &db); }
  ~Db() { sqlite3_close(db); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << "\n" << sql;
  }
  // Rows of text/int64 cells (NULL → nullopt-like empty string marker is not needed here).
  std::vector<std::vector<std::string>> Text(const std::string& sql, std::vector<std::vector<int64_t>>* ints, int ntext) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> out;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
    if (!st) return out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      int n = sqlite3_column_count(st);
      std::vector<std::string> t;
      std::vector<int64_t> v;
      for (int i = 0; i < n; ++i) {
        if (i < ntext) {
          const char* txt = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
          t.push_back(txt ? txt : "");
        }
        else v.push_back(sqlite3_column_int64(st, i));
      }
      out.push_back(t);
      ints->push_back(v);
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(st);
    return out;
  }
};

std::string Q(const std::string& s) { return "'" + s + "'"; }

// ---- fixture ----------------------------------------------------------------------------

struct Row {
  std::vector<std::string> d;
  int64_t v[3];
  int64_t p;
};

class Differential : public ::testing::Test {
 public:
  std::vector<TDim> dims = Dims();
  Ranker ranker{dims};
  std::mt19937_64 rng{kSeed};
  std::map<int64_t, Row> live;
  std::vector<std::set<std::string>> seen_codes;  // per dim, finest codes ever applied or declared
  Db db;
  std::unique_ptr<Engine> engine;

  int64_t Rand(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); }
  template <class V>
  const auto& Pick(const V& v) { return v[Rand(0, static_cast<int64_t>(v.size()) - 1)]; }

  std::string RandomCode(int di) {
    const TDim& d = dims[di];
    if (d.month) {
      if (Rand(0, 99) == 0) return "";
      int64_t m = Rand(1, 12);
      return std::to_string(Rand(2018, 2027)) + (m < 10 ? "0" : "") + std::to_string(m);
    }
    if (!d.extra.empty() && Rand(0, 19) == 0) return Pick(d.extra);
    return Pick(d.members).code;
  }
  Row RandomRow() {
    Row r;
    for (size_t i = 0; i < dims.size(); ++i) r.d.push_back(RandomCode(static_cast<int>(i)));
    r.v[0] = Rand(0, 1000);
    r.v[1] = Rand(-10'000'000'000LL, 10'000'000'000LL);
    r.v[2] = Rand(-50, 50);
    r.p = Rand(0, 2999) * 7 + 1'000'000;
    return r;
  }

  void SetUp() override {
    engine = std::make_unique<Engine>(EngineOptions{.threads = 2});
    ASSERT_TRUE(engine->DefineCube(Schema(dims)).ok());
    seen_codes.resize(dims.size());
    for (size_t i = 0; i < dims.size(); ++i)
      for (auto& m : dims[i].members) seen_codes[i].insert(m.code);
    std::string cols;
    for (size_t i = 0; i < dims.size(); ++i) cols += ", d" + std::to_string(i) + " TEXT";
    db.Exec("CREATE TABLE f(k INTEGER PRIMARY KEY" + cols + ", v0 INTEGER, v1 INTEGER, v2 INTEGER, p INTEGER)");
    // mapping tables code → level codes (month: every month of 2016..2029 for shifted joins)
    for (size_t i = 0; i < dims.size(); ++i) {
      std::string t = "m" + std::to_string(i);
      db.Exec("CREATE TABLE " + t + "(code TEXT PRIMARY KEY, l0 TEXT, l1 TEXT, l2 TEXT)");
      std::vector<std::string> codes;
      if (dims[i].month) {
        codes.push_back("");
        for (int y = 2016; y <= 2029; ++y)
          for (int m = 1; m <= 12; ++m) codes.push_back(std::to_string(y) + (m < 10 ? "0" : "") + std::to_string(m));
      } else {
        for (auto& m : dims[i].members) codes.push_back(m.code);
        for (auto& c : dims[i].extra) codes.push_back(c);
      }
      for (auto& c : codes) {
        auto lv = LevelsOf(dims[i], c);
        while (lv.size() < 3) lv.push_back("");
        db.Exec("INSERT INTO " + t + " VALUES(" + Q(c) + "," + Q(lv[0]) + "," + Q(lv[1]) + "," + Q(lv[2]) + ")");
      }
    }
  }

  // Applies a batch to the engine and to SQLite.
  void ApplyBatch(const std::vector<std::pair<int64_t, Row>>& ups, const std::vector<int64_t>& dels) {
    FactBatch b;
    b.dims.resize(dims.size());
    b.values.resize(3);
    for (auto& [k, r] : ups) {
      b.keys.push_back(k);
      for (size_t i = 0; i < dims.size(); ++i) b.dims[i].push_back(r.d[i]), seen_codes[i].insert(r.d[i]);
      for (int c = 0; c < 3; ++c) b.values[c].push_back(r.v[c]);
      b.person.push_back(r.p);
    }
    b.deletes = dels;
    ASSERT_TRUE(engine->Apply("t", b).ok());
    db.Exec("BEGIN");
    for (auto& [k, r] : ups) {
      live[k] = r;
      std::string sql = "INSERT OR REPLACE INTO f VALUES(" + std::to_string(k);
      for (auto& c : r.d) sql += "," + Q(c);
      sql += "," + std::to_string(r.v[0]) + "," + std::to_string(r.v[1]) + "," + std::to_string(r.v[2]) + "," + std::to_string(r.p) + ")";
      db.Exec(sql);
    }
    for (auto k : dels) {
      live.erase(k);
      db.Exec("DELETE FROM f WHERE k=" + std::to_string(k));
    }
    db.Exec("COMMIT");
  }

  void Load(int batches, int per_batch) {
    int64_t next = 1;
    for (int b = 0; b < batches; ++b) {
      std::vector<std::pair<int64_t, Row>> ups;
      std::vector<int64_t> dels;
      for (int i = 0; i < per_batch; ++i) ups.push_back({next++, RandomRow()});
      if (!live.empty()) {
        std::vector<int64_t> keys;
        for (auto& [k, r] : live) keys.push_back(k);
        for (int i = 0; i < per_batch / 8; ++i) ups.push_back({Pick(keys), RandomRow()});       // upserts
        for (int i = 0; i < per_batch / 16; ++i) dels.push_back(Pick(keys));                   // deletes
        ups.push_back({Pick(keys), RandomRow()});  // same key twice in a batch: last wins
        ups.push_back({ups.back().first, RandomRow()});
        int64_t both = Pick(keys);  // upserted and deleted: deleted
        ups.push_back({both, RandomRow()});
        dels.push_back(both);
        dels.push_back(987654321);  // unknown key: nothing
      }
      // a batch's upserts apply before its deletes; mirror that order
      std::vector<std::pair<int64_t, Row>> dedup;
      ApplyBatch(ups, dels);
    }
  }
};

// ---- random queries and expected results ------------------------------------------------

struct QAxis {
  int dim, level;
};
struct QFilter {
  int dim, level;
  std::string op;
  std::vector<std::string> values;
};
struct QSpec {
  std::vector<QAxis> rows, cols;
  std::vector<std::string> measures;
  std::vector<QFilter> filters;
  int sort = 0;  // 0 none, 1 key, 2 measure
  bool desc = false;
  std::string sort_measure;
  int limit = 0;
  std::string compare;
  struct Th {
    std::string measure, op;
    double value;
  };
  std::vector<Th> thresholds;
  bool totals = false;
};

const std::vector<std::string> kMeasures = {"records", "persons", "s0", "s1", "s2", "a0", "mn2", "mx2", "r", "r2"};

struct AggV {
  int64_t cnt = 0, s0 = 0, s1 = 0, s2 = 0, mn2 = 0, mx2 = 0, dp = 0;
};

json::value Measure(const std::string& m, const AggV* a) {
  if (m == "r" || m == "r2") {
    json::value n = Measure(m == "r" ? "s0" : "s2", a), d = Measure(m == "r" ? "persons" : "records", a);
    if (n.is_null() || d.is_null() || d.as_int64() == 0) return nullptr;
    return static_cast<double>(n.as_int64()) / static_cast<double>(d.as_int64());
  }
  if (!a || a->cnt == 0) return nullptr;
  if (m == "records") return a->cnt;
  if (m == "persons") return a->dp;
  if (m == "s0") return a->s0;
  if (m == "s1") return a->s1;
  if (m == "s2") return a->s2;
  if (m == "mn2") return a->mn2;
  if (m == "mx2") return a->mx2;
  return static_cast<double>(a->s0) / static_cast<double>(a->cnt);  // a0
}
double Num(const json::value& v) { return v.is_int64() ? static_cast<double>(v.as_int64()) : v.as_double(); }

class Oracle {
 public:
  Oracle(Differential& fx, const std::vector<TDim>& dims, const Ranker& rk) : fx_(fx), dims_(dims), rk_(rk) {}

  // The joined rows with every level code and the shifted months' level
  // codes, materialized once per data state (SQLite then scans one table).
  void Materialize() {
    fx_.db.Exec("DROP TABLE IF EXISTS w");
    std::string sel = "SELECT f.v0, f.v1, f.v2, f.p, f.d1 AS region, f.d6 AS dom";
    std::string from = " FROM f";
    for (size_t i = 0; i < dims_.size(); ++i) {
      std::string m = "m" + std::to_string(i);
      from += " JOIN " + m + " " + m + " ON " + m + ".code = f.d" + std::to_string(i);
      for (size_t l = 0; l < dims_[i].levels.size(); ++l) sel += ", " + m + ".l" + std::to_string(l) + " AS c" + std::to_string(i) + "_" + std::to_string(l);
    }
    for (int sh : {12, 3, 1}) {
      std::string idx = "(CAST(substr(f.d0,1,4) AS INTEGER)*12 + CAST(substr(f.d0,5,2) AS INTEGER) - 1 + " + std::to_string(sh) + ")";
      std::string a = "s" + std::to_string(sh);
      from += " LEFT JOIN m0 " + a + " ON f.d0 <> '' AND " + a + ".code = printf('%04d%02d', " + idx + "/12, " + idx + "%12 + 1)";
      for (int l = 0; l < 3; ++l) sel += ", " + a + ".l" + std::to_string(l) + " AS " + a + "_" + std::to_string(l);
    }
    fx_.db.Exec("CREATE TABLE w AS " + sel + from);
  }

  std::string LevelCol(int d, int l) const { return "c" + std::to_string(d) + "_" + std::to_string(l); }

  std::string FilterSql(const QFilter& f, const std::string& col) const {
    std::string list;
    for (auto& v : f.values) list += (list.empty() ? "" : ",") + Q(v);
    if (f.op == "in") return col + " IN (" + list + ")";
    if (f.op == "not_in") return col + " NOT IN (" + list + ")";
    if (f.op == "eq") return col + " = " + Q(f.values[0]);
    return "(" + col + " >= " + Q(f.values[0]) + " AND " + col + " <= " + Q(f.values[1]) + ")";
  }
  std::string ScopeSql(const Scope& s) const {
    if (s.all) return "1";
    std::string out = "0";
    for (auto& [dom, set] : s.domains) {
      std::string c = "(dom = " + Q(dom);
      if (set) {
        std::string list;
        for (auto& x : *set) list += (list.empty() ? "" : ",") + Q(x);
        c += " AND (region IN (" + list + ") OR (length(region) = 9 AND substr(region, 1, 6) IN (" + list + ")))";
      }
      out += " OR " + c + ")";
    }
    return "(" + out + ")";
  }

  // Group-by query; `shift` reads the time dim's filters and key from the
  // month shifted forward by that many months (the previous period of a cell).
  std::map<std::vector<std::string>, AggV> Group(const QSpec& q, const std::vector<QAxis>& by, const Scope& scope,
                                                 int shift, bool scope_negated = false) {
    std::string from = "FROM w";
    std::string where = "1";
    std::string sa = "s" + std::to_string(shift) + "_";
    if (shift) where += " AND " + sa + "0 IS NOT NULL";
    for (auto& f : q.filters) {
      bool t = shift && f.dim == 0;
      where += " AND " + FilterSql(f, t ? sa + std::to_string(f.level) : LevelCol(f.dim, f.level));
    }
    where += scope_negated ? " AND NOT " + ScopeSql(scope) : " AND " + ScopeSql(scope);
    std::string keys;
    for (auto& a : by) keys += (shift && a.dim == 0 ? sa + std::to_string(a.level) : LevelCol(a.dim, a.level)) + ", ";
    std::string sql = "SELECT " + keys + "COUNT(*), SUM(v0), SUM(v1), SUM(v2), MIN(v2), MAX(v2), COUNT(DISTINCT p) " + from + " WHERE " + where;
    if (!by.empty()) {
      sql += " GROUP BY ";
      for (size_t i = 0; i < by.size(); ++i) sql += (i ? "," : "") + std::to_string(i + 1);
    }
    std::vector<std::vector<int64_t>> ints;
    auto text = fx_.db.Text(sql, &ints, static_cast<int>(by.size()));
    std::map<std::vector<std::string>, AggV> out;
    for (size_t i = 0; i < text.size(); ++i) {
      auto& v = ints[i];
      if (v[0] == 0) continue;
      out[text[i]] = AggV{v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
    }
    return out;
  }

  json::object Expected(const QSpec& q, const Scope& scope) {
    std::vector<QAxis> all = q.rows;
    all.insert(all.end(), q.cols.begin(), q.cols.end());
    auto cells = Group(q, all, scope, 0);
    auto rowt = Group(q, q.rows, scope, 0);
    auto colt = Group(q, q.cols, scope, 0);
    auto grand = Group(q, {}, scope, 0);
    int shift = q.compare == "yoy" ? 12 : q.compare == "qoq" ? 3 : q.compare == "mom" ? 1 : 0;
    std::map<std::vector<std::string>, AggV> prev;
    if (shift) prev = Group(q, all, scope, shift);
    bool scoped = !Group(q, {}, scope, 0, true).empty();

    auto less = [&](const std::vector<QAxis>& axis, const std::vector<std::string>& a, const std::vector<std::string>& b) {
      for (size_t i = 0; i < axis.size(); ++i) {
        if (a[i] == b[i]) continue;
        return rk_.Less(axis[i].dim, axis[i].level, a[i], b[i]);
      }
      return false;
    };
    std::vector<std::vector<std::string>> rkeys, ckeys;
    for (auto& [k, v] : rowt) rkeys.push_back(k);
    for (auto& [k, v] : colt) ckeys.push_back(k);
    std::sort(rkeys.begin(), rkeys.end(), [&](auto& a, auto& b) { return less(q.rows, a, b); });
    std::sort(ckeys.begin(), ckeys.end(), [&](auto& a, auto& b) { return less(q.cols, a, b); });
    if (q.sort == 1 && q.desc) std::reverse(rkeys.begin(), rkeys.end());
    if (q.sort == 2) {
      std::stable_sort(rkeys.begin(), rkeys.end(), [&](auto& a, auto& b) {
        json::value x = Measure(q.sort_measure, &rowt[a]), y = Measure(q.sort_measure, &rowt[b]);
        if (x.is_null() != y.is_null()) return y.is_null();
        if (x.is_null()) return false;
        bool ints = x.is_int64() && y.is_int64();
        if (ints) return q.desc ? x.as_int64() > y.as_int64() : x.as_int64() < y.as_int64();
        return q.desc ? Num(x) > Num(y) : Num(x) < Num(y);
      });
    }
    if (q.limit && static_cast<int>(rkeys.size()) > q.limit) rkeys.resize(q.limit);
    if (q.rows.empty()) rkeys = {{}};
    if (q.cols.empty()) ckeys = {{}};
    json::object res;
    res["_groups"] = static_cast<int64_t>(rowt.size() * std::max<size_t>(colt.size(), 1));
    if (rowt.size() * colt.size() > 4'000'000) return res;  // the engine refuses these
    res["scoped"] = scoped;
    auto keys_json = [](const std::vector<std::vector<std::string>>& ks) {
      json::array a;
      for (auto& k : ks) {
        json::array codes;
        for (auto& c : k) codes.push_back(json::string(c));
        a.push_back(codes);
      }
      return a;
    };
    res["rows"] = keys_json(rkeys);
    res["columns"] = keys_json(ckeys);
    auto find = [](auto& m, const std::vector<std::string>& k) -> const AggV* {
      auto it = m.find(k);
      return it == m.end() ? nullptr : &it->second;
    };
    json::array jc, jp, jch, warn;
    for (size_t ri = 0; ri < rkeys.size(); ++ri) {
      json::array cr, pr, chr;
      for (size_t ci = 0; ci < ckeys.size(); ++ci) {
        auto k = rkeys[ri];
        k.insert(k.end(), ckeys[ci].begin(), ckeys[ci].end());
        const AggV* a = find(cells, k);
        json::array cv, pv, chv;
        for (auto& m : q.measures) cv.push_back(Measure(m, a));
        if (shift) {
          const AggV* b = find(prev, k);
          for (size_t mi = 0; mi < q.measures.size(); ++mi) {
            json::value pvv = Measure(q.measures[mi], b);
            pv.push_back(pvv);
            if (pvv.is_null() || cv[mi].is_null() || Num(pvv) == 0) chv.push_back(nullptr);
            else chv.push_back((Num(cv[mi]) - Num(pvv)) / Num(pvv));
          }
        }
        for (auto& th : q.thresholds) {
          size_t mi = std::find(q.measures.begin(), q.measures.end(), th.measure) - q.measures.begin();
          json::value v = th.op.starts_with("change") ? chv[mi] : cv[mi];
          if (v.is_null()) continue;
          bool hit = th.op.ends_with("lt") ? Num(v) < th.value : Num(v) > th.value;
          if (hit) warn.push_back(json::object{{"row", ri}, {"col", ci}, {"measure", th.measure}, {"value", v}});
        }
        cr.push_back(cv);
        if (shift) pr.push_back(pv), chr.push_back(chv);
      }
      jc.push_back(cr);
      if (shift) jp.push_back(pr), jch.push_back(chr);
    }
    res["cells"] = jc;
    if (shift) res["prev"] = jp, res["change"] = jch;
    if (q.totals) {
      auto vals = [&](const AggV* a) {
        json::array o;
        for (auto& m : q.measures) o.push_back(Measure(m, a));
        return o;
      };
      json::array rt, ct;
      for (auto& k : rkeys) rt.push_back(vals(find(rowt, k)));
      for (auto& k : ckeys) ct.push_back(vals(find(colt, k)));
      res["rowTotals"] = rt;
      res["colTotals"] = ct;
      res["grandTotal"] = vals(find(grand, {}));
    }
    res["warnings"] = warn;
    return res;
  }

 private:
  Differential& fx_;
  const std::vector<TDim>& dims_;
  const Ranker& rk_;
};

// Projects an engine response onto the fields the oracle computes.
json::object Project(const json::object& r) {
  json::object o;
  o["scoped"] = r.at("scoped");
  for (auto* axis : {"rows", "columns"}) {
    json::array a;
    for (auto& k : r.at(axis).as_array()) {
      json::array codes;
      for (auto& x : k.at("keys").as_array()) codes.push_back(x.at("code"));
      a.push_back(codes);
    }
    o[axis] = a;
  }
  for (auto* f : {"cells", "prev", "change", "rowTotals", "colTotals", "grandTotal"})
    if (r.contains(f)) o[f] = r.at(f);
  json::array w;
  for (auto& x : r.at("warnings").as_array())
    w.push_back(json::object{{"row", x.at("row")}, {"col", x.at("col")}, {"measure", x.at("measure")}, {"value", x.at("value")}});
  o["warnings"] = w;
  return o;
}

bool Same(const json::value& a, const json::value& b, std::string path, std::string* why) {
  auto fail = [&] {
    *why = path + ": engine " + json::serialize(a) + " vs sqlite " + json::serialize(b);
    return false;
  };
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) {
      double x = a.to_number<double>(), y = b.to_number<double>();
      if (std::fabs(x - y) > 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)})) return fail();
      return true;
    }
    if (a.to_number<int64_t>() != b.to_number<int64_t>()) return fail();
    return true;
  }
  if (a.kind() != b.kind()) return fail();
  if (a.is_array()) {
    if (a.as_array().size() != b.as_array().size()) return fail();
    for (size_t i = 0; i < a.as_array().size(); ++i)
      if (!Same(a.as_array()[i], b.as_array()[i], path + "[" + std::to_string(i) + "]", why)) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.as_object().size() != b.as_object().size()) return fail();
    for (auto& kv : a.as_object()) {
      if (!b.as_object().contains(kv.key())) return fail();
      if (!Same(kv.value(), b.as_object().at(kv.key()), path + "." + std::string(kv.key()), why)) return false;
    }
    return true;
  }
  if (a != b) return fail();
  return true;
}

// Level codes present at a level (for filter values).
std::vector<std::string> LevelCodes(const std::vector<TDim>& dims, const std::vector<std::set<std::string>>& seen, int d, int l) {
  std::set<std::string> s;
  for (auto& c : seen[d]) {
    auto lv = LevelsOf(dims[d], c);
    if (!lv[l].empty()) s.insert(lv[l]);
  }
  return {s.begin(), s.end()};
}

QSpec RandomQuery(Differential& fx, std::mt19937_64& rng, const std::vector<std::set<std::string>>& seen) {
  auto R = [&](int lo, int hi) { return static_cast<int>(std::uniform_int_distribution<int>(lo, hi)(rng)); };
  const auto& dims = fx.dims;
  QSpec q;
  std::vector<int> order(dims.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), rng);
  int nr = R(0, 9) == 0 ? 4 : R(0, 3), nc = R(0, 2);
  size_t at = 0;
  for (int i = 0; i < nr; ++i, ++at) q.rows.push_back({order[at], R(0, static_cast<int>(dims[order[at]].levels.size()) - 1)});
  for (int i = 0; i < nc; ++i, ++at) q.cols.push_back({order[at], R(0, static_cast<int>(dims[order[at]].levels.size()) - 1)});
  std::vector<std::string> ms = kMeasures;
  std::shuffle(ms.begin(), ms.end(), rng);
  ms.resize(R(1, 4));
  q.measures = ms;
  int nf = R(0, 3);
  for (int i = 0; i < nf; ++i) {
    QFilter f;
    f.dim = R(0, static_cast<int>(dims.size()) - 1);
    f.level = R(0, static_cast<int>(dims[f.dim].levels.size()) - 1);
    auto codes = LevelCodes(dims, seen, f.dim, f.level);
    static const char* ops[] = {"in", "not_in", "between", "eq"};
    f.op = ops[R(0, 3)];
    if (f.op == "eq") f.values = {codes[R(0, static_cast<int>(codes.size()) - 1)]};
    else if (f.op == "between") {
      std::string a = codes[R(0, static_cast<int>(codes.size()) - 1)], b = codes[R(0, static_cast<int>(codes.size()) - 1)];
      if (a > b && R(0, 4)) std::swap(a, b);
      f.values = {a, b};
    } else {
      int n = R(1, std::min<int>(5, static_cast<int>(codes.size())));
      for (int k = 0; k < n; ++k) f.values.push_back(codes[R(0, static_cast<int>(codes.size()) - 1)]);
    }
    q.filters.push_back(f);
  }
  q.sort = R(0, 2);
  q.desc = R(0, 1);
  if (q.sort == 2) q.sort_measure = q.measures[R(0, static_cast<int>(q.measures.size()) - 1)];
  if (R(0, 2) == 0) q.limit = R(1, 10);
  for (auto* axis : {&q.rows, &q.cols})
    for (auto& a : *axis)
      if (a.dim == 0 && R(0, 1)) {
        std::vector<std::string> ok = {"yoy"};
        if (a.level >= 1) ok.push_back("qoq");
        if (a.level >= 2) ok.push_back("mom");
        q.compare = ok[R(0, static_cast<int>(ok.size()) - 1)];
      }
  if (R(0, 2) == 0) {
    int n = R(1, 2);
    for (int i = 0; i < n; ++i) {
      QSpec::Th th;
      th.measure = q.measures[R(0, static_cast<int>(q.measures.size()) - 1)];
      std::vector<std::string> ops = {"lt", "gt"};
      if (!q.compare.empty()) ops.push_back("change_lt"), ops.push_back("change_gt");
      th.op = ops[R(0, static_cast<int>(ops.size()) - 1)];
      th.value = th.op.starts_with("change") ? (R(-50, 50) / 100.0) : R(0, 300);
      q.thresholds.push_back(th);
    }
  }
  q.totals = R(0, 1);
  return q;
}

json::value ToJson(const QSpec& q, const std::vector<TDim>& dims) {
  json::object o;
  o["cube"] = "t";
  auto axis = [&](const std::vector<QAxis>& a) {
    json::array arr;
    for (auto& x : a) arr.push_back(json::object{{"dim", dims[x.dim].name}, {"level", dims[x.dim].levels[x.level]}});
    return arr;
  };
  o["rows"] = axis(q.rows);
  o["columns"] = axis(q.cols);
  json::array ms;
  for (auto& m : q.measures) ms.push_back(json::string(m));
  o["measures"] = ms;
  json::array fs;
  for (auto& f : q.filters) {
    json::array v;
    for (auto& x : f.values) v.push_back(json::string(x));
    fs.push_back(json::object{{"dim", dims[f.dim].name}, {"level", dims[f.dim].levels[f.level]}, {"op", f.op}, {"values", v}});
  }
  o["filters"] = fs;
  if (q.sort == 1) o["sort"] = json::object{{"by", "key"}, {"dir", q.desc ? "desc" : "asc"}};
  if (q.sort == 2) o["sort"] = json::object{{"by", "measure"}, {"measure", q.sort_measure}, {"dir", q.desc ? "desc" : "asc"}};
  if (q.limit) o["limit"] = q.limit;
  if (!q.compare.empty()) o["compare"] = json::object{{"type", q.compare}};
  json::array th;
  for (auto& t : q.thresholds) th.push_back(json::object{{"measure", t.measure}, {"op", t.op}, {"value", t.value}, {"level", "warn"}});
  if (!th.empty()) o["thresholds"] = th;
  o["totals"] = q.totals;
  return o;
}

Scope RandomScope(std::mt19937_64& rng) {
  auto R = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  if (R(0, 2) == 0) return Scope::All();
  Scope s;
  for (const char* dom : {"jubao", "shebao", "jiuye"}) {
    int k = R(0, 3);
    if (k == 0) continue;
    if (k == 1) {
      s.domains[dom] = std::nullopt;
      continue;
    }
    std::set<std::string> codes;
    int n = R(1, 4);
    for (int i = 0; i < n; ++i) {
      int pick = R(0, 9);
      codes.insert(pick == 0 ? "511724" : pick == 1 ? "511799" : "511724" + std::to_string(R(101, 131)));
    }
    s.domains[dom] = codes;
  }
  return s;
}

TEST_F(Differential, RandomQueriesMatchSqlite) {
  Load(5, 7000);
  auto stats = engine->Stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].rows, static_cast<int64_t>(live.size()));
  Oracle oracle(*this, dims, ranker);
  oracle.Materialize();
  std::mt19937_64 qrng(kSeed + 1);
  int n = 600, limited = 0;
  for (int i = 0; i < n; ++i) {
    QSpec q = RandomQuery(*this, qrng, seen_codes);
    Scope scope = RandomScope(qrng);
    json::value qj = ToJson(q, dims);
    auto t0 = std::chrono::steady_clock::now();
    auto res = engine->Query(qj, scope);
    auto t1 = std::chrono::steady_clock::now();
    if (getenv("OLAP_TEST_TIMES")) {
      oracle.Expected(q, scope);
      auto t2 = std::chrono::steady_clock::now();
      std::printf("q%d engine %lld us oracle %lld us %s\n", i, (long long)std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count(),
                  (long long)std::chrono::duration_cast<std::chrono::microseconds>(t2 - t1).count(), json::serialize(qj).c_str());
    }
    if (!res.ok() && res.status().message().find("100000") != std::string::npos) {
      // the cell limit: the oracle's pivot must be above it too
      json::object want = oracle.Expected(q, scope);
      size_t cells = want.at("rows").as_array().size() * want.at("columns").as_array().size();
      EXPECT_GT(cells, 100000u) << "seed " << kSeed << " query " << i;
      ++limited;
      continue;
    }
    if (!res.ok() && res.status().message().find("分组过多") != std::string::npos) {
      // more than 2^22 row groups × column groups (before top-N)
      json::object want = oracle.Expected(q, scope);
      EXPECT_GT(want.at("_groups").as_int64(), q.compare.empty() ? (1 << 22) : (1 << 20)) << "seed " << kSeed << " query " << i;
      ++limited;
      continue;
    }
    ASSERT_TRUE(res.ok()) << "seed " << kSeed << " query " << i << ": " << res.status().ToString() << "\n" << json::serialize(qj);
    json::object want = oracle.Expected(q, scope);
    want.erase("_groups");
    std::string why;
    ASSERT_TRUE(Same(Project(*res), want, "$", &why))
        << "seed " << kSeed << " query " << i << " scope " << scope.CacheKey() << "\n" << json::serialize(qj) << "\n" << why << "\nengine rows " << json::serialize(Project(*res).at("rows")) << "\nsqlite rows " << json::serialize(want.at("rows"))
        << "\nengine rowTotals " << (res->contains("rowTotals") ? json::serialize(res->at("rowTotals")) : "") << "\nsqlite rowTotals " << (want.contains("rowTotals") ? json::serialize(want.at("rowTotals")) : "");
    // a second run is served from the cache with the same body
    if (i % 50 == 0) {
      auto again = engine->Query(qj, scope);
      ASSERT_TRUE(again.ok());
      EXPECT_TRUE(again->at("cached").as_bool());
      want.erase("_groups");
      EXPECT_TRUE(Same(Project(*again), want, "$", &why)) << why;
    }
  }
}

// ---- unit checks ---------------------------------------------------------------------------

class EngineTest : public Differential {};

TEST_F(EngineTest, LabelsVersionsCacheAndScope) {
  std::vector<std::pair<int64_t, Row>> ups;
  Row r = RandomRow();
  r.d = {"202503", "511724101", "it100", "1", "zz", "s1000", "jubao"};
  ups.push_back({1, r});
  r.d = {"202403", "511724102", "it101", "2", "a", "s1001", "shebao"};
  ups.push_back({2, r});
  ApplyBatch(ups, {});
  json::value q = json::parse(R"({"cube":"t","rows":[{"dim":"time","level":"quarter"}],"columns":[{"dim":"region","level":"township"}],
    "measures":["records"],"compare":{"type":"yoy"}})");
  auto res = engine->Query(q, Scope::All());
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->at("rows").as_array()[0].at("keys").as_array()[0].at("label"), "2024年第1季度");
  // declared order: 511724131 … 511724101
  EXPECT_EQ(res->at("columns").as_array()[0].at("keys").as_array()[0].at("label"), "乡镇102");
  EXPECT_FALSE(res->at("cached").as_bool());
  // prev of 2025Q1 in column 竹阳(101) is empty, in 102 the 2024Q1 row
  EXPECT_EQ(json::serialize(res->at("prev")), "[[[null],[null]],[[1],[null]]]");
  int64_t v = res->at("version").as_int64();
  EXPECT_TRUE(engine->Query(q, Scope::All())->at("cached").as_bool());
  ups = {{3, r}};
  ApplyBatch(ups, {});
  auto res2 = engine->Query(q, Scope::All());
  EXPECT_FALSE(res2->at("cached").as_bool());
  EXPECT_EQ(res2->at("version").as_int64(), v + 1);
  // a clerk of 511724101 for jubao only sees one row and is told so
  Scope clerk;
  clerk.domains["jubao"] = std::set<std::string>{"511724101"};
  json::value g = json::parse(R"({"cube":"t","measures":["records"]})");
  auto cr = engine->Query(g, clerk);
  ASSERT_TRUE(cr.ok());
  EXPECT_EQ(json::serialize(cr->at("cells")), "[[[1]]]");
  EXPECT_TRUE(cr->at("scoped").as_bool());
  EXPECT_FALSE(engine->Query(g, Scope::All())->at("scoped").as_bool());
  // unknown finest code: label = code, parent 未知
  json::value st = json::parse(R"({"cube":"t","rows":[{"dim":"item","level":"category"}],"measures":["records"],"filters":[{"dim":"status","level":"status","op":"eq","values":["zz"]}]})");
  auto sr = engine->Query(st, Scope::All());
  ASSERT_TRUE(sr.ok()) << sr.status().ToString();
  EXPECT_EQ(sr->at("rows").as_array().size(), 1u);
  auto desc = engine->Describe();
  EXPECT_EQ(desc.at("cubes").as_array()[0].at("name"), "t");
}

TEST_F(EngineTest, InvalidArgumentsHaveChineseMessages) {
  Load(1, 500);
  const char* bad[] = {
      R"([])",
      R"({"rows":[],"measures":["records"]})",
      R"({"cube":"nope","measures":["records"]})",
      R"({"cube":"t","measures":[]})",
      R"({"cube":"t","measures":["nope"]})",
      R"({"cube":"t","measures":["records","records"]})",
      R"({"cube":"t","measures":["records","persons","s0","s1","s2","a0","mn2","mx2","r"]})",
      R"({"cube":"t","rows":[{"dim":"nope"}],"measures":["records"]})",
      R"({"cube":"t","rows":[{"dim":"time","level":"day"}],"measures":["records"]})",
      R"({"cube":"t","rows":[{"dim":"time"}],"columns":[{"dim":"time"}],"measures":["records"]})",
      R"({"cube":"t","rows":[{"dim":"time"},{"dim":"region"},{"dim":"item"},{"dim":"gender"},{"dim":"status"}],"measures":["records"]})",
      R"({"cube":"t","columns":[{"dim":"time"},{"dim":"region"},{"dim":"item"}],"measures":["records"]})",
      R"({"cube":"t","rows":"time","measures":["records"]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"like","values":["1"]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"in","values":["7"]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"between","values":["1"]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"eq","values":["1","2"]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"in","values":[]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"gender","level":"gender","op":"in","values":[1]}]})",
      R"({"cube":"t","measures":["records"],"filters":[{"dim":"time","level":"month","op":"in","values":["202513"]}]})",
      R"({"cube":"t","measures":["records"],"filters":{"dim":"gender"}})",
      R"({"cube":"t","measures":["records"],"sort":{"by":"value"}})",
      R"({"cube":"t","measures":["records"],"sort":{"by":"measure","measure":"persons"}})",
      R"({"cube":"t","measures":["records"],"sort":{"by":"key","dir":"up"}})",
      R"({"cube":"t","measures":["records"],"limit":0})",
      R"({"cube":"t","measures":["records"],"limit":10001})",
      R"({"cube":"t","measures":["records"],"limit":"5"})",
      R"({"cube":"t","measures":["records"],"compare":{"type":"yoy"}})",
      R"({"cube":"t","rows":[{"dim":"time","level":"year"}],"measures":["records"],"compare":{"type":"mom"}})",
      R"({"cube":"t","rows":[{"dim":"time","level":"year"}],"measures":["records"],"compare":{"type":"qoq"}})",
      R"({"cube":"t","rows":[{"dim":"time","level":"month"}],"measures":["records"],"compare":{"type":"wow"}})",
      R"({"cube":"t","measures":["records"],"thresholds":[{"measure":"records","op":"change_lt","value":-0.1}]})",
      R"({"cube":"t","measures":["records"],"thresholds":[{"measure":"persons","op":"lt","value":1}]})",
      R"({"cube":"t","measures":["records"],"thresholds":[{"measure":"records","op":"le","value":1}]})",
      R"({"cube":"t","measures":["records"],"thresholds":[{"measure":"records","op":"lt","value":"1"}]})",
      R"({"cube":"t","measures":["records"],"thresholds":[{"measure":"records","op":"lt","value":1,"level":"fatal"}]})",
      R"({"cube":"t","measures":["records"],"totals":"yes"})",
      R"({"cube":"t","measures":["records"],"chart":"bar"})",
  };
  auto has_cjk = [](const std::string& s) {
    for (unsigned char c : s)
      if (c >= 0xE4 && c <= 0xE9) return true;
    return false;
  };
  for (const char* b : bad) {
    auto r = engine->Query(json::parse(b), Scope::All());
    ASSERT_FALSE(r.ok()) << b;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << b;
    EXPECT_TRUE(has_cjk(r.status().message())) << b << " → " << r.status().message();
  }
  // schema errors
  CubeSchema s = Schema(dims);
  s.region_dim = "";
  EXPECT_EQ(engine->DefineCube(s).code(), Code::kInvalidArgument);
  s = Schema(dims);
  s.measures.push_back({"loop", "", Agg::kRatio, "", "loop", "records", ""});
  EXPECT_EQ(engine->DefineCube(s).code(), Code::kInvalidArgument);
  s = Schema(dims);
  s.measures[2].column = "nope";
  EXPECT_EQ(engine->DefineCube(s).code(), Code::kInvalidArgument);
  s = Schema(dims);
  s.dims.push_back(s.dims[0]);
  EXPECT_EQ(engine->DefineCube(s).code(), Code::kInvalidArgument);
  FactBatch b;
  b.keys = {1};
  EXPECT_EQ(engine->Apply("t", b).code(), Code::kInvalidArgument);
  EXPECT_EQ(engine->Apply("nope", b).code(), Code::kInvalidArgument);
}

TEST_F(EngineTest, CellLimit) {
  std::vector<std::pair<int64_t, Row>> ups;
  for (int i = 0; i < 100'500; ++i) {
    Row r = RandomRow();
    r.d[0] = std::to_string(2010 + i / 12 % 10) + (i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1);
    r.d[1] = "511724" + std::to_string(101 + i / 120 % 31);
    r.d[5] = "s" + std::to_string(1000 + i / 3720);
    ups.push_back({i + 1, r});
  }
  FactBatch b;
  b.dims.resize(dims.size());
  b.values.resize(3);
  for (auto& [k, r] : ups) {
    b.keys.push_back(k);
    for (size_t i = 0; i < dims.size(); ++i) b.dims[i].push_back(r.d[i]);
    for (int c = 0; c < 3; ++c) b.values[c].push_back(r.v[c]);
    b.person.push_back(r.p);
  }
  ASSERT_TRUE(engine->Apply("t", b).ok());
  auto q = json::parse(R"({"cube":"t","rows":[{"dim":"staff"},{"dim":"region"},{"dim":"time"}],"measures":["records","persons"]})");
  auto r = engine->Query(q, Scope::All());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("100000"), std::string::npos) << r.status().message();
  q.as_object()["limit"] = 10;
  q.as_object()["sort"] = json::parse(R"({"by":"measure","measure":"records","dir":"desc"})");
  r = engine->Query(q, Scope::All());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->at("rows").as_array().size(), 10u);
  EXPECT_EQ(r->at("cells").as_array()[0].as_array()[0].as_array()[0].as_int64(), 1);
}

// Queries on several threads while batches are applied: every result equals
// the result of one of the consistent states (before or after some batch).
TEST_F(EngineTest, QueriesDuringApplySeeConsistentStates) {
  Load(1, 4000);
  json::value q = json::parse(R"({"cube":"t","rows":[{"dim":"region","level":"county"}],"columns":[{"dim":"gender"}],
    "measures":["records","persons","s1"],"totals":true})");
  std::vector<std::string> states;
  auto body = [&] {
    auto r = engine->Query(q, Scope::All());
    EXPECT_TRUE(r.ok());
    json::object o = *r;
    o.erase("elapsedUs");
    o.erase("cached");
    o.erase("version");
    return json::serialize(o);
  };
  states.push_back(body());
  std::vector<std::vector<std::pair<int64_t, Row>>> batches;
  std::vector<std::vector<int64_t>> dels;
  int64_t next = 100000;
  for (int b = 0; b < 12; ++b) {
    std::vector<std::pair<int64_t, Row>> ups;
    for (int i = 0; i < 300; ++i) ups.push_back({next++, RandomRow()});
    for (int i = 0; i < 50; ++i) ups.push_back({Rand(1, 4000), RandomRow()});
    batches.push_back(ups);
    dels.push_back({Rand(1, 4000), Rand(1, 4000)});
  }
  // expected states from a second engine fed the same batches
  {
    Engine ref({.threads = 1});
    ASSERT_TRUE(ref.DefineCube(Schema(dims)).ok());
    FactBatch all;
    all.dims.resize(dims.size());
    all.values.resize(3);
    for (auto& [k, r] : live) {
      all.keys.push_back(k);
      for (size_t i = 0; i < dims.size(); ++i) all.dims[i].push_back(r.d[i]);
      for (int c = 0; c < 3; ++c) all.values[c].push_back(r.v[c]);
      all.person.push_back(r.p);
    }
    ASSERT_TRUE(ref.Apply("t", all).ok());
    for (size_t b = 0; b < batches.size(); ++b) {
      FactBatch fb;
      fb.dims.resize(dims.size());
      fb.values.resize(3);
      for (auto& [k, r] : batches[b]) {
        fb.keys.push_back(k);
        for (size_t i = 0; i < dims.size(); ++i) fb.dims[i].push_back(r.d[i]);
        for (int c = 0; c < 3; ++c) fb.values[c].push_back(r.v[c]);
        fb.person.push_back(r.p);
      }
      fb.deletes = dels[b];
      ASSERT_TRUE(ref.Apply("t", fb).ok());
      auto r = ref.Query(q, Scope::All());
      json::object o = *r;
      o.erase("elapsedUs");
      o.erase("cached");
      o.erase("version");
      states.push_back(json::serialize(o));
    }
  }
  std::atomic<bool> done{false};
  std::atomic<int> checked{0}, bad{0};
  std::vector<std::jthread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!done) {
        std::string s = body();
        if (std::find(states.begin(), states.end(), s) == states.end()) ++bad;
        ++checked;
      }
    });
  for (size_t b = 0; b < batches.size(); ++b) {
    ApplyBatch(batches[b], dels[b]);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  done = true;
  readers.clear();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(checked.load(), 12);
  EXPECT_EQ(body(), states.back());
}

}  // namespace
}  // namespace hrss::olap
