#include "http/filter.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <random>

#include "core/log.h"
#include "core/text.h"
#include "http/principal.h"

namespace hrss::http {

void FilterChain::InsertBefore(std::string_view before, std::unique_ptr<Filter> filter) {
  for (auto it = filters_.begin(); it != filters_.end(); ++it) {
    if ((*it)->name() == before) {
      filters_.insert(it, std::move(filter));
      return;
    }
  }
  filters_.push_back(std::move(filter));
}

Response FilterChain::Run(Request& req, const Route& route) const {
  size_t ran = 0;
  std::optional<Response> early;
  for (; ran < filters_.size(); ++ran) {
    early = filters_[ran]->OnRequest(req, route);
    if (early) {
      ++ran;
      break;
    }
  }
  std::optional<Response> handled;
  if (!early) {
    // A throwing handler (e.g. boost::json's as_string() on a wrong type) is a
    // bug answered with 500; it must not take the worker or I/O thread down.
    try {
      handled = route.handler(req);
    } catch (const std::exception& e) {
      handled = Response::Error(Status::Internal(std::string("handler threw: ") + e.what()),
                                req.request_id);
    } catch (...) {
      handled = Response::Error(Status::Internal("handler threw"), req.request_id);
    }
  }
  Response resp = early ? std::move(*early) : std::move(*handled);
  for (size_t i = ran; i-- > 0;) filters_[i]->OnResponse(req, resp);
  return resp;
}

bool FilterChain::MayBlock(const Request& req, const Route& route) const {
  for (const auto& f : filters_) {
    if (f->MayBlock(req, route)) return true;
  }
  return false;
}

void FilterChain::Finish(const Request& req, Response& resp) const {
  for (size_t i = filters_.size(); i-- > 0;) filters_[i]->OnResponse(req, resp);
}

namespace {

bool WellFormedRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

class RequestIdFilter final : public Filter {
 public:
  std::string_view name() const override { return "request_id"; }
  std::optional<Response> OnRequest(Request& req, const Route&) override {
    AssignRequestId(req);
    return std::nullopt;
  }
  void OnResponse(const Request& req, Response& resp) override {
    resp.SetHeader("X-Request-Id", req.request_id);
  }
};

class AccessLogFilter final : public Filter {
 public:
  std::string_view name() const override { return "access_log"; }
  void OnResponse(const Request& req, Response& resp) override {
    if (log::GetLevel() > log::Level::kInfo) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - req.received_at)
                  .count();
    log::Info("http.access", {{"requestId", req.request_id},
                              {"method", MethodName(req.method)},
                              {"path", req.path},
                              {"status", resp.status},
                              {"bytes", static_cast<int64_t>(resp.body.size())},
                              {"micros", static_cast<int64_t>(us)},
                              {"remote", req.remote_addr}});
  }
};

class SecurityHeadersFilter final : public Filter {
 public:
  std::string_view name() const override { return "security_headers"; }
  void OnResponse(const Request& req, Response& resp) override {
    resp.SetHeader("X-Content-Type-Options", "nosniff");
    resp.SetHeader("X-Frame-Options", "SAMEORIGIN");
    resp.SetHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    std::string_view ct = resp.Header("Content-Type");
    if (ct.rfind("text/html", 0) == 0) {
      resp.SetHeader("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data: blob:; "
                     "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                     "connect-src 'self' ws: wss:; media-src 'self' blob:; font-src 'self' data:; "
                     "object-src 'none'; base-uri 'self'; frame-ancestors 'self'; "
                     "form-action 'self'");
    }
    if (req.path.rfind("/api/", 0) == 0 && resp.Header("Cache-Control").empty()) {
      resp.SetHeader("Cache-Control", "no-store");
    }
  }
};

class CorsFilter final : public Filter {
 public:
  explicit CorsFilter(std::string origins) {
    std::string_view rest = origins;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view o = TrimAscii(rest.substr(0, comma));
      if (!o.empty()) allowed_.emplace_back(o);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  std::string_view name() const override { return "cors"; }
  void OnResponse(const Request& req, Response& resp) override {
    std::string_view origin = req.Header("origin");
    if (origin.empty() || !Allowed(origin)) return;
    resp.SetHeader("Access-Control-Allow-Origin", origin);
    resp.SetHeader("Access-Control-Allow-Credentials", "true");
    resp.AddHeader("Vary", "Origin");
    if (req.method == Method::kOptions) {
      resp.SetHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
      resp.SetHeader("Access-Control-Allow-Headers",
                     "Content-Type, Authorization, X-CSRF-Token, X-Request-Id");
      resp.SetHeader("Access-Control-Max-Age", "600");
    }
  }

 private:
  bool Allowed(std::string_view origin) const {
    for (const auto& a : allowed_) {
      if (a == origin) return true;
    }
    return false;
  }
  std::vector<std::string> allowed_;
};

class AuthorizationFilter final : public Filter {
 public:
  std::string_view name() const override { return "authorization"; }
  std::optional<Response> OnRequest(Request& req, const Route& route) override {
    if (route.is_public) return std::nullopt;
    if (!req.principal) {
      return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    }
    if (!req.principal->HasPermission(route.permission)) {
      return Response::Error(Status::PermissionDenied("没有权限：" + route.permission),
                             req.request_id);
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Filter> MakeAuthorizationFilter() {
  return std::make_unique<AuthorizationFilter>();
}

void AssignRequestId(Request& req) {
  if (!req.request_id.empty()) return;
  std::string_view incoming = req.Header("x-request-id");
  if (WellFormedRequestId(incoming)) {
    req.request_id = std::string(incoming);
    return;
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  req.request_id = buf;
}

std::unique_ptr<Filter> MakeRequestIdFilter() { return std::make_unique<RequestIdFilter>(); }
std::unique_ptr<Filter> MakeAccessLogFilter() { return std::make_unique<AccessLogFilter>(); }
std::unique_ptr<Filter> MakeSecurityHeadersFilter() {
  return std::make_unique<SecurityHeadersFilter>();
}
std::unique_ptr<Filter> MakeCorsFilter(std::string allowed_origins) {
  return std::make_unique<CorsFilter>(std::move(allowed_origins));
}

FilterChain MakeDefaultChain(const std::string& cors_origins) {
  FilterChain chain;
  chain.Add(MakeRequestIdFilter());
  chain.Add(MakeAccessLogFilter());
  chain.Add(MakeSecurityHeadersFilter());
  chain.Add(MakeCorsFilter(cors_origins));
  chain.Add(MakeAuthorizationFilter());
  return chain;
}

}  // namespace hrss::http
