// Router: maps (method, path) to a route. Patterns are literal segments,
// `{name}` segments (one path segment) and a final `{*name}` (the rest).
//
//   router.Add({.method = Method::kGet, .pattern = "/api/v1/persons/{id}",
//               .permission = "datacenter:person:read", .handler = ...});
//
// Every route declares either the permission key its caller needs or that it
// is public (`is_public = true`); Add() refuses a route that does neither, so
// nothing becomes reachable by accident (deny by default).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace hrss::http {

using Handler = std::function<Response(Request&)>;

enum class Execution {
  kWorker,  // may block (SQL, files): runs on the bounded worker pool
  kInline,  // never blocks, microseconds: runs on the I/O thread — unless a
            // filter says this request may block (Filter::MayBlock), then on
            // the worker pool
};

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  std::string permission;   // function permission key, e.g. "system:setting:read"
  bool is_public = false;   // no authentication needed
  // For public routes: still resolve the caller when credentials come with
  // the request (e.g. the SSO authorize endpoint, which sends anonymous users
  // to the login page); bad or expired credentials then mean "anonymous".
  bool attach_principal = false;
  Execution execution = Execution::kWorker;
  int64_t max_body_bytes = -1;  // -1: server default
  bool websocket = false;   // GET that upgrades to a WebSocket
  std::string summary;      // one line for the API listing
  Handler handler;

  // Assigned by the router: index used for per-route metrics.
  size_t index = 0;
};

struct Match {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
  const Route* route = nullptr;
  // For kMethodNotAllowed: the methods that exist, e.g. "GET, HEAD".
  std::string allow;
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route. INVALID_ARGUMENT for a malformed pattern, a route with
  // neither permission nor is_public, or no handler; CONFLICT for a duplicate.
  // REQUIRES: called before the server starts (not thread-safe with Find).
  Status Add(Route route);

  // Looks up `path` (already percent-decoded). HEAD matches GET routes.
  Match Find(Method method, std::string_view path) const;

  // All routes, in registration order.
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

  struct Node;  // trie node; opaque

 private:
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace hrss::http
