#include "modules/identity/demo.h"

#include <map>

#include "core/crypto.h"
#include "core/division.h"
#include "core/log.h"
#include "modules/identity/auth_service.h"
#include "modules/identity/identity.h"
#include "modules/identity/totp.h"
#include "platform/module.h"

namespace hrss::identity {

std::string DemoTotpSecret(std::string_view demo_password, std::string_view username) {
  return HmacSm3(demo_password, "hrss-demo-totp:" + std::string(username)).substr(0, 20);
}

namespace {

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* staff_no;
  const char* phone;
  const char* org_code;
  const char* post_code;
  const char* role_code;
  bool totp;
};

const std::vector<std::string> kAllDomains = {"jubao",   "shebao", "jibao",  "jiuye",
                                              "jiancha", "dangan", "renshi", "system"};

std::vector<ScopeGrant> AllScopes() {
  std::vector<ScopeGrant> v;
  for (const auto& d : kAllDomains) v.push_back({d, ScopeKind::kAll, {}});
  return v;
}

}  // namespace

Result<std::vector<DemoAccount>> LoadIdentityDemo(Identity& id, const DemoOptions& options) {
  if (options.password.empty()) return Status::InvalidArgument("demo password is empty");
  if (Status st = CheckPasswordPolicy(options.password, ""); !st.ok()) {
    log::Warn("identity.demo_weak_password", {{"rule", st.message()}});
  }
  // --- Org tree.
  std::map<std::string, int64_t> org;
  HRSS_ASSIGN_OR_RETURN(org["bureau"], id.orgs.Upsert({0, 0, "bureau", "大竹县人力资源和社会保障局",
                                                       "bureau", "511724", 0}));
  const int64_t bureau = org["bureau"];
  struct O {
    const char* code;
    const char* name;
    const char* kind;
    int sort;
  };
  const O depts[] = {
      {"dept-office", "办公室", "department", 10},
      {"dept-jiuye", "就业促进股", "department", 11},
      {"dept-shebao", "社会保险股", "department", 12},
      {"dept-laodong", "劳动关系股", "department", 13},
      {"dept-renshi", "人事人才股", "department", 14},
      {"dept-info", "信息中心", "department", 15},
      {"unit-jiuye", "就业服务中心", "unit", 20},
      {"unit-shebao", "社会保险事业管理中心", "unit", 21},
      {"unit-jiancha", "劳动保障监察大队", "unit", 22},
      {"unit-zhongcai", "劳动人事争议仲裁院", "unit", 23},
      {"unit-jubao", "城乡居民养老保险中心", "unit", 24},
  };
  for (const O& o : depts) {
    HRSS_ASSIGN_OR_RETURN(org[o.code],
                          id.orgs.Upsert({0, bureau, o.code, o.name, o.kind, "511724", o.sort}));
  }
  int sort = 100;
  for (const Division* d : DivisionTable::Builtin().Townships()) {
    std::string code = "station-" + d->code;
    HRSS_ASSIGN_OR_RETURN(org[code], id.orgs.Upsert({0, bureau, code, d->name + "劳动保障所",
                                                     "station", d->code, sort++}));
  }
  const Division* zhuyang = DivisionTable::Builtin().FindTownshipByName("竹阳街道");
  const Division* baita = DivisionTable::Builtin().FindTownshipByName("白塔街道");
  if (zhuyang == nullptr || baita == nullptr)
    return Status::Internal("division table lacks 竹阳/白塔");
  org["station-zhuyang"] = org["station-" + zhuyang->code];
  org["station-baita"] = org["station-" + baita->code];

  // --- Posts.
  std::map<std::string, int64_t> post;
  const std::pair<const char*, const char*> posts[] = {
      {"leader", "局领导"},    {"head", "股室负责人"},  {"clerk", "经办员"},
      {"counter", "窗口柜员"}, {"inspector", "监察员"}, {"admin", "系统运维"},
  };
  int psort = 0;
  for (const auto& [code, name] : posts) {
    HRSS_ASSIGN_OR_RETURN(post[code], id.orgs.UpsertPost({0, code, name, psort++}));
  }

  // --- Roles.
  std::map<std::string, int64_t> role;
  std::map<std::string, std::string> role_name;
  auto add_role = [&](Role r) -> Status {
    role_name[r.code] = r.name;
    HRSS_ASSIGN_OR_RETURN(role[r.code], id.roles.Upsert(r));
    return Status::Ok();
  };
  HRSS_RETURN_IF_ERROR(add_role({0,
                                 "sys_admin",
                                 "系统管理员",
                                 "账号、机构与系统设置（三权分立之一）",
                                 AdminKind::kSystem,
                                 {"system:org:read", "system:org:write", "system:user:read",
                                  "system:user:write", "system:app:read", "system:app:write",
                                  "datacenter:collect:read", "datacenter:collect:run",
                                  "datacenter:collect:manage", "datacenter:quarantine:fix",
                                  "datacenter:quality:read", "analytics:query",
                                  "analytics:view:manage", "analytics:refresh", "screen:view",
                                  "screen:manage"},
                                 {{"system", ScopeKind::kAll, {}}}}));
  HRSS_RETURN_IF_ERROR(add_role(
      {0,
       "sec_admin",
       "安全管理员",
       "角色、权限、数据范围与在线用户（三权分立之一）",
       AdminKind::kSecurity,
       {"security:role:read", "security:role:write", "security:role:grant", "security:session:read",
        "security:session:kick", "system:org:read", "system:user:read"},
       AllScopes()}));
  HRSS_RETURN_IF_ERROR(add_role({0,
                                 "auditor",
                                 "审计员",
                                 "只读审计日志（三权分立之一）",
                                 AdminKind::kAuditor,
                                 {"audit:log:read"},
                                 {}}));
  HRSS_RETURN_IF_ERROR(
      add_role({0,
                "leader",
                "局领导",
                "全县各业务域只读",
                AdminKind::kNone,
                {"datacenter:person:read", "datacenter:dict:read", "analytics:dashboard:read",
                 "analytics:query", "analytics:view:manage", "analytics:refresh", "screen:view", "screen:manage",
                 "datacenter:unit:read", "datacenter:export:approve", "datacenter:collect:read",
                 "datacenter:quality:read", "jubao:record:read",
                 "shebao:record:read", "jibao:record:read", "jiuye:record:read",
                 "jiancha:case:read", "dangan:record:read", "renshi:record:read", "system:org:read",
                 "system:user:read", "workflow:task:read"},
                AllScopes()}));
  HRSS_RETURN_IF_ERROR(add_role(
      {0,
       "counter_clerk",
       "乡镇窗口经办员",
       "本乡镇（街道）居保、社保、就业经办",
       AdminKind::kNone,
       {"jubao:record:read", "jubao:record:write", "shebao:record:read", "shebao:record:write",
        "jiuye:record:read", "jiuye:record:write", "system:user:read", "workflow:task:read",
        "datacenter:person:read", "datacenter:unit:read", "datacenter:export:request",
        "analytics:query", "analytics:view:manage"},
       {{"jubao", ScopeKind::kOwnOrg, {}},
        {"shebao", ScopeKind::kOwnOrg, {}},
        {"jiuye", ScopeKind::kOwnOrg, {}},
        {"system", ScopeKind::kOwnOrg, {}}}}));
  HRSS_RETURN_IF_ERROR(add_role(
      {0,
       "shebao_head",
       "社会保险股负责人",
       "全县社保业务，可查看原文（须理由）",
       AdminKind::kNone,
       {"shebao:record:read", "shebao:record:write", "jubao:record:read", "jibao:record:read",
        "datacenter:person:read", "datacenter:dict:read", "system:user:read", "pii:unmask",
        "workflow:task:read", "datacenter:unit:read", "datacenter:export:request",
        "datacenter:collect:read", "datacenter:quarantine:fix", "datacenter:quality:read",
        "datacenter:conflict:resolve", "analytics:query", "analytics:view:manage"},
       {{"shebao", ScopeKind::kAll, {}},
        {"jubao", ScopeKind::kAll, {}},
        {"jibao", ScopeKind::kAll, {}},
        {"system", ScopeKind::kOrgSubtree, {org["dept-shebao"], org["unit-shebao"]}}}}));
  HRSS_RETURN_IF_ERROR(
      add_role({0,
                "inspector",
                "劳动保障监察员",
                "全县监察案件；本单位人员",
                AdminKind::kNone,
                {"jiancha:case:read", "jiancha:case:write", "system:user:read",
                 "workflow:task:read", "datacenter:unit:read", "analytics:query",
                 "analytics:view:manage"},
                {{"jiancha", ScopeKind::kAll, {}}, {"system", ScopeKind::kOwnOrg, {}}}}));

  // --- Users.
  const DemoUser users[] = {
      {"admin", "王建国", "DZ0001", "13881810001", "dept-info", "admin", "sys_admin", true},
      {"secadmin", "李安", "DZ0002", "13881810002", "dept-info", "admin", "sec_admin", true},
      {"auditor", "赵审", "DZ0003", "13881810003", "dept-office", "admin", "auditor", true},
      {"leader", "陈志强", "DZ0010", "13881810010", "bureau", "leader", "leader", false},
      {"head_shebao", "周平", "DZ0020", "13881810020", "dept-shebao", "head", "shebao_head", false},
      {"inspector", "吴刚", "DZ0030", "13881810030", "unit-jiancha", "inspector", "inspector",
       false},
      {"clerk_zhuyang", "刘芳", "DZ0101", "13881810101", "station-zhuyang", "counter",
       "counter_clerk", false},
      {"clerk_baita", "张敏", "DZ0102", "13881810102", "station-baita", "counter", "counter_clerk",
       false},
  };
  std::vector<DemoAccount> out;
  const int64_t now = id.clock.NowMillis();
  HRSS_ASSIGN_OR_RETURN(std::string hash, id.hasher.Hash(options.password));
  HRSS_ASSIGN_OR_RETURN(auto tree, id.orgs.Tree());
  for (const DemoUser& du : users) {
    User u;
    u.username = du.username;
    u.display_name = du.display_name;
    u.staff_no = du.staff_no;
    u.org_id = org.at(du.org_code);
    u.post_ids = {post.at(du.post_code)};
    u.status = "active";
    u.password_hash = hash;
    u.password_changed_at = now;
    HRSS_ASSIGN_OR_RETURN(auto existing, id.users.FindByUsername(du.username));
    int64_t uid = 0;
    if (existing) {
      uid = existing->id;
      u.id = uid;
      HRSS_RETURN_IF_ERROR(id.users.Update(u, std::string(du.phone)));
      HRSS_RETURN_IF_ERROR(id.users.SetStatus(uid, "active"));
      HRSS_RETURN_IF_ERROR(id.users.Unlock(uid));
      HRSS_RETURN_IF_ERROR(id.users.SetPassword(uid, hash, now, kPasswordHistory));
    } else {
      HRSS_ASSIGN_OR_RETURN(uid, id.users.Create(u, du.phone));
    }
    HRSS_RETURN_IF_ERROR(id.roles.SetUserRoles(uid, {role.at(du.role_code)}));
    DemoAccount a{du.username, du.display_name,
                  tree->Find(u.org_id) ? tree->Find(u.org_id)->name : "",
                  role_name.at(du.role_code), ""};
    if (du.totp) {
      std::string secret = DemoTotpSecret(options.password, du.username);
      HRSS_RETURN_IF_ERROR(id.users.EnableTotp(uid, secret));
      a.totp_secret = Base32Encode(secret);
    }
    out.push_back(std::move(a));
  }
  id.authenticator.ForgetAll();
  return out;
}

std::string FormatDemoSummary(const std::vector<DemoAccount>& accounts) {
  if (accounts.empty()) return {};
  std::string s = "demo accounts (password: the demo password):\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-14s %-8s %-24s %s\n", "username", "name", "role", "org");
  s += line;
  for (const auto& a : accounts) {
    std::snprintf(line, sizeof line, "  %-14s %s  %s  %s\n", a.username.c_str(),
                  a.display_name.c_str(), a.role.c_str(), a.org.c_str());
    s += line;
  }
  s += "administrator TOTP secrets (RFC 6238, SHA-1, 6 digits, 30 s; add to an authenticator "
       "app):\n";
  for (const auto& a : accounts) {
    if (a.totp_secret.empty()) continue;
    std::snprintf(line, sizeof line, "  %-14s %s\n", a.username.c_str(), a.totp_secret.c_str());
    s += line;
  }
  return s;
}

}  // namespace hrss::identity
