#include "sim/cli.h"

#include <cstdio>
#include <cstdlib>

#include "sim/jiuye_server.h"
#include "sim/simulate.h"

namespace hrss::sim {

const char* const kSimulateUsage =
    "  hrss simulate --preset small|county --seed N --out DIR   (level-2 source system drops, docs/datacenter/sources.md)\n"
    "  hrss simulate serve --dir DIR --port P [--host H] [--fail-rate 0.1] [--day N]   (就业 API)\n";

namespace {

bool ParseNumber(const std::string& s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == '\0';
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "hrss simulate: %s\nUsage:\n%s", message.c_str(), kSimulateUsage);
  return 2;
}

}  // namespace

int RunSimulateCommand(const std::string& subcommand, const std::map<std::string, std::string>& flags) {
  auto flag = [&](const char* name, const char* def) {
    auto it = flags.find(name);
    return it == flags.end() ? std::string(def) : it->second;
  };
  if (subcommand == "serve") {
    for (const auto& [name, value] : flags) {
      if (name != "dir" && name != "port" && name != "host" && name != "fail-rate" && name != "day") {
        return Usage("unknown flag --" + name);
      }
    }
    JiuyeServeOptions o;
    o.dir = flag("dir", "");
    o.host = flag("host", "127.0.0.1");
    double port = 0, fail = 0, day = 0;
    if (o.dir.empty()) return Usage("--dir is required");
    if (!ParseNumber(flag("port", "18090"), &port) || port < 0 || port > 65535) return Usage("bad --port");
    if (!ParseNumber(flag("fail-rate", "0"), &fail) || fail < 0 || fail > 1) return Usage("bad --fail-rate (0..1)");
    if (!ParseNumber(flag("day", "0"), &day) || day < 0) return Usage("bad --day");
    o.port = static_cast<int>(port);
    o.fail_rate = fail;
    o.day = static_cast<int>(day);
    return RunJiuyeServe(o);
  }
  if (!subcommand.empty()) return Usage("unknown subcommand " + subcommand);
  for (const auto& [name, value] : flags) {
    if (name != "preset" && name != "seed" && name != "out" && name != "threads" && name != "quiet") {
      return Usage("unknown flag --" + name);
    }
  }
  SimulateOptions o;
  o.preset = flag("preset", "small");
  o.out_dir = flag("out", "");
  o.progress = flags.count("quiet") == 0;
  double seed = 0, threads = 2;
  std::string seed_text = flag("seed", "1");
  char* end = nullptr;
  o.seed = std::strtoull(seed_text.c_str(), &end, 10);
  if (seed_text.empty() || !end || *end) return Usage("bad --seed");
  (void)seed;
  if (!ParseNumber(flag("threads", "2"), &threads) || threads < 1) return Usage("bad --threads");
  o.threads = static_cast<int>(threads);
  if (o.out_dir.empty()) return Usage("--out is required");
  auto summary = Simulate(o);
  if (!summary.ok()) {
    std::fprintf(stderr, "hrss simulate: %s\n", summary.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "simulate: preset %s seed %llu → %s\n", o.preset.c_str(), static_cast<unsigned long long>(o.seed),
               o.out_dir.c_str());
  for (const auto& s : summary->systems) {
    std::fprintf(stderr, "  %-8s %12lld rows  %7.1f s\n", s.system.c_str(), static_cast<long long>(s.rows), s.seconds);
  }
  std::fprintf(stderr, "  %-8s %12lld rows  %7.1f s\n", "total", static_cast<long long>(summary->rows), summary->seconds);
  return 0;
}

}  // namespace hrss::sim
