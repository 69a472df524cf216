// The data dictionary: seeding (all 218 sources, idempotent), the mapping
// rule, the embedded seed table, and the API (paging, filters, search,
// permissions, CSV export with audit) on SQLite and MariaDB.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "modules/datacenter/datacenter_module.h"
#include "modules/datacenter/dictionary.h"
#include "modules/identity/identity_test_util.h"

namespace hrss::datacenter {
namespace {

namespace json = boost::json;
using identity::testing::IdentityApiTest;
using identity::testing::Reply;

TEST(DictionarySeed, EmbeddedTableMatchesSharedSeedFile) {
  std::filesystem::path shared = "../shared/seed/collection_sources.tsv";
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "no " << shared;
  std::ifstream in(shared, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), std::string(EmbeddedSourcesTsv()));
}

TEST(DictionarySeed, ParsesAll218SourcesWithUniqueNumbers) {
  auto sources = ParseSourcesTsv(EmbeddedSourcesTsv());
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  EXPECT_EQ(sources->size(), 218u);
  std::set<int> numbers;
  std::map<std::string, int> per_system;
  for (const auto& s : *sources) {
    EXPECT_TRUE(numbers.insert(s.no).second) << "duplicate number " << s.no;
    per_system[s.system]++;
    EXPECT_FALSE(MapSource(s.system, s.name).entities.empty()) << s.no << " " << s.name;
  }
  EXPECT_EQ(per_system["就业"], 69);
  EXPECT_EQ(per_system["居保"], 7);
  EXPECT_EQ(per_system["机保"], 13);
  EXPECT_EQ(per_system["社保"], 82);
  EXPECT_EQ(per_system["劳动监察"], 47);
  // The table's numbers run 1..222 with four gaps (66, 91, 92, 93).
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 222);
  for (int gap : {66, 91, 92, 93}) EXPECT_EQ(numbers.count(gap), 0u) << gap;
}

TEST(DictionarySeed, MappingRule) {
  auto m = [](const char* sys, const char* name) { return MapSource(sys, name).entities; };
  using V = std::vector<std::string>;
  EXPECT_EQ(m("社保", "单位欠费台账"), (V{"unit", "arrears"}));  // in Entities() order
  EXPECT_EQ(m("社保", "缴费通知书"), (V{"contribution"}));
  EXPECT_EQ(m("社保", "定期待遇发放信息"), (V{"benefit_entitlement", "benefit_payment"}));
  EXPECT_EQ(m("居保", "参保登记表"), (V{"enrolment"}));
  EXPECT_EQ(m("劳动监察", "案件审理"), (V{"inspection_case"}));
  EXPECT_EQ(m("劳动监察", "指派仲裁员"), (V{"arbitration_case"}));
  EXPECT_EQ(m("劳动监察", "政策法规"), (V{"inspection_case"}));  // system default
  EXPECT_EQ(m("就业", "档案管理"), (V{"archive"}));
  EXPECT_EQ(m("社保", "本地公安库信息"), (V{"person"}));  // default
  EXPECT_EQ(m("就业", "创业担保贷款"), (V{"employment_event"}));
  auto jibao = m("机保", "机关事业单位新进人员基本信息申报表");
  EXPECT_NE(std::find(jibao.begin(), jibao.end(), "institution_personnel"), jibao.end());
  EXPECT_EQ(MapSource("社保", "缴费通知书").rule, "关键词：缴费→contribution");
}

class DictionaryApi : public IdentityApiTest {
 protected:
  void AddMoreModules(Platform& platform) override {
    platform.AddModule(std::make_unique<DatacenterModule>());
  }
  int64_t Count(const std::string& sql) {
    auto conn = platform_->db().Acquire();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->QueryOne(sql);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql;
    return (*r)->GetInt64(0);
  }
  std::string Dump() {
    auto conn = platform_->db().Acquire();
    std::string out;
    for (const char* sql :
         {"SELECT no, system_code, name, entities, method, status, mapping_rule, mapping_manual, "
          "updated_at_ms FROM dc_source ORDER BY no",
          "SELECT entity_code, name, label, type, code_set, sensitivity FROM dc_field ORDER BY "
          "entity_code, name",
          "SELECT code_set, version, value, label FROM dc_code_value ORDER BY code_set, value",
          "SELECT version, seeded_at_ms FROM dc_dict_version"}) {
      auto rows = (*conn)->Query(sql);
      EXPECT_TRUE(rows.ok());
      for (const auto& r : *rows) {
        for (size_t i = 0; i < r.size(); ++i) out += r.at(i).AsText().value_or("NULL") + "|";
        out += "\n";
      }
    }
    return out;
  }
};

TEST_P(DictionaryApi, SeededAtStartAndIdempotent) {
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_source"), 218);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT no) FROM dc_source"), 218);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_source WHERE entities = ''"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_source WHERE status = '未接入'"), 218);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_source_system"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_entity"), 13);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_source WHERE system_code = 'shebao' AND method = "
                  "'db_pull'"),
            82);
  // Every code set a field references exists.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_field f WHERE f.code_set <> '' AND NOT EXISTS "
                  "(SELECT 1 FROM dc_code_set c WHERE c.code = f.code_set)"),
            0);
  std::string before = Dump();
  clock_.Advance(std::chrono::hours(1));
  auto again = SeedDictionary(platform_->db(), clock_.NowMillis());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Dump(), before);
  // An edited mapping survives re-seeding; status set by collection stays.
  {
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->Exec("UPDATE dc_source SET entities = 'person,unit', mapping_manual = 1, "
                           "status = '已接入' WHERE no = 5")
                    .ok());
  }
  auto third = SeedDictionary(platform_->db(), clock_.NowMillis());
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 0);
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/dictionary/sources/5");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("entities"), (json::array{"person", "unit"}));
  EXPECT_EQ(r.obj().at("status"), "已接入");
}

TEST_P(DictionaryApi, SourcesPagingFilterSearch) {
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/dictionary/sources");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 218);
  EXPECT_EQ(r.obj().at("page").as_int64(), 1);
  EXPECT_EQ(r.obj().at("size").as_int64(), 20);
  EXPECT_EQ(r.obj().at("items").as_array().size(), 20u);
  EXPECT_EQ(r.obj().at("items").as_array()[0].at("no").as_int64(), 1);

  r = Get(leader, "/api/v1/datacenter/dictionary/sources?page=3&size=100");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("items").as_array().size(), 18u);
  EXPECT_EQ(r.obj().at("items").as_array().back().at("no").as_int64(), 222);

  std::map<std::string, int64_t> counts = {
      {"jiuye", 69}, {"jubao", 7}, {"jibao", 13}, {"shebao", 82}, {"jiancha", 47}};
  for (const auto& [sys, n] : counts) {
    r = Get(leader, "/api/v1/datacenter/dictionary/sources?system=" + sys + "&size=1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.obj().at("total").as_int64(), n) << sys;
  }
  // Chinese system name, URL-encoded (居保).
  r = Get(leader, "/api/v1/datacenter/dictionary/sources?system=%E5%B1%85%E4%BF%9D");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 7);
  EXPECT_EQ(r.obj().at("items").as_array()[0].at("method"), "file_gbk_csv");

  // q=欠费 (search in names) within 社保.
  r = Get(leader, "/api/v1/datacenter/dictionary/sources?system=shebao&q=%E6%AC%A0%E8%B4%B9");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 3);  // 单位欠费台账, 撤销个人欠费计划, 社保欠费月台账
  for (const auto& it : r.obj().at("items").as_array()) {
    EXPECT_NE(std::string(it.at("name").as_string()).find("欠费"), std::string::npos);
  }
  // LIKE wildcards are literal.
  r = Get(leader, "/api/v1/datacenter/dictionary/sources?q=%25");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("total").as_int64(), 0);

  for (const char* bad : {"?page=0", "?page=x", "?size=0", "?size=501", "?system=nope"}) {
    r = Get(leader, std::string("/api/v1/datacenter/dictionary/sources") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_FALSE(r.obj().empty()) << bad;
  }
  r = Get(leader, "/api/v1/datacenter/dictionary/sources/9999");
  EXPECT_EQ(r.status, 404);
  r = Get(leader, "/api/v1/datacenter/dictionary/sources/abc");
  EXPECT_EQ(r.status, 400);
  r = Get(leader, "/api/v1/datacenter/dictionary/sources/104");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("name"), "单位欠费台账");
  EXPECT_EQ(r.obj().at("system"), "shebao");
  EXPECT_EQ(r.obj().at("system_name"), "社保");
}

TEST_P(DictionaryApi, EntitiesAndCodeSets) {
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/dictionary/entities");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& items = r.obj().at("items").as_array();
  ASSERT_EQ(items.size(), 13u);
  EXPECT_EQ(items[0].at("code"), "person");
  const auto& f0 = items[0].at("fields").as_array()[0];
  EXPECT_EQ(f0.at("name"), "id_number");
  EXPECT_EQ(f0.at("sensitivity"), "敏感个人信息");
  r = Get(leader, "/api/v1/datacenter/dictionary/codesets");
  ASSERT_EQ(r.status, 200) << r.body;
  bool gender = false;
  for (const auto& cs : r.obj().at("items").as_array()) {
    if (cs.at("code") == "gender") {
      gender = true;
      EXPECT_EQ(cs.at("standard"), "GB/T 2261.1-2003");
      EXPECT_EQ(cs.at("values").as_array().size(), 4u);
    }
  }
  EXPECT_TRUE(gender);
}

TEST_P(DictionaryApi, PermissionRequired) {
  Client clerk = Login("clerk_zhuyang");
  for (const char* path :
       {"/api/v1/datacenter/dictionary/sources", "/api/v1/datacenter/dictionary/sources/1",
        "/api/v1/datacenter/dictionary/entities", "/api/v1/datacenter/dictionary/codesets",
        "/api/v1/datacenter/dictionary/export.csv"}) {
    EXPECT_EQ(Get(clerk, path).status, 403) << path;
    Client anon;
    EXPECT_EQ(Get(anon, path).status, 401) << path;
  }
  Client head = Login("head_shebao");
  EXPECT_EQ(Get(head, "/api/v1/datacenter/dictionary/sources").status, 200);
  // Code sets also for collect:read (the code map page), the rest not.
  Client admin = Login("admin");
  EXPECT_EQ(Get(admin, "/api/v1/datacenter/dictionary/codesets").status, 200);
  EXPECT_EQ(Get(admin, "/api/v1/datacenter/dictionary/entities").status, 403);
  Client auditor = Login("auditor");
  EXPECT_EQ(Get(auditor, "/api/v1/datacenter/dictionary/codesets").status, 403);
}

TEST_P(DictionaryApi, CsvExportWithBomAndAudit) {
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/dictionary/export.csv");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_GE(r.body.size(), 3u);
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  size_t lines = 0;
  for (char ch : r.body) lines += ch == '\n';
  EXPECT_EQ(lines, 219u);
  EXPECT_NE(r.body.find("104,社保,unit;arrears,数据库抽取"), std::string::npos);
  bool csv_type = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type" || k == "content-type") csv_type = v.find("text/csv") == 0;
  }
  EXPECT_TRUE(csv_type);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.dictionary.export' "
                  "AND username = 'leader' AND success = 1"),
            1);
}

HRSS_INSTANTIATE_DB_TEST(DictionaryApi);

}  // namespace
}  // namespace hrss::datacenter
