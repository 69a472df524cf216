// The HTTP/1.1 + WebSocket server (Boost.Beast), kept out of module headers.
//
// Threads: `io_threads` run the asynchronous I/O; a WorkerPool runs blocking
// handlers (Execution::kWorker) and answers 503 + Retry-After when its queue
// is full. Each connection has its own strand.
//
// Limits and timeouts: the request head must arrive within header_timeout_ms
// and fit max_header_bytes (431); the body within body_timeout_ms and the
// route's body limit (413, checked against Content-Length before reading);
// keep-alive connections idle longer than idle_timeout_ms are closed; writes
// time out after write_timeout_ms. Bad requests get 400 and the connection is
// closed; nothing a client sends can crash or hang the server.
//
// Drain(): stops accepting (new connections are refused), closes idle
// keep-alive connections, lets in-flight requests finish (up to
// drain_timeout_ms), then stops.
#pragma once

#include <memory>

#include "core/config.h"
#include "core/status.h"
#include "http/filter.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/websocket_hub.h"
#include "http/worker_pool.h"

namespace hrss::http {

// The number of worker-pool threads a server with `c` runs (worker_threads,
// or when 0: 4 per core, at least 16).
int WorkerThreadCount(const ServerConfig& c);

class Server {
 public:
  // All references must outlive the server. The router must be complete.
  Server(const ServerConfig& config, const Router& router, const FilterChain& chain,
         WebSocketHub& hub, Metrics& metrics);
  ~Server();  // Drain()s if still running.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port and starts the threads. Port 0 picks a free port.
  Status Start();
  // The bound port (after Start).
  int port() const;
  // Graceful stop; blocks until done. Idempotent.
  void Drain();
  // Requests being processed now (after their head was read, until written).
  int64_t in_flight() const;

  WorkerPool& workers();

  struct Impl;  // opaque; public so the connection classes in server.cc see it

 private:
  std::unique_ptr<Impl> impl_;
};

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (call before any
// thread starts, so every thread inherits the mask) and ignores SIGPIPE.
void BlockTerminationSignals();
// Waits for SIGTERM or SIGINT (after BlockTerminationSignals); returns it.
int WaitForTerminationSignal();

}  // namespace hrss::http
