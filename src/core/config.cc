#include "core/config.h"

#include <cctype>
#include <charconv>
#include <functional>
#include <toml++/toml.h>
#include <vector>

extern char** environ;

namespace hrss {
namespace {

Status ParseInt(std::string_view key, std::string_view text, int64_t min, int64_t max,
                int64_t* out) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) {
    return Status::InvalidArgument("setting " + std::string(key) + ": not an integer: " +
                                   std::string(text));
  }
  if (v < min || v > max) {
    return Status::InvalidArgument("setting " + std::string(key) + ": " + std::string(text) +
                                   " is outside " + std::to_string(min) + ".." +
                                   std::to_string(max));
  }
  *out = v;
  return Status::Ok();
}

struct Setting {
  std::string_view key;
  std::function<Status(Config&, std::string_view key, std::string_view value)> apply;
};

auto Str(std::string Config::*field) {
  return [field](Config& c, std::string_view, std::string_view v) {
    c.*field = std::string(v);
    return Status::Ok();
  };
}
template <typename S>
auto SubStr(S Config::*section, std::string S::*field) {
  return [section, field](Config& c, std::string_view, std::string_view v) {
    (c.*section).*field = std::string(v);
    return Status::Ok();
  };
}
template <typename S, typename I>
auto SubInt(S Config::*section, I S::*field, int64_t min, int64_t max) {
  return [section, field, min, max](Config& c, std::string_view k, std::string_view v) {
    int64_t n = 0;
    HRSS_RETURN_IF_ERROR(ParseInt(k, v, min, max, &n));
    (c.*section).*field = static_cast<I>(n);
    return Status::Ok();
  };
}

const std::vector<Setting>& Settings() {
  using C = Config;
  using Sv = ServerConfig;
  using St = StorageConfig;
  static const std::vector<Setting> settings = {
      {"data_dir", Str(&C::data_dir)},
      {"server.host", SubStr(&C::server, &Sv::host)},
      {"server.port", SubInt(&C::server, &Sv::port, 0, 65535)},
      {"server.io_threads", SubInt(&C::server, &Sv::io_threads, 0, 256)},
      {"server.worker_threads", SubInt(&C::server, &Sv::worker_threads, 0, 1024)},
      {"server.worker_queue", SubInt(&C::server, &Sv::worker_queue, 1, 1 << 20)},
      {"server.max_connections", SubInt(&C::server, &Sv::max_connections, 1, 1 << 22)},
      {"server.max_body_bytes", SubInt(&C::server, &Sv::max_body_bytes, 0, int64_t{1} << 34)},
      {"server.max_header_bytes", SubInt(&C::server, &Sv::max_header_bytes, 1024, 1 << 20)},
      {"server.header_timeout_ms", SubInt(&C::server, &Sv::header_timeout_ms, 10, 3600000)},
      {"server.body_timeout_ms", SubInt(&C::server, &Sv::body_timeout_ms, 10, 3600000)},
      {"server.idle_timeout_ms", SubInt(&C::server, &Sv::idle_timeout_ms, 10, 3600000)},
      {"server.write_timeout_ms", SubInt(&C::server, &Sv::write_timeout_ms, 10, 3600000)},
      {"server.drain_timeout_ms", SubInt(&C::server, &Sv::drain_timeout_ms, 0, 3600000)},
      {"server.ws_queue_limit", SubInt(&C::server, &Sv::ws_queue_limit, 1, 1 << 20)},
      {"server.web_root", SubStr(&C::server, &Sv::web_root)},
      {"server.cors_origins", SubStr(&C::server, &Sv::cors_origins)},
      {"server.public_url", SubStr(&C::server, &Sv::public_url)},
      {"server.trusted_proxies", SubStr(&C::server, &Sv::trusted_proxies)},
      {"storage.driver",
       [](Config& c, std::string_view, std::string_view v) {
         if (v != "sqlite" && v != "mariadb") {
           return Status::InvalidArgument("setting storage.driver: must be sqlite or mariadb");
         }
         c.storage.driver = std::string(v);
         return Status::Ok();
       }},
      {"storage.sqlite_path", SubStr(&C::storage, &St::sqlite_path)},
      {"storage.mariadb_host", SubStr(&C::storage, &St::mariadb_host)},
      {"storage.mariadb_port", SubInt(&C::storage, &St::mariadb_port, 1, 65535)},
      {"storage.mariadb_user", SubStr(&C::storage, &St::mariadb_user)},
      {"storage.mariadb_password", SubStr(&C::storage, &St::mariadb_password)},
      {"storage.mariadb_database", SubStr(&C::storage, &St::mariadb_database)},
      {"storage.mariadb_socket", SubStr(&C::storage, &St::mariadb_socket)},
      {"storage.pool_size", SubInt(&C::storage, &St::pool_size, 1, 1024)},
      {"storage.sqlite_checkpoint_pages",
       SubInt(&C::storage, &St::sqlite_checkpoint_pages, 0, 1000000)},
      {"security.key_file", SubStr(&C::security, &SecurityConfig::key_file)},
      {"security.session_idle_minutes",
       SubInt(&C::security, &SecurityConfig::session_idle_minutes, 1, 30)},
      {"security.session_absolute_hours",
       SubInt(&C::security, &SecurityConfig::session_absolute_hours, 1, 24)},
      {"security.cookie_secure",
       [](Config& c, std::string_view, std::string_view v) {
         if (v != "true" && v != "false") {
           return Status::InvalidArgument("setting security.cookie_secure: true or false");
         }
         c.security.cookie_secure = v == "true";
         return Status::Ok();
       }},
      {"security.reauth_window_seconds",
       SubInt(&C::security, &SecurityConfig::reauth_window_seconds, 30, 3600)},
      {"security.audit_retention_days",
       SubInt(&C::security, &SecurityConfig::audit_retention_days, 183, 36500)},
      {"log.level",
       [](Config& c, std::string_view, std::string_view v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") {
           return Status::InvalidArgument("setting log.level: must be debug|info|warn|error");
         }
         c.log.level = std::string(v);
         return Status::Ok();
       }},
  };
  return settings;
}

// Flattens a TOML table into dotted keys with text values.
Status Flatten(const toml::table& table, const std::string& prefix,
               std::vector<std::pair<std::string, std::string>>* out) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      HRSS_RETURN_IF_ERROR(Flatten(*sub, key, out));
    } else if (const auto* s = node.as_string()) {
      out->emplace_back(key, s->get());
    } else if (const auto* i = node.as_integer()) {
      out->emplace_back(key, std::to_string(i->get()));
    } else if (const auto* b = node.as_boolean()) {
      out->emplace_back(key, b->get() ? "true" : "false");
    } else {
      return Status::InvalidArgument("config key " + key + ": unsupported value type");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string Config::KeyFilePath() const {
  if (!security.key_file.empty()) return security.key_file;
  return data_dir + "/keys/hrss.keys";
}

std::string Config::SqlitePath() const {
  if (!storage.sqlite_path.empty()) return storage.sqlite_path;
  return data_dir + "/hrss.db";
}

Status ApplySetting(Config& config, std::string_view key, std::string_view value) {
  for (const Setting& s : Settings()) {
    if (s.key == key) return s.apply(config, key, value);
  }
  return Status::InvalidArgument("unknown setting: " + std::string(key));
}

Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  Config config;
  if (!path.empty()) {
    // toml++ is built with exceptions; they stay inside this function.
    toml::table parsed;
    try {
      parsed = toml::parse_file(path);
    } catch (const toml::parse_error& err) {
      return Status::InvalidArgument("config file " + path + " line " +
                                     std::to_string(err.source().begin.line) + ": " +
                                     std::string(err.description()));
    }
    std::vector<std::pair<std::string, std::string>> flat;
    HRSS_RETURN_IF_ERROR(Flatten(parsed, "", &flat));
    for (const auto& [k, v] : flat) {
      HRSS_RETURN_IF_ERROR(ApplySetting(config, k, v).WithContext("config file " + path));
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("HRSS_", 0) != 0) continue;
    std::string rest = name.substr(5);
    for (char& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key;
    if (rest == "data_dir") {
      key = rest;
    } else {
      size_t us = rest.find('_');
      if (us == std::string::npos) continue;
      std::string section = rest.substr(0, us);
      if (section != "server" && section != "storage" && section != "security" &&
          section != "log") {
        continue;
      }
      key = section + "." + rest.substr(us + 1);
    }
    HRSS_RETURN_IF_ERROR(ApplySetting(config, key, value).WithContext("environment " + name));
  }
  return config;
}

std::map<std::string, std::string> EnvironmentMap() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("HRSS_", 0) != 0) continue;
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

}  // namespace hrss
