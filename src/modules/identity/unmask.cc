#include "modules/identity/unmask.h"

namespace hrss::identity {

void UnmaskRegistry::Register(const std::string& object_type, UnmaskHandler handler) {
  std::lock_guard lock(mu_);
  handlers_[object_type] = std::move(handler);
}

Result<std::string> UnmaskRegistry::Unmask(const UserPrincipal& caller,
                                           const std::string& object_type,
                                           const std::string& object_id,
                                           const std::string& field) const {
  UnmaskHandler h;
  {
    std::lock_guard lock(mu_);
    auto it = handlers_.find(object_type);
    if (it == handlers_.end()) return Status::NotFound("不支持的对象类型：" + object_type);
    h = it->second;
  }
  return h(caller, object_id, field);
}

}  // namespace hrss::identity
