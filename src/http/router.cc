#include "http/router.h"

#include <map>

namespace hrss::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;  // {name}
  std::string param_name;
  std::unique_ptr<Node> rest;   // {*name}
  std::string rest_name;
  std::map<Method, const Route*> routes;
};

namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return parts;
}

std::string AllowList(const std::map<Method, const Route*>& routes) {
  std::string allow;
  auto add = [&](std::string_view m) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  };
  for (const auto& [m, r] : routes) {
    if (m == Method::kHead && routes.count(Method::kGet)) continue;  // listed with GET
    add(MethodName(m));
    if (m == Method::kGet) add("HEAD");
  }
  if (!routes.count(Method::kOptions)) add("OPTIONS");
  return allow;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

Status Router::Add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/') {
    return Status::InvalidArgument("route pattern must start with '/': " + route.pattern);
  }
  if (!route.handler) return Status::InvalidArgument("route without handler: " + route.pattern);
  if (route.permission.empty() && !route.is_public) {
    return Status::InvalidArgument("route " + route.pattern +
                                   " declares neither a permission nor is_public");
  }
  if (!route.permission.empty() && route.is_public) {
    return Status::InvalidArgument("route " + route.pattern + " is both public and permissioned");
  }
  Node* node = root_.get();
  auto parts = SplitPath(route.pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view seg = parts[i];
    if (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (name[0] == '*') {
        if (i + 1 != parts.size()) {
          return Status::InvalidArgument("{*rest} must be last: " + route.pattern);
        }
        if (!node->rest) node->rest = std::make_unique<Node>();
        node->rest_name = std::string(name.substr(1));
        node = node->rest.get();
      } else {
        if (!node->param) {
          node->param = std::make_unique<Node>();
          node->param_name = std::string(name);
        } else if (node->param_name != name) {
          return Status::InvalidArgument("conflicting parameter names at " + route.pattern);
        }
        node = node->param.get();
      }
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        return Status::InvalidArgument("malformed segment in " + route.pattern);
      }
      auto it = node->literals.find(seg);
      if (it == node->literals.end()) {
        it = node->literals.emplace(std::string(seg), std::make_unique<Node>()).first;
      }
      node = it->second.get();
    }
  }
  if (node->routes.count(route.method)) {
    return Status::Conflict("duplicate route " + std::string(MethodName(route.method)) + " " +
                            route.pattern);
  }
  route.index = routes_.size();
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  node->routes[routes_.back()->method] = routes_.back().get();
  return Status::Ok();
}

namespace {

// Depth-first match: literal beats {param} beats {*rest}, with backtracking.
// Returns the node holding routes, or null.
const Router::Node* Walk(const Router::Node* n, const std::vector<std::string_view>& parts,
                         size_t i, std::vector<std::pair<std::string, std::string>>* params);

}  // namespace

Match Router::Find(Method method, std::string_view path) const {
  Match m;
  auto parts = SplitPath(path);
  std::vector<std::pair<std::string, std::string>> params;
  const Node* found = Walk(root_.get(), parts, 0, &params);
  if (!found) return m;
  auto it = found->routes.find(method);
  // HEAD is served by the GET route unless a HEAD route is registered.
  if (it == found->routes.end() && method == Method::kHead) it = found->routes.find(Method::kGet);
  if (it == found->routes.end()) {
    m.kind = Match::Kind::kMethodNotAllowed;
    m.allow = AllowList(found->routes);
    return m;
  }
  m.kind = Match::Kind::kFound;
  m.route = it->second;
  m.params = std::move(params);
  return m;
}

namespace {

const Router::Node* Walk(const Router::Node* n, const std::vector<std::string_view>& parts,
                         size_t i, std::vector<std::pair<std::string, std::string>>* params) {
  if (i == parts.size()) return n->routes.empty() ? nullptr : n;
  auto it = n->literals.find(parts[i]);
  if (it != n->literals.end()) {
    if (const auto* f = Walk(it->second.get(), parts, i + 1, params)) return f;
  }
  if (n->param && !parts[i].empty()) {
    params->emplace_back(n->param_name, std::string(parts[i]));
    if (const auto* f = Walk(n->param.get(), parts, i + 1, params)) return f;
    params->pop_back();
  }
  if (n->rest && !n->rest->routes.empty()) {
    std::string rest;
    for (size_t j = i; j < parts.size(); ++j) {
      if (j > i) rest += '/';
      rest += parts[j];
    }
    params->emplace_back(n->rest_name, std::move(rest));
    return n->rest.get();
  }
  return nullptr;
}

}  // namespace

}  // namespace hrss::http
