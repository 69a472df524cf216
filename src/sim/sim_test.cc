// Tests of the source-system simulators against docs/datacenter/sources.md.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/test_client.h"
#include "ingest/reader.h"
#include "sim/jiuye_server.h"
#include "sim/simulate.h"

namespace hrss::sim {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Relative path → bytes of every file under `dir`.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = ReadFile(e.path());
  }
  return files;
}

class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log::SetLevel(log::Level::kError);
    root_ = new fs::path(fs::temp_directory_path() / ("hrss_sim_test_" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    auto t0 = std::chrono::steady_clock::now();
    auto s = Simulate({.preset = "small", .seed = 7, .out_dir = Dir("a")});
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto m = json::parse(ReadFile(Dir("a") + "/manifest.json"));
    manifest_ = new json::object(m.as_object());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    delete manifest_;
  }
  static std::string Dir(const std::string& name) { return (*root_ / name).string(); }
  static const json::object& M() { return *manifest_; }
  static int64_t Int(const json::value& v) { return v.as_int64(); }

  static fs::path* root_;
  static json::object* manifest_;
  static double seconds_;
};
fs::path* SimTest::root_ = nullptr;
json::object* SimTest::manifest_ = nullptr;
double SimTest::seconds_ = 0;

TEST_F(SimTest, SmallPresetIsFastAndSmall) {
  EXPECT_LT(seconds_, 2.0);
  int64_t rows = Int(M().at("truth").at("rows"));
  EXPECT_GT(rows, 10000);
  EXPECT_LT(rows, 100000);
  EXPECT_EQ(M().at("preset").as_string(), "small");
  EXPECT_EQ(Int(M().at("truth").at("residents")), 2000);
  EXPECT_EQ(Int(M().at("truth").at("units")), 60);
}

TEST_F(SimTest, SameSeedSameBytesOtherSeedOtherBytes) {
  // One thread this time: the output must not depend on scheduling either.
  ASSERT_TRUE(Simulate({.preset = "small", .seed = 7, .out_dir = Dir("b"), .threads = 1}).ok());
  auto a = Snapshot(Dir("a")), b = Snapshot(Dir("b"));
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [path, bytes] : a) {
    ASSERT_TRUE(b.count(path)) << path;
    EXPECT_TRUE(bytes == b[path]) << path << " differs";
  }
  EXPECT_GT(a.size(), 20u);
  ASSERT_TRUE(Simulate({.preset = "small", .seed = 8, .out_dir = Dir("c")}).ok());
  auto c = Snapshot(Dir("c"));
  for (const char* f : {"jubao/cbry_d01.csv", "shebao/shebao.sql", "jiuye/jiuye.jsonl.d/persons_d01.jsonl",
                        "jiancha/cases_d01.csv", "manifest.json"}) {
    EXPECT_NE(a[f], c[f]) << f;
  }
  fs::remove_all(Dir("b"));
  fs::remove_all(Dir("c"));
}

int64_t CountRecords(const std::string& path, const std::string& encoding) {
  if (encoding == "XLSX") {
    auto r = ingest::OpenXlsx(path, "在编人员");
    EXPECT_TRUE(r.ok()) << path << r.status().ToString();
    if (!r.ok()) return -1;
    ingest::Record rec;
    int64_t n = 0;
    while (true) {
      auto more = (*r)->Next(&rec);
      EXPECT_TRUE(more.ok()) << path;
      if (!more.ok() || !*more) break;
      ++n;
    }
    return n;
  }
  if (encoding == "UTF-8") {  // JSON lines
    std::string text = ReadFile(path);
    return static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  }
  ingest::CsvOptions o;
  o.encoding = encoding == "GBK" ? ingest::Encoding::kGbk
               : encoding == "GB18030" ? ingest::Encoding::kGb18030 : ingest::Encoding::kUtf8;
  auto r = ingest::OpenCsv(path, o);
  EXPECT_TRUE(r.ok()) << path;
  if (!r.ok()) return -1;
  ingest::Record rec;
  int64_t n = 0;
  while (true) {
    auto more = (*r)->Next(&rec);
    EXPECT_TRUE(more.ok()) << path << ": " << more.status().ToString();
    if (!more.ok() || !*more) break;
    ++n;
  }
  return n;
}

TEST_F(SimTest, ManifestRowCountsMatchTheFiles) {
  int64_t total = 0;
  for (const char* sys : {"jubao", "shebao", "jibao", "jiuye", "jiancha"}) {
    const auto& s = M().at(sys).as_object();
    int64_t table_sum = 0;
    for (const auto& [t, n] : s.at("tables").as_object()) table_sum += Int(n);
    EXPECT_EQ(table_sum, Int(s.at("rows"))) << sys;
    total += table_sum;
    for (const auto& f : s.at("files").as_array()) {
      std::string path = std::string(f.at("path").as_string());
      std::string enc = std::string(f.at("encoding").as_string());
      if (enc == "SQLite" || enc == "SQL" || enc == "binary") continue;
      EXPECT_EQ(CountRecords(Dir("a") + "/" + path, enc), Int(f.at("rows"))) << path;
    }
  }
  EXPECT_EQ(total, Int(M().at("truth").at("rows")));
  // Every table of the contract has rows.
  for (const auto& [sys, tables] : std::map<std::string, std::vector<std::string>>{
           {"jubao", {"cbry", "jfmx", "dyff"}},
           {"shebao", {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84"}},
           {"jibao", {"personnel", "contrib"}},
           {"jiuye", {"persons", "units", "events"}},
           {"jiancha", {"cases"}}}) {
    for (const auto& t : tables) EXPECT_GT(Int(M().at(sys).at("tables").at(t)), 0) << sys << "." << t;
  }
}

TEST_F(SimTest, EncodingsAsContracted) {
  for (const char* f : {"jubao/cbry_d01.csv", "jubao/jfmx_d01.csv", "jubao/dyff_d01.csv", "jubao/cbry_d02.csv"}) {
    std::string bytes = ReadFile(Dir("a") + "/" + f);
    auto utf8 = ingest::ToUtf8(bytes, ingest::Encoding::kGbk);
    ASSERT_TRUE(utf8.ok()) << f;
    EXPECT_NE(bytes, *utf8) << f << " is not GBK-encoded";
    EXPECT_NE(utf8->find("个人编号"), std::string::npos) << f;
    EXPECT_NE(utf8->find("\r\n"), std::string::npos);
  }
  auto contrib = ingest::ToUtf8(ReadFile(Dir("a") + "/jibao/contrib_d01.csv"), ingest::Encoding::kGb18030);
  ASSERT_TRUE(contrib.ok());
  EXPECT_EQ(contrib->find("单位统一社会信用代码"), 0u);
  std::string cases = ReadFile(Dir("a") + "/jiancha/cases_d01.csv");
  ASSERT_GE(cases.size(), 3u);
  EXPECT_EQ(cases.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(cases.substr(3, std::string("案件编号").size()), "案件编号");
  // Attachments exist where the cases say.
  ingest::CsvOptions o;
  auto r = ingest::OpenCsv(Dir("a") + "/jiancha/cases_d01.csv", o);
  ASSERT_TRUE(r.ok());
  ingest::Record rec;
  int attachments = 0;
  while (*(*r)->Next(&rec)) {
    std::string list(rec.Get("附件").value_or(""));
    for (size_t p = 0; !list.empty() && p != std::string::npos;) {
      size_t q = list.find(';', p);
      std::string rel = list.substr(p, q == std::string::npos ? q : q - p);
      EXPECT_TRUE(fs::exists(Dir("a") + "/jiancha/" + rel)) << rel;
      ++attachments;
      p = q == std::string::npos ? q : q + 1;
    }
  }
  EXPECT_GT(attachments, 0);
}

TEST_F(SimTest, ShebaoDatabaseHasTheContractSchema) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((Dir("a") + "/shebao/shebao.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const std::map<std::string, std::vector<std::string>> expected = {
      {"ab01", {"aab001", "aab003", "aab004", "aab019", "aab022", "aab301", "aab013", "aae036", "aae100"}},
      {"ac01", {"aac001", "aac002", "aac003", "aac004", "aac006", "aab301", "aae005", "aae036", "aae100"}},
      {"ac02", {"aac001", "aab001", "aae140", "aac008", "aac030", "aae036", "aae100"}},
      {"ac43", {"aaz223", "aac001", "aab001", "aae140", "aae003", "aac040", "aae020", "aae022", "aae078", "aae036", "aae100"}},
      {"ab07", {"aaz288", "aab001", "aae140", "aae003", "aae019", "aae036", "aae100"}},
      {"ac84", {"aaz220", "aac001", "aaa036", "aae002", "aae019", "aae117", "aae036", "aae100"}},
  };
  for (const auto& [table, columns] : expected) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &st, nullptr), SQLITE_OK);
    std::vector<std::string> got;
    while (sqlite3_step(st) == SQLITE_ROW) got.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    EXPECT_EQ(got, columns) << table;
    ASSERT_EQ(sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + table).c_str(), -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(st, 0), Int(M().at("shebao").at("tables").at(table))) << table;
    sqlite3_finalize(st);
  }
  // Deletions and later-day changes are visible through aae100/aae036.
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT (SELECT COUNT(*) FROM ac43 WHERE aae100='0'), (SELECT COUNT(*) FROM ab01 WHERE aae036 >= '20261102')", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_GT(sqlite3_column_int64(st, 0), 0);
  EXPECT_GT(sqlite3_column_int64(st, 1), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::string sql = ReadFile(Dir("a") + "/shebao/shebao.sql");
  EXPECT_NE(sql.find("CREATE TABLE `ac43`"), std::string::npos);
  EXPECT_NE(sql.find("INSERT INTO `ac43`"), std::string::npos);
  EXPECT_EQ(sql.compare(sql.size() - 8, 8, "COMMIT;\n"), 0);
}

TEST_F(SimTest, EveryDirtKindIsInjectedAndTruthIsConsistent) {
  for (const auto& [kind, n] : M().at("dirt").as_object()) EXPECT_GT(Int(n), 0) << kind;
  EXPECT_EQ(M().at("dirt").as_object().size(), 18u);
  const auto& truth = M().at("truth").as_object();
  for (const char* q : {"ID_CHECKSUM", "BAD_DATE", "BAD_AMOUNT"}) EXPECT_GT(Int(truth.at("quarantine").at(q)), 0) << q;
  EXPECT_GT(Int(truth.at("birth_conflicts")), 0);
  EXPECT_EQ(Int(truth.at("birth_conflicts")), Int(M().at("dirt").at("birth_conflict")));
  int64_t persons = Int(truth.at("persons_distinct"));
  EXPECT_GT(persons, 1000);
  EXPECT_LE(persons, 2000);
  int64_t max_system = 0, sum = 0;
  for (const char* sys : {"jubao", "shebao", "jibao", "jiuye"}) {
    max_system = std::max(max_system, Int(M().at(sys).at("persons_distinct")));
    sum += Int(M().at(sys).at("persons_distinct"));
  }
  EXPECT_GT(persons, max_system);
  EXPECT_LT(persons, sum);  // some persons are in several systems
  EXPECT_EQ(Int(truth.at("units_distinct")), 60);
  EXPECT_FALSE(M().at("jiuye").at("api_key").as_string().empty());
}

// The ID_CHECKSUM count of 居保 is exactly the rows whose ID fails its check digit.
TEST_F(SimTest, QuarantineCountMatchesTheRows) {
  ManualClock clock(1'830'000'000'000);  // 2027-12
  int64_t bad = 0;
  for (int d = 1; d <= 3; ++d) {
    for (const char* kind : {"cbry", "jfmx", "dyff"}) {
      char name[64];
      std::snprintf(name, sizeof name, "/jubao/%s_d%02d.csv", kind, d);
      ingest::CsvOptions o;
      o.encoding = ingest::Encoding::kGbk;
      auto r = ingest::OpenCsv(Dir("a") + name, o);
      ASSERT_TRUE(r.ok());
      ingest::Record rec;
      while (*(*r)->Next(&rec)) {
        auto id = NormalizeIdNumber(rec.Get("身份证号").value_or(""), clock);
        if (!id.ok() && id.status().message().rfind("bad check digit", 0) == 0) ++bad;
      }
    }
  }
  EXPECT_EQ(bad, Int(M().at("jubao").at("quarantine").at("ID_CHECKSUM")));
}

TEST_F(SimTest, JiuyeApiPagesWithCursors) {
  auto server = JiuyeServer::Start({.dir = Dir("a")});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  int port = (*server)->port();
  std::string key = "X-Api-Key: " + (*server)->api_key() + "\r\n";
  using http::testing::Fetch;
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/persons").status, 401);
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/persons", "X-Api-Key: wrong\r\n").status, 401);
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/nothing", key).status, 404);
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/persons?limit=0", key).status, 400);
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/persons?limit=1001", key).status, 400);

  int64_t total_deleted = 0;
  for (const char* kind : {"persons", "units", "events"}) {
    std::string target = std::string("/api/v1/") + kind + "?limit=37";
    std::set<std::string> ids;
    std::pair<int64_t, std::string> prev{-1, ""};
    int64_t deleted = 0;
    for (int page = 0; page < 10000; ++page) {
      auto r = Fetch(port, "GET", target, key);
      ASSERT_EQ(r.status, 200) << r.body;
      auto parsed = json::parse(r.body);
      ASSERT_TRUE(parsed.is_object() && parsed.as_object().contains("items") && parsed.as_object().contains("next"))
          << r.body.substr(0, 300);
      auto body = parsed.as_object();
      for (const auto& it : body.at("items").as_array()) {
        ASSERT_TRUE(it.is_object() && it.as_object().contains("updated_at") && it.as_object().contains("id") &&
                    it.as_object().contains("deleted"))
            << json::serialize(it);
        std::pair<int64_t, std::string> k{it.at("updated_at").as_int64(), std::string(it.at("id").as_string())};
        EXPECT_LT(prev, k);
        prev = k;
        EXPECT_TRUE(ids.insert(k.second).second);
        deleted += it.at("deleted").as_bool();
      }
      if (body.at("next").is_null()) break;
      EXPECT_EQ(body.at("items").as_array().size(), 37u);
      ASSERT_TRUE(body.at("next").is_object()) << json::serialize(body.at("next"));
      const auto& next = body.at("next").as_object();
      ASSERT_TRUE(next.contains("updated_since") && next.contains("after_id")) << json::serialize(next);
      target = std::string("/api/v1/") + kind + "?limit=37&updated_since=" +
               std::to_string(next.at("updated_since").as_int64()) + "&after_id=" + std::string(next.at("after_id").as_string());
    }
    EXPECT_EQ(static_cast<int64_t>(ids.size()), (*server)->items(kind)) << kind;
    EXPECT_GT(ids.size(), 0u);
    total_deleted += deleted;
  }
  EXPECT_GT(total_deleted, 0);
  // An incremental pull: only what changed after the watermark.
  int64_t watermark = 1'790'000'000'000;  // 2026-09-21
  auto r = Fetch(port, "GET", "/api/v1/events?limit=1000&updated_since=" + std::to_string(watermark), key);
  ASSERT_EQ(r.status, 200);
  auto incremental = json::parse(r.body);
  ASSERT_TRUE(incremental.is_object() && incremental.as_object().contains("items")) << r.body.substr(0, 200);
  for (const auto& it : incremental.at("items").as_array()) EXPECT_GE(it.at("updated_at").as_int64(), watermark);
  (*server)->Stop();

  // Only day 1 served: fewer events; the later days' versions are absent.
  auto day1 = JiuyeServer::Start({.dir = Dir("a"), .day = 1});
  ASSERT_TRUE(day1.ok());
  auto server_all = JiuyeServer::Start({.dir = Dir("a")});
  ASSERT_TRUE(server_all.ok());
  const int64_t day2 = 1'793'548'800'000;  // 2026-11-02T00:00+08:00
  auto later = [&](int p) {
    auto r = Fetch(p, "GET", "/api/v1/events?limit=1000&updated_since=" + std::to_string(day2), key);
    return r.status == 200 ? json::parse(r.body).at("items").as_array().size() : size_t{9999};
  };
  EXPECT_EQ(later((*day1)->port()), 0u);
  EXPECT_GT(later((*server_all)->port()), 0u);

  auto failing = JiuyeServer::Start({.dir = Dir("a"), .fail_rate = 1.0});
  ASSERT_TRUE(failing.ok());
  auto f = Fetch((*failing)->port(), "GET", "/api/v1/persons", key);
  EXPECT_EQ(f.status, 503);
  EXPECT_EQ(f.Header("retry-after"), "1");
}

}  // namespace
}  // namespace hrss::sim
