// Bulk export with approval (R4.3): a clerk requests an export of one
// domain query with a reason; a different user holding export:approve
// approves or rejects it; the requester downloads the XLSX once. The file is
// built at download time from the requester's current scope, masked as on
// screen, at most 100,000 rows. Request, decision and download (with its row
// count) are audited. Table dc_export_request (standard_schema.cc):
// status pending → approved | rejected; approved → downloaded.

#include "ingest/reader.h"
#include "modules/datacenter/query_internal.h"
#include "platform/platform.h"

namespace hrss::datacenter::query {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr int64_t kMaxExportRows = 100000;
constexpr const char* kCols =
    "id, requester, query_json, reason, status, approver, decided_at_ms, decision_note, "
    "row_count, downloaded_at_ms, created_at_ms, "
    "(SELECT u.display_name FROM idn_user u WHERE u.username = requester) AS requester_name, "
    "(SELECT u.display_name FROM idn_user u WHERE u.username = approver) AS approver_name";

json::object RequestJson(const db::Row& r) {
  boost::system::error_code ec;
  json::value q = json::parse(r.GetText(2), ec);
  json::object query = (!ec && q.is_object()) ? q.as_object() : json::object{};
  json::value domain = query.contains("domain") ? query["domain"] : json::value("");
  json::value filters = query.contains("filters") ? query["filters"] : json::value(json::object{});
  return json::object{
      {"id", r.GetInt64(0)},       {"requester", r.GetText(1)},     {"domain", domain},
      {"filters", filters},        {"reason", r.GetText(3)},        {"status", r.GetText(4)},
      {"approver", r.GetText(5)},  {"decidedAt", r.GetInt64(6)},    {"decisionNote", r.GetText(7)},
      {"rowCount", r.GetInt64(8)}, {"downloadedAt", r.GetInt64(9)}, {"createdAt", r.GetInt64(10)},
      // Display names of the accounts (empty when the account is gone).
      {"requesterName", r.OptText(11).value_or("")}, {"approverName", r.OptText(12).value_or("")}};
}

Result<std::string> StringField(const json::object& o, const char* name, size_t max_bytes,
                                bool required) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) return Status::InvalidArgument(std::string("字段 ") + name + " 必填");
    return std::string();
  }
  if (!v->is_string()) return Status::InvalidArgument(std::string("字段 ") + name + " 须为字符串");
  std::string s = HalfWidthTrim(v->as_string());
  if (required && s.empty()) return Status::InvalidArgument(std::string("字段 ") + name + " 必填");
  if (s.size() > max_bytes) {
    return Status::InvalidArgument(std::string("字段 ") + name + " 不能超过 " +
                                   std::to_string(max_bytes) + " 字节");
  }
  return s;
}

Result<DomainFilters> FiltersFrom(const json::value& v) {
  DomainFilters f;
  if (v.is_null()) return f;
  if (!v.is_object()) return Status::InvalidArgument("字段 filters 须为对象");
  const json::object& o = v.as_object();
  for (const auto& [k, _] : o) {
    if (k != "entity" && k != "division" && k != "from" && k != "to" && k != "q") {
      return Status::InvalidArgument("字段 filters 含未知的筛选项：" +
                                     std::string(k).substr(0, 32) +
                                     "（可用 entity、division、from、to、q）");
    }
  }
  HRSS_ASSIGN_OR_RETURN(f.entity, StringField(o, "entity", 32, false));
  HRSS_ASSIGN_OR_RETURN(f.division, StringField(o, "division", 12, false));
  HRSS_ASSIGN_OR_RETURN(f.from, StringField(o, "from", 16, false));
  HRSS_ASSIGN_OR_RETURN(f.to, StringField(o, "to", 16, false));
  HRSS_ASSIGN_OR_RETURN(f.q, StringField(o, "q", 64, false));
  return f;
}

json::object FiltersJson(const DomainFilters& f) {
  json::object o;
  if (!f.entity.empty()) o["entity"] = f.entity;
  if (!f.division.empty()) o["division"] = f.division;
  if (!f.from.empty()) o["from"] = f.from;
  if (!f.to.empty()) o["to"] = f.to;
  if (!f.q.empty()) o["q"] = f.q;
  return o;
}

struct State {
  Services s;

  Response Create(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto body = http::ParseJsonBody(req);
    if (!body.ok()) return Response::Error(body.status(), req.request_id);
    if (!body->is_object()) {
      return Response::Error(Status::InvalidArgument("请求体须为 JSON 对象"), req.request_id);
    }
    const json::object& o = body->as_object();
    auto domain = StringField(o, "domain", 16, true);
    if (!domain.ok()) return Response::Error(domain.status(), req.request_id);
    auto reason = StringField(o, "reason", 500, true);
    if (!reason.ok()) return Response::Error(reason.status(), req.request_id);
    auto filters = FiltersFrom(o.contains("filters") ? o.at("filters") : json::value());
    if (!filters.ok()) return Response::Error(filters.status(), req.request_id);
    if (Status st = ValidateDomainFilters(*domain, *filters, s.platform->clock()); !st.ok()) {
      return Response::Error(st, req.request_id);
    }
    std::string key = DomainReadKey(*domain);
    if (!me->HasPermission(key)) {
      return Response::Error(Status::PermissionDenied("没有权限：" + key), req.request_id);
    }
    std::string query =
        json::serialize(json::object{{"domain", *domain}, {"filters", FiltersJson(*filters)}});
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    int64_t now = s.platform->clock().NowMillis();
    auto ins = (*conn)->Exec(
        "INSERT INTO dc_export_request (requester, query_json, reason, status, created_at_ms) "
        "VALUES (?, ?, ?, 'pending', ?)",
        {std::string(me->username()), query, *reason, now});
    if (!ins.ok()) return Response::Error(ins.status(), req.request_id);
    int64_t id = (*conn)->LastInsertId();
    if (Status st = AuditRequest(
            s, req, "datacenter.export.request", "dc_export_request", std::to_string(id),
            json::object{{"domain", *domain}, {"filters", FiltersJson(*filters)}});
        !st.ok()) {
      return Response::Error(st, req.request_id);
    }
    auto row = (*conn)->QueryOne(
        std::string("SELECT ") + kCols + " FROM dc_export_request WHERE id = ?", {id});
    if (!row.ok() || !row->has_value()) {
      return Response::Error(row.ok() ? Status::Internal("export request vanished") : row.status(),
                             req.request_id);
    }
    return Response::Json(201, RequestJson(**row));
  }

  Response List(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    bool approver = me->HasPermission(kExportApprove);
    if (!approver && !me->HasPermission(kExportRequest)) {
      return Response::Error(Status::PermissionDenied("没有权限：" + std::string(kExportRequest) +
                                                      " 或 " + kExportApprove),
                             req.request_id);
    }
    auto page = IntParam(req, "page", 1, 1, 100000);
    if (!page.ok()) return Response::Error(page.status(), req.request_id);
    auto size = IntParam(req, "size", 20, 1, 200);
    if (!size.ok()) return Response::Error(size.status(), req.request_id);
    auto status = TextParam(req, "status", 16);
    if (!status.ok()) return Response::Error(status.status(), req.request_id);
    std::string where = " WHERE 1 = 1";
    db::Params p;
    if (!approver) {
      where += " AND requester = ?";
      p.emplace_back(std::string(me->username()));
    }
    if (!status->empty()) {
      if (*status != "pending" && *status != "approved" && *status != "rejected" &&
          *status != "downloaded") {
        return Response::Error(Status::InvalidArgument("参数 status 须为 pending、approved、"
                                                       "rejected 或 downloaded"),
                               req.request_id);
      }
      where += " AND status = ?";
      p.emplace_back(*status);
    }
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto total = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_export_request" + where, p);
    if (!total.ok()) return Response::Error(total.status(), req.request_id);
    db::Params pp = p;
    pp.emplace_back(*size);
    pp.emplace_back((*page - 1) * *size);
    auto rows = (*conn)->Query(std::string("SELECT ") + kCols + " FROM dc_export_request" + where +
                                   " ORDER BY id DESC LIMIT ? OFFSET ?",
                               pp);
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    json::array items;
    for (const auto& r : *rows) items.push_back(RequestJson(r));
    return Response::Json(200, json::object{{"items", std::move(items)},
                                            {"total", (*total)->GetInt64(0)},
                                            {"page", *page},
                                            {"size", *size}});
  }

  Response Decide(Request& req, bool approve) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    std::string note;
    if (!req.body.empty()) {
      auto body = http::ParseJsonBody(req);
      if (!body.ok()) return Response::Error(body.status(), req.request_id);
      if (!body->is_object()) {
        return Response::Error(Status::InvalidArgument("请求体须为 JSON 对象"), req.request_id);
      }
      auto n = StringField(body->as_object(), "note", 500, !approve);
      if (!n.ok()) return Response::Error(n.status(), req.request_id);
      note = *n;
    } else if (!approve) {
      return Response::Error(Status::InvalidArgument("字段 note 必填（驳回须说明理由）"),
                             req.request_id);
    }
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto row = (*conn)->QueryOne(
        std::string("SELECT ") + kCols + " FROM dc_export_request WHERE id = ?", {*id});
    if (!row.ok()) return Response::Error(row.status(), req.request_id);
    if (!row->has_value()) {
      return Response::Error(Status::NotFound("没有该导出申请"), req.request_id);
    }
    const char* action = approve ? "datacenter.export.approve" : "datacenter.export.reject";
    if ((*row)->GetText(1) == me->username()) {
      (void)AuditRequest(s, req, action, "dc_export_request", std::to_string(*id),
                         json::object{{"refused", "self"}}, false);
      return Response::Error(Status::PermissionDenied("不能审批本人提交的导出申请"),
                             req.request_id);
    }
    if ((*row)->GetText(4) != "pending") {
      return Response::Error(Status::Conflict("该导出申请已处理（" + (*row)->GetText(4) + "）"),
                             req.request_id);
    }
    int64_t now = s.platform->clock().NowMillis();
    auto n = (*conn)->Exec(
        "UPDATE dc_export_request SET status = ?, approver = ?, decided_at_ms = ?, "
        "decision_note = ? WHERE id = ? AND status = 'pending'",
        {approve ? "approved" : "rejected", std::string(me->username()), now, note, *id});
    if (!n.ok()) return Response::Error(n.status(), req.request_id);
    if (*n != 1) {
      return Response::Error(Status::Conflict("该导出申请已被他人处理"), req.request_id);
    }
    if (Status st = AuditRequest(s, req, action, "dc_export_request", std::to_string(*id),
                                 json::object{{"requester", (*row)->GetText(1)}, {"note", note}});
        !st.ok()) {
      return Response::Error(st, req.request_id);
    }
    row = (*conn)->QueryOne(std::string("SELECT ") + kCols + " FROM dc_export_request WHERE id = ?",
                            {*id});
    if (!row.ok() || !row->has_value()) {
      return Response::Error(row.ok() ? Status::Internal("export request vanished") : row.status(),
                             req.request_id);
    }
    return Response::Json(200, RequestJson(**row));
  }

  Response Download(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    json::object rj;
    {
      auto conn = s.platform->db().Acquire();
      if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
      auto row = (*conn)->QueryOne(
          std::string("SELECT ") + kCols + " FROM dc_export_request WHERE id = ?", {*id});
      if (!row.ok()) return Response::Error(row.status(), req.request_id);
      // Only the requester may download; others learn nothing (404).
      if (!row->has_value() || (*row)->GetText(1) != me->username()) {
        return Response::Error(Status::NotFound("没有该导出申请"), req.request_id);
      }
      rj = RequestJson(**row);
    }
    std::string status(rj["status"].as_string());
    if (status == "downloaded") {
      return Response::Error(Status::FailedPrecondition("该导出文件已下载过，每次批准只能下载一次"),
                             req.request_id);
    }
    if (status != "approved") {
      return Response::Error(Status::FailedPrecondition("该导出申请尚未批准（" + status + "）"),
                             req.request_id);
    }
    std::string domain(rj["domain"].as_string());
    auto filters = FiltersFrom(rj["filters"]);
    if (!filters.ok()) return Response::Error(filters.status(), req.request_id);
    std::string key = DomainReadKey(domain);
    if (!me->HasPermission(key)) {
      return Response::Error(Status::PermissionDenied("没有权限：" + key), req.request_id);
    }
    auto data = RunDomainQuery(s.platform->db(), s.platform->clock(), *me, domain, *filters, 0,
                               kMaxExportRows + 1, 0);
    if (!data.ok()) return Response::Error(data.status(), req.request_id);
    bool truncated = static_cast<int64_t>(data->items.size()) > kMaxExportRows;
    if (truncated) data->items.resize(kMaxExportRows);
    int64_t count = static_cast<int64_t>(data->items.size());

    std::vector<std::vector<ingest::XlsxCell>> sheet;
    sheet.reserve(data->items.size() + 1);
    std::vector<ingest::XlsxCell> header;
    for (const auto& l : data->labels) header.push_back({l, false});
    sheet.push_back(std::move(header));
    for (const auto& item : data->items) {
      const json::object& o = item.as_object();
      std::vector<ingest::XlsxCell> line;
      line.reserve(data->columns.size());
      for (const auto& c : data->columns) {
        const json::value& v = o.at(c);
        if (v.is_int64()) {
          line.push_back({std::to_string(v.as_int64()), true});
        } else {
          line.push_back({std::string(v.as_string()), false});
        }
      }
      sheet.push_back(std::move(line));
    }
    // Built in memory: personal data never goes through a temp file.
    auto workbook = ingest::XlsxBytes("导出数据", sheet);
    if (!workbook.ok()) return Response::Error(workbook.status(), req.request_id);
    std::string bytes = std::move(*workbook);

    // Claim the one download (a concurrent second request loses here).
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    int64_t now = s.platform->clock().NowMillis();
    auto n = (*conn)->Exec(
        "UPDATE dc_export_request SET status = 'downloaded', downloaded_at_ms = ?, row_count = ? "
        "WHERE id = ? AND status = 'approved' AND downloaded_at_ms = 0",
        {now, count, *id});
    if (!n.ok()) return Response::Error(n.status(), req.request_id);
    if (*n != 1) {
      return Response::Error(Status::FailedPrecondition("该导出文件已下载过，每次批准只能下载一次"),
                             req.request_id);
    }
    if (Status st = AuditRequest(
            s, req, "datacenter.export.download", "dc_export_request", std::to_string(*id),
            json::object{{"domain", domain}, {"rows", count}, {"truncated", truncated}});
        !st.ok()) {
      return Response::Error(st, req.request_id);
    }
    Response resp = Response::Text(
        200, std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    resp.SetHeader("content-disposition",
                   "attachment; filename=\"datacenter-export-" + std::to_string(*id) + ".xlsx\"");
    resp.SetHeader("x-export-rows", std::to_string(count));
    resp.SetHeader("cache-control", "no-store");
    return resp;
  }
};

}  // namespace

Status AddExportRoutes(const Services& s) {
  auto st = std::make_shared<State>();
  st->s = s;
  HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
      .method = http::Method::kPost,
      .pattern = "/api/v1/datacenter/exports",
      .permission = kExportRequest,
      .execution = http::Execution::kWorker,
      .summary = "申请批量导出（须审批）",
      .handler = [st](Request& req) { return st->Create(req); },
  }));
  HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/datacenter/exports",
      .permission = kQueryEntry,
      .execution = http::Execution::kWorker,
      .summary = "导出申请列表（本人的；审批人看全部）",
      .handler = [st](Request& req) { return st->List(req); },
  }));
  HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
      .method = http::Method::kPost,
      .pattern = "/api/v1/datacenter/exports/{id}/approve",
      .permission = kExportApprove,
      .execution = http::Execution::kWorker,
      .summary = "批准导出申请（不能审批本人的）",
      .handler = [st](Request& req) { return st->Decide(req, true); },
  }));
  HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
      .method = http::Method::kPost,
      .pattern = "/api/v1/datacenter/exports/{id}/reject",
      .permission = kExportApprove,
      .execution = http::Execution::kWorker,
      .summary = "驳回导出申请",
      .handler = [st](Request& req) { return st->Decide(req, false); },
  }));
  return s.platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/datacenter/exports/{id}/download",
      .permission = kExportRequest,
      .execution = http::Execution::kWorker,
      .summary = "下载已批准的导出文件（XLSX，仅申请人，一次；留审计）",
      .handler = [st](Request& req) { return st->Download(req); },
  });
}

}  // namespace hrss::datacenter::query
