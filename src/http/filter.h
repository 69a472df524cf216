// The filter chain in front of every route (ARCHITECTURE.md "Requests"):
// request id -> access log -> security headers/CORS -> authentication ->
// authorization -> rate limit -> ... -> handler.
//
// Each policy is a small Filter. OnRequest runs in chain order before the
// handler and may answer the request itself (e.g. 401) by returning a
// Response; OnResponse runs in reverse order on every response, including
// those produced by an earlier filter.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/router.h"

namespace hrss::http {

class Filter {
 public:
  virtual ~Filter() = default;
  virtual std::string_view name() const = 0;
  // `route` is the matched route. Return a Response to stop the chain.
  virtual std::optional<Response> OnRequest(Request& req, const Route& route) {
    (void)req;
    (void)route;
    return std::nullopt;
  }
  virtual void OnResponse(const Request& req, Response& resp) {
    (void)req;
    (void)resp;
  }
  // For routes with Execution::kInline: true when OnRequest would block on
  // this request (e.g. a session not in memory needs a database read). The
  // server then runs the request on the worker pool instead of the I/O
  // thread. Must itself be cheap and non-blocking.
  virtual bool MayBlock(const Request& req, const Route& route) {
    (void)req;
    (void)route;
    return false;
  }
};

class FilterChain {
 public:
  void Add(std::unique_ptr<Filter> filter) { filters_.push_back(std::move(filter)); }
  // Inserts `filter` right before the filter called `before` (or at the end).
  void InsertBefore(std::string_view before, std::unique_ptr<Filter> filter);

  // True when any filter's MayBlock() is true.
  bool MayBlock(const Request& req, const Route& route) const;

  // Runs the filters and `route.handler`.
  Response Run(Request& req, const Route& route) const;
  // Runs only OnResponse of every filter (for answers produced outside the
  // chain: 404, 405, 413, 503 ...).
  void Finish(const Request& req, Response& resp) const;

  const std::vector<std::unique_ptr<Filter>>& filters() const { return filters_; }

 private:
  std::vector<std::unique_ptr<Filter>> filters_;
};

// Sets req.request_id unless set: a well-formed incoming X-Request-Id
// (<= 64 chars of [A-Za-z0-9_-]) or 16 random hex digits.
void AssignRequestId(Request& req);

// Assigns req.request_id (keeps a well-formed incoming X-Request-Id) and
// echoes it in the response.
std::unique_ptr<Filter> MakeRequestIdFilter();
// One structured log line per request: method, route, status, duration.
std::unique_ptr<Filter> MakeAccessLogFilter();
// nosniff, frame options, referrer policy, CSP for HTML, no-store for APIs.
std::unique_ptr<Filter> MakeSecurityHeadersFilter();
// CORS for the configured origins (comma-separated; empty = none).
std::unique_ptr<Filter> MakeCorsFilter(std::string allowed_origins);

// Deny by default: a route that is not public needs a Principal (401
// UNAUTHENTICATED otherwise) holding the route's permission (403). The
// identity module puts its authentication filter in front of this one.
std::unique_ptr<Filter> MakeAuthorizationFilter();

// The default chain: request id, access log, security headers, CORS,
// authorization.
FilterChain MakeDefaultChain(const std::string& cors_origins);

}  // namespace hrss::http
