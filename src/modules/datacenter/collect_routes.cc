// Collection routes (docs/api/datacenter.md, "Collection"): jobs, batches,
// quarantine, quality, code maps, conflicts. Each route declares its
// permission; changes are audited.
#include <boost/json.hpp>
#include <charconv>

#include "core/masking.h"
#include "db/transaction.h"
#include "http/principal.h"
#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/query_internal.h"
#include "modules/identity/audit.h"
#include "modules/identity/directory.h"
#include "platform/platform.h"

namespace hrss::datacenter {

namespace json = boost::json;
using http::Request;
using http::Response;

class CollectRoutes {
 public:
  explicit CollectRoutes(Collection& c) : c_(c) {}

  static Response Err(const Request& req, const Status& st) {
    return Response::Error(st, req.request_id);
  }

  static Result<int64_t> IntParam(const Request& req, const char* name, const char* label,
                                  int64_t def, int64_t lo, int64_t hi) {
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
  static Result<int64_t> PathId(const Request& req, const char* label) {
    std::string_view t = req.PathParam("id");
    int64_t n = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || n <= 0) {
      return Status::InvalidArgument(std::string(label) + "须为正整数");
    }
    return n;
  }
  static Result<json::object> Body(const Request& req) {
    HRSS_ASSIGN_OR_RETURN(json::value v, http::ParseJsonBody(req));
    if (!v.is_object()) return Status::InvalidArgument("请求体须为 JSON 对象");
    return v.as_object();
  }
  static std::string Str(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  Status Audit(const Request& req, const char* action, const char* type, std::string id,
               json::object detail) {
    identity::AuditEvent e = identity::EventFromRequest(req);
    e.action = action;
    e.object_type = type;
    e.object_id = std::move(id);
    e.detail = json::serialize(detail);
    return c_.services.audit->Record(e);
  }
  static std::string Actor(const Request& req) {
    return req.principal ? std::string(req.principal->username()) : std::string();
  }

  json::object JobJson(const Job& j) {
    json::object o{{"id", j.id},
                   {"code", j.code},
                   {"name", j.name},
                   {"system", j.system},
                   {"systemName", SystemName(j.system)},
                   {"method", j.method},
                   {"config", j.config},
                   {"cron", j.cron},
                   {"enabled", j.enabled}};
    auto last = c_.jobs.LastBatch(j.id);
    o["lastBatch"] = last.ok() && last->has_value() ? json::value(BatchJson(**last, j.name))
                                                    : json::value(nullptr);
    int64_t next = c_.NextRun(j);
    o["nextRunAt"] = next > 0 ? json::value(next) : json::value(nullptr);
    return o;
  }

  Response ListJobs(Request& req) {
    auto list = c_.jobs.List();
    if (!list.ok()) return Err(req, list.status());
    json::array items;
    for (const Job& j : *list) items.push_back(JobJson(j));
    // Display names of the last batches' triggerers, in one lookup.
    std::vector<json::object*> last;
    for (auto& item : items) {
      if (auto* b = item.as_object().if_contains("lastBatch")) last.push_back(b->if_object());
    }
    identity::AddDisplayNames(last, "triggeredBy");
    return Response::Json(200, json::object{{"items", items}});
  }

  Response GetJob(Request& req) {
    auto id = PathId(req, "任务 id ");
    if (!id.ok()) return Err(req, id.status());
    auto j = c_.jobs.Get(*id);
    if (!j.ok()) return Err(req, j.status());
    if (!j->has_value()) return Err(req, Status::NotFound("采集任务不存在"));
    return Response::Json(200, JobJson(**j));
  }

  // Validates a job body into *job (code only when creating).
  static Status ParseJob(const json::object& b, bool create, Job* job) {
    if (create) {
      job->code = Str(b, "code");
      if (job->code.empty() || job->code.size() > 64) {
        return Status::InvalidArgument("任务编码 code 须为 1–64 个字符");
      }
      for (char ch : job->code) {
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) {
          return Status::InvalidArgument("任务编码 code 只能含字母、数字、- 和 _");
        }
      }
    }
    job->name = Str(b, "name");
    if (job->name.empty() || job->name.size() > 128) {
      return Status::InvalidArgument("任务名称 name 须为 1–128 字节");
    }
    job->system = Str(b, "system");
    if (!IsKnownSystem(job->system)) {
      return Status::InvalidArgument("源系统 system 须为 jubao/shebao/jibao/jiuye/jiancha");
    }
    job->method = Str(b, "method");
    if (job->method != "file" && job->method != "db" && job->method != "http" &&
        job->method != "push") {
      return Status::InvalidArgument("采集方式 method 须为 file/db/http/push");
    }
    auto* cfg = b.if_contains("config");
    if (cfg == nullptr || !cfg->is_object()) {
      return Status::InvalidArgument("配置 config 须为 JSON 对象");
    }
    if (json::serialize(*cfg).size() > 16384) {
      return Status::InvalidArgument("配置 config 不能超过 16 KiB");
    }
    for (const char* secret : {"password", "dsn", "apiKey", "api_key"}) {
      if (cfg->as_object().contains(secret)) {
        return Status::InvalidArgument(std::string("配置中不能保存口令或连接串（") + secret +
                                       "）：请改用设置项（dsnSetting/apiKeySetting）");
      }
    }
    job->config = cfg->as_object();
    job->cron = Str(b, "cron");
    if (!job->cron.empty()) {
      auto c = CronExpr::Parse(job->cron);
      if (!c.ok()) return c.status();
    }
    auto* en = b.if_contains("enabled");
    if (en != nullptr && !en->is_bool()) return Status::InvalidArgument("enabled 须为布尔值");
    job->enabled = en == nullptr || en->as_bool();
    return Status::Ok();
  }

  Response CreateJob(Request& req) {
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    Job job;
    if (Status st = ParseJob(*b, true, &job); !st.ok()) return Err(req, st);
    auto saved = c_.jobs.Save(job, Actor(req));
    if (!saved.ok()) return Err(req, saved.status());
    if (Status st = Audit(req, "datacenter.job.create", "dc_job", std::to_string(saved->id),
                          {{"code", saved->code}});
        !st.ok()) {
      return Err(req, st);
    }
    return Response::Json(201, JobJson(*saved));
  }

  Response UpdateJob(Request& req) {
    auto id = PathId(req, "任务 id ");
    if (!id.ok()) return Err(req, id.status());
    auto existing = c_.jobs.Get(*id);
    if (!existing.ok()) return Err(req, existing.status());
    if (!existing->has_value()) return Err(req, Status::NotFound("采集任务不存在"));
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    Job job = **existing;
    if (Status st = ParseJob(*b, false, &job); !st.ok()) return Err(req, st);
    auto saved = c_.jobs.Save(job, Actor(req));
    if (!saved.ok()) return Err(req, saved.status());
    if (Status st = Audit(req, "datacenter.job.update", "dc_job", std::to_string(job.id),
                          {{"code", job.code}, {"cron", job.cron}, {"enabled", job.enabled}});
        !st.ok()) {
      return Err(req, st);
    }
    return Response::Json(200, JobJson(*saved));
  }

  Response RunJobRoute(Request& req) {
    auto id = PathId(req, "任务 id ");
    if (!id.ok()) return Err(req, id.status());
    auto j = c_.jobs.Get(*id);
    if (!j.ok()) return Err(req, j.status());
    if (!j->has_value()) return Err(req, Status::NotFound("采集任务不存在"));
    if ((*j)->method == "push") {
      return Err(req, Status::InvalidArgument("推送任务由源系统推送触发，不能手动执行"));
    }
    auto batch = c_.RunAsync(**j, "manual", Actor(req));
    (void)Audit(req, "datacenter.job.run", "dc_job", std::to_string(*id),
                {{"code", (*j)->code}, {"ok", batch.ok()}});
    if (!batch.ok()) return Err(req, batch.status());
    return Response::Json(202, json::object{{"batchId", *batch}});
  }

  Result<std::string> JobName(db::Connection& conn, int64_t job_id) {
    HRSS_ASSIGN_OR_RETURN(auto r, conn.QueryOne("SELECT name FROM dc_job WHERE id = ?", {job_id}));
    return r.has_value() ? r->GetText(0) : std::string();
  }

  Response ListBatches(Request& req) {
    auto page = IntParam(req, "page", "页码 page ", 1, 1, 1000000);
    if (!page.ok()) return Err(req, page.status());
    auto size = IntParam(req, "size", "每页条数 size ", 20, 1, 200);
    if (!size.ok()) return Err(req, size.status());
    auto job = IntParam(req, "jobId", "jobId ", 0, 0, INT64_MAX);
    if (!job.ok()) return Err(req, job.status());
    std::string where = " WHERE 1 = 1";
    db::Params params;
    if (*job > 0) {
      where += " AND b.job_id = ?";
      params.emplace_back(*job);
    }
    if (auto s = req.QueryParam("status"); s && !s->empty()) {
      if (*s != "running" && *s != "succeeded" && *s != "failed" && *s != "interrupted") {
        return Err(req, Status::InvalidArgument("status 须为 running/succeeded/failed/interrupted"));
      }
      where += " AND b.status = ?";
      params.emplace_back(*s);
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto total = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_batch b" + where, params);
    if (!total.ok()) return Err(req, total.status());
    db::Params pp = params;
    pp.emplace_back(*size);
    pp.emplace_back((*page - 1) * *size);
    std::string cols;
    for (std::string_view c : {"id", "job_id", "trigger_kind", "triggered_by", "status",
                               "started_at_ms", "finished_at_ms", "heartbeat_ms", "rows_read",
                               "rows_inserted", "rows_updated", "rows_unchanged", "rows_deleted",
                               "rows_quarantined", "progress_done", "progress_total",
                               "current_stream", "error"}) {
      cols += (cols.empty() ? "b." : ", b.") + std::string(c);
    }
    auto rows = (*conn)->Query("SELECT " + cols + ", j.name FROM dc_batch b LEFT JOIN dc_job j ON "
                               "j.id = b.job_id" + where + " ORDER BY b.id DESC LIMIT ? OFFSET ?",
                               pp);
    if (!rows.ok()) return Err(req, rows.status());
    json::array items;
    for (const auto& r : *rows) items.push_back(BatchJson(BatchFromRow(r), r.GetText(18)));
    identity::AddDisplayNames(items, "triggeredBy");
    return Response::Json(200, json::object{{"items", items},
                                            {"total", (*total)->GetInt64(0)},
                                            {"page", *page},
                                            {"size", *size}});
  }

  static json::array QualityRulesJson(const std::vector<db::Row>& rows) {
    json::array out;
    for (const auto& r : rows) {
      std::string rule = r.GetText(0);
      std::string name = rule;
      for (const auto& d : QualityRules()) {
        if (rule == d.rule) name = d.name;
      }
      int64_t checked = r.GetInt64(2), failed = r.GetInt64(3);
      double score = checked > 0 ? 100.0 * static_cast<double>(checked - failed) / checked : 100.0;
      out.push_back(json::object{{"rule", rule},
                                 {"name", name},
                                 {"dimension", r.GetText(1)},
                                 {"checked", checked},
                                 {"failed", failed},
                                 {"score", std::round(score * 10) / 10}});
    }
    return out;
  }

  Response GetBatch(Request& req) {
    auto id = PathId(req, "批次 id ");
    if (!id.ok()) return Err(req, id.status());
    auto b = c_.jobs.GetBatch(*id);
    if (!b.ok()) return Err(req, b.status());
    if (!b->has_value()) return Err(req, Status::NotFound("批次不存在"));
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto name = JobName(**conn, (*b)->job_id);
    auto q = (*conn)->Query("SELECT rule, dimension, SUM(checked), SUM(failed) FROM dc_quality "
                            "WHERE batch_id = ? GROUP BY rule, dimension ORDER BY rule",
                            {*id});
    if (!q.ok()) return Err(req, q.status());
    json::object o = BatchJson(**b, name.ok() ? *name : "");
    identity::AddDisplayNames(o, "triggeredBy");
    o["quality"] = QualityRulesJson(*q);
    return Response::Json(200, o);
  }

  static json::object QuarantineJson(const db::Row& r) {
    auto parse = [](const std::optional<std::string>& t) -> json::value {
      if (!t || t->empty()) return nullptr;
      boost::system::error_code ec;
      json::value v = json::parse(*t, ec);
      return ec ? json::value(nullptr) : v;
    };
    return json::object{{"id", r.GetInt64(0)},       {"jobId", r.GetInt64(1)},
                        {"batchId", r.GetInt64(2)},  {"system", r.GetText(3)},
                        // A file's line; null for pulled and pushed records
                        // (their line is a hash of the source key, which
                        // srcKey shows).
                        {"stream", r.GetText(4)},
                        {"line", r.GetText(14) == "file" ? json::value(r.GetInt64(5)) : nullptr},
                        {"srcKey", r.GetText(6)},    {"record", parse(r.OptText(7))},
                        {"reasonCode", r.GetText(8)}, {"reason", r.GetText(9)},
                        {"status", r.GetText(10)},   {"fixed", parse(r.OptText(11))},
                        {"updatedAt", r.GetInt64(12)}, {"updatedBy", r.GetText(13)}};
  }
  static constexpr const char* kQCols =
      "id, job_id, batch_id, src_system, stream, line, src_key, record_json, reason_code, reason, "
      "status, fixed_json, updated_at_ms, updated_by, "
      "(SELECT method FROM dc_job WHERE dc_job.id = dc_quarantine.job_id)";

  Response ListQuarantine(Request& req) {
    auto page = IntParam(req, "page", "页码 page ", 1, 1, 1000000);
    if (!page.ok()) return Err(req, page.status());
    auto size = IntParam(req, "size", "每页条数 size ", 20, 1, 200);
    if (!size.ok()) return Err(req, size.status());
    std::string where = " WHERE 1 = 1";
    db::Params params;
    for (const char* k : {"jobId", "batchId"}) {
      auto v = IntParam(req, k, k, 0, 0, INT64_MAX);
      if (!v.ok()) return Err(req, v.status());
      if (*v > 0) {
        where += std::string(" AND ") + (k[0] == 'j' ? "job_id" : "batch_id") + " = ?";
        params.emplace_back(*v);
      }
    }
    if (auto r = req.QueryParam("reason"); r && !r->empty()) {
      if (r->size() > 32) return Err(req, Status::InvalidArgument("reason 过长"));
      where += " AND reason_code = ?";
      params.emplace_back(*r);
    }
    if (auto s = req.QueryParam("status"); s && !s->empty()) {
      if (*s != "open" && *s != "fixed" && *s != "reprocessed" && *s != "discarded") {
        return Err(req, Status::InvalidArgument("status 须为 open/fixed/reprocessed/discarded"));
      }
      where += " AND status = ?";
      params.emplace_back(*s);
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto total = (*conn)->QueryOne("SELECT COUNT(*) FROM dc_quarantine" + where, params);
    if (!total.ok()) return Err(req, total.status());
    db::Params pp = params;
    pp.emplace_back(*size);
    pp.emplace_back((*page - 1) * *size);
    auto rows = (*conn)->Query(std::string("SELECT ") + kQCols + " FROM dc_quarantine" + where +
                                   " ORDER BY id LIMIT ? OFFSET ?",
                               pp);
    if (!rows.ok()) return Err(req, rows.status());
    json::array items;
    for (const auto& r : *rows) items.push_back(QuarantineJson(r));
    identity::AddDisplayNames(items, "updatedBy");
    return Response::Json(200, json::object{{"items", items},
                                            {"total", (*total)->GetInt64(0)},
                                            {"page", *page},
                                            {"size", *size}});
  }

  Response FixQuarantine(Request& req) {
    auto id = PathId(req, "问题数据 id ");
    if (!id.ok()) return Err(req, id.status());
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    auto* rec = b->if_contains("record");
    if (rec == nullptr || !rec->is_object() || rec->as_object().size() > 200) {
      return Err(req, Status::InvalidArgument("record 须为 {列名: 值} 对象（至多 200 列）"));
    }
    for (const auto& [k, v] : rec->as_object()) {
      if (!v.is_string() || v.as_string().size() > 4096 || k.size() > 128) {
        return Err(req, Status::InvalidArgument("record 的值须为字符串（至多 4096 字节）"));
      }
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto item = (*conn)->QueryOne(std::string("SELECT ") + kQCols + " FROM dc_quarantine WHERE id = ?",
                                  {*id});
    if (!item.ok()) return Err(req, item.status());
    if (!item->has_value()) return Err(req, Status::NotFound("问题数据不存在"));
    std::string status = (*item)->GetText(10);
    if (status != "open" && status != "fixed") {
      return Err(req, Status::FailedPrecondition("该问题数据已处理或作废，不能再修改"));
    }
    // The fix starts from the original record; given columns replace values.
    json::object merged;
    {
      boost::system::error_code ec;
      json::value orig = json::parse((*item)->GetText(7), ec);
      if (!ec && orig.is_object()) merged = orig.as_object();
    }
    for (const auto& [k, v] : rec->as_object()) merged[k] = v;
    int64_t now = c_.env.clock->NowMillis();
    auto r = (*conn)->Exec("UPDATE dc_quarantine SET fixed_json = ?, status = 'fixed', "
                           "updated_at_ms = ?, updated_by = ? WHERE id = ?",
                           {json::serialize(merged), now, Actor(req), *id});
    if (!r.ok()) return Err(req, r.status());
    if (Status st = Audit(req, "datacenter.quarantine.fix", "dc_quarantine", std::to_string(*id),
                          {{"columns", static_cast<int64_t>(rec->as_object().size())}});
        !st.ok()) {
      return Err(req, st);
    }
    auto after = (*conn)->QueryOne(std::string("SELECT ") + kQCols + " FROM dc_quarantine WHERE id = ?",
                                   {*id});
    if (!after.ok() || !after->has_value()) return Err(req, after.status());
    json::object fixed = QuarantineJson(**after);
    identity::AddDisplayNames(fixed, "updatedBy");
    return Response::Json(200, fixed);
  }

  Response Reprocess(Request& req) {
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    auto* ids = b->if_contains("ids");
    if (ids == nullptr || !ids->is_array() || ids->as_array().empty() ||
        ids->as_array().size() > 1000) {
      return Err(req, Status::InvalidArgument("ids 须为 1–1000 个问题数据 id 的数组"));
    }
    std::vector<int64_t> list;
    for (const auto& v : ids->as_array()) {
      if (!v.is_int64() || v.as_int64() <= 0) {
        return Err(req, Status::InvalidArgument("ids 中的 id 须为正整数"));
      }
      list.push_back(v.as_int64());
    }
    auto r = ReprocessQuarantine(c_.env, list, Actor(req));
    if (!r.ok()) return Err(req, r.status());
    int64_t ok = 0;
    json::array failing;
    for (const auto& [id, res] : *r) {
      if (res.first.empty()) {
        ++ok;
      } else {
        failing.push_back(json::object{{"id", id}, {"reasonCode", res.first}, {"reason", res.second}});
      }
    }
    if (Status st = Audit(req, "datacenter.quarantine.reprocess", "dc_quarantine", "",
                          {{"ids", static_cast<int64_t>(list.size())}, {"reprocessed", ok}});
        !st.ok()) {
      return Err(req, st);
    }
    return Response::Json(200, json::object{{"reprocessed", ok}, {"stillFailing", failing}});
  }

  Response Discard(Request& req) {
    auto id = PathId(req, "问题数据 id ");
    if (!id.ok()) return Err(req, id.status());
    std::string note;
    if (!req.body.empty()) {
      auto b = Body(req);
      if (!b.ok()) return Err(req, b.status());
      note = Str(*b, "note");
      if (note.size() > 500) return Err(req, Status::InvalidArgument("备注 note 不能超过 500 字节"));
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto n = (*conn)->Exec("UPDATE dc_quarantine SET status = 'discarded', updated_at_ms = ?, "
                           "updated_by = ? WHERE id = ? AND status IN ('open', 'fixed')",
                           {c_.env.clock->NowMillis(), Actor(req), *id});
    if (!n.ok()) return Err(req, n.status());
    if (*n == 0) return Err(req, Status::NotFound("问题数据不存在或已处理"));
    if (Status st = Audit(req, "datacenter.quarantine.discard", "dc_quarantine",
                          std::to_string(*id), {{"note", note}});
        !st.ok()) {
      return Err(req, st);
    }
    return Response::NoContent();
  }

  Response Quality(Request& req) {
    auto days = IntParam(req, "days", "天数 days ", 30, 1, 3650);
    if (!days.ok()) return Err(req, days.status());
    std::string sys_filter;
    if (auto s = req.QueryParam("system"); s && !s->empty()) {
      if (!IsKnownSystem(*s)) return Err(req, Status::InvalidArgument("未知的源系统：" + *s));
      sys_filter = *s;
    }
    int64_t since = c_.env.clock->NowMillis() - *days * 86400000;
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    db::Params params{since};
    std::string where = " WHERE b.started_at_ms >= ?";
    if (!sys_filter.empty()) {
      where += " AND q.src_system = ?";
      params.emplace_back(sys_filter);
    }
    auto rows = (*conn)->Query(
        "SELECT q.src_system, q.batch_id, b.started_at_ms, q.rule, q.dimension, q.checked, "
        "q.failed FROM dc_quality q JOIN dc_batch b ON b.id = q.batch_id" + where +
            " ORDER BY q.src_system, q.batch_id, q.rule",
        params);
    if (!rows.ok()) return Err(req, rows.status());
    struct Acc {
      int64_t checked = 0, failed = 0;
    };
    std::map<std::string, std::map<std::string, Acc>> dims;   // system → dimension
    std::map<std::string, std::map<std::string, Acc>> rules;  // rule → (dimension) totals
    std::map<std::string, std::map<int64_t, std::pair<int64_t, Acc>>> batches;
    for (const auto& r : *rows) {
      std::string sys = r.GetText(0);
      Acc& d = dims[sys][r.GetText(4)];
      d.checked += r.GetInt64(5);
      d.failed += r.GetInt64(6);
      Acc& ru = rules[r.GetText(3)][r.GetText(4)];
      ru.checked += r.GetInt64(5);
      ru.failed += r.GetInt64(6);
      auto& b = batches[sys][r.GetInt64(1)];
      b.first = r.GetInt64(2);
      b.second.checked += r.GetInt64(5);
      b.second.failed += r.GetInt64(6);
    }
    auto score = [](const Acc& a) {
      double s = a.checked > 0 ? 100.0 * static_cast<double>(a.checked - a.failed) / a.checked : 100.0;
      return std::round(s * 10) / 10;
    };
    json::array systems;
    for (const char* sys : {"shebao", "jibao", "jubao", "jiuye", "jiancha"}) {
      if (!sys_filter.empty() && sys_filter != sys) continue;
      json::object dimensions;
      double sum = 0;
      int n = 0;
      for (const char* d : {"completeness", "validity", "consistency", "timeliness"}) {
        auto it = dims[sys].find(d);
        if (it == dims[sys].end() || it->second.checked == 0) {
          dimensions[d] = nullptr;
          continue;
        }
        double s = score(it->second);
        dimensions[d] = s;
        sum += s;
        ++n;
      }
      json::array bl;
      for (const auto& [bid, v] : batches[sys]) {
        bl.push_back(json::object{{"batchId", bid}, {"at", v.first}, {"score", score(v.second)}});
      }
      systems.push_back(json::object{{"system", sys},
                                     {"name", SystemName(sys)},
                                     {"score", n ? json::value(std::round(sum / n * 10) / 10)
                                                 : json::value(nullptr)},
                                     {"dimensions", dimensions},
                                     {"batches", bl}});
    }
    json::array rule_list;
    for (const auto& def : QualityRules()) {
      Acc a;
      for (const auto& [dim, acc] : rules[def.rule]) {
        a.checked += acc.checked;
        a.failed += acc.failed;
      }
      rule_list.push_back(json::object{{"rule", def.rule},
                                       {"name", def.name},
                                       {"dimension", def.dimension},
                                       {"checked", a.checked},
                                       {"failed", a.failed},
                                       {"score", score(a)}});
    }
    return Response::Json(200, json::object{{"systems", systems}, {"rules", rule_list}});
  }

  Response ListCodeMaps(Request& req) {
    std::string where = " WHERE 1 = 1";
    db::Params params;
    if (auto s = req.QueryParam("system"); s && !s->empty()) {
      where += " AND src_system = ?";
      params.emplace_back(*s);
    }
    if (auto s = req.QueryParam("codeSet"); s && !s->empty()) {
      where += " AND code_set = ?";
      params.emplace_back(*s);
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    auto rows = (*conn)->Query("SELECT src_system, code_set, src_value, std_value, manual FROM "
                               "dc_code_map" + where + " ORDER BY src_system, code_set, src_value",
                               params);
    if (!rows.ok()) return Err(req, rows.status());
    json::array items;
    for (const auto& r : *rows) {
      items.push_back(json::object{{"system", r.GetText(0)},
                                   {"codeSet", r.GetText(1)},
                                   {"srcValue", r.GetText(2)},
                                   {"stdValue", r.GetText(3)},
                                   {"manual", r.GetInt64(4) != 0}});
    }
    return Response::Json(200, json::object{{"items", items}});
  }

  Response PutCodeMap(Request& req) {
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    std::string sys = Str(*b, "system"), set = Str(*b, "codeSet"), src = Str(*b, "srcValue"),
                std_value = Str(*b, "stdValue");
    if (!IsKnownSystem(sys)) return Err(req, Status::InvalidArgument("未知的源系统 system"));
    if (set.empty() || set.size() > 64 || src.size() > 64 || std_value.empty() ||
        std_value.size() > 64) {
      return Err(req, Status::InvalidArgument("codeSet、stdValue 须为 1–64 字节，srcValue 至多 64 字节"));
    }
    int64_t now = c_.env.clock->NowMillis();
    Status st = db::WithTransaction(*c_.env.pool, [&](db::Connection& c) -> Status {
      HRSS_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE dc_code_map SET std_value = ?, manual = 1, "
                                              "updated_at_ms = ?, updated_by = ? WHERE src_system "
                                              "= ? AND code_set = ? AND src_value = ?",
                                              {std_value, now, Actor(req), sys, set, src}));
      if (n == 0) {
        HRSS_RETURN_IF_ERROR(c.Exec("INSERT INTO dc_code_map (src_system, code_set, src_value, "
                                    "std_value, manual, updated_at_ms, updated_by) VALUES (?, ?, "
                                    "?, ?, 1, ?, ?)",
                                    {sys, set, src, std_value, now, Actor(req)})
                                 .status());
      }
      return Status::Ok();
    });
    if (!st.ok()) return Err(req, st);
    if (Status a = Audit(req, "datacenter.codemap.update", "dc_code_map", sys + "/" + set,
                         {{"srcValue", src}, {"stdValue", std_value}});
        !a.ok()) {
      return Err(req, a);
    }
    return Response::NoContent();
  }

  // A person's conflicts are visible to whoever may see that person
  // (query_internal.h: a live source record in a domain whose scope covers
  // the person's township); others get an empty list and 404 by id.
  Response ListConflicts(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Err(req, Status::Unauthenticated("请先登录"));
    if (!me->HasPermission(kPersonRead)) {
      return Err(req, Status::PermissionDenied("需要人员信息查询权限"));
    }
    auto page = IntParam(req, "page", "页码 page ", 1, 1, 1000000);
    if (!page.ok()) return Err(req, page.status());
    auto size = IntParam(req, "size", "每页条数 size ", 20, 1, 200);
    if (!size.ok()) return Err(req, size.status());
    std::string status = req.QueryParam("status").value_or("open");
    if (status != "open" && status != "resolved") {
      return Err(req, Status::InvalidArgument("status 须为 open 或 resolved"));
    }
    auto conn = c_.env.pool->Acquire();
    if (!conn.ok()) return Err(req, conn.status());
    query::SqlPart visible = query::PersonVisiblePredicate(*me, "p");
    db::Params params{status};
    params.insert(params.end(), visible.params.begin(), visible.params.end());
    const std::string from =
        " FROM dc_person_conflict c JOIN dc_person p ON p.id = c.person_id WHERE c.status = ? "
        "AND " + visible.sql;
    auto total = (*conn)->QueryOne("SELECT COUNT(*)" + from, params);
    if (!total.ok()) return Err(req, total.status());
    params.emplace_back(*size);
    params.emplace_back((*page - 1) * *size);
    auto rows = (*conn)->Query(
        "SELECT c.id, c.person_id, c.field, c.values_json, c.status, c.resolution, p.name, "
        "p.id_number" + from + " ORDER BY c.id LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return Err(req, rows.status());
    json::array items;
    for (const auto& r : *rows) {
      boost::system::error_code ec;
      json::value v = json::parse(r.GetText(3), ec);
      items.push_back(json::object{{"id", r.GetInt64(0)},
                                   {"personId", r.GetInt64(1)},
                                   {"field", r.GetText(2)},
                                   {"values", ec ? json::value(json::array()) : v},
                                   {"status", r.GetText(4)},
                                   {"resolution", r.GetText(5)},
                                   {"personName", r.OptText(6).value_or("")},
                                   {"idNumber", MaskIdNumber(r.OptText(7).value_or(""))}});
    }
    return Response::Json(200, json::object{{"items", items},
                                            {"total", (*total)->GetInt64(0)},
                                            {"page", *page},
                                            {"size", *size}});
  }

  Response ResolveConflict(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Err(req, Status::Unauthenticated("请先登录"));
    auto id = PathId(req, "冲突 id ");
    if (!id.ok()) return Err(req, id.status());
    auto b = Body(req);
    if (!b.ok()) return Err(req, b.status());
    std::string value = Str(*b, "value"), note = Str(*b, "note");
    if (value.empty() || value.size() > 64 || note.size() > 200) {
      return Err(req, Status::InvalidArgument("value 须为 1–64 字节，note 至多 200 字节"));
    }
    int64_t now = c_.env.clock->NowMillis();
    Status st = db::WithTransaction(*c_.env.pool, [&](db::Connection& c) -> Status {
      query::SqlPart visible = query::PersonVisiblePredicate(*me, "p");
      db::Params params{*id};
      params.insert(params.end(), visible.params.begin(), visible.params.end());
      HRSS_ASSIGN_OR_RETURN(
          auto row, c.QueryOne("SELECT c.person_id, c.field, c.status FROM dc_person_conflict c "
                               "JOIN dc_person p ON p.id = c.person_id WHERE c.id = ? AND " +
                                   visible.sql,
                               params));
      if (!row.has_value()) return Status::NotFound("冲突记录不存在，或不在您的数据范围内");
      if (row->GetText(2) != "open") return Status::FailedPrecondition("该冲突已处理");
      std::string field = row->GetText(1);
      if (field == "birth_date") {
        if (value.size() != 10 || value[4] != '-' || value[7] != '-') {
          return Status::InvalidArgument("出生日期须为 YYYY-MM-DD");
        }
      } else if (field == "gender") {
        if (value != "1" && value != "2") return Status::InvalidArgument("性别须为 1 或 2");
      } else {
        return Status::InvalidArgument("不支持的冲突字段");
      }
      HRSS_RETURN_IF_ERROR(c.Exec("UPDATE dc_person SET " + field + " = ?, conflict_count = "
                                  "CASE WHEN conflict_count > 0 THEN conflict_count - 1 ELSE 0 "
                                  "END, updated_at_ms = ? WHERE id = ?",
                                  {value, now, row->GetInt64(0)})
                               .status());
      return c.Exec("UPDATE dc_person_conflict SET status = 'resolved', resolution = ?, "
                    "resolved_by = ?, resolved_at_ms = ? WHERE id = ?",
                    {value + (note.empty() ? "" : "；" + note), Actor(req), now, *id})
          .status();
    });
    if (!st.ok()) return Err(req, st);
    if (Status a = Audit(req, "datacenter.conflict.resolve", "dc_person_conflict",
                         std::to_string(*id), {{"value", value}});
        !a.ok()) {
      return Err(req, a);
    }
    return Response::NoContent();
  }

 private:
  Collection& c_;
};

Status Collection::AddRoutes() {
  auto routes = std::make_shared<CollectRoutes>(*this);
  struct R {
    http::Method method;
    const char* pattern;
    const char* perm;
    const char* summary;
    Response (CollectRoutes::*fn)(Request&);
  };
  using M = http::Method;
  const std::string base = "/api/v1/datacenter";
  for (const R& r : {
           R{M::kGet, "/jobs", kCollectRead, "采集任务列表", &CollectRoutes::ListJobs},
           R{M::kGet, "/jobs/{id}", kCollectRead, "采集任务详情", &CollectRoutes::GetJob},
           R{M::kPost, "/jobs", kCollectManage, "新建采集任务（审计）", &CollectRoutes::CreateJob},
           R{M::kPut, "/jobs/{id}", kCollectManage, "修改采集任务（审计）", &CollectRoutes::UpdateJob},
           R{M::kPost, "/jobs/{id}/run", kCollectRun, "立即执行采集任务（审计）",
             &CollectRoutes::RunJobRoute},
           R{M::kGet, "/batches", kCollectRead, "采集批次列表", &CollectRoutes::ListBatches},
           R{M::kGet, "/batches/{id}", kCollectRead, "采集批次详情与质量规则", &CollectRoutes::GetBatch},
           R{M::kGet, "/quarantine", kCollectRead, "问题数据列表", &CollectRoutes::ListQuarantine},
           R{M::kPost, "/quarantine/reprocess", kQuarantineFix, "问题数据重新处理（审计）",
             &CollectRoutes::Reprocess},
           R{M::kPut, "/quarantine/{id}", kQuarantineFix, "修正问题数据（审计）",
             &CollectRoutes::FixQuarantine},
           R{M::kPost, "/quarantine/{id}/discard", kQuarantineFix, "作废问题数据（审计）",
             &CollectRoutes::Discard},
           R{M::kGet, "/quality", kQualityRead, "数据质量评分", &CollectRoutes::Quality},
           R{M::kGet, "/codemaps", kCollectRead, "代码映射列表", &CollectRoutes::ListCodeMaps},
           R{M::kPut, "/codemaps", kCollectManage, "修改代码映射（审计）", &CollectRoutes::PutCodeMap},
           R{M::kGet, "/conflicts", kConflictResolve, "人员信息冲突列表", &CollectRoutes::ListConflicts},
           R{M::kPost, "/conflicts/{id}/resolve", kConflictResolve, "处理人员信息冲突（审计）",
             &CollectRoutes::ResolveConflict},
       }) {
    auto fn = r.fn;
    HRSS_RETURN_IF_ERROR(services.platform->AddRoute({
        .method = r.method,
        .pattern = base + r.pattern,
        .permission = r.perm,
        .summary = r.summary,
        .handler = [routes, fn](Request& req) { return ((*routes).*fn)(req); },
    }));
  }
  return Status::Ok();
}

}  // namespace hrss::datacenter
