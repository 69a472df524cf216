// Saved views and the workbench (docs/api/analytics.md "Saved views").
// A view belongs to its owner; only the owner edits or deletes it. Shared
// views are listed for every analyst; anyone who sees a view may pin it to
// their own workbench (an_view_pin is per user). Results are always run
// with the viewer's scope.
#include <charconv>

#include "core/utf8.h"
#include "modules/analytics/internal.h"
#include "platform/platform.h"

namespace hrss::analytics {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kViewCols =
    "v.id, v.owner_id, v.owner_name, v.name, v.description, v.query_json, v.chart, v.shared, "
    "v.updated_at_ms";

bool ValidChart(std::string_view c) {
  return c == "table" || c == "bar" || c == "line" || c == "pie" || c == "heatmap";
}

json::object ViewJson(const db::Row& r, bool pinned) {
  json::object o;
  o["id"] = r.GetInt64(0);
  o["owner"] = r.GetInt64(1);
  o["ownerName"] = r.GetText(2);
  o["name"] = r.GetText(3);
  o["description"] = r.GetText(4);
  boost::system::error_code ec;
  json::value q = json::parse(r.GetText(5), ec);
  o["query"] = ec ? json::value(json::object{}) : q;
  o["chart"] = r.GetText(6);
  o["shared"] = r.GetInt64(7) != 0;
  o["pinned"] = pinned;
  o["updatedAtMs"] = r.GetInt64(8);
  return o;
}

Result<int64_t> ViewId(const Request& req) {
  std::string_view t = req.PathParam("id");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
  if (ec != std::errc() || p != t.data() + t.size() || id <= 0) {
    return Status::InvalidArgument("视图编号须为正整数");
  }
  return id;
}

struct Input {
  std::string name, description, chart, query_json;
  bool shared = false;
};

Status TextField(const json::object& b, const char* field, const char* label, size_t max_chars,
                 bool required, std::string* out) {
  const json::value* v = b.if_contains(field);
  if (v == nullptr || v->is_null()) {
    if (required) return Status::InvalidArgument(std::string("缺少") + label);
    return Status::Ok();
  }
  if (!v->is_string()) return Status::InvalidArgument(std::string(label) + "须为字符串");
  std::string s(v->as_string());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
  size_t start = s.find_first_not_of(" \t\n");
  s = start == std::string::npos ? "" : s.substr(start);
  if (required && s.empty()) return Status::InvalidArgument(std::string(label) + "不能为空");
  if (CharCount(s) > max_chars) {
    return Status::InvalidArgument(std::string(label) + "不能超过 " + std::to_string(max_chars) +
                                   " 个字");
  }
  *out = std::move(s);
  return Status::Ok();
}

struct Views {
  std::shared_ptr<State> s;

  // Parses and validates a view body; the query must run for the caller.
  Result<Input> Parse(const Request& req, const identity::UserPrincipal& me) {
    HRSS_ASSIGN_OR_RETURN(json::value body, http::ParseJsonBody(req, 12));
    if (!body.is_object()) return Status::InvalidArgument("请求体须为 JSON 对象");
    const json::object& b = body.as_object();
    Input in;
    HRSS_RETURN_IF_ERROR(TextField(b, "name", "视图名称 name", 100, true, &in.name));
    HRSS_RETURN_IF_ERROR(
        TextField(b, "description", "说明 description", 500, false, &in.description));
    HRSS_RETURN_IF_ERROR(TextField(b, "chart", "图表类型 chart", 16, true, &in.chart));
    if (!ValidChart(in.chart)) {
      return Status::InvalidArgument("图表类型 chart 须为 table、bar、line、pie 或 heatmap");
    }
    if (const json::value* sh = b.if_contains("shared"); sh && !sh->is_null()) {
      if (!sh->is_bool()) return Status::InvalidArgument("共享 shared 须为 true 或 false");
      in.shared = sh->as_bool();
    }
    const json::value* q = b.if_contains("query");
    if (q == nullptr || !q->is_object()) return Status::InvalidArgument("缺少查询 query（JSON 对象）");
    in.query_json = json::serialize(*q);
    if (in.query_json.size() > 16 * 1024) return Status::InvalidArgument("查询 query 过长（上限 16KB）");
    HRSS_RETURN_IF_ERROR(s->CheckReady());
    auto r = s->Query(*q, ScopeOf(me));
    if (!r.ok()) {
      if (r.status().code() == Code::kInvalidArgument) {
        return Status::InvalidArgument("查询 query 无效：" + r.status().message());
      }
      return r.status();
    }
    return in;
  }

  // The view `id` if `me` may see it (own or shared), else NOT_FOUND.
  Result<db::Row> Load(db::Connection& c, int64_t id, const identity::UserPrincipal& me) {
    HRSS_ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kViewCols +
                                                   " FROM an_view v WHERE v.id = ? AND "
                                                   "(v.owner_id = ? OR v.shared = 1)",
                                               {id, me.id()}));
    if (!row.has_value()) return Status::NotFound("没有编号为 " + std::to_string(id) + " 的视图");
    return *row;
  }

  bool Pinned(db::Connection& c, int64_t user, int64_t view) {
    auto r = c.QueryOne("SELECT 1 FROM an_view_pin WHERE user_id = ? AND view_id = ?",
                        {user, view});
    return r.ok() && r->has_value();
  }

  Response List(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto conn = s->platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto rows = (*conn)->Query(
        std::string("SELECT ") + kViewCols +
            ", (SELECT COUNT(*) FROM an_view_pin p WHERE p.view_id = v.id AND p.user_id = ?) "
            "FROM an_view v WHERE v.owner_id = ? OR v.shared = 1 ORDER BY v.updated_at_ms DESC, "
            "v.id DESC LIMIT 500",
        {me->id(), me->id()});
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    json::array items;
    for (const auto& r : *rows) items.push_back(ViewJson(r, r.GetInt64(9) > 0));
    return Response::Json(200, json::object{{"items", items}});
  }

  Response Create(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto in = Parse(req, *me);
    if (!in.ok()) return Response::Error(in.status(), req.request_id);
    auto conn = s->platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto count = (*conn)->QueryOne("SELECT COUNT(*) FROM an_view WHERE owner_id = ?", {me->id()});
    if (!count.ok()) return Response::Error(count.status(), req.request_id);
    if ((*count)->GetInt64(0) >= 200) {
      return Response::Error(Status::ResourceExhausted("每人最多保存 200 个视图"), req.request_id);
    }
    int64_t now = s->platform->clock().NowMillis();
    auto n = (*conn)->Exec(
        "INSERT INTO an_view (owner_id, owner_name, name, description, query_json, chart, shared, "
        "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {me->id(), std::string(me->display_name()), in->name, in->description, in->query_json,
         in->chart, int64_t{in->shared ? 1 : 0}, now, now});
    if (!n.ok()) return Response::Error(n.status(), req.request_id);
    int64_t id = (*conn)->LastInsertId();
    auto row = Load(**conn, id, *me);
    if (!row.ok()) return Response::Error(row.status(), req.request_id);
    return Response::Json(201, ViewJson(*row, false));
  }

  // The caller's own view `id`: NOT_FOUND when invisible, PERMISSION_DENIED
  // when shared by someone else.
  Result<db::Row> Own(db::Connection& c, int64_t id, const identity::UserPrincipal& me) {
    HRSS_ASSIGN_OR_RETURN(db::Row row, Load(c, id, me));
    if (row.GetInt64(1) != me.id()) {
      return Status::PermissionDenied("只能修改或删除自己创建的视图");
    }
    return row;
  }

  // The caller, the view of the path (the caller's own) and a connection,
  // for changing that view.
  struct Owned {
    const identity::UserPrincipal* me;
    int64_t id;
    db::PooledConnection conn;
  };
  Result<Owned> OwnedView(const Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Status::Unauthenticated("请先登录");
    HRSS_ASSIGN_OR_RETURN(int64_t id, ViewId(req));
    HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, s->platform->db().Acquire());
    HRSS_RETURN_IF_ERROR(Own(*conn, id, *me).status());
    return Owned{me, id, std::move(conn)};
  }

  Response Update(Request& req) {
    auto o = OwnedView(req);
    if (!o.ok()) return Response::Error(o.status(), req.request_id);
    const identity::UserPrincipal* me = o->me;
    const int64_t id = o->id;
    db::Connection& c = *o->conn;
    auto in = Parse(req, *me);
    if (!in.ok()) return Response::Error(in.status(), req.request_id);
    auto n = c.Exec(
        "UPDATE an_view SET name = ?, description = ?, query_json = ?, chart = ?, shared = ?, "
        "updated_at_ms = ? WHERE id = ? AND owner_id = ?",
        {in->name, in->description, in->query_json, in->chart, int64_t{in->shared ? 1 : 0},
         s->platform->clock().NowMillis(), id, me->id()});
    if (!n.ok()) return Response::Error(n.status(), req.request_id);
    if (!in->shared) {
      // No longer visible to others: drop their pins.
      auto d = c.Exec("DELETE FROM an_view_pin WHERE view_id = ? AND user_id <> ?", {id, me->id()});
      if (!d.ok()) return Response::Error(d.status(), req.request_id);
    }
    auto row = Load(c, id, *me);
    if (!row.ok()) return Response::Error(row.status(), req.request_id);
    return Response::Json(200, ViewJson(*row, Pinned(c, me->id(), id)));
  }

  Response Remove(Request& req) {
    auto o = OwnedView(req);
    if (!o.ok()) return Response::Error(o.status(), req.request_id);
    db::Connection& c = *o->conn;
    auto d1 = c.Exec("DELETE FROM an_view_pin WHERE view_id = ?", {o->id});
    if (!d1.ok()) return Response::Error(d1.status(), req.request_id);
    auto d2 = c.Exec("DELETE FROM an_view WHERE id = ? AND owner_id = ?", {o->id, o->me->id()});
    if (!d2.ok()) return Response::Error(d2.status(), req.request_id);
    return Response::NoContent();
  }

  Response Pin(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = ViewId(req);
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    auto body = http::ParseJsonBody(req, 4);
    if (!body.ok()) return Response::Error(body.status(), req.request_id);
    const json::value* p = body->is_object() ? body->as_object().if_contains("pinned") : nullptr;
    if (p == nullptr || !p->is_bool()) {
      return Response::Error(Status::InvalidArgument("pinned 须为 true 或 false"), req.request_id);
    }
    auto conn = s->platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto row = Load(**conn, *id, *me);
    if (!row.ok()) return Response::Error(row.status(), req.request_id);
    Result<int64_t> n = int64_t{0};
    if (p->as_bool()) {
      if (!Pinned(**conn, me->id(), *id)) {
        auto count =
            (*conn)->QueryOne("SELECT COUNT(*) FROM an_view_pin WHERE user_id = ?", {me->id()});
        if (!count.ok()) return Response::Error(count.status(), req.request_id);
        if ((*count)->GetInt64(0) >= 24) {
          return Response::Error(Status::ResourceExhausted("工作台最多固定 24 个视图"),
                                 req.request_id);
        }
        n = (*conn)->Exec(
            "INSERT INTO an_view_pin (user_id, view_id, created_at_ms) VALUES (?, ?, ?)",
            {me->id(), *id, s->platform->clock().NowMillis()});
      }
    } else {
      n = (*conn)->Exec("DELETE FROM an_view_pin WHERE user_id = ? AND view_id = ?",
                        {me->id(), *id});
    }
    if (!n.ok()) return Response::Error(n.status(), req.request_id);
    return Response::Json(200, ViewJson(*row, p->as_bool()));
  }

  Response Workbench(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    if (Status st = s->CheckReady(); !st.ok()) return Response::Error(st, req.request_id);
    auto conn = s->platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto rows = (*conn)->Query(std::string("SELECT ") + kViewCols +
                                   " FROM an_view_pin p JOIN an_view v ON v.id = p.view_id "
                                   "WHERE p.user_id = ? AND (v.owner_id = ? OR v.shared = 1) "
                                   "ORDER BY p.created_at_ms, v.id",
                               {me->id(), me->id()});
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    olap::Scope scope = ScopeOf(*me);
    json::array items;
    for (const auto& r : *rows) {
      json::object view = ViewJson(r, true);
      json::object item{{"view", view}};
      auto res = s->Query(view["query"], scope);
      if (res.ok()) {
        item["result"] = std::move(*res);
      } else {
        item["result"] = nullptr;
        item["error"] = json::object{{"code", CodeName(res.status().code())},
                                     {"message", res.status().message()}};
      }
      items.push_back(std::move(item));
    }
    return Response::Json(200, json::object{{"items", items}});
  }
};

}  // namespace

Status AddViewRoutes(const std::shared_ptr<State>& state) {
  using R = MemberRoute<Views>;
  return AddMemberRoutes(*state, std::make_shared<Views>(Views{state}),
                         {
                             R{http::Method::kGet, "/api/v1/analytics/views", kQuery,
                               "分析：保存的视图（本人与共享）", &Views::List},
                             R{http::Method::kPost, "/api/v1/analytics/views", kViewManage,
                               "分析：保存视图", &Views::Create},
                             R{http::Method::kPut, "/api/v1/analytics/views/{id}", kViewManage,
                               "分析：修改视图（仅创建人）", &Views::Update},
                             R{http::Method::kDelete, "/api/v1/analytics/views/{id}", kViewManage,
                               "分析：删除视图（仅创建人）", &Views::Remove},
                             R{http::Method::kPost, "/api/v1/analytics/views/{id}/pin", kViewManage,
                               "分析：固定到工作台 / 取消固定", &Views::Pin},
                             R{http::Method::kGet, "/api/v1/analytics/workbench", kQuery,
                               "分析：工作台（固定的视图及结果）", &Views::Workbench},
                         });
}

}  // namespace hrss::analytics
