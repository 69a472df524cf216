// The HTTP feed reader against a tiny in-test HTTP/1.1 server (raw sockets,
// keep-alive, one connection at a time) that scripts each answer.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ingest/reader.h"
#include "ingest/test_util.h"

namespace hrss::ingest {
namespace {

struct SeenRequest {
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
};

std::string Response(int status, const std::string& body, const std::string& extra = "") {
  std::string reason = status == 200   ? "OK"
                       : status == 401 ? "Unauthorized"
                                       : "Service Unavailable";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra + "\r\n" + body;
}

class FakeFeedServer {
 public:
  using Handler = std::function<std::string(const SeenRequest&, int n)>;
  explicit FakeFeedServer(Handler h, SSL_CTX* tls = nullptr) : handler_(std::move(h)), tls_(tls) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~FakeFeedServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return seen_;
  }

 private:
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 50);
      if (r > 0) return true;
    }
    return false;
  }
  void Loop() {
    while (WaitReadable(fd_)) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      if (tls_ != nullptr) {
        ssl_ = SSL_new(tls_);
        SSL_set_fd(ssl_, c);
        timeval tv{2, 0};
        ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (SSL_accept(ssl_) == 1) Serve(c);
        SSL_free(ssl_);
        ssl_ = nullptr;
      } else {
        Serve(c);
      }
      ::close(c);
    }
  }
  void Serve(int c) {
    std::string buf;
    for (;;) {
      size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        char tmp[4096];
        ssize_t n;
        if (ssl_ != nullptr) {
          if (SSL_pending(ssl_) == 0 && !WaitReadable(c)) return;
          n = SSL_read(ssl_, tmp, sizeof tmp);
        } else {
          if (!WaitReadable(c)) return;
          n = ::recv(c, tmp, sizeof tmp, 0);
        }
        if (n <= 0) return;
        buf.append(tmp, static_cast<size_t>(n));
      }
      std::string head = buf.substr(0, end);
      buf.erase(0, end + 4);
      SeenRequest req;
      size_t sp1 = head.find(' ');
      size_t sp2 = head.find(' ', sp1 + 1);
      req.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = head.find("\r\n");
      while (pos != std::string::npos) {
        size_t next = head.find("\r\n", pos + 2);
        std::string line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          for (char& ch : name)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value[0] == ' ') value.erase(0, 1);
          req.headers[name] = value;
        }
        pos = next;
      }
      int n;
      {
        std::lock_guard<std::mutex> l(mu_);
        seen_.push_back(req);
        n = static_cast<int>(seen_.size());
      }
      std::string resp = handler_(req, n);
      if (resp.empty()) return;  // drop the connection without answering
      if (ssl_ != nullptr) {
        SSL_write(ssl_, resp.data(), static_cast<int>(resp.size()));
      } else {
        ::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
      }
    }
  }

  Handler handler_;
  SSL_CTX* tls_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<SeenRequest> seen_;
};

const char* kPage1 =
    R"({"items":[{"id":"P1","updated_at":1000,"deleted":false,"sfzh":"511724199001010018","xm":"张三"},)"
    R"({"id":"P2","updated_at":1000,"deleted":false,"sfzh":"11010519491231002x","xm":"李四","xzqh":null}],)"
    R"("next":{"updated_since":1000,"after_id":"P2"}})";
const char* kPage2 =
    R"({"items":[{"id":"P3","updated_at":2000,"deleted":true,"sfzh":"511724200002290045","xm":"王五"}],"next":null})";

std::string ScriptedFeed(const SeenRequest& req, bool* served_503) {
  auto key = req.headers.find("x-api-key");
  if (key == req.headers.end() || key->second != "secret-key") {
    return Response(401, R"({"code":"UNAUTHENTICATED"})");
  }
  if (req.target.find("after_id=P2") != std::string::npos) {
    if (!*served_503) {
      *served_503 = true;
      return Response(503, R"({"code":"UNAVAILABLE"})", "Retry-After: 0\r\n");
    }
    return Response(200, kPage2);
  }
  return Response(200, kPage1);
}

HttpFeedOptions Options(const FakeFeedServer& s) {
  HttpFeedOptions o;
  o.base_url = s.base_url();
  o.path = "/api/v1/persons";
  o.headers = {{"X-Api-Key", "secret-key"}};
  o.limit = 2;
  o.timeout_ms = 3000;
  return o;
}

TEST(HttpFeed, PagesRetryAndCursor) {
  bool served_503 = false;
  FakeFeedServer server([&](const SeenRequest& r, int) { return ScriptedFeed(r, &served_503); });
  auto reader = OpenHttpFeed(Options(server));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<Record> recs;
  for (;;) {
    Record rec;
    auto r = (*reader)->Next(&rec);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (!*r) break;
    recs.push_back(rec);
  }
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(*recs[0].Get("xm"), "张三");
  EXPECT_EQ(*recs[1].Get("sfzh"), "11010519491231002x");
  EXPECT_EQ(*recs[1].Get("xzqh"), "");
  EXPECT_EQ(*recs[2].Get("deleted"), "true");
  EXPECT_EQ(*recs[2].Get("updated_at"), "2000");
  EXPECT_EQ(recs[0].position.cursor, "1000:P1");
  EXPECT_EQ(recs[1].position.cursor, "1000:P2");
  EXPECT_EQ(recs[2].position.cursor, "2000:P3");
  EXPECT_EQ(recs[2].position.record_no, 3);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);  // page 1, the 503, page 2 again
  EXPECT_EQ(seen[0].target, "/api/v1/persons?updated_since=0&after_id=&limit=2");
  EXPECT_EQ(seen[1].target, "/api/v1/persons?updated_since=1000&after_id=P2&limit=2");
  EXPECT_EQ(seen[2].target, seen[1].target);
  EXPECT_EQ(seen[0].headers["x-api-key"], "secret-key");
  EXPECT_TRUE(served_503);

  // Resume from a stored cursor.
  ASSERT_TRUE((*reader)->Seek(recs[1].position).ok());
  Record next;
  auto n = (*reader)->Next(&next);
  ASSERT_TRUE(n.ok() && *n) << n.status().ToString();
  EXPECT_EQ(*next.Get("id"), "P3");
  EXPECT_EQ(next.position.record_no, 3);
  EXPECT_EQ(server.requests().back().target,
            "/api/v1/persons?updated_since=1000&after_id=P2&limit=2");
}

TEST(HttpFeed, UnauthorizedIsAnErrorWithoutRetry) {
  bool served_503 = false;
  FakeFeedServer server([&](const SeenRequest& r, int) { return ScriptedFeed(r, &served_503); });
  HttpFeedOptions o = Options(server);
  o.headers = {{"X-Api-Key", "bogus-value"}};
  auto reader = OpenHttpFeed(o);
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  EXPECT_NE(r.status().message().find("401"), std::string::npos);
  EXPECT_EQ(r.status().message().find("bogus-value"), std::string::npos);  // no key in messages
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpFeed, GivesUpAfterMaxAttempts) {
  FakeFeedServer server([](const SeenRequest&, int) { return Response(503, "{}"); });
  HttpFeedOptions o = Options(server);
  o.max_attempts = 3;
  auto reader = OpenHttpFeed(o);
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpFeed, DroppedConnectionIsRetried) {
  FakeFeedServer server([](const SeenRequest&, int n) {
    if (n == 1) return std::string();  // close without answering
    return Response(200, R"({"items":[{"id":"A","updated_at":5}],"next":null})");
  });
  auto reader = OpenHttpFeed(Options(server));
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_TRUE(r.ok() && *r) << r.status().ToString();
  EXPECT_EQ(rec.position.cursor, "5:A");
  EXPECT_FALSE(*(*reader)->Next(&rec));
}

TEST(HttpFeed, MalformedPageIsAnError) {
  FakeFeedServer server([](const SeenRequest&, int) { return Response(200, "[1,2]"); });
  auto reader = OpenHttpFeed(Options(server));
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(HttpFeed, ConnectionRefusedIsUnavailable) {
  int port;
  {
    FakeFeedServer s([](const SeenRequest&, int) { return std::string(); });
    port = s.port();
  }
  HttpFeedOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  o.path = "/api/v1/units";
  o.max_attempts = 2;
  auto reader = OpenHttpFeed(o);
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST(HttpFeed, PlainHttpOnlyToLoopbackAndHttpsNotYet) {
  HttpFeedOptions o;
  o.base_url = "http://192.0.2.1:8080";
  o.path = "/api/v1/persons";
  auto reader = OpenHttpFeed(o);
  ASSERT_TRUE(reader.ok());
  Record rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("loopback"), std::string::npos);

  o.base_url = "ftp://x";
  EXPECT_FALSE(OpenHttpFeed(o).ok());
  o.base_url = "https://127.0.0.1:1";
  o.ca_file = "/nonexistent/ca.pem";
  EXPECT_FALSE(OpenHttpFeed(o).ok());
}

// A self-signed certificate for IP 127.0.0.1, written as PEM to `pem_path`.
struct TestCert {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~TestCert() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

void MakeCert(TestCert* tc, const std::string& pem_path, const char* san) {
  tc->key = EVP_EC_gen("P-256");
  ASSERT_NE(tc->key, nullptr);
  tc->cert = X509_new();
  X509* x = tc->cert;
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, tc->key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("hrss test feed"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name, san},
                            {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(ext, nullptr);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  ASSERT_GT(X509_sign(x, tc->key, EVP_sha256()), 0);
  FILE* f = std::fopen(pem_path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_X509(f, x);
  std::fclose(f);
}

TEST(HttpFeed, HttpsWithVerifiedCertificate) {
  testing::TempDir dir;
  TestCert tc;
  MakeCert(&tc, dir.File("ca.pem"), "IP:127.0.0.1");
  SSL_CTX* sctx = SSL_CTX_new(TLS_server_method());
  ASSERT_EQ(SSL_CTX_use_certificate(sctx, tc.cert), 1);
  ASSERT_EQ(SSL_CTX_use_PrivateKey(sctx, tc.key), 1);
  {
    bool served_503 = false;
    FakeFeedServer server([&](const SeenRequest& r, int) { return ScriptedFeed(r, &served_503); },
                          sctx);
    HttpFeedOptions o = Options(server);
    o.base_url = "https://127.0.0.1:" + std::to_string(server.port());
    o.ca_file = dir.File("ca.pem");
    auto reader = OpenHttpFeed(o);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    int n = 0;
    for (;;) {
      Record rec;
      auto r = (*reader)->Next(&rec);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (!*r) break;
      ++n;
    }
    EXPECT_EQ(n, 3);
    EXPECT_EQ(server.requests().size(), 3u);
    reader->reset();  // the test server serves one connection at a time

    // Without the test CA the system store does not trust it: no retry.
    o.ca_file.clear();
    auto untrusted = OpenHttpFeed(o);
    ASSERT_TRUE(untrusted.ok());
    Record rec;
    auto r = (*untrusted)->Next(&rec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition) << r.status().ToString();
    EXPECT_NE(r.status().message().find("certificate"), std::string::npos);
  }
  {
    // Trusted certificate but for another address: the name check fails.
    testing::TempDir dir2;
    TestCert other;
    MakeCert(&other, dir2.File("ca.pem"), "IP:10.9.8.7");
    SSL_CTX* sctx2 = SSL_CTX_new(TLS_server_method());
    ASSERT_EQ(SSL_CTX_use_certificate(sctx2, other.cert), 1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey(sctx2, other.key), 1);
    FakeFeedServer server([](const SeenRequest&, int) { return Response(200, "{}"); }, sctx2);
    HttpFeedOptions o = Options(server);
    o.base_url = "https://127.0.0.1:" + std::to_string(server.port());
    o.ca_file = dir2.File("ca.pem");
    auto reader = OpenHttpFeed(o);
    ASSERT_TRUE(reader.ok());
    Record rec;
    auto r = (*reader)->Next(&rec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition) << r.status().ToString();
    SSL_CTX_free(sctx2);
  }
  SSL_CTX_free(sctx);
}

}  // namespace
}  // namespace hrss::ingest
