#include "http/metrics.h"

#include <cstdio>

namespace hrss::http {

void Metrics::Init(std::vector<std::string> route_labels) {
  slots_.clear();
  for (auto& l : route_labels) {
    auto s = std::make_unique<Slot>();
    s->label = std::move(l);
    slots_.push_back(std::move(s));
  }
  auto un = std::make_unique<Slot>();
  un->label = "unmatched";
  slots_.push_back(std::move(un));
}

void Metrics::Record(size_t route_index, int status, double seconds) {
  if (slots_.empty()) return;
  Slot& s = *slots_[route_index < slots_.size() - 1 ? route_index : slots_.size() - 1];
  int cls = status / 100;
  size_t ci = (cls >= 1 && cls <= 5) ? static_cast<size_t>(cls - 1) : 5;
  s.by_class[ci].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(gauges_mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

void Metrics::RemoveGauge(std::string_view name) {
  std::lock_guard lock(gauges_mu_);
  std::erase_if(gauges_, [&](const Gauge& g) { return g.name == name; });
}

namespace {
std::string EscapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Metrics::Render() const {
  std::string out;
  out.reserve(4096 + slots_.size() * 1024);
  static constexpr const char* kClass[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
  out += "# HELP hrss_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE hrss_http_requests_total counter\n";
  for (const auto& s : slots_) {
    for (size_t c = 0; c < 6; ++c) {
      int64_t v = s->by_class[c].load(std::memory_order_relaxed);
      if (v == 0) continue;
      out += "hrss_http_requests_total{route=\"" + EscapeLabel(s->label) + "\",code=\"" +
             kClass[c] + "\"} " + std::to_string(v) + "\n";
    }
  }
  out += "# HELP hrss_http_request_duration_seconds Latency of HTTP requests by route.\n";
  out += "# TYPE hrss_http_request_duration_seconds histogram\n";
  char buf[64];
  for (const auto& s : slots_) {
    int64_t count = s->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string label = "route=\"" + EscapeLabel(s->label) + "\"";
    int64_t cum = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cum += s->buckets[b].load(std::memory_order_relaxed);
      if (b < kBuckets.size()) {
        std::snprintf(buf, sizeof buf, "%g", kBuckets[b]);
      } else {
        std::snprintf(buf, sizeof buf, "+Inf");
      }
      out += "hrss_http_request_duration_seconds_bucket{" + label + ",le=\"" + buf + "\"} " +
             std::to_string(cum) + "\n";
    }
    std::snprintf(buf, sizeof buf, "%.6f",
                  static_cast<double>(s->sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out += "hrss_http_request_duration_seconds_sum{" + label + "} " + buf + "\n";
    out += "hrss_http_request_duration_seconds_count{" + label + "} " + std::to_string(count) +
           "\n";
  }
  auto counter = [&](const char* name, const char* type, const char* help,
                     const std::atomic<int64_t>& v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(v.load(std::memory_order_relaxed)) + "\n";
  };
  counter("hrss_http_connections_open", "gauge", "Open client connections.", connections_open);
  counter("hrss_http_connections_total", "counter", "Accepted connections.", connections_total);
  counter("hrss_http_connections_refused_total", "counter",
          "Connections closed at once because the connection limit was reached.",
          connections_refused);
  counter("hrss_http_overload_rejected_total", "counter",
          "Requests answered 503 because the worker pool queue was full.", rejected_overload);
  counter("hrss_websocket_clients", "gauge", "Connected WebSocket clients.", websocket_clients);
  counter("hrss_websocket_dropped_total", "counter",
          "WebSocket clients dropped because their send queue overflowed.", websocket_dropped);
  std::lock_guard lock(gauges_mu_);
  for (const auto& g : gauges_) {
    std::snprintf(buf, sizeof buf, "%.6g", g.read());
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n" + g.name + " " +
           buf + "\n";
  }
  return out;
}

}  // namespace hrss::http
