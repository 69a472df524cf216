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

void AddDisplayNames(const std::vector<boost::json::object*>& items, std::string_view field) {
  auto username = [&](const boost::json::object* o) -> const boost::json::string* {
    const auto* v = o ? o->if_contains(field) : nullptr;
    return v ? v->if_string() : nullptr;
  };
  std::vector<std::string> usernames;
  for (const auto* o : items) {
    if (const auto* u = username(o)) usernames.emplace_back(*u);
  }
  const auto names = DisplayNames(usernames);
  if (names.empty()) return;
  const std::string name_key = std::string(field) + "Name";
  for (auto* o : items) {
    const auto* u = username(o);
    if (u == nullptr) continue;
    if (auto it = names.find(std::string(*u)); it != names.end()) (*o)[name_key] = it->second;
  }
}

void AddDisplayNames(boost::json::array& items, std::string_view field) {
  std::vector<boost::json::object*> objects;
  for (auto& v : items) objects.push_back(v.if_object());
  AddDisplayNames(objects, field);
}

void AddDisplayNames(boost::json::object& item, std::string_view field) {
  AddDisplayNames(std::vector<boost::json::object*>{&item}, field);
}

}  // namespace hrss::identity
