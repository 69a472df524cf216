// One-stop search, 360° views, domain queries (issue 4 item 5). Being built:
// see services.h.
#include "modules/datacenter/services.h"

namespace hrss::datacenter {

Status StartQueries(const Services& services) {
  (void)services;
  return Status::Ok();
}

}  // namespace hrss::datacenter
