// API tests of the identity module through the router and the real filter
// chain, on SQLite and MariaDB: sign-in, sessions, CSRF, lockout, TOTP,
// data scopes (no IDOR), anti-escalation, separation of administrators,
// delegation, unmasking.
#include <set>

#include "modules/identity/audit.h"
#include "modules/identity/catalog.h"
#include "modules/identity/identity_test_util.h"

namespace hrss::identity::testing {
namespace {

namespace json = boost::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class IdentityApi : public IdentityApiTest {
 protected:
  std::vector<AuditRecord> AuditOf(const std::string& action) {
    AuditQuery q;
    q.action = action;
    q.size = 200;
    int64_t total = 0;
    auto r = id_->audit.Search(q, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<AuditRecord>{};
  }
};

TEST_P(IdentityApi, ClerkSignsInReadsMeIsRefusedSystemRoutesAndLogsOut) {
  Reply r = LoginRaw("clerk_zhuyang", kDemoPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.obj().at("user").at("username").as_string(), "clerk_zhuyang");
  EXPECT_EQ(r.obj().at("user").at("divisionCode").as_string(), "511724001");
  EXPECT_TRUE(r.obj().at("user").at("adminRole").is_null());
  std::string token(r.obj().at("token").as_string());
  EXPECT_EQ(token.size(), 43u);
  auto cookies = r.SetCookies();
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_EQ(cookies[0].rfind("hrss_session=" + token, 0), 0u);
  EXPECT_NE(cookies[0].find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookies[0].find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookies[0].find("Secure"), std::string::npos);    // cookie_secure=false
  EXPECT_EQ(cookies[1].find("HttpOnly"), std::string::npos);  // readable CSRF cookie
  // Only a hash of the token is stored.
  {
    auto conn = platform_->db().Acquire();
    auto rows = (*conn)->Query("SELECT token_hash FROM idn_session");
    ASSERT_TRUE(rows.ok());
    for (const auto& row : *rows) EXPECT_NE(row.GetText(0), token);
  }
  Client c = Login("clerk_zhuyang");
  Reply me = Get(c, "/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.obj().at("user").at("orgName").as_string(), "竹阳街道劳动保障所");
  EXPECT_EQ(Get(c, "/api/v1/roles").status, 403);
  EXPECT_EQ(Get(c, "/api/v1/sessions").status, 403);
  EXPECT_EQ(Get(c, "/api/v1/audit").status, 403);
  EXPECT_EQ(Post(c, "/api/v1/users", json::object{{"username", "x"}}).status, 403);
  EXPECT_EQ(Post(c, "/api/v1/auth/logout").status, 204);
  Reply after = Get(c, "/api/v1/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.code(), "SESSION_EXPIRED");
  Client anon;
  EXPECT_EQ(Get(anon, "/api/v1/me").code(), "UNAUTHENTICATED");
  EXPECT_FALSE(AuditOf("auth.login").empty());
  EXPECT_FALSE(AuditOf("auth.logout").empty());
}

TEST_P(IdentityApi, BearerTokenNeedsNoCsrf) {
  Client c = Login("leader", /*bearer=*/true);
  EXPECT_EQ(Get(c, "/api/v1/me").status, 200);
  EXPECT_EQ(Post(c, "/api/v1/auth/reauth", json::object{{"password", kDemoPassword}}).status, 204);
}

TEST_P(IdentityApi, CsrfMissingOrWrongTokenIsRefused) {
  Client c = Login("leader");
  std::string body = json::serialize(json::object{{"password", kDemoPassword}});
  Reply missing =
      Call(&c, http::Method::kPost, "/api/v1/auth/reauth", body, {}, /*send_csrf=*/false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.code(), "CSRF_INVALID");
  Reply wrong = Call(&c, http::Method::kPost, "/api/v1/auth/reauth", body,
                     {{"x-csrf-token", "forged"}}, false);
  EXPECT_EQ(wrong.code(), "CSRF_INVALID");
  // A matching cookie/header pair that is not this session's token.
  Client forged = c;
  forged.csrf = "attacker-chosen-value";
  EXPECT_EQ(Call(&forged, http::Method::kPost, "/api/v1/auth/reauth", body).code(), "CSRF_INVALID");
  EXPECT_EQ(Call(&c, http::Method::kPost, "/api/v1/auth/reauth", body).status, 204);
  // Reads need no token.
  EXPECT_EQ(Get(c, "/api/v1/me").status, 200);
}

TEST_P(IdentityApi, LockoutAfterFiveFailuresUnlocksAfterFifteenMinutes) {
  for (int i = 0; i < 5; ++i) {
    Reply r = LoginRaw("clerk_baita", "Wrong@2026x");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.code(), "INVALID_CREDENTIALS");
  }
  Reply locked = LoginRaw("clerk_baita", kDemoPassword);
  EXPECT_EQ(locked.status, 423) << locked.body;
  EXPECT_EQ(locked.code(), "ACCOUNT_LOCKED");
  clock_.Advance(minutes(14));
  EXPECT_EQ(LoginRaw("clerk_baita", kDemoPassword).code(), "ACCOUNT_LOCKED");
  clock_.Advance(minutes(1) + seconds(1));
  EXPECT_EQ(LoginRaw("clerk_baita", kDemoPassword).status, 200);
  // Failures are audited without the password.
  auto failures = AuditOf("auth.login");
  int failed = 0;
  for (const auto& a : failures) {
    if (!a.success) ++failed;
    EXPECT_EQ(a.detail.find("Wrong@2026x"), std::string::npos);
  }
  EXPECT_GE(failed, 5);
  // Unknown users answer exactly like a wrong password.
  EXPECT_EQ(LoginRaw("nobody", "Wrong@2026x").code(), "INVALID_CREDENTIALS");
}

TEST_P(IdentityApi, PerAddressThrottling) {
  for (int i = 0; i < 30; ++i) {
    LoginRaw("user" + std::to_string(i), "Wrong@2026x", "", "10.9.9.9");
  }
  Reply r = LoginRaw("clerk_zhuyang", kDemoPassword, "", "10.9.9.9");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.code(), "RATE_LIMITED");
  EXPECT_EQ(LoginRaw("clerk_zhuyang", kDemoPassword, "", "10.9.9.10").status, 200);
  clock_.Advance(minutes(16));
  EXPECT_EQ(LoginRaw("clerk_zhuyang", kDemoPassword, "", "10.9.9.9").status, 200);
}

TEST_P(IdentityApi, AdministratorsNeedTotpWrongAndReusedCodesAreRefused) {
  Reply none = LoginRaw("admin", kDemoPassword);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.code(), "TOTP_REQUIRED");
  clock_.Advance(seconds(30));
  std::string code = TotpNow("admin");
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(LoginRaw("admin", kDemoPassword, wrong).code(), "TOTP_INVALID");
  EXPECT_EQ(LoginRaw("admin", kDemoPassword, TotpNow("secadmin")).code(), "TOTP_INVALID");
  Reply ok = LoginRaw("admin", kDemoPassword, code);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.obj().at("user").at("adminRole").as_string(), "system");
  // The same code within its window: refused.
  EXPECT_EQ(LoginRaw("admin", kDemoPassword, code).code(), "TOTP_INVALID");
  // One step of drift is accepted (the next step, not yet used).
  EXPECT_EQ(LoginRaw("admin", kDemoPassword, TotpNow("admin", 1)).status, 200);
  // The wrong password with the right code is still INVALID_CREDENTIALS.
  clock_.Advance(seconds(90));
  EXPECT_EQ(LoginRaw("admin", "Wrong@2026x", TotpNow("admin")).code(), "INVALID_CREDENTIALS");
  // Administrators cannot switch TOTP off.
  Client a = Login("secadmin");
  Reply off = Delete(a, "/api/v1/me/totp");
  EXPECT_EQ(off.status, 422) << off.body;
}

TEST_P(IdentityApi, RevokedSessionsAndForcedLogoutAre401) {
  Client one = Login("clerk_zhuyang");
  Client two = Login("clerk_zhuyang");
  Reply list = Get(one, "/api/v1/me/sessions");
  ASSERT_EQ(list.status, 200);
  auto items = list.obj().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  std::string other;
  for (const auto& s : items) {
    if (!s.at("current").as_bool()) other = std::string(s.at("id").as_string());
  }
  ASSERT_FALSE(other.empty());
  EXPECT_EQ(Get(two, "/api/v1/me").status, 200);  // cached now
  EXPECT_EQ(Delete(one, "/api/v1/me/sessions/" + other).status, 204);
  EXPECT_EQ(Get(two, "/api/v1/me").code(), "SESSION_EXPIRED");
  EXPECT_EQ(Get(one, "/api/v1/me").status, 200);
  // Another user's session id is not found.
  Client baita = Login("clerk_baita");
  Reply baita_list = Get(baita, "/api/v1/me/sessions");
  std::string baita_sid(baita_list.obj().at("items").as_array()[0].at("id").as_string());
  EXPECT_EQ(Delete(one, "/api/v1/me/sessions/" + baita_sid).status, 404);
  // The security administrator sees online users and forces a logout.
  Client sec = Login("secadmin");
  Reply online = Get(sec, "/api/v1/sessions");
  ASSERT_EQ(online.status, 200) << online.body;
  bool seen = false;
  for (const auto& s : online.obj().at("items").as_array()) {
    seen = seen || s.at("id").as_string() == baita_sid;
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(Delete(sec, "/api/v1/sessions/" + baita_sid).status, 204);
  EXPECT_EQ(Get(baita, "/api/v1/me").code(), "SESSION_EXPIRED");
  EXPECT_FALSE(AuditOf("session.kick").empty());
}

TEST_P(IdentityApi, IdleAndAbsoluteExpiry) {
  Client c = Login("leader");
  clock_.Advance(minutes(29));
  EXPECT_EQ(Get(c, "/api/v1/me").status, 200);
  clock_.Advance(minutes(29));
  EXPECT_EQ(Get(c, "/api/v1/me").status, 200);
  clock_.Advance(minutes(31));
  EXPECT_EQ(Get(c, "/api/v1/me").code(), "SESSION_EXPIRED");

  Client d = Login("leader");
  for (int i = 0; i < 28; ++i) {  // active every 25 minutes: 11 h 40 min
    clock_.Advance(minutes(25));
    ASSERT_EQ(Get(d, "/api/v1/me").status, 200) << i;
  }
  clock_.Advance(minutes(21));  // past 12 h
  EXPECT_EQ(Get(d, "/api/v1/me").code(), "SESSION_EXPIRED");
}

TEST_P(IdentityApi, NoIdorAcrossTownships) {
  Client zy = Login("clerk_zhuyang");
  int64_t baita = UserId("clerk_baita");
  int64_t self = UserId("clerk_zhuyang");
  Reply other = Get(zy, "/api/v1/users/" + std::to_string(baita));
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(Get(zy, "/api/v1/users/" + std::to_string(self)).status, 200);
  EXPECT_EQ(Get(zy, "/api/v1/users/999999").status, 404);
  Reply list = Get(zy, "/api/v1/users?size=200");
  ASSERT_EQ(list.status, 200);
  for (const auto& u : list.obj().at("items").as_array()) {
    EXPECT_EQ(u.at("orgName").as_string(), "竹阳街道劳动保障所");
  }
  // Filtering by another org does not widen anything.
  Reply filtered = Get(zy, "/api/v1/users?orgId=" + std::to_string(OrgId("station-511724003")));
  EXPECT_EQ(filtered.obj().at("total").as_int64(), 0);
  // The phone is masked everywhere.
  Reply mine = Get(zy, "/api/v1/users/" + std::to_string(self));
  EXPECT_EQ(mine.obj().at("phone").as_string(), "138****0101");
  // The leader reads every township.
  Client leader = Login("leader");
  EXPECT_EQ(Get(leader, "/api/v1/users/" + std::to_string(baita)).status, 200);
  // A record check for a business domain uses the same scope.
  auto p = id_->authenticator.Resolve(zy.token);
  ASSERT_TRUE(p.ok());
  const DataScope& jubao = (*p)->ScopeFor("jubao");
  EXPECT_TRUE(jubao.Allows(OrgId("station-511724001")));
  EXPECT_FALSE(jubao.Allows(OrgId("station-511724003")));
  EXPECT_TRUE(jubao.AllowsDivision("511724001"));
  EXPECT_FALSE(jubao.AllowsDivision("511724003"));
  EXPECT_TRUE((*p)->ScopeFor("jiancha").empty());  // no grant: nothing
  EXPECT_TRUE((*p)->ScopeFor("nonsense").empty());
}

TEST_P(IdentityApi, ScopedAdministratorCannotEscalate) {
  // The security administrator makes clerk_zhuyang a township administrator.
  Client sec = Login("secadmin");
  json::object township_admin{
      {"name", "乡镇分级管理员"},
      {"code", "township_admin"},
      {"permissions", json::array{"security:role:read", "security:role:write",
                                  "security:role:grant", "jubao:record:read"}},
      {"scopes", json::array{json::object{{"domain", "system"}, {"kind", "own_org"}},
                             json::object{{"domain", "jubao"}, {"kind", "own_org"}}}}};
  Reply created = Post(sec, "/api/v1/roles", township_admin);
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t ta = created.obj().at("id").as_int64();
  int64_t zy = UserId("clerk_zhuyang");
  Reply grant = Put(sec, "/api/v1/users/" + std::to_string(zy) + "/roles",
                    json::object{{"roleIds", json::array{ta, RoleId("counter_clerk")}}});
  ASSERT_EQ(grant.status, 204) << grant.body;
  // A colleague in the same township, created by the system administrator.
  Client admin = Login("admin");
  Reply colleague = Post(admin, "/api/v1/users",
                         json::object{{"username", "clerk_zhuyang2"},
                                      {"displayName", "王丽"},
                                      {"staffNo", "DZ0199"},
                                      {"phone", "13881810199"},
                                      {"orgId", OrgId("station-511724001")},
                                      {"password", "Zhuyang#2026"}});
  ASSERT_EQ(colleague.status, 201) << colleague.body;
  int64_t mate = colleague.obj().at("id").as_int64();
  EXPECT_EQ(colleague.obj().at("phone").as_string(), "138****0199");

  Client scoped = Login("clerk_zhuyang");
  auto denied = [&](const Reply& r, const char* what) {
    EXPECT_EQ(r.status, 403) << what << ": " << r.body;
    EXPECT_EQ(r.code(), "ESCALATION_DENIED") << what;
  };
  // 1. A role with a wider scope than its own (jubao: all).
  denied(Post(scoped, "/api/v1/roles",
              json::object{
                  {"name", "宽"},
                  {"permissions", json::array{"jubao:record:read"}},
                  {"scopes", json::array{json::object{{"domain", "jubao"}, {"kind", "all"}}}}}),
         "scope widening");
  // ... or another township listed explicitly.
  denied(Post(scoped, "/api/v1/roles",
              json::object{{"name", "白塔"},
                           {"permissions", json::array{"jubao:record:read"}},
                           {"scopes", json::array{json::object{
                                          {"domain", "jubao"},
                                          {"kind", "list"},
                                          {"orgIds", json::array{OrgId("station-511724003")}}}}}}),
         "other township");
  // 2. A permission it does not hold.
  denied(Post(scoped, "/api/v1/roles",
              json::object{{"name", "多"}, {"permissions", json::array{"datacenter:dict:read"}}}),
         "permission widening");
  // 3. Widening an existing role (the leader's) or editing its own role.
  denied(Put(scoped, "/api/v1/roles/" + std::to_string(RoleId("leader")),
             json::object{{"name", "局领导"}, {"permissions", json::array{"jubao:record:read"}}}),
         "edit a wider role");
  denied(Put(scoped, "/api/v1/roles/" + std::to_string(ta),
             json::object{
                 {"name", "乡镇分级管理员"},
                 {"permissions", json::array{"security:role:read", "security:role:write",
                                             "security:role:grant", "jubao:record:read"}},
                 {"scopes", json::array{json::object{{"domain", "system"}, {"kind", "all"}}}}}),
         "edit own role");
  // 4. Granting a role with more rights than its own.
  denied(Put(scoped, "/api/v1/users/" + std::to_string(mate) + "/roles",
             json::object{{"roleIds", json::array{RoleId("leader")}}}),
         "grant a wider role");
  // 5. Binding a user outside its scope, or itself.
  denied(Put(scoped, "/api/v1/users/" + std::to_string(UserId("clerk_baita")) + "/roles",
             json::object{{"roleIds", json::array{ta}}}),
         "user outside scope");
  denied(Put(scoped, "/api/v1/users/" + std::to_string(zy) + "/roles",
             json::object{{"roleIds", json::array{ta, RoleId("counter_clerk"), RoleId("leader")}}}),
         "self grant");
  // Within its rights: allowed.
  Reply narrow =
      Post(scoped, "/api/v1/roles",
           json::object{
               {"name", "居保查询（竹阳）"},
               {"code", "zy_jubao_read"},
               {"permissions", json::array{"jubao:record:read"}},
               {"scopes", json::array{json::object{{"domain", "jubao"}, {"kind", "own_org"}}}}});
  ASSERT_EQ(narrow.status, 201) << narrow.body;
  EXPECT_EQ(Put(scoped, "/api/v1/users/" + std::to_string(mate) + "/roles",
                json::object{{"roleIds", json::array{narrow.obj().at("id").as_int64()}}})
                .status,
            204);
  // ... but not to a user in 白塔 even with that narrow role.
  denied(Put(scoped, "/api/v1/users/" + std::to_string(UserId("clerk_baita")) + "/roles",
             json::object{{"roleIds", json::array{narrow.obj().at("id").as_int64(),
                                                  RoleId("counter_clerk")}}}),
         "narrow role outside scope");
  // Refusals are audited.
  int refused = 0;
  for (const auto& a : AuditOf("role.create")) refused += a.success ? 0 : 1;
  EXPECT_GE(refused, 3);
}

TEST_P(IdentityApi, SeparationOfTheThreeAdministrators) {
  Client sec = Login("secadmin");
  Client admin = Login("admin");
  Client auditor = Login("auditor");
  int64_t leader = UserId("leader");
  // No user holds two admin kinds.
  Reply two = Put(sec, "/api/v1/users/" + std::to_string(leader) + "/roles",
                  json::object{{"roleIds", json::array{RoleId("sys_admin"), RoleId("auditor")}}});
  EXPECT_EQ(two.status, 409) << two.body;
  EXPECT_EQ(two.code(), "ADMIN_SEPARATION");
  // An admin-kind change that would give a holder two kinds.
  int64_t admin_id = UserId("admin");
  Reply r = Post(sec, "/api/v1/roles",
                 json::object{{"name", "只读"}, {"permissions", json::array{"system:org:read"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t extra = r.obj().at("id").as_int64();
  ASSERT_EQ(Put(sec, "/api/v1/users/" + std::to_string(admin_id) + "/roles",
                json::object{{"roleIds", json::array{RoleId("sys_admin"), extra}}})
                .status,
            204);
  Reply kind = Put(sec, "/api/v1/roles/" + std::to_string(extra),
                   json::object{{"name", "只读"},
                                {"permissions", json::array{"system:org:read"}},
                                {"adminRole", "auditor"}});
  EXPECT_EQ(kind.code(), "ADMIN_SEPARATION") << kind.body;
  // The system administrator manages accounts but cannot grant roles.
  EXPECT_EQ(Put(admin, "/api/v1/users/" + std::to_string(leader) + "/roles",
                json::object{{"roleIds", json::array{RoleId("leader")}}})
                .status,
            403);
  EXPECT_EQ(Get(admin, "/api/v1/roles").status, 403);
  // The security administrator cannot create users.
  EXPECT_EQ(Post(sec, "/api/v1/users", json::object{{"username", "x1"}}).status, 403);
  // The auditor reads only the audit log.
  EXPECT_EQ(Get(auditor, "/api/v1/audit").status, 200);
  EXPECT_EQ(Get(auditor, "/api/v1/users").status, 403);
  EXPECT_EQ(Get(auditor, "/api/v1/roles").status, 403);
  EXPECT_EQ(Get(sec, "/api/v1/audit").status, 403);
  EXPECT_EQ(Get(admin, "/api/v1/audit").status, 403);
}

TEST_P(IdentityApi, ScopesCombinePerDomainNotWidestOfAll) {
  Client sec = Login("secadmin");
  Reply r = Post(
      sec, "/api/v1/roles",
      json::object{{"name", "全县社保查询"},
                   {"permissions", json::array{"shebao:record:read"}},
                   {"scopes", json::array{json::object{{"domain", "shebao"}, {"kind", "all"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t baita = UserId("clerk_baita");
  ASSERT_EQ(Put(sec, "/api/v1/users/" + std::to_string(baita) + "/roles",
                json::object{
                    {"roleIds", json::array{RoleId("counter_clerk"), r.obj().at("id").as_int64()}}})
                .status,
            204);
  Client c = Login("clerk_baita");
  auto p = id_->authenticator.Resolve(c.token);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE((*p)->ScopeFor("shebao").all());
  EXPECT_FALSE((*p)->ScopeFor("jubao").all());
  EXPECT_FALSE((*p)->ScopeFor("system").all());
  EXPECT_FALSE((*p)->ScopeFor("jubao").Allows(OrgId("station-511724001")));
  EXPECT_TRUE((*p)->ScopeFor("jubao").Allows(OrgId("station-511724003")));
  // The user list (domain `system`) is still the own township only.
  EXPECT_EQ(Get(c, "/api/v1/users/" + std::to_string(UserId("clerk_zhuyang"))).status, 404);
}

TEST_P(IdentityApi, DelegationSubsetAuditedUseExpiryNoRedelegation) {
  Client head = Login("head_shebao");
  int64_t zy = UserId("clerk_zhuyang");
  int64_t now = clock_.NowMillis();
  // More than it holds: refused.
  Reply wide = Post(head, "/api/v1/delegations",
                    json::object{{"toUserId", zy},
                                 {"permissions", json::array{"jiancha:case:read"}},
                                 {"endsAt", now + 3'600'000},
                                 {"reason", "休假"}});
  EXPECT_EQ(wide.code(), "ESCALATION_DENIED") << wide.body;
  Reply d = Post(
      head, "/api/v1/delegations",
      json::object{{"toUserId", zy},
                   {"permissions", json::array{"pii:unmask"}},
                   {"scopes", json::array{json::object{{"domain", "system"}, {"kind", "own_org"}}}},
                   {"endsAt", now + 3'600'000},
                   {"reason", "休假期间代为核对"}});
  ASSERT_EQ(d.status, 201) << d.body;
  int64_t did = d.obj().at("id").as_int64();
  EXPECT_EQ(d.obj().at("status").as_string(), "active");
  Client zyc = Login("clerk_zhuyang");
  Reply me = Get(zyc, "/api/v1/me");
  ASSERT_EQ(me.obj().at("user").at("delegatedFrom").as_array().size(), 1u);
  // Using the delegated permission is audited with the delegation id.
  int64_t head_id = UserId("head_shebao");
  Reply un = Post(zyc, "/api/v1/pii/unmask",
                  json::object{{"objectType", "user"},
                               {"objectId", std::to_string(head_id)},
                               {"field", "phone"},
                               {"reason", "核对联系方式"}});
  EXPECT_EQ(un.status, 200) << un.body;
  EXPECT_EQ(un.obj().at("value").as_string(), "13881810020");
  auto uses = AuditOf("delegation.use");
  ASSERT_FALSE(uses.empty());
  EXPECT_EQ(uses[0].delegation_id, std::to_string(did));
  EXPECT_EQ(uses[0].object_id, "pii:unmask");
  // Received rights cannot be delegated again.
  Reply re = Post(zyc, "/api/v1/delegations",
                  json::object{{"toUserId", UserId("clerk_baita")},
                               {"permissions", json::array{"pii:unmask"}},
                               {"endsAt", now + 600'000},
                               {"reason", "转授"}});
  EXPECT_EQ(re.status, 403);
  EXPECT_EQ(re.code(), "ESCALATION_DENIED");
  // It expires by itself.
  clock_.Advance(minutes(61));
  zyc = Login("clerk_zhuyang");
  Reply gone = Post(zyc, "/api/v1/pii/unmask",
                    json::object{{"objectType", "user"},
                                 {"objectId", std::to_string(head_id)},
                                 {"field", "phone"},
                                 {"reason", "核对"}});
  EXPECT_EQ(gone.status, 403) << gone.body;
  Reply list = Get(head, "/api/v1/delegations");
  head = Login("head_shebao");
  list = Get(head, "/api/v1/delegations");
  EXPECT_EQ(list.obj().at("given").as_array()[0].at("status").as_string(), "expired");
  // Revocation takes effect at once.
  Reply d2 = Post(head, "/api/v1/delegations",
                  json::object{{"toUserId", zy},
                               {"permissions", json::array{"pii:unmask"}},
                               {"endsAt", clock_.NowMillis() + 3'600'000},
                               {"reason", "再次代理"}});
  ASSERT_EQ(d2.status, 201) << d2.body;
  EXPECT_TRUE(Get(zyc, "/api/v1/me").obj().at("user").at("permissions").as_array().size() > 0);
  Reply rv =
      Post(head, "/api/v1/delegations/" + std::to_string(d2.obj().at("id").as_int64()) + "/revoke");
  EXPECT_EQ(rv.status, 204) << rv.body;
  Reply after = Post(zyc, "/api/v1/pii/unmask",
                     json::object{{"objectType", "user"},
                                  {"objectId", std::to_string(zy)},
                                  {"field", "phone"},
                                  {"reason", "核对"}});
  EXPECT_EQ(after.status, 403);
  // Another user cannot revoke it.
  Client baita = Login("clerk_baita");
  EXPECT_EQ(Post(baita, "/api/v1/delegations/" + std::to_string(did) + "/revoke").status, 404);
}

TEST_P(IdentityApi, UnmaskNeedsPermissionReasonAndRecentReauth) {
  Client head = Login("head_shebao");
  int64_t self = UserId("head_shebao");
  json::object body{{"objectType", "user"},
                    {"objectId", std::to_string(self)},
                    {"field", "phone"},
                    {"reason", "核对联系方式"}};
  clock_.Advance(minutes(6));
  Reply stale = Post(head, "/api/v1/pii/unmask", body);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.code(), "REAUTH_REQUIRED");
  EXPECT_EQ(Post(head, "/api/v1/auth/reauth", json::object{{"password", "Wrong@2026x"}}).status,
            401);
  EXPECT_EQ(Post(head, "/api/v1/auth/reauth", json::object{{"password", kDemoPassword}}).status,
            204);
  Reply ok = Post(head, "/api/v1/pii/unmask", body);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.obj().at("value").as_string(), "13881810020");
  json::object no_reason = body;
  no_reason["reason"] = "";
  EXPECT_EQ(Post(head, "/api/v1/pii/unmask", no_reason).status, 400);
  // Outside the caller's scope: not found.
  json::object other = body;
  other["objectId"] = std::to_string(UserId("clerk_baita"));
  EXPECT_EQ(Post(head, "/api/v1/pii/unmask", other).status, 404);
  // Without the permission.
  Client zy = Login("clerk_zhuyang");
  EXPECT_EQ(Post(zy, "/api/v1/pii/unmask", body).status, 403);
  auto audits = AuditOf("pii.unmask");
  int success = 0, failure = 0;
  for (const auto& a : audits) (a.success ? success : failure)++;
  EXPECT_EQ(success, 1);
  EXPECT_GE(failure, 2);
}

TEST_P(IdentityApi, PasswordPolicyHistoryAndExpiry) {
  Client c = Login("clerk_zhuyang");
  auto change = [&](const std::string& from, const std::string& to) {
    return Post(c, "/api/v1/me/password", json::object{{"oldPassword", from}, {"newPassword", to}});
  };
  EXPECT_EQ(change(kDemoPassword, "short1A").code(), "PASSWORD_POLICY");
  EXPECT_EQ(change(kDemoPassword, "alllowercase1").code(), "PASSWORD_POLICY");
  EXPECT_EQ(change(kDemoPassword, "Clerk_Zhuyang#1").code(),
            "PASSWORD_POLICY");  // contains username
  EXPECT_EQ(change("Wrong@2026x", "Good#Pass2026").code(), "INVALID_CREDENTIALS");
  EXPECT_EQ(change(kDemoPassword, kDemoPassword).code(), "PASSWORD_POLICY");  // reuse
  std::string cur = kDemoPassword;
  for (int i = 1; i <= 5; ++i) {
    std::string next = "Good#Pass" + std::to_string(2030 + i);
    ASSERT_EQ(change(cur, next).status, 204) << i;
    cur = next;
  }
  EXPECT_EQ(change(cur, "Good#Pass2031").code(), "PASSWORD_POLICY");  // among the last 5
  EXPECT_EQ(change(cur, kDemoPassword).status, 204);  // 6 changes ago: allowed again
  cur = kDemoPassword;
  // 90 days later the password has expired.
  clock_.Advance(hours(24 * 91));
  Reply exp = LoginRaw("clerk_zhuyang", cur);
  EXPECT_EQ(exp.status, 403) << exp.body;
  EXPECT_EQ(exp.code(), "PASSWORD_EXPIRED");
  std::string token(exp.obj().at("changeToken").as_string());
  Client anon;
  EXPECT_EQ(Call(&anon, http::Method::kPost, "/api/v1/auth/password/expired",
                 json::serialize(json::object{{"username", "clerk_zhuyang"},
                                              {"changeToken", "forged"},
                                              {"newPassword", "Fresh#Pass2040"}}))
                .status,
            401);
  EXPECT_EQ(Call(&anon, http::Method::kPost, "/api/v1/auth/password/expired",
                 json::serialize(json::object{{"username", "clerk_zhuyang"},
                                              {"changeToken", token},
                                              {"newPassword", "Fresh#Pass2040"}}))
                .status,
            204);
  EXPECT_EQ(LoginRaw("clerk_zhuyang", "Fresh#Pass2040").status, 200);
}

TEST_P(IdentityApi, TotpEnrolmentForAnOrdinaryUser) {
  Client c = Login("inspector");
  Reply e = Post(c, "/api/v1/me/totp/enroll");
  ASSERT_EQ(e.status, 200) << e.body;
  auto secret = Base32Decode(std::string(e.obj().at("secret").as_string()));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(std::string(e.obj().at("otpauthUri").as_string()).rfind("otpauth://totp/", 0), 0u);
  EXPECT_EQ(std::string(e.obj().at("qrSvg").as_string()).rfind("<svg", 0), 0u);
  EXPECT_EQ(Post(c, "/api/v1/me/totp/confirm", json::object{{"code", "000000"}}).code(),
            "TOTP_INVALID");
  std::string code = TotpCodeAt(*secret, clock_.NowSeconds());
  EXPECT_EQ(Post(c, "/api/v1/me/totp/confirm", json::object{{"code", code}}).status, 204);
  EXPECT_EQ(LoginRaw("inspector", kDemoPassword).code(), "TOTP_REQUIRED");
  clock_.Advance(seconds(30));
  EXPECT_EQ(LoginRaw("inspector", kDemoPassword, TotpCodeAt(*secret, clock_.NowSeconds())).status,
            200);
}

TEST_P(IdentityApi, NewAdministratorMustEnrolTotpBeforeSigningIn) {
  Client sec = Login("secadmin");
  int64_t leader = UserId("leader");
  ASSERT_EQ(Put(sec, "/api/v1/users/" + std::to_string(leader) + "/roles",
                json::object{{"roleIds", json::array{RoleId("leader"), RoleId("auditor")}}})
                .status,
            204);
  Reply r = LoginRaw("leader", kDemoPassword);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.code(), "TOTP_ENROLMENT_REQUIRED");
  std::string token(r.obj().at("enrolmentToken").as_string());
  Client anon;
  auto call = [&](const char* path, json::object b) {
    return Call(&anon, http::Method::kPost, path, json::serialize(b));
  };
  EXPECT_EQ(call("/api/v1/auth/totp/enroll", {{"username", "leader"}, {"enrolmentToken", "forged"}})
                .status,
            401);
  EXPECT_EQ(
      call("/api/v1/auth/totp/enroll", {{"username", "admin"}, {"enrolmentToken", token}}).status,
      401);
  Reply e = call("/api/v1/auth/totp/enroll", {{"username", "leader"}, {"enrolmentToken", token}});
  ASSERT_EQ(e.status, 200) << e.body;
  auto secret = Base32Decode(std::string(e.obj().at("secret").as_string()));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(call("/api/v1/auth/totp/confirm",
                 {{"username", "leader"}, {"enrolmentToken", token}, {"code", "000000"}})
                .code(),
            "TOTP_INVALID");
  EXPECT_EQ(call("/api/v1/auth/totp/confirm", {{"username", "leader"},
                                               {"enrolmentToken", token},
                                               {"code", TotpCodeAt(*secret, clock_.NowSeconds())}})
                .status,
            204);
  EXPECT_EQ(LoginRaw("leader", kDemoPassword).code(), "TOTP_REQUIRED");
  clock_.Advance(seconds(30));
  Reply ok = LoginRaw("leader", kDemoPassword, TotpCodeAt(*secret, clock_.NowSeconds()));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.obj().at("user").at("adminRole").as_string(), "auditor");
}

TEST_P(IdentityApi, AdminCreatesUsersOnlyInScopeAndManagesThem) {
  Client admin = Login("admin");
  json::object u{{"username", "new_clerk"},
                 {"displayName", "新人"},
                 {"staffNo", "DZ0300"},
                 {"phone", "13900001111"},
                 {"orgId", OrgId("station-511724003")},
                 {"password", "weak"}};
  EXPECT_EQ(Post(admin, "/api/v1/users", u).code(), "PASSWORD_POLICY");
  u["password"] = "Strong#Pass2026";
  Reply r = Post(admin, "/api/v1/users", u);
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t uid = r.obj().at("id").as_int64();
  EXPECT_EQ(Post(admin, "/api/v1/users", u).status, 409);  // username taken
  // Initial passwords must be changed at first sign-in.
  EXPECT_EQ(LoginRaw("new_clerk", "Strong#Pass2026").code(), "PASSWORD_EXPIRED");
  EXPECT_EQ(Post(admin, "/api/v1/users/" + std::to_string(uid) + "/disable").status, 204);
  EXPECT_EQ(LoginRaw("new_clerk", "Strong#Pass2026").code(), "ACCOUNT_DISABLED");
  EXPECT_EQ(Post(admin, "/api/v1/users/" + std::to_string(uid) + "/enable").status, 204);
  // Disabling signs the user out at once.
  Client leader = Login("leader");
  EXPECT_EQ(Post(admin, "/api/v1/users/" + std::to_string(UserId("leader")) + "/disable").status,
            204);
  EXPECT_EQ(Get(leader, "/api/v1/me").code(), "SESSION_EXPIRED");
  // Org tree.
  Reply orgs = Get(admin, "/api/v1/orgs");
  ASSERT_EQ(orgs.status, 200);
  ASSERT_EQ(orgs.json.as_array().size(), 1u);
  EXPECT_EQ(orgs.json.as_array()[0].at("name").as_string(), "大竹县人力资源和社会保障局");
  EXPECT_EQ(orgs.json.as_array()[0].at("children").as_array().size(), 11u + 31u);
}

TEST_P(IdentityApi, EveryRouteIsInTheCatalogAndPublicRoutesAreAllowListed) {
  const std::set<std::string> allowed_public = {"GET /healthz",
                                                "GET /metrics",
                                                "GET /api/v1/ws",
                                                "GET /{*path}",
                                                "GET /api/v1/openapi.json",
                                                "GET /api/v1/system/info",
                                                "POST /api/v1/auth/login",
                                                "POST /api/v1/auth/password/expired",
                                                "POST /api/v1/auth/cert/challenge",
                                                "POST /api/v1/auth/totp/enroll",
                                                "POST /api/v1/auth/totp/confirm"};
  for (const auto& r : platform_->router().routes()) {
    std::string name = std::string(http::MethodName(r->method)) + " " + r->pattern;
    if (r->is_public) {
      EXPECT_TRUE(allowed_public.count(name)) << "unexpected public route " << name;
    } else {
      EXPECT_TRUE(Catalog().Contains(r->permission)) << name << " needs " << r->permission;
    }
  }
}

HRSS_INSTANTIATE_DB_TEST(IdentityApi);

}  // namespace
}  // namespace hrss::identity::testing
