// Configuration of the hrss program.
//
// Sources, later ones winning: built-in defaults (embedded mode: SQLite and
// files under the data directory, everything on 127.0.0.1) < a TOML file
// (`--config F`) < environment variables < command-line flags.
//
// Environment variables are named HRSS_<SECTION>_<KEY> in upper case, e.g.
// HRSS_SERVER_PORT=9090 or HRSS_STORAGE_DRIVER=mariadb; HRSS_DATA_DIR sets the
// top-level `data_dir`. Unknown keys in the file or the environment are errors,
// so a typo never silently falls back to a default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  int io_threads = 0;        // 0: one per core
  int worker_threads = 0;    // 0: 4 per core, at least 16; blocking handlers run here
  int worker_queue = 1024;   // queued blocking requests before 503
  int max_connections = 20000;
  int64_t max_body_bytes = 1 << 20;   // default per-route request body limit
  int64_t max_header_bytes = 16 << 10;
  int header_timeout_ms = 10000;   // whole request head must arrive within this
  int body_timeout_ms = 30000;     // body must arrive within this
  int idle_timeout_ms = 75000;     // keep-alive idle time between requests
  int write_timeout_ms = 30000;
  int drain_timeout_ms = 20000;    // SIGTERM: wait this long for in-flight work
  int ws_queue_limit = 256;        // WebSocket messages queued per client
  std::string web_root = "web/dist";
  std::string cors_origins;        // comma-separated allowed origins; empty = same-origin only
  std::string trusted_proxies;     // addresses/IPv4 CIDRs whose X-Forwarded-For is believed
  std::string public_url;          // e.g. "https://rs.dazhu.gov.cn": OIDC issuer, links; empty = from Host
};

struct StorageConfig {
  std::string driver = "sqlite";   // "sqlite" | "mariadb"
  std::string sqlite_path;         // default: <data_dir>/hrss.db
  std::string mariadb_host = "127.0.0.1";
  int mariadb_port = 3306;
  std::string mariadb_user = "hrss";
  std::string mariadb_password;
  std::string mariadb_database = "hrss";
  std::string mariadb_socket;
  int pool_size = 16;
  // SQLite: WAL pages after which a commit checkpoints (0: SQLite's
  // default). db::Options::sqlite_checkpoint_pages.
  int sqlite_checkpoint_pages = 1000;
};

struct SecurityConfig {
  std::string key_file;             // default: <data_dir>/keys/hrss.keys (outside the database)
  int session_idle_minutes = 30;    // 等保: idle timeout <= 30 min
  int session_absolute_hours = 12;
  bool cookie_secure = false;       // true behind TLS (nginx); Secure flag on cookies
  int reauth_window_seconds = 300;  // sensitive actions need a re-authentication this recent
  int audit_retention_days = 400;   // >= 183 (6 months, 网络安全法 art. 21)
};

struct LogConfig {
  std::string level = "info";
};

struct Config {
  std::string data_dir = "var";
  ServerConfig server;
  StorageConfig storage;
  SecurityConfig security;
  LogConfig log;

  // Path of the SQLite database: storage.sqlite_path or <data_dir>/hrss.db.
  std::string SqlitePath() const;
  // Path of the key file: security.key_file or <data_dir>/keys/hrss.keys.
  std::string KeyFilePath() const;
};

// Loads `path` (may be empty: defaults only) and applies `env` overrides.
// `env` is normally the process environment (see EnvironmentMap()).
Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// Applies one setting by its dotted name ("server.port", "data_dir") from its
// text form. INVALID_ARGUMENT for unknown keys or malformed values.
Status ApplySetting(Config& config, std::string_view key, std::string_view value);

// The HRSS_* variables of the process environment.
std::map<std::string, std::string> EnvironmentMap();

}  // namespace hrss
