// Queries (issue 4 item 5) on SQLite and MariaDB: one-stop search by every
// key kind, data scope (a 竹阳 clerk never sees a 白塔 resident), masking,
// person 360° sections and `restricted`, contribution gaps and arrears (fen
// exact), unit 360° and roster, domain queries with scope and filters,
// export with approval, bad input.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/masking.h"
#include "ingest/reader.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/datacenter/query_internal.h"
#include "modules/identity/identity_test_util.h"
#include "modules/identity/keyring.h"
#include "modules/identity/roles.h"

namespace hrss::datacenter {
namespace {

namespace json = boost::json;
using identity::testing::IdentityApiTest;
using identity::testing::Reply;

constexpr const char* kZhuyang = "511724001";
constexpr const char* kBaita = "511724003";

// An 18-digit ID for birth date `yyyymmdd` whose check character is `want`
// (0 = any), with sequence numbers from `seq`.
std::string MakeId(const std::string& yyyymmdd, int seq, char want = 0) {
  for (int s = seq; s < 1000; ++s) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", s);
    std::string first17 = "511724" + yyyymmdd + buf;
    char c = IdCheckChar(first17);
    if (want == 0 || c == want) return first17 + c;
  }
  return "";
}

TEST(QueryParse, PeriodsDatesAndIds) {
  using query::ParseDate;
  using query::ParsePeriod;
  EXPECT_EQ(ParsePeriod("202401"), 202401);
  EXPECT_EQ(ParsePeriod("2024-1"), 202401);
  EXPECT_EQ(ParsePeriod("２０２４年３月"), 202403);
  EXPECT_FALSE(ParsePeriod("202413").has_value());
  EXPECT_FALSE(ParsePeriod("abc").has_value());
  EXPECT_EQ(ParseDate("1980/3/5"), "1980-03-05");
  EXPECT_EQ(ParseDate("19800305"), "1980-03-05");
  EXPECT_EQ(ParseDate("1980年3月5日"), "1980-03-05");
  EXPECT_FALSE(ParseDate("2023-02-30").has_value());
  ManualClock clock;
  clock.SetMillis(1767225600000);  // 2026-01-01
  std::string id = MakeId("19800305", 1, 'X');
  ASSERT_FALSE(id.empty());
  std::string lower = id.substr(0, 17) + "x";
  EXPECT_EQ(query::NormalizePersonId(lower, clock), id);
  EXPECT_EQ(query::NormalizePersonId(" " + id.substr(0, 6) + " " + id.substr(6), clock), id);
  // Separators typed inside: dashes (ASCII, full-width, en/em dash), dots, slashes.
  std::string dashed = id.substr(0, 6) + "-" + id.substr(6, 8) + "-" + id.substr(14);
  EXPECT_EQ(query::NormalizePersonId(dashed, clock), id);
  EXPECT_EQ(query::NormalizePersonId(id.substr(0, 6) + "\xEF\xBC\x8D" + id.substr(6), clock), id);
  EXPECT_EQ(query::NormalizePersonId(id.substr(0, 6) + " \xE2\x80\x94 " + id.substr(6, 8) +
                                         "\xE2\x80\x93" + id.substr(14),
                                     clock),
            id);
  EXPECT_EQ(query::NormalizePersonId(id.substr(0, 6) + "." + id.substr(6, 8) + "/" + id.substr(14),
                                     clock),
            id);
  EXPECT_FALSE(query::NormalizePersonId(id.substr(0, 6) + "+" + id.substr(6), clock).has_value());
  EXPECT_FALSE(query::NormalizePersonId("--" + id.substr(0, 16), clock).has_value());
  // Full-width digits and an ideographic space.
  std::string full = "\xE3\x80\x80";
  for (char ch : id) {
    if (ch >= '0' && ch <= '9') {
      full += "\xEF\xBC";
      full += static_cast<char>(0x90 + (ch - '0'));
    } else {
      full += ch;
    }
  }
  EXPECT_EQ(query::NormalizePersonId(full, clock), id);
  // 15-digit legacy form.
  std::string id15 = id.substr(0, 6) + id.substr(8, 9);
  std::string id18 = id15.substr(0, 6) + "19" + id15.substr(6);
  id18 += IdCheckChar(id18);
  EXPECT_EQ(query::NormalizePersonId(id15, clock), id18);
  EXPECT_FALSE(query::NormalizePersonId("340524198001010013", clock).has_value());
}

class QueryApi : public IdentityApiTest {
 protected:
  void AddMoreModules(Platform& platform) override {
    auto dc = std::make_unique<DatacenterModule>();
    dc->SetUnmaskRegistry([m = module_]() -> identity::UnmaskRegistry* {
      return m->identity() ? &m->identity()->unmask : nullptr;
    });
    platform.AddModule(std::move(dc));
  }

  void SetUp() override {
    IdentityApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE(conn.ok());
    c_ = std::move(*conn);
    // Whatever a collection demo loaded: start from known rows only.
    for (const char* t :
         {"dc_person", "dc_person_source", "dc_person_conflict", "dc_unit", "dc_unit_source",
          "dc_enrolment", "dc_contribution", "dc_arrears", "dc_benefit_entitlement",
          "dc_benefit_payment", "dc_employment_event", "dc_case", "dc_archive",
          "dc_institution_personnel", "dc_export_request"}) {
      DB_ASSERT_OK(c_->Exec(std::string("DELETE FROM ") + t).status());
    }
    auto keys = identity::KeyRing::LoadOrCreate(platform_->config().KeyFilePath());
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    auto sealed = keys->EncryptField("datacenter.mobile", "13812345678");
    ASSERT_TRUE(sealed.ok());

    id1_ = MakeId("19800305", 11, 'X');  // 张三丰, 竹阳, shebao + jubao + jiuye + dangan
    id2_ = MakeId("19850101", 21);       // 李四, 白塔, shebao
    id3_ = MakeId("19700707", 31);       // 王五, 竹阳, known to 监察 only
    p1_ = Person(id1_, "张三丰", "1", "1980-03-05", kZhuyang, HexEncode(*sealed),
                 {"shebao", "jubao"});
    p2_ = Person(id2_, "李四", "1", "1985-01-01", kBaita, "", {"shebao"});
    p3_ = Person(id3_, "王五", "1", "1970-07-07", kZhuyang, "", {"jiancha"});
    u1_ = Unit("91350200776049653A", "SB0001", "大竹县竹海食品有限公司", kZhuyang);
    u2_ = Unit("91440101MA5CJQ4N59", "SB0002", "大竹县白塔建材厂", kBaita);

    Insert("dc_enrolment", "shebao", "e1",
           {{"person_id", p1_},
            {"id_number", id1_},
            {"unit_no", "SB0001"},
            {"insurance_type", "110"},
            {"status", "1"},
            {"start_date", "2015-06-01"},
            {"domain", "shebao"},
            {"division_code", kZhuyang}});
    Insert("dc_enrolment", "jubao", "e2",
           {{"person_id", p1_},
            {"id_number", id1_},
            {"insurance_type", "170"},
            {"status", "1"},
            {"start_date", "2019-01-01"},
            {"domain", "jubao"},
            {"division_code", kZhuyang}});
    Insert("dc_enrolment", "shebao", "e3",
           {{"person_id", p2_},
            {"id_number", id2_},
            {"unit_no", "SB0001"},
            {"insurance_type", "110"},
            {"status", "1"},
            {"start_date", "2018-03-01"},
            {"domain", "shebao"},
            {"division_code", kBaita}});
    // 张三丰, 110 in 2023: 04-05 and 08 missing (04 only refunded), 11 due.
    for (int m : {1, 2, 3, 4, 6, 7, 9, 10, 11, 12}) {
      std::string status = m == 4 ? "refunded" : m == 11 ? "due" : "paid";
      Contribution(p1_, id1_, "SB0001", "110", 202300 + m, 400000, 32000, 64000, status, "shebao",
                   kZhuyang);
    }
    // 居保 yearly: 2019, 2020, 2023 (2021 and 2022 missing).
    for (int y : {2019, 2020, 2023}) {
      Contribution(p1_, id1_, "", "170", y * 100 + 1, 0, 20000, 0, "paid", "jubao", kZhuyang, 3000);
    }
    for (int m : {1, 2, 3}) {
      Contribution(p2_, id2_, "SB0001", "110", 202300 + m, 300000, 24000, 48000, "paid", "shebao",
                   kBaita);
    }
    Insert("dc_arrears", "shebao", "a1",
           {{"unit_no", "SB0001"},
            {"insurance_type", "110"},
            {"period", 202312},
            {"amount_fen", 150000},
            {"domain", "shebao"},
            {"division_code", kZhuyang}});
    Insert("dc_employment_event", "jiuye", "ev1",
           {{"person_id", p1_},
            {"id_number", id1_},
            {"event_type", "employment_registration"},
            {"event_date", "2020-05-01"},
            {"domain", "jiuye"},
            {"division_code", kZhuyang}});
    Insert("dc_employment_event", "jiuye", "ev2",
           {{"person_id", p1_},
            {"id_number", id1_},
            {"event_type", "unemployment_registration"},
            {"event_date", "2024-03-15"},
            {"domain", "jiuye"},
            {"division_code", kZhuyang}});
    // 居保 pension 2024-01 .. 2025-02 (14 months), 2024-06 withheld.
    for (int i = 0; i < 14; ++i) {
      const int64_t period = i < 12 ? 202401 + i : 202501 + (i - 12);
      Insert("dc_benefit_payment", "jubao", "pay" + std::to_string(i),
             {{"person_id", p1_},
              {"id_number", id1_},
              {"benefit_type", "jubao_pension"},
              {"period", period},
              {"amount_fen", int64_t{19934}},
              {"status", period == 202406 ? "withheld" : "paid"},
              {"domain", "jubao"},
              {"division_code", kZhuyang}});
    }
    Insert("dc_archive", "jiuye", "ar1",
           {{"archive_no", "DA0001"},
            {"person_id", p1_},
            {"id_number", id1_},
            {"archive_type", "流动人员人事档案"},
            {"domain", "dangan"},
            {"division_code", kZhuyang}});
    Insert("dc_case", "jiancha", "c1",
           {{"kind", "inspection"},
            {"case_no", "JC2025001"},
            {"case_type", "投诉"},
            {"unit_credit_code", "91350200776049653A"},
            {"unit_name", "大竹县竹海食品有限公司"},
            {"person_id", p3_},
            {"id_number", id3_},
            {"cause", "拖欠工资"},
            {"amount_fen", 1200000},
            {"workers", 3},
            {"status", "filed"},
            {"received_date", "2025-03-01"},
            {"attachments", ""},
            {"domain", "jiancha"},
            {"division_code", kZhuyang}});
  }

  void TearDown() override {
    c_ = db::PooledConnection();
    IdentityApiTest::TearDown();
  }

  void Insert(const std::string& table, const std::string& system, const std::string& key,
              std::vector<std::pair<std::string, db::Value>> cols) {
    cols.emplace_back("src_system", system);
    cols.emplace_back("src_key", key);
    cols.emplace_back("batch_id", 1);
    cols.emplace_back("row_hash", 0);
    cols.emplace_back("updated_at_ms", clock_.NowMillis());
    std::string names, marks;
    db::Params p;
    for (auto& [n, v] : cols) {
      names += (names.empty() ? "" : ", ") + n;
      marks += marks.empty() ? "?" : ", ?";
      p.push_back(v);
    }
    auto r = c_->Exec("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")", p);
    ASSERT_TRUE(r.ok()) << table << ": " << r.status().ToString();
  }

  int64_t Person(const std::string& id, const std::string& name, const std::string& gender,
                 const std::string& birth, const std::string& division,
                 const std::string& mobile_enc, const std::vector<std::string>& systems) {
    auto r = c_->Exec(
        "INSERT INTO dc_person (id_number, name, gender, birth_date, division_code, mobile_enc, "
        "source_count, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, name, gender, birth, division, mobile_enc, static_cast<int64_t>(systems.size()),
         clock_.NowMillis(), clock_.NowMillis()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    int64_t pid = c_->LastInsertId();
    for (const auto& s : systems) {
      Insert("dc_person_source", s, s + "-" + id,
             {{"person_id", pid},
              {"id_number", id},
              {"raw_id_number", id},
              {"name", name},
              {"gender", gender},
              {"birth_date", birth},
              {"division_code", division}});
    }
    return pid;
  }

  int64_t Unit(const std::string& credit, const std::string& no, const std::string& name,
               const std::string& division) {
    auto r = c_->Exec(
        "INSERT INTO dc_unit (credit_code, unit_no, name, unit_type, division_code, legal_person, "
        "source_count, created_at_ms, updated_at_ms) VALUES (?, ?, ?, 'enterprise', ?, '赵六', 1, "
        "?, ?)",
        {credit, no, name, division, clock_.NowMillis(), clock_.NowMillis()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    int64_t uid = c_->LastInsertId();
    Insert("dc_unit_source", "shebao", no,
           {{"unit_id", uid},
            {"credit_code", credit},
            {"unit_no", no},
            {"name", name},
            {"division_code", division}});
    return uid;
  }

  void Contribution(int64_t pid, const std::string& id, const std::string& unit_no,
                    const std::string& type, int64_t period, int64_t base, int64_t personal,
                    int64_t unit, const std::string& status, const std::string& domain,
                    const std::string& division, int64_t subsidy = 0) {
    Insert("dc_contribution", domain,
           "k" + std::to_string(pid) + "/" + type + "/" + std::to_string(period),
           {{"person_id", pid},
            {"id_number", id},
            {"unit_no", unit_no},
            {"insurance_type", type},
            {"period", period},
            {"base_fen", base},
            {"personal_fen", personal},
            {"unit_fen", unit},
            {"subsidy_fen", subsidy},
            {"status", status},
            {"domain", domain},
            {"division_code", division}});
  }

  int64_t Count(const std::string& sql, const db::Params& p = {}) {
    auto r = c_->QueryOne(sql, p);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql;
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  }

  static std::string Enc(const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
    return out;
  }

  std::vector<int64_t> PersonIds(const Reply& r) {
    std::vector<int64_t> ids;
    for (const auto& p : r.obj().at("persons").as_array()) ids.push_back(p.at("id").as_int64());
    return ids;
  }
  std::vector<int64_t> UnitIds(const Reply& r) {
    std::vector<int64_t> ids;
    for (const auto& u : r.obj().at("units").as_array()) ids.push_back(u.at("id").as_int64());
    return ids;
  }
  Reply Search(Client& c, const std::string& q) {
    return Get(c, "/api/v1/datacenter/search?q=" + Enc(q));
  }

  db::PooledConnection c_;
  std::string id1_, id2_, id3_;
  int64_t p1_ = 0, p2_ = 0, p3_ = 0, u1_ = 0, u2_ = 0;
};

using V = std::vector<int64_t>;

TEST_P(QueryApi, SearchByEveryKeyKind) {
  Client zy = Login("clerk_zhuyang");
  // ID number in dirty forms.
  std::string lower = id1_.substr(0, 17) + "x";
  std::string spaced = id1_.substr(0, 6) + " " + id1_.substr(6, 8) + " " + id1_.substr(14);
  std::string id15 = id1_.substr(0, 6) + id1_.substr(8, 9);
  std::string full;
  for (char ch : id1_) {
    if (ch >= '0' && ch <= '9') {
      full += "\xEF\xBC";
      full += static_cast<char>(0x90 + (ch - '0'));
    } else {
      full += "\xEF\xBD\x98";  // ｘ
    }
  }
  // Typed with dashes (511724-19780121-030X) and spaces around them.
  std::string dashed = id1_.substr(0, 6) + "-" + id1_.substr(6, 8) + "-" + id1_.substr(14, 3) +
                       "x";
  std::string dashed_spaced = id1_.substr(0, 6) + " - " + id1_.substr(6, 8) + " - " +
                              id1_.substr(14);
  for (const std::string& q : {id1_, lower, spaced, full, dashed, dashed_spaced}) {
    Reply r = Search(zy, q);
    ASSERT_EQ(r.status, 200) << q << " " << r.body;
    EXPECT_EQ(r.obj().at("kind"), "idNumber") << q;
    EXPECT_EQ(PersonIds(r), V{p1_}) << q;
  }
  // The 15-digit form converts to an 18-digit ID of the same person only if
  // it was born in 19xx with the same sequence: our fixture is.
  Reply r15 = Search(zy, id15);
  ASSERT_EQ(r15.status, 200);
  EXPECT_EQ(r15.obj().at("kind"), "idNumber");
  std::string id18 = id15.substr(0, 6) + "19" + id15.substr(6);
  id18 += IdCheckChar(id18);
  EXPECT_EQ(PersonIds(r15), id18 == id1_ ? V{p1_} : V{});

  // Name + birth date.
  for (const char* q : {"张三丰 1980-03-05", "张三丰 19800305", "张 三丰 1980/3/5"}) {
    Reply r = Search(zy, q);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.obj().at("kind"), "nameBirthDate") << q;
    EXPECT_EQ(PersonIds(r), V{p1_}) << q;
  }
  // Credit code (lower case, spaces), unit number, unit name prefix/infix.
  Reply r = Search(zy, " 91350200776049653a ");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("kind"), "creditCode");
  EXPECT_EQ(UnitIds(r), V{u1_});
  r = Search(zy, "SB0001");
  EXPECT_EQ(r.obj().at("kind"), "unitNo");
  EXPECT_EQ(UnitIds(r), V{u1_});
  r = Search(zy, "竹海");
  EXPECT_EQ(r.obj().at("kind"), "unitName");
  EXPECT_EQ(UnitIds(r), V{u1_});
  // Prefix: both units exist, the 白塔 one is outside the clerk's scope.
  r = Search(zy, "大竹县");
  EXPECT_EQ(UnitIds(r), V{u1_});
  Client leader = Login("leader");
  r = Search(leader, "大竹县");
  EXPECT_EQ(UnitIds(r).size(), 2u);
  r = Search(leader, "建材");
  EXPECT_EQ(UnitIds(r), V{u2_});
  // LIKE wildcards are literal.
  r = Search(leader, "%");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(UnitIds(r).empty());
  // Hit contents.
  r = Search(leader, id1_);
  const auto& hit = r.obj().at("persons").as_array().at(0).as_object();
  EXPECT_EQ(hit.at("name"), "张三丰");
  EXPECT_EQ(json::value_to<std::string>(hit.at("idNumber")), MaskIdNumber(id1_));
  EXPECT_EQ(hit.at("divisionName"), "竹阳街道");
  EXPECT_EQ(hit.at("birthDate"), "1980-03-05");
  EXPECT_EQ(hit.at("systems"), (json::array{"jubao", "shebao"}));
  EXPECT_EQ(r.body.find(id1_), std::string::npos) << "clear ID number in a search answer";
}

TEST_P(QueryApi, ScopeZhuyangClerkNeverSeesBaitaResident) {
  Client zy = Login("clerk_zhuyang");
  Client bt = Login("clerk_baita");
  Client leader = Login("leader");
  EXPECT_TRUE(PersonIds(Search(zy, id2_)).empty());
  EXPECT_TRUE(PersonIds(Search(zy, "李四 1985-01-01")).empty());
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/persons/" + std::to_string(p2_)).status, 404);
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/persons/" + std::to_string(p2_) + "/contributions").status,
            404);
  EXPECT_EQ(PersonIds(Search(bt, id2_)), V{p2_});
  EXPECT_EQ(Get(bt, "/api/v1/datacenter/persons/" + std::to_string(p2_)).status, 200);
  EXPECT_EQ(Get(bt, "/api/v1/datacenter/persons/" + std::to_string(p1_)).status, 404);
  // A 竹阳 resident known only to 监察: not in the clerk's domains.
  EXPECT_TRUE(PersonIds(Search(zy, id3_)).empty());
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/persons/" + std::to_string(p3_)).status, 404);
  // The leader sees everyone.
  for (const auto& [id, pid] : {std::pair{id1_, p1_}, {id2_, p2_}, {id3_, p3_}}) {
    EXPECT_EQ(PersonIds(Search(leader, id)), V{pid});
    EXPECT_EQ(Get(leader, "/api/v1/datacenter/persons/" + std::to_string(pid)).status, 200);
  }
  // Units: the 白塔 unit is 404 for the 竹阳 clerk.
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/units/" + std::to_string(u2_)).status, 404);
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/units/" + std::to_string(u2_) + "/roster").status, 404);
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/persons/999999").status, 404);
  // Permissions: the inspector reads units, not persons; the auditor neither.
  Client insp = Login("inspector");
  Reply r = Search(insp, id1_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(PersonIds(r).empty());
  EXPECT_EQ(UnitIds(Search(insp, "竹海")), V{u1_});
  EXPECT_EQ(Get(insp, "/api/v1/datacenter/persons/" + std::to_string(p1_)).status, 403);
  Client aud = Login("auditor");
  EXPECT_EQ(Search(aud, id1_).status, 403);
  Client anon;
  EXPECT_EQ(Search(anon, id1_).status, 401);
}

TEST_P(QueryApi, Person360SectionsRestrictedMaskingAndAudit) {
  Client zy = Login("clerk_zhuyang");
  Reply r = Get(zy, "/api/v1/datacenter/persons/" + std::to_string(p1_));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& o = r.obj();
  const auto& person = o.at("person").as_object();
  EXPECT_EQ(person.at("name"), "张三丰");
  EXPECT_EQ(json::value_to<std::string>(person.at("idNumber")), MaskIdNumber(id1_));
  EXPECT_EQ(person.at("mobile"), "138****5678");
  EXPECT_EQ(person.at("age").as_int64(), 45);
  EXPECT_EQ(person.at("divisionName"), "竹阳街道");
  EXPECT_EQ(person.at("sources").as_array().size(), 2u);
  EXPECT_EQ(r.body.find(id1_), std::string::npos);
  EXPECT_EQ(r.body.find("13812345678"), std::string::npos);
  EXPECT_EQ(o.at("restricted"), (json::array{"jibao", "jiancha", "dangan", "renshi"}));
  EXPECT_TRUE(o.contains("enrolments"));
  EXPECT_TRUE(o.contains("contributions"));
  EXPECT_TRUE(o.contains("benefits"));
  EXPECT_TRUE(o.contains("employment"));
  EXPECT_FALSE(o.contains("cases"));
  EXPECT_FALSE(o.contains("archives"));
  EXPECT_FALSE(o.contains("institution"));
  EXPECT_EQ(o.at("enrolments").as_array().size(), 2u);
  // Newest first.
  ASSERT_EQ(o.at("employment").as_array().size(), 2u);
  EXPECT_EQ(o.at("employment").at(0).at("eventDate"), "2024-03-15");
  EXPECT_EQ(o.at("employment").at(1).at("eventDate"), "2020-05-01");
  // Payments: the 12 newest, and the total of the paid ones (13 of 14).
  const auto& payments = o.at("benefits").at("payments").as_object();
  ASSERT_EQ(payments.at("recent").as_array().size(), 12u);
  EXPECT_EQ(payments.at("recent").at(0).at("period").as_int64(), 202502);
  EXPECT_EQ(payments.at("recent").at(11).at("period").as_int64(), 202403);
  EXPECT_EQ(payments.at("totalFen").as_int64(), 13 * 19934);

  // Contribution summary (fen exact).
  const auto& summary = o.at("contributions").at("summary").as_array();
  ASSERT_EQ(summary.size(), 2u);
  const auto& s110 = summary[0].as_object();
  EXPECT_EQ(s110.at("insuranceType"), "110");
  EXPECT_EQ(s110.at("months").as_int64(), 9);
  EXPECT_EQ(s110.at("firstPeriod").as_int64(), 202301);
  EXPECT_EQ(s110.at("lastPeriod").as_int64(), 202312);
  EXPECT_EQ(s110.at("gaps").as_int64(), 3);
  EXPECT_EQ(s110.at("totalPersonalFen").as_int64(), 8 * 32000);
  EXPECT_EQ(s110.at("totalUnitFen").as_int64(), 8 * 64000);
  EXPECT_EQ(s110.at("arrearsFen").as_int64(), 96000);
  const auto& s170 = summary[1].as_object();
  EXPECT_EQ(s170.at("insuranceType"), "170");
  EXPECT_EQ(s170.at("months").as_int64(), 36);
  EXPECT_EQ(s170.at("gaps").as_int64(), 24);
  EXPECT_EQ(s170.at("totalPersonalFen").as_int64(), 60000);
  EXPECT_EQ(s170.at("totalSubsidyFen").as_int64(), 9000);

  // Who looked at whom: the person id, never the ID number.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.person.view' AND "
                  "username = 'clerk_zhuyang' AND object_id = ?",
                  {std::to_string(p1_)}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?", {"%" + id1_ + "%"}), 0);

  // The leader sees every section.
  Client leader = Login("leader");
  r = Get(leader, "/api/v1/datacenter/persons/" + std::to_string(p1_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("restricted"), json::array{});
  EXPECT_EQ(r.obj().at("archives").as_array().size(), 1u);
  EXPECT_EQ(r.obj().at("cases").as_array().size(), 0u);
  r = Get(leader, "/api/v1/datacenter/persons/" + std::to_string(p3_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("cases").as_array().size(), 1u);
  EXPECT_EQ(r.obj().at("cases").at(0).at("amountFen").as_int64(), 1200000);
  // 社保 head: insurance domains only.
  Client head = Login("head_shebao");
  r = Get(head, "/api/v1/datacenter/persons/" + std::to_string(p1_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("restricted"), (json::array{"jiuye", "jiancha", "dangan", "renshi"}));
  EXPECT_FALSE(r.obj().contains("employment"));
}

TEST_P(QueryApi, ContributionMonthsGapsAndArrears) {
  Client zy = Login("clerk_zhuyang");
  std::string base = "/api/v1/datacenter/persons/" + std::to_string(p1_) + "/contributions";
  Reply r = Get(zy, base);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("months").as_array().size(), 13u);
  EXPECT_EQ(r.obj().at("arrearsFen").as_int64(), 96000);
  json::array want{
      json::object{{"insuranceType", "110"}, {"from", 202304}, {"to", 202305}, {"months", 2}},
      json::object{{"insuranceType", "110"}, {"from", 202308}, {"to", 202308}, {"months", 1}},
      json::object{{"insuranceType", "170"}, {"from", 202101}, {"to", 202201}, {"months", 24}}};
  EXPECT_EQ(r.obj().at("gaps"), want);
  r = Get(zy, base + "?insuranceType=110&from=2023-06&to=202312");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("months").as_array().size(), 6u);
  EXPECT_EQ(r.obj().at("gaps").as_array().size(), 1u);
  const auto& m0 = r.obj().at("months").at(0).as_object();
  EXPECT_EQ(m0.at("period").as_int64(), 202306);
  EXPECT_EQ(m0.at("baseFen").as_int64(), 400000);
  EXPECT_EQ(m0.at("personalFen").as_int64(), 32000);
  EXPECT_EQ(m0.at("unitFen").as_int64(), 64000);
  EXPECT_EQ(m0.at("unitNo"), "SB0001");
  for (const char* bad :
       {"?insuranceType=999", "?from=2023-13", "?from=202312&to=202301", "?to=abc"}) {
    Reply b = Get(zy, base + bad);
    EXPECT_EQ(b.status, 400) << bad;
    EXPECT_EQ(b.code(), "INVALID_ARGUMENT") << bad;
  }
}

TEST_P(QueryApi, Unit360AndRoster) {
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/units/" + std::to_string(u1_));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& o = r.obj();
  EXPECT_EQ(o.at("unit").at("name"), "大竹县竹海食品有限公司");
  EXPECT_EQ(o.at("unit").at("legalPerson"), "赵*");
  EXPECT_EQ(o.at("roster").at("total").as_int64(), 2);
  EXPECT_EQ(o.at("roster").at("byInsuranceType"), (json::object{{"110", 2}}));
  EXPECT_EQ(o.at("arrears").at("totalFen").as_int64(), 150000);
  EXPECT_EQ(o.at("cases").as_array().size(), 1u);
  const auto& months = o.at("contributions").at("byMonth").as_array();
  ASSERT_FALSE(months.empty());
  // 202301: both persons paid: (32000 + 64000) + (24000 + 48000).
  EXPECT_EQ(months[0].at("period").as_int64(), 202301);
  EXPECT_EQ(months[0].at("persons").as_int64(), 2);
  EXPECT_EQ(months[0].at("totalFen").as_int64(), 168000);

  // The 竹阳 clerk sees the unit but only the persons in scope.
  Client zy = Login("clerk_zhuyang");
  r = Get(zy, "/api/v1/datacenter/units/" + std::to_string(u1_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("roster").at("total").as_int64(), 1);
  EXPECT_FALSE(r.obj().contains("cases"));
  r = Get(zy, "/api/v1/datacenter/units/" + std::to_string(u1_) + "/roster");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 1);
  const auto& item = r.obj().at("items").at(0).as_object();
  EXPECT_EQ(item.at("personId").as_int64(), p1_);
  EXPECT_EQ(json::value_to<std::string>(item.at("idNumber")), MaskIdNumber(id1_));
  EXPECT_EQ(item.at("insuranceTypes"), json::array{"110"});
  EXPECT_EQ(item.at("since"), "2015-06-01");
  r = Get(leader, "/api/v1/datacenter/units/" + std::to_string(u1_) + "/roster?size=1&page=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("total").as_int64(), 2);
  EXPECT_EQ(r.obj().at("items").at(0).at("personId").as_int64(), p2_);
  EXPECT_EQ(Get(leader, "/api/v1/datacenter/units/x").status, 400);
  EXPECT_EQ(Get(leader, "/api/v1/datacenter/units/1/roster?size=201").status, 400);
}

TEST_P(QueryApi, DomainQueriesWithScopeAndFilters) {
  Client leader = Login("leader");
  std::string base = "/api/v1/datacenter/domain/shebao?entity=contribution";
  Reply r = Get(leader, base);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 13);
  EXPECT_EQ(r.obj().at("totalCapped"), false);
  EXPECT_EQ(r.obj().at("entity"), "contribution");
  EXPECT_EQ(r.body.find(id1_), std::string::npos);
  r = Get(leader, base + "&division=" + kBaita);
  EXPECT_EQ(r.obj().at("total").as_int64(), 3);
  r = Get(leader, base + "&q=" + Enc(id2_.substr(0, 17) + "  " + id2_.substr(17)));
  EXPECT_EQ(r.obj().at("total").as_int64(), 3);
  r = Get(leader, base + "&q=" + Enc("张三丰"));
  EXPECT_EQ(r.obj().at("total").as_int64(), 10);
  r = Get(leader, base + "&from=2023-06&to=202309&size=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("total").as_int64(), 3);  // 06, 07, 09
  EXPECT_EQ(r.obj().at("items").as_array().size(), 2u);
  const auto& row = r.obj().at("items").at(0).as_object();
  EXPECT_EQ(row.at("name"), "张三丰");
  EXPECT_EQ(json::value_to<std::string>(row.at("idNumber")), MaskIdNumber(id1_));
  // Default entity (enrolment) and other domains.
  r = Get(leader, "/api/v1/datacenter/domain/shebao");
  EXPECT_EQ(r.obj().at("entity"), "enrolment");
  EXPECT_EQ(r.obj().at("total").as_int64(), 2);
  r = Get(leader, "/api/v1/datacenter/domain/jiancha?q=" + Enc("竹海"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 1);
  r = Get(leader, "/api/v1/datacenter/domain/jiancha?from=2025-04-01");
  EXPECT_EQ(r.obj().at("total").as_int64(), 0);

  // The 竹阳 clerk: own township only; no 监察 permission.
  Client zy = Login("clerk_zhuyang");
  r = Get(zy, base);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 10);
  r = Get(zy, base + "&division=" + kBaita);
  EXPECT_EQ(r.obj().at("total").as_int64(), 0);
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/domain/jiancha").status, 403);
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/domain/jiuye").status, 200);

  for (const char* bad :
       {"/api/v1/datacenter/domain/nope", "/api/v1/datacenter/domain/shebao?size=201",
        "/api/v1/datacenter/domain/shebao?size=0", "/api/v1/datacenter/domain/shebao?page=x",
        "/api/v1/datacenter/domain/shebao?division=123",
        "/api/v1/datacenter/domain/shebao?entity=case",
        "/api/v1/datacenter/domain/shebao?entity=contribution&from=2023-13",
        "/api/v1/datacenter/domain/jiancha?from=2025-02-30",
        "/api/v1/datacenter/domain/shebao?page=1000&size=200"}) {
    r = Get(leader, bad);
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(r.code(), "INVALID_ARGUMENT") << bad;
  }
}

TEST_P(QueryApi, BadInputIsClearJson) {
  Client leader = Login("leader");
  for (const std::string& t :
       {std::string("/api/v1/datacenter/search"), std::string("/api/v1/datacenter/search?q="),
        "/api/v1/datacenter/search?q=" + std::string(65, 'A'),
        std::string("/api/v1/datacenter/search?q=abc&size=51"),
        std::string("/api/v1/datacenter/persons/abc"), std::string("/api/v1/datacenter/persons/0"),
        std::string("/api/v1/datacenter/persons/-3"),
        std::string("/api/v1/datacenter/persons/99999999999999999999")}) {
    Reply r = Get(leader, t);
    EXPECT_EQ(r.status, 400) << t;
    EXPECT_EQ(r.code(), "INVALID_ARGUMENT") << t;
    EXPECT_FALSE(r.obj().at("message").as_string().empty()) << t;
  }
  Reply r = Get(leader, "/api/v1/datacenter/search?q=" + std::string(65, 'A'));
  EXPECT_NE(std::string(r.obj().at("message").as_string()).find("q"), std::string::npos);
}

TEST_P(QueryApi, ExportWithApproval) {
  Client zy = Login("clerk_zhuyang");
  Client leader = Login("leader");
  // Bad requests.
  EXPECT_EQ(Post(zy, "/api/v1/datacenter/exports", json::object{{"domain", "shebao"}}).status,
            400);  // no reason
  EXPECT_EQ(
      Post(zy, "/api/v1/datacenter/exports",
           json::object{
               {"domain", "shebao"}, {"reason", "核对"}, {"filters", json::object{{"bogus", 1}}}})
          .status,
      400);
  EXPECT_EQ(Post(zy, "/api/v1/datacenter/exports",
                 json::object{{"domain", "jiancha"}, {"reason", "核对"}})
                .status,
            403);  // no jiancha read right
  EXPECT_EQ(Post(leader, "/api/v1/datacenter/exports",
                 json::object{{"domain", "shebao"}, {"reason", "核对"}})
                .status,
            403);  // no export:request

  Reply r = Post(zy, "/api/v1/datacenter/exports",
                 json::object{{"domain", "shebao"},
                              {"filters", json::object{{"entity", "contribution"}}},
                              {"reason", "核对本街道 2023 年缴费"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.obj().at("status"), "pending");
  std::string id = std::to_string(r.obj().at("id").as_int64());
  std::string path = "/api/v1/datacenter/exports/" + id;
  // Not yet approved; clerks cannot approve.
  EXPECT_EQ(Get(zy, path + "/download").status, 422);
  EXPECT_EQ(Post(zy, path + "/approve").status, 403);
  // Lists: own for the requester, all for the approver.
  EXPECT_EQ(Get(zy, "/api/v1/datacenter/exports").obj().at("total").as_int64(), 1);
  EXPECT_EQ(Get(leader, "/api/v1/datacenter/exports?status=pending").obj().at("total").as_int64(),
            1);
  Client bt = Login("clerk_baita");
  EXPECT_EQ(Get(bt, "/api/v1/datacenter/exports").obj().at("total").as_int64(), 0);

  r = Post(leader, path + "/approve", json::object{{"note", "同意"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("status"), "approved");
  EXPECT_EQ(r.obj().at("approver"), "leader");
  EXPECT_EQ(Post(leader, path + "/approve").status, 409);
  EXPECT_EQ(Get(bt, path + "/download").status, 404);  // not the requester

  r = Get(zy, path + "/download");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  std::string rows_header;
  for (const auto& [k, v] : r.headers) {
    if (k == "x-export-rows" || k == "X-Export-Rows") rows_header = v;
  }
  EXPECT_EQ(rows_header, "10");
  // Read the workbook back: masked values, as on screen.
  std::string file = dir_ + "/export.xlsx";
  {
    std::ofstream out(file, std::ios::binary);
    out << r.body;
  }
  auto reader = ingest::OpenXlsx(file, "");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ingest::Record rec;
  int n = 0;
  while (true) {
    auto more = (*reader)->Next(&rec);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++n;
    EXPECT_EQ(rec.Get("身份证号").value_or(""), MaskIdNumber(id1_));
    EXPECT_EQ(rec.Get("姓名").value_or(""), "张三丰");
  }
  EXPECT_EQ(n, 10);
  // Once only.
  EXPECT_EQ(Get(zy, path + "/download").status, 422);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.export.request' AND "
                  "object_id = ? AND username = 'clerk_zhuyang'",
                  {id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.export.approve' AND "
                  "object_id = ? AND username = 'leader'",
                  {id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.export.download' AND "
                  "object_id = ? AND detail LIKE '%\"rows\":10%'",
                  {id}),
            1);
  EXPECT_EQ(Count("SELECT row_count FROM dc_export_request WHERE id = ?", {id}), 10);

  // Self-approval is refused even for a user who may both request and approve.
  {
    auto roles = id_->roles.List();
    ASSERT_TRUE(roles.ok());
    for (auto role : *roles) {
      if (role.code != "leader") continue;
      role.permissions.push_back(query::kExportRequest);
      std::sort(role.permissions.begin(), role.permissions.end());
      ASSERT_TRUE(id_->roles.Upsert(role).ok());
    }
    id_->authenticator.ForgetAll();
  }
  Client leader2 = Login("leader");
  r = Post(leader2, "/api/v1/datacenter/exports",
           json::object{{"domain", "jiancha"}, {"reason", "年度统计"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string own = "/api/v1/datacenter/exports/" + std::to_string(r.obj().at("id").as_int64());
  r = Post(leader2, own + "/approve", json::object{{"note", "自批"}});
  EXPECT_EQ(r.status, 403) << r.body;
  // Rejection needs a note; a rejected export cannot be downloaded.
  Client head = Login("head_shebao");
  r = Post(head, "/api/v1/datacenter/exports",
           json::object{{"domain", "jubao"}, {"reason", "抽查"}});
  ASSERT_EQ(r.status, 201);
  std::string rej = "/api/v1/datacenter/exports/" + std::to_string(r.obj().at("id").as_int64());
  EXPECT_EQ(Post(leader2, rej + "/reject").status, 400);
  r = Post(leader2, rej + "/reject", json::object{{"note", "理由不充分"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("status"), "rejected");
  EXPECT_EQ(Get(head, rej + "/download").status, 422);
}

TEST_P(QueryApi, UnmaskThroughPiiRouteWithinScope) {
  Client head = Login("head_shebao");
  ASSERT_EQ(Post(head, "/api/v1/auth/reauth",
                 json::object{{"password", identity::testing::kDemoPassword}})
                .status,
            204);
  json::object body{{"objectType", "dc_person"},
                    {"objectId", std::to_string(p1_)},
                    {"field", "idNumber"},
                    {"reason", "核对参保身份"}};
  Reply r = Post(head, "/api/v1/pii/unmask", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("value").as_string(), id1_);
  body["field"] = "mobile";
  r = Post(head, "/api/v1/pii/unmask", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("value").as_string(), "13812345678");
  // A person the caller may not see (known to 监察 only): not found.
  body["objectId"] = std::to_string(p3_);
  EXPECT_EQ(Post(head, "/api/v1/pii/unmask", body).status, 404);
  body["objectId"] = "abc";
  EXPECT_EQ(Post(head, "/api/v1/pii/unmask", body).status, 400);
  // Without pii:unmask.
  Client zy = Login("clerk_zhuyang");
  body["objectId"] = std::to_string(p1_);
  EXPECT_EQ(Post(zy, "/api/v1/pii/unmask", body).status, 403);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'pii.unmask' AND success = 1 AND "
                  "username = 'head_shebao'"),
            2);
}

// GET /conflicts and POST /conflicts/{id}/resolve apply the caller's data
// scope: a person's conflicts only for callers who may see that person.
TEST_P(QueryApi, ConflictsFollowPersonVisibility) {
  auto conflict = [&](int64_t pid) {
    auto r = c_->Exec(
        "INSERT INTO dc_person_conflict (person_id, field, values_json, status, created_at_ms) "
        "VALUES (?, 'birth_date', ?, 'open', ?)",
        {pid,
         std::string(R"([{"system":"shebao","value":"1980-03-05"},)"
                     R"({"system":"jubao","value":"1980-03-06"}])"),
         clock_.NowMillis()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return c_->LastInsertId();
  };
  int64_t c1 = conflict(p1_);  // 竹阳, shebao + jubao
  int64_t c2 = conflict(p2_);  // 白塔, shebao
  int64_t c3 = conflict(p3_);  // 竹阳, known to 监察 only
  auto ids = [](const Reply& r) {
    std::vector<int64_t> out;
    for (const auto& it : r.obj().at("items").as_array()) out.push_back(it.at("id").as_int64());
    return out;
  };
  // Give the township clerks conflict permission (their scopes stay 本乡镇).
  auto roles = id_->roles.List();
  ASSERT_TRUE(roles.ok());
  for (identity::Role role : *roles) {
    if (role.code != "counter_clerk") continue;
    role.permissions.push_back("datacenter:conflict:resolve");
    std::sort(role.permissions.begin(), role.permissions.end());
    ASSERT_TRUE(id_->roles.Upsert(role).ok());
  }
  id_->authenticator.ForgetAll();
  Client zy = Login("clerk_zhuyang");
  Reply r = Get(zy, "/api/v1/datacenter/conflicts?status=open");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids(r), V{c1});
  EXPECT_EQ(r.obj().at("total").as_int64(), 1);
  EXPECT_EQ(r.obj().at("items").as_array()[0].at("personName"), "张三丰");
  EXPECT_EQ(r.body.find("李四"), std::string::npos);
  // Resolving a 白塔 person's conflict: not found, nothing changes.
  json::object fix{{"value", "1985-01-02"}, {"note", "核对"}};
  r = Post(zy, "/api/v1/datacenter/conflicts/" + std::to_string(c2) + "/resolve", fix);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person_conflict WHERE id = ? AND status = 'open'", {c2}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person WHERE id = ? AND birth_date = '1985-01-01'",
                  {p2_}),
            1);
  // Nor one known to 监察 only (not in the clerk's domains).
  r = Post(zy, "/api/v1/datacenter/conflicts/" + std::to_string(c3) + "/resolve", fix);
  EXPECT_EQ(r.status, 404) << r.body;
  // The 白塔 clerk sees and resolves the 白塔 one only.
  Client bt = Login("clerk_baita");
  r = Get(bt, "/api/v1/datacenter/conflicts");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids(r), V{c2});
  r = Post(bt, "/api/v1/datacenter/conflicts/" + std::to_string(c1) + "/resolve",
           json::object{{"value", "1980-03-05"}});
  EXPECT_EQ(r.status, 404) << r.body;
  r = Post(bt, "/api/v1/datacenter/conflicts/" + std::to_string(c2) + "/resolve", fix);
  EXPECT_EQ(r.status, 204) << r.body;
  r = Get(bt, "/api/v1/datacenter/conflicts?status=resolved");
  EXPECT_EQ(ids(r), V{c2});
  // head_shebao (社保/居保/机保 county-wide): 竹阳 and 白塔, not the 监察-only person.
  Client head = Login("head_shebao");
  r = Get(head, "/api/v1/datacenter/conflicts?status=open");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ids(r), V{c1});
  EXPECT_EQ(r.obj().at("total").as_int64(), 1);
  r = Get(head, "/api/v1/datacenter/conflicts?status=resolved");
  EXPECT_EQ(ids(r), V{c2});
  // A deleted source record no longer makes the person visible.
  DB_ASSERT_OK(
      c_->Exec("UPDATE dc_person_source SET deleted = 1 WHERE person_id = ?", {p1_}).status());
  r = Get(head, "/api/v1/datacenter/conflicts?status=open");
  EXPECT_TRUE(ids(r).empty()) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 0);
}

HRSS_INSTANTIATE_DB_TEST(QueryApi);

}  // namespace
}  // namespace hrss::datacenter
