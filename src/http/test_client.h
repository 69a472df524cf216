// Test-only helpers for the HTTP server tests (header-only, so nothing here
// ends up in the hrss_http library): a raw-socket HTTP/1.1 client that can
// send arbitrary bytes, and a fixture-style TestServer that runs a real Server
// on 127.0.0.1 with an ephemeral port.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/config.h"
#include "http/filter.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/websocket_hub.h"

namespace hrss::http::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct RawResponse {
  bool ok = false;  // a complete response was read
  int status = 0;
  std::string reason;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string raw_head;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool HasHeader(const std::string& name) const { return headers.count(name) > 0; }
  size_t HeaderCount(const std::string& name) const { return headers.count(name); }
};

inline std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A blocking TCP client with explicit timeouts on every read.
class RawClient {
 public:
  RawClient() = default;
  explicit RawClient(int port) { Connect(port); }
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // Returns false (errno in last_errno()) when the connection fails.
  bool Connect(int port) {
    Close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      errno_ = errno;
      ::close(fd_);
      fd_ = -1;
      return false;
    }
    buf_.clear();
    return true;
  }

  bool connected() const { return fd_ >= 0; }
  int last_errno() const { return errno_; }
  int fd() const { return fd_; }

  // Sends all of `data`; false when the peer has gone.
  bool Send(std::string_view data) {
    if (fd_ < 0) return false;
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        errno_ = errno;
        return false;
      }
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Half-closes the sending direction.
  void ShutdownWrite() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads one response. `head_request`: the response has no body.
  RawResponse ReadResponse(milliseconds timeout = milliseconds(5000), bool head_request = false) {
    RawResponse r;
    auto deadline = Clock::now() + timeout;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return r;
    }
    r.raw_head = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    // Status line.
    size_t eol = r.raw_head.find("\r\n");
    std::string line = r.raw_head.substr(0, eol);
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return r;
    r.status = std::atoi(line.c_str() + 9);
    r.reason = line.size() > 13 ? line.substr(13) : "";
    size_t pos = eol + 2;
    while (pos < r.raw_head.size()) {
      size_t e = r.raw_head.find("\r\n", pos);
      if (e == std::string::npos || e == pos) break;
      std::string h = r.raw_head.substr(pos, e - pos);
      pos = e + 2;
      size_t colon = h.find(':');
      if (colon == std::string::npos) continue;
      std::string value = h.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
      r.headers.emplace(Lower(h.substr(0, colon)), value);
    }
    bool no_body =
        head_request || (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
    if (no_body) {
      r.ok = true;
      return r;
    }
    if (Lower(r.Header("transfer-encoding")).find("chunked") != std::string::npos) {
      for (;;) {
        while ((end = buf_.find("\r\n")) == std::string::npos) {
          if (!Fill(deadline)) return r;
        }
        size_t size = std::strtoul(buf_.substr(0, end).c_str(), nullptr, 16);
        buf_.erase(0, end + 2);
        while (buf_.size() < size + 2) {
          if (!Fill(deadline)) return r;
        }
        r.body += buf_.substr(0, size);
        buf_.erase(0, size + 2);
        if (size == 0) break;
      }
      r.ok = true;
      return r;
    }
    if (r.HasHeader("content-length")) {
      size_t len = std::strtoul(r.Header("content-length").c_str(), nullptr, 10);
      while (buf_.size() < len) {
        if (!Fill(deadline)) return r;
      }
      r.body = buf_.substr(0, len);
      buf_.erase(0, len);
      r.ok = true;
      return r;
    }
    // Body delimited by close.
    while (Fill(deadline)) {
    }
    r.body = std::move(buf_);
    buf_.clear();
    r.ok = eof_;
    return r;
  }

  // True when the server closes the connection (EOF or reset) within
  // `timeout`. Data that arrives meanwhile is kept in the buffer.
  bool WaitClosed(milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Fill(deadline)) {
    }
    return eof_;
  }

  // Bytes received but not yet consumed by ReadResponse.
  const std::string& pending() const { return buf_; }

  // True when nothing arrives (and the connection stays open) for `wait`.
  bool QuietFor(milliseconds wait) {
    size_t before = buf_.size();
    bool more = Fill(Clock::now() + wait);
    return !more && !eof_ && buf_.size() == before;
  }

 private:
  // Reads more bytes; false on EOF, error or deadline (eof_ set on the first two).
  bool Fill(Clock::time_point deadline) {
    if (fd_ < 0) {
      eof_ = true;
      return false;
    }
    for (;;) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      int rc = ::poll(&p, 1, static_cast<int>(left));
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0) return false;
      char tmp[16384];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        errno_ = n < 0 ? errno : 0;
        eof_ = true;
        return false;
      }
      buf_.append(tmp, static_cast<size_t>(n));
      return true;
    }
  }

  int fd_ = -1;
  int errno_ = 0;
  bool eof_ = false;
  std::string buf_;
};

// "GET <target> HTTP/1.1" with Host and the extra header lines.
inline std::string MakeRequest(std::string_view method, std::string_view target,
                               std::string_view extra_headers = "", std::string_view body = "",
                               bool with_length = true) {
  std::string r = std::string(method) + " " + std::string(target) +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra_headers);
  if (with_length && (!body.empty() || method == "POST" || method == "PUT")) {
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  r += "\r\n";
  r += body;
  return r;
}

// One request on a fresh connection.
inline RawResponse Fetch(int port, std::string_view method, std::string_view target,
                         std::string_view extra_headers = "", std::string_view body = "") {
  RawClient c(port);
  if (!c.connected()) return {};
  c.Send(MakeRequest(method, target, extra_headers, body));
  return c.ReadResponse(milliseconds(5000), method == "HEAD");
}

// Polls `pred` until true or `timeout`.
inline bool WaitFor(const std::function<bool()>& pred, milliseconds timeout = milliseconds(3000)) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return pred();
}

// Short timeouts suitable for tests.
inline ServerConfig TestConfig() {
  ServerConfig c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.io_threads = 2;
  c.worker_threads = 4;
  c.worker_queue = 64;
  c.max_connections = 1000;
  c.max_body_bytes = 64 << 10;
  c.max_header_bytes = 8 << 10;
  c.header_timeout_ms = 2000;
  c.body_timeout_ms = 2000;
  c.idle_timeout_ms = 3000;
  c.write_timeout_ms = 3000;
  c.drain_timeout_ms = 3000;
  c.ws_queue_limit = 16;
  return c;
}

// Owns everything a Server needs. Add routes, then Start().
struct TestServer {
  explicit TestServer(ServerConfig c = TestConfig()) : config(std::move(c)) {}
  ~TestServer() { Stop(); }

  void Add(Route r) {
    Status s = router.Add(std::move(r));
    if (!s.ok()) std::abort();
  }

  // Starts the server; `chain` defaults to MakeDefaultChain("").
  Status Start() {
    std::vector<std::string> labels;
    for (const auto& r : router.routes()) {
      labels.push_back(std::string(MethodName(r->method)) + " " + r->pattern);
    }
    metrics.Init(std::move(labels));
    server = std::make_unique<Server>(config, router, chain, hub, metrics);
    return server->Start();
  }
  int port() const { return server->port(); }
  void Stop() { server.reset(); }

  ServerConfig config;
  Router router;
  FilterChain chain = MakeDefaultChain("");
  WebSocketHub hub;
  Metrics metrics;
  std::unique_ptr<Server> server;
};

}  // namespace hrss::http::testing
