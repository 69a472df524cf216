#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace hrss {

int64_t Clock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch()).count();
}

int64_t Clock::NowSeconds() const { return NowMillis() / 1000; }

namespace {
class RealClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::now();
  }
};
}  // namespace

Clock& Clock::Real() {
  static RealClock clock;
  return clock;
}

std::chrono::system_clock::time_point ManualClock::Now() const {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis_.load()));
}

std::chrono::steady_clock::time_point ManualClock::Monotonic() const {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(millis_.load()));
}

std::string FormatTimestampUtc(int64_t epoch_millis) {
  std::time_t secs = static_cast<std::time_t>(epoch_millis / 1000);
  int ms = static_cast<int>(epoch_millis % 1000);
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

}  // namespace hrss
