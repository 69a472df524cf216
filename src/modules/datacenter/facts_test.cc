// The fact feed (facts.h) against a real collection: the simulator's small
// preset collected through the real jobs (as collect_sim_test), on SQLite
// and MariaDB. For every kind a scan from 0 must equal the rows of its table
// (live rows, deleted ones flagged) with the joined person/unit attributes;
// after a second 社保 collection of changed source rows, the window (a, b]
// must hold exactly the changed rows, and applying (0, a] then (a, b] must
// give the same state as a scan of (0, b]. OnBatchCommitted fires with the
// batch ids.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

#include "db/migrate.h"
#include "db/options.h"
#include "db/test_fixture.h"
#include "modules/datacenter/collect.h"
#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/datacenter/facts.h"
#include "modules/datacenter/facts_feed.h"
#include "modules/identity/identity_test_util.h"
#include "sim/jiuye_server.h"
#include "sim/simulate.h"

namespace hrss::datacenter {
namespace {

using identity::testing::IdentityApiTest;

const bool kEnvSet = [] {
  setenv("HRSS_DATACENTER_DEMO_SOURCES", "0", 1);
  setenv("HRSS_DATACENTER_SCHEDULER", "0", 1);
  return true;
}();

struct Fact {
  int64_t person_id = 0, batch_id = 0;
  bool deleted = false;
  std::vector<std::string> dims;
  std::vector<int64_t> values;
  bool operator==(const Fact&) const = default;
};
using Facts = std::map<int64_t, Fact>;

class FactsTest : public IdentityApiTest {
 protected:
  void AddMoreModules(Platform& platform) override {
    auto m = std::make_unique<DatacenterModule>();
    module_ = m.get();
    platform.AddModule(std::move(m));
  }
  void SetUp() override {
    IdentityApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    coll_ = CurrentCollection();
    ASSERT_NE(coll_, nullptr);
    feed_ = module_->facts();
    ASSERT_NE(feed_, nullptr);
    feed_->OnBatchCommitted([this](int64_t id) {
      std::lock_guard lock(mu_);
      committed_.push_back(id);
    });
    src_ = dir_ + "/sources";
    auto sum = sim::Simulate({.preset = "small", .seed = 11, .out_dir = src_, .threads = 1});
    ASSERT_TRUE(sum.ok()) << sum.status().ToString();
    auto server = sim::JiuyeServer::Start({.dir = src_});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    jiuye_ = std::move(*server);
    setenv("HRSS_DATACENTER_JIUYE_BASE_URL",
           ("http://127.0.0.1:" + std::to_string(jiuye_->port())).c_str(), 1);
    setenv("HRSS_DATACENTER_JIUYE_API_KEY", jiuye_->api_key().c_str(), 1);
  }
  void TearDown() override {
    if (jiuye_) jiuye_->Stop();
    unsetenv("HRSS_DATACENTER_JIUYE_BASE_URL");
    unsetenv("HRSS_DATACENTER_JIUYE_API_KEY");
    IdentityApiTest::TearDown();
  }

  Batch Run(const char* code) {
    auto job = coll_->jobs.GetByCode(code);
    EXPECT_TRUE(job.ok() && job->has_value()) << code;
    if (!job.ok() || !job->has_value()) return {};
    auto b = coll_->RunNow(**job, "cli", "test", {});
    EXPECT_TRUE(b.ok()) << code << ": " << b.status().ToString();
    if (!b.ok()) return {};
    EXPECT_EQ(b->status, "succeeded") << code << ": " << b->error;
    return *b;
  }

  std::vector<db::Row> Rows(const std::string& sql, const db::Params& params = {}) {
    auto conn = platform_->db().Acquire();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->Query(sql, params);
    EXPECT_TRUE(r.ok()) << sql << " " << r.status().ToString();
    return r.ok() ? *r : std::vector<db::Row>{};
  }
  int64_t Count(const std::string& sql, const db::Params& params = {}) {
    auto rows = Rows(sql, params);
    return rows.empty() ? -1 : rows[0].GetInt64(0);
  }

  // Scans a window with a small chunk (several chunks per kind), checking the
  // chunk size and ascending keys across chunks.
  Facts Scan(FactKind kind, int64_t after, int64_t upto) {
    Facts out;
    int64_t last = 0;
    const FactSpec& spec = FactSpecOf(kind);
    Status st = feed_->Scan(
        kind, after, upto,
        [&](std::span<const FactRow> rows) {
          EXPECT_LE(rows.size(), 500u);
          EXPECT_FALSE(rows.empty());
          for (const FactRow& r : rows) {
            EXPECT_GT(r.key, last) << spec.name;
            last = r.key;
            EXPECT_EQ(r.dims.size(), spec.dims.size()) << spec.name;
            EXPECT_EQ(r.values.size(), spec.values.size()) << spec.name;
            EXPECT_GT(r.batch_id, after) << spec.name;
            EXPECT_LE(r.batch_id, upto) << spec.name;
            out[r.key] = {r.person_id, r.batch_id, r.deleted, r.dims, r.values};
          }
          return Status::Ok();
        },
        500);
    EXPECT_TRUE(st.ok()) << spec.name << ": " << st.ToString();
    return out;
  }

  DatacenterModule* module_ = nullptr;
  FactFeed* feed_ = nullptr;
  Collection* coll_ = nullptr;
  std::string src_;
  std::unique_ptr<sim::JiuyeServer> jiuye_;
  std::mutex mu_;
  std::vector<int64_t> committed_;
};

const char* TableOf(FactKind k) {
  switch (k) {
    case FactKind::kContribution: return "dc_contribution";
    case FactKind::kPayment: return "dc_benefit_payment";
    case FactKind::kEnrolment: return "dc_enrolment";
    case FactKind::kEmployment: return "dc_employment_event";
    case FactKind::kCase: return "dc_case";
    case FactKind::kArchive: return "dc_archive";
    case FactKind::kPersonnel: return "dc_institution_personnel";
    case FactKind::kHandling: return "dc_business_record";
    case FactKind::kPerson: return "dc_person";
  }
  return "";
}

int Index(const FactSpec& spec, std::string_view dim) {
  for (size_t i = 0; i < spec.dims.size(); ++i) {
    if (spec.dims[i] == dim) return static_cast<int>(i);
  }
  return -1;
}

TEST(FactSpecs, EveryKindHasItsContractColumns) {
  ASSERT_EQ(AllFactKinds().size(), 9u);
  EXPECT_EQ(FactSpecOf(FactKind::kContribution).name, "contribution");
  EXPECT_EQ(FactSpecOf(FactKind::kContribution).values.size(), 4u);
  EXPECT_EQ(FactSpecOf(FactKind::kCase).values[2], "duration_days");
  EXPECT_EQ(FactSpecOf(FactKind::kHandling).dims.size(), 13u);
  EXPECT_EQ(FactSpecOf(FactKind::kHandling).values[1], "completed");
  EXPECT_EQ(FactSpecOf(FactKind::kPerson).values.size(), 5u);
  EXPECT_EQ(FactSpecOf(FactKind::kPerson).dims[3], "death_date");
  for (FactKind k : AllFactKinds()) EXPECT_EQ(FactSpecOf(k).kind, k);
}

TEST_P(FactsTest, ScansEqualTheTablesAndWindowsHoldExactlyTheChanges) {
  EXPECT_EQ(*feed_->LatestBatch(), 0);
  for (const char* code : {"jubao-files", "jiuye-http", "shebao-db", "jibao-files", "jiancha-files"}) {
    Run(code);
  }
  // dc_archive has no collector yet: two rows written directly (one deleted).
  {
    auto conn = platform_->db().Acquire();
    int64_t person = Count("SELECT MIN(id) FROM dc_person");
    int64_t batch = Count("SELECT MAX(id) FROM dc_batch");
    for (int i = 0; i < 2; ++i) {
      auto r = (*conn)->Exec(
          "INSERT INTO dc_archive (src_system, src_key, batch_id, row_hash, deleted, "
          "updated_at_ms, archive_no, person_id, id_number, archive_type, location, "
          "received_date, domain, division_code) SELECT 'jiuye', ?, ?, 1, ?, 0, ?, id, "
          "id_number, '流动人员档案', 'A-1', '2024-05-06', 'dangan', division_code FROM dc_person "
          "WHERE id = ?",
          {"AR" + std::to_string(i), batch, int64_t{i}, "DA" + std::to_string(i), person});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  // A second unit under a number and a credit code already taken (a later
  // record, other attributes): rows naming them keep the first unit's.
  {
    auto conn = platform_->db().Acquire();
    auto r = (*conn)->Exec(
        "INSERT INTO dc_unit (credit_code, unit_no, name, unit_type, industry, division_code, "
        "status, created_at_ms, updated_at_ms) SELECT credit_code, unit_no, '重复登记单位', 'zz', "
        "'Z', division_code, status, 0, 0 FROM dc_unit WHERE id = (SELECT MIN(u.id) FROM dc_unit "
        "u WHERE u.unit_no <> '' AND u.credit_code <> '' AND EXISTS (SELECT 1 FROM "
        "dc_contribution c WHERE c.unit_no = u.unit_no))");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(*r, 1);
  }
  const int64_t a = *feed_->LatestBatch();
  EXPECT_EQ(a, Count("SELECT MAX(id) FROM dc_batch"));
  // Batch windows (collect.h): every batch has a mark per window table, and
  // first loads log no change (every row they wrote is above their marks).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_batch_mark"),
            a * static_cast<int64_t>(WindowTables().size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_row_change"), 0);
  {
    std::lock_guard lock(mu_);
    EXPECT_EQ(committed_.size(), 5u);  // every batch of the first collection wrote rows
    if (!committed_.empty()) { EXPECT_EQ(committed_.back(), a); }
  }

  // Joined attributes as the test reads them itself.
  std::map<int64_t, std::pair<std::string, std::string>> person;  // id → gender, birth
  for (const auto& r : Rows("SELECT id, gender, birth_date FROM dc_person")) {
    person[r.GetInt64(0)] = {r.GetText(1), r.GetText(2)};
  }
  std::map<std::string, std::pair<std::string, std::string>> unit_by_no, unit_by_credit;
  for (const auto& r : Rows("SELECT unit_no, credit_code, industry, unit_type FROM dc_unit ORDER BY id")) {
    if (!r.GetText(0).empty()) unit_by_no.emplace(r.GetText(0), std::make_pair(r.GetText(2), r.GetText(3)));
    if (!r.GetText(1).empty()) unit_by_credit.emplace(r.GetText(1), std::make_pair(r.GetText(2), r.GetText(3)));
  }
  auto gender = [](const std::string& g) { return g == "1" || g == "2" ? g : std::string("9"); };

  std::map<FactKind, Facts> first;
  for (FactKind kind : AllFactKinds()) {
    const FactSpec& spec = FactSpecOf(kind);
    Facts got = Scan(kind, 0, a);
    first[kind] = got;
    if (kind == FactKind::kPerson) {
      EXPECT_EQ(static_cast<int64_t>(got.size()), Count("SELECT COUNT(*) FROM dc_person"));
      for (const auto& r : Rows("SELECT id, division_code, gender, birth_date, death_date FROM dc_person")) {
        auto it = got.find(r.GetInt64(0));
        ASSERT_NE(it, got.end()) << r.GetInt64(0);
        EXPECT_EQ(it->second.dims[1], gender(r.GetText(2)));
        EXPECT_EQ(it->second.dims[2], r.GetText(3));
        EXPECT_EQ(it->second.dims[3], r.GetText(4));
        EXPECT_FALSE(it->second.deleted);
      }
      // Enrolment flags against the tables, per scheme.
      const char* types[] = {"170", "110", "310", "120"};
      for (int f = 0; f < 4; ++f) {
        int64_t n = 0;
        for (const auto& [id, fact] : got) n += fact.values[static_cast<size_t>(f)];
        EXPECT_EQ(n, Count("SELECT COUNT(DISTINCT person_id) FROM dc_enrolment WHERE deleted = 0 "
                           "AND status = '1' AND insurance_type = ?",
                           {std::string(types[f])}))
            << types[f];
      }
      int64_t employed = 0;
      for (const auto& [id, fact] : got) employed += fact.values[4];
      EXPECT_GT(employed, 0);
      EXPECT_GT(Count("SELECT COUNT(*) FROM dc_enrolment WHERE deleted = 0 AND status = '1' AND "
                      "insurance_type = '170'"),
                0);
      continue;
    }
    const std::string table = TableOf(kind);
    auto rows = Rows("SELECT id, deleted, batch_id, person_id, division_code FROM " + table +
                     " ORDER BY id");
    EXPECT_EQ(got.size(), rows.size()) << spec.name;
    EXPECT_FALSE(rows.empty()) << spec.name;
    const int g = Index(spec, "gender"), b = Index(spec, "birth_date"),
              ind = Index(spec, "unit_industry"), ut = Index(spec, "unit_type");
    for (const auto& r : rows) {
      auto it = got.find(r.GetInt64(0));
      ASSERT_NE(it, got.end()) << spec.name << " id " << r.GetInt64(0);
      const Fact& f = it->second;
      EXPECT_EQ(f.deleted, r.GetInt64(1) != 0) << spec.name;
      EXPECT_EQ(f.batch_id, r.GetInt64(2)) << spec.name;
      EXPECT_EQ(f.person_id, r.GetInt64(3)) << spec.name;
      std::string div = r.GetText(4);
      EXPECT_EQ(f.dims[0], div.size() == 9 ? div : "511724") << spec.name;
      if (g >= 0) {
        auto p = person.find(r.GetInt64(3));
        EXPECT_EQ(f.dims[static_cast<size_t>(g)], p == person.end() ? "9" : gender(p->second.first));
        EXPECT_EQ(f.dims[static_cast<size_t>(b)], p == person.end() ? "" : p->second.second);
      }
    }
    if (ind >= 0) {
      // Industry (and type) of the unit the row names, by number or credit code.
      const bool by_credit = kind == FactKind::kCase;
      auto keyed = Rows(std::string("SELECT id, ") + (by_credit ? "unit_credit_code" : "unit_no") +
                        " FROM " + table);
      int64_t with_unit = 0;
      for (const auto& r : keyed) {
        const auto& m = by_credit ? unit_by_credit : unit_by_no;
        auto u = m.find(r.GetText(1));
        const Fact& f = got[r.GetInt64(0)];
        EXPECT_EQ(f.dims[static_cast<size_t>(ind)], u == m.end() ? "" : u->second.first) << spec.name;
        if (ut >= 0) { EXPECT_EQ(f.dims[static_cast<size_t>(ut)], u == m.end() ? "" : u->second.second); }
        if (u != m.end() && !u->second.first.empty()) ++with_unit;
      }
      if (kind == FactKind::kContribution) { EXPECT_GT(with_unit, 0); }
    }
    if (kind == FactKind::kContribution) {
      int64_t sum = 0;
      for (const auto& [id, f] : got) sum += f.values[1];
      EXPECT_EQ(sum, Count("SELECT SUM(personal_fen) FROM dc_contribution"));
      int64_t deleted = 0;
      for (const auto& [id, f] : got) deleted += f.deleted;
      EXPECT_GT(deleted, 0);
      // period as YYYYMM text
      EXPECT_EQ(got.begin()->second.dims[1].size(), 6u);
    }
    if (kind == FactKind::kHandling) {
      // completed = status completed; day YYYYMMDD within period.
      int64_t completed = 0;
      for (const auto& [id, f] : got) {
        completed += f.values[1];
        EXPECT_EQ(f.values[1], f.dims[11] == "completed" ? 1 : 0);
        EXPECT_EQ(f.dims[2].substr(0, 6), f.dims[1]);
        EXPECT_EQ(f.dims[2].size(), 8u);
      }
      EXPECT_EQ(completed, Count("SELECT COUNT(*) FROM dc_business_record WHERE status = 'completed'"));
      EXPECT_GT(completed, 0);
    }
    if (kind == FactKind::kCase) {
      int64_t closed = 0, open = 0;
      for (const auto& [id, f] : got) {
        if (f.dims[7].empty()) {
          EXPECT_EQ(f.values[2], -1);
          ++open;
        } else {
          EXPECT_GE(f.values[2], 0);
          ++closed;
        }
      }
      EXPECT_GT(closed + open, 0);
    }
  }

  // Second 社保 collection: a few contributions changed, deleted and added
  // in the source database, one person renamed.
  std::vector<std::string> changed, removed;
  for (const auto& r : Rows("SELECT src_key FROM dc_contribution WHERE src_system = 'shebao' AND "
                            "deleted = 0 ORDER BY id LIMIT 8")) {
    (changed.size() < 5 ? changed : removed).push_back(r.GetText(0));
  }
  ASSERT_EQ(changed.size(), 5u);
  ASSERT_EQ(removed.size(), 3u);
  std::string renamed = Rows("SELECT src_key FROM dc_person_source WHERE src_system = 'shebao' "
                             "AND deleted = 0 ORDER BY id LIMIT 1")[0]
                            .GetText(0);
  {
    db::Options o;
    o.sqlite_path = src_ + "/shebao/shebao.db";
    auto conn = db::Connect(o);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    const std::string stamp = "20300101090000";
    for (const auto& k : changed) {
      ASSERT_TRUE((*conn)->Exec("UPDATE ac43 SET aae020 = aae020 + 1, aae036 = ? WHERE aaz223 = ?",
                                {stamp, std::stoll(k)}).ok());
    }
    for (const auto& k : removed) {
      ASSERT_TRUE((*conn)->Exec("UPDATE ac43 SET aae100 = '0', aae036 = ? WHERE aaz223 = ?",
                                {stamp, std::stoll(k)}).ok());
    }
    ASSERT_TRUE((*conn)->Exec("INSERT INTO ac43 SELECT (SELECT MAX(aaz223) + 1 FROM ac43), aac001, "
                              "aab001, aae140, aae003, aac040, aae020, aae022, aae078, ?, '1' FROM "
                              "ac43 WHERE aaz223 = ?",
                              {stamp, std::stoll(changed[0])}).ok());
    ASSERT_TRUE((*conn)->Exec("UPDATE ac01 SET aac003 = '测试改名', aae036 = ? WHERE aac001 = ?",
                              {stamp, renamed}).ok());
  }
  Batch second = Run("shebao-db");
  // Re-read at the first (snapshot) pull's watermark: unchanged.
  EXPECT_EQ(second.rows_read - second.rows_unchanged, 10);
  const int64_t b = *feed_->LatestBatch();
  EXPECT_EQ(b, second.id);
  {
    std::lock_guard lock(mu_);
    ASSERT_EQ(committed_.size(), 6u);
    EXPECT_EQ(committed_.back(), second.id);
  }

  // The second run logged exactly the older rows it changed: the 8
  // contributions and the renamed person's source record.
  std::set<std::string> want_log, logged;
  for (const auto& r : Rows("SELECT id FROM dc_contribution WHERE batch_id = ? AND id <= (SELECT "
                            "max_id FROM dc_batch_mark WHERE batch_id = ? AND table_name = "
                            "'dc_contribution')",
                            {b, b})) {
    want_log.insert("dc_contribution/" + std::to_string(r.GetInt64(0)));
  }
  EXPECT_EQ(want_log.size(), 8u);
  want_log.insert("dc_person_source/" +
                  std::to_string(Count("SELECT id FROM dc_person_source WHERE src_system = "
                                       "'shebao' AND src_key = ?",
                                       {renamed})));
  for (const auto& r : Rows("SELECT table_name, row_id, batch_id FROM dc_row_change")) {
    EXPECT_EQ(r.GetInt64(2), b);
    logged.insert(r.GetText(0) + "/" + std::to_string(r.GetInt64(1)));
  }
  EXPECT_EQ(logged, want_log);

  for (FactKind kind : AllFactKinds()) {
    const FactSpec& spec = FactSpecOf(kind);
    Facts window = Scan(kind, a, b);
    if (kind == FactKind::kPerson) {
      // The renamed person only: a person's facts derive from their source
      // records, enrolments and employment events, not from contributions.
      std::set<int64_t> want;
      for (const auto& r : Rows("SELECT DISTINCT person_id FROM dc_person_source WHERE batch_id > ?", {a})) {
        want.insert(r.GetInt64(0));
      }
      std::set<int64_t> have;
      for (const auto& [id, f] : window) have.insert(id);
      EXPECT_EQ(have, want);
      EXPECT_EQ(have.size(), 1u);
    } else {
      std::set<int64_t> want, have;
      for (const auto& r : Rows(std::string("SELECT id FROM ") + TableOf(kind) +
                                " WHERE batch_id > ? AND batch_id <= ?",
                                {a, b})) {
        want.insert(r.GetInt64(0));
      }
      for (const auto& [id, f] : window) have.insert(id);
      EXPECT_EQ(have, want) << spec.name;
    }
    if (kind == FactKind::kContribution) {
      std::set<std::string> keys;
      int64_t deleted = 0;
      for (const auto& r : Rows("SELECT src_key, deleted FROM dc_contribution WHERE batch_id = ?", {b})) {
        keys.insert(r.GetText(0));
        deleted += r.GetInt64(1);
      }
      EXPECT_EQ(keys.size(), 9u);  // 5 changed, 3 deleted, 1 new
      for (const auto& k : changed) EXPECT_TRUE(keys.count(k)) << k;
      for (const auto& k : removed) EXPECT_TRUE(keys.count(k)) << k;
      EXPECT_EQ(deleted, 3);
      int64_t flagged = 0;
      for (const auto& [id, f] : window) flagged += f.deleted;
      EXPECT_EQ(flagged, 3);
      EXPECT_EQ(window.size(), 9u);
    }
    // (0, a] then (a, b] = (0, b].
    Facts applied = first[kind];
    for (const auto& [id, f] : window) applied[id] = f;
    EXPECT_TRUE(applied == Scan(kind, 0, b)) << spec.name;
    // An empty window and a window before anything are empty.
    EXPECT_TRUE(Scan(kind, b, b).empty());
    EXPECT_TRUE(Scan(kind, b, b + 100).empty()) << spec.name;
  }
  // Collecting the unchanged source again commits nothing and fires nothing.
  Batch third = Run("shebao-db");
  EXPECT_EQ(third.rows_updated + third.rows_inserted + third.rows_deleted, 0);
  {
    std::lock_guard lock(mu_);
    EXPECT_EQ(committed_.size(), 6u);
  }
  // A row the second run changed, changed again: it leaves (a, b] for the
  // new batch's window, and (a, c] holds it once.
  {
    db::Options o;
    o.sqlite_path = src_ + "/shebao/shebao.db";
    auto conn = db::Connect(o);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)->Exec("UPDATE ac43 SET aae020 = aae020 + 1, aae036 = ? WHERE aaz223 = ?",
                              {std::string("20300201090000"), std::stoll(changed[1])}).ok());
  }
  Batch fourth = Run("shebao-db");
  EXPECT_EQ(fourth.rows_updated, 1);
  const int64_t c = *feed_->LatestBatch();
  EXPECT_EQ(c, fourth.id);
  const int64_t again = Count("SELECT id FROM dc_contribution WHERE src_system = 'shebao' AND "
                              "src_key = ?",
                              {changed[1]});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_row_change WHERE batch_id = ? AND row_id = ?",
                  {c, again}),
            1);
  Facts ab = Scan(FactKind::kContribution, a, b), bc = Scan(FactKind::kContribution, b, c),
        ac = Scan(FactKind::kContribution, a, c);
  EXPECT_EQ(ab.size(), 8u);
  EXPECT_EQ(ab.count(again), 0u);
  ASSERT_EQ(bc.size(), 1u);
  EXPECT_EQ(bc.begin()->first, again);
  EXPECT_EQ(bc.begin()->second.batch_id, c);
  EXPECT_EQ(ac.size(), 9u);
  EXPECT_EQ(ac[again].batch_id, c);
}

// A sink error stops the scan and is returned; LatestBatch stays below a
// running batch.
TEST_P(FactsTest, SinkErrorStopsAndRunningBatchHoldsTheWatermark) {
  Run("jubao-files");
  const int64_t a = *feed_->LatestBatch();
  ASSERT_GT(a, 0);
  int calls = 0;
  Status st = feed_->Scan(
      FactKind::kContribution, 0, a,
      [&](std::span<const FactRow>) {
        ++calls;
        return Status::Conflict("停止");
      },
      10);
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_EQ(calls, 1);
  auto job = coll_->jobs.GetByCode("jibao-files");
  ASSERT_TRUE(job.ok() && job->has_value());
  auto running = CreateBatch(coll_->env, **job, "cli", "test");
  ASSERT_TRUE(running.ok());
  Run("jiancha-files");
  EXPECT_EQ(*feed_->LatestBatch(), *running - 1);
  auto done = RunBatch(coll_->env, **job, *running, {});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(*feed_->LatestBatch(), Count("SELECT MAX(id) FROM dc_batch"));
}

HRSS_INSTANTIATE_DB_TEST(FactsTest);

// Every table a fact kind reads by window is a window table (collect.h): it
// gets batch marks and its changes are logged.
TEST(FactSpecs, EveryScannedTableIsAWindowTable) {
  const std::vector<std::string>& tables = WindowTables();
  for (FactKind k : AllFactKinds()) {
    if (k == FactKind::kPerson) continue;
    EXPECT_NE(std::find(tables.begin(), tables.end(), TableOf(k)), tables.end()) << TableOf(k);
  }
  for (const char* t : {"dc_person_source", "dc_enrolment", "dc_employment_event"}) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), t), tables.end()) << t;
  }
}

// Migration datacenter v8 on a database with batches: marks backfilled from
// the rows that carry each batch, the batch_id indexes (and a killed first
// load's record of one) gone, and windows as before.
class BatchWindowMigrationTest : public db::testing::DbTest {};

TEST_P(BatchWindowMigrationTest, BackfillsMarksAndDropsTheBatchIndexes) {
  DatacenterModule module;
  db::Migrator all, before;
  DB_ASSERT_OK(module.RegisterMigrations(all));
  for (db::Migration m : all.migrations()) {
    if (m.module == "datacenter" && m.version >= 8) continue;
    DB_ASSERT_OK(before.Register(std::move(m)));
  }
  DB_ASSERT_OK(before.Migrate(*pool_));
  DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection conn, pool_->Acquire());
  for (int64_t b = 1; b <= 3; ++b) {
    DB_ASSERT_OK(conn->Exec("INSERT INTO dc_batch (id, job_id, trigger_kind, status, "
                            "started_at_ms) VALUES (?, 1, 'cli', 'succeeded', 1)",
                            {b})
                     .status());
  }
  // Contributions 1–3 by batch 1 (2 changed since by batch 3), 4–5 by
  // batch 2, 6 by batch 3.
  const int64_t batch_of[] = {1, 3, 1, 2, 2, 3};
  for (int64_t id = 1; id <= 6; ++id) {
    DB_ASSERT_OK(conn->Exec("INSERT INTO dc_contribution (id, src_system, src_key, batch_id, "
                            "row_hash, updated_at_ms, person_id, id_number, insurance_type, "
                            "period, status, domain) VALUES (?, 'shebao', ?, ?, 1, 1, 0, "
                            "'511724199001011234', '110', 202401, '1', 'shebao')",
                            {id, "K" + std::to_string(id), batch_of[id - 1]})
                     .status());
  }
  DB_ASSERT_OK(conn->Exec("INSERT INTO dc_deferred_index (name, table_name, sql_text) VALUES "
                          "('dc_contribution_batch', 'dc_contribution', 'CREATE INDEX IF NOT "
                          "EXISTS dc_contribution_batch ON dc_contribution (batch_id)')")
                   .status());
  auto index_count = [&](const std::string& name) -> int64_t {
    auto r = is_sqlite() ? conn->QueryOne("SELECT COUNT(*) FROM sqlite_master WHERE name = ?",
                                          {name})
                         : conn->QueryOne("SELECT COUNT(*) FROM information_schema.statistics "
                                          "WHERE table_schema = DATABASE() AND index_name = ?",
                                          {name});
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  };
  EXPECT_GT(index_count("dc_benefit_payment_batch"), 0);

  DB_ASSERT_OK(all.Migrate(*pool_));
  DB_ASSERT_OK_AND_ASSIGN(auto marks, conn->Query("SELECT batch_id, table_name, max_id FROM "
                                                   "dc_batch_mark ORDER BY batch_id, table_name"));
  ASSERT_EQ(marks.size(), 3u);  // no rows in the other tables: no marks there
  const int64_t want[3][2] = {{1, 0}, {2, 3}, {3, 1}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(marks[i].GetInt64(0), want[i][0]);
    EXPECT_EQ(marks[i].GetText(1), "dc_contribution");
    EXPECT_EQ(marks[i].GetInt64(2), want[i][1]);
  }
  for (const std::string& t : WindowTables()) EXPECT_EQ(index_count(t + "_batch"), 0) << t;
  DB_ASSERT_OK_AND_ASSIGN(auto deferred,
                          conn->QueryOne("SELECT COUNT(*) FROM dc_deferred_index"));
  EXPECT_EQ(deferred->GetInt64(0), 0);

  SqlFactFeed feed(*pool_);
  auto ids = [&](int64_t after, int64_t upto) {
    std::vector<int64_t> out;
    Status st = feed.Scan(FactKind::kContribution, after, upto, [&](std::span<const FactRow> rows) {
      for (const FactRow& r : rows) out.push_back(r.key);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  };
  EXPECT_EQ(ids(0, 1), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(ids(1, 2), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(ids(2, 3), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(ids(1, 3), (std::vector<int64_t>{2, 4, 5, 6}));
}

HRSS_INSTANTIATE_DB_TEST(BatchWindowMigrationTest);

}  // namespace
}  // namespace hrss::datacenter
