// Cubes, query, status, refresh and export routes (docs/api/analytics.md).
#include <cstdio>

#include "ingest/reader.h"
#include "modules/analytics/internal.h"
#include "platform/platform.h"

namespace hrss::analytics {

namespace json = boost::json;
using http::Request;
using http::Response;

// ---- result helpers ---------------------------------------------------------

namespace {
const json::value* At(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  return v;
}
std::optional<double> AsNum(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return std::nullopt;
}
}  // namespace

std::optional<double> Cell(const json::object& result, size_t r, size_t c, size_t m,
                           const char* field) {
  const json::value* cells = At(result, field);
  if (!cells || !cells->is_array() || r >= cells->as_array().size()) return std::nullopt;
  const json::value& row = cells->as_array()[r];
  if (!row.is_array() || c >= row.as_array().size()) return std::nullopt;
  const json::value& cell = row.as_array()[c];
  if (!cell.is_array() || m >= cell.as_array().size()) return std::nullopt;
  return AsNum(cell.as_array()[m]);
}

std::optional<double> Grand(const json::object& result, size_t m) {
  const json::value* g = At(result, "grandTotal");
  if (!g || !g->is_array() || m >= g->as_array().size()) return std::nullopt;
  return AsNum(g->as_array()[m]);
}

json::value Num(std::optional<double> v) {
  if (!v) return nullptr;
  double d = *v;
  if (d == static_cast<double>(static_cast<int64_t>(d)) && d < 9e15 && d > -9e15) {
    return static_cast<int64_t>(d);
  }
  return d;
}

namespace {
const json::object* RowKey(const json::object& result, size_t r, size_t key) {
  const json::value* rows = At(result, "rows");
  if (!rows || !rows->is_array() || r >= rows->as_array().size()) return nullptr;
  const json::value& row = rows->as_array()[r];
  if (!row.is_object()) return nullptr;
  const json::value* keys = row.as_object().if_contains("keys");
  if (!keys || !keys->is_array() || key >= keys->as_array().size()) return nullptr;
  const json::value& k = keys->as_array()[key];
  return k.is_object() ? &k.as_object() : nullptr;
}
std::string Str(const json::object* o, const char* f) {
  if (!o) return {};
  const json::value* v = o->if_contains(f);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

std::string RowCode(const json::object& result, size_t r, size_t key) {
  return Str(RowKey(result, r, key), "code");
}
std::string RowLabel(const json::object& result, size_t r, size_t key) {
  return Str(RowKey(result, r, key), "label");
}
size_t RowCount(const json::object& result) {
  const json::value* rows = At(result, "rows");
  return rows && rows->is_array() ? rows->as_array().size() : 0;
}

std::string LatestMonth(const State& s, std::string_view cube, const olap::Scope& scope) {
  std::string measure = cube == "handling" ? "accepted" : cube == "case" ? "cases" : "records";
  json::object q{{"cube", cube},
                 {"rows", json::array{json::object{{"dim", "time"}, {"level", "month"}}}},
                 {"measures", json::array{measure}}};
  auto r = s.Query(q, scope);
  if (!r.ok()) return {};
  std::string best;
  for (size_t i = 0; i < RowCount(*r); ++i) {
    std::string code = RowCode(*r, i);
    auto v = Cell(*r, i, 0, 0);
    if (code.size() == 6 && v && *v > 0 && code > best) best = code;
  }
  return best;
}

Result<json::object> MonthQueries::Run(const json::object& q) {
  auto r = s.Query(q, scope);
  if (r.ok()) {
    if (auto* sc = r->if_contains("scoped"); sc && sc->is_bool() && sc->as_bool()) scoped = true;
  }
  return r;
}

json::object MonthQueries::MonthFilter() const { return F("time", "month", "eq", S({month})); }

json::object MonthQueries::Last12() const {
  return F("time", "month", "between", S({ShiftMonth(month, -11), month}));
}

namespace {

// ---- XLSX export --------------------------------------------------------------

std::string Label(const json::value& keys) {
  std::string out;
  if (!keys.is_array()) return out;
  for (const auto& k : keys.as_array()) {
    if (!k.is_object()) continue;
    const json::value* l = k.as_object().if_contains("label");
    if (!out.empty()) out += " / ";
    if (l && l->is_string()) out += std::string(l->as_string());
  }
  return out;
}

ingest::XlsxCell ValueCell(const json::value& v, bool fen) {
  auto n = AsNum(v);
  if (!n) return {"", false};
  char buf[64];
  if (fen) {
    std::snprintf(buf, sizeof buf, "%.2f", *n / 100.0);
  } else if (v.is_double()) {
    std::snprintf(buf, sizeof buf, "%.4f", *n);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", *n);
  }
  return {buf, true};
}

// The pivot as on screen: row headers, one column per (column key, measure),
// row totals at the right and column totals at the bottom when present.
std::vector<std::vector<ingest::XlsxCell>> PivotSheet(const json::object& r) {
  std::vector<std::vector<ingest::XlsxCell>> sheet;
  const json::array& row_dims = r.at("rowDims").as_array();
  const json::array& col_dims = r.at("colDims").as_array();
  const json::array& measures = r.at("measures").as_array();
  const json::array& rows = r.at("rows").as_array();
  const json::array& cols = r.at("columns").as_array();
  std::vector<bool> fen;
  std::vector<std::string> mlabel;
  for (const auto& m : measures) {
    const json::object& mo = m.as_object();
    bool is_fen = mo.contains("unit") && mo.at("unit").is_string() && mo.at("unit").as_string() == "fen";
    fen.push_back(is_fen);
    std::string l = mo.contains("label") ? std::string(mo.at("label").as_string()) : "";
    mlabel.push_back(is_fen ? l + "（元）" : l);
  }
  bool totals = r.contains("rowTotals") && r.contains("grandTotal");
  bool with_cols = !col_dims.empty();
  std::vector<ingest::XlsxCell> header;
  for (const auto& d : row_dims) {
    header.push_back({std::string(d.as_object().at("label").as_string()), false});
  }
  if (row_dims.empty()) header.push_back({"", false});
  for (const auto& c : cols) {
    std::string cl = Label(c.as_object().at("keys"));
    for (const auto& ml : mlabel) header.push_back({cl.empty() ? ml : cl + " · " + ml, false});
  }
  if (totals && with_cols) {
    for (const auto& ml : mlabel) header.push_back({"合计 · " + ml, false});
  }
  sheet.push_back(std::move(header));
  const json::array& cells = r.at("cells").as_array();
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<ingest::XlsxCell> line;
    const json::array& keys = rows[i].as_object().at("keys").as_array();
    for (const auto& k : keys) line.push_back({std::string(k.as_object().at("label").as_string()), false});
    if (keys.empty()) line.push_back({"合计", false});
    const json::array& crow = cells[i].as_array();
    for (const auto& cell : crow) {
      const json::array& vals = cell.as_array();
      for (size_t m = 0; m < vals.size(); ++m) line.push_back(ValueCell(vals[m], fen[m]));
    }
    if (totals && with_cols) {
      const json::array& rt = r.at("rowTotals").as_array()[i].as_array();
      for (size_t m = 0; m < rt.size(); ++m) line.push_back(ValueCell(rt[m], fen[m]));
    }
    sheet.push_back(std::move(line));
  }
  if (totals && !row_dims.empty()) {
    std::vector<ingest::XlsxCell> line;
    line.push_back({"合计", false});
    for (size_t k = 1; k < row_dims.size(); ++k) line.push_back({"", false});
    if (r.contains("colTotals")) {
      for (const auto& ct : r.at("colTotals").as_array()) {
        const json::array& vals = ct.as_array();
        for (size_t m = 0; m < vals.size(); ++m) line.push_back(ValueCell(vals[m], fen[m]));
      }
    }
    if (with_cols) {
      const json::array& g = r.at("grandTotal").as_array();
      for (size_t m = 0; m < g.size(); ++m) line.push_back(ValueCell(g[m], fen[m]));
    }
    sheet.push_back(std::move(line));
  }
  return sheet;
}

struct Routes {
  std::shared_ptr<State> s;

  Result<json::value> Body(const Request& req) {
    auto v = http::ParseJsonBody(req, 12);
    if (!v.ok()) return v.status();
    if (!v->is_object()) return Status::InvalidArgument("请求体须为 JSON 对象");
    return v;
  }

  Response Cubes(Request& req) {
    if (Status st = s->CheckReady(); !st.ok()) return Response::Error(st, req.request_id);
    return Response::Json(200, s->Describe());
  }

  // The query of the request's body and its result with the caller's scope.
  struct Ran {
    json::value query;
    json::object result;
  };
  Result<Ran> RunBody(const Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Status::Unauthenticated("请先登录");
    HRSS_RETURN_IF_ERROR(s->CheckReady());
    HRSS_ASSIGN_OR_RETURN(json::value query, Body(req));
    HRSS_ASSIGN_OR_RETURN(json::object result, s->Query(query, ScopeOf(*me)));
    return Ran{std::move(query), std::move(result)};
  }

  Response Query(Request& req) {
    auto r = RunBody(req);
    if (!r.ok()) return Response::Error(r.status(), req.request_id);
    return Response::Json(200, r->result);
  }

  Response StatusRoute(Request&) {
    json::object o;
    std::shared_ptr<olap::Engine> e;
    std::map<std::string, CubeInfo> info;
    {
      std::lock_guard lock(s->mu);
      e = s->engine;
      info = s->cubes;
      o["ready"] = s->ready;
      o["lastBatch"] = s->last_batch;
      o["lastRefreshAtMs"] = s->last_refresh_at_ms;
      o["lastFullBuildMs"] = s->last_full_ms;
      o["refreshes"] = s->refreshes;
      o["error"] = s->build_error;
    }
    if (datacenter::FactFeed* f = s->feed()) {
      auto latest = f->LatestBatch();
      o["latestBatch"] = latest.ok() ? json::value(*latest) : json::value(nullptr);
    }
    json::array cubes;
    int64_t bytes = 0, rows = 0;
    if (e) {
      for (const auto& st : e->Stats()) {
        const CubeInfo& ci = info[st.name];
        cubes.push_back(json::object{{"name", st.name},
                                     {"rows", st.rows},
                                     {"deadRows", st.dead_rows},
                                     {"bytes", st.bytes},
                                     {"version", st.version + ci.version_offset},
                                     {"buildMs", ci.build_ms},
                                     {"rowsLoaded", ci.rows_loaded},
                                     {"refreshedAtMs", ci.refreshed_at_ms}});
        bytes += st.bytes;
        rows += st.rows;
      }
    }
    o["cubes"] = std::move(cubes);
    o["rows"] = rows;
    o["bytes"] = bytes;
    return Response::Json(200, o);
  }

  Response Refresh(Request& req) {
    Status st = s->FullBuild("api");
    (void)s->Audit(req, "analytics.refresh", "analytics", "cubes",
                   json::object{{"ok", st.ok()}, {"error", st.ok() ? "" : st.message()}});
    if (!st.ok()) return Response::Error(st, req.request_id);
    return StatusRoute(req);
  }

  Response Export(Request& req) {
    auto r = RunBody(req);
    if (!r.ok()) return Response::Error(r.status(), req.request_id);
    auto sheet = PivotSheet(r->result);
    auto workbook = ingest::XlsxBytes("分析结果", sheet);
    if (!workbook.ok()) return Response::Error(workbook.status(), req.request_id);
    std::string bytes = std::move(*workbook);
    const json::object& q = r->query.as_object();
    json::object detail{{"cube", q.contains("cube") ? q.at("cube") : json::value(nullptr)},
                        {"rows", sheet.size() - 1},
                        {"query", json::serialize(q).substr(0, 2000)}};
    if (Status st = s->Audit(req, "analytics.export", "analytics_query",
                             q.contains("cube") && q.at("cube").is_string()
                                 ? std::string(q.at("cube").as_string())
                                 : "",
                             detail);
        !st.ok()) {
      return Response::Error(st, req.request_id);
    }
    Response resp = Response::Text(
        200, std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    resp.SetHeader("content-disposition", "attachment; filename=\"analytics.xlsx\"");
    return resp;
  }
};

}  // namespace

Status AddQueryRoutes(const std::shared_ptr<State>& state) {
  using R = MemberRoute<Routes>;
  return AddMemberRoutes(*state, std::make_shared<Routes>(Routes{state}),
                         {
                             R{http::Method::kGet, "/api/v1/analytics/cubes", kQuery,
                               "分析：数据集目录（维度、度量）", &Routes::Cubes},
                             R{http::Method::kPost, "/api/v1/analytics/query", kQuery,
                               "分析：多维查询（按数据权限）", &Routes::Query},
                             R{http::Method::kGet, "/api/v1/analytics/status", kQuery,
                               "分析：数据集状态", &Routes::StatusRoute},
                             R{http::Method::kPost, "/api/v1/analytics/refresh", kRefresh,
                               "分析：全量重建数据集（留审计）", &Routes::Refresh},
                             R{http::Method::kPost, "/api/v1/analytics/export", kQuery,
                               "分析：导出查询结果（XLSX，留审计）", &Routes::Export},
                         });
}

}  // namespace hrss::analytics
