// Demo sources for `hrss demo`: the simulator's small preset written to
// <data_dir>/sources (skipped when its manifest is already there), so the
// demo data arrives through the real collection jobs.
#include <filesystem>

#include "modules/datacenter/collect.h"
#include "sim/simulate.h"

namespace hrss::datacenter {

Status GenerateDemoSources(const std::string& dir, uint64_t seed) {
  std::error_code ec;
  if (std::filesystem::exists(dir + "/manifest.json", ec)) return Status::Ok();
  sim::SimulateOptions o;
  o.preset = "small";
  o.seed = seed;
  o.out_dir = dir;
  return sim::Simulate(o).status();
}

}  // namespace hrss::datacenter
