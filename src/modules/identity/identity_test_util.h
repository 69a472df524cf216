// Test support for the identity module's API tests: a Platform with the
// system and identity modules and the demo data, on SQLite and MariaDB (see
// db/test_fixture.h), a ManualClock, and a small client that calls routes
// through the router and the real filter chain (authentication, CSRF,
// authorization) with cookies or a bearer token.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/log.h"
#include "db/test_fixture.h"
#include "modules/identity/demo.h"
#include "modules/identity/identity_module.h"
#include "modules/identity/totp.h"
#include "platform/platform.h"

namespace hrss::identity::testing {

inline constexpr const char* kDemoPassword = "Dazhu@2026";

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  boost::json::value json;

  std::string code() const {
    if (!json.is_object()) return {};
    auto* c = json.as_object().if_contains("code");
    return c && c->is_string() ? std::string(c->as_string()) : std::string();
  }
  const boost::json::object& obj() const {
    static const boost::json::object empty;
    return json.is_object() ? json.as_object() : empty;
  }
  std::vector<std::string> SetCookies() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers) {
      if (k == "Set-Cookie") out.push_back(v);
    }
    return out;
  }
};

class IdentityApiTest : public db::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log::SetLevel(log::Level::kWarn);
    static int n = 0;
    dir_ =
        ::testing::TempDir() + "hrss_idc_" + std::to_string(getpid()) + "_" + std::to_string(n++);
    std::filesystem::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    if (is_sqlite()) {
      config.storage.driver = "sqlite";
      config.storage.sqlite_path = options_.sqlite_path;
    } else {
      config.storage.driver = "mariadb";
      config.storage.mariadb_host = options_.host;
      config.storage.mariadb_port = options_.port;
      config.storage.mariadb_user = options_.user;
      config.storage.mariadb_password = options_.password;
      config.storage.mariadb_database = options_.database;
      config.storage.mariadb_socket = options_.unix_socket;
    }
    config.storage.pool_size = 4;
    pool_.reset();  // the platform opens its own
    platform_ = std::make_unique<Platform>(config, clock_);
    IdentityOptions o;
    o.argon2 = {1, 1024, 1};  // cheap hashes keep the suite fast
    auto module = std::make_unique<IdentityModule>(o);
    module_ = module.get();
    platform_->AddModule(std::move(module));
    AddMoreModules(*platform_);
    DB_ASSERT_OK(platform_->OpenStorage());
    DB_ASSERT_OK(platform_->Migrate());
    DB_ASSERT_OK(platform_->StartModules());
    DemoOptions demo;
    demo.password = kDemoPassword;
    DB_ASSERT_OK(platform_->LoadDemo(demo));
    id_ = module_->identity();
  }

  // Other modules' tests add their module here (after identity).
  virtual void AddMoreModules(Platform& platform) { (void)platform; }

  void TearDown() override {
    platform_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    DbTest::TearDown();
  }

  // A signed-in (or anonymous) caller.
  struct Client {
    std::string token, csrf;
    bool bearer = false;
    std::string ip = "10.0.0.8";
  };

  Reply Call(Client* c, http::Method method, const std::string& target,
             const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> extra = {}, bool send_csrf = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.remote_addr = c ? c->ip : "10.0.0.9";
    req.body = body;
    if (!body.empty()) req.headers.emplace_back("content-type", "application/json");
    if (c && !c->token.empty()) {
      if (c->bearer) {
        req.headers.emplace_back("authorization", "Bearer " + c->token);
      } else {
        req.headers.emplace_back("cookie", "hrss_session=" + c->token + "; hrss_csrf=" + c->csrf);
        bool unsafe = method != http::Method::kGet && method != http::Method::kHead;
        if (unsafe && send_csrf) req.headers.emplace_back("x-csrf-token", c->csrf);
      }
    }
    for (auto& h : extra) req.headers.push_back(std::move(h));
    http::Match m = platform_->router().Find(method, req.path);
    Reply r;
    if (m.kind != http::Match::Kind::kFound) {
      r.status = m.kind == http::Match::Kind::kNotFound ? 404 : 405;
      return r;
    }
    req.path_params = m.params;
    http::Response resp = platform_->filters().Run(req, *m.route);
    r.status = resp.status;
    r.body = resp.body;
    r.headers = resp.headers;
    boost::system::error_code ec;
    if (!r.body.empty()) r.json = boost::json::parse(r.body, ec);
    return r;
  }
  Reply Get(Client& c, const std::string& t) { return Call(&c, http::Method::kGet, t); }
  Reply Post(Client& c, const std::string& t, const boost::json::value& b = boost::json::object{}) {
    return Call(&c, http::Method::kPost, t, boost::json::serialize(b));
  }
  Reply Put(Client& c, const std::string& t, const boost::json::value& b) {
    return Call(&c, http::Method::kPut, t, boost::json::serialize(b));
  }
  Reply Delete(Client& c, const std::string& t) { return Call(&c, http::Method::kDelete, t); }

  std::string TotpNow(const std::string& username, int64_t offset_steps = 0) {
    return TotpCode(DemoTotpSecret(kDemoPassword, username),
                    clock_.NowSeconds() / kTotpStepSeconds + offset_steps);
  }

  Reply LoginRaw(const std::string& user, const std::string& password, const std::string& totp = "",
                 const std::string& ip = "10.0.0.8") {
    Client anon;
    anon.ip = ip;
    boost::json::object b{{"username", user}, {"password", password}};
    if (!totp.empty()) b["totp"] = totp;
    return Call(&anon, http::Method::kPost, "/api/v1/auth/login", boost::json::serialize(b));
  }

  // Signs in (TOTP for administrators) and returns a cookie client.
  Client Login(const std::string& user, bool bearer = false) {
    bool admin = user == "admin" || user == "secadmin" || user == "auditor";
    if (admin) clock_.Advance(std::chrono::seconds(30));  // a fresh TOTP step
    Reply r = LoginRaw(user, kDemoPassword, admin ? TotpNow(user) : "");
    EXPECT_EQ(r.status, 200) << user << ": " << r.body;
    Client c;
    c.bearer = bearer;
    if (r.status != 200) return c;
    c.token = std::string(r.obj().at("token").as_string());
    for (const auto& sc : r.SetCookies()) {
      if (sc.rfind("hrss_csrf=", 0) == 0) c.csrf = sc.substr(10, sc.find(';') - 10);
    }
    return c;
  }

  int64_t UserId(const std::string& username) {
    auto u = id_->users.FindByUsername(username);
    EXPECT_TRUE(u.ok() && u->has_value()) << username;
    return u.ok() && u->has_value() ? (*u)->id : 0;
  }
  int64_t RoleId(const std::string& code) {
    auto roles = id_->roles.List();
    for (const auto& r : *roles) {
      if (r.code == code) return r.id;
    }
    ADD_FAILURE() << "no role " << code;
    return 0;
  }
  int64_t OrgId(const std::string& code) {
    auto tree = id_->orgs.Tree();
    for (const auto& o : (*tree)->orgs()) {
      if (o.code == code) return o.id;
    }
    ADD_FAILURE() << "no org " << code;
    return 0;
  }

  ManualClock clock_;
  std::string dir_;
  std::unique_ptr<Platform> platform_;
  IdentityModule* module_ = nullptr;
  Identity* id_ = nullptr;
};

}  // namespace hrss::identity::testing
