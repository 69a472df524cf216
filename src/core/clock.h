// Injectable clock. Production code takes a `Clock&` instead of calling
// std::chrono directly, so retention windows, deadlines, lockouts and rate
// limit windows are testable without sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace hrss {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC), for timestamps that are stored or shown.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time, for durations and timeouts.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;

  // Milliseconds since the Unix epoch (UTC).
  int64_t NowMillis() const;
  // Seconds since the Unix epoch (UTC).
  int64_t NowSeconds() const;

  // The process-wide real clock.
  static Clock& Real();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t epoch_millis = 1'767'225'600'000 /* 2026-01-01Z */)
      : millis_(epoch_millis) {}
  std::chrono::system_clock::time_point Now() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void Advance(std::chrono::milliseconds d) { millis_ += d.count(); }
  void SetMillis(int64_t epoch_millis) { millis_ = epoch_millis; }

 private:
  std::atomic<int64_t> millis_;
};

// Formats epoch milliseconds as RFC 3339 UTC with milliseconds:
// "2026-11-29T13:44:33.123Z".
std::string FormatTimestampUtc(int64_t epoch_millis);

}  // namespace hrss
