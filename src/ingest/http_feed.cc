// Paginated HTTP JSON feed reader (the 就业 dialect): a synchronous HTTP/1.1
// client over Beast. Every network step is an asynchronous operation run to
// completion on a private io_context, so each has a real timeout
// (beast::tcp_stream::expires_after applies to asynchronous operations only).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <thread>

#include "ingest/internal.h"
#include "ingest/json_columns.h"
#include "ingest/reader.h"

namespace hrss::ingest {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

constexpr size_t kMaxBody = size_t{64} << 20;

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

struct Url {
  std::string scheme;
  std::string host;
  std::string port;
  std::string path_prefix;  // without trailing '/'
};

Result<Url> ParseBaseUrl(std::string_view base) {
  Url u;
  size_t colon = base.find("://");
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("feed base_url must start with http:// or https://");
  }
  u.scheme = std::string(base.substr(0, colon));
  for (char& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme != "http" && u.scheme != "https") {
    return Status::InvalidArgument("feed base_url must start with http:// or https://");
  }
  std::string_view rest = base.substr(colon + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    u.path_prefix = std::string(rest.substr(slash));
    while (!u.path_prefix.empty() && u.path_prefix.back() == '/') u.path_prefix.pop_back();
  }
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("feed base_url must not carry credentials (use headers)");
  }
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return Status::InvalidArgument("bad IPv6 host in base_url");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Status::InvalidArgument("bad port in base_url");
      u.port = std::string(after.substr(1));
    }
  } else {
    size_t pc = authority.rfind(':');
    u.host = std::string(authority.substr(0, pc));
    if (pc != std::string_view::npos) u.port = std::string(authority.substr(pc + 1));
  }
  if (u.host.empty()) return Status::InvalidArgument("feed base_url has no host");
  if (u.port.empty()) u.port = u.scheme == "https" ? "443" : "80";
  int port = 0;
  auto r = std::from_chars(u.port.data(), u.port.data() + u.port.size(), port);
  if (r.ec != std::errc() || r.ptr != u.port.data() + u.port.size() || port <= 0 || port > 65535) {
    return Status::InvalidArgument("bad port in base_url");
  }
  return u;
}

// A Beast SyncReadStream/SyncWriteStream over an OpenSSL connection on a
// blocking socket (timeouts via SO_RCVTIMEO/SO_SNDTIMEO). Asio's own SSL
// stream would need asio/ssl compiled into the shared Beast unit.
class TlsStream {
 public:
  explicit TlsStream(SSL* ssl) : ssl_(ssl) {}

  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers, error_code& ec) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
         ++it) {
      net::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      size_t got = 0;
      ERR_clear_error();
      if (SSL_read_ex(ssl_, b.data(), b.size(), &got) == 1) {
        ec = {};
        return got;
      }
      ec = Error(SSL_get_error(ssl_, 0));
      return 0;
    }
    ec = {};
    return 0;
  }
  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers) {
    error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers, error_code& ec) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
         ++it) {
      net::const_buffer b = *it;
      if (b.size() == 0) continue;
      size_t put = 0;
      ERR_clear_error();
      if (SSL_write_ex(ssl_, b.data(), b.size(), &put) == 1) {
        ec = {};
        return put;
      }
      ec = Error(SSL_get_error(ssl_, 0));
      return 0;
    }
    ec = {};
    return 0;
  }
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers) {
    error_code ec;
    size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  static error_code Error(int ssl_error) {
    if (ssl_error == SSL_ERROR_ZERO_RETURN) return net::error::eof;
    if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE) {
      return net::error::timed_out;  // SO_RCVTIMEO / SO_SNDTIMEO expired
    }
    if (ssl_error == SSL_ERROR_SYSCALL && errno == 0) return net::error::eof;
    return net::error::connection_reset;
  }
  SSL* ssl_;
};

struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};

class HttpFeedReader final : public RecordReader {
 public:
  explicit HttpFeedReader(HttpFeedOptions o) : opt_(std::move(o)) {
    since_ = opt_.updated_since;
    after_ = opt_.after_id;
  }

  Status Init() {
    HRSS_ASSIGN_OR_RETURN(url_, ParseBaseUrl(opt_.base_url));
    if (url_.scheme == "https") {
      tls_ = true;
      ctx_.reset(SSL_CTX_new(TLS_client_method()));
      if (!ctx_) return Status::Internal("SSL_CTX_new failed");
      SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_2_VERSION);
      SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER, nullptr);
      if (SSL_CTX_set_default_verify_paths(ctx_.get()) != 1) {
        return Status::Internal("cannot load the system trust store");
      }
      if (!opt_.ca_file.empty() &&
          SSL_CTX_load_verify_locations(ctx_.get(), opt_.ca_file.c_str(), nullptr) != 1) {
        return Status::InvalidArgument("cannot load CA file " + opt_.ca_file);
      }
    }
    if (opt_.limit < 1 || opt_.limit > 1000) {
      return Status::InvalidArgument("feed limit must be 1..1000");
    }
    if (opt_.max_attempts < 1) opt_.max_attempts = 1;
    if (opt_.timeout_ms <= 0) opt_.timeout_ms = 10000;
    return Status::Ok();
  }

  Result<bool> Next(Record* out) override {
    while (idx_ >= items_.size()) {
      if (done_) return false;
      HRSS_RETURN_IF_ERROR(FetchPage());
    }
    const boost::json::value& item = items_[idx_++];
    if (!item.is_object()) {
      return Status::InvalidArgument(Where() + ": item " + std::to_string(idx_) +
                                     " of the page is not a JSON object");
    }
    const auto& obj = item.get_object();
    cols_.Fill(obj, out);
    ++record_no_;
    out->line = record_no_;
    out->position.offset = 0;
    out->position.record_no = record_no_;
    // Position just after this item: its (updated_at, id), the same pair the
    // feed's "next" would carry after it.
    std::string cursor;
    const auto* ua = obj.if_contains("updated_at");
    const auto* id = obj.if_contains("id");
    if (ua != nullptr && id != nullptr && (ua->is_int64() || ua->is_uint64() || ua->is_string())) {
      std::string ua_text, id_text;
      internal::JsonColumns::ValueText(*ua, &ua_text);
      internal::JsonColumns::ValueText(*id, &id_text);
      cursor = ua_text + ":" + id_text;
    } else if (idx_ >= items_.size()) {
      cursor = next_cursor_;
    } else {
      cursor = page_cursor_;
    }
    out->position.cursor = std::move(cursor);
    return true;
  }

  Status Seek(const Position& pos) override {
    if (!pos.cursor.empty()) {
      size_t colon = pos.cursor.find(':');
      if (colon == std::string::npos) {
        return Status::InvalidArgument("feed cursor must be \"<updated_since>:<after_id>\"");
      }
      int64_t since = 0;
      auto r = std::from_chars(pos.cursor.data(), pos.cursor.data() + colon, since);
      if (r.ec != std::errc() || r.ptr != pos.cursor.data() + colon) {
        return Status::InvalidArgument("feed cursor must be \"<updated_since>:<after_id>\"");
      }
      since_ = since;
      after_ = pos.cursor.substr(colon + 1);
    } else {
      since_ = opt_.updated_since;
      after_ = opt_.after_id;
    }
    items_.clear();
    idx_ = 0;
    done_ = false;
    record_no_ = pos.record_no;
    return Status::Ok();
  }

  bool recoverable() const override { return false; }

 private:
  std::string Target() const {
    std::string t = url_.path_prefix + opt_.path;
    t += t.find('?') == std::string::npos ? '?' : '&';
    t += "updated_since=" + std::to_string(since_) + "&after_id=" + PercentEncode(after_) +
         "&limit=" + std::to_string(opt_.limit);
    return t;
  }
  std::string Where() const {
    return "GET " + url_.scheme + "://" + url_.host + ":" + url_.port + url_.path_prefix +
           opt_.path;
  }

  template <class Start>
  error_code Run(Start start) {
    error_code result = net::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  Status Connect() {
    CloseConnection();
    stream_.emplace(ioc_);
    stream_->expires_after(std::chrono::milliseconds(opt_.timeout_ms));
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type endpoints;
    error_code ec = Run([&](auto handler) {
      resolver.async_resolve(
          url_.host, url_.port,
          [&endpoints, handler](error_code e, tcp::resolver::results_type r) mutable {
            endpoints = std::move(r);
            handler(e);
          });
    });
    if (ec) return Status::Unavailable(Where() + ": cannot resolve host (" + ec.message() + ")");
    if (!tls_ && !opt_.allow_plain_http) {
      for (const auto& ep : endpoints) {
        if (!ep.endpoint().address().is_loopback()) {
          return Status::FailedPrecondition(
              Where() + ": plain http:// is allowed only to loopback (set allow_plain_http)");
        }
      }
    }
    ec = Run([&](auto handler) {
      stream_->async_connect(endpoints,
                             [handler](error_code e, const tcp::endpoint&) mutable { handler(e); });
    });
    if (ec) {
      stream_.reset();
      return Status::Unavailable(Where() + ": cannot connect (" + ec.message() + ")");
    }
    if (tls_) {
      Status st = Handshake();
      if (!st.ok()) {
        CloseConnection();
        return st;
      }
    }
    return Status::Ok();
  }

  Status Handshake() {
    auto& sock = stream_->socket();
    error_code ec;
    sock.non_blocking(false, ec);
    sock.native_non_blocking(false, ec);
    const int fd = sock.native_handle();
    timeval tv{};
    tv.tv_sec = opt_.timeout_ms / 1000;
    tv.tv_usec = (opt_.timeout_ms % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ssl_.reset(SSL_new(ctx_.get()));
    if (!ssl_) return Status::Internal("SSL_new failed");
    SSL_set_fd(ssl_.get(), fd);
    error_code aec;
    net::ip::make_address(url_.host, aec);
    if (aec) {  // a DNS name: SNI and name check
      SSL_set_tlsext_host_name(ssl_.get(), url_.host.c_str());
      SSL_set1_host(ssl_.get(), url_.host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_.get()), url_.host.c_str());
    }
    ERR_clear_error();
    if (SSL_connect(ssl_.get()) != 1) {
      const long verify = SSL_get_verify_result(ssl_.get());
      if (verify != X509_V_OK) {
        return Status::FailedPrecondition(Where() + ": TLS certificate not accepted (" +
                                          X509_verify_cert_error_string(verify) + ")");
      }
      char err[256] = "handshake failed";
      unsigned long e = ERR_get_error();
      if (e != 0) ERR_error_string_n(e, err, sizeof err);
      return Status::Unavailable(Where() + ": TLS handshake failed (" + err + ")");
    }
    tls_stream_.emplace(ssl_.get());
    return Status::Ok();
  }

  void CloseConnection() {
    tls_stream_.reset();
    ssl_.reset();
    stream_.reset();
    buffer_.clear();
  }

  struct Reply {
    int status = 0;
    std::string body;
    int retry_after_s = -1;
  };

  // One request on the (possibly reused) connection. Transport errors come
  // back as UNAVAILABLE; policy errors (loopback) as FAILED_PRECONDITION.
  Result<Reply> RoundTrip(const std::string& target, bool* reused) {
    *reused = stream_.has_value();
    if (!stream_) HRSS_RETURN_IF_ERROR(Connect());
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    std::string host_header = url_.host;
    if (url_.port != "80") host_header += ":" + url_.port;
    req.set(bhttp::field::host, host_header);
    req.set(bhttp::field::user_agent, "hrss-ingest/1");
    req.set(bhttp::field::accept, "application/json");
    for (const auto& [k, v] : opt_.headers) req.set(k, v);
    req.keep_alive(true);
    error_code ec;
    if (tls_) {
      bhttp::write(*tls_stream_, req, ec);
    } else {
      stream_->expires_after(std::chrono::milliseconds(opt_.timeout_ms));
      ec = Run([&](auto handler) {
        bhttp::async_write(*stream_, req, [handler](error_code e, size_t) mutable { handler(e); });
      });
    }
    if (ec) {
      CloseConnection();
      return Status::Unavailable(Where() + ": send failed (" + ec.message() + ")");
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxBody);
    if (tls_) {
      bhttp::read(*tls_stream_, buffer_, parser, ec);
    } else {
      ec = Run([&](auto handler) {
        bhttp::async_read(*stream_, buffer_, parser,
                          [handler](error_code e, size_t) mutable { handler(e); });
      });
    }
    if (ec) {
      CloseConnection();
      return Status::Unavailable(Where() + ": no complete response (" + ec.message() + ")");
    }
    auto res = parser.release();
    Reply r;
    r.status = static_cast<int>(res.result_int());
    r.body = std::move(res.body());
    auto it = res.find(bhttp::field::retry_after);
    if (it != res.end()) {
      int v = 0;
      auto s = it->value();
      auto pr = std::from_chars(s.data(), s.data() + s.size(), v);
      if (pr.ec == std::errc()) r.retry_after_s = v;
    }
    if (!res.keep_alive()) {
      error_code ignored;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
      CloseConnection();
    }
    return r;
  }

  Status FetchPage() {
    const std::string target = Target();
    Status last;
    bool fresh_retry_used = false;
    for (int attempt = 1; attempt <= opt_.max_attempts;) {
      bool reused = false;
      auto rep = RoundTrip(target, &reused);
      if (!rep.ok()) {
        if (rep.status().code() != Code::kUnavailable) return rep.status();
        last = rep.status();
        // A kept-alive connection the server closed meanwhile: retry at once.
        if (reused && !fresh_retry_used) {
          fresh_retry_used = true;
          continue;
        }
      } else if (rep->status >= 500) {
        last = Status::Unavailable(Where() + ": HTTP " + std::to_string(rep->status) + " after " +
                                   std::to_string(attempt) + " attempt(s)");
      } else if (rep->status == 401) {
        return Status::Unauthenticated(Where() + ": HTTP 401 (missing or wrong API key)");
      } else if (rep->status == 403) {
        return Status::PermissionDenied(Where() + ": HTTP 403");
      } else if (rep->status == 404) {
        return Status::NotFound(Where() + ": HTTP 404");
      } else if (rep->status < 200 || rep->status >= 300) {
        return Status::FailedPrecondition(Where() + ": HTTP " + std::to_string(rep->status));
      } else {
        return TakePage(rep->body);
      }
      if (attempt == opt_.max_attempts) break;
      // Exponential backoff 200 ms, 400 ms, ... capped at 5 s; Retry-After
      // is honoured up to the same cap.
      int64_t wait_ms = std::min<int64_t>(int64_t{200} << std::min(attempt - 1, 10), 5000);
      if (rep.ok() && rep->retry_after_s >= 0) {
        wait_ms =
            std::min<int64_t>(std::max<int64_t>(wait_ms, rep->retry_after_s * int64_t{1000}), 5000);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      ++attempt;
    }
    return last.WithContext("feed gave up after " + std::to_string(opt_.max_attempts) +
                            " attempts");
  }

  Status TakePage(const std::string& body) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument(Where() + ": unexpected page (" + why + ")");
    };
    if (ec) return bad("not JSON: " + ec.message());
    if (!v.is_object()) return bad("not a JSON object");
    auto& obj = v.as_object();
    auto* items = obj.if_contains("items");
    if (items == nullptr || !items->is_array()) return bad("no \"items\" array");
    page_cursor_ = std::to_string(since_) + ":" + after_;
    items_ = std::move(items->as_array());
    idx_ = 0;
    auto* next = obj.if_contains("next");
    if (next == nullptr || next->is_null()) {
      done_ = true;
      next_cursor_ = page_cursor_;
      return Status::Ok();
    }
    if (!next->is_object()) return bad("\"next\" is neither null nor an object");
    const auto& n = next->as_object();
    const auto* ns = n.if_contains("updated_since");
    const auto* na = n.if_contains("after_id");
    int64_t since = 0;
    if (ns != nullptr && ns->is_int64()) {
      since = ns->as_int64();
    } else if (ns != nullptr && ns->is_uint64()) {
      since = static_cast<int64_t>(ns->as_uint64());
    } else {
      return bad("\"next.updated_since\" is not an integer");
    }
    std::string after;
    if (na != nullptr) internal::JsonColumns::ValueText(*na, &after);
    if (since == since_ && after == after_) {
      return bad("\"next\" does not advance");
    }
    since_ = since;
    after_ = std::move(after);
    next_cursor_ = std::to_string(since_) + ":" + after_;
    return Status::Ok();
  }

  HttpFeedOptions opt_;
  Url url_;
  net::io_context ioc_{1};
  bool tls_ = false;
  std::unique_ptr<SSL_CTX, SslDeleter> ctx_;
  // Declared after the socket, so destroyed (SSL_free) before it closes.
  std::optional<beast::tcp_stream> stream_;
  std::unique_ptr<SSL, SslDeleter> ssl_;
  std::optional<TlsStream> tls_stream_;
  beast::flat_buffer buffer_;

  int64_t since_ = 0;
  std::string after_;
  boost::json::array items_;
  size_t idx_ = 0;
  bool done_ = false;
  std::string page_cursor_;
  std::string next_cursor_;
  int64_t record_no_ = 0;
  internal::JsonColumns cols_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenHttpFeed(const HttpFeedOptions& options) {
  auto r = std::make_unique<HttpFeedReader>(options);
  HRSS_RETURN_IF_ERROR(r->Init());
  return std::unique_ptr<RecordReader>(std::move(r));
}

}  // namespace hrss::ingest
