// The `hrss simulate` command line (src/app/main.cc forwards to it):
//
//   hrss simulate --preset small|county --seed N --out DIR [--threads 1|2] [--quiet]
//   hrss simulate serve --dir DIR --port P [--host 127.0.0.1] [--fail-rate 0.1] [--day N]
#pragma once

#include <map>
#include <string>

namespace hrss::sim {

// Usage lines for the program's help text.
extern const char* const kSimulateUsage;

// `subcommand` is "" or "serve"; `flags` maps flag names without "--" to
// values. Returns the process exit code; messages go to stderr.
int RunSimulateCommand(const std::string& subcommand, const std::map<std::string, std::string>& flags);

}  // namespace hrss::sim
