// Helpers shared by the identity module's route files (internal).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "modules/identity/data_scope.h"
#include "modules/identity/principal.h"

namespace hrss::identity {

class Identity;
struct User;
struct Role;
struct Delegation;

namespace rt {

// The error envelope; ACCOUNT_LOCKED is 423.
http::Response Err(const http::Request& req, const Status& st);
http::Response Json(const boost::json::value& v, int status = 200);

Result<boost::json::object> Body(const http::Request& req);
// A string member ("" when absent); INVALID_ARGUMENT when not a string.
Result<std::string> Str(const boost::json::object& o, std::string_view key, size_t max_len = 4096);
Result<std::optional<int64_t>> Int(const boost::json::object& o, std::string_view key);
Result<std::vector<std::string>> StrList(const boost::json::object& o, std::string_view key);
Result<std::vector<int64_t>> IntList(const boost::json::object& o, std::string_view key);
Result<std::vector<ScopeGrant>> Scopes(const boost::json::object& o, std::string_view key);

Result<int64_t> PathId(const http::Request& req, std::string_view name = "id");
struct Page {
  int page = 1, size = 20;
};
Result<Page> ParsePage(const http::Request& req);
boost::json::object PageJson(boost::json::array items, int64_t total, const Page& p);

// The signed-in caller (routes that are not public always have one).
const UserPrincipal& Me(const http::Request& req);

boost::json::object SessionUserJson(const UserPrincipal& p);
boost::json::array ScopesJson(const std::vector<ScopeGrant>& scopes);
boost::json::object RoleJson(const Role& r);
boost::json::object DelegationJson(const Delegation& d, int64_t now);
// JSON string literal of `s` (for audit details).
std::string Q(std::string_view s);

}  // namespace rt
}  // namespace hrss::identity
