#include "http/message.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "core/text.h"

namespace hrss::http {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view n) {
  if (n == "GET") return Method::kGet;
  if (n == "HEAD") return Method::kHead;
  if (n == "POST") return Method::kPost;
  if (n == "PUT") return Method::kPut;
  if (n == "PATCH") return Method::kPatch;
  if (n == "DELETE") return Method::kDelete;
  if (n == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return true;
  }
  return false;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), &key, true)) continue;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), &value, true)) {
      continue;
    }
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) continue;
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  for (auto& [k, v] : ParseUrlEncoded(query)) {
    if (k == name) return std::move(v);
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view item = TrimAscii(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      if (TrimAscii(item.substr(0, eq)) == name) return std::string(TrimAscii(item.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

void Response::SetHeader(std::string_view name, std::string_view value) {
  for (auto& [k, v] : headers) {
    if (IEquals(k, name)) {
      v = std::string(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::string(value));
}

void Response::AddHeader(std::string_view name, std::string_view value) {
  headers.emplace_back(std::string(name), std::string(value));
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

Response Response::Json(int status, const boost::json::value& v) {
  return JsonText(status, boost::json::serialize(v));
}

Response Response::JsonText(int status, std::string json) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response Response::Text(int status, std::string text, std::string_view content_type) {
  Response r;
  r.status = status;
  r.body = std::move(text);
  r.headers.emplace_back("Content-Type", std::string(content_type));
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::Error(const Status& status, std::string_view request_id) {
  std::string message = status.message();
  if (status.code() == Code::kInternal || status.code() == Code::kDataLoss) {
    log::Error("http.internal_error",
               {{"requestId", request_id}, {"error", status.ToString()}});
    message = "服务器内部错误，请稍后重试或联系管理员（请求编号 " + std::string(request_id) + "）";
  }
  boost::json::object o;
  if (status.reason().empty()) {
    o["code"] = CodeName(status.code());
  } else {
    o["code"] = status.reason();
  }
  o["message"] = message;
  o["requestId"] = request_id;
  Response r = Json(HttpStatusFor(status.code()), o);
  r.error_code = status.code();
  if (status.code() == Code::kUnavailable) r.SetHeader("Retry-After", "1");
  return r;
}

Result<boost::json::value> ParseJsonBody(const Request& req, int max_depth) {
  std::string_view ct = req.Header("content-type");
  std::string lower = AsciiLower(ct);
  if (lower.rfind("application/json", 0) != 0 &&
      !(lower.rfind("application/", 0) == 0 && lower.find("+json") != std::string::npos)) {
    return Status(Code::kUnsupportedMedia, "请求体须为 JSON（Content-Type: application/json）");
  }
  if (req.body.empty()) return Status::InvalidArgument("请求体为空，需要 JSON");
  if (!IsValidUtf8(req.body)) return Status::InvalidArgument("请求体不是合法的 UTF-8 编码");
  boost::json::parse_options opt;
  opt.max_depth = static_cast<std::size_t>(max_depth);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec, {}, opt);
  if (ec) return Status::InvalidArgument("JSON 格式错误：" + ec.message());
  return v;
}

}  // namespace hrss::http
