// The collection part's running state (collect_module.cc): one per process,
// created by StartCollection and stopped by StopCollection. Routes
// (collect_routes.cc) and the push endpoint (push.cc) work through it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "modules/datacenter/collect.h"
#include "modules/datacenter/services.h"

namespace hrss::datacenter {

inline constexpr const char* kCollectRead = "datacenter:collect:read";
inline constexpr const char* kCollectRun = "datacenter:collect:run";
inline constexpr const char* kCollectManage = "datacenter:collect:manage";
inline constexpr const char* kQuarantineFix = "datacenter:quarantine:fix";
inline constexpr const char* kQualityRead = "datacenter:quality:read";
inline constexpr const char* kConflictResolve = "datacenter:conflict:resolve";
inline constexpr const char* kPersonRead = "datacenter:person:read";

class Collection {
 public:
  explicit Collection(const Services& services);
  ~Collection();

  Status Start();  // defaults, code maps, routes, scheduler and push worker
  void Stop();     // stops threads; running batches stop at their next commit
  // Asks running batches to stop at their next commit point (no joining).
  void RequestStop() { stop_ = true; cv_.notify_all(); }

  // Starts a batch of `job` on a background thread. CONFLICT JOB_RUNNING
  // when one is running.
  Result<int64_t> RunAsync(const Job& job, std::string_view trigger, std::string_view by);
  // Runs a batch in the calling thread.
  Result<Batch> RunNow(const Job& job, std::string_view trigger, std::string_view by,
                       CollectOptions options = {});
  // Wakes the push worker.
  void NotifyPush();
  // Next scheduled run of an enabled job with a cron, or -1.
  int64_t NextRun(const Job& job) const;
  // The push app secret of a system (hex) and its key id.
  std::string PushSecret(std::string_view system) const;
  static std::string PushKeyId(std::string_view system) { return "push-" + std::string(system); }

  Services services;
  CollectEnv env;
  JobStore jobs;

 private:
  Status AddRoutes();   // collect_routes.cc
  Status AddPushRoute();  // push.cc
  void SchedulerLoop();
  void PushLoop();
  bool MarkRunning(int64_t job_id);
  void MarkDone(int64_t job_id);

  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<int64_t> running_;           // GUARDED_BY(mu_)
  std::vector<std::thread> workers_;    // GUARDED_BY(mu_)
  std::thread scheduler_, push_worker_;
  bool push_pending_ = false;           // GUARDED_BY(mu_)
  std::map<int64_t, int64_t> last_fire_;  // job id → last scheduled minute (ms)
  friend class CollectRoutes;
};

// The process's collection (nullptr before StartCollection).
Collection* CurrentCollection();

}  // namespace hrss::datacenter
