#include "core/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/clock.h"

namespace hrss::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<int> g_fd{2};

constexpr std::array<std::string_view, 4> kLevelNames = {"debug", "info", "warn", "error"};

// Keys whose values are never logged. Matched case-insensitively as substrings.
constexpr std::array<std::string_view, 12> kSecretKeys = {
    "password", "passwd", "token", "secret", "cookie", "authorization",
    "id_number", "idnumber", "totp", "phone", "bank", "private"};

bool IsSecretKey(std::string_view key) {
  std::string lower(key);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto s : kSecretKeys) {
    if (lower.find(s) != std::string::npos) return true;
  }
  return false;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

// Masks runs of digits that look like a citizen ID (15 or 17 digits + check)
// or a mobile number (11 digits starting with 1) inside free text.
std::string ScrubPersonalNumbers(std::string_view s) {
  std::string out(s);
  size_t i = 0;
  while (i < out.size()) {
    if (!std::isdigit(static_cast<unsigned char>(out[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && std::isdigit(static_cast<unsigned char>(out[j]))) ++j;
    size_t len = j - i;
    bool x_tail = len == 17 && j < out.size() && (out[j] == 'X' || out[j] == 'x');
    if (x_tail) {
      ++j;
      ++len;
    }
    bool id_like = len == 15 || len == 18;
    bool mobile_like = len == 11 && out[i] == '1';
    if (id_like || mobile_like) {
      size_t keep_head = id_like ? 4 : 3;
      size_t keep_tail = id_like ? 2 : 4;
      for (size_t k = i + keep_head; k < j - keep_tail; ++k) out[k] = '*';
    }
    i = j;
  }
  return out;
}

}  // namespace

void SetLevel(Level level) { g_level = static_cast<int>(level); }
Level GetLevel() { return static_cast<Level>(g_level.load()); }
void SetOutputFd(int fd) { g_fd = fd; }

bool ParseLevel(std::string_view name, Level* out) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) {
      *out = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

std::string FormatLine(Level level, std::string_view event, Fields fields) {
  std::string line;
  line.reserve(128);
  line += "{\"ts\":\"";
  line += FormatTimestampUtc(Clock::Real().NowMillis());
  line += "\",\"level\":\"";
  line += kLevelNames[static_cast<size_t>(level)];
  line += "\",\"event\":";
  AppendJsonString(line, event);
  for (const Field& f : fields) {
    line.push_back(',');
    AppendJsonString(line, f.key);
    line.push_back(':');
    if (IsSecretKey(f.key)) {
      line += "\"[redacted]\"";
      continue;
    }
    if (auto* s = std::get_if<std::string_view>(&f.value)) {
      AppendJsonString(line, ScrubPersonalNumbers(*s));
    } else if (auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (auto* d = std::get_if<double>(&f.value)) {
      if (std::isfinite(*d)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", *d);
        line += buf;
      } else {
        line += "null";
      }
    } else if (auto* b = std::get_if<bool>(&f.value)) {
      line += *b ? "true" : "false";
    }
  }
  line += "}\n";
  return line;
}

void Write(Level level, std::string_view event, Fields fields) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  std::string line = FormatLine(level, event, fields);
  // One write(2) per line: lines from several threads never interleave.
  const char* p = line.data();
  size_t left = line.size();
  int fd = g_fd.load(std::memory_order_relaxed);
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace hrss::log
