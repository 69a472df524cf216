// Collection (issue 4 items 3–4): catalog keys, default jobs and code maps,
// routes, the scheduler thread and the push worker; `hrss demo` collection.
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/crypto.h"
#include "core/log.h"
#include "http/principal.h"
#include "modules/datacenter/collect_service.h"
#include "modules/datacenter/facts_feed.h"
#include "modules/identity/catalog.h"
#include "modules/identity/keyring.h"
#include "modules/system/system_module.h"
#include "platform/platform.h"

namespace hrss::datacenter {

namespace json = boost::json;

namespace {

std::mutex g_mu;
std::unique_ptr<Collection> g_collection;  // GUARDED_BY(g_mu) for replacement

std::string EnvName(std::string_view key) {
  std::string n = "HRSS_";
  for (char c : key) n += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return n;
}

}  // namespace

Collection* CurrentCollection() {
  std::lock_guard lock(g_mu);
  return g_collection.get();
}

Collection::Collection(const Services& s)
    : services(s), jobs(s.platform->db(), s.platform->clock()) {
  Platform* p = s.platform;
  env.platform = p;
  env.pool = &p->db();
  env.clock = &p->clock();
  env.keys = s.keys;
  env.data_dir = p->config().data_dir;
  env.publish = [p](const json::object& o) {
    p->hub().Publish("datacenter.batch", json::serialize(o));
  };
  if (SqlFactFeed* facts = s.facts; facts != nullptr) {
    env.on_committed = [facts](int64_t batch_id) { facts->NotifyCommitted(batch_id); };
  }
  auto settings = std::make_shared<SettingsService>(*p);
  env.setting = [settings](std::string_view key) -> std::string {
    // Environment first (HRSS_DATACENTER_JIUYE_API_KEY), then the settings store.
    if (const char* e = std::getenv(EnvName(key).c_str()); e != nullptr && *e != '\0') return e;
    auto v = settings->Get(std::string(key));
    if (v.ok() && v->has_value()) return **v;
    if (key == "datacenter.jiuye_base_url") return "http://127.0.0.1:18090";
    return {};
  };
}

Collection::~Collection() { Stop(); }

Status Collection::Start() {
  struct Key {
    const char* key;
    const char* name;
    int sort;
  };
  for (const Key& k : {Key{kCollectRead, "采集任务与批次查看", 110},
                       Key{kCollectRun, "立即执行采集任务", 111},
                       Key{kCollectManage, "采集任务配置、代码映射维护", 112},
                       Key{kQuarantineFix, "问题数据修正与重新处理", 113},
                       Key{kQualityRead, "数据质量查看", 114},
                       Key{kConflictResolve, "人员信息冲突处理", 115}}) {
    HRSS_RETURN_IF_ERROR(identity::Catalog().Add({.key = k.key,
                                                  .name = k.name,
                                                  .kind = identity::PermissionKind::kApi,
                                                  .parent = "datacenter",
                                                  .sort = k.sort}));
  }
  HRSS_RETURN_IF_ERROR(jobs.EnsureDefaults(env.data_dir));
  HRSS_RETURN_IF_ERROR(CodeMaps::SeedDefaults(*env.pool, env.clock->NowMillis()));
  HRSS_RETURN_IF_ERROR(jobs.MarkStaleBatches().status());
  {
    // Indexes a killed bulk load left dropped (the next batch would rebuild
    // them too; a failure here only delays that).
    HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, env.pool->Acquire());
    if (Status st = RestoreDeferredIndexes(*conn); !st.ok()) {
      log::Warn("datacenter.deferred_index_restore_failed", {{"error", st.ToString()}});
    }
  }
  HRSS_RETURN_IF_ERROR(AddRoutes());
  HRSS_RETURN_IF_ERROR(AddPushRoute());
  const char* sched = std::getenv("HRSS_DATACENTER_SCHEDULER");
  if (sched == nullptr || std::string(sched) != "0") {
    scheduler_ = std::thread([this] { SchedulerLoop(); });
  }
  push_worker_ = std::thread([this] { PushLoop(); });
  return Status::Ok();
}

void Collection::Stop() {
  stop_ = true;
  cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (push_worker_.joinable()) push_worker_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) {
    if (t.joinable()) t.join();
  }
}

bool Collection::MarkRunning(int64_t job_id) {
  std::lock_guard lock(mu_);
  return running_.insert(job_id).second;
}

void Collection::MarkDone(int64_t job_id) {
  std::lock_guard lock(mu_);
  running_.erase(job_id);
}

Result<Batch> Collection::RunNow(const Job& job, std::string_view trigger, std::string_view by,
                                 CollectOptions options) {
  if (!MarkRunning(job.id)) {
    return Status::Conflict("采集任务「" + job.name + "」正在运行").WithReason("JOB_RUNNING");
  }
  options.stop = &stop_;
  auto r = RunJob(env, job, trigger, by, options);
  MarkDone(job.id);
  return r;
}

Result<int64_t> Collection::RunAsync(const Job& job, std::string_view trigger,
                                     std::string_view by) {
  if (stop_) return Status::Unavailable("采集服务正在停止");
  if (!MarkRunning(job.id)) {
    return Status::Conflict("采集任务「" + job.name + "」正在运行").WithReason("JOB_RUNNING");
  }
  auto id = CreateBatch(env, job, trigger, by);
  if (!id.ok()) {
    MarkDone(job.id);
    return id.status();
  }
  std::lock_guard lock(mu_);
  workers_.emplace_back([this, job, batch = *id] {
    CollectOptions options;
    options.stop = &stop_;
    auto r = RunBatch(env, job, batch, options);
    if (!r.ok()) {
      log::Error("datacenter.batch_error", {{"job", job.code}, {"error", r.status().ToString()}});
    }
    MarkDone(job.id);
  });
  return *id;
}

int64_t Collection::NextRun(const Job& job) const {
  if (!job.enabled || job.cron.empty() || job.method == "push") return -1;
  auto c = CronExpr::Parse(job.cron);
  if (!c.ok()) return -1;
  return c->NextAfter(env.clock->NowMillis());
}

void Collection::SchedulerLoop() {
  // Checks every few seconds which enabled jobs have a cron time in the
  // current minute that has not fired yet; at most one batch per job.
  {
    // First look after a minute: `hrss demo` and start-up collections go first.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(60), [this] { return stop_.load(); });
  }
  while (!stop_) {
    int64_t now = env.clock->NowMillis();
    auto list = jobs.List();
    if (list.ok()) {
      for (const Job& job : *list) {
        if (!job.enabled || job.cron.empty() || job.method == "push") continue;
        auto c = CronExpr::Parse(job.cron);
        if (!c.ok()) continue;
        int64_t minute = now - now % 60000;
        // Due when the cron matches the current minute.
        if (c->NextAfter(minute - 1) != minute) continue;
        int64_t& last = last_fire_[job.id];
        if (last == minute) continue;
        last = minute;
        auto r = RunAsync(job, "schedule", "scheduler");
        if (!r.ok() && r.status().code() != Code::kConflict) {
          log::Warn("datacenter.schedule_failed", {{"job", job.code}, {"error", r.status().ToString()}});
        }
      }
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stop_.load(); });
    // Reap finished workers.
  }
}

void Collection::NotifyPush() {
  std::lock_guard lock(mu_);
  push_pending_ = true;
  cv_.notify_all();
}

void Collection::PushLoop() {
  while (!stop_) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_.load() || push_pending_; });
      push_pending_ = false;
    }
    if (stop_) break;
    for (const char* sys : {"shebao", "jibao", "jubao", "jiuye", "jiancha"}) {
      auto r = ProcessPushEvents(env, sys);
      if (!r.ok()) {
        log::Warn("datacenter.push_failed", {{"system", sys}, {"error", r.status().ToString()}});
      }
    }
  }
}

std::string Collection::PushSecret(std::string_view system) const {
  if (services.keys == nullptr) return {};
  return HexEncode(services.keys->DeriveKey("push:" + std::string(system), 32));
}

Status StartCollection(const Services& services) {
  // Batch progress on the hub is for callers who may see batches (GET
  // /batches needs datacenter:collect:read): the socket is authenticated by
  // the session cookie; anonymous clients and others are refused the
  // datacenter.* topics. Topics of other modules stay open.
  services.platform->hub().SetTopicAuthorizer(
      [](const http::Principal* who, std::string_view topic) {
        if (topic.substr(0, 11) != "datacenter.") return true;
        return who != nullptr && who->HasPermission("datacenter:collect:read");
      });
  std::unique_ptr<Collection> old;
  {
    std::lock_guard lock(g_mu);
    old = std::move(g_collection);
  }
  if (old) old->Stop();
  auto c = std::make_unique<Collection>(services);
  Collection* raw = c.get();
  {
    std::lock_guard lock(g_mu);
    g_collection = std::move(c);
  }
  return raw->Start();
}

void StopCollection() {
  std::unique_ptr<Collection> c;
  {
    std::lock_guard lock(g_mu);
    c = std::move(g_collection);
  }
  if (c) c->Stop();
}

Status GenerateDemoSources(const std::string& dir, uint64_t seed);  // collect_demo.cc

Status LoadCollectionDemo(const Services& services, const DemoOptions& options) {
  Collection* c = CurrentCollection();
  if (c == nullptr) return Status::FailedPrecondition("采集服务未启动");
  (void)services;
  const char* skip = std::getenv("HRSS_DATACENTER_DEMO_SOURCES");
  if (skip != nullptr && std::string(skip) == "0") return Status::Ok();
  std::string dir = c->env.data_dir + "/sources";
  HRSS_RETURN_IF_ERROR(GenerateDemoSources(dir, options.seed));
  HRSS_ASSIGN_OR_RETURN(auto list, c->jobs.List());
  for (const Job& job : list) {
    if (job.method != "file" && job.method != "db") continue;
    if (job.code != "jubao-files" && job.code != "shebao-db" && job.code != "jibao-files" &&
        job.code != "jiuye-files" && job.code != "jiancha-files") {
      continue;
    }
    auto b = c->RunNow(job, "cli", "demo");
    for (int i = 0; i < 600 && !b.ok() && b.status().code() == Code::kConflict; ++i) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // a scheduled batch of the job runs
      b = c->RunNow(job, "cli", "demo");
    }
    if (!b.ok()) return b.status().WithContext("demo collection " + job.code);
    if (b->status == "failed") {
      log::Warn("datacenter.demo_batch_failed", {{"job", job.code}, {"error", b->error}});
    }
  }
  return Status::Ok();
}

std::string CollectionDemoSummary() {
  Collection* c = CurrentCollection();
  if (c == nullptr) return {};
  std::string out = "datacenter push app keys (X-Hrss-App-Key / HMAC-SM3 secret, hex):\n";
  for (const char* sys : {"shebao", "jibao", "jubao", "jiuye", "jiancha"}) {
    out += "  " + Collection::PushKeyId(sys) + "  " + c->PushSecret(sys) + "\n";
  }
  return out;
}

}  // namespace hrss::datacenter
