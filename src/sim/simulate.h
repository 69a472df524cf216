// Simulators of the five level-2 source systems (居保, 社保, 机保, 就业,
// 劳动监察): `hrss simulate`. The output layout, dialects and manifest are
// specified in docs/datacenter/sources.md; collectors are written against
// that document and tested against this output.
//
//   auto summary = sim::Simulate({.preset = "small", .seed = 7, .out_dir = dir});
//
// Same preset and seed → byte-identical files (no wall clock, no hash-order
// iteration, own PRNG). The generators stream rows to files; the county
// preset (tens of millions of rows) needs well under 2 GB of memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace hrss::sim {

struct SimulateOptions {
  std::string preset = "small";  // "small" | "county"
  uint64_t seed = 1;
  std::string out_dir;
  bool progress = false;  // progress lines on stderr
  int threads = 2;        // 1: everything on the calling thread
};

struct SystemSummary {
  std::string system;  // "jubao", "shebao", "jibao", "jiuye", "jiancha"
  int64_t rows = 0;
  double seconds = 0;
};

struct SimulateSummary {
  std::vector<SystemSummary> systems;
  int64_t rows = 0;
  double seconds = 0;  // wall time (reported only; never written to the output)
};

// Generates everything under options.out_dir (created; existing files of the
// same names are replaced) and writes manifest.json last.
Result<SimulateSummary> Simulate(const SimulateOptions& options);

}  // namespace hrss::sim
