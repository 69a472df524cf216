#include "db/options.h"

#include <charconv>
#include <type_traits>
#include <vector>

namespace hrss::db {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits on unescaped ';' and resolves "\;" and "\\".
Result<std::vector<std::string>> SplitPairs(std::string_view dsn) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < dsn.size(); ++i) {
    char c = dsn[i];
    if (c == '\\') {
      if (i + 1 >= dsn.size() || (dsn[i + 1] != ';' && dsn[i + 1] != '\\')) {
        return Status::InvalidArgument("mariadb dsn: '\\' must be followed by ';' or '\\'");
      }
      cur += dsn[++i];
    } else if (c == ';') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

Result<int64_t> ParseNumber(std::string_view key, std::string_view v) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
    return Status::InvalidArgument("mariadb dsn: '" + std::string(key) +
                                   "' must be a non-negative integer");
  }
  return n;
}

}  // namespace

Result<Options> ParseMariaDbDsn(std::string_view dsn) {
  Options o;
  o.dialect = Dialect::kMariaDb;
  HRSS_ASSIGN_OR_RETURN(std::vector<std::string> pairs, SplitPairs(dsn));
  for (const std::string& pair : pairs) {
    std::string_view p = Trim(pair);
    if (p.empty()) continue;
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("mariadb dsn: expected key=value pairs separated by ';'");
    }
    std::string_view key = Trim(p.substr(0, eq));
    std::string_view val = Trim(p.substr(eq + 1));
    auto number = [&](auto& field, int64_t max) -> Status {
      HRSS_ASSIGN_OR_RETURN(int64_t n, ParseNumber(key, val));
      if (n > max) {
        return Status::InvalidArgument("mariadb dsn: '" + std::string(key) + "' is too large");
      }
      field = static_cast<std::remove_reference_t<decltype(field)>>(n);
      return Status::Ok();
    };
    if (key == "host") {
      o.host = val;
    } else if (key == "port") {
      HRSS_RETURN_IF_ERROR(number(o.port, 65535));
    } else if (key == "user") {
      o.user = val;
    } else if (key == "password") {
      o.password = val;
    } else if (key == "database" || key == "db") {
      o.database = val;
    } else if (key == "unix_socket" || key == "socket") {
      o.unix_socket = val;
    } else if (key == "connect_timeout") {
      HRSS_RETURN_IF_ERROR(number(o.connect_timeout_s, 3600));
    } else if (key == "read_timeout") {
      HRSS_RETURN_IF_ERROR(number(o.read_timeout_s, 86400));
    } else if (key == "write_timeout") {
      HRSS_RETURN_IF_ERROR(number(o.write_timeout_s, 86400));
    } else if (key == "lock_wait_timeout") {
      HRSS_RETURN_IF_ERROR(number(o.lock_wait_timeout_s, 86400));
    } else if (key == "max_connections") {
      HRSS_RETURN_IF_ERROR(number(o.max_connections, 10000));
      if (o.max_connections < 1) {
        return Status::InvalidArgument("mariadb dsn: 'max_connections' must be at least 1");
      }
    } else if (key == "acquire_timeout_ms") {
      int64_t ms = 0;
      HRSS_RETURN_IF_ERROR(number(ms, 3'600'000));
      o.acquire_timeout = std::chrono::milliseconds(ms);
    } else if (key == "ping_after_idle_ms") {
      int64_t ms = 0;
      HRSS_RETURN_IF_ERROR(number(ms, 86'400'000));
      o.ping_after_idle = std::chrono::milliseconds(ms);
    } else {
      return Status::InvalidArgument("mariadb dsn: unknown key '" + std::string(key) + "'");
    }
  }
  if (o.host.empty() && o.unix_socket.empty()) {
    return Status::InvalidArgument("mariadb dsn: 'host' or 'unix_socket' is required");
  }
  if (o.user.empty()) return Status::InvalidArgument("mariadb dsn: 'user' is required");
  return o;
}

}  // namespace hrss::db
