#include "modules/identity/catalog.h"

namespace hrss::identity {

std::string_view PermissionKindName(PermissionKind k) {
  switch (k) {
    case PermissionKind::kMenu: return "menu";
    case PermissionKind::kButton: return "button";
    case PermissionKind::kApi: return "api";
  }
  return "api";
}

namespace {
bool ValidKey(std::string_view key) {
  if (key.empty() || key.size() > 96) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
              c == '-' || c == '*';
    if (!ok) return false;
  }
  return key.front() != ':' && key.back() != ':';
}
}  // namespace

Status PermissionCatalog::Add(PermissionEntry e) {
  if (!ValidKey(e.key)) return Status::InvalidArgument("malformed permission key: " + e.key);
  std::lock_guard lock(mu_);
  for (const auto& x : entries_) {
    if (x.key == e.key) {
      if (x.name == e.name && x.parent == e.parent) return Status::Ok();
      return Status::Conflict("permission key registered twice differently: " + e.key);
    }
  }
  entries_.push_back(std::move(e));
  return Status::Ok();
}

bool PermissionCatalog::Contains(std::string_view key) const {
  std::lock_guard lock(mu_);
  for (const auto& x : entries_) {
    if (x.key == key) return true;
  }
  return false;
}

std::optional<PermissionEntry> PermissionCatalog::Find(std::string_view key) const {
  std::lock_guard lock(mu_);
  for (const auto& x : entries_) {
    if (x.key == key) return x;
  }
  return std::nullopt;
}

std::vector<PermissionEntry> PermissionCatalog::Entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

PermissionCatalog& Catalog() {
  static PermissionCatalog* catalog = new PermissionCatalog();
  return *catalog;
}

Status RegisterIdentityPermissions(PermissionCatalog& c) {
  using K = PermissionKind;
  const std::vector<PermissionEntry> entries = {
      // Personal center: implicit for every signed-in user.
      {"self", "个人中心", K::kMenu, "", 0},
      {"self:profile", "个人信息与会话", K::kApi, "self", 1},
      {"self:password", "修改密码", K::kApi, "self", 2},
      {"self:totp", "动态口令（TOTP）", K::kApi, "self", 3},
      {"self:cert", "证书登录", K::kApi, "self", 4},
      {"self:delegation", "权限转授", K::kApi, "self", 5},
      {"self:apps", "应用目录（单点登录）", K::kApi, "self", 6},
      // System administration (system administrator).
      {"system", "系统管理", K::kMenu, "", 10},
      {"system:org:read", "机构与岗位查看", K::kApi, "system", 11},
      {"system:org:write", "机构与岗位维护", K::kButton, "system", 12},
      {"system:user:read", "用户查看", K::kApi, "system", 13},
      {"system:user:write", "用户维护（新增、停用、解锁、重置密码）", K::kButton, "system", 14},
      {"system:app:read", "单点登录应用查看", K::kApi, "system", 15},
      {"system:app:write", "单点登录应用登记与停用", K::kButton, "system", 16},
      // Security administration (security administrator).
      {"security", "安全管理", K::kMenu, "", 20},
      {"security:role:read", "角色与权限查看", K::kApi, "security", 21},
      {"security:role:write", "角色维护（权限、数据范围）", K::kButton, "security", 22},
      {"security:role:grant", "为用户授予角色", K::kButton, "security", 23},
      {"security:session:read", "在线用户", K::kApi, "security", 24},
      {"security:session:kick", "强制下线", K::kButton, "security", 25},
      // Audit (auditor).
      {"audit", "安全审计", K::kMenu, "", 30},
      {"audit:log:read", "审计日志查询与校验", K::kApi, "audit", 31},
      // Personal information.
      {"pii", "个人信息保护", K::kMenu, "", 40},
      {"pii:unmask", "查看脱敏字段原文", K::kButton, "pii", 41},
      // Later subsystems' menus (their modules add the API keys).
      {"datacenter", "数据中心", K::kMenu, "", 100},
      {"datacenter:person:read", "人员信息查询", K::kApi, "datacenter", 101},
      {"datacenter:dict:read", "数据字典查看与导出", K::kApi, "datacenter", 102},
      // The data center's other keys are listed here too (same names as the
      // module adds them with), because the demo roles grant them and a
      // platform without the datacenter module must still know them.
      {"datacenter:unit:read", "单位信息查询（单位 360°）", K::kApi, "datacenter", 103},
      {"datacenter:export:request", "申请批量导出", K::kButton, "datacenter", 108},
      {"datacenter:export:approve", "审批批量导出", K::kButton, "datacenter", 109},
      {"datacenter:collect:read", "采集任务与批次查看", K::kApi, "datacenter", 110},
      {"datacenter:collect:run", "立即执行采集任务", K::kApi, "datacenter", 111},
      {"datacenter:collect:manage", "采集任务配置、代码映射维护", K::kApi, "datacenter", 112},
      {"datacenter:quarantine:fix", "问题数据修正与重新处理", K::kApi, "datacenter", 113},
      {"datacenter:quality:read", "数据质量查看", K::kApi, "datacenter", 114},
      {"datacenter:conflict:resolve", "人员信息冲突处理", K::kApi, "datacenter", 115},
      {"analytics", "分析决策与指挥中心", K::kMenu, "", 110},
      {"analytics:dashboard:read", "指挥中心大屏", K::kApi, "analytics", 111},
      {"analytics:query", "多维分析查询、领域视图与结果导出", K::kApi, "analytics", 112},
      {"analytics:view:manage", "保存、共享视图并固定到工作台", K::kButton, "analytics", 113},
      {"analytics:refresh", "重建分析数据集", K::kButton, "analytics", 114},
      {"screen:view", "指挥中心大屏查看", K::kApi, "analytics", 115},
      {"screen:manage", "指挥中心大屏配置（轮播、布局、视频）", K::kButton, "analytics", 116},
      {"jubao", "城乡居民养老保险", K::kMenu, "", 120},
      {"jubao:record:read", "居保业务查询", K::kApi, "jubao", 121},
      {"jubao:record:write", "居保业务经办", K::kButton, "jubao", 122},
      {"shebao", "社会保险", K::kMenu, "", 130},
      {"shebao:record:read", "社保业务查询", K::kApi, "shebao", 131},
      {"shebao:record:write", "社保业务经办", K::kButton, "shebao", 132},
      {"jibao", "机关事业单位养老保险", K::kMenu, "", 140},
      {"jibao:record:read", "机保业务查询", K::kApi, "jibao", 141},
      {"jiuye", "就业创业", K::kMenu, "", 150},
      {"jiuye:record:read", "就业业务查询", K::kApi, "jiuye", 151},
      {"jiuye:record:write", "就业业务经办", K::kButton, "jiuye", 152},
      {"jiancha", "劳动保障监察", K::kMenu, "", 160},
      {"jiancha:case:read", "监察案件查询", K::kApi, "jiancha", 161},
      {"jiancha:case:write", "监察案件办理", K::kButton, "jiancha", 162},
      {"dangan", "档案管理", K::kMenu, "", 170},
      {"dangan:record:read", "档案查询", K::kApi, "dangan", 171},
      {"renshi", "人事人才", K::kMenu, "", 180},
      {"renshi:record:read", "人事业务查询", K::kApi, "renshi", 181},
      {"workflow", "协同办公", K::kMenu, "", 190},
      {"workflow:task:read", "待办事项", K::kApi, "workflow", 191},
  };
  for (const auto& e : entries) HRSS_RETURN_IF_ERROR(c.Add(e));
  return Status::Ok();
}

}  // namespace hrss::identity
