#include "platform/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace hrss {
namespace {

http::Route MakeRoute(std::string pattern, std::string permission, std::string summary) {
  http::Route r;
  r.method = http::Method::kGet;
  r.pattern = std::move(pattern);
  r.permission = std::move(permission);
  r.is_public = r.permission.empty();
  r.summary = std::move(summary);
  r.handler = [](http::Request&) { return http::Response::NoContent(); };
  return r;
}

TEST(OpenApi, DescribesEveryRouteWithPermissionAndParameters) {
  http::Router router;
  ASSERT_TRUE(router.Add(MakeRoute("/api/v1/users/{id}", "system:user:read", "用户详情")).ok());
  ASSERT_TRUE(router.Add(MakeRoute("/healthz", "", "健康")).ok());
  auto doc = boost::json::parse(BuildOpenApi(router, "9.9.9")).as_object();
  EXPECT_EQ(doc["openapi"].as_string(), "3.0.3");
  auto& op = doc["paths"].as_object()["/api/v1/users/{id}"].as_object()["get"].as_object();
  EXPECT_EQ(op["x-permission"].as_string(), "system:user:read");
  EXPECT_EQ(op["summary"].as_string(), "用户详情");
  EXPECT_EQ(op["parameters"].as_array()[0].as_object()["name"].as_string(), "id");
  EXPECT_TRUE(
      doc["paths"].as_object()["/healthz"].as_object()["get"].as_object()["x-public"].as_bool());
  EXPECT_TRUE(CheckRouteDeclarations(router).ok());
}

TEST(OpenApi, RouteDeclarationsAreChecked) {
  {
    http::Router router;
    ASSERT_TRUE(router.Add(MakeRoute("/a", "system:user:read", "")).ok());
    EXPECT_FALSE(CheckRouteDeclarations(router).ok()) << "missing summary";
  }
  for (const char* bad : {"System:User", "system", "system::read", "system:user read"}) {
    http::Router router;
    ASSERT_TRUE(router.Add(MakeRoute("/a", bad, "说明")).ok());
    EXPECT_FALSE(CheckRouteDeclarations(router).ok()) << bad;
  }
}

}  // namespace
}  // namespace hrss
