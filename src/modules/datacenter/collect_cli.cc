// `hrss collect [--job CODE | --all] [--list]`: runs collection jobs in the
// foreground through the same runner as the server (checkpoints, so an
// interrupted run continues where it stopped).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <thread>

#include "modules/datacenter/collect_service.h"

namespace hrss::datacenter {

int RunCollectCommand(const std::string& job_code, bool list) {
  Collection* c = CurrentCollection();
  if (c == nullptr) {
    std::fprintf(stderr, "hrss collect: collection is not started\n");
    return 1;
  }
  auto jobs = c->jobs.List();
  if (!jobs.ok()) {
    std::fprintf(stderr, "hrss collect: %s\n", jobs.status().ToString().c_str());
    return 1;
  }
  if (list) {
    std::printf("%-4s %-16s %-8s %-6s %-8s %-14s %s\n", "id", "code", "system", "method",
                "enabled", "cron", "name");
    for (const Job& j : *jobs) {
      std::printf("%-4lld %-16s %-8s %-6s %-8s %-14s %s\n", static_cast<long long>(j.id),
                  j.code.c_str(), j.system.c_str(), j.method.c_str(), j.enabled ? "yes" : "no",
                  j.cron.empty() ? "-" : j.cron.c_str(), j.name.c_str());
    }
    return 0;
  }
  std::vector<Job> run;
  for (const Job& j : *jobs) {
    if (!job_code.empty() ? j.code == job_code
                          : (j.enabled && (j.method == "file" || j.method == "db" ||
                                           j.method == "http"))) {
      run.push_back(j);
    }
  }
  if (run.empty()) {
    std::fprintf(stderr, "hrss collect: no such job%s%s (see hrss collect --list)\n",
                 job_code.empty() ? "" : " ", job_code.c_str());
    return 2;
  }
  // SIGINT/SIGTERM (blocked by main for every thread): stop at the next
  // commit point, leaving the batch resumable.
  std::thread signals([c] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    if (sigwait(&set, &sig) == 0 && sig != SIGUSR2) {
      std::fprintf(stderr, "hrss collect: stopping at the next commit point...\n");
      c->RequestStop();
    }
  });
  signals.detach();
  int rc = 0;
  int64_t total_rows = 0;
  double total_s = 0;
  for (const Job& j : run) {
    auto t0 = std::chrono::steady_clock::now();
    auto last = t0;
    CollectOptions o;
    // Bench/tuning knob: records per transaction (default CollectOptions).
    if (const char* e = std::getenv("HRSS_COLLECT_COMMIT_EVERY"); e != nullptr && std::atoll(e) > 0) {
      o.commit_every = std::atoll(e);
    }
    o.on_progress = [&](const Batch& b) {
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::seconds(1) && b.status == "running") return;
      last = now;
      double s = std::chrono::duration<double>(now - t0).count();
      std::fprintf(stderr, "  %s: %lld records, %.0f%% (%.0f records/s)\n", j.code.c_str(),
                   static_cast<long long>(b.rows_read),
                   b.progress_total > 0 ? 100.0 * b.progress_done / b.progress_total : 0.0,
                   s > 0 ? b.rows_read / s : 0.0);
    };
    auto b = c->RunNow(j, "cli", "cli", o);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!b.ok()) {
      std::printf("%-16s error: %s\n", j.code.c_str(), b.status().ToString().c_str());
      rc = 1;
      continue;
    }
    int64_t rows = b->rows_inserted + b->rows_updated + b->rows_unchanged + b->rows_deleted;
    total_rows += b->rows_read;
    total_s += s;
    std::printf("%-16s batch %lld %-11s read %lld, rows %lld (inserted %lld, updated %lld, "
                "unchanged %lld, deleted %lld), quarantined %lld, %.2f s, %.0f records/s%s%s\n",
                j.code.c_str(), static_cast<long long>(b->id), b->status.c_str(),
                static_cast<long long>(b->rows_read), static_cast<long long>(rows),
                static_cast<long long>(b->rows_inserted), static_cast<long long>(b->rows_updated),
                static_cast<long long>(b->rows_unchanged), static_cast<long long>(b->rows_deleted),
                static_cast<long long>(b->rows_quarantined), s, s > 0 ? b->rows_read / s : 0.0,
                b->error.empty() ? "" : " — ", b->error.c_str());
    if (b->status != "succeeded") rc = 1;
  }
  std::printf("total: %lld records in %.2f s = %.0f records/s\n", static_cast<long long>(total_rows),
              total_s, total_s > 0 ? total_rows / total_s : 0.0);
  return rc;
}

}  // namespace hrss::datacenter
