#include "modules/identity/directory.h"

#include <mutex>
#include <set>

#include "core/log.h"

namespace hrss::identity {

namespace {
std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}
DisplayNameLookup& Installed() {
  static DisplayNameLookup lookup;
  return lookup;
}
}  // namespace

void SetDisplayNameLookup(DisplayNameLookup lookup) {
  std::lock_guard lock(Mu());
  Installed() = std::move(lookup);
}

std::map<std::string, std::string> DisplayNames(const std::vector<std::string>& usernames) {
  DisplayNameLookup lookup;
  {
    std::lock_guard lock(Mu());
    lookup = Installed();
  }
  std::set<std::string> unique;
  for (const auto& u : usernames) {
    if (!u.empty()) unique.insert(u);
  }
  if (!lookup || unique.empty()) return {};
  auto names = lookup(std::vector<std::string>(unique.begin(), unique.end()));
  if (!names.ok()) {
    log::Warn("identity.display_names_failed", {{"error", names.status().ToString()}});
    return {};
  }
  return std::move(names).value();
}

void AddDisplayNames(boost::json::array& items, std::string_view field) {
  std::vector<std::string> usernames;
  for (const auto& v : items) {
    const auto* o = v.if_object();
    const auto* s = o ? o->if_contains(field) : nullptr;
    if (s && s->is_string()) usernames.emplace_back(s->as_string());
  }
  const auto names = DisplayNames(usernames);
  if (names.empty()) return;
  const std::string name_key = std::string(field) + "Name";
  for (auto& v : items) {
    auto* o = v.if_object();
    const auto* s = o ? o->if_contains(field) : nullptr;
    if (!s || !s->is_string()) continue;
    auto it = names.find(std::string(s->as_string()));
    if (it != names.end()) (*o)[name_key] = it->second;
  }
}

void AddDisplayNames(boost::json::object& item, std::string_view field) {
  boost::json::array one{std::move(item)};
  AddDisplayNames(one, field);
  item = std::move(one[0].as_object());
}

}  // namespace hrss::identity
