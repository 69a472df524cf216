// Job store (dc_job), batch lookups and the default jobs of the five
// source systems.
#include <boost/json.hpp>

#include "db/transaction.h"
#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

namespace json = boost::json;

namespace {

constexpr const char* kJobCols =
    "id, code, name, system_code, method, config_json, cron, enabled, updated_at_ms";

Job JobFromRow(const db::Row& r) {
  Job j;
  j.id = r.GetInt64(0);
  j.code = r.GetText(1);
  j.name = r.GetText(2);
  j.system = r.GetText(3);
  j.method = r.GetText(4);
  boost::system::error_code ec;
  json::value v = json::parse(r.GetText(5), ec);
  if (!ec && v.is_object()) j.config = v.as_object();
  j.cron = r.GetText(6);
  j.enabled = r.GetInt64(7) != 0;
  j.updated_at_ms = r.GetInt64(8);
  return j;
}

}  // namespace

Result<std::vector<Job>> JobStore::List() {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn->Query(std::string("SELECT ") + kJobCols + " FROM dc_job ORDER BY id"));
  std::vector<Job> out;
  for (const auto& r : rows) out.push_back(JobFromRow(r));
  return out;
}

Result<std::optional<Job>> JobStore::Get(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kJobCols +
                                                     " FROM dc_job WHERE id = ?",
                                                 {id}));
  if (!row.has_value()) return std::optional<Job>();
  return std::optional<Job>(JobFromRow(*row));
}

Result<std::optional<Job>> JobStore::GetByCode(std::string_view code) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kJobCols +
                                                     " FROM dc_job WHERE code = ?",
                                                 {code}));
  if (!row.has_value()) return std::optional<Job>();
  return std::optional<Job>(JobFromRow(*row));
}

Result<Job> JobStore::Save(Job job, std::string_view actor) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  int64_t now = clock_.NowMillis();
  std::string config = json::serialize(job.config);
  if (job.id == 0) {
    HRSS_ASSIGN_OR_RETURN(auto dup, conn->QueryOne("SELECT id FROM dc_job WHERE code = ?", {job.code}));
    if (dup.has_value()) {
      return Status::Conflict("任务编码已存在：" + job.code).WithReason("JOB_CODE_EXISTS");
    }
    HRSS_RETURN_IF_ERROR(conn->Exec("INSERT INTO dc_job (code, name, system_code, method, "
                                    "config_json, cron, enabled, created_at_ms, updated_at_ms, "
                                    "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    {job.code, job.name, job.system, job.method, config, job.cron,
                                     int64_t{job.enabled ? 1 : 0}, now, now, actor})
                             .status());
    job.id = conn->LastInsertId();
  } else {
    HRSS_RETURN_IF_ERROR(conn->Exec("UPDATE dc_job SET name = ?, system_code = ?, method = ?, "
                                    "config_json = ?, cron = ?, enabled = ?, updated_at_ms = ?, "
                                    "updated_by = ? WHERE id = ?",
                                    {job.name, job.system, job.method, config, job.cron,
                                     int64_t{job.enabled ? 1 : 0}, now, actor, job.id})
                             .status());
  }
  job.updated_at_ms = now;
  return job;
}

Status JobStore::EnsureDefaults(const std::string& data_dir) {
  std::string src = data_dir + "/sources";
  json::array tables{"ab01", "ac01", "ac02", "ac43", "ab07", "ac84", "ae10"};
  std::vector<Job> defaults = {
      {0, "jubao-files", "居保 GBK CSV 文件采集", "jubao", "file",
       json::object{{"dir", src + "/jubao"},
                    {"pattern", "*.csv"},
                    {"format", "csv"},
                    {"encoding", "gbk"},
                    {"dialect", "jubao"}},
       "0 2 * * *", true, 0},
      {0, "shebao-db", "社保核心库增量抽取（aae036）", "shebao", "db",
       json::object{{"dialect", "sqlite"},
                    {"path", src + "/shebao/shebao.db"},
                    {"dsnSetting", "datacenter.shebao_dsn"},
                    {"tables", tables}},
       "*/5 * * * *", true, 0},
      {0, "jibao-files", "机保 XLSX/CSV 文件采集", "jibao", "file",
       json::object{{"dir", src + "/jibao"},
                    {"pattern", "*"},
                    {"format", "auto"},
                    {"encoding", "gb18030"},
                    {"sheet", "在编人员"},
                    {"dialect", "jibao"}},
       "0 3 * * *", true, 0},
      {0, "jiuye-http", "就业接口分页增量拉取", "jiuye", "http",
       json::object{{"baseUrl", ""},
                    {"apiKeySetting", "datacenter.jiuye_api_key"},
                    {"paths", json::array{"/api/v1/units", "/api/v1/persons", "/api/v1/events"}},
                    {"dialect", "jiuye"}},
       "*/5 * * * *", false, 0},
      {0, "jiuye-files", "就业接口备份数据（JSONL）采集", "jiuye", "file",
       json::object{{"dir", src + "/jiuye/jiuye.jsonl.d"},
                    {"pattern", "*.jsonl"},
                    {"format", "jsonl"},
                    {"dialect", "jiuye"}},
       "", false, 0},
      {0, "jiancha-files", "劳动监察案件 CSV 采集", "jiancha", "file",
       json::object{{"dir", src + "/jiancha"},
                    {"pattern", "cases_*.csv"},
                    {"format", "csv"},
                    {"encoding", "utf-8"},
                    {"dialect", "jiancha"}},
       "30 3 * * *", true, 0},
  };
  for (Job& j : defaults) {
    HRSS_ASSIGN_OR_RETURN(auto existing, GetByCode(j.code));
    if (existing.has_value()) {
      // The 社保 job of an earlier version pulls the six tables without the
      // business log (ae10): add it when the list is still that default.
      if (j.code == "shebao-db") {
        auto* t = existing->config.if_contains("tables");
        json::array old{"ab01", "ac01", "ac02", "ac43", "ab07", "ac84"};
        if (t != nullptr && t->is_array() && t->as_array() == old) {
          existing->config["tables"] = tables;
          HRSS_RETURN_IF_ERROR(Save(std::move(*existing), "system").status());
        }
      }
      continue;
    }
    auto saved = Save(std::move(j), "system");
    if (!saved.ok() && saved.status().code() != Code::kConflict) return saved.status();
  }
  return Status::Ok();
}

Result<int64_t> JobStore::MarkStaleBatches(int64_t stale_ms) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  int64_t now = clock_.NowMillis();
  return conn->Exec("UPDATE dc_batch SET status = 'interrupted', finished_at_ms = ?, error = "
                    "'采集进程中断（心跳超时），下次运行从检查点继续' WHERE status = 'running' AND "
                    "heartbeat_ms < ?",
                    {now, now - stale_ms});
}

Result<std::optional<Batch>> JobStore::GetBatch(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kBatchColumns +
                                                     " FROM dc_batch WHERE id = ?",
                                                 {id}));
  if (!row.has_value()) return std::optional<Batch>();
  return std::optional<Batch>(BatchFromRow(*row));
}

Result<std::optional<Batch>> JobStore::LastBatch(int64_t job_id) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kBatchColumns +
                                                     " FROM dc_batch WHERE job_id = ? ORDER BY id "
                                                     "DESC LIMIT 1",
                                                 {job_id}));
  if (!row.has_value()) return std::optional<Batch>();
  return std::optional<Batch>(BatchFromRow(*row));
}

}  // namespace hrss::datacenter
