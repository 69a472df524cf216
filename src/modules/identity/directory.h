// Display names of user accounts, for other modules' pages: a batch was
// "触发人 张三" rather than "zhangsan". Records keep the username (what the
// audit log and the account key are); pages resolve it when they show it,
// so a renamed user shows under the current name.
//
//   auto names = identity::DisplayNames({"clerk1", "scheduler"});
//   // {"clerk1": "王小红"}: names that are not accounts are left out
//
// The identity module installs the lookup when it starts and removes it when
// it goes; without it (a test without the identity module) every lookup is
// empty and pages fall back to the username.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace hrss::identity {

using DisplayNameLookup =
    std::function<Result<std::map<std::string, std::string>>(const std::vector<std::string>&)>;

void SetDisplayNameLookup(DisplayNameLookup lookup);

// username → display name for the accounts among `usernames` (duplicates and
// empty strings ignored). Empty when no lookup is installed or it failed
// (logged): display names are a courtesy, never a reason to fail a page.
std::map<std::string, std::string> DisplayNames(const std::vector<std::string>& usernames);

// For API answers: to every object in `items` whose string member `field`
// (e.g. "triggeredBy") is an account's username, adds `field` + "Name"
// ("triggeredByName") with its display name. One lookup for all items.
void AddDisplayNames(const std::vector<boost::json::object*>& items, std::string_view field);
// The same for the objects of an array, and for one object.
void AddDisplayNames(boost::json::array& items, std::string_view field);
void AddDisplayNames(boost::json::object& item, std::string_view field);

}  // namespace hrss::identity
