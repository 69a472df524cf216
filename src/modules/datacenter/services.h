// What the parts of the datacenter module share. DatacenterModule::Start
// builds one Services and hands it to each part's Start function:
//
//   dictionary   (datacenter_module.cc)  the data standard and its API
//   collection   (collect_*.cc)          jobs, batches, collectors, standardization,
//                                        quarantine, quality, push endpoint, scheduler
//   queries      (query_*.cc)            one-stop search, person/unit 360°, domain
//                                        queries, export with approval
//
// Parts talk through their C++ classes, not through each other's tables.
// The standardized tables (standard.h) are written only by collection and
// read by queries.
#pragma once

#include <memory>

#include "core/status.h"
#include "platform/module.h"

namespace hrss {
class Platform;
namespace identity {
class KeyRing;
class AuditLog;
class UnmaskRegistry;
}  // namespace identity
}  // namespace hrss

namespace hrss::datacenter {

class SqlFactFeed;

struct Services {
  Platform* platform = nullptr;
  identity::KeyRing* keys = nullptr;
  identity::AuditLog* audit = nullptr;
  // Where parts register POST /api/v1/pii/unmask handlers; may be null
  // (then nothing is registered).
  identity::UnmaskRegistry* unmask = nullptr;
  // The fact feed; collection notifies it after every batch that committed
  // standardized rows. May be null (then nobody is notified).
  SqlFactFeed* facts = nullptr;
};

// collect_module.cc: catalog keys, routes, scheduler.
Status StartCollection(const Services& services);
// Stops the scheduler and waits for running batches to reach a checkpoint.
void StopCollection();
// `hrss demo`: simulate the small preset into <data_dir>/demo-sources and
// collect it through the real jobs (not direct inserts). Idempotent.
Status LoadCollectionDemo(const Services& services, const DemoOptions& options);
std::string CollectionDemoSummary();
// `hrss collect`: lists the jobs (`list`), or runs the job `job_code` (or
// every enabled file/db/http job when empty) in the foreground, printing
// progress on stderr and a summary with rows/s on stdout. Returns the exit
// code (0 when every batch succeeded).
int RunCollectCommand(const std::string& job_code, bool list);

// query_module.cc: catalog keys and routes.
Status StartQueries(const Services& services);

}  // namespace hrss::datacenter
