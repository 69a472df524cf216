// Prometheus metrics of the HTTP server: request counts by route and status
// class, latency histograms per route, worker pool and connection gauges.
// Recording is lock-free (atomics in slots allocated once per route).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hrss::http {

class Metrics {
 public:
  // Latency bucket upper bounds in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // Prepares slots for routes 0..n-1 plus one "unmatched" slot.
  // REQUIRES: called once before any Record().
  void Init(std::vector<std::string> route_labels);

  // `route_index` == SIZE_MAX records under "unmatched".
  void Record(size_t route_index, int status, double seconds);

  std::atomic<int64_t> connections_open{0};
  std::atomic<int64_t> connections_total{0};
  std::atomic<int64_t> connections_refused{0};
  std::atomic<int64_t> websocket_clients{0};
  std::atomic<int64_t> websocket_dropped{0};
  std::atomic<int64_t> rejected_overload{0};

  // Extra gauges rendered on each scrape: name -> current value.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // Removes the gauge(s) called `name` (e.g. when their owner goes away).
  void RemoveGauge(std::string_view name);

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  struct Slot {
    std::string label;
    std::array<std::atomic<int64_t>, 6> by_class{};  // 1xx..5xx, other
    std::array<std::atomic<int64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<int64_t> sum_micros{0};
    std::atomic<int64_t> count{0};
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  mutable std::mutex gauges_mu_;
  std::vector<Gauge> gauges_;
};

}  // namespace hrss::http
