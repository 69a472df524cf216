// The analytics module end to end, on SQLite and MariaDB: the simulator's
// small preset collected through the data center's real jobs, the cubes
// built from the fact feed and checked against SQL sums over the dc_*
// tables; scope (a 竹阳 clerk), incremental refresh (collect more), saved
// views and their permissions, bad queries, XLSX export, domain views,
// the screen config/data and the media route.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <boost/json.hpp>

#include "ingest/reader.h"
#include "modules/analytics/analytics_module.h"
#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/identity/identity_test_util.h"
#include "sim/simulate.h"

namespace hrss::analytics {
namespace {

namespace json = boost::json;
using identity::testing::IdentityApiTest;
using identity::testing::Reply;

const bool kEnvSet = [] {
  setenv("HRSS_DATACENTER_DEMO_SOURCES", "0", 1);
  setenv("HRSS_DATACENTER_SCHEDULER", "0", 1);
  setenv("HRSS_ANALYTICS_DEBOUNCE_MS", "20", 1);
  return true;
}();

constexpr const char* kZhuyang = "511724001";
constexpr const char* kBaita = "511724003";

class AnalyticsTest : public IdentityApiTest {
 protected:
  void AddMoreModules(Platform& platform) override {
    auto dc = std::make_unique<datacenter::DatacenterModule>();
    auto an = std::make_unique<AnalyticsModule>();
    an->SetFactFeed([d = dc.get()]() { return d->facts(); });
    analytics_ = an.get();
    platform.AddModule(std::move(dc));
    platform.AddModule(std::move(an));
  }
  void SetUp() override {
    IdentityApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    coll_ = datacenter::CurrentCollection();
    ASSERT_NE(coll_, nullptr);
    // The jobs read <data_dir>/sources (as `hrss demo` does).
    auto sum = sim::Simulate({.preset = "small", .seed = 7, .out_dir = dir_ + "/sources", .threads = 1});
    ASSERT_TRUE(sum.ok()) << sum.status().ToString();
    ASSERT_TRUE(analytics_->WaitReady(std::chrono::seconds(60)).ok());
  }
  void TearDown() override {
    if (analytics_ != nullptr) analytics_->Stop();
    IdentityApiTest::TearDown();
  }

  void Collect(std::initializer_list<const char*> codes) {
    for (const char* code : codes) {
      auto job = coll_->jobs.GetByCode(code);
      ASSERT_TRUE(job.ok() && job->has_value()) << code;
      auto b = coll_->RunNow(**job, "cli", "test", {});
      ASSERT_TRUE(b.ok()) << code << ": " << b.status().ToString();
      EXPECT_EQ(b->status, "succeeded") << code << ": " << b->error;
    }
    ASSERT_TRUE(analytics_->RefreshNow().ok());
  }

  int64_t SqlInt(const std::string& sql, const db::Params& params = {}) {
    auto conn = platform_->db().Acquire();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->QueryOne(sql, params);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql << " " << r.status().ToString();
    return r.ok() && r->has_value() && !(*r)->IsNull(0) ? (*r)->GetInt64(0) : 0;
  }
  std::map<std::string, int64_t> SqlMap(const std::string& sql) {
    std::map<std::string, int64_t> out;
    auto conn = platform_->db().Acquire();
    auto rows = (*conn)->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (rows.ok()) {
      for (const auto& r : *rows) out[r.GetText(0)] = r.GetInt64(1);
    }
    return out;
  }

  Reply Query(Client& c, const json::object& q) {
    return Post(c, "/api/v1/analytics/query", q);
  }
  // The grand total of measure m (one cell without rows/columns).
  static int64_t Total(const Reply& r, size_t m = 0) {
    const auto& cell = r.obj().at("cells").as_array()[0].as_array()[0].as_array()[m];
    return cell.is_null() ? 0 : cell.to_number<int64_t>();
  }
  int64_t Version(Client& c, const std::string& cube) {
    Reply r = Get(c, "/api/v1/analytics/status");
    for (const auto& x : r.obj().at("cubes").as_array()) {
      if (x.as_object().at("name").as_string() == cube) return x.as_object().at("version").as_int64();
    }
    ADD_FAILURE() << "no cube " << cube;
    return -1;
  }

  AnalyticsModule* analytics_ = nullptr;
  datacenter::Collection* coll_ = nullptr;
};

json::object SumQuery(const char* cube, json::array measures, json::array filters = {}) {
  return json::object{{"cube", cube}, {"measures", std::move(measures)}, {"filters", std::move(filters)}};
}

TEST_P(AnalyticsTest, CubesMatchSqlScopeAndIncrementalRefresh) {
  Collect({"jubao-files", "shebao-db"});
  Client leader = Login("leader");
  int64_t v1 = Version(leader, "contribution");

  // Totals of the whole county = SQL sums over the live rows.
  Reply r = Query(leader, SumQuery("contribution", {"amount", "records", "persons"}));
  ASSERT_EQ(r.status, 200) << r.body;
  int64_t sql_amount =
      SqlInt("SELECT SUM(personal_fen + unit_fen + subsidy_fen) FROM dc_contribution WHERE deleted = 0");
  ASSERT_GT(sql_amount, 0);
  EXPECT_EQ(Total(r, 0), sql_amount);
  EXPECT_EQ(Total(r, 1), SqlInt("SELECT COUNT(*) FROM dc_contribution WHERE deleted = 0"));
  EXPECT_EQ(Total(r, 2),
            SqlInt("SELECT COUNT(DISTINCT person_id) FROM dc_contribution WHERE deleted = 0"));
  EXPECT_FALSE(r.obj().at("scoped").as_bool());

  // By township.
  Reply by = Query(leader, json::object{{"cube", "contribution"},
                                        {"rows", json::array{json::object{{"dim", "region"}, {"level", "township"}}}},
                                        {"measures", json::array{"amount"}}});
  ASSERT_EQ(by.status, 200) << by.body;
  auto sql_by = SqlMap(
      "SELECT CASE WHEN division_code = '' THEN '511724' ELSE division_code END, "
      "SUM(personal_fen + unit_fen + subsidy_fen) FROM dc_contribution "
      "WHERE deleted = 0 GROUP BY CASE WHEN division_code = '' THEN '511724' ELSE division_code END");
  const auto& rows = by.obj().at("rows").as_array();
  ASSERT_EQ(rows.size(), sql_by.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string code(rows[i].as_object().at("keys").as_array()[0].as_object().at("code").as_string());
    EXPECT_EQ(by.obj().at("cells").as_array()[i].as_array()[0].as_array()[0].to_number<int64_t>(),
              sql_by[code])
        << code;
  }

  // Payments, enrolments and the population.
  Reply pay = Query(leader, SumQuery("payment", {"amount", "records"}));
  ASSERT_EQ(pay.status, 200) << pay.body;
  EXPECT_EQ(Total(pay, 0), SqlInt("SELECT SUM(amount_fen) FROM dc_benefit_payment WHERE deleted = 0"));
  EXPECT_EQ(Total(pay, 1), SqlInt("SELECT COUNT(*) FROM dc_benefit_payment WHERE deleted = 0"));
  Reply enr = Query(leader, SumQuery("enrolment", {"records"}));
  EXPECT_EQ(Total(enr), SqlInt("SELECT COUNT(*) FROM dc_enrolment WHERE deleted = 0"));
  Reply pop = Query(leader, SumQuery("person", {"persons"}));
  EXPECT_EQ(Total(pop), SqlInt("SELECT COUNT(*) FROM dc_person WHERE death_date = ''"));

  // Scope: a 竹阳 clerk (居保/社保/就业 in 竹阳) sees the 竹阳 rows of those domains only.
  Client clerk = Login("clerk_zhuyang");
  Reply cz = Query(clerk, SumQuery("contribution", {"amount", "records"}));
  ASSERT_EQ(cz.status, 200) << cz.body;
  int64_t sql_zhuyang = SqlInt(
      "SELECT SUM(personal_fen + unit_fen + subsidy_fen) FROM dc_contribution WHERE deleted = 0 "
      "AND division_code = ? AND domain IN ('jubao', 'shebao', 'jiuye')",
      {std::string(kZhuyang)});
  ASSERT_GT(sql_zhuyang, 0);
  EXPECT_LT(sql_zhuyang, sql_amount);
  EXPECT_EQ(Total(cz, 0), sql_zhuyang);
  EXPECT_TRUE(cz.obj().at("scoped").as_bool());
  Reply out = Query(clerk, SumQuery("contribution", {"amount"},
                                    json::array{json::object{{"dim", "region"},
                                                             {"level", "township"},
                                                             {"op", "eq"},
                                                             {"values", json::array{kBaita}}}}));
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(Total(out), 0);
  Reply lb = Query(leader, SumQuery("contribution", {"amount"},
                                    json::array{json::object{{"dim", "region"},
                                                             {"level", "township"},
                                                             {"op", "eq"},
                                                             {"values", json::array{kBaita}}}}));
  EXPECT_GT(Total(lb), 0);

  // Incremental: collect the other systems; versions bump, totals follow.
  int64_t cases_before = Total(Query(leader, SumQuery("case", {"cases"})));
  EXPECT_EQ(cases_before, 0);
  int64_t latest_before = SqlInt("SELECT MAX(id) FROM dc_batch");
  Collect({"jibao-files", "jiuye-files", "jiancha-files"});
  Reply st = Get(leader, "/api/v1/analytics/status");
  EXPECT_GT(st.obj().at("lastBatch").as_int64(), latest_before);
  EXPECT_GT(Version(leader, "contribution"), v1);
  Reply r2 = Query(leader, SumQuery("contribution", {"amount"}));
  EXPECT_EQ(Total(r2),
            SqlInt("SELECT SUM(personal_fen + unit_fen + subsidy_fen) FROM dc_contribution WHERE deleted = 0"));
  EXPECT_GT(Total(r2), sql_amount);  // 机保 contributions arrived
  Reply cases = Query(leader, SumQuery("case", {"cases", "amount"}));
  EXPECT_EQ(Total(cases, 0), SqlInt("SELECT COUNT(*) FROM dc_case WHERE deleted = 0"));
  EXPECT_GT(Total(cases, 0), 0);
  EXPECT_EQ(Total(cases, 1), SqlInt("SELECT SUM(amount_fen) FROM dc_case WHERE deleted = 0"));
  Reply emp = Query(leader, SumQuery("employment", {"records"}));
  EXPECT_EQ(Total(emp), SqlInt("SELECT COUNT(*) FROM dc_employment_event WHERE deleted = 0"));

  // A full rebuild gives the same totals and a higher version.
  int64_t v2 = Version(leader, "contribution");
  Client admin = Login("admin");
  Reply rb = Post(admin, "/api/v1/analytics/refresh");
  ASSERT_EQ(rb.status, 200) << rb.body;
  EXPECT_GT(Version(leader, "contribution"), v2);
  EXPECT_EQ(Total(Query(leader, SumQuery("contribution", {"amount"}))), Total(r2));
  EXPECT_EQ(Post(clerk, "/api/v1/analytics/refresh").status, 403);
}

TEST_P(AnalyticsTest, ViewsExportDomainsScreenAndMedia) {
  Collect({"jubao-files", "shebao-db", "jibao-files", "jiuye-files", "jiancha-files"});
  Client leader = Login("leader");
  Client clerk = Login("clerk_zhuyang");
  Client other = Login("clerk_baita");

  // Catalog.
  Reply cubes = Get(leader, "/api/v1/analytics/cubes");
  ASSERT_EQ(cubes.status, 200) << cubes.body;
  EXPECT_EQ(cubes.obj().at("cubes").as_array().size(), 9u);

  // Bad queries: 400 with a Chinese message.
  for (const json::object& bad :
       {json::object{{"cube", "nope"}, {"measures", json::array{"amount"}}},
        json::object{{"cube", "contribution"}, {"measures", json::array{"nope"}}},
        json::object{{"cube", "contribution"},
                     {"measures", json::array{"amount"}},
                     {"rows", json::array{json::object{{"dim", "region"}, {"level", "street"}}}}}}) {
    Reply r = Query(leader, bad);
    EXPECT_EQ(r.status, 400) << r.body;
    std::string msg(r.obj().contains("message") ? r.obj().at("message").as_string() : "");
    EXPECT_TRUE(std::any_of(msg.begin(), msg.end(), [](char c) { return (c & 0x80) != 0; })) << msg;
  }

  // Views: the owner edits; another user sees a shared view, may pin it, not edit it.
  json::object q{{"cube", "contribution"},
                 {"rows", json::array{json::object{{"dim", "region"}, {"level", "township"}}}},
                 {"measures", json::array{"amount", "persons"}}};
  Reply v = Post(clerk, "/api/v1/analytics/views",
                 json::object{{"name", "乡镇缴费"}, {"query", q}, {"chart", "bar"}, {"shared", true}});
  ASSERT_EQ(v.status, 201) << v.body;
  int64_t id = v.obj().at("id").as_int64();
  std::string path = "/api/v1/analytics/views/" + std::to_string(id);
  EXPECT_EQ(Post(clerk, "/api/v1/analytics/views",
                 json::object{{"name", "x"}, {"query", q}, {"chart", "radar"}})
                .status,
            400);
  EXPECT_EQ(Put(other, path, json::object{{"name", "改"}, {"query", q}, {"chart", "table"}}).status, 403);
  EXPECT_EQ(Delete(other, path).status, 403);
  EXPECT_EQ(Post(other, path + "/pin", json::object{{"pinned", true}}).status, 200);
  Reply wb = Get(other, "/api/v1/analytics/workbench");
  ASSERT_EQ(wb.status, 200) << wb.body;
  ASSERT_EQ(wb.obj().at("items").as_array().size(), 1u);
  // The viewer's scope: 白塔 rows only.
  const auto& res = wb.obj().at("items").as_array()[0].as_object().at("result").as_object();
  for (const auto& row : res.at("rows").as_array()) {
    EXPECT_EQ(row.as_object().at("keys").as_array()[0].as_object().at("code").as_string(), kBaita);
  }
  Reply up = Put(clerk, path, json::object{{"name", "乡镇缴费（私有）"}, {"query", q}, {"chart", "table"}});
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Get(other, "/api/v1/analytics/workbench").obj().at("items").as_array().size(), 0u);
  EXPECT_EQ(Put(other, path, json::object{{"name", "改"}, {"query", q}, {"chart", "table"}}).status, 404);
  EXPECT_EQ(Delete(clerk, path).status, 204);
  EXPECT_EQ(Get(clerk, "/api/v1/analytics/views").obj().at("items").as_array().size(), 0u);

  // Export: a valid XLSX, audited.
  json::object eq = q;
  eq["totals"] = true;
  Reply x = Call(&leader, http::Method::kPost, "/api/v1/analytics/export", json::serialize(eq));
  ASSERT_EQ(x.status, 200) << x.body;
  ASSERT_GE(x.body.size(), 4u);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  std::string file = dir_ + "/export.xlsx";
  {
    std::ofstream o(file, std::ios::binary);
    o << x.body;
  }
  auto reader = ingest::OpenXlsx(file, "");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  int n = 0;
  ingest::Record rec;
  while (true) {
    auto more = (*reader)->Next(&rec);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++n;
  }
  EXPECT_GE(n, 2);  // township rows (row 1, the header, is not a record)
  EXPECT_GE(SqlInt("SELECT COUNT(*) FROM audit_log WHERE action = 'analytics.export'"), 1);

  // Domain views: every section, with numbers.
  Reply doms = Get(leader, "/api/v1/analytics/domains");
  ASSERT_EQ(doms.status, 200);
  ASSERT_EQ(doms.obj().at("items").as_array().size(), 8u);
  for (const auto& d : doms.obj().at("items").as_array()) {
    std::string code(d.as_object().at("code").as_string());
    Reply dv = Get(leader, "/api/v1/analytics/domains/" + code);
    ASSERT_EQ(dv.status, 200) << code << ": " << dv.body;
    const auto& secs = dv.obj().at("sections").as_array();
    EXPECT_EQ(secs.size(), d.as_object().at("sections").as_array().size()) << code;
    EXPECT_EQ(dv.obj().at("asOf").as_string().size(), 6u) << code;
    for (const auto& s : secs) {
      int numbers = 0;
      for (const auto& ind : s.as_object().at("indicators").as_array()) {
        EXPECT_FALSE(ind.as_object().contains("error")) << code << " " << json::serialize(ind);
        if (ind.as_object().at("value").is_number()) ++numbers;
      }
      EXPECT_GT(numbers, 0) << code << "/" << s.as_object().at("code").as_string();
      for (const auto& ch : s.as_object().at("charts").as_array()) {
        EXPECT_TRUE(ch.as_object().at("result").is_object()) << code << " " << json::serialize(ch);
      }
    }
  }
  EXPECT_EQ(Get(leader, "/api/v1/analytics/domains/nope").status, 404);
  EXPECT_EQ(Get(leader, "/api/v1/analytics/domains/jubao?month=202513").status, 400);

  // Screen: config (default, validated, audited) and every data item.
  EXPECT_EQ(Get(clerk, "/api/v1/screen/config").status, 403);
  Reply cfg = Get(leader, "/api/v1/screen/config");
  ASSERT_EQ(cfg.status, 200) << cfg.body;
  json::object c = cfg.obj();
  c.erase("items");
  // Changing the screen needs screen:manage (a clerk has neither key).
  EXPECT_EQ(Put(clerk, "/api/v1/screen/config", c).status, 403);
  Client admin = Login("admin");
  json::object bad = c;
  bad["carousel"] = json::object{{"enabled", true}, {"intervalSec", 1}};
  EXPECT_EQ(Put(admin, "/api/v1/screen/config", bad).status, 400);
  c["carousel"] = json::object{{"enabled", false}, {"intervalSec", 30}};
  Reply put = Put(admin, "/api/v1/screen/config", c);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Get(leader, "/api/v1/screen/config").obj().at("carousel").as_object().at("intervalSec").as_int64(), 30);
  // Who saved it, as the portal shows it ("最近由 王建国 于 … 保存").
  EXPECT_EQ(put.obj().at("updatedBy"), "admin");
  EXPECT_EQ(put.obj().at("updatedByName"), "王建国");
  EXPECT_GE(SqlInt("SELECT COUNT(*) FROM audit_log WHERE action = 'screen.config.update'"), 1);

  Reply data = Get(leader, "/api/v1/screen/data");
  ASSERT_EQ(data.status, 200) << data.body;
  EXPECT_GT(data.obj().at("asOf").to_number<int64_t>(), 0);  // last refresh, ms
  EXPECT_EQ(data.obj().at("period").as_string().size(), 6u);
  ASSERT_EQ(data.status, 200) << data.body;
  const auto& items = data.obj().at("items").as_object();
  for (const char* name : {"kpi", "business_yearly", "business_monthly", "consultation", "query_volume",
                           "new_enrolment", "transfer", "info_maintenance", "card_maintenance",
                           "retirement", "staff_volume", "outlet_handling", "township_map", "heatmap",
                           "warnings"}) {
    ASSERT_TRUE(items.contains(name)) << name;
    EXPECT_TRUE(items.at(name).as_object().at("data").is_object()) << name << ": "
                                                                   << json::serialize(items.at(name));
  }
  EXPECT_EQ(items.at("township_map").as_object().at("data").as_object().at("townships").as_array().size(), 31u);
  EXPECT_EQ(Get(leader, "/api/v1/screen/data?items=kpi,nope").status, 400);

  // Media: HLS files for screen viewers only.
  std::filesystem::create_directories(dir_ + "/media/hall");
  {
    std::ofstream(dir_ + "/media/hall/index.m3u8") << "#EXTM3U\n#EXT-X-VERSION:3\n";
  }
  Reply m = Get(leader, "/media/hall/index.m3u8");
  ASSERT_EQ(m.status, 200) << m.body;
  bool mime = false;
  for (const auto& [k, val] : m.headers) {
    if ((k == "content-type" || k == "Content-Type") && val == "application/vnd.apple.mpegurl") mime = true;
  }
  EXPECT_TRUE(mime);
  EXPECT_EQ(Get(clerk, "/media/hall/index.m3u8").status, 403);
  EXPECT_EQ(Get(leader, "/media/hall/missing.ts").status, 404);
}

HRSS_INSTANTIATE_DB_TEST(AnalyticsTest);

// HRSS_ANALYTICS_WORKER=0 (`hrss collect`): no background cube builds, at
// start or after a batch; a build asked for (the API's, RefreshNow) still runs.
class AnalyticsWorkerOffTest : public AnalyticsTest {
 protected:
  void SetUp() override {
    setenv("HRSS_ANALYTICS_WORKER", "0", 1);
    IdentityApiTest::SetUp();
    unsetenv("HRSS_ANALYTICS_WORKER");
    if (IsSkipped() || HasFatalFailure()) return;
    coll_ = datacenter::CurrentCollection();
    ASSERT_NE(coll_, nullptr);
    auto sum = sim::Simulate({.preset = "small", .seed = 7, .out_dir = dir_ + "/sources", .threads = 1});
    ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  }
};

TEST_P(AnalyticsWorkerOffTest, BuildsOnlyWhenAsked) {
  auto job = coll_->jobs.GetByCode("jubao-files");
  ASSERT_TRUE(job.ok() && job->has_value());
  auto b = coll_->RunNow(**job, "cli", "test", {});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->status, "succeeded") << b->error;
  // Ten debounce periods: a worker would have built by then.
  EXPECT_FALSE(analytics_->WaitReady(std::chrono::milliseconds(200)).ok());
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM an_refresh_log"), 0);
  ASSERT_TRUE(analytics_->RefreshNow(true).ok());
  EXPECT_TRUE(analytics_->WaitReady(std::chrono::milliseconds(1)).ok());
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM an_refresh_log WHERE kind = 'full' AND status = 'succeeded'"), 1);
}

HRSS_INSTANTIATE_DB_TEST(AnalyticsWorkerOffTest);

}  // namespace
}  // namespace hrss::analytics
