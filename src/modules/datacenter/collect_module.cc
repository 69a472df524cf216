// Collection (issue 4 item 3). Being built: see services.h.
#include "modules/datacenter/services.h"

namespace hrss::datacenter {

Status StartCollection(const Services& services) {
  (void)services;
  return Status::Ok();
}
void StopCollection() {}
Status LoadCollectionDemo(const Services& services, const DemoOptions& options) {
  (void)services;
  (void)options;
  return Status::Ok();
}
std::string CollectionDemoSummary() { return {}; }

}  // namespace hrss::datacenter
