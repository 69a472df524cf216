#include "modules/datacenter/datacenter_module.h"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "http/principal.h"
#include "modules/datacenter/dictionary.h"
#include "modules/datacenter/facts_feed.h"
#include "modules/datacenter/services.h"
#include "modules/datacenter/standard.h"
#include "modules/identity/audit.h"
#include "modules/identity/catalog.h"
#include "modules/identity/keyring.h"
#include "platform/platform.h"

namespace hrss::datacenter {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kDictRead = "datacenter:dict:read";
constexpr const char* kCollectRead = "datacenter:collect:read";
// The implicit key of the routes that check several keys in the handler
// (query_internal.h kQueryEntry, registered in the catalog by StartQueries).
constexpr const char* kCodeSetsEntry = "self:datacenter-query";

// A positive integer query parameter in [lo, hi], `def` when absent.
Result<int64_t> IntParam(const Request& req, const char* name, const char* label, int64_t def,
                         int64_t lo, int64_t hi) {
  auto v = req.QueryParam(name);
  if (!v.has_value() || v->empty()) return def;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi) {
    return Status::InvalidArgument(std::string(label) + "须为 " + std::to_string(lo) + "–" +
                                   std::to_string(hi) + " 的整数");
  }
  return n;
}

json::array SplitEntities(const std::string& s) {
  json::array a;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) a.emplace_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return a;
}

constexpr const char* kSourceCols =
    "no, system_code, name, entities, method, status, mapping_rule, mapping_manual";

json::object SourceJson(const db::Row& r) {
  json::object o;
  o["no"] = r.GetInt64(0);
  std::string code = r.GetText(1);
  o["system"] = code;
  const SourceSystem* sys = FindSystem(code);
  o["system_name"] = sys ? sys->name : code;
  o["name"] = r.GetText(2);
  o["entities"] = SplitEntities(r.GetText(3));
  o["method"] = r.GetText(4);
  o["method_label"] = sys ? sys->method_label : "";
  o["status"] = r.GetText(5);
  o["mapping_rule"] = r.GetText(6);
  o["mapping_manual"] = r.GetInt64(7) != 0;
  return o;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

struct DatacenterModule::State {
  Platform* platform = nullptr;
  std::optional<identity::KeyRing> keys;
  std::optional<identity::AuditLog> audit;
  std::function<identity::UnmaskRegistry*()> unmask;
  std::unique_ptr<SqlFactFeed> facts;

  Response Sources(Request& req) {
    auto page = IntParam(req, "page", "页码 page ", 1, 1, 1000000);
    if (!page.ok()) return Response::Error(page.status(), req.request_id);
    auto size = IntParam(req, "size", "每页条数 size ", 20, 1, 500);
    if (!size.ok()) return Response::Error(size.status(), req.request_id);
    std::string where = " WHERE 1 = 1";
    db::Params params;
    if (auto sys = req.QueryParam("system"); sys.has_value() && !sys->empty()) {
      const SourceSystem* s = FindSystem(*sys);
      if (s == nullptr) {
        return Response::Error(
            Status::InvalidArgument("未知的源系统：" + *sys +
                                    "（应为 jiuye/jubao/jibao/shebao/jiancha 或其中文名）"),
            req.request_id);
      }
      where += " AND system_code = ?";
      params.emplace_back(s->code);
    }
    if (auto q = req.QueryParam("q"); q.has_value() && !q->empty()) {
      if (q->size() > 100) {
        return Response::Error(Status::InvalidArgument("搜索词 q 不能超过 100 字节"),
                               req.request_id);
      }
      std::string pattern = "%";
      for (char ch : *q) {
        if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
        pattern += ch;
      }
      pattern += "%";
      where += " AND (name LIKE ? ESCAPE '!' OR entities LIKE ? ESCAPE '!')";
      params.emplace_back(pattern);
      params.emplace_back(pattern);
    }
    auto conn = platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto total = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_source" + where, params);
    if (!total.ok()) return Response::Error(total.status(), req.request_id);
    db::Params page_params = params;
    page_params.emplace_back(*size);
    page_params.emplace_back((*page - 1) * *size);
    auto rows = (*conn)->Query(std::string("SELECT ") + kSourceCols + " FROM dc_source" + where +
                                   " ORDER BY no LIMIT ? OFFSET ?",
                               page_params);
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    json::array items;
    for (const auto& r : *rows) items.push_back(SourceJson(r));
    json::object out;
    out["items"] = std::move(items);
    out["total"] = (*total)->GetInt64(0);
    out["page"] = *page;
    out["size"] = *size;
    return Response::Json(200, out);
  }

  Response Source(Request& req) {
    std::string_view no_text = req.PathParam("no");
    int64_t no = 0;
    auto [p, ec] = std::from_chars(no_text.data(), no_text.data() + no_text.size(), no);
    if (ec != std::errc() || p != no_text.data() + no_text.size() || no <= 0) {
      return Response::Error(Status::InvalidArgument("数据源序号须为正整数"), req.request_id);
    }
    auto conn = platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto row = (*conn)->QueryOne(
        std::string("SELECT ") + kSourceCols + " FROM dc_source WHERE no = ?", {db::Value(no)});
    if (!row.ok()) return Response::Error(row.status(), req.request_id);
    if (!row->has_value()) {
      return Response::Error(Status::NotFound("没有序号为 " + std::to_string(no) + " 的数据源"),
                             req.request_id);
    }
    json::object o = SourceJson(**row);
    if (const SourceSystem* s = FindSystem(o["system"].as_string())) o["format"] = s->format;
    return Response::Json(200, o);
  }

  Response EntitiesList(Request& req) {
    auto conn = platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto ents = (*conn)->Query("SELECT code, name, description FROM dc_entity ORDER BY sort");
    if (!ents.ok()) return Response::Error(ents.status(), req.request_id);
    auto fields = (*conn)->Query(
        "SELECT entity_code, name, label, type, code_set, sensitivity, description FROM dc_field "
        "ORDER BY entity_code, sort");
    if (!fields.ok()) return Response::Error(fields.status(), req.request_id);
    json::array items;
    for (const auto& e : *ents) {
      json::object o{{"code", e.GetText(0)}, {"name", e.GetText(1)}, {"description", e.GetText(2)}};
      json::array fs;
      for (const auto& f : *fields) {
        if (f.GetText(0) != e.GetText(0)) continue;
        fs.push_back(json::object{{"name", f.GetText(1)},
                                  {"label", f.GetText(2)},
                                  {"type", f.GetText(3)},
                                  {"code_set", f.GetText(4)},
                                  {"sensitivity", f.GetText(5)},
                                  {"description", f.GetText(6)}});
      }
      o["fields"] = std::move(fs);
      items.push_back(std::move(o));
    }
    return Response::Json(200, json::object{{"version", kDictionaryVersion}, {"items", items}});
  }

  // Also for datacenter:collect:read (the code map page names standard values
  // by their labels): the route carries the implicit query key.
  Response CodeSetsList(Request& req) {
    if (!req.principal ||
        (!req.principal->HasPermission(kDictRead) && !req.principal->HasPermission(kCollectRead))) {
      return Response::Error(Status::PermissionDenied("没有权限：" + std::string(kDictRead) +
                                                      " 或 " + kCollectRead),
                             req.request_id);
    }
    auto conn = platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto sets =
        (*conn)->Query("SELECT code, name, standard, version FROM dc_code_set ORDER BY code");
    if (!sets.ok()) return Response::Error(sets.status(), req.request_id);
    auto values = (*conn)->Query(
        "SELECT code_set, version, value, label FROM dc_code_value ORDER BY code_set, version, "
        "sort");
    if (!values.ok()) return Response::Error(values.status(), req.request_id);
    json::array items;
    for (const auto& s : *sets) {
      json::object o{{"code", s.GetText(0)},
                     {"name", s.GetText(1)},
                     {"standard", s.GetText(2)},
                     {"version", s.GetText(3)}};
      json::array vs;
      for (const auto& v : *values) {
        if (v.GetText(0) != s.GetText(0) || v.GetText(1) != s.GetText(3)) continue;
        vs.push_back(json::object{{"value", v.GetText(2)}, {"label", v.GetText(3)}});
      }
      o["values"] = std::move(vs);
      items.push_back(std::move(o));
    }
    return Response::Json(200, json::object{{"version", kDictionaryVersion}, {"items", items}});
  }

  Response Export(Request& req) {
    auto conn = platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    auto rows =
        (*conn)->Query(std::string("SELECT ") + kSourceCols + " FROM dc_source ORDER BY no");
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    std::string csv = "\xEF\xBB\xBF序号,源系统,名称,目标标准实体,采集方式,状态,映射规则\r\n";
    for (const auto& r : *rows) {
      const SourceSystem* sys = FindSystem(r.GetText(1));
      std::string entities = r.GetText(3);
      for (auto& ch : entities) {
        if (ch == ',') ch = ';';
      }
      csv += std::to_string(r.GetInt64(0)) + "," + CsvCell(sys ? sys->name : r.GetText(1)) + "," +
             CsvCell(entities) + "," + CsvCell(sys ? sys->method_label : r.GetText(4)) + "," +
             CsvCell(r.GetText(5)) + "," + CsvCell(r.GetText(6)) + "\r\n";
    }
    identity::AuditEvent e = identity::EventFromRequest(req);
    e.action = "datacenter.dictionary.export";
    e.object_type = "dictionary";
    e.object_id = kDictionaryVersion;
    e.detail = json::serialize(json::object{{"rows", rows->size()}});
    if (Status st = audit->Record(e); !st.ok()) return Response::Error(st, req.request_id);
    Response resp = Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
    resp.SetHeader("content-disposition",
                   "attachment; filename=\"datacenter-dictionary-sources.csv\"");
    return resp;
  }
};

DatacenterModule::DatacenterModule() : state_(std::make_shared<State>()) {}
DatacenterModule::~DatacenterModule() { StopCollection(); }

FactFeed* DatacenterModule::facts() { return state_->facts.get(); }

void DatacenterModule::SetUnmaskRegistry(std::function<identity::UnmaskRegistry*()> registry) {
  state_->unmask = std::move(registry);
}

Status DatacenterModule::RegisterMigrations(db::Migrator& migrator) {
  HRSS_RETURN_IF_ERROR(datacenter::RegisterMigrations(migrator));
  return RegisterStandardMigrations(migrator);
}

Status DatacenterModule::Start(Platform& platform) {
  State& s = *state_;
  s.platform = &platform;
  HRSS_RETURN_IF_ERROR(identity::Catalog().Add({.key = kDictRead,
                                                .name = "数据字典查看与导出",
                                                .kind = identity::PermissionKind::kApi,
                                                .parent = "datacenter",
                                                .sort = 102}));
  HRSS_ASSIGN_OR_RETURN(auto keys,
                        identity::KeyRing::LoadOrCreate(platform.config().KeyFilePath()));
  s.keys.emplace(std::move(keys));
  s.audit.emplace(platform.db(), *s.keys, platform.clock());
  HRSS_RETURN_IF_ERROR(SeedDictionary(platform.db(), platform.clock().NowMillis()).status());
  auto st = state_;
  struct R {
    const char* pattern;
    const char* summary;
    Response (State::*fn)(Request&);
    const char* permission = kDictRead;
  };
  for (const R& r :
       {R{"/api/v1/datacenter/dictionary/sources", "数据字典：采集数据源（分页、筛选）",
          &State::Sources},
        R{"/api/v1/datacenter/dictionary/sources/{no}", "数据字典：单个采集数据源", &State::Source},
        R{"/api/v1/datacenter/dictionary/entities", "数据字典：标准实体与字段",
          &State::EntitiesList},
        R{"/api/v1/datacenter/dictionary/codesets", "数据字典：代码集与代码值",
          &State::CodeSetsList, kCodeSetsEntry},
        R{"/api/v1/datacenter/dictionary/export.csv", "数据字典：导出采集数据源（CSV，留审计）",
          &State::Export}}) {
    auto fn = r.fn;
    HRSS_RETURN_IF_ERROR(platform.AddRoute({
        .method = http::Method::kGet,
        .pattern = r.pattern,
        .permission = r.permission,
        .summary = r.summary,
        .handler = [st, fn](Request& req) { return ((*st).*fn)(req); },
    }));
  }
  if (!s.facts) s.facts = std::make_unique<SqlFactFeed>(platform.db());
  Services services{&platform, &*s.keys, &*s.audit, s.unmask ? s.unmask() : nullptr,
                    s.facts.get()};
  HRSS_RETURN_IF_ERROR(StartCollection(services));
  return StartQueries(services);
}

Status DatacenterModule::LoadDemo(Platform& platform, const DemoOptions& options) {
  State& s = *state_;
  return LoadCollectionDemo(Services{&platform, &*s.keys, &*s.audit}, options);
}

std::string DatacenterModule::DemoSummary() const { return CollectionDemoSummary(); }

}  // namespace hrss::datacenter
