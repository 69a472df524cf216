#include "http/router.h"

#include <gtest/gtest.h>

#include <string>

namespace hrss::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

Route R(Method m, std::string pattern, std::string name = "") {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.is_public = true;
  r.handler = Named(name.empty() ? r.pattern : name);
  return r;
}

std::string Param(const Match& m, const std::string& name) {
  for (const auto& [k, v] : m.params) {
    if (k == name) return v;
  }
  return "<none>";
}

TEST(RouterTest, LiteralParamAndRestMatching) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/{id}")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/{id}/jobs/{job}")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/files/{*rest}")).ok());

  Match m = router.Find(Method::kGet, "/api/v1/persons");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/persons");
  EXPECT_TRUE(m.params.empty());

  m = router.Find(Method::kGet, "/api/v1/persons/42");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/persons/{id}");
  EXPECT_EQ(Param(m, "id"), "42");

  m = router.Find(Method::kGet, "/api/v1/persons/7/jobs/x-1");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(Param(m, "id"), "7");
  EXPECT_EQ(Param(m, "job"), "x-1");

  m = router.Find(Method::kGet, "/files/a/b/c.txt");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/files/{*rest}");
  EXPECT_EQ(Param(m, "rest"), "a/b/c.txt");

  // A {param} never matches an empty segment; unknown paths are not found.
  EXPECT_EQ(router.Find(Method::kGet, "/api/v1/persons/").kind, Match::Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/api/v1/persons/1/2").kind, Match::Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/api/v2/persons").kind, Match::Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/").kind, Match::Kind::kNotFound);
}

TEST(RouterTest, PrecedenceLiteralBeatsParamBeatsRestWithBacktracking) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/{*path}", "static")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/me", "me")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/{id}", "person")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/{id}/card", "card")).ok());
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/me/settings", "settings")).ok());

  auto name = [&](std::string_view path) {
    Match m = router.Find(Method::kGet, path);
    if (m.kind != Match::Kind::kFound) return std::string("<none>");
    Request req;
    return m.route->handler(req).body;
  };
  EXPECT_EQ(name("/api/v1/persons/me"), "me");
  EXPECT_EQ(name("/api/v1/persons/42"), "person");
  EXPECT_EQ(name("/api/v1/persons/me/settings"), "settings");
  // "me" is a literal, but "/me/card" only exists through {id}: backtrack.
  EXPECT_EQ(name("/api/v1/persons/me/card"), "card");
  Match m = router.Find(Method::kGet, "/api/v1/persons/me/card");
  EXPECT_EQ(Param(m, "id"), "me");
  // Everything else falls to the catch-all.
  EXPECT_EQ(name("/api/v1/persons/42/other"), "static");
  EXPECT_EQ(name("/"), "static");
  EXPECT_EQ(name("/portal/a/b"), "static");
  EXPECT_EQ(Param(router.Find(Method::kGet, "/portal/a/b"), "path"), "portal/a/b");
}

TEST(RouterTest, HeadMatchesGet) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/x")).ok());
  Match m = router.Find(Method::kHead, "/api/v1/x");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->method, Method::kGet);
}

TEST(RouterTest, ExplicitHeadRouteWinsOverGet) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/x", "get")).ok());
  ASSERT_TRUE(router.Add(R(Method::kHead, "/api/v1/x", "head")).ok());
  Match m = router.Find(Method::kHead, "/api/v1/x");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->method, Method::kHead);
  m = router.Find(Method::kPost, "/api/v1/x");
  ASSERT_EQ(m.kind, Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");  // HEAD listed once
}

TEST(RouterTest, MethodNotAllowedListsAllow) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/items/{id}")).ok());
  ASSERT_TRUE(router.Add(R(Method::kPut, "/api/v1/items/{id}")).ok());
  ASSERT_TRUE(router.Add(R(Method::kDelete, "/api/v1/items/{id}")).ok());
  Match m = router.Find(Method::kPost, "/api/v1/items/9");
  ASSERT_EQ(m.kind, Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD, PUT, DELETE, OPTIONS");

  Router post_only;
  ASSERT_TRUE(post_only.Add(R(Method::kPost, "/api/v1/login")).ok());
  m = post_only.Find(Method::kGet, "/api/v1/login");
  ASSERT_EQ(m.kind, Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST, OPTIONS");
  // HEAD on a path without GET is not allowed either.
  EXPECT_EQ(post_only.Find(Method::kHead, "/api/v1/login").kind, Match::Kind::kMethodNotAllowed);
}

TEST(RouterTest, RefusesRouteWithoutPermissionOrPublic) {
  Router router;
  Route r;
  r.method = Method::kGet;
  r.pattern = "/api/v1/secret";
  r.handler = Named("x");
  Status s = router.Add(r);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_TRUE(router.routes().empty());
  EXPECT_EQ(router.Find(Method::kGet, "/api/v1/secret").kind, Match::Kind::kNotFound);

  // Both at once is a contradiction, also refused.
  r.permission = "system:secret:read";
  r.is_public = true;
  EXPECT_EQ(router.Add(r).code(), Code::kInvalidArgument);

  r.is_public = false;
  EXPECT_TRUE(router.Add(r).ok());
  EXPECT_EQ(router.Find(Method::kGet, "/api/v1/secret").kind, Match::Kind::kFound);
}

TEST(RouterTest, RefusesMalformedRoutes) {
  Router router;
  EXPECT_EQ(router.Add(R(Method::kGet, "api/v1/x")).code(), Code::kInvalidArgument);
  EXPECT_EQ(router.Add(R(Method::kGet, "")).code(), Code::kInvalidArgument);
  EXPECT_EQ(router.Add(R(Method::kGet, "/files/{*rest}/more")).code(), Code::kInvalidArgument);
  EXPECT_EQ(router.Add(R(Method::kGet, "/a/x{id}")).code(), Code::kInvalidArgument);
  EXPECT_EQ(router.Add(R(Method::kGet, "/a/{}")).code(), Code::kInvalidArgument);
  Route no_handler = R(Method::kGet, "/a");
  no_handler.handler = nullptr;
  EXPECT_EQ(router.Add(no_handler).code(), Code::kInvalidArgument);
  ASSERT_TRUE(router.Add(R(Method::kGet, "/a/{id}")).ok());
  EXPECT_EQ(router.Add(R(Method::kPut, "/a/{name}")).code(), Code::kInvalidArgument);
}

TEST(RouterTest, DuplicateRouteIsConflict) {
  Router router;
  ASSERT_TRUE(router.Add(R(Method::kGet, "/api/v1/persons/{id}")).ok());
  EXPECT_EQ(router.Add(R(Method::kGet, "/api/v1/persons/{id}")).code(), Code::kConflict);
  // Same pattern, other method: fine.
  EXPECT_TRUE(router.Add(R(Method::kPost, "/api/v1/persons/{id}")).ok());
  EXPECT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->index, 0u);
  EXPECT_EQ(router.routes()[1]->index, 1u);
}

}  // namespace
}  // namespace hrss::http
