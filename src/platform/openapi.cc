#include "platform/openapi.h"

#include <boost/json.hpp>

#include "core/text.h"

namespace hrss {
namespace {

std::string OperationKey(http::Method m) { return AsciiLower(http::MethodName(m)); }

bool WellFormedPermission(std::string_view key) {
  // segments of [a-z0-9_-] (or a final "*") separated by ':', at least two
  int segments = 1;
  bool empty = true;
  for (char c : key) {
    if (c == ':') {
      if (empty) return false;
      ++segments;
      empty = true;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*';
    if (!ok) return false;
    empty = false;
  }
  return !empty && segments >= 2;
}

}  // namespace

std::string BuildOpenApi(const http::Router& router, std::string_view version) {
  boost::json::object paths;
  for (const auto& r : router.routes()) {
    if (r->pattern == "/{*path}") continue;  // the web apps, not an API
    boost::json::object op;
    op["summary"] = r->summary;
    op["operationId"] = OperationKey(r->method) + " " + r->pattern;
    if (r->is_public) {
      op["x-public"] = true;
    } else {
      op["x-permission"] = r->permission;
      op["security"] = boost::json::array{boost::json::object{{"session", boost::json::array{}}},
                                          boost::json::object{{"bearer", boost::json::array{}}}};
    }
    boost::json::array params;
    std::string_view p = r->pattern;
    size_t open = 0;
    while ((open = p.find('{', open)) != std::string_view::npos) {
      size_t close = p.find('}', open);
      std::string_view name = p.substr(open + 1, close - open - 1);
      if (!name.empty() && name[0] == '*') name.remove_prefix(1);
      params.push_back(boost::json::object{{"name", name},
                                           {"in", "path"},
                                           {"required", true},
                                           {"schema", boost::json::object{{"type", "string"}}}});
      open = close;
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    op["responses"] = boost::json::object{
        {"default",
         boost::json::object{{"description", "成功，或错误信封 {code, message, requestId}"}}}};
    if (r->websocket) op["x-websocket"] = true;
    boost::json::value& item = paths[r->pattern];
    if (!item.is_object()) item = boost::json::object{};
    item.as_object()[OperationKey(r->method)] = std::move(op);
  }
  boost::json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = boost::json::object{{"title", "大竹数字人社平台 API"}, {"version", version}};
  doc["paths"] = std::move(paths);
  doc["components"] = boost::json::object{
      {"securitySchemes",
       boost::json::object{
           {"session",
            boost::json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "hrss_session"}}},
           {"bearer", boost::json::object{{"type", "http"}, {"scheme", "bearer"}}}}}};
  return boost::json::serialize(doc);
}

Status CheckRouteDeclarations(const http::Router& router) {
  for (const auto& r : router.routes()) {
    std::string name = std::string(http::MethodName(r->method)) + " " + r->pattern;
    if (r->summary.empty()) return Status::InvalidArgument("route " + name + " has no summary");
    if (!r->is_public && !WellFormedPermission(r->permission)) {
      return Status::InvalidArgument("route " + name +
                                     " has a malformed permission key: " + r->permission);
    }
  }
  return Status::Ok();
}

}  // namespace hrss
