#include "http/server.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <ctime>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "core/text.h"
#include "http/proxy.h"

namespace hrss::http {

int WorkerThreadCount(const ServerConfig& c) {
  // Blocking handlers spend much of their time waiting, not computing: on
  // the audit group commit (every audited read waits for its record), on
  // SQLite's writer and on MariaDB round trips. Waiting workers also fill
  // the audit commits, so a small machine still wants 16: bench/person360 on
  // 2 cores, 8 workers → 4,200–4,600 requests/s, 16 → 5,500–5,900 (p99
  // 24 → 18–19 ms), 32 → no faster and a worse p99.
  return c.worker_threads > 0
             ? c.worker_threads
             : std::max(16, 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}


namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

namespace {

// "Sun, 29 Nov 2026 13:44:33 GMT", recomputed at most once a second per thread.
const std::string& HttpDate() {
  thread_local std::time_t last = 0;
  thread_local std::string text;
  std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    text = buf;
  }
  return text;
}

}  // namespace

class HttpSession;
class WsSession;

struct Server::Impl {
  Impl(const ServerConfig& c, const Router& r, const FilterChain& ch, WebSocketHub& h, Metrics& m)
      : config(c),
        router(r),
        chain(ch),
        hub(h),
        metrics(m),
        proxies(c.trusted_proxies),
        iocs(MakeContexts(IoThreads(c))),
        acceptor(*iocs[0]),
        pool(WorkerThreadCount(c), c.worker_queue) {}

  static int IoThreads(const ServerConfig& c) {
    return c.io_threads > 0 ? c.io_threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  // One io_context per I/O thread, each run by exactly that thread: no
  // locking inside Asio and no strands needed. Connections are spread over
  // the contexts round-robin by the acceptor (which lives on iocs[0]).
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> v;
    for (int i = 0; i < n; ++i) v.push_back(std::make_unique<net::io_context>(1));
    return v;
  }

  void DoAccept();
  void Register(uint64_t id, std::weak_ptr<class HttpSession> s);
  void Unregister(uint64_t id);

  const ServerConfig& config;
  const Router& router;
  const FilterChain& chain;
  WebSocketHub& hub;
  Metrics& metrics;
  const ProxyTrust proxies;  // whose X-Forwarded-For names the client
  // Declared before `iocs`, so they outlive it: ~io_context destroys pending
  // handlers, and with them the last sessions, whose destructors unregister.
  std::mutex sessions_mu;
  std::unordered_map<uint64_t, std::weak_ptr<HttpSession>> sessions;  // GUARDED_BY(sessions_mu)
  std::mutex ws_mu;
  std::unordered_map<uint64_t, std::weak_ptr<class WsSession>> ws_sessions;  // GUARDED_BY(ws_mu)
  std::vector<std::unique_ptr<net::io_context>> iocs;
  // Keep the I/O threads running while no socket operation is pending, e.g.
  // during a drain when the only in-flight request is on a worker thread and
  // its response has yet to be posted back (run() would return otherwise).
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  size_t next_ioc = 0;  // touched only on iocs[0]'s thread (accept handler)
  tcp::acceptor acceptor;
  WorkerPool pool;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};
  std::atomic<int64_t> in_flight{0};
  std::atomic<uint64_t> next_id{1};
  int bound_port = 0;
  bool gauges_added = false;
};

// ---------------------------------------------------------------- WebSocket

class WsSession final : public WebSocketHub::Client,
                        public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server::Impl& s, tcp::socket&& socket, std::shared_ptr<const Principal> principal,
            uint64_t id)
      : s_(s), ws_(std::move(socket)), principal_(std::move(principal)), id_(id) {}

  ~WsSession() override {
    s_.hub.Remove(this);
    s_.metrics.websocket_clients.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard lock(s_.ws_mu);
    s_.ws_sessions.erase(id_);
  }

  void Start(bhttp::request<bhttp::string_body> req) {
    s_.metrics.websocket_clients.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(s_.ws_mu);
      s_.ws_sessions[id_] = weak_from_this();
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(bhttp::field::server, "hrss");
    }));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->DoRead();
    });
  }

  void Send(std::shared_ptr<const std::string> text) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), text = std::move(text)] { self->Enqueue(text); });
  }

  const Principal* principal() const override { return principal_.get(); }

  void Close() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closing_) return;
      self->closing_ = true;
      self->ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
    });
  }

 private:
  void DoRead() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;  // closed, timed out or protocol error: the session ends
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      std::string reply;
      if (!self->ws_.got_text() || !IsValidUtf8(text)) {
        reply = R"({"op":"error","message":"仅支持 UTF-8 文本消息"})";
      } else {
        reply = self->s_.hub.OnClientMessage(self, text);
      }
      if (!reply.empty()) self->Enqueue(std::make_shared<const std::string>(std::move(reply)));
      self->DoRead();
    });
  }

  void Enqueue(std::shared_ptr<const std::string> text) {
    if (closing_) return;
    if (static_cast<int>(queue_.size()) >= s_.config.ws_queue_limit) {
      // A consumer that cannot keep up is dropped rather than buffered forever.
      s_.metrics.websocket_dropped.fetch_add(1, std::memory_order_relaxed);
      closing_ = true;
      queue_.clear();
      beast::get_lowest_layer(ws_).close();
      return;
    }
    queue_.push_back(std::move(text));
    if (!writing_) DoWrite();
  }

  void DoWrite() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->queue_.clear();
                        return;
                      }
                      if (!self->queue_.empty()) self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closing_) self->DoWrite();
                    });
  }

  Server::Impl& s_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool writing_ = false;
  bool closing_ = false;
  std::shared_ptr<const Principal> principal_;
  uint64_t id_;
};

// ---------------------------------------------------------------- HTTP

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Server::Impl& s, tcp::socket&& socket, uint64_t id)
      : s_(s), stream_(std::move(socket)), id_(id) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    s_.metrics.connections_open.fetch_add(1, std::memory_order_relaxed);
    s_.metrics.connections_total.fetch_add(1, std::memory_order_relaxed);
  }

  ~HttpSession() {
    s_.metrics.connections_open.fetch_sub(1, std::memory_order_relaxed);
    if (!upgraded_) s_.Unregister(id_);
  }

  void Start() {
    s_.Register(id_, weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // Closes the connection if it is waiting between requests (drain).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  // Phase 1: wait (idle timeout) for the first byte of the next request.
  void WaitForRequest() {
    if (s_.draining.load()) return Close();
    idle_ = true;
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(milliseconds(s_.config.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(2048),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->Close();
                              self->ReadHeader();
                            });
  }

  // Phase 2: the whole head within the header timeout (slowloris-safe).
  void ReadHeader() {
    idle_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(s_.config.max_header_bytes));
    // The body limit depends on the route, known only after the head: Beast
    // would otherwise reject a Content-Length above the server default while
    // parsing the head (as a generic error, before routing). OnHeader sets the
    // route's limit before any body byte is parsed.
    parser_->body_limit(boost::none);
    req_ = Request{};
    route_ = nullptr;
    close_after_ = false;
    stream_.expires_after(milliseconds(s_.config.header_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    req_.received_at = std::chrono::steady_clock::now();
    req_.remote_addr = remote_;
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset) {
      return Close();
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      return Fail(431, Status(Code::kInvalidArgument, "请求头过大"));
    }
    if (ec) return Fail(400, Status::InvalidArgument("请求格式错误：" + ec.message()));

    auto& h = parser_->get();
    req_.method = ParseMethod(std::string_view(h.method_string()));
    req_.target = std::string(h.target());
    req_.headers.reserve(16);
    for (const auto& f : h) {
      req_.headers.emplace_back(AsciiLower(std::string_view(f.name_string())),
                                std::string(f.value()));
    }
    AssignRequestId(req_);
    req_.remote_addr = s_.proxies.ClientAddress(remote_, req_.Header("x-forwarded-for"));
    std::string_view target = req_.target;
    if (target.empty() || target[0] != '/') {
      return Fail(400, Status::InvalidArgument("不支持的请求目标"));
    }
    size_t q = target.find('?');
    if (q != std::string_view::npos) req_.query = std::string(target.substr(q + 1));
    if (!PercentDecode(target.substr(0, q), &req_.path, false) || !IsValidUtf8(req_.path) ||
        req_.path.find('\0') != std::string::npos) {
      return Fail(400, Status::InvalidArgument("请求路径不是合法的 UTF-8 编码"));
    }
    bool api = req_.path.rfind("/api/", 0) == 0;
    if (req_.method == Method::kOther) {
      // 405 with the methods the path does support (RFC 9110 section 15.5.6).
      Response r =
          Response::Error(Status(Code::kMethodNotAllowed, "不支持的请求方法"), req_.request_id);
      Match other = s_.router.Find(Method::kOther, req_.path);
      Match get = s_.router.Find(Method::kGet, req_.path);
      bool catch_all_api = api && get.route && get.route->pattern == "/{*path}";
      if (other.kind == Match::Kind::kMethodNotAllowed && !catch_all_api) {
        r.SetHeader("Allow", other.allow);
      }
      close_after_ = true;
      return Finish(std::move(r));
    }

    Match m = s_.router.Find(req_.method, req_.path);
    if (m.kind == Match::Kind::kFound && api && m.route->pattern == "/{*path}") {
      m.kind = Match::Kind::kNotFound;  // the static catch-all never answers APIs
    }
    if (m.kind == Match::Kind::kMethodNotAllowed && api) {
      // An API path that exists only through the static catch-all.
      Match get = s_.router.Find(Method::kGet, req_.path);
      if (get.route && get.route->pattern == "/{*path}") m.kind = Match::Kind::kNotFound;
    }
    if (m.kind == Match::Kind::kNotFound) {
      return Fail(404, Status::NotFound("接口不存在：" + req_.path));
    }
    if (m.kind == Match::Kind::kMethodNotAllowed) {
      if (req_.method == Method::kOptions) {
        Response r = Response::NoContent();
        r.SetHeader("Allow", m.allow);
        close_after_ = h.has_content_length() || h.chunked();
        return Finish(std::move(r));
      }
      Response r = Response::Error(Status(Code::kMethodNotAllowed, "该路径不支持此请求方法"),
                                   req_.request_id);
      r.SetHeader("Allow", m.allow);
      close_after_ = true;
      return Finish(std::move(r));
    }
    route_ = m.route;
    req_.path_params = std::move(m.params);

    if (route_->websocket) {
      if (!websocket::is_upgrade(h)) {
        return Fail(400, Status::InvalidArgument("此地址仅接受 WebSocket 连接"));
      }
      return Dispatch();
    }

    int64_t limit = route_->max_body_bytes >= 0 ? route_->max_body_bytes : s_.config.max_body_bytes;
    // The declared Content-Length (message::payload_size() would measure the
    // still empty body instead).
    auto length = parser_->content_length();
    if (length && *length > static_cast<uint64_t>(limit)) {
      return Fail(413, Status(Code::kPayloadTooLarge,
                              "请求体过大（上限 " + std::to_string(limit) + " 字节）"));
    }
    parser_->body_limit(static_cast<std::uint64_t>(limit));
    if (parser_->is_done()) return OnBody({});
    auto expect = h[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(milliseconds(s_.config.write_timeout_ms));
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(milliseconds(s_.config.body_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->OnBody(ec);
                      });
  }

  void OnBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Fail(413, Status(Code::kPayloadTooLarge, "请求体过大"));
    }
    if (ec == beast::error::timeout || ec == net::error::eof ||
        ec == bhttp::error::end_of_stream || ec == net::error::connection_reset ||
        ec == bhttp::error::partial_message) {
      return Close();
    }
    if (ec) return Fail(400, Status::InvalidArgument("请求体格式错误：" + ec.message()));
    req_.body = std::move(parser_->get().body());
    Dispatch();
  }

  void Dispatch() {
    s_.in_flight.fetch_add(1, std::memory_order_relaxed);
    counted_ = true;
    bool inline_ok = route_->execution == Execution::kInline && !s_.chain.MayBlock(req_, *route_);
    if (inline_ok || route_->websocket) {
      return Finish(s_.chain.Run(req_, *route_), /*filtered=*/true);
    }
    bool queued = s_.pool.TryPost([self = shared_from_this()] {
      Response r = self->s_.chain.Run(self->req_, *self->route_);
      net::post(self->stream_.get_executor(),
                [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    });
    if (!queued) {
      s_.metrics.rejected_overload.fetch_add(1, std::memory_order_relaxed);
      Response r = Response::Error(Status::Unavailable("服务繁忙，请稍后重试"), req_.request_id);
      s_.chain.Finish(req_, r);
      Write(std::move(r));
    }
  }

  // Answers an error produced before the handler ran, then closes.
  void Fail(int http_status, const Status& status) {
    if (req_.request_id.empty()) AssignRequestId(req_);
    if (req_.received_at == std::chrono::steady_clock::time_point{}) {
      req_.received_at = std::chrono::steady_clock::now();
    }
    Response r = Response::Error(status, req_.request_id);
    r.status = http_status;
    close_after_ = true;
    Finish(std::move(r));
  }

  // Writes `r`; runs the response filters first unless it came out of the
  // chain (`filtered`).
  void Finish(Response r, bool filtered = false) {
    if (!filtered) s_.chain.Finish(req_, r);
    if (filtered && route_->websocket && r.status == 101) return Upgrade();
    Write(std::move(r));
  }

  void Upgrade() {
    upgraded_ = true;
    s_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    counted_ = false;
    s_.Unregister(id_);
    auto ws = std::make_shared<WsSession>(s_, stream_.release_socket(), req_.principal, id_);
    ws->Start(parser_->release());
  }

  void Write(Response r) {
    if (r.status < 200 || r.status > 599) {
      // 1xx (other than a WebSocket 101) and out-of-range codes are handler
      // bugs; Beast would throw on codes above 999 inside the I/O thread.
      log::Error("http.bad_status", {{"requestId", req_.request_id}, {"status", r.status}});
      r = Response::Error(Status::Internal("bad response status"), req_.request_id);
      s_.chain.Finish(req_, r);
    }
    if (r.status == 204 || r.status == 304) r.body.clear();  // no body allowed
    keep_ = !close_after_ && !s_.draining.load() && parser_ && parser_->get().keep_alive();
    status_ = r.status;
    // The whole head and body in one buffer and one write: cheaper than
    // Beast's serializer (many small buffers) on small API answers.
    out_.clear();
    out_.reserve(256 + r.body.size() + r.headers.size() * 48);
    out_ += "HTTP/1.1 ";
    out_ += std::to_string(r.status);
    out_ += ' ';
    out_ += std::string_view(bhttp::obsolete_reason(static_cast<bhttp::status>(r.status)));
    out_ += "\r\nServer: hrss\r\nDate: ";
    out_ += HttpDate();
    out_ += "\r\n";
    // Every header is sent, repeated ones too (Set-Cookie, Vary). CR, LF and
    // NUL never reach the wire (no response splitting through a header).
    auto append_clean = [this](std::string_view text) {
      for (char c : text) out_.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
    };
    for (const auto& [k, v] : r.headers) {
      if (beast::iequals(k, "content-length") || beast::iequals(k, "connection") ||
          beast::iequals(k, "transfer-encoding") || beast::iequals(k, "date") ||
          beast::iequals(k, "server")) {
        continue;  // framing headers are the server's
      }
      append_clean(k);
      out_ += ": ";
      append_clean(v);
      out_ += "\r\n";
    }
    if (r.status != 204 && r.status != 304) {
      out_ += "Content-Length: ";
      out_ += std::to_string(r.body.size());
      out_ += "\r\n";
    }
    if (!keep_) {
      out_ += "Connection: close\r\n";
    } else if (parser_->get().version() < 11) {
      out_ += "Connection: keep-alive\r\n";
    }
    out_ += "\r\n";
    if (req_.method != Method::kHead) out_ += r.body;
    stream_.expires_after(milliseconds(s_.config.write_timeout_ms));
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnWrite(ec);
                     });
  }

  void OnWrite(beast::error_code ec) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - req_.received_at)
                      .count();
    s_.metrics.Record(route_ ? route_->index : SIZE_MAX, status_, secs);
    if (counted_) {
      s_.in_flight.fetch_sub(1, std::memory_order_relaxed);
      counted_ = false;
    }
    if (out_.capacity() > 64 * 1024) std::string().swap(out_);  // idle connections stay small
    if (ec || !keep_) return Close();
    parser_.reset();
    req_ = Request{};
    WaitForRequest();
  }

  void Close() {
    idle_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  Server::Impl& s_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{64 * 1024};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string out_;  // the response being written
  bool keep_ = false;
  Request req_;
  const Route* route_ = nullptr;
  std::string remote_;
  uint64_t id_;
  int status_ = 0;
  bool idle_ = false;
  bool close_after_ = false;
  bool counted_ = false;
  bool upgraded_ = false;
};

void Server::Impl::Register(uint64_t id, std::weak_ptr<HttpSession> s) {
  std::lock_guard lock(sessions_mu);
  sessions.emplace(id, std::move(s));
}

void Server::Impl::Unregister(uint64_t id) {
  std::lock_guard lock(sessions_mu);
  sessions.erase(id);
}

void Server::Impl::DoAccept() {
  net::io_context& target = *iocs[next_ioc++ % iocs.size()];
  acceptor.async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (metrics.connections_open.load(std::memory_order_relaxed) >= config.max_connections) {
        metrics.connections_refused.fetch_add(1, std::memory_order_relaxed);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(*this, std::move(socket), next_id.fetch_add(1))->Start();
      }
    } else if (ec == net::error::no_descriptors) {
      log::Warn("http.accept_failed", {{"error", ec.message()}});
    }
    DoAccept();
  });
}

// ---------------------------------------------------------------- Server

namespace {
// The gauges a Server registers with Metrics (removed again by ~Server).
constexpr const char* kGauges[] = {"hrss_worker_pool_queued", "hrss_worker_pool_busy",
                                   "hrss_worker_pool_saturation", "hrss_http_in_flight"};
}  // namespace

Server::Server(const ServerConfig& config, const Router& router, const FilterChain& chain,
               WebSocketHub& hub, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, router, chain, hub, metrics)) {}

Server::~Server() {
  Drain();
  // The gauges read this server; the Metrics object outlives it.
  if (impl_->gauges_added) {
    for (const char* g : kGauges) impl_->metrics.RemoveGauge(g);
  }
}

WorkerPool& Server::workers() { return impl_->pool; }
int Server::port() const { return impl_->bound_port; }
int64_t Server::in_flight() const { return impl_->in_flight.load(); }

Status Server::Start() {
  Impl& s = *impl_;
  if (!s.proxies.Valid()) {
    return Status::InvalidArgument("server.trusted_proxies: each entry must be an IP address or an "
                                   "IPv4 CIDR block: " + s.config.trusted_proxies);
  }
  beast::error_code ec;
  auto address = net::ip::make_address(s.config.host, ec);
  if (ec) return Status::InvalidArgument("bad listen address: " + s.config.host);
  tcp::endpoint ep(address, static_cast<unsigned short>(s.config.port));
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(4096, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + s.config.host + ":" +
                               std::to_string(s.config.port) + ": " + ec.message());
  }
  s.bound_port = s.acceptor.local_endpoint().port();
  s.gauges_added = true;
  s.metrics.AddGauge("hrss_worker_pool_queued", "Blocking requests waiting for a worker.",
                     [&s] { return static_cast<double>(s.pool.queued()); });
  s.metrics.AddGauge("hrss_worker_pool_busy", "Workers running a request.",
                     [&s] { return static_cast<double>(s.pool.busy()); });
  s.metrics.AddGauge("hrss_worker_pool_saturation",
                     "Queued blocking requests divided by the queue limit.", [&s] {
                       return static_cast<double>(s.pool.queued()) / s.pool.queue_limit();
                     });
  s.metrics.AddGauge("hrss_http_in_flight", "Requests being processed.",
                     [&s] { return static_cast<double>(s.in_flight.load()); });
  for (auto& ioc : s.iocs) s.work.push_back(net::make_work_guard(*ioc));
  net::dispatch(s.acceptor.get_executor(), [&s] { s.DoAccept(); });
  int n = static_cast<int>(s.iocs.size());
  for (int i = 0; i < n; ++i) {
    s.threads.emplace_back([&s, i] { s.iocs[static_cast<size_t>(i)]->run(); });
  }
  log::Info("http.listening", {{"host", s.config.host},
                               {"port", s.bound_port},
                               {"ioThreads", n},
                               {"workerThreads", s.pool.threads()}});
  return Status::Ok();
}

void Server::Drain() {
  Impl& s = *impl_;
  if (s.stopped.exchange(true)) return;
  s.draining = true;
  if (s.threads.empty()) {
    s.pool.Stop();
    return;
  }
  // 1. Refuse new connections.
  std::promise<void> closed;
  net::dispatch(s.acceptor.get_executor(), [&s, &closed] {
    beast::error_code ec;
    s.acceptor.close(ec);
    closed.set_value();
  });
  closed.get_future().wait();
  // 2. Close idle keep-alive connections; busy ones close after their response.
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(s.sessions_mu);
    for (auto& [id, w] : s.sessions) {
      if (auto p = w.lock()) live.push_back(std::move(p));
    }
  }
  for (auto& p : live) p->CloseIfIdle();
  live.clear();
  // 3. Let in-flight requests finish.
  auto deadline = std::chrono::steady_clock::now() + milliseconds(s.config.drain_timeout_ms);
  while (s.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  int64_t left = s.in_flight.load();
  // 4. Say goodbye to WebSocket clients, then stop.
  std::vector<std::shared_ptr<WsSession>> ws;
  {
    std::lock_guard lock(s.ws_mu);
    for (auto& [id, w] : s.ws_sessions) {
      if (auto p = w.lock()) ws.push_back(std::move(p));
    }
  }
  for (auto& p : ws) p->Close();
  ws.clear();
  // Let the close handshakes finish (bounded): the I/O threads must keep
  // running until the peers have answered and the sockets are torn down.
  auto ws_deadline = std::chrono::steady_clock::now() +
                     milliseconds(std::clamp(s.config.drain_timeout_ms / 10, 20, 1000));
  for (;;) {
    {
      std::lock_guard lock(s.ws_mu);
      if (s.ws_sessions.empty()) break;
    }
    if (std::chrono::steady_clock::now() >= ws_deadline) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  s.pool.Stop();
  s.work.clear();
  for (auto& ioc : s.iocs) ioc->stop();
  for (auto& t : s.threads) {
    if (t.joinable()) t.join();
  }
  s.threads.clear();
  log::Info("http.drained", {{"abandonedRequests", left}});
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace hrss::http
