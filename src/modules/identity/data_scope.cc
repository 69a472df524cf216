#include "modules/identity/data_scope.h"

#include <charconv>

#include "modules/identity/orgs.h"

namespace hrss::identity {

const std::vector<ScopeDomain>& ScopeDomains() {
  static const std::vector<ScopeDomain> domains = {
      {"jubao", "居保"},       {"shebao", "社保"}, {"jibao", "机保"},  {"jiuye", "就业"},
      {"jiancha", "劳动监察"}, {"dangan", "档案"}, {"renshi", "人事"}, {"system", "账号与机构"},
  };
  return domains;
}

bool IsScopeDomain(std::string_view domain) {
  for (const auto& d : ScopeDomains()) {
    if (d.domain == domain) return true;
  }
  return false;
}

std::string_view ScopeKindName(ScopeKind k) {
  switch (k) {
    case ScopeKind::kAll: return "all";
    case ScopeKind::kOrgSubtree: return "org_subtree";
    case ScopeKind::kOwnOrg: return "own_org";
    case ScopeKind::kSelf: return "self";
    case ScopeKind::kList: return "list";
  }
  return "self";
}

Result<ScopeKind> ParseScopeKind(std::string_view name) {
  for (ScopeKind k : {ScopeKind::kAll, ScopeKind::kOrgSubtree, ScopeKind::kOwnOrg, ScopeKind::kSelf,
                      ScopeKind::kList}) {
    if (ScopeKindName(k) == name) return k;
  }
  return Status::InvalidArgument("未知的数据范围类型：" + std::string(name));
}

DataScope DataScope::All() {
  DataScope s;
  s.all_ = true;
  return s;
}

bool DataScope::Allows(int64_t org_id, int64_t owner_user_id) const {
  if (all_) return true;
  if (org_id != 0 && org_ids_.count(org_id)) return true;
  if (owner_user_id != 0 && owner_ids_.count(owner_user_id)) return true;
  return false;
}

bool DataScope::AllowsDivision(std::string_view code) const {
  if (all_) return true;
  if (code.empty()) return false;
  for (const auto& d : division_codes_) {
    if (d.size() == 9 && d == code) return true;
    if (d.size() == 6 && code.size() >= 6 && code.substr(0, 6) == d) return true;
  }
  return false;
}

bool DataScope::CoversOrgs(const std::set<int64_t>& orgs) const {
  if (all_) return true;
  for (int64_t o : orgs) {
    if (!org_ids_.count(o)) return false;
  }
  return true;
}

bool DataScope::Covers(const DataScope& other) const {
  if (all_) return true;
  if (other.all_) return false;
  if (!CoversOrgs(other.org_ids_)) return false;
  for (const auto& d : other.division_codes_) {
    if (!AllowsDivision(d)) return false;
  }
  for (int64_t u : other.owner_ids_) {
    if (!owner_ids_.count(u)) return false;
  }
  return true;
}

SqlFilter DataScope::Where(const ScopeColumns& cols) const {
  SqlFilter f;
  if (all_) {
    f.sql = "1=1";
    return f;
  }
  std::vector<std::string> parts;
  auto in_list = [&](std::string_view col, size_t n) {
    std::string s(col);
    s += " IN (";
    for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
    s += ")";
    return s;
  };
  if (!cols.org.empty() && !org_ids_.empty()) {
    parts.push_back(in_list(cols.org, org_ids_.size()));
    for (int64_t o : org_ids_) f.params.emplace_back(o);
  }
  if (!cols.division.empty() && !division_codes_.empty()) {
    std::vector<std::string> exact;
    for (const auto& d : division_codes_) {
      if (d.size() == 6) {
        parts.push_back(std::string(cols.division) + " LIKE ?");
        f.params.emplace_back(d + "%");
      } else {
        exact.push_back(d);
      }
    }
    if (!exact.empty()) {
      parts.push_back(in_list(cols.division, exact.size()));
      for (auto& d : exact) f.params.emplace_back(d);
    }
  }
  if (!cols.owner.empty() && !owner_ids_.empty()) {
    parts.push_back(in_list(cols.owner, owner_ids_.size()));
    for (int64_t u : owner_ids_) f.params.emplace_back(u);
  }
  if (parts.empty()) {
    f.sql = "1=0";
    return f;
  }
  f.sql = "(";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) f.sql += " OR ";
    f.sql += parts[i];
  }
  f.sql += ")";
  return f;
}

void DataScope::AddOrg(int64_t org, const OrgTree& tree) {
  const Org* o = tree.Find(org);
  if (o == nullptr) return;
  org_ids_.insert(org);
  if ((o->kind == "station" && o->division_code.size() == 9) ||
      (o->kind == "bureau" && o->division_code.size() == 6)) {
    division_codes_.insert(o->division_code);
  }
}

void DataScope::Add(const ScopeGrant& g, const OrgTree& tree, int64_t holder_org,
                    int64_t holder_id) {
  switch (g.kind) {
    case ScopeKind::kAll: all_ = true; break;
    case ScopeKind::kOrgSubtree:
      for (int64_t root : g.org_ids) {
        for (int64_t o : tree.Subtree(root)) AddOrg(o, tree);
      }
      break;
    case ScopeKind::kOwnOrg:
      if (holder_org != 0) AddOrg(holder_org, tree);
      break;
    case ScopeKind::kSelf:
      if (holder_id != 0) owner_ids_.insert(holder_id);
      break;
    case ScopeKind::kList:
      for (int64_t o : g.org_ids) AddOrg(o, tree);
      break;
  }
}

void DataScope::Union(const DataScope& other) {
  all_ = all_ || other.all_;
  org_ids_.insert(other.org_ids_.begin(), other.org_ids_.end());
  division_codes_.insert(other.division_codes_.begin(), other.division_codes_.end());
  owner_ids_.insert(other.owner_ids_.begin(), other.owner_ids_.end());
}

Status ValidateGrant(const ScopeGrant& g, const OrgTree& tree) {
  if (!IsScopeDomain(g.domain)) return Status::InvalidArgument("未知的业务域：" + g.domain);
  if (g.kind == ScopeKind::kOrgSubtree || g.kind == ScopeKind::kList) {
    if (g.org_ids.empty()) {
      return Status::InvalidArgument("数据范围 " + std::string(ScopeKindName(g.kind)) +
                                     " 须指定机构");
    }
    for (int64_t o : g.org_ids) {
      if (tree.Find(o) == nullptr) {
        return Status::InvalidArgument("数据范围中的机构不存在：" + std::to_string(o));
      }
    }
  }
  return Status::Ok();
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(ids[i]);
  }
  return s;
}

std::vector<int64_t> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec == std::errc() && p == part.data() + part.size() && v > 0) out.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace hrss::identity
