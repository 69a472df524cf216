// hrss: the Dazhu digital HR and social security platform, one program.
//
//   hrss serve   [--port P] [--host H] [--data-dir D] [--config F] [--web-root W]
//   hrss migrate [--status] [--data-dir D] [--config F]
//   hrss demo    [--data-dir D] [--config F] [--demo-password P]
//   hrss audit verify [--data-dir D] [--config F]
//   hrss simulate [serve] ...   (sim/cli.h)
//   hrss version
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/log.h"
#include "http/server.h"
#include "modules/analytics/analytics_module.h"
#include "modules/datacenter/datacenter_module.h"
#include "modules/datacenter/services.h"
#include "modules/identity/audit.h"
#include "modules/identity/identity_module.h"
#include "modules/identity/keyring.h"
#include "modules/identity/principal.h"
#include "modules/sso/sso_module.h"
#include "modules/system/system_module.h"
#include "platform/openapi.h"
#include "platform/platform.h"
#include "sim/cli.h"

namespace {

using hrss::Status;

constexpr const char* kUsage = R"(hrss — 大竹数字人社平台 server

Usage:
  hrss serve   [--port P] [--host H] [--data-dir D] [--config F] [--web-root W] [--demo]
  hrss migrate [--status] [--data-dir D] [--config F]
  hrss demo    [--data-dir D] [--config F] [--demo-password P]
  hrss routes  [--openapi] [--data-dir D]     (route table, or the OpenAPI document)
  hrss audit verify [--data-dir D] [--config F]   (check the audit log's HMAC-SM3 chain)
  hrss collect [--job CODE | --all] [--list] [--data-dir D] [--config F]   (run collection jobs)
  hrss version

Settings come from defaults < --config TOML file < HRSS_<SECTION>_<KEY> environment
variables < flags. Default: embedded mode, SQLite under ./var, http://127.0.0.1:8080.
)";

constexpr const char* kDefaultDemoPassword = "Dazhu@2026";

struct Args {
  std::string command;
  std::string subcommand;                    // `hrss audit verify`
  std::map<std::string, std::string> flags;  // --name value, or --name -> "1"
};

// Flags that take no value.
bool IsSwitch(const std::string& name) {
  return name == "status" || name == "demo" || name == "openapi" || name == "quiet" ||
         name == "list" || name == "all";
}

Status ParseArgs(int argc, char** argv, Args* out) {
  if (argc < 2) return Status::InvalidArgument("missing command");
  out->command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (i == 2 && (out->command == "audit" || out->command == "simulate") && a.rfind("--", 0) != 0) {
      out->subcommand = a;
      continue;
    }
    if (a.rfind("--", 0) != 0) return Status::InvalidArgument("unexpected argument: " + a);
    std::string name = a.substr(2), value = "1";
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (!IsSwitch(name)) {
      if (i + 1 >= argc) return Status::InvalidArgument("flag --" + name + " needs a value");
      value = argv[++i];
    }
    out->flags[name] = value;
  }
  return Status::Ok();
}

hrss::Result<hrss::Config> BuildConfig(const Args& args) {
  auto it = args.flags.find("config");
  auto config = hrss::LoadConfig(it == args.flags.end() ? "" : it->second, hrss::EnvironmentMap());
  if (!config.ok()) return config.status();
  static const std::map<std::string, std::string> kFlagToSetting = {
      {"port", "server.port"},         {"host", "server.host"},    {"data-dir", "data_dir"},
      {"web-root", "server.web_root"}, {"log-level", "log.level"},
  };
  for (const auto& [flag, value] : args.flags) {
    auto s = kFlagToSetting.find(flag);
    if (s != kFlagToSetting.end()) {
      HRSS_RETURN_IF_ERROR(hrss::ApplySetting(*config, s->second, value).WithContext("--" + flag));
    } else if (flag != "config" && flag != "status" && flag != "demo" && flag != "demo-password" &&
               flag != "openapi" && flag != "job" && flag != "list" && flag != "all") {
      return Status::InvalidArgument("unknown flag --" + flag);
    }
  }
  hrss::log::Level level;
  if (hrss::log::ParseLevel(config->log.level, &level)) hrss::log::SetLevel(level);
  return config;
}

// Stopped before the platform (and the data center's fact feed) goes away.
hrss::analytics::AnalyticsModule* g_analytics = nullptr;

void AddModules(hrss::Platform& p) {
  // Every module of the platform, in dependency order.
  p.AddModule(std::make_unique<hrss::SystemModule>());
  auto identity = std::make_unique<hrss::identity::IdentityModule>();
  auto sso = std::make_unique<hrss::sso::SsoModule>();
  // Signing out of a relying party ends the portal session too (single logout).
  sso->SetEndSession([idm = identity.get()](const hrss::http::Request& req) {
    const hrss::identity::UserPrincipal* me = hrss::identity::CurrentUser(req);
    if (me == nullptr || idm->identity() == nullptr) return;
    hrss::identity::Identity& id = *idm->identity();
    (void)id.sessions.Revoke(me->data().session_id, me->id());
    id.authenticator.ForgetSession(me->data().session_id);
  });
  auto datacenter = std::make_unique<hrss::datacenter::DatacenterModule>();
  datacenter->SetUnmaskRegistry([idm = identity.get()]() -> hrss::identity::UnmaskRegistry* {
    return idm->identity() ? &idm->identity()->unmask : nullptr;
  });
  // Analytics builds its cubes from the data center's fact feed.
  auto analytics = std::make_unique<hrss::analytics::AnalyticsModule>();
  analytics->SetFactFeed([dc = datacenter.get()]() { return dc->facts(); });
  g_analytics = analytics.get();
  p.AddModule(std::move(identity));
  p.AddModule(std::move(sso));
  p.AddModule(std::move(datacenter));
  p.AddModule(std::move(analytics));
}

int Fail(const Status& st) {
  std::fprintf(stderr, "hrss: %s\n", st.ToString().c_str());
  return st.code() == hrss::Code::kInvalidArgument ? 2 : 1;
}

int RunDemo(hrss::Platform& p, const Args& args) {
  hrss::DemoOptions demo;
  auto pw = args.flags.find("demo-password");
  demo.password = pw == args.flags.end() ? kDefaultDemoPassword : pw->second;
  if (Status st = p.LoadDemo(demo); !st.ok()) return Fail(st);
  std::string summary = p.DemoSummary();
  std::printf("demo data loaded into %s\n", p.config().storage.driver == "sqlite"
                                                ? p.config().SqlitePath().c_str()
                                                : p.config().storage.mariadb_database.c_str());
  if (summary.empty()) {
    std::printf("demo accounts: none yet (the identity module adds them)\n");
  } else {
    std::printf("%s", summary.c_str());
  }
  return 0;
}

// `hrss routes`: every route with its permission (or "public") and summary.
int PrintRoutes(hrss::Platform& p, bool openapi) {
  if (openapi) {
    std::printf("%s\n", hrss::BuildOpenApi(p.router(), hrss::kVersion).c_str());
    return 0;
  }
  for (const auto& r : p.router().routes()) {
    std::printf("%-7s %-44s %-32s %s\n", std::string(hrss::http::MethodName(r->method)).c_str(),
                r->pattern.c_str(), r->is_public ? "public" : r->permission.c_str(),
                r->summary.c_str());
  }
  return 0;
}

// `hrss audit verify`: walks the audit chain with the key from the key file
// (never creates one). Exit 0 when intact, 1 when broken or on error.
int RunAudit(hrss::Platform& p, const Args& args) {
  if (args.subcommand != "verify") {
    std::fprintf(stderr, "hrss: usage: hrss audit verify [--data-dir D] [--config F]\n");
    return 2;
  }
  auto keys = hrss::identity::KeyRing::Load(p.config().KeyFilePath());
  if (!keys.ok()) return Fail(keys.status());
  hrss::identity::AuditLog audit(p.db(), *keys, p.clock());
  auto report = audit.Verify();
  if (!report.ok()) return Fail(report.status());
  if (report->ok) {
    std::printf("audit chain ok: %lld records (head id %lld, mac %s)\n",
                static_cast<long long>(report->checked), static_cast<long long>(report->head_id),
                report->head_mac.empty() ? "-" : report->head_mac.c_str());
    return 0;
  }
  std::printf("audit chain BROKEN at record %lld (%s): %s\n%lld records verified before it\n",
              static_cast<long long>(report->first_bad_id), report->kind.c_str(),
              report->reason.c_str(), static_cast<long long>(report->checked));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (Status st = ParseArgs(argc, argv, &args); !st.ok()) {
    std::fprintf(stderr, "hrss: %s\n\n%s", st.message().c_str(), kUsage);
    return 2;
  }
  if (args.command == "version" || args.command == "--version") {
    std::printf("hrss %s\n", hrss::kVersion);
    return 0;
  }
  if (args.command == "help" || args.command == "--help" || args.command == "-h") {
    std::printf("%s\nSimulators of the level-2 source systems:\n%s", kUsage, hrss::sim::kSimulateUsage);
    return 0;
  }
  // Before the signal mask below: a long generation stays interruptible;
  // `simulate serve` blocks the termination signals itself.
  if (args.command == "simulate") return hrss::sim::RunSimulateCommand(args.subcommand, args.flags);
  if (args.command != "serve" && args.command != "migrate" && args.command != "demo" &&
      args.command != "routes" && args.command != "audit" && args.command != "collect") {
    std::fprintf(stderr, "hrss: unknown command %s\n\n%s", args.command.c_str(), kUsage);
    return 2;
  }
  // Every connection is a descriptor: allow as many as the hard limit does.
  struct rlimit nofile {};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  // Before any thread exists, so every thread inherits the signal mask and
  // SIGTERM is taken only by the waiting main thread.
  hrss::http::BlockTerminationSignals();

  auto config = BuildConfig(args);
  if (!config.ok()) return Fail(config.status());
  hrss::Platform platform(std::move(config).value());
  AddModules(platform);
  // Declared after `platform`, so destroyed first: the analytics worker stops
  // before the modules (and the data center's fact feed) go away.
  struct StopAnalytics {
    ~StopAnalytics() {
      if (g_analytics != nullptr) g_analytics->Stop();
    }
  } stop_analytics;
  if (Status st = platform.OpenStorage(); !st.ok()) return Fail(st);
  if (args.command == "audit") return RunAudit(platform, args);

  if (args.command == "migrate") {
    if (args.flags.count("status")) {
      Status check = platform.CheckSchema();
      auto list = platform.migrator().ListStatus(platform.db());
      if (!list.ok()) return Fail(list.status());
      for (const auto& m : *list) {
        std::printf("%-12s %4d  %-32s %-8s %s\n", m.module.c_str(), m.version, m.name.c_str(),
                    std::string(hrss::db::MigrationStateName(m.state)).c_str(),
                    m.checksum.substr(0, 12).c_str());
      }
      std::printf("%s\n", check.ok() ? "schema is current" : check.ToString().c_str());
      return check.ok() ? 0 : 1;
    }
    if (Status st = platform.Migrate(); !st.ok()) return Fail(st);
    std::printf("migrations applied\n");
    return 0;
  }

  if (Status st = platform.Migrate(); !st.ok()) return Fail(st);
  if (args.command == "collect") {
    // One job in the foreground, then exit: no scheduler, no cube builds.
    setenv("HRSS_DATACENTER_SCHEDULER", "0", 1);
    setenv("HRSS_ANALYTICS_WORKER", "0", 1);
  }
  if (Status st = platform.StartModules(); !st.ok()) return Fail(st);
  if (args.command == "demo") return RunDemo(platform, args);
  if (args.command == "routes") return PrintRoutes(platform, args.flags.count("openapi") > 0);
  if (args.command == "collect") {
    auto job = args.flags.find("job");
    return hrss::datacenter::RunCollectCommand(job == args.flags.end() ? "" : job->second,
                                               args.flags.count("list") > 0);
  }

  if (args.flags.count("demo")) {
    if (int rc = RunDemo(platform, args); rc != 0) return rc;
  }
  if (Status st = platform.Serve(); !st.ok()) return Fail(st);
  return 0;
}
