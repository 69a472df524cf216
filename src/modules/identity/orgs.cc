#include "modules/identity/orgs.h"

#include <algorithm>

#include "core/division.h"
#include "db/transaction.h"

namespace hrss::identity {

bool IsOrgKind(std::string_view kind) {
  return kind == "bureau" || kind == "department" || kind == "unit" || kind == "station";
}

OrgTree::OrgTree(std::vector<Org> orgs) : orgs_(std::move(orgs)) {
  std::sort(orgs_.begin(), orgs_.end(), [](const Org& a, const Org& b) {
    return a.sort != b.sort ? a.sort < b.sort : a.id < b.id;
  });
  for (size_t i = 0; i < orgs_.size(); ++i) {
    index_[orgs_[i].id] = i;
    children_.emplace(orgs_[i].parent_id, orgs_[i].id);
  }
}

const Org* OrgTree::Find(int64_t id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &orgs_[it->second];
}

std::vector<int64_t> OrgTree::Subtree(int64_t root) const {
  std::vector<int64_t> out;
  if (Find(root) == nullptr) return out;
  std::vector<int64_t> stack{root};
  while (!stack.empty()) {
    int64_t id = stack.back();
    stack.pop_back();
    if (std::find(out.begin(), out.end(), id) != out.end()) continue;  // cycle guard
    out.push_back(id);
    auto [b, e] = children_.equal_range(id);
    for (auto it = b; it != e; ++it) stack.push_back(it->second);
  }
  return out;
}

std::vector<const Org*> OrgTree::Children(int64_t parent) const {
  std::vector<const Org*> out;
  auto [b, e] = children_.equal_range(parent);
  for (auto it = b; it != e; ++it) out.push_back(Find(it->second));
  std::sort(out.begin(), out.end(), [](const Org* a, const Org* b) {
    return a->sort != b->sort ? a->sort < b->sort : a->id < b->id;
  });
  return out;
}

namespace {
Org OrgFromRow(const db::Row& r) {
  Org o;
  o.id = r.GetInt64("id");
  o.parent_id = r.OptInt64("parent_id").value_or(0);
  o.code = r.GetText("code");
  o.name = r.GetText("name");
  o.kind = r.GetText("kind");
  o.division_code = r.OptText("division_code").value_or("");
  o.sort = static_cast<int>(r.GetInt64("sort"));
  return o;
}
constexpr const char* kOrgColumns = "id, parent_id, code, name, kind, division_code, sort";
}  // namespace

Result<std::shared_ptr<const OrgTree>> OrgStore::Tree() {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  if (tree_ && loaded_at_ >= 0 && now - loaded_at_ <= max_age_ms_ && now >= loaded_at_) {
    return tree_;
  }
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn->Query(std::string("SELECT ") + kOrgColumns + " FROM idn_org"));
  std::vector<Org> orgs;
  orgs.reserve(rows.size());
  for (const auto& r : rows) orgs.push_back(OrgFromRow(r));
  tree_ = std::make_shared<const OrgTree>(std::move(orgs));
  loaded_at_ = now;
  return tree_;
}

void OrgStore::Invalidate() {
  std::lock_guard lock(mu_);
  loaded_at_ = -1;
}

Status OrgStore::Validate(const Org& org, const OrgTree& tree) {
  if (org.name.empty() || org.name.size() > 128)
    return Status::InvalidArgument("机构名称须为 1–128 字节");
  if (!IsOrgKind(org.kind)) {
    return Status::InvalidArgument("机构类型须为 bureau、department、unit 或 station");
  }
  if (org.parent_id == 0) {
    if (org.kind != "bureau") return Status::InvalidArgument("只有局机关可以作为根机构");
  } else {
    if (tree.Find(org.parent_id) == nullptr) return Status::InvalidArgument("上级机构不存在");
    if (org.id != 0) {
      auto sub = tree.Subtree(org.id);
      if (std::find(sub.begin(), sub.end(), org.parent_id) != sub.end()) {
        return Status::InvalidArgument("上级机构不能是自身或下级机构");
      }
    }
  }
  if (org.kind == "station") {
    const Division* d = DivisionTable::Builtin().Find(org.division_code);
    if (d == nullptr || d->level != 4) {
      return Status::InvalidArgument("乡镇（街道）服务站须填写有效的乡镇区划代码");
    }
  } else if (!org.division_code.empty() &&
             DivisionTable::Builtin().Find(org.division_code) == nullptr) {
    return Status::InvalidArgument("区划代码无效");
  }
  return Status::Ok();
}

Result<int64_t> OrgStore::Create(const Org& org) {
  HRSS_ASSIGN_OR_RETURN(auto tree, Tree());
  Org o = org;
  o.id = 0;
  HRSS_RETURN_IF_ERROR(Validate(o, *tree));
  if (o.code.empty()) o.code = "org-" + std::to_string(clock_.NowMillis()) + "-" + o.name;
  int64_t id = 0;
  Status st = db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_org (parent_id, code, name, kind, division_code, sort, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {o.parent_id == 0 ? db::Value() : db::Value(o.parent_id), o.code, o.name, o.kind,
                o.division_code, o.sort, clock_.NowMillis()})
            .status());
    id = c.LastInsertId();
    return Status::Ok();
  });
  Invalidate();
  if (!st.ok()) return st;
  return id;
}

Status OrgStore::Update(const Org& org) {
  HRSS_ASSIGN_OR_RETURN(auto tree, Tree());
  const Org* cur = tree->Find(org.id);
  if (cur == nullptr) return Status::NotFound("机构不存在");
  if (cur->parent_id == 0 && org.parent_id != 0) return Status::InvalidArgument("根机构不能移动");
  HRSS_RETURN_IF_ERROR(Validate(org, *tree));
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  auto n = conn->Exec(
      "UPDATE idn_org SET parent_id = ?, name = ?, kind = ?, division_code = ?, sort = ? "
      "WHERE id = ?",
      {org.parent_id == 0 ? db::Value() : db::Value(org.parent_id), org.name, org.kind,
       org.division_code, org.sort, org.id});
  Invalidate();
  return n.status();
}

Status OrgStore::Delete(int64_t id) {
  Status st = db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(
        auto kids, c.QueryOne("SELECT COUNT(*) AS n FROM idn_org WHERE parent_id = ?", {id}));
    if (kids && kids->GetInt64("n") > 0) return Status::FailedPrecondition("机构下还有下级机构");
    HRSS_ASSIGN_OR_RETURN(auto users,
                          c.QueryOne("SELECT COUNT(*) AS n FROM idn_user WHERE org_id = ?", {id}));
    if (users && users->GetInt64("n") > 0) return Status::FailedPrecondition("机构下还有用户");
    HRSS_ASSIGN_OR_RETURN(int64_t n, c.Exec("DELETE FROM idn_org WHERE id = ?", {id}));
    if (n == 0) return Status::NotFound("机构不存在");
    return Status::Ok();
  });
  Invalidate();
  return st;
}

Result<int64_t> OrgStore::Upsert(const Org& org) {
  int64_t id = 0;
  Status st = db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(auto row,
                          c.QueryOne("SELECT id FROM idn_org WHERE code = ?", {org.code}));
    db::Value parent = org.parent_id == 0 ? db::Value() : db::Value(org.parent_id);
    if (row) {
      id = row->GetInt64("id");
      return c
          .Exec(
              "UPDATE idn_org SET parent_id = ?, name = ?, kind = ?, division_code = ?, "
              "sort = ? WHERE id = ?",
              {parent, org.name, org.kind, org.division_code, org.sort, id})
          .status();
    }
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_org (parent_id, code, name, kind, division_code, sort, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {parent, org.code, org.name, org.kind, org.division_code, org.sort,
                clock_.NowMillis()})
            .status());
    id = c.LastInsertId();
    return Status::Ok();
  });
  Invalidate();
  if (!st.ok()) return st;
  return id;
}

Result<std::vector<Post>> OrgStore::ListPosts() {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn->Query("SELECT id, code, name, sort FROM idn_post ORDER BY sort, id"));
  std::vector<Post> out;
  for (const auto& r : rows) {
    out.push_back({r.GetInt64("id"), r.GetText("code"), r.GetText("name"),
                   static_cast<int>(r.GetInt64("sort"))});
  }
  return out;
}

Result<int64_t> OrgStore::CreatePost(const Post& p) {
  if (p.name.empty() || p.name.size() > 128)
    return Status::InvalidArgument("岗位名称须为 1–128 字节");
  if (p.code.empty() || p.code.size() > 64)
    return Status::InvalidArgument("岗位编码须为 1–64 字节");
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_RETURN_IF_ERROR(conn->Exec("INSERT INTO idn_post (code, name, sort) VALUES (?, ?, ?)",
                                  {p.code, p.name, p.sort})
                           .status());
  return conn->LastInsertId();
}

Result<int64_t> OrgStore::UpsertPost(const Post& p) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row,
                        conn->QueryOne("SELECT id FROM idn_post WHERE code = ?", {p.code}));
  if (row) {
    int64_t id = row->GetInt64("id");
    HRSS_RETURN_IF_ERROR(
        conn->Exec("UPDATE idn_post SET name = ?, sort = ? WHERE id = ?", {p.name, p.sort, id})
            .status());
    return id;
  }
  conn.Release();
  return CreatePost(p);
}

}  // namespace hrss::identity
