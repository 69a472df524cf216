// Collection end to end on SQLite and MariaDB: the dialects' dirt, idempotent
// re-collection (row counts and content checksums), deletions, late updates,
// orphan units, cross-system conflicts, quarantine fix + reprocess, the push
// endpoint, permissions, and a SIGKILL in the middle of a batch.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "core/crypto.h"
#include "core/ids.h"
#include "db/options.h"
#include "ingest/reader.h"
#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/identity/identity_test_util.h"
#include "sim/jiuye_server.h"

namespace hrss::datacenter {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using identity::testing::IdentityApiTest;
using identity::testing::Reply;

// No simulator run and no scheduler thread inside this test binary: tests
// run jobs explicitly (the demo's collection is exercised by e2e).
const bool kEnvSet = [] {
  setenv("HRSS_DATACENTER_DEMO_SOURCES", "0", 1);
  setenv("HRSS_DATACENTER_SCHEDULER", "0", 1);
  return true;
}();

std::string Id(std::string first17) { return first17 + IdCheckChar(first17); }

// A valid ID whose check character is 'X' (for the lower-case x dirt).
std::string IdWithX() {
  for (int seq = 100; seq < 999; ++seq) {
    std::string f = "51172419850615" + std::to_string(seq);
    if (IdCheckChar(f) == 'X') return f + "X";
  }
  return "";
}

std::string Gbk(const std::string& utf8) {
  auto r = ingest::FromUtf8(utf8, ingest::Encoding::kGbk);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

void WriteFile(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Every standardized table's content, ordered by (src_system, src_key),
// without ids, batch ids, timestamps and ciphertexts (random nonces).
std::string Checksum(db::Connection& conn) {
  std::string all;
  auto dump = [&](const std::string& sql) {
    auto rows = conn.Query(sql);
    EXPECT_TRUE(rows.ok()) << sql << rows.status().ToString();
    if (!rows.ok()) return;
    for (const auto& r : *rows) {
      for (size_t i = 0; i < r.size(); ++i) all += r.at(i).AsText().value_or("NULL") + "|";
      all += "\n";
    }
  };
  for (const TableSpec& spec : AllSpecs()) {
    std::string cols = "src_system, src_key, row_hash, deleted";
    for (const char* c : spec.columns) {
      std::string_view n = c;
      if (n == "person_id" || n == "unit_id" || n == "mobile_enc") continue;
      cols += std::string(", ") + c;
    }
    dump("SELECT " + cols + " FROM " + spec.name + " ORDER BY src_system, src_key");
  }
  dump("SELECT id_number, name, gender, birth_date, division_code, source_count, conflict_count, "
       "golden_system FROM dc_person ORDER BY id_number");
  dump("SELECT credit_code, unit_no, name, unit_type, industry, division_code, status, "
       "source_count FROM dc_unit ORDER BY credit_code, unit_no, name");
  dump("SELECT p.id_number, c.field, c.values_json, c.status FROM dc_person_conflict c JOIN "
       "dc_person p ON p.id = c.person_id ORDER BY p.id_number, c.field");
  dump("SELECT src_system, stream, line, reason_code, status FROM dc_quarantine ORDER BY "
       "src_system, stream, line");
  return Sm3Hex(all) + " (" + std::to_string(all.size()) + " bytes)";
}

const std::string kId1 = Id("51172419800305001");
const std::string kId3 = IdWithX();
const std::string kId4 = Id("51172419900102002");
const std::string kId6 = Id("51172419700101003");
const std::string kId7 = Id("51172419700101005");
const std::string kId8 = Id("51172419600101006");
const std::string kId15 = "511724800101007";  // 15-digit, 1980-01-01
const std::string kId15As18 = Id("51172419800101007");

std::string BadCheck(const std::string& id) {
  std::string s = id;
  s[17] = s[17] == '1' ? '2' : '1';
  return s;
}

std::string FullWidth(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    char32_t cp = static_cast<char32_t>(0xFF00 + (c - 0x20));
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

class CollectTest : public IdentityApiTest {
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
  }

  int64_t Count(const std::string& sql, const db::Params& params = {}) {
    auto conn = platform_->db().Acquire();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->QueryOne(sql, params);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql << " " << r.status().ToString();
    return r.ok() && r->has_value() ? (*r)->GetInt64(0) : -1;
  }
  std::string Text(const std::string& sql, const db::Params& params = {}) {
    auto conn = platform_->db().Acquire();
    auto r = (*conn)->QueryOne(sql, params);
    EXPECT_TRUE(r.ok() && r->has_value()) << sql;
    return r.ok() && r->has_value() ? (*r)->GetText(0) : "";
  }
  std::string Sum() {
    auto conn = platform_->db().Acquire();
    return Checksum(**conn);
  }
  // Every dc_* index of the database: name → its columns in order ("a,b").
  std::map<std::string, std::string> IndexColumns(db::Connection& c) {
    auto rows = c.Query(
        is_sqlite()
            ? "SELECT m.name, group_concat(i.name, ',') FROM sqlite_master m, "
              "pragma_index_info(m.name) i WHERE m.type = 'index' AND m.name LIKE 'dc!_%' "
              "ESCAPE '!' GROUP BY m.name"
            : "SELECT index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ',') "
              "FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
              "index_name LIKE 'dc!_%' ESCAPE '!' GROUP BY index_name");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::map<std::string, std::string> out;
    if (rows.ok()) {
      for (const auto& r : *rows) out[r.GetText(0)] = r.GetText(1);
    }
    return out;
  }

  Job GetJob(const std::string& code) {
    auto j = coll_->jobs.GetByCode(code);
    EXPECT_TRUE(j.ok() && j->has_value()) << code;
    return **j;
  }
  Batch Run(const std::string& code, CollectOptions o = {}) {
    auto b = coll_->RunNow(GetJob(code), "cli", "test", o);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    if (!b.ok()) return {};
    EXPECT_EQ(b->status, "succeeded") << code << ": " << b->error;
    return *b;
  }

  // 居保 day 1 and 2 with every kind of dirt of that dialect.
  void WriteJubao() {
    const std::string head = "个人编号,姓名,性别,身份证号,出生日期,乡镇,村组,参保状态,参保日期,联系电话,操作\r\n";
    std::string d1 = head;
    d1 += "JB0000000001,张三,男," + kId1 + ",1980-03-05,竹阳街道,一组,正常缴费,2015-01-01,13800000001,I\r\n";
    d1 += "JB0000000002,\"李 四\",1, " + kId15 + " ,,白塔街道,,正常缴费,2016-05-01,,I\r\n";
    d1 += "JB0000000003,王五,女性," + std::string(kId3.substr(0, 17)) + "x,1985年6月15日,乌木镇,,正常缴费,2016.05.01,,I\r\n";
    d1 += "JB0000000004,赵六,2," + FullWidth(kId4) + ",1990/1/2,,,暂停,20160101,,I\r\n";
    d1 += "JB0000000005,钱七,男," + BadCheck(kId6) + ",1970-01-01,竹阳街道,,正常缴费,2016-01-01,,I\r\n";
    d1 += "JB0000000006,孙八,男," + kId6 + ",2023-02-30,竹阳街道,,正常缴费,2016-01-01,,I\r\n";
    d1 += "JB0000000007,周九,男," + kId7 + ",1970-01-01,竹阳街道,,未知状态,2016-01-01,,I\r\n";
    d1 += "JB0000000001,张三,男," + kId1 + ",1980-03-05,竹阳街道,一组,正常缴费,2015-01-01,13800000001,I\r\n";
    WriteFile(src_ + "/jubao/cbry_d01.csv", Gbk(d1));
    std::string d2 = head;
    d2 += "JB0000000001,张三丰,男," + kId1 + ",1980-03-05,竹阳街道,一组,正常缴费,2015-01-01,13800000001,U\r\n";
    d2 += "JB0000000002,李四,1," + kId15 + ",,白塔街道,,正常缴费,2016-05-01,,D\r\n";
    WriteFile(src_ + "/jubao/cbry_d02.csv", Gbk(d2));
    std::string jf = "流水号,个人编号,身份证号,缴费年度,缴费档次,个人缴费,政府补贴,集体补助,到账日期,操作\r\n";
    jf += "JF001,JB0000000001," + kId1 + ",2024,200,\"1,000.00\",30.00,0,2024-03-01,I\r\n";
    jf += "JF002,JB0000000001," + kId1 + ",2025,200," + FullWidth("200.00") + ",30,,2025-03-01,I\r\n";
    jf += "JF003,JB0000000001," + kId1 + ",2026,200,12..5,30,,2026-03-01,I\r\n";
    jf += "JF004,JB0000000008," + kId8 + ",2025,100,100.00,30,,,I\r\n";
    WriteFile(src_ + "/jubao/jfmx_d01.csv", Gbk(jf));
    std::string ff = "流水号,个人编号,身份证号,发放年月,基础养老金,个人账户养老金,发放金额,发放状态,操作\r\n";
    ff += "FF001,JB0000000001," + kId1 + ",2025-01,150,20.50,170.50,已发放,I\r\n";
    ff += "FF002,JB0000000001," + kId1 + ",202502,150,20.50,170.50,退回,I\r\n";
    WriteFile(src_ + "/jubao/dyff_d01.csv", Gbk(ff));
  }

  // Runs `sql` (one statement or several) on the 社保 source database at `path`.
  Status ExecSource(const std::string& path, const std::string& sql) {
    db::Options o;
    o.sqlite_path = path;
    HRSS_ASSIGN_OR_RETURN(auto conn, db::Connect(o));
    return conn->ExecScript(sql);
  }

  // A 社保 source database (SQLite) with the 金保工程 tables.
  std::string WriteShebao() {
    std::string path = src_ + "/shebao/shebao.db";
    fs::create_directories(src_ + "/shebao");
    Status st = ExecSource(path,
        "CREATE TABLE ab01 (aab001 TEXT PRIMARY KEY, aab003 TEXT, aab004 TEXT, aab019 TEXT, "
        "aab022 TEXT, aab301 TEXT, aab013 TEXT, aae036 TEXT, aae100 TEXT);"
        "CREATE TABLE ac01 (aac001 TEXT PRIMARY KEY, aac002 TEXT, aac003 TEXT, aac004 TEXT, "
        "aac006 INTEGER, aab301 TEXT, aae005 TEXT, aae036 TEXT, aae100 TEXT);"
        "CREATE TABLE ac02 (aac001 TEXT, aab001 TEXT, aae140 TEXT, aac008 TEXT, aac030 INTEGER, "
        "aae036 TEXT, aae100 TEXT, PRIMARY KEY (aac001, aae140));"
        "CREATE TABLE ac43 (aaz223 TEXT PRIMARY KEY, aac001 TEXT, aab001 TEXT, aae140 TEXT, "
        "aae003 INTEGER, aac040 REAL, aae020 REAL, aae022 REAL, aae078 TEXT, aae036 TEXT, aae100 "
        "TEXT);"
        "CREATE TABLE ab07 (aaz288 TEXT PRIMARY KEY, aab001 TEXT, aae140 TEXT, aae003 INTEGER, "
        "aae019 REAL, aae036 TEXT, aae100 TEXT);"
        "CREATE TABLE ac84 (aaz220 TEXT PRIMARY KEY, aac001 TEXT, aaa036 TEXT, aae002 INTEGER, "
        "aae019 REAL, aae117 TEXT, aae036 TEXT, aae100 TEXT);"
        "INSERT INTO ab01 VALUES ('U001', '91350200776049653A', '竹阳机械厂', '10', 'C', "
        "'511724001', '陈一', '20250101090000', '1');"
        "INSERT INTO ac01 VALUES ('S001', '" + kId1 + "', '张三', '1', 19800306, '511724001', "
        "'13900000001', '20250101090000', '1');"
        "INSERT INTO ac01 VALUES ('S002', '" + kId4 + "', '赵六', '2', 19900102, '', '', "
        "'20250101090000', '1');"
        "INSERT INTO ac02 VALUES ('S001', 'U001', '110', '1', 20150101, '20250101090000', '1');"
        "INSERT INTO ac43 VALUES ('C1', 'S001', 'U001', '110', 202401, 3000.0, 240.0, 480.0, '1', "
        "'20250101090000', '1');"
        "INSERT INTO ac43 VALUES ('C2', 'S001', 'U001', '110', 202402, 3000.0, 240.0, 480.0, '1', "
        "'20250101090000', '0');"
        "INSERT INTO ac43 VALUES ('C3', 'S002', 'U002', '110', 202401, 2500.5, 200.04, 400.08, '0', "
        "'20250101090000', '1');"
        "INSERT INTO ab07 VALUES ('A1', 'U001', '110', 202403, 1234.56, '20250101090000', '1');"
        "INSERT INTO ac84 VALUES ('B1', 'S001', '11', 202501, 2100.0, '1', '20250101090000', '1');"
        "INSERT INTO ac84 VALUES ('B2', 'S009', '11', 202501, 2100.0, '1', '20250101090000', '1');");
    EXPECT_TRUE(st.ok()) << st.ToString();
    Job j = GetJob("shebao-db");
    j.config["path"] = path;
    EXPECT_TRUE(coll_->jobs.Save(j, "test").ok());
    return path;
  }

  Collection* coll_ = nullptr;
  std::string src_;
};

TEST_P(CollectTest, JubaoDirtQuarantineAndIdempotence) {
  WriteJubao();
  Batch b = Run("jubao-files");
  EXPECT_EQ(b.rows_read, 16);
  EXPECT_EQ(b.rows_quarantined, 4);  // bad check digit, bad date, unknown code, bad amount
  EXPECT_EQ(b.progress_done, b.progress_total);
  // Dirt normalized: 15→18 digits, lower x, full width, spaces in names.
  EXPECT_EQ(Text("SELECT name FROM dc_person_source WHERE src_key = 'JB0000000002'"), "李四");
  EXPECT_EQ(Text("SELECT id_number FROM dc_person_source WHERE src_key = 'JB0000000002'"), kId15As18);
  EXPECT_EQ(Text("SELECT id_number FROM dc_person_source WHERE src_key = 'JB0000000003'"), kId3);
  EXPECT_EQ(Text("SELECT id_number FROM dc_person_source WHERE src_key = 'JB0000000004'"), kId4);
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person_source WHERE src_key = 'JB0000000003'"), "1985-06-15");
  EXPECT_EQ(Text("SELECT gender FROM dc_person_source WHERE src_key = 'JB0000000003'"), "2");
  // Missing township: loaded with an empty division.
  EXPECT_EQ(Text("SELECT division_code FROM dc_person_source WHERE src_key = 'JB0000000004'"), "");
  EXPECT_EQ(Text("SELECT division_code FROM dc_person WHERE id_number = ?", {kId1}), "511724001");
  // Late update wins; deletion propagates; the duplicate is loaded once.
  EXPECT_EQ(Text("SELECT name FROM dc_person WHERE id_number = ?", {kId1}), "张三丰");
  EXPECT_EQ(Count("SELECT deleted FROM dc_person_source WHERE src_key = 'JB0000000002'"), 1);
  EXPECT_EQ(Count("SELECT deleted FROM dc_enrolment WHERE src_key = 'JB0000000002'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person_source WHERE src_system = 'jubao'"), 4);
  // Persons: four from cbry and a stub for the contribution-only ID.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person"), 5);
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person WHERE id_number = ?", {kId8}), "1960-01-01");
  // Amounts in fen; yearly period YYYY01; subsidies summed.
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'JF001'"), 100000);
  EXPECT_EQ(Count("SELECT subsidy_fen FROM dc_contribution WHERE src_key = 'JF001'"), 3000);
  EXPECT_EQ(Count("SELECT period FROM dc_contribution WHERE src_key = 'JF001'"), 202401);
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'JF002'"), 20000);
  EXPECT_EQ(Text("SELECT division_code FROM dc_contribution WHERE src_key = 'JF001'"), "511724001");
  EXPECT_EQ(Count("SELECT amount_fen FROM dc_benefit_payment WHERE src_key = 'FF001'"), 17050);
  EXPECT_EQ(Text("SELECT status FROM dc_benefit_payment WHERE src_key = 'FF002'"), "refunded");
  EXPECT_EQ(Count("SELECT period FROM dc_benefit_payment WHERE src_key = 'FF002'"), 202502);
  // Quarantine reasons.
  for (const auto& [key, reason] : std::vector<std::pair<std::string, std::string>>{
           {"JB0000000005", "ID_CHECKSUM"},
           {"JB0000000006", "BAD_DATE"},
           {"JB0000000007", "UNKNOWN_CODE"},
           {"JF003", "BAD_AMOUNT"}}) {
    EXPECT_EQ(Text("SELECT reason_code FROM dc_quarantine WHERE src_key = ?", {key}), reason) << key;
  }
  EXPECT_NE(Text("SELECT reason FROM dc_quarantine WHERE src_key = 'JB0000000007'").find("enrolment_status"),
            std::string::npos);
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_quality WHERE batch_id = ?", {b.id}), 3);
  EXPECT_EQ(Count("SELECT failed FROM dc_quality WHERE batch_id = ? AND rule = 'validity.id'", {b.id}), 1);

  // Unchanged files are skipped on the next run.
  std::string first = Sum();
  Batch again = Run("jubao-files");
  EXPECT_EQ(again.rows_read, 0);
  // Re-collecting everything from the start: same rows, same content.
  {
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE((*conn)->Exec("DELETE FROM dc_checkpoint").ok());
  }
  Batch third = Run("jubao-files");
  EXPECT_EQ(third.rows_read, 16);
  EXPECT_EQ(third.rows_inserted, 0);
  EXPECT_EQ(Sum(), first);
  // A changed file is re-read from the start.
  WriteFile(src_ + "/jubao/dyff_d01.csv",
            Gbk("流水号,个人编号,身份证号,发放年月,基础养老金,个人账户养老金,发放金额,发放状态,操作\r\n"
                "FF001,JB0000000001," + kId1 + ",2025-01,150,20.50,180.50,已发放,I\r\n"));
  Batch fourth = Run("jubao-files");
  EXPECT_EQ(fourth.rows_read, 1);
  EXPECT_EQ(fourth.rows_updated, 1);
  EXPECT_EQ(Count("SELECT amount_fen FROM dc_benefit_payment WHERE src_key = 'FF001'"), 18050);
}

// Migration datacenter v6: each lineage table's unique key is (src_key,
// src_system), unique, on both dialects, and upserts still match it.
TEST_P(CollectTest, LineageKeyIndexesLeadWithTheSourceKey) {
  std::map<std::string, std::string> indexes;
  {
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE(conn.ok());
    indexes = IndexColumns(**conn);
  }
  for (const char* table :
       {"dc_person_source", "dc_unit_source", "dc_enrolment", "dc_contribution", "dc_arrears",
        "dc_benefit_entitlement", "dc_benefit_payment", "dc_employment_event", "dc_case",
        "dc_archive", "dc_institution_personnel", "dc_business_record"}) {
    const std::string index = std::string(table) + "_key";
    EXPECT_EQ(indexes[index], "src_key,src_system") << index;
    if (is_sqlite()) {
      EXPECT_EQ(Count("SELECT \"unique\" FROM pragma_index_list(?) WHERE name = ?", {table, index}),
                1)
          << index;
    } else {
      EXPECT_EQ(Count("SELECT MAX(non_unique) FROM information_schema.statistics WHERE "
                      "table_schema = DATABASE() AND table_name = ? AND index_name = ?",
                      {table, index}),
                0)
          << index;
    }
  }
  WriteJubao();
  Batch first = Run("jubao-files");
  EXPECT_GT(first.rows_inserted, 0);
  Batch again = Run("jubao-files");
  EXPECT_EQ(again.rows_inserted, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT src_system, src_key FROM dc_person_source GROUP BY "
                  "src_system, src_key HAVING COUNT(*) > 1) d"),
            0);
}

// Migration datacenter v7: on SQLite the unit indexes of contributions and
// enrolments hold only rows with a unit, and the unit queries' form
// (unit_no IN (..) AND unit_no <> '', query_unit.cc) is answered from them;
// MariaDB keeps the full indexes. Rows without a unit are still stored.
TEST_P(CollectTest, UnitIndexesLeaveOutRowsWithoutAUnit) {
  WriteJubao();
  Batch b = Run("jubao-files");
  ASSERT_EQ(b.status, "succeeded");
  EXPECT_GT(Count("SELECT COUNT(*) FROM dc_contribution WHERE unit_no = ''"), 0);
  auto conn = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok());
  auto idx = IndexColumns(**conn);
  EXPECT_EQ(idx["dc_contribution_unit"], "unit_no,period");
  EXPECT_EQ(idx["dc_enrolment_unit"], "unit_no");
  if (!is_sqlite()) return;
  for (const auto& [table, index] :
       std::vector<std::pair<std::string, std::string>>{{"dc_contribution", "dc_contribution_unit"},
                                                        {"dc_enrolment", "dc_enrolment_unit"}}) {
    EXPECT_EQ(Count("SELECT partial FROM pragma_index_list(?) WHERE name = ?", {table, index}), 1)
        << index;
    auto plan = (*conn)->Query("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM " + table +
                               " t WHERE t.unit_no IN (?, ?) AND t.unit_no <> '' AND t.deleted = 0",
                               {std::string("91511724MA62X0001A"), std::string("U0001")});
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    std::string text;
    for (const auto& r : *plan) text += r.GetText(3) + "\n";
    EXPECT_NE(text.find(index), std::string::npos) << text;
  }
}

// The loader writes leaf-table rows 32 per INSERT OR IGNORE (SQLite). A row
// that statement skips for another reason than its key (NULL in a NOT NULL
// column) fails the chunk with a clear error instead of going missing, and
// the rolled-back chunk leaves nothing; the same rows without it load whole,
// and again unchanged.
TEST_P(CollectTest, LoaderRejectsARowItCannotStore) {
  auto conn = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok());
  auto chunk = [](bool with_null) {
    std::vector<MappedRecord> records(40);
    for (size_t i = 0; i < records.size(); ++i) {
      MappedRecord& rec = records[i];
      rec.line = static_cast<int64_t>(i) + 1;
      rec.src_key = "LOADCASE" + std::to_string(1000 + i);
      StdRow row;
      row.table = TableId::kCase;
      row.src_key = rec.src_key;
      for (const char* c : Spec(TableId::kCase).columns) {
        std::string_view n = c;
        row.cols.emplace_back(n == "person_id" || n == "amount_fen" || n == "workers"
                                  ? db::Value(int64_t{0})
                                  : db::Value(std::string(n == "id_number" ? "" : "x")));
      }
      if (with_null && i == 5) row.cols[10] = db::Value();  // status, NOT NULL
      FinishRow(row);
      rec.rows.push_back(std::move(row));
    }
    return records;
  };
  ASSERT_EQ(std::string(Spec(TableId::kCase).columns[10]), "status");
  {
    ASSERT_TRUE((*conn)->Begin().ok());
    Loader loader(**conn, "jiancha", 1, 1, 1'700'000'000'000, nullptr);
    auto records = chunk(true);
    Status st = loader.Load("cases", records);
    EXPECT_FALSE(st.ok());
    if (is_sqlite()) {
      EXPECT_NE(st.message().find("dc_case"), std::string::npos) << st.ToString();
    }
    ASSERT_TRUE((*conn)->Rollback().ok());
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_case WHERE src_key LIKE 'LOADCASE%'"), 0);
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE((*conn)->Begin().ok());
    Loader loader(**conn, "jiancha", 1, 1, 1'700'000'000'000, nullptr);
    auto records = chunk(false);
    Status st = loader.Load("cases", records);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_TRUE(loader.Flush().ok());
    ASSERT_TRUE((*conn)->Commit().ok());
    EXPECT_EQ(loader.counts().inserted, round == 0 ? 40 : 0);
    EXPECT_EQ(loader.counts().unchanged, round == 0 ? 0 : 40);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_case WHERE src_key LIKE 'LOADCASE%'"), 40);
}

// 居保 payment records (one row each) with source keys PREFIX1000.. for the
// persons with these ID numbers.
std::vector<MappedRecord> PaymentRecords(const std::string& prefix,
                                         const std::vector<std::string>& ids) {
  std::vector<MappedRecord> records;
  for (size_t i = 0; i < ids.size(); ++i) {
    MappedRecord rec;
    rec.line = static_cast<int64_t>(i) + 1;
    rec.src_key = prefix + std::to_string(1000 + i);
    StdRow row;
    row.table = TableId::kBenefitPayment;
    row.src_key = rec.src_key;
    row.id_number = ids[i];
    for (const char* c : Spec(TableId::kBenefitPayment).columns) {
      std::string_view n = c;
      row.cols.emplace_back(n == "person_id" || n == "period" || n == "amount_fen"
                                ? db::Value(int64_t{n == "period" ? 202401 : 0})
                                : db::Value(std::string(n == "id_number" ? ids[i] : "x")));
    }
    FinishRow(row);
    rec.rows.push_back(std::move(row));
    records.push_back(std::move(rec));
  }
  return records;
}

// One chunk through `loader` in a transaction of its own (rolled back on
// failure), the resolver's golden records flushed before the commit.
Status LoadChunk(db::Connection& conn, Loader& loader, std::vector<MappedRecord> records) {
  HRSS_RETURN_IF_ERROR(conn.Begin());
  Status st = loader.Load("payments", records);
  if (st.ok()) st = loader.Flush();
  if (st.ok()) return conn.Commit();
  (void)conn.Rollback();
  return st;
}

// New golden persons of a chunk are created together: SQLite writes them at
// the flush, MariaDB with one multi-row INSERT .. RETURNING per 500 ahead of
// the resolve loop. Either way they get their ids in order of first use (as
// one by one would), and on MariaDB the chunk costs a few INSERT statements,
// not one per person.
TEST_P(CollectTest, NewPersonsOfAChunkAreCreatedTogether) {
  auto conn = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(Id("5117241990010" + std::to_string(1000 + i)));
  std::vector<MappedRecord> records = PaymentRecords("NEWPAY", ids);
  auto inserts = [&]() -> int64_t {
    auto r = (*conn)->QueryOne("SHOW SESSION STATUS LIKE 'Com_insert'");
    return r.ok() && r->has_value() ? std::stoll((*r)->GetText(1)) : -1;
  };
  const int64_t before = is_sqlite() ? 0 : inserts();
  Loader loader(**conn, "jubao", 1, 1, 1'700'000'000'000, nullptr);
  Status st = LoadChunk(**conn, loader, std::move(records));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(loader.counts().inserted, 60);
  if (!is_sqlite()) {
    // The persons' INSERT, the payments' array-bound INSERT, and slack.
    EXPECT_LE(inserts() - before, 4) << "one INSERT per new person";
  }
  auto rows = (*conn)->Query(
      "SELECT p.id_number FROM dc_benefit_payment t JOIN dc_person p ON p.id = t.person_id "
      "WHERE t.src_key LIKE 'NEWPAY%' ORDER BY p.id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ((*rows)[i].GetText(0), ids[i]) << i;
}

// A key that comes twice in one chunk (an increment updating a record of
// the same file) is written twice, in order: an insert, then an update to
// the later values, never two rows in one multi-row INSERT.
TEST_P(CollectTest, AKeyTwiceInOneChunkIsInsertedThenUpdated) {
  auto conn = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(Id("5117241990020" + std::to_string(1000 + i)));
  std::vector<MappedRecord> records = PaymentRecords("TWICE", ids);
  // Record 25 repeats record 5's key (same person) with another amount.
  MappedRecord again = records[5];
  again.line = 100;
  const auto& cols = Spec(TableId::kBenefitPayment).columns;
  const size_t amount = static_cast<size_t>(
      std::find_if(cols.begin(), cols.end(),
                   [](const char* c) { return std::string_view(c) == "amount_fen"; }) -
      cols.begin());
  ASSERT_LT(amount, cols.size());
  again.rows[0].cols[amount] = int64_t{12345};
  FinishRow(again.rows[0]);
  records.insert(records.begin() + 25, std::move(again));
  Loader loader(**conn, "jubao", 1, 1, 1'700'000'000'000, nullptr);
  Status st = LoadChunk(**conn, loader, std::move(records));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(loader.counts().inserted, 40);
  EXPECT_EQ(loader.counts().updated, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_benefit_payment WHERE src_key LIKE 'TWICE%'"), 40);
  EXPECT_EQ(Count("SELECT amount_fen FROM dc_benefit_payment WHERE src_key = 'TWICE1005'"), 12345);
}

// A first load's resolver (SQLite) takes an ID it has not cached for a new
// person without asking the database, since every person there is its own.
// Once another connection has written in between (here a second loader
// creating a person), it asks again: the person is found, not created twice.
TEST_P(CollectTest, FirstLoadTrustsItsPersonCacheOnlyWhileAlone) {
  auto conn = platform_->db().Acquire();
  auto other = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok() && other.ok());
  const std::string a = Id("51172419900101001"), b = Id("51172419900101002"),
                    c = Id("51172419900101003");
  Loader first(**conn, "jubao", 1, 1, 1'700'000'000'000, nullptr);
  Status st = LoadChunk(**conn, first, PaymentRecords("ALONE", {a, b}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  Loader second(**other, "shebao", 2, 2, 1'700'000'000'000, nullptr);
  st = LoadChunk(**other, second, PaymentRecords("OTHER", {c}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  st = LoadChunk(**conn, first, PaymentRecords("AGAIN", {c, a}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(first.counts().inserted, 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person"), 3);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT person_id) FROM dc_benefit_payment WHERE id_number = ?",
                  {c}),
            1);
}

// SQLite: while a first load has the unique ID-number index deferred, a
// resolver that must look persons up by ID number (its cache is not
// complete) builds it first, in its own write transaction; the first load's
// resolver then finds the persons the other one wrote instead of creating
// them again.
TEST_P(CollectTest, PersonIdIndexIsBuiltBeforeAnyLookUpByIdNumber) {
  if (!is_sqlite()) GTEST_SKIP() << "deferred on SQLite only";
  auto conn = platform_->db().Acquire();
  auto other = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok() && other.ok());
  const std::string a = Id("51172419900101001"), b = Id("51172419900101002"),
                    c = Id("51172419900101003");
  auto indexed = [&] {
    return Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'dc_person_idno'") == 1;
  };
  // The first load's first chunk: indexes of the empty tables deferred.
  Loader first(**conn, "jubao", 1, 1, 1'700'000'000'000, nullptr);
  ASSERT_TRUE((*conn)->Begin().ok());
  Status st = DeferIndexes(**conn);
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto records = PaymentRecords("FIRST", {a, b});
  st = first.Load("s", records);
  if (st.ok()) st = first.Flush();
  if (st.ok()) st = (*conn)->Commit();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(indexed());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_deferred_index WHERE name = 'dc_person_idno'"), 1);
  // Another system's loader: dc_person is not empty, so it looks up.
  Loader second(**other, "shebao", 2, 2, 1'700'000'000'000, nullptr);
  st = LoadChunk(**other, second, PaymentRecords("OTHER", {c, a}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(indexed());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_deferred_index WHERE name = 'dc_person_idno'"), 0);
  // The first load goes on: c exists now and is found.
  st = LoadChunk(**conn, first, PaymentRecords("AGAIN", {c, b}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person"), 3);
  for (const std::string& id : {a, b, c}) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person WHERE id_number = ?", {id}), 1) << id;
  }
  // A rebuild of what is left builds the rest; the unique index is there.
  st = RestoreDeferredIndexes(**conn);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(IndexColumns(**conn)["dc_person_idno"], "id_number");
}

// Rebuilding recorded indexes builds them as recorded and forgets them; on
// SQLite the builds sort with their own settings (a 32 MiB page cache,
// temporary files, worker threads) and the connection's own are put back.
TEST_P(CollectTest, RestoreDeferredIndexesBuildsThemAndPutsTheSettingsBack) {
  auto conn = platform_->db().Acquire();
  ASSERT_TRUE(conn.ok());
  db::Connection& c = **conn;
  ASSERT_TRUE(c.Exec(std::string(is_sqlite() ? "DROP INDEX dc_case_person"
                                             : "DROP INDEX dc_case_person ON dc_case"))
                  .ok());
  ASSERT_TRUE(c.Exec("INSERT INTO dc_deferred_index (name, table_name, sql_text) VALUES "
                     "('dc_case_person', 'dc_case', 'CREATE INDEX IF NOT EXISTS dc_case_person "
                     "ON dc_case (person_id)')")
                  .ok());
  const std::vector<std::pair<std::string, int64_t>> mine = {
      {"cache_size", -100000}, {"temp_store", 2}, {"threads", 0}};
  if (is_sqlite()) {
    for (const auto& [pragma, value] : mine) {
      ASSERT_TRUE(c.Exec("PRAGMA " + pragma + " = " + std::to_string(value)).ok());
    }
  }
  std::vector<std::string> built;
  Status st = RestoreDeferredIndexes(
      c, [&](size_t, size_t, const std::string& name) { built.push_back(name); });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(built, std::vector<std::string>{"dc_case_person"});
  EXPECT_EQ(IndexColumns(c)["dc_case_person"], "person_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_deferred_index"), 0);
  if (!is_sqlite()) return;
  for (const auto& [pragma, value] : mine) {
    auto now = c.QueryOne("PRAGMA " + pragma);
    ASSERT_TRUE(now.ok() && now->has_value()) << pragma;
    EXPECT_EQ((*now)->GetInt64(0), value) << pragma;
  }
}

// A first load rebuilds its deferred indexes at the end: the batch says which
// one it builds, and a side connection keeps its heartbeat fresh, so a
// rebuild longer than the 30 s stale limit does not get the batch taken for
// dead (and the job started a second time).
TEST_P(CollectTest, IndexRebuildKeepsTheBatchAlive) {
  WriteJubao();
  std::vector<std::string> rebuilding;
  int64_t before = -1, after = -1, marked_stale = -1;
  CollectOptions o;
  o.heartbeat_every_ms = 20;
  o.on_progress = [&](const Batch& b) {
    if (b.current_stream.rfind("重建索引 ", 0) != 0) return;
    rebuilding.push_back(b.current_stream);
    if (rebuilding.size() != 1) return;
    // As if this index took a minute to build.
    before = Count("SELECT heartbeat_ms FROM dc_batch WHERE id = ?", {b.id});
    clock_.Advance(std::chrono::seconds(60));
    for (int i = 0; i < 200 && after != before + 60000; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      after = Count("SELECT heartbeat_ms FROM dc_batch WHERE id = ?", {b.id});
    }
    auto n = coll_->jobs.MarkStaleBatches();
    marked_stale = n.ok() ? *n : -1;
  };
  Batch b = Run("jubao-files", o);
  ASSERT_FALSE(rebuilding.empty());
  EXPECT_NE(rebuilding.front().find("/"), std::string::npos) << rebuilding.front();
  bool person_name = false;
  for (const auto& s : rebuilding)
    person_name = person_name || s.find("dc_person_name") != std::string::npos;
  EXPECT_TRUE(person_name);
  EXPECT_EQ(after, before + 60000);
  EXPECT_EQ(marked_stale, 0);
  EXPECT_EQ(b.status, "succeeded");
  EXPECT_EQ(Text("SELECT current_stream FROM dc_batch WHERE id = ?", {b.id}).rfind("重建索引", 0),
            std::string::npos);
}

// A source table pulled for the first time is read as a snapshot in
// primary-key order; its checkpoint then holds the key. When the snapshot
// ends, the stream goes on by change time from MAX(aae036) at the
// snapshot's start, rows at that second included: a row the snapshot had
// passed and that changed within that second is still picked up.
TEST_P(CollectTest, ShebaoFirstPullIsASnapshotThenByChangeTime) {
  WriteJubao();
  Run("jubao-files");
  std::string path = WriteShebao();
  const int64_t job = GetJob("shebao-db").id;
  auto checkpoint = [&](const char* stream) {
    return Text("SELECT position_json FROM dc_checkpoint WHERE job_id = ? AND stream = ?",
                {job, std::string(stream)});
  };
  Batch first = Run("shebao-db");
  EXPECT_EQ(first.rows_read, 10);
  EXPECT_EQ(checkpoint("ac43"), R"({"aae036":"20250101090000","key":[]})");
  // As if the snapshot had been stopped after C1.
  {
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->Exec("UPDATE dc_checkpoint SET position_json = ?, done = 0 WHERE job_id = ? "
                           "AND stream = 'ac43'",
                           {std::string(R"({"snapshot":true,"hw":"20250101090000","key":["C1"]})"), job})
                    .ok());
  }
  // C1 changes within the snapshot's second, after the snapshot passed it.
  ASSERT_TRUE(ExecSource(path, "UPDATE ac43 SET aae020 = 260.0 WHERE aaz223 = 'C1'").ok());
  Batch resumed = Run("shebao-db");
  // C2 and C3 (after C1), and the other tables' 7 rows at their watermark's second.
  EXPECT_EQ(resumed.rows_read, 2 + 7);
  EXPECT_EQ(resumed.rows_updated, 0);
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'C1'"), 24000);
  EXPECT_EQ(checkpoint("ac43"), R"({"aae036":"20250101090000","key":[]})");
  Batch next = Run("shebao-db");
  EXPECT_EQ(next.rows_updated, 1);
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'C1'"), 26000);
  // Two new payments of unknown persons in a later pull: each is its own
  // quarantine item (the item's key is job, stream and line: a pull's line
  // must not be its position in that pull, which an earlier item holds).
  ASSERT_TRUE(ExecSource(path,
                         "INSERT INTO ac84 VALUES ('B3', 'S008', '11', 202502, 2100.0, '1', "
                         "'20250301090000', '1');"
                         "INSERT INTO ac84 VALUES ('B4', 'S007', '11', 202502, 2100.0, '1', "
                         "'20250301090000', '1');")
                  .ok());
  Run("shebao-db");
  Batch later = Run("shebao-db");
  EXPECT_EQ(later.rows_read, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE stream = 'ac84'"), 3);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT src_key) FROM dc_quarantine WHERE stream = 'ac84'"), 3);
}

// The 就业 HTTP pull numbers its records like the database pull: by their id,
// not their position in the pull. A bad person first in a later pull must
// not take the item of the bad person first in the earlier one.
TEST_P(CollectTest, JiuyePullKeepsEveryBadRecordAcrossPulls) {
  const std::string dir = src_ + "/jiuye-src";
  WriteFile(dir + "/manifest.json", R"({"jiuye":{"api_key":"k-test"}})");
  auto person = [](const char* id, int64_t at, const std::string& sfzh) {
    return std::string(R"({"id":")") + id + R"(","updated_at":)" + std::to_string(at) +
           R"(,"deleted":false,"sfzh":")" + sfzh +
           R"(","xm":"测试","xb":"F","csrq":"1980-03-05","xzqh":"511724001","sjhm":""})" + "\n";
  };
  for (const char* kind : {"units", "events"}) {
    WriteFile(dir + "/jiuye/jiuye.jsonl.d/" + std::string(kind) + "_d01.jsonl", "");
  }
  WriteFile(dir + "/jiuye/jiuye.jsonl.d/persons_d01.jsonl",
            person("P1", 1000, BadCheck(kId1)) + person("P2", 2000, kId1));
  auto run = [&]() {
    auto server = sim::JiuyeServer::Start({.dir = dir});
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    if (!server.ok()) return Batch{};
    setenv("HRSS_DATACENTER_JIUYE_BASE_URL",
           ("http://127.0.0.1:" + std::to_string((*server)->port())).c_str(), 1);
    setenv("HRSS_DATACENTER_JIUYE_API_KEY", "k-test", 1);
    Batch b = Run("jiuye-http");
    (*server)->Stop();
    unsetenv("HRSS_DATACENTER_JIUYE_BASE_URL");
    unsetenv("HRSS_DATACENTER_JIUYE_API_KEY");
    return b;
  };
  Batch first = run();
  EXPECT_EQ(first.rows_read, 2);
  EXPECT_EQ(first.rows_quarantined, 1);
  // A later day: one new bad person, first (and only) in the next pull.
  WriteFile(dir + "/jiuye/jiuye.jsonl.d/persons_d02.jsonl", person("P3", 3000, BadCheck(kId4)));
  Batch second = run();
  EXPECT_EQ(second.rows_read, 1);
  EXPECT_EQ(second.rows_quarantined, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE stream = '/api/v1/persons'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT src_key) FROM dc_quarantine WHERE stream = "
                  "'/api/v1/persons'"),
            2);
  // The API shows no line for pulled records (it is a hash): their key names them.
  Client admin = Login("admin");
  Reply r = Get(admin, "/api/v1/datacenter/quarantine?status=open");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.obj().at("items").as_array().size(), 2u);
  for (const auto& item : r.obj().at("items").as_array()) {
    EXPECT_TRUE(item.at("line").is_null()) << json::serialize(item);
    EXPECT_FALSE(item.at("srcKey").as_string().empty());
  }
}

TEST_P(CollectTest, ShebaoPullOrphanUnitConflictAndIncrement) {
  WriteJubao();
  Run("jubao-files");
  std::string path = WriteShebao();
  Batch b = Run("shebao-db");
  EXPECT_EQ(b.rows_read, 10);
  EXPECT_EQ(b.rows_quarantined, 1);  // ac84 B2 refers to an unknown person
  EXPECT_EQ(Text("SELECT reason_code FROM dc_quarantine WHERE src_key = 'B2'"), "PERSON_UNKNOWN");
  // 社保 outranks 居保: golden birth date from 社保, the disagreement is flagged.
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person WHERE id_number = ?", {kId1}), "1980-03-06");
  EXPECT_EQ(Text("SELECT golden_system FROM dc_person WHERE id_number = ?", {kId1}), "shebao");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_person_conflict c JOIN dc_person p ON p.id = "
                  "c.person_id WHERE p.id_number = ? AND c.field = 'birth_date' AND c.status = "
                  "'open'",
                  {kId1}),
            1);
  // Name variants stay as source values.
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT name) FROM dc_person_source WHERE id_number = ?", {kId1}), 2);
  EXPECT_EQ(Count("SELECT deleted FROM dc_contribution WHERE src_key = 'C2'"), 1);  // aae100 = 0
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'C3'"), 20004);
  EXPECT_EQ(Text("SELECT id_number FROM dc_contribution WHERE src_key = 'C3'"), kId4);
  EXPECT_EQ(Count("SELECT amount_fen FROM dc_arrears WHERE src_key = 'A1'"), 123456);
  EXPECT_EQ(Text("SELECT division_code FROM dc_arrears WHERE src_key = 'A1'"), "511724001");
  EXPECT_EQ(Text("SELECT unit_type FROM dc_unit WHERE unit_no = 'U001'"), "enterprise");
  // Orphan: C3's unit U002 has not arrived; the row is loaded and keeps its unit number.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_contribution c JOIN dc_unit u ON u.unit_no = "
                  "c.unit_no WHERE c.src_key = 'C3'"),
            0);
  ASSERT_TRUE(ExecSource(path,
                         "INSERT INTO ab01 VALUES ('U002', '', '白塔商店', '60', 'F', "
                         "'511724003', '', '20250201090000', '1');"
                         "UPDATE ac43 SET aae020 = 250.0, aae036 = '20250201090000' "
                         "WHERE aaz223 = 'C1';")
                  .ok());
  Batch inc = Run("shebao-db");
  // Only what changed after the watermark is written. The first pull was a
  // snapshot (primary-key order); the stream then goes on by change time
  // from the snapshot's start, and reads the rows at that second again,
  // which are unchanged.
  // (B2 is among them: quarantined again, still one open item.)
  EXPECT_EQ(inc.rows_read - inc.rows_unchanged - inc.rows_quarantined, 2);
  EXPECT_EQ(inc.rows_inserted, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_quarantine WHERE src_key = 'B2'"), 1);
  EXPECT_EQ(inc.rows_updated, 1);
  EXPECT_EQ(Count("SELECT personal_fen FROM dc_contribution WHERE src_key = 'C1'"), 25000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_contribution c JOIN dc_unit u ON u.unit_no = "
                  "c.unit_no WHERE c.src_key = 'C3'"),
            1);
  // Re-collect from scratch: identical content.
  std::string before = Sum();
  {
    auto conn = platform_->db().Acquire();
    ASSERT_TRUE((*conn)->Exec("DELETE FROM dc_checkpoint").ok());
  }
  Batch re = Run("shebao-db");
  EXPECT_EQ(re.rows_inserted, 0);
  EXPECT_EQ(re.rows_updated, 0);
  EXPECT_EQ(Sum(), before);

  // Conflict resolution (head_shebao holds person:read + conflict:resolve).
  Client head = Login("head_shebao");
  Reply r = Get(head, "/api/v1/datacenter/conflicts?status=open");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_GE(r.obj().at("items").as_array().size(), 1u);
  int64_t cid = r.obj().at("items").as_array()[0].at("id").as_int64();
  r = Post(head, "/api/v1/datacenter/conflicts/" + std::to_string(cid) + "/resolve",
           json::object{{"value", "1980-03-05"}, {"note", "以身份证为准"}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person WHERE id_number = ?", {kId1}), "1980-03-05");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'datacenter.conflict.resolve'"), 1);
  Client clerk = Login("clerk_zhuyang");
  EXPECT_EQ(Get(clerk, "/api/v1/datacenter/conflicts").status, 403);
}

TEST_P(CollectTest, QuarantineFixCodeMapAndReprocess) {
  WriteJubao();
  Run("jubao-files");
  Client admin = Login("admin");
  Reply r = Get(admin, "/api/v1/datacenter/quarantine?status=open");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("total").as_int64(), 4);
  // File records name their line (the header is line 1).
  for (const auto& item : r.obj().at("items").as_array()) {
    ASSERT_TRUE(item.at("line").is_int64()) << json::serialize(item);
    EXPECT_GT(item.at("line").as_int64(), 1);
  }
  auto id_of = [&](const std::string& key) {
    return Count("SELECT id FROM dc_quarantine WHERE src_key = ?", {key});
  };
  // Unknown code: map it, then reprocess the original record.
  r = Put(admin, "/api/v1/datacenter/codemaps",
          json::object{{"system", "jubao"}, {"codeSet", "enrolment_status"}, {"srcValue", "未知状态"},
                       {"stdValue", "1"}});
  EXPECT_EQ(r.status, 204) << r.body;
  // Bad date: fix the value.
  r = Put(admin, "/api/v1/datacenter/quarantine/" + std::to_string(id_of("JB0000000006")),
          json::object{{"record", json::object{{"出生日期", "1970-01-01"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("status"), "fixed");
  EXPECT_EQ(r.obj().at("updatedBy"), "admin");
  EXPECT_EQ(r.obj().at("updatedByName"), "王建国");
  r = Post(admin, "/api/v1/datacenter/quarantine/reprocess",
           json::object{{"ids", json::array{id_of("JB0000000006"), id_of("JB0000000007"),
                                            id_of("JB0000000005")}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("reprocessed").as_int64(), 2);
  ASSERT_EQ(r.obj().at("stillFailing").as_array().size(), 1u);
  EXPECT_EQ(r.obj().at("stillFailing").as_array()[0].at("reasonCode"), "ID_CHECKSUM");
  EXPECT_EQ(Text("SELECT status FROM dc_quarantine WHERE src_key = 'JB0000000006'"), "reprocessed");
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person_source WHERE src_key = 'JB0000000006'"), "1970-01-01");
  EXPECT_EQ(Text("SELECT status FROM dc_enrolment WHERE src_key = 'JB0000000007'"), "1");
  // A bad fix stays quarantined with the new reason; nothing is written.
  int64_t before = Count("SELECT COUNT(*) FROM dc_contribution");
  r = Put(admin, "/api/v1/datacenter/quarantine/" + std::to_string(id_of("JF003")),
          json::object{{"record", json::object{{"缴费年度", "20x6"}}}});
  ASSERT_EQ(r.status, 200);
  r = Post(admin, "/api/v1/datacenter/quarantine/reprocess",
           json::object{{"ids", json::array{id_of("JF003")}}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("reprocessed").as_int64(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_contribution"), before);
  // Discard.
  r = Post(admin, "/api/v1/datacenter/quarantine/" + std::to_string(id_of("JB0000000005")) + "/discard",
           json::object{{"note", "源系统已更正"}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'datacenter.quarantine.%'"), 4);
  // Limits.
  r = Post(admin, "/api/v1/datacenter/quarantine/reprocess", json::object{{"ids", json::array{}}});
  EXPECT_EQ(r.status, 400);
}

TEST_P(CollectTest, PushEndpointSignatureAndDedup) {
  const std::string secret = coll_->PushSecret("jiuye");
  ASSERT_EQ(secret.size(), 64u);
  std::string key = *HexDecode(secret);
  const std::string id9 = Id("51172419850505009");
  json::object ev{{"eventId", "e-1"},
                  {"entity", "persons"},
                  {"op", "upsert"},
                  {"record", json::object{{"id", "P9"},
                                          {"updated_at", "1767225600000"},
                                          {"deleted", "false"},
                                          {"sfzh", id9},
                                          {"xm", "测试"},
                                          {"xb", "M"},
                                          {"csrq", "1985/5/5"},
                                          {"xzqh", "511724001"},
                                          {"sjhm", "138 0000 0009"}}}};
  std::string body = json::serialize(json::object{{"events", json::array{ev}}});
  auto call = [&](const std::string& b, int64_t ts, const std::string& sig, const std::string& app) {
    std::string t = std::to_string(ts);
    return Call(nullptr, http::Method::kPost, "/api/v1/datacenter/push/jiuye", b,
                {{"x-hrss-app-key", app},
                 {"x-hrss-timestamp", t},
                 {"x-hrss-signature", sig.empty() ? HmacSm3Hex(key, t + "\n" + b) : sig}});
  };
  int64_t now = clock_.NowMillis();
  Reply r = call(body, now, "", "push-jiuye");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.obj().at("accepted").as_int64(), 1);
  // Replayed request: the event is a duplicate.
  r = call(body, now, "", "push-jiuye");
  ASSERT_EQ(r.status, 202);
  EXPECT_EQ(r.obj().at("duplicates").as_int64(), 1);
  EXPECT_EQ(call(body, now, std::string(64, '0'), "push-jiuye").status, 401);
  EXPECT_EQ(call(body, now, "", "push-shebao").status, 401);
  EXPECT_EQ(call(body, now - 6 * 60 * 1000, "", "push-jiuye").status, 401);
  EXPECT_EQ(call("{\"events\":[{\"eventId\":\"x\"}]}", now, "", "push-jiuye").status, 400);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_push_event"), 1);
  // Processed promptly by the worker through the 就业 mapper.
  for (int i = 0; i < 200 && Count("SELECT COUNT(*) FROM dc_push_event WHERE processed_batch_id = 0") > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dc_push_event WHERE processed_batch_id = 0"), 0);
  EXPECT_EQ(Text("SELECT name FROM dc_person WHERE id_number = ?", {id9}), "测试");
  EXPECT_EQ(Text("SELECT birth_date FROM dc_person WHERE id_number = ?", {id9}), "1985-05-05");
  EXPECT_NE(Text("SELECT mobile_enc FROM dc_person WHERE id_number = ?", {id9}), "");
  // A delete event marks the row deleted.
  ev["eventId"] = "e-2";
  ev["op"] = "delete";
  body = json::serialize(json::object{{"events", json::array{ev}}});
  ASSERT_EQ(call(body, now, "", "push-jiuye").status, 202);
  for (int i = 0; i < 200 && Count("SELECT deleted FROM dc_person_source WHERE src_key = 'P9'") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(Count("SELECT deleted FROM dc_person_source WHERE src_key = 'P9'"), 1);
}

TEST_P(CollectTest, RoutesAndPermissions) {
  WriteJubao();
  Client clerk = Login("clerk_zhuyang");
  EXPECT_EQ(Get(clerk, "/api/v1/datacenter/jobs").status, 403);
  int64_t jid = GetJob("jubao-files").id;
  EXPECT_EQ(Post(clerk, "/api/v1/datacenter/jobs/" + std::to_string(jid) + "/run").status, 403);
  Client leader = Login("leader");
  Reply r = Get(leader, "/api/v1/datacenter/jobs");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GE(r.obj().at("items").as_array().size(), 5u);
  EXPECT_EQ(Post(leader, "/api/v1/datacenter/jobs/" + std::to_string(jid) + "/run").status, 403);
  Client admin = Login("admin");
  r = Post(admin, "/api/v1/datacenter/jobs/" + std::to_string(jid) + "/run");
  ASSERT_EQ(r.status, 202) << r.body;
  int64_t batch = r.obj().at("batchId").as_int64();
  for (int i = 0; i < 400 && Text("SELECT status FROM dc_batch WHERE id = ?", {batch}) == "running"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  r = Get(admin, "/api/v1/datacenter/batches/" + std::to_string(batch));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("status"), "succeeded");
  EXPECT_EQ(r.obj().at("rowsQuarantined").as_int64(), 4);
  EXPECT_FALSE(r.obj().at("quality").as_array().empty());
  // Who triggered it: the username, and the account's display name.
  EXPECT_EQ(r.obj().at("triggeredBy"), "admin");
  EXPECT_EQ(r.obj().at("triggeredByName"), "王建国");
  r = Get(admin, "/api/v1/datacenter/batches?jobId=" + std::to_string(jid));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.obj().at("total").as_int64(), 1);
  EXPECT_EQ(r.obj().at("items").as_array().at(0).at("triggeredByName"), "王建国");
  r = Get(admin, "/api/v1/datacenter/jobs");
  ASSERT_EQ(r.status, 200);
  for (const auto& j : r.obj().at("items").as_array()) {
    if (j.at("id").as_int64() != jid) continue;
    EXPECT_EQ(j.at("lastBatch").at("triggeredByName"), "王建国") << j;
  }
  Client head = Login("head_shebao");
  r = Get(head, "/api/v1/datacenter/quality?system=jubao");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& sys = r.obj().at("systems").as_array()[0].as_object();
  EXPECT_EQ(sys.at("system"), "jubao");
  EXPECT_TRUE(sys.at("score").is_double());
  EXPECT_LT(sys.at("dimensions").at("validity").as_double(), 100.0);
  // Job edits: a bad cron is refused, a good one saved and audited.
  json::object job{{"name", "居保"}, {"system", "jubao"}, {"method", "file"},
                   {"config", json::object{{"dir", src_ + "/jubao"}}}, {"cron", "61 * * * *"},
                   {"enabled", true}};
  r = Put(admin, "/api/v1/datacenter/jobs/" + std::to_string(jid), job);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "BAD_CRON");
  job["cron"] = "*/15 8-18 * * 1-5";
  r = Put(admin, "/api/v1/datacenter/jobs/" + std::to_string(jid), job);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.obj().at("nextRunAt").is_int64());
  job["code"] = "jubao-extra";
  job["config"] = json::object{{"dir", "/x"}, {"password", "secret"}};
  EXPECT_EQ(Post(admin, "/api/v1/datacenter/jobs", job).status, 400);
  job["config"] = json::object{{"dir", "/x"}};
  EXPECT_EQ(Post(admin, "/api/v1/datacenter/jobs", job).status, 201);
  EXPECT_EQ(Post(admin, "/api/v1/datacenter/jobs", job).status, 409);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'datacenter.job.%'"), 3);
  EXPECT_EQ(Get(leader, "/api/v1/datacenter/codemaps?system=shebao&codeSet=benefit_type").status, 200);
  EXPECT_EQ(Put(leader, "/api/v1/datacenter/codemaps", json::object{}).status, 403);
}

// ---------------------------------------------------------------------------
// SIGKILL in the middle of a batch: the child process (this binary, filtered
// to CollectChild.Run) collects into its own database and is killed while
// the batch is half done; a second child resumes. The result must equal an
// uninterrupted run.

std::string ChildEnv(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

TEST(CollectChild, Run) {
  std::string data = ChildEnv("HRSS_COLLECT_CHILD_DATA");
  if (data.empty()) GTEST_SKIP() << "helper process of CollectTest.SigkillMidBatch";
  log::SetLevel(log::Level::kWarn);
  Config config;
  config.data_dir = data;
  std::string dsn = ChildEnv("HRSS_COLLECT_CHILD_MARIADB");
  if (dsn.empty()) {
    config.storage.sqlite_path = ChildEnv("HRSS_COLLECT_CHILD_SQLITE");
  } else {
    auto o = db::ParseMariaDbDsn(dsn);
    ASSERT_TRUE(o.ok());
    config.storage.driver = "mariadb";
    config.storage.mariadb_host = o->host;
    config.storage.mariadb_port = o->port;
    config.storage.mariadb_user = o->user;
    config.storage.mariadb_password = o->password;
    config.storage.mariadb_database = o->database;
    config.storage.mariadb_socket = o->unix_socket;
  }
  config.storage.pool_size = 4;
  Platform p(config);
  identity::IdentityOptions io;
  io.argon2 = {1, 1024, 1};
  p.AddModule(std::make_unique<identity::IdentityModule>(io));
  p.AddModule(std::make_unique<DatacenterModule>());
  DB_ASSERT_OK(p.OpenStorage());
  DB_ASSERT_OK(p.Migrate());
  DB_ASSERT_OK(p.StartModules());
  Collection* c = CurrentCollection();
  ASSERT_NE(c, nullptr);
  // A restarted collector finds the killed batch stale (here: at once).
  ASSERT_TRUE(c->jobs.MarkStaleBatches(ChildEnv("HRSS_COLLECT_CHILD_RESUME") == "1" ? -1 : 30000).ok());
  auto job = c->jobs.GetByCode("jubao-files");
  ASSERT_TRUE(job.ok() && job->has_value());
  CollectOptions o;
  o.commit_every = 400;
  o.chunk_records = 200;
  o.pause_after_commit_ms = ChildEnv("HRSS_COLLECT_CHILD_RESUME") == "1" ? 0 : 40;
  auto b = c->RunNow(**job, "cli", "child", o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->status, "succeeded") << b->error;
  StopCollection();
}

TEST_P(CollectTest, SigkillMidBatchThenResumeEqualsUninterrupted) {
  // ~12,000 records of 居保 data over three files.
  std::string cbry = "个人编号,姓名,性别,身份证号,出生日期,乡镇,村组,参保状态,参保日期,联系电话,操作\r\n";
  std::string jf = "流水号,个人编号,身份证号,缴费年度,缴费档次,个人缴费,政府补贴,集体补助,到账日期,操作\r\n";
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    char f[18];
    std::snprintf(f, sizeof f, "5117241970%02d%02d%03d", 1 + i % 12, 1 + i % 28, i % 1000);
    std::string id = Id(f);
    ids.push_back(id);
    char no[16];
    std::snprintf(no, sizeof no, "JB%010d", i);
    cbry += std::string(no) + ",人员" + std::to_string(i) + "," + (i % 2 ? "男" : "女") + "," + id +
            ",,竹阳街道,,正常缴费,2015-01-01,,I\r\n";
    for (int y = 0; y < 5; ++y) {
      jf += "JF" + std::to_string(i) + "-" + std::to_string(y) + "," + no + "," + id + "," +
            std::to_string(2020 + y) + ",200,200.00,30.00,,2024-03-01,I\r\n";
    }
  }
  WriteFile(src_ + "/jubao/cbry_d01.csv", Gbk(cbry));
  WriteFile(src_ + "/jubao/jfmx_d01.csv", Gbk(jf));
  // Uninterrupted reference run in this test's database.
  Batch ref = Run("jubao-files");
  ASSERT_EQ(ref.rows_read, 12000);
  std::string expected = Sum();

  // The child's own database.
  std::string child_sqlite = dir_ + "/child.db", child_dsn;
  std::unique_ptr<db::Pool> child_pool;
  if (!is_sqlite()) {
    std::string dbname = options_.database + "_k";
    ASSERT_TRUE(admin()->ExecScript("DROP DATABASE IF EXISTS " + dbname + "; CREATE DATABASE " +
                                    dbname + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                    .ok());
    child_dsn = "host=" + options_.host + ";port=" + std::to_string(options_.port) +
                ";user=" + options_.user + ";password=" + options_.password + ";database=" + dbname;
    if (!options_.unix_socket.empty()) child_dsn += ";unix_socket=" + options_.unix_socket;
  }
  auto spawn = [&](bool resume) {
    pid_t pid = fork();
    if (pid == 0) {
      setenv("HRSS_COLLECT_CHILD_DATA", dir_.c_str(), 1);
      setenv("HRSS_COLLECT_CHILD_SQLITE", child_sqlite.c_str(), 1);
      setenv("HRSS_COLLECT_CHILD_MARIADB", child_dsn.c_str(), 1);
      setenv("HRSS_COLLECT_CHILD_RESUME", resume ? "1" : "0", 1);
      execl("/proc/self/exe", "mod_datacenter_test", "--gtest_filter=CollectChild.Run",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  };
  auto open_child = [&]() -> std::unique_ptr<db::Pool> {
    db::Options o;
    if (is_sqlite()) {
      o.sqlite_path = child_sqlite;
    } else {
      auto parsed = db::ParseMariaDbDsn(child_dsn);
      if (!parsed.ok()) return nullptr;
      o = *parsed;
    }
    o.max_connections = 2;
    auto p = db::Pool::Open(o);
    return p.ok() ? std::move(p).value() : nullptr;
  };
  pid_t pid = spawn(false);
  ASSERT_GT(pid, 0);
  bool killed = false;
  for (int i = 0; i < 3000 && !killed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!child_pool) {
      if (!fs::exists(child_sqlite) && is_sqlite()) continue;
      child_pool = open_child();
      if (!child_pool) continue;
    }
    auto conn = child_pool->Acquire();
    if (!conn.ok()) continue;
    auto r = (*conn)->QueryOne("SELECT progress_done, progress_total FROM dc_batch WHERE status = "
                               "'running' ORDER BY id DESC LIMIT 1");
    if (!r.ok() || !r->has_value()) continue;
    int64_t done = (*r)->GetInt64(0), total = (*r)->GetInt64(1);
    if (done > total / 3 && done < total) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(killed) << "the child finished before it could be killed";
  ASSERT_TRUE(WIFSIGNALED(status));
  {
    auto conn = child_pool->Acquire();
    ASSERT_TRUE(conn.ok());
    auto n = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_contribution");
    ASSERT_TRUE(n.ok());
    EXPECT_GT((*n)->GetInt64(0), 0);
    EXPECT_LT((*n)->GetInt64(0), 10000);  // really half done
    // The killed bulk load had dropped the empty tables' secondary indexes
    // (both dialects); their definitions wait in dc_deferred_index. The
    // golden person table's name and division indexes too (it was empty as
    // well), and on SQLite its unique ID-number index (collect.h,
    // kPersonIdIndex); the source-key indexes stay.
    auto d = (*conn)->QueryOne(
        "SELECT COUNT(*) FROM dc_deferred_index WHERE name IN "
        "('dc_contribution_person', 'dc_person_name', 'dc_person_div', 'dc_person_idno')");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ((*d)->GetInt64(0), is_sqlite() ? 4 : 3);
    auto live = IndexColumns(**conn);
    EXPECT_EQ(live.count("dc_person_idno"), is_sqlite() ? 0u : 1u);
    EXPECT_EQ(live.count("dc_contribution_key"), 1u);
    EXPECT_EQ(live.count("dc_contribution_person"), 0u);
    EXPECT_EQ(live.count("dc_person_name"), 0u);
  }
  pid = spawn(true);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "resume child failed";
  {
    auto conn = child_pool->Acquire();
    ASSERT_TRUE(conn.ok());
    EXPECT_EQ(Checksum(**conn), expected);
    auto st = (*conn)->Query("SELECT status FROM dc_batch ORDER BY id");
    ASSERT_TRUE(st.ok());
    ASSERT_EQ(st->size(), 2u);
    EXPECT_EQ((*st)[0].GetText(0), "interrupted");
    EXPECT_EQ((*st)[1].GetText(0), "succeeded");
    {
      // The resumed batch rebuilt them: the same indexes (names and columns)
      // as the reference run's database.
      auto ref_conn = platform_->db().Acquire();
      ASSERT_TRUE(ref_conn.ok());
      auto child_idx = IndexColumns(**conn), ref_idx = IndexColumns(**ref_conn);
      EXPECT_EQ(ref_idx["dc_contribution_person"], "person_id,period");
      EXPECT_EQ(ref_idx.count("dc_contribution_batch"), 0u);  // none since v8
      EXPECT_EQ(ref_idx["dc_person_name"], "name,birth_date");
      EXPECT_EQ(child_idx, ref_idx);
      if (is_sqlite()) {
        // Rebuilt as it was defined: partial (migration datacenter v7).
        auto partial = (*conn)->QueryOne(
            "SELECT partial FROM pragma_index_list('dc_contribution') WHERE name = "
            "'dc_contribution_unit'");
        ASSERT_TRUE(partial.ok() && partial->has_value());
        EXPECT_EQ((*partial)->GetInt64(0), 1);
      }
      auto d = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_deferred_index");
      ASSERT_TRUE(d.ok());
      EXPECT_EQ((*d)->GetInt64(0), 0);
    }
  }
  child_pool.reset();
  if (!is_sqlite()) (void)admin()->ExecScript("DROP DATABASE IF EXISTS " + options_.database + "_k");
}

HRSS_INSTANTIATE_DB_TEST(CollectTest);

// ---------------------------------------------------------------------------
TEST(Cron, ParseAndNextRun) {
  // 2026-01-01T00:00:00Z = 08:00 in Shanghai (a Thursday).
  const int64_t t0 = 1'767'225'600'000;
  auto next = [&](const char* expr, int64_t after) {
    auto c = CronExpr::Parse(expr);
    EXPECT_TRUE(c.ok()) << expr << " " << c.status().ToString();
    return c.ok() ? c->NextAfter(after) : -2;
  };
  const int64_t min = 60000, hour = 60 * min, day = 24 * hour;
  EXPECT_EQ(next("* * * * *", t0), t0 + min);
  EXPECT_EQ(next("*/5 * * * *", t0 + min), t0 + 5 * min);
  EXPECT_EQ(next("0 2 * * *", t0), t0 + 18 * hour);           // 02:00 next day local
  EXPECT_EQ(next("30 8 * * *", t0), t0 + 30 * min);
  EXPECT_EQ(next("0 9-17/4 * * *", t0), t0 + hour);           // 09:00
  EXPECT_EQ(next("0 8,20 * * *", t0), t0 + 12 * hour);        // 20:00
  EXPECT_EQ(next("0 8 * * 1", t0), t0 + 4 * day);             // Monday 2026-01-05
  EXPECT_EQ(next("0 8 * * 7", t0), t0 + 3 * day);             // Sunday (7 = 0)
  EXPECT_EQ(next("0 0 1 2 *", t0), t0 + 31 * day - 8 * hour);  // Feb 1 00:00 local
  EXPECT_EQ(next("0 8 15 * 1", t0), t0 + 4 * day);            // day-of-month OR day-of-week
  EXPECT_EQ(next("0 0 31 2 *", t0), -1);
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
                          "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "1,,2 * * * *"}) {
    auto c = CronExpr::Parse(bad);
    EXPECT_FALSE(c.ok()) << bad;
    if (!c.ok()) {
      EXPECT_EQ(c.status().reason(), "BAD_CRON") << bad;
    }
  }
}

}  // namespace
}  // namespace hrss::datacenter
