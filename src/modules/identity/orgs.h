// The organisation tree (bureau, departments 股室, units, township service
// stations) and posts, with an in-memory snapshot for scope resolution.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"

namespace hrss::identity {

// kind: "bureau" | "department" | "unit" | "station".
struct Org {
  int64_t id = 0;
  int64_t parent_id = 0;  // 0 for the root
  std::string code;       // stable business code, unique (e.g. "station-511724001")
  std::string name;
  std::string kind;
  std::string division_code;
  int sort = 0;
};
bool IsOrgKind(std::string_view kind);

// An immutable snapshot of all orgs.
class OrgTree {
 public:
  OrgTree() = default;
  explicit OrgTree(std::vector<Org> orgs);
  const Org* Find(int64_t id) const;
  // `root` and all its descendants (empty when unknown).
  std::vector<int64_t> Subtree(int64_t root) const;
  std::vector<const Org*> Children(int64_t parent) const;  // sort, id order
  const std::vector<Org>& orgs() const { return orgs_; }

 private:
  std::vector<Org> orgs_;
  std::map<int64_t, size_t> index_;
  std::multimap<int64_t, int64_t> children_;
};

struct Post {
  int64_t id = 0;
  std::string code;
  std::string name;
  int sort = 0;
};

class OrgStore {
 public:
  OrgStore(db::Pool& pool, Clock& clock, int64_t max_age_ms = 5000)
      : pool_(pool), clock_(clock), max_age_ms_(max_age_ms) {}

  // The current tree, cached for max_age_ms (another node may change it) and
  // dropped on every local change.
  Result<std::shared_ptr<const OrgTree>> Tree();
  void Invalidate();

  // Validates kind, parent and division code. Returns the new id.
  Result<int64_t> Create(const Org& org);
  Status Update(const Org& org);
  // FAILED_PRECONDITION when the org has children or users.
  Status Delete(int64_t id);
  // Inserts or updates by code (demo data); returns the id.
  Result<int64_t> Upsert(const Org& org);

  Result<std::vector<Post>> ListPosts();
  Result<int64_t> CreatePost(const Post& post);
  Result<int64_t> UpsertPost(const Post& post);

 private:
  Status Validate(const Org& org, const OrgTree& tree);

  db::Pool& pool_;
  Clock& clock_;
  const int64_t max_age_ms_;
  std::mutex mu_;
  std::shared_ptr<const OrgTree> tree_;  // GUARDED_BY(mu_)
  int64_t loaded_at_ = -1;               // GUARDED_BY(mu_)
};

}  // namespace hrss::identity
