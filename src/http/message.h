// The HTTP request and response types that modules see. Beast stays inside
// src/http; a module's handler takes a Request and returns a Response.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace boost::json {
class value;
}

namespace hrss::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);
Method ParseMethod(std::string_view name);

// What the authentication filter attaches to a request (defined by the
// identity module). Opaque to the HTTP layer.
class Principal;

struct Request {
  Method method = Method::kGet;
  std::string target;  // raw request-target, e.g. "/api/v1/x?y=1"
  std::string path;    // percent-decoded path, valid UTF-8
  std::string query;   // raw query string without '?'
  // Header names are lower-case. Repeated headers appear repeatedly.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;
  std::string request_id;
  // Values of {name} segments of the matched route pattern.
  std::vector<std::pair<std::string, std::string>> path_params;
  std::chrono::steady_clock::time_point received_at{};
  std::shared_ptr<const Principal> principal;

  // First header named `name` (lower-case), or empty.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Decoded value of the path parameter, or empty.
  std::string_view PathParam(std::string_view name) const;
  // Decoded value of the first query parameter `name`.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Value of cookie `name` from the Cookie header(s).
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set when the error envelope was produced from a Status (for logs/metrics).
  Code error_code = Code::kOk;

  // Replaces any header of the same name (case-insensitive).
  void SetHeader(std::string_view name, std::string_view value);
  void AddHeader(std::string_view name, std::string_view value);
  std::string_view Header(std::string_view name) const;

  static Response Json(int status, const boost::json::value& v);
  // `json` must already be serialized JSON.
  static Response JsonText(int status, std::string json);
  static Response Text(int status, std::string text, std::string_view content_type = "text/plain; charset=utf-8");
  static Response NoContent();
  // The one error envelope: {"code": "...", "message": "...", "requestId": "..."}.
  // Messages of INTERNAL and DATA_LOSS errors are logged, never sent.
  static Response Error(const Status& status, std::string_view request_id);
};

// Parses application/x-www-form-urlencoded text (a query string or a form
// body) into decoded name/value pairs, in order. Pairs that are not valid
// percent-encoding or not valid UTF-8 are dropped.
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text);

// Parses the request body as JSON. Requires a JSON content type (415), a
// non-empty well-formed UTF-8 body (400) and at most `max_depth` nesting.
Result<boost::json::value> ParseJsonBody(const Request& req, int max_depth = 32);

}  // namespace hrss::http
