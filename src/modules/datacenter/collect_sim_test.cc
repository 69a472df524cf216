// The collectors against the simulators (docs/datacenter/sources.md): the
// small preset's five systems collected through the real jobs — 社保 by
// database pull, 居保/机保/劳动监察 from files, 就业 over HTTP from the
// simulator's API served in-process — then checked against the simulator's
// own "truth" in manifest.json, and collected again (nothing may change).
// Runs on SQLite and MariaDB like the other collection tests.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/identity/identity_test_util.h"
#include "sim/jiuye_server.h"
#include "sim/simulate.h"

namespace hrss::datacenter {
namespace {

namespace json = boost::json;
using identity::testing::IdentityApiTest;

const bool kEnvSet = [] {
  setenv("HRSS_DATACENTER_DEMO_SOURCES", "0", 1);
  setenv("HRSS_DATACENTER_SCHEDULER", "0", 1);
  return true;
}();

class CollectSimTest : public IdentityApiTest {
 protected:
  void AddMoreModules(Platform& platform) override {
    platform.AddModule(std::make_unique<DatacenterModule>());
  }
  void SetUp() override {
    IdentityApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    coll_ = CurrentCollection();
    ASSERT_NE(coll_, nullptr);
    src_ = dir_ + "/sources";
    auto sum = sim::Simulate({.preset = "small", .seed = 7, .out_dir = src_, .threads = 1});
    ASSERT_TRUE(sum.ok()) << sum.status().ToString();
    std::ifstream in(src_ + "/manifest.json");
    std::stringstream ss;
    ss << in.rdbuf();
    manifest_ = json::parse(ss.str()).as_object();
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

  int64_t Count(const std::string& sql, const db::Params& params = {}) {
    auto conn = platform_->db().Acquire();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->QueryOne(sql, params);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql << " " << r.status().ToString();
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  }

  // Runs every job of the five systems once, in dependency-free order (the
  // collectors must cope with any order: records may arrive before their
  // person or unit). Returns the batches.
  std::vector<Batch> CollectAll() {
    std::vector<Batch> out;
    for (const char* code :
         {"jubao-files", "jiuye-http", "shebao-db", "jibao-files", "jiancha-files"}) {
      auto job = coll_->jobs.GetByCode(code);
      EXPECT_TRUE(job.ok() && job->has_value()) << code;
      if (!job.ok() || !job->has_value()) continue;
      auto b = coll_->RunNow(**job, "cli", "test", {});
      EXPECT_TRUE(b.ok()) << code << ": " << b.status().ToString();
      if (!b.ok()) continue;
      EXPECT_EQ(b->status, "succeeded") << code << ": " << b->error;
      out.push_back(*b);
    }
    return out;
  }

  Collection* coll_ = nullptr;
  std::string src_;
  json::object manifest_;
  std::unique_ptr<sim::JiuyeServer> jiuye_;
};

TEST_P(CollectSimTest, SmallPresetMatchesTheSimulatorsTruthAndRecollectsToNothing) {
  std::vector<Batch> first = CollectAll();
  ASSERT_EQ(first.size(), 5u);
  const json::object& truth = manifest_.at("truth").as_object();

  // Every source row was read: rows read per system = rows the simulator wrote.
  const char* systems[] = {"jubao", "jiuye", "shebao", "jibao", "jiancha"};
  for (size_t i = 0; i < first.size(); ++i) {
    int64_t written = manifest_.at(systems[i]).as_object().at("rows").as_int64();
    // The 就业 API serves the latest version of each id (late updates of
    // earlier days replace them), so it returns at most what was written.
    if (std::string_view(systems[i]) == "jiuye") {
      EXPECT_LE(first[i].rows_read, written) << systems[i];
      EXPECT_GT(first[i].rows_read, written / 2) << systems[i];
    } else {
      EXPECT_EQ(first[i].rows_read, written) << systems[i];
    }
  }

  // Each fatal defect the simulator injected is quarantined under its reason
  // (records that merely depend on a quarantined person may add more).
  for (const auto& [reason, n] : truth.at("quarantine").as_object()) {
    // A bad year-month (所属期 202513) is the simulator's bad_date too.
    int64_t got = Count(reason == "BAD_DATE"
                            ? "SELECT COUNT(*) FROM dc_quarantine WHERE reason_code IN (?, 'BAD_PERIOD')"
                            : "SELECT COUNT(*) FROM dc_quarantine WHERE reason_code = ?",
                        {std::string(reason)});
    EXPECT_GE(got, n.as_int64()) << reason;
    EXPECT_LE(got, n.as_int64() * 2 + 5) << reason;
  }
  // No record is quarantined for a reason outside the known set.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE reason_code NOT IN ('ID_CHECKSUM', "
                  "'BAD_DATE', 'BAD_PERIOD', 'BAD_AMOUNT', 'PERSON_UNKNOWN', 'ID_FORMAT', "
                  "'UNKNOWN_CODE')"),
            0);
  {
    auto conn = platform_->db().Acquire();
    // UNKNOWN_CODE only for the business log's injected item codes.
    auto rows = (*conn)->Query("SELECT reason_code, src_system, stream, reason FROM dc_quarantine "
                               "WHERE reason_code NOT IN ('ID_CHECKSUM', 'BAD_AMOUNT', "
                               "'PERSON_UNKNOWN', 'BAD_DATE', 'BAD_PERIOD') AND NOT "
                               "(reason_code = 'UNKNOWN_CODE' AND stream = 'ae10' AND reason "
                               "LIKE '%business_item%') ORDER BY id");
    for (const auto& r : *rows) {
      ADD_FAILURE() << "quarantined: " << r.GetText(0) << " " << r.GetText(1) << " "
                    << r.GetText(2) << " " << r.GetText(3);
    }
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE reason_code = 'UNKNOWN_CODE' AND "
                  "stream <> 'ae10'"),
            0)
      << "a code value of the simulators' dialects is missing from the default code maps";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE reason_code = 'UNKNOWN_CODE'"),
            truth.at("quarantine").at("UNKNOWN_CODE").as_int64());

  // 社保 business log (ae10 → dc_business_record): every valid record, with
  // its deletions and completions; outlets are the county halls and the 31
  // townships' service centres, ~150 staff.
  const json::object& business = truth.at("business_records").as_object();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_business_record"), business.at("rows").as_int64());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_business_record WHERE deleted = 1"),
            business.at("deleted").as_int64());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_business_record WHERE status = 'completed'"),
            business.at("completed").as_int64());
  EXPECT_GT(business.at("rows").as_int64(), 15000);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT outlet_code) FROM dc_business_record"), 35);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT division_code) FROM dc_business_record"), 31);
  EXPECT_GE(Count("SELECT COUNT(DISTINCT staff_code) FROM dc_business_record"), 140);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT item_category) FROM dc_business_record"), 9);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT channel) FROM dc_business_record"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_business_record WHERE domain NOT IN ('shebao', "
                  "'jubao', 'jiuye') OR accepted_at = '' OR src_key = '' OR batch_id = 0"),
            0);
  // Person-related items name a person (社保 aac001 or 居保 ID number).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_business_record WHERE item_category IN ('enrol', "
                  "'retire') AND person_id = 0"),
            0);

  // One person per valid ID across the systems; stub persons (an ID known only
  // from a contribution) may come on top, but every truth person is there.
  int64_t persons = Count("SELECT COUNT(*) FROM dc_person");
  EXPECT_GE(persons, truth.at("persons_distinct").as_int64());
  EXPECT_LE(persons, truth.at("persons_distinct").as_int64() * 11 / 10);
  // Persons seen by several systems are one golden record with many sources.
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_person WHERE source_count >= 2"), 50);
  // Every injected birth-date conflict is flagged for review, never merged.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person_conflict WHERE field = 'birth_date'"),
            truth.at("birth_conflicts").as_int64());
  // Units: the 社保 units plus those only 就业/机保/监察 know.
  EXPECT_GE(Count("SELECT COUNT(*) FROM dc_unit"), truth.at("units_distinct").as_int64());
  // 15-digit IDs and lower-case x never reach the standard store.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person WHERE LENGTH(id_number) <> 18 OR "
                  "SUBSTR(id_number, 18, 1) = 'x'"),
            0);
  // Deletions propagated from every dialect that has them.
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_person_source WHERE deleted = 1"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_contribution WHERE deleted = 1"), 0);
  // Lineage on every row.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_contribution WHERE src_key = '' OR batch_id = 0"), 0);
  // Contributions from all three schemes.
  for (const char* domain : {"jubao", "shebao", "jibao"}) {
    EXPECT_GT(Count("SELECT COUNT(*) FROM dc_contribution WHERE domain = ?", {domain}), 0)
        << domain;
  }
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_employment_event"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_case"), 0);

  // Collecting the same sources again changes nothing.
  std::vector<Batch> second = CollectAll();
  ASSERT_EQ(second.size(), 5u);
  for (const Batch& b : second) {
    EXPECT_EQ(b.rows_inserted, 0) << b.job_id;
    EXPECT_EQ(b.rows_updated, 0) << b.job_id;
    EXPECT_EQ(b.rows_deleted, 0) << b.job_id;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person"), persons);
}

HRSS_INSTANTIATE_DB_TEST(CollectSimTest);

}  // namespace
}  // namespace hrss::datacenter
