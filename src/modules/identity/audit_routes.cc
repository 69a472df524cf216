#include "modules/identity/audit_routes.h"

#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <string>

#include "core/log.h"
#include "http/principal.h"
#include "platform/platform.h"

namespace hrss::identity {
namespace {

constexpr int64_t kMaxEpochMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

// A non-negative decimal integer in [min, max], or nullopt.
std::optional<int64_t> ParseInt(const std::string& s, int64_t min, int64_t max) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) return std::nullopt;
  if (s[0] == '-' || s[0] == '+') return std::nullopt;
  return v;
}

std::string Str(const http::Request& req, std::string_view name) {
  return req.QueryParam(name).value_or("");
}

void Audit(AuditLog& audit, const http::Request& req, const char* action, bool success,
           const boost::json::object& detail, Status* st) {
  AuditEvent e = EventFromRequest(req);
  e.action = action;
  e.object_type = "audit_log";
  e.success = success;
  e.detail = boost::json::serialize(detail);
  *st = audit.Record(e);
}

boost::json::object ToJson(const AuditRecord& r) {
  boost::json::object o;
  o["id"] = r.id;
  o["at"] = r.at_ms;
  o["userId"] = r.user_id;
  o["username"] = r.username;
  o["ip"] = r.source_ip;
  o["action"] = r.action;
  o["objectType"] = r.object_type;
  o["objectId"] = r.object_id;
  o["result"] = r.success ? "success" : "failure";
  o["detail"] = r.detail;
  o["delegationId"] = r.delegation_id;
  o["requestId"] = r.request_id;
  return o;
}

}  // namespace

Result<AuditQuery> ParseAuditQuery(const http::Request& req) {
  AuditQuery q;
  if (auto v = req.QueryParam("from"); v && !v->empty()) {
    q.from_ms = ParseInt(*v, 0, kMaxEpochMs);
    if (!q.from_ms) return Status::InvalidArgument("参数 from 须为毫秒时间戳（非负整数）");
  }
  if (auto v = req.QueryParam("to"); v && !v->empty()) {
    q.to_ms = ParseInt(*v, 0, kMaxEpochMs);
    if (!q.to_ms) return Status::InvalidArgument("参数 to 须为毫秒时间戳（非负整数）");
  }
  if (q.from_ms && q.to_ms && *q.from_ms > *q.to_ms) {
    return Status::InvalidArgument("参数 from 不能晚于 to");
  }
  q.user_id = Str(req, "userId");
  if (q.user_id.size() > AuditFieldLimits::kUserId) {
    return Status::InvalidArgument("参数 userId 过长");
  }
  q.username = Str(req, "username");
  if (q.username.size() > AuditFieldLimits::kUsername * 4) {
    return Status::InvalidArgument("参数 username 过长");
  }
  q.action = Str(req, "action");
  if (q.action.size() > AuditFieldLimits::kAction) {
    return Status::InvalidArgument("参数 action 过长");
  }
  if (auto v = req.QueryParam("result"); v && !v->empty()) {
    if (*v == "success") {
      q.success = true;
    } else if (*v == "failure") {
      q.success = false;
    } else {
      return Status::InvalidArgument("参数 result 须为 success 或 failure");
    }
  }
  if (auto v = req.QueryParam("page"); v && !v->empty()) {
    auto n = ParseInt(*v, 1, 1'000'000);
    if (!n) return Status::InvalidArgument("参数 page 须为 1–1000000 的整数");
    q.page = static_cast<int>(*n);
  }
  if (auto v = req.QueryParam("size"); v && !v->empty()) {
    auto n = ParseInt(*v, 1, 200);
    if (!n) return Status::InvalidArgument("参数 size 须为 1–200 的整数");
    q.size = static_cast<int>(*n);
  }
  return q;
}

Status RegisterAuditRoutes(Platform& platform, AuditLog& audit) {
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/audit",
      .permission = kAuditReadPermission,
      .summary = "查询审计日志（审计管理员）",
      .handler =
          [&audit](http::Request& req) {
            auto q = ParseAuditQuery(req);
            if (!q.ok()) return http::Response::Error(q.status(), req.request_id);
            int64_t total = 0;
            auto items = audit.Search(*q, &total);
            boost::json::object detail;
            if (q->from_ms) detail["from"] = *q->from_ms;
            if (q->to_ms) detail["to"] = *q->to_ms;
            if (!q->user_id.empty()) detail["userId"] = q->user_id;
            if (!q->username.empty()) detail["username"] = q->username;
            if (!q->action.empty()) detail["action"] = q->action;
            if (q->success) detail["result"] = *q->success ? "success" : "failure";
            detail["page"] = q->page;
            detail["size"] = q->size;
            Status recorded;
            Audit(audit, req, "audit.search", items.ok(), detail, &recorded);
            if (!items.ok()) return http::Response::Error(items.status(), req.request_id);
            if (!recorded.ok()) return http::Response::Error(recorded, req.request_id);
            boost::json::array arr;
            arr.reserve(items->size());
            for (const auto& r : *items) arr.push_back(ToJson(r));
            boost::json::object o;
            o["items"] = std::move(arr);
            o["total"] = total;
            o["page"] = q->page;
            o["size"] = q->size;
            return http::Response::Json(200, o);
          },
  }));
  return platform.AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/audit/verify",
      .permission = kAuditReadPermission,
      .summary = "校验审计日志链（审计管理员）",
      .handler =
          [&audit](http::Request& req) {
            auto rep = audit.Verify();
            boost::json::object detail;
            if (rep.ok()) {
              detail["ok"] = rep->ok;
              detail["checked"] = rep->checked;
              if (!rep->ok) detail["firstBadId"] = rep->first_bad_id;
            }
            Status recorded;
            Audit(audit, req, "audit.verify", rep.ok(), detail, &recorded);
            if (!rep.ok()) return http::Response::Error(rep.status(), req.request_id);
            // The report matters most exactly when the chain is damaged, which
            // may also make appending fail: answer anyway, but say so.
            if (!recorded.ok()) {
              log::Error("audit.verify_not_recorded", {{"error", recorded.ToString()}});
            }
            boost::json::object o;
            o["ok"] = rep->ok;
            o["checked"] = rep->checked;
            o["headId"] = rep->head_id;
            o["recorded"] = recorded.ok();
            if (!rep->ok) {
              o["firstBadId"] = rep->first_bad_id;
              o["kind"] = rep->kind;
              o["reason"] = rep->reason;
            }
            return http::Response::Json(200, o);
          },
  });
}

}  // namespace hrss::identity
