// Re-processing quarantined records: the fixed values (or the original ones,
// e.g. after a code map edit) go through the job's dialect mapper and the
// loader again, in one transaction per record. Success → status
// "reprocessed" and the rows are loaded; failure → the item keeps its
// status with the new reason. Nothing is half-written.
//
// The rows written carry a new batch (trigger "reprocess", one per job of the
// items, status succeeded/failed when done), not the batch that quarantined
// them: the fact feed's consumers read changes by batch window, and an old
// batch id would sit below their watermark.
#include <boost/json.hpp>

#include "db/transaction.h"
#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

namespace json = boost::json;

Result<std::map<int64_t, std::pair<std::string, std::string>>> ReprocessQuarantine(
    const CollectEnv& env, const std::vector<int64_t>& ids, std::string_view actor) {
  std::map<int64_t, std::pair<std::string, std::string>> out;
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, env.pool->Acquire());
  JobStore store(*env.pool, *env.clock);
  std::map<std::string, CodeMaps> codes;
  // job id → (reprocess batch id, counts of the records it loaded)
  std::map<int64_t, std::pair<int64_t, LoadCounts>> batches;
  auto batch_for = [&](int64_t job_id) -> Result<int64_t> {
    auto it = batches.find(job_id);
    if (it != batches.end()) return it->second.first;
    int64_t now = env.clock->NowMillis();
    int64_t batch_id = 0;
    HRSS_RETURN_IF_ERROR(db::WithTransaction(*conn, [&](db::Connection& c) -> Status {
      HRSS_RETURN_IF_ERROR(c.Exec("INSERT INTO dc_batch (job_id, trigger_kind, triggered_by, "
                                  "status, started_at_ms, heartbeat_ms) VALUES (?, 'reprocess', "
                                  "?, 'running', ?, ?)",
                                  {job_id, std::string(actor).substr(0, 64), now, now})
                               .status());
      batch_id = c.LastInsertId();
      return MarkBatch(c, batch_id);
    }));
    batches[job_id] = {batch_id, LoadCounts{}};
    return batch_id;
  };
  Status body = [&]() -> Status {
  for (int64_t id : ids) {
    HRSS_ASSIGN_OR_RETURN(
        auto item, conn->QueryOne("SELECT job_id, batch_id, src_system, stream, record_json, "
                                  "fixed_json, status, line FROM dc_quarantine WHERE id = ?",
                                  {id}));
    if (!item.has_value()) {
      out[id] = {"NOT_FOUND", "问题数据不存在"};
      continue;
    }
    std::string status = item->GetText(6);
    if (status == "reprocessed" || status == "discarded") {
      out[id] = {"BAD_STATUS", "该问题数据已" + std::string(status == "discarded" ? "作废" : "处理")};
      continue;
    }
    std::string system = item->GetText(2), stream = item->GetText(3);
    HRSS_ASSIGN_OR_RETURN(auto job, store.Get(item->GetInt64(0)));
    std::string dialect = system;
    if (job.has_value() && job->method != "db") {
      if (auto* d = job->config.if_contains("dialect"); d && d->is_string() && FindMapper(d->as_string())) {
        dialect = std::string(d->as_string());
      }
    }
    const DialectMapper* mapper = FindMapper(dialect);
    if (mapper == nullptr) {
      out[id] = {"UNKNOWN_DIALECT", "未知的数据方言"};
      continue;
    }
    std::string kind_source = stream.rfind("push:", 0) == 0 ? stream.substr(5) : stream;
    std::string kind = mapper->StreamKind(kind_source);
    std::string text = item->IsNull(5) || item->GetText(5).empty() ? item->GetText(4) : item->GetText(5);
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      out[id] = {"PARSE_ERROR", ReasonText("PARSE_ERROR")};
      continue;
    }
    if (!codes.count(system)) {
      HRSS_ASSIGN_OR_RETURN(codes[system], CodeMaps::Load(*conn, system));
    }
    ingest::Record rec = RecordFromJson(v.as_object());
    QualityCounters quality;
    MapContext ctx{&codes[system], env.clock, env.keys, env.clock->NowMillis(), nullptr};
    MappedRecord m;
    m.line = item->GetInt64(7);
    if (kind.empty()) {
      m.reason_code = "PARSE_ERROR";
      m.reason = ReasonText("PARSE_ERROR") + "：无法识别的数据流 " + stream;
    } else {
      mapper->Map(kind, rec, "", ctx, &m);
    }
    int64_t now = env.clock->NowMillis();
    bool loaded = false;
    if (m.reason_code.empty()) {
      HRSS_ASSIGN_OR_RETURN(int64_t batch_id, batch_for(item->GetInt64(0)));
      LoadCounts loaded_counts;
      Status st = db::WithTransaction(*conn, [&](db::Connection& c) -> Status {
        Loader loader(c, std::string(mapper->system()), item->GetInt64(0), batch_id, now, &quality);
        std::vector<MappedRecord> one;
        MappedRecord copy = m;
        copy.columns = rec.columns;
        copy.values = rec.values;
        one.push_back(std::move(copy));
        HRSS_RETURN_IF_ERROR(loader.Load("reprocess:" + stream, one));
        if (loader.counts().quarantined > 0) {
          m.reason_code = one[0].reason_code;
          m.reason = one[0].reason;
          return Status::FailedPrecondition("still failing");
        }
        HRSS_RETURN_IF_ERROR(loader.Flush());
        HRSS_RETURN_IF_ERROR(c.Exec("UPDATE dc_quarantine SET status = 'reprocessed', "
                                    "updated_at_ms = ?, updated_by = ? WHERE id = ?",
                                    {now, actor, id})
                                 .status());
        loaded = true;
        loaded_counts = loader.counts();
        return Status::Ok();
      }, 1);
      if (!st.ok() && m.reason_code.empty()) return st;
      if (loaded) batches[item->GetInt64(0)].second.Add(loaded_counts);
    }
    if (loaded) {
      out[id] = {"", ""};
      continue;
    }
    HRSS_RETURN_IF_ERROR(conn->Exec("UPDATE dc_quarantine SET reason_code = ?, reason = ?, "
                                    "updated_at_ms = ?, updated_by = ? WHERE id = ?",
                                    {m.reason_code, m.reason.substr(0, 500), now, actor, id})
                             .status());
    out[id] = {m.reason_code, m.reason};
  }
  return Status::Ok();
  }();
  // Close the reprocess batches whatever happened (a batch left "running"
  // would hold back the fact feed's watermark until it is marked stale).
  for (const auto& [job_id, b] : batches) {
    const LoadCounts& c = b.second;
    int64_t now = env.clock->NowMillis();
    Status st = conn->Exec("UPDATE dc_batch SET status = ?, error = ?, finished_at_ms = ?, "
                           "heartbeat_ms = ?, rows_read = ?, rows_inserted = ?, rows_updated = ?, "
                           "rows_unchanged = ?, rows_deleted = ?, rows_quarantined = ?, "
                           "progress_done = ?, progress_total = ? WHERE id = ?",
                           {body.ok() ? "succeeded" : "failed",
                            body.ok() ? "" : body.message().substr(0, 1000), now, now, c.read,
                            c.inserted, c.updated, c.unchanged, c.deleted, c.quarantined, c.read,
                            c.read, b.first})
                    .status();
    if (body.ok() && !st.ok()) body = st;
    if (st.ok() && env.on_committed && c.inserted + c.updated + c.deleted > 0) {
      env.on_committed(b.first);
    }
  }
  if (!body.ok()) return body;
  return out;
}

}  // namespace hrss::datacenter
