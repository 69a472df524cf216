// The auditor's HTTP routes, called through the platform's router and filter
// chain (so the authorization filter runs too), on SQLite and MariaDB.
#include "modules/identity/audit_routes.h"

#include <boost/json.hpp>
#include <memory>
#include <set>
#include <string>

#include "db/migrate.h"
#include "db/test_fixture.h"
#include "http/principal.h"
#include "platform/platform.h"

namespace hrss::identity {
namespace {

using db::testing::DbTest;

class FakePrincipal final : public http::Principal {
 public:
  FakePrincipal(std::string id, std::string name, std::set<std::string, std::less<>> perms)
      : id_(std::move(id)), name_(std::move(name)), perms_(std::move(perms)) {}
  std::string_view user_id() const override { return id_; }
  std::string_view username() const override { return name_; }
  bool HasPermission(std::string_view key) const override { return perms_.count(key) > 0; }

 private:
  std::string id_, name_;
  std::set<std::string, std::less<>> perms_;
};

class AuditRoutesTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::Migrator m;
    DB_ASSERT_OK(AuditLog::RegisterMigrations(m));
    DB_ASSERT_OK(m.Migrate(*pool_));
    audit_ = std::make_unique<AuditLog>(*pool_, keys_, clock_);
    platform_ = std::make_unique<Platform>(Config{}, clock_);
    DB_ASSERT_OK(RegisterAuditRoutes(*platform_, *audit_));
  }
  void TearDown() override {
    platform_.reset();
    audit_.reset();
    DbTest::TearDown();
  }

  std::shared_ptr<const http::Principal> Auditor() {
    return std::make_shared<FakePrincipal>("u-auditor", "auditor",
                                           std::set<std::string, std::less<>>{"audit:log:read"});
  }
  std::shared_ptr<const http::Principal> Clerk() {
    return std::make_shared<FakePrincipal>(
        "u-clerk", "clerk_zhuyang", std::set<std::string, std::less<>>{"datacenter:person:read"});
  }

  http::Response Get(const std::string& target, std::shared_ptr<const http::Principal> who) {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.remote_addr = "10.20.30.40";
    req.principal = std::move(who);
    http::Match m = platform_->router().Find(http::Method::kGet, req.path);
    EXPECT_EQ(m.kind, http::Match::Kind::kFound) << target;
    if (m.kind != http::Match::Kind::kFound) return {};
    req.path_params = m.params;
    return platform_->filters().Run(req, *m.route);
  }

  boost::json::object Json(const http::Response& r) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    EXPECT_TRUE(v.is_object()) << r.body;
    return v.is_object() ? v.as_object() : boost::json::object{};
  }

  void Seed() {
    for (int i = 1; i <= 30; ++i) {
      AuditEvent e;
      e.user_id = i % 2 ? "u1" : "u2";
      e.username = i % 2 ? "leader" : "张三";
      e.source_ip = "192.168.1." + std::to_string(i);
      e.action = i % 3 ? "auth.login" : "role.update";
      e.object_type = "user";
      e.object_id = std::to_string(i);
      e.success = i % 5 != 0;
      e.detail = "{}";
      e.delegation_id = i == 7 ? "dlg-1" : "";
      DB_ASSERT_OK(audit_->Record(e));
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  KeyRing keys_ = KeyRing::FromMaster(std::string(32, 'r'));
  ManualClock clock_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<Platform> platform_;
};

TEST_P(AuditRoutesTest, RoutesDeclareThePermission) {
  int found = 0;
  for (const auto& r : platform_->router().routes()) {
    if (r->pattern.rfind("/api/v1/audit", 0) != 0) continue;
    ++found;
    EXPECT_EQ(r->permission, "audit:log:read") << r->pattern;
    EXPECT_FALSE(r->is_public);
    EXPECT_EQ(r->execution, http::Execution::kWorker);
  }
  EXPECT_EQ(found, 2);
}

TEST_P(AuditRoutesTest, OnlyTheAuditorReads) {
  Seed();
  EXPECT_EQ(Get("/api/v1/audit", nullptr).status, 401);
  EXPECT_EQ(Get("/api/v1/audit/verify", nullptr).status, 401);
  EXPECT_EQ(Get("/api/v1/audit", Clerk()).status, 403);
  EXPECT_EQ(Get("/api/v1/audit/verify", Clerk()).status, 403);
  EXPECT_EQ(Get("/api/v1/audit", Auditor()).status, 200);
}

TEST_P(AuditRoutesTest, SearchAnswersThePageShape) {
  Seed();
  const int64_t t0 = clock_.NowMillis() - 30'000;
  http::Response r = Get("/api/v1/audit?page=2&size=10", Auditor());
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::object o = Json(r);
  EXPECT_EQ(o["total"].as_int64(), 30);
  EXPECT_EQ(o["page"].as_int64(), 2);
  EXPECT_EQ(o["size"].as_int64(), 10);
  const auto& items = o["items"].as_array();
  ASSERT_EQ(items.size(), 10u);
  const auto& first = items[0].as_object();
  EXPECT_EQ(first.at("id").as_int64(), 20);  // newest first: 30..21 on page 1
  EXPECT_EQ(first.at("at").as_int64(), t0 + 19'000);
  EXPECT_EQ(first.at("userId").as_string(), "u2");
  EXPECT_EQ(first.at("username").as_string(), "张三");
  EXPECT_EQ(first.at("ip").as_string(), "192.168.1.20");
  EXPECT_EQ(first.at("action").as_string(), "auth.login");
  EXPECT_EQ(first.at("objectType").as_string(), "user");
  EXPECT_EQ(first.at("objectId").as_string(), "20");
  EXPECT_EQ(first.at("result").as_string(), "failure");
  EXPECT_EQ(first.at("detail").as_string(), "{}");
  EXPECT_EQ(first.at("delegationId").as_string(), "");
  EXPECT_TRUE(first.contains("requestId"));
  EXPECT_FALSE(first.contains("mac"));

  // Defaults: page 1, size 20. The search above was itself audited (id 31).
  o = Json(Get("/api/v1/audit", Auditor()));
  EXPECT_EQ(o["total"].as_int64(), 31);
  EXPECT_EQ(o["page"].as_int64(), 1);
  EXPECT_EQ(o["size"].as_int64(), 20);
  const auto& newest = o["items"].as_array()[0].as_object();
  EXPECT_EQ(newest.at("action").as_string(), "audit.search");
  EXPECT_EQ(newest.at("userId").as_string(), "u-auditor");
  EXPECT_EQ(newest.at("username").as_string(), "auditor");
  EXPECT_EQ(newest.at("ip").as_string(), "10.20.30.40");
  EXPECT_EQ(newest.at("result").as_string(), "success");
  EXPECT_FALSE(newest.at("requestId").as_string().empty());
  EXPECT_NE(newest.at("detail").as_string().find("\"size\":10"), std::string::npos);
}

TEST_P(AuditRoutesTest, SearchFilters) {
  Seed();
  const int64_t t0 = clock_.NowMillis() - 30'000;
  auto total = [&](const std::string& query) -> int64_t {
    http::Response r = Get("/api/v1/audit?" + query, Auditor());
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    if (r.status != 200) return -1;
    boost::json::object o = Json(r);
    return o["total"].as_int64();
  };
  const std::string upto = "&to=" + std::to_string(t0 + 29'000);  // exclude audit.search records
  EXPECT_EQ(total("userId=u1" + upto), 15);
  EXPECT_EQ(total("action=role.update" + upto), 10);
  EXPECT_EQ(total("result=failure" + upto), 6);
  EXPECT_EQ(total("result=success" + upto), 24);
  EXPECT_EQ(total("from=" + std::to_string(t0 + 10'000) + "&to=" + std::to_string(t0 + 14'000)), 5);
  EXPECT_EQ(total("userId=u1&action=role.update&result=success" + upto), 4);  // 3, 9, 21, 27
  EXPECT_EQ(total("username=%E5%BC%A0%E4%B8%89" + upto), 15);  // 张三, percent-encoded
  EXPECT_EQ(total("userId=nobody"), 0);

  http::Response r = Get("/api/v1/audit?action=auth.login&size=200" + upto, Auditor());
  boost::json::object o = Json(r);
  EXPECT_EQ(o["items"].as_array().size(), 20u);
  for (const auto& it : o["items"].as_array()) {
    EXPECT_EQ(it.as_object().at("action").as_string(), "auth.login");
  }
  // A delegated action shows its delegation.
  o = Json(
      Get("/api/v1/audit?from=" + std::to_string(t0 + 6000) + "&to=" + std::to_string(t0 + 6000),
          Auditor()));
  ASSERT_EQ(o["items"].as_array().size(), 1u);
  EXPECT_EQ(o["items"].as_array()[0].as_object().at("delegationId").as_string(), "dlg-1");
}

TEST_P(AuditRoutesTest, BadParametersAre400InChinese) {
  for (const char* q :
       {"from=abc", "from=-1", "to=1.5", "from=10&to=5", "result=ok", "page=0", "page=x", "size=0",
        "size=201", "size=-5", "page=+1", "from=99999999999999999999", "size=1e2"}) {
    http::Response r = Get(std::string("/api/v1/audit?") + q, Auditor());
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
    boost::json::object o = Json(r);
    EXPECT_EQ(o["code"].as_string(), "INVALID_ARGUMENT") << q;
    std::string msg(o["message"].as_string());
    EXPECT_NE(msg.find("参数"), std::string::npos) << q << ": " << msg;
  }
  // Nothing was recorded for refused requests.
  int64_t total = 0;
  ASSERT_TRUE(audit_->Search({}, &total).ok());
  EXPECT_EQ(total, 0);
}

TEST_P(AuditRoutesTest, VerifyReportsOkThenTheFirstBadRecord) {
  Seed();
  http::Response r = Get("/api/v1/audit/verify", Auditor());
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::object o = Json(r);
  EXPECT_TRUE(o["ok"].as_bool());
  EXPECT_EQ(o["checked"].as_int64(), 30);
  EXPECT_FALSE(o.contains("firstBadId"));
  EXPECT_TRUE(o["recorded"].as_bool());

  {
    DB_ASSERT_OK_AND_ASSIGN(db::PooledConnection c, pool_->Acquire());
    if (is_sqlite()) DB_ASSERT_OK(c->ExecScript("DROP TRIGGER audit_log_no_update"));
    DB_ASSERT_OK(c->Exec("UPDATE audit_log SET success = 1 WHERE id = 10").status());
  }
  r = Get("/api/v1/audit/verify", Auditor());
  ASSERT_EQ(r.status, 200) << r.body;
  o = Json(r);
  EXPECT_FALSE(o["ok"].as_bool());
  EXPECT_EQ(o["firstBadId"].as_int64(), 10);
  EXPECT_EQ(o["kind"].as_string(), "EDITED");
  EXPECT_EQ(o["checked"].as_int64(), 9);
  EXPECT_FALSE(o["reason"].as_string().empty());

  // Both verifications were audited.
  int64_t total = 0;
  auto found = audit_->Search({.action = "audit.verify"}, &total);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(total, 2);
}

TEST_P(AuditRoutesTest, NoRouteWritesOrDeletes) {
  for (const auto& r : platform_->router().routes()) {
    EXPECT_EQ(r->method, http::Method::kGet) << r->pattern;
  }
  http::Match m = platform_->router().Find(http::Method::kDelete, "/api/v1/audit");
  EXPECT_EQ(m.kind, http::Match::Kind::kMethodNotAllowed);
}

HRSS_INSTANTIATE_DB_TEST(AuditRoutesTest);

}  // namespace
}  // namespace hrss::identity
