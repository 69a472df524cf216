// The push endpoint (POST /api/v1/datacenter/push/{system}) and the worker
// side that turns stored events into standardized rows through the same
// dialect mappers and loader as batch collection.
//
// Signature: X-Hrss-App-Key = "push-<system>", X-Hrss-Timestamp = epoch ms
// (±5 min), X-Hrss-Signature = hex(HMAC-SM3(secret, timestamp + "\n" + body))
// with secret = KeyRing::DeriveKey("push:" + system, 32). Events are
// deduplicated by (system, eventId) in dc_push_event; a replayed request
// (same signature inside the window) only finds duplicates.
#include <boost/json.hpp>
#include <charconv>

#include "core/crypto.h"
#include "core/text.h"
#include "db/transaction.h"
#include "http/message.h"
#include "modules/datacenter/collect_service.h"
#include "modules/identity/keyring.h"
#include "platform/platform.h"

namespace hrss::datacenter {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr int64_t kWindowMs = 5 * 60 * 1000;
constexpr size_t kMaxEvents = 1000;

Response Err(const Request& req, Status st) { return Response::Error(st, req.request_id); }

}  // namespace

Status Collection::AddPushRoute() {
  return services.platform->AddRoute({
      .method = http::Method::kPost,
      .pattern = "/api/v1/datacenter/push/{system}",
      .is_public = true,
      .max_body_bytes = 2 << 20,
      .summary = "源系统推送变更事件（签名校验，按 eventId 去重）",
      .handler =
          [this](Request& req) -> Response {
            std::string system(req.PathParam("system"));
            if (!IsKnownSystem(system)) {
              return Err(req, Status::NotFound("未知的源系统：" + system));
            }
            std::string key_id(req.Header("x-hrss-app-key"));
            std::string ts_text(req.Header("x-hrss-timestamp"));
            std::string sig(req.Header("x-hrss-signature"));
            auto unauth = [&](const char* m) {
              return Err(req, Status::Unauthenticated(m).WithReason("BAD_SIGNATURE"));
            };
            if (key_id != PushKeyId(system)) return unauth("应用标识 X-Hrss-App-Key 无效");
            int64_t ts = 0;
            auto [p, ec] = std::from_chars(ts_text.data(), ts_text.data() + ts_text.size(), ts);
            if (ts_text.empty() || ec != std::errc() || p != ts_text.data() + ts_text.size()) {
              return unauth("时间戳 X-Hrss-Timestamp 无效");
            }
            int64_t now = env.clock->NowMillis();
            if (ts < now - kWindowMs || ts > now + kWindowMs) {
              return unauth("请求时间戳超出 ±5 分钟窗口");
            }
            std::string secret = services.keys->DeriveKey("push:" + system, 32);
            std::string expected = HmacSm3Hex(secret, ts_text + "\n" + req.body);
            if (!ConstantTimeEquals(AsciiLower(sig), expected)) return unauth("签名校验失败");
            auto body = http::ParseJsonBody(req);
            if (!body.ok()) return Err(req, body.status());
            if (!body->is_object() || !body->as_object().contains("events") ||
                !body->as_object().at("events").is_array()) {
              return Err(req, Status::InvalidArgument("请求体须为 {\"events\":[...]}"));
            }
            const auto& events = body->as_object().at("events").as_array();
            if (events.size() > kMaxEvents) {
              return Err(req, Status::InvalidArgument("一次最多推送 1000 个事件"));
            }
            const DialectMapper* mapper = FindMapper(system);
            int64_t accepted = 0, duplicates = 0;
            // Validate everything first: nothing is stored from a bad request.
            for (const auto& ev : events) {
              if (!ev.is_object()) return Err(req, Status::InvalidArgument("事件须为对象"));
              const auto& o = ev.as_object();
              auto str = [&o](const char* k) -> std::string {
                auto* v = o.if_contains(k);
                return v && v->is_string() ? std::string(v->as_string()) : std::string();
              };
              std::string id = str("eventId"), entity = str("entity"), op = str("op");
              if (id.empty() || id.size() > 64) {
                return Err(req, Status::InvalidArgument("eventId 须为 1–64 字符"));
              }
              if (mapper->StreamKind(entity).empty() || entity.size() > 32) {
                return Err(req, Status::InvalidArgument("未知的实体 entity：" + entity.substr(0, 32)));
              }
              if (op != "upsert" && op != "delete") {
                return Err(req, Status::InvalidArgument("op 须为 upsert 或 delete"));
              }
              if (!o.contains("record") || !o.at("record").is_object()) {
                return Err(req, Status::InvalidArgument("record 须为对象"));
              }
            }
            Status st = db::WithTransaction(*env.pool, [&](db::Connection& c) -> Status {
              accepted = duplicates = 0;
              std::string sql =
                  "INSERT INTO dc_push_event (src_system, event_id, entity, payload_json, "
                  "received_at_ms) VALUES (?, ?, ?, ?, ?)";
              sql += c.dialect() == db::Dialect::kSqlite
                         ? " ON CONFLICT(src_system, event_id) DO NOTHING"
                         : " ON DUPLICATE KEY UPDATE id = id";
              for (const auto& ev : events) {
                const auto& o = ev.as_object();
                std::string event_id(o.at("eventId").as_string());
                HRSS_ASSIGN_OR_RETURN(auto seen,
                                      c.QueryOne("SELECT id FROM dc_push_event WHERE src_system = "
                                                 "? AND event_id = ?",
                                                 {system, event_id}));
                if (seen.has_value()) {
                  ++duplicates;
                  continue;
                }
                json::object payload{{"op", o.at("op")}, {"record", o.at("record")}};
                HRSS_ASSIGN_OR_RETURN(
                    int64_t n, c.Exec(sql, {system, event_id,
                                            std::string(o.at("entity").as_string()),
                                            json::serialize(payload), now}));
                if (n > 0) {
                  ++accepted;
                } else {
                  ++duplicates;  // the same event twice in one request
                }
              }
              return Status::Ok();
            });
            if (!st.ok()) return Err(req, st);
            NotifyPush();
            return Response::Json(202, json::object{{"accepted", accepted}, {"duplicates", duplicates}});
          },
  });
}

Result<int64_t> ProcessPushEvents(const CollectEnv& env, std::string_view system) {
  const DialectMapper* mapper = FindMapper(system);
  if (mapper == nullptr) return Status::InvalidArgument("未知的源系统");
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, env.pool->Acquire());
  HRSS_ASSIGN_OR_RETURN(auto pending, conn->QueryOne("SELECT COUNT(*) FROM dc_push_event WHERE "
                                                     "processed_batch_id = 0 AND src_system = ?",
                                                     {system}));
  if (!pending.has_value() || pending->GetInt64(0) == 0) return int64_t{0};
  // The system's push job (created on first use).
  JobStore store(*env.pool, *env.clock);
  std::string code = "push-" + std::string(system);
  HRSS_ASSIGN_OR_RETURN(auto job, store.GetByCode(code));
  if (!job.has_value()) {
    Job j;
    j.code = code;
    j.name = SystemName(system) + " 推送事件处理";
    j.system = std::string(system);
    j.method = "push";
    j.config = json::object{{"dialect", system}};
    j.enabled = true;
    HRSS_ASSIGN_OR_RETURN(Job saved, store.Save(std::move(j), "system"));
    job = saved;
  }
  HRSS_ASSIGN_OR_RETURN(int64_t batch_id, CreateBatch(env, *job, "push", "push"));
  HRSS_ASSIGN_OR_RETURN(CodeMaps codes, CodeMaps::Load(*conn, system));
  QualityCounters quality;
  MapContext ctx{&codes, env.clock, env.keys, env.clock->NowMillis(), &quality};
  Loader loader(*conn, std::string(system), job->id, batch_id, env.clock->NowMillis(), &quality);
  int64_t processed = 0;
  Status st;
  while (st.ok()) {
    auto rows = conn->Query("SELECT id, entity, payload_json FROM dc_push_event WHERE "
                            "processed_batch_id = 0 AND src_system = ? ORDER BY id LIMIT 1000",
                            {system});
    if (!rows.ok()) {
      st = rows.status();
      break;
    }
    if (rows->empty()) break;
    st = db::WithTransaction(*conn, [&](db::Connection& c) -> Status {
      loader.Reset();
      std::map<std::string, std::vector<MappedRecord>> by_stream;
      std::vector<int64_t> ids;
      for (const auto& r : *rows) {
        ids.push_back(r.GetInt64(0));
        std::string entity = r.GetText(1);
        boost::system::error_code ec;
        json::value payload = json::parse(r.GetText(2), ec);
        MappedRecord m;
        m.line = r.GetInt64(0);
        if (ec || !payload.is_object()) {
          m.reason_code = "PARSE_ERROR";
          m.reason = ReasonText("PARSE_ERROR");
        } else {
          const auto& o = payload.as_object();
          ingest::Record rec = RecordFromJson(o.at("record").as_object());
          std::string op(o.at("op").as_string());
          mapper->Map(mapper->StreamKind(entity), rec, op, ctx, &m);
          m.columns = rec.columns;
          m.values = std::move(rec.values);
        }
        by_stream["push:" + entity].push_back(std::move(m));
      }
      for (auto& [stream, recs] : by_stream) HRSS_RETURN_IF_ERROR(loader.Load(stream, recs));
      HRSS_RETURN_IF_ERROR(loader.Flush());
      for (int64_t id : ids) {
        HRSS_RETURN_IF_ERROR(
            c.Exec("UPDATE dc_push_event SET processed_batch_id = ? WHERE id = ?", {batch_id, id})
                .status());
      }
      return Status::Ok();
    });
    if (st.ok()) processed += static_cast<int64_t>(rows->size());
  }
  const LoadCounts& c = loader.counts();
  int64_t now = env.clock->NowMillis();
  HRSS_RETURN_IF_ERROR(quality.Save(*conn, batch_id, system));
  HRSS_RETURN_IF_ERROR(
      conn->Exec("UPDATE dc_batch SET status = ?, error = ?, finished_at_ms = ?, heartbeat_ms = ?, "
                 "rows_read = ?, rows_inserted = ?, rows_updated = ?, rows_unchanged = ?, "
                 "rows_deleted = ?, rows_quarantined = ?, progress_done = ?, progress_total = ? "
                 "WHERE id = ?",
                 {st.ok() ? "succeeded" : "failed", st.ok() ? "" : st.message().substr(0, 1000),
                  now, now, c.read, c.inserted, c.updated, c.unchanged, c.deleted, c.quarantined,
                  processed, processed, batch_id})
          .status());
  if (env.on_committed && c.inserted + c.updated + c.deleted > 0) env.on_committed(batch_id);
  if (!st.ok()) return st;
  return processed;
}

}  // namespace hrss::datacenter
