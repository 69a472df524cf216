// Structured logging: one JSON object per line on stderr (or a chosen file).
//
//   log::Info("http.listen", {{"port", 8080}, {"addr", "127.0.0.1"}});
//   -> {"ts":"2026-11-29T13:44:33.123Z","level":"info","event":"http.listen","port":8080,...}
//
// Secrets never reach the log: values of keys that name a secret (password,
// token, secret, cookie, authorization, id_number, phone, ...) are replaced by
// "[redacted]", and any 15/18-character citizen-ID-shaped or 11-digit
// mobile-shaped run of digits inside a string value is masked.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace hrss::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  using Value = std::variant<std::string_view, int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, long v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, long long v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, unsigned v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned long long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  Value value;
};
using Fields = std::initializer_list<Field>;

// Events below this level are dropped. Default kInfo.
void SetLevel(Level level);
Level GetLevel();
// Parses "debug" | "info" | "warn" | "error"; false if unknown.
bool ParseLevel(std::string_view name, Level* out);
// Sends log lines to `fd` (default 2). Not owned.
void SetOutputFd(int fd);

// Formats one log line (without writing it). Exposed for tests.
std::string FormatLine(Level level, std::string_view event, Fields fields);

void Write(Level level, std::string_view event, Fields fields = {});
inline void Debug(std::string_view e, Fields f = {}) { Write(Level::kDebug, e, f); }
inline void Info(std::string_view e, Fields f = {}) { Write(Level::kInfo, e, f); }
inline void Warn(std::string_view e, Fields f = {}) { Write(Level::kWarn, e, f); }
inline void Error(std::string_view e, Fields f = {}) { Write(Level::kError, e, f); }

}  // namespace hrss::log
