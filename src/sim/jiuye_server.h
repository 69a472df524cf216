// `hrss simulate serve`: the 就业 system's paginated JSON API over the data
// that `hrss simulate` wrote to <dir>/jiuye/jiuye.jsonl.d (contract in
// docs/datacenter/sources.md):
//
//   GET /api/v1/{persons|units|events}?updated_since=<ms>&after_id=<id>&limit=<1..1000>
//   X-Api-Key: <manifest.json jiuye.api_key>          (missing/wrong → 401)
//   → 200 {"items":[...], "next":{"updated_since":MS,"after_id":"ID"} | null}
//
// Items are the latest version of each id among the drop days served
// (days 1..`day`, all by default), ordered by (updated_at, id); a page holds
// the items with (updated_at, id) > (updated_since, after_id), after_id
// defaulting to "" (so without it, updated_at >= updated_since).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace hrss::sim {

struct JiuyeServeOptions {
  std::string dir;              // the --out directory of `hrss simulate`
  std::string host = "127.0.0.1";
  int port = 0;                 // 0: any free port
  double fail_rate = 0;         // share of requests answered 503 (retry tests)
  int day = 0;                  // serve drop days 1..day; 0 = all
};

class JiuyeServer {
 public:
  // Loads the data and starts serving on background threads.
  static Result<std::unique_ptr<JiuyeServer>> Start(const JiuyeServeOptions& options);
  ~JiuyeServer();  // Stop()s
  JiuyeServer(const JiuyeServer&) = delete;
  JiuyeServer& operator=(const JiuyeServer&) = delete;

  int port() const;
  const std::string& api_key() const;
  // Items loaded per kind (persons, units, events).
  int64_t items(const std::string& kind) const;
  // Graceful stop; idempotent.
  void Stop();

  struct Impl;

 private:
  explicit JiuyeServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Runs the server until SIGTERM/SIGINT; returns the process exit code.
// Blocks the termination signals itself, so call it before starting threads.
int RunJiuyeServe(const JiuyeServeOptions& options);

}  // namespace hrss::sim
