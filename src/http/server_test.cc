// End-to-end tests of the HTTP server over real TCP sockets.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <future>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/test_client.h"

namespace hrss::http {
namespace {

using std::chrono::milliseconds;
using testing::Clock;
using testing::Fetch;
using testing::Lower;
using testing::MakeRequest;
using testing::RawClient;
using testing::RawResponse;
using testing::TestConfig;
using testing::TestServer;
using testing::WaitFor;

class QuietLogs : public ::testing::Environment {
 public:
  void SetUp() override { log::SetLevel(log::Level::kError); }
};
const auto* const kQuietLogs = ::testing::AddGlobalTestEnvironment(new QuietLogs);

Route Public(Method m, std::string pattern, Handler h, Execution ex = Execution::kWorker) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.is_public = true;
  r.execution = ex;
  r.handler = std::move(h);
  return r;
}

Response BodySize(Request& req) { return Response::Text(200, std::to_string(req.body.size())); }

// The routes most tests use.
void AddStandardRoutes(TestServer& ts) {
  ts.Add(Public(
      Method::kGet, "/api/v1/hello",
      [](Request&) { return Response::JsonText(200, R"({"hello":"world"})"); },
      Execution::kInline));
  ts.Add(Public(Method::kGet, "/api/v1/persons/{id}", [](Request& req) {
    boost::json::object o;
    o["id"] = req.PathParam("id");
    return Response::Json(200, o);
  }));
  ts.Add(Public(Method::kPost, "/api/v1/echo", [](Request& req) {
    auto v = ParseJsonBody(req, 8);
    if (!v.ok()) return Response::Error(v.status(), req.request_id);
    return Response::Json(200, *v);
  }));
  Route small = Public(Method::kPost, "/api/v1/small", BodySize);
  small.max_body_bytes = 1024;
  ts.Add(std::move(small));
  Route upload = Public(Method::kPost, "/api/v1/upload", BodySize);
  upload.max_body_bytes = 1 << 20;  // bigger than the server default (64 KiB)
  ts.Add(std::move(upload));
  ts.Add(Public(Method::kPost, "/api/v1/default", BodySize));
  ts.Add(Public(Method::kGet, "/{*path}",
                [](Request& req) { return Response::Text(200, "static:" + req.path); }));
}

boost::json::object JsonBody(const RawResponse& r) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

// Checks the one error envelope {"code","message","requestId"}.
void ExpectEnvelope(const RawResponse& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status) << r.raw_head << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  auto o = JsonBody(r);
  ASSERT_TRUE(o.contains("code")) << r.body;
  EXPECT_EQ(o["code"].as_string(), code) << r.body;
  ASSERT_TRUE(o.contains("message"));
  EXPECT_FALSE(o["message"].as_string().empty());
  ASSERT_TRUE(o.contains("requestId"));
  EXPECT_EQ(std::string(o["requestId"].as_string()), r.Header("x-request-id"));
  EXPECT_FALSE(r.Header("x-request-id").empty());
}

bool IsHex16(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddStandardRoutes(ts_);
    ASSERT_TRUE(ts_.Start().ok());
    port_ = ts_.port();
    ASSERT_GT(port_, 0);
  }
  TestServer ts_;
  int port_ = 0;
};

TEST_F(ServerTest, JsonRouteAnswers200) {
  RawResponse r = Fetch(port_, "GET", "/api/v1/hello");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"hello":"world"})");
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.Header("content-length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_EQ(r.Header("server"), "hrss");
  EXPECT_FALSE(r.Header("date").empty());

  r = Fetch(port_, "GET", "/api/v1/persons/%E5%BC%A0%E4%B8%89");  // 张三
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(JsonBody(r)["id"].as_string(), "张三");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RawClient c(port_);
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/hello")));
  RawResponse a = c.ReadResponse();
  ASSERT_TRUE(a.ok);
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(Lower(a.Header("connection")), "close");
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/persons/7")));
  RawResponse b = c.ReadResponse();
  ASSERT_TRUE(b.ok);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, R"({"id":"7"})");
  EXPECT_EQ(ts_.metrics.connections_total.load(), 1);

  // "Connection: close" is honoured.
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/hello", "Connection: close\r\n")));
  RawResponse d = c.ReadResponse();
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(Lower(d.Header("connection")), "close");
  EXPECT_TRUE(c.WaitClosed(milliseconds(2000)));
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  RawClient c(port_);
  std::string batch =
      MakeRequest("GET", "/api/v1/persons/1") +
      MakeRequest("POST", "/api/v1/echo", "Content-Type: application/json\r\n", R"({"n":2})") +
      MakeRequest("GET", "/api/v1/hello") + MakeRequest("GET", "/api/v1/persons/4");
  ASSERT_TRUE(c.Send(batch));
  std::vector<std::string> want = {R"({"id":"1"})", R"({"n":2})", R"({"hello":"world"})",
                                   R"({"id":"4"})"};
  for (const auto& w : want) {
    RawResponse r = c.ReadResponse();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, w);
  }
  // Pipelined in tiny fragments, split in the middle of heads.
  std::string two = MakeRequest("GET", "/api/v1/persons/5") + MakeRequest("GET", "/api/v1/hello");
  for (size_t i = 0; i < two.size(); i += 7) {
    ASSERT_TRUE(c.Send(std::string_view(two).substr(i, 7)));
  }
  EXPECT_EQ(c.ReadResponse().body, R"({"id":"5"})");
  EXPECT_EQ(c.ReadResponse().body, R"({"hello":"world"})");
}

TEST_F(ServerTest, RequestIdEchoedWhenWellFormed) {
  RawResponse r = Fetch(port_, "GET", "/api/v1/hello", "X-Request-Id: abc-DEF_123\r\n");
  EXPECT_EQ(r.Header("x-request-id"), "abc-DEF_123");
  // Also on an error answered before any route ran.
  r = Fetch(port_, "GET", "/api/v1/nope", "X-Request-Id: trace-42\r\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("x-request-id"), "trace-42");
  EXPECT_EQ(JsonBody(r)["requestId"].as_string(), "trace-42");
}

TEST_F(ServerTest, RequestIdGeneratedWhenMissingOrMalformed) {
  RawResponse r = Fetch(port_, "GET", "/api/v1/hello");
  EXPECT_TRUE(IsHex16(r.Header("x-request-id"))) << r.Header("x-request-id");
  std::string first = r.Header("x-request-id");
  r = Fetch(port_, "GET", "/api/v1/hello");
  EXPECT_NE(r.Header("x-request-id"), first);
  for (std::string bad : {std::string("has space"), std::string("semi;colon"),
                          std::string("<script>"), std::string(65, 'a'), std::string("é")}) {
    r = Fetch(port_, "GET", "/api/v1/hello", "X-Request-Id: " + bad + "\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(IsHex16(r.Header("x-request-id"))) << bad << " -> " << r.Header("x-request-id");
  }
  r = Fetch(port_, "GET", "/api/v1/hello", "X-Request-Id: " + std::string(64, 'z') + "\r\n");
  EXPECT_EQ(r.Header("x-request-id"), std::string(64, 'z'));
}

TEST_F(ServerTest, HeadReturnsContentLengthWithoutBody) {
  RawClient c(port_);
  ASSERT_TRUE(c.Send(MakeRequest("HEAD", "/api/v1/hello")));
  RawResponse h = c.ReadResponse(milliseconds(3000), /*head_request=*/true);
  ASSERT_TRUE(h.ok);
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.Header("content-length"), std::to_string(std::string(R"({"hello":"world"})").size()));
  EXPECT_EQ(h.Header("content-type"), "application/json; charset=utf-8");
  // No body bytes follow the head.
  EXPECT_TRUE(c.QuietFor(milliseconds(150)));
  EXPECT_TRUE(c.pending().empty());
  // The connection stays usable.
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/hello")));
  RawResponse g = c.ReadResponse();
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body, R"({"hello":"world"})");
  // HEAD on the static catch-all too.
  RawResponse s = Fetch(port_, "HEAD", "/portal/");
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.Header("content-length"), std::to_string(std::string("static:/portal/").size()));
  EXPECT_TRUE(s.body.empty());
}

TEST_F(ServerTest, UnknownRouteIs404Envelope) {
  TestServer bare;  // no catch-all
  bare.Add(
      Public(Method::kGet, "/api/v1/hello", [](Request&) { return Response::Text(200, "hi"); }));
  ASSERT_TRUE(bare.Start().ok());
  RawResponse r = Fetch(bare.port(), "GET", "/nothing/here");
  ExpectEnvelope(r, 404, "NOT_FOUND");
  r = Fetch(bare.port(), "POST", "/api/v1/nothing", "Content-Type: application/json\r\n", "{}");
  ExpectEnvelope(r, 404, "NOT_FOUND");
}

TEST_F(ServerTest, UnknownApiPathIs404EvenWithStaticCatchAll) {
  RawResponse r = Fetch(port_, "GET", "/api/v1/does-not-exist");
  ExpectEnvelope(r, 404, "NOT_FOUND");
  r = Fetch(port_, "GET", "/api/");
  ExpectEnvelope(r, 404, "NOT_FOUND");
  // Other methods on unknown API paths are 404 too, not 405 from the catch-all.
  r = Fetch(port_, "DELETE", "/api/v1/does-not-exist");
  ExpectEnvelope(r, 404, "NOT_FOUND");
  // Non-API paths reach the catch-all.
  r = Fetch(port_, "GET", "/portal/some/route");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "static:/portal/some/route");
  r = Fetch(port_, "GET", "/");
  EXPECT_EQ(r.body, "static:/");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  RawResponse r = Fetch(port_, "DELETE", "/api/v1/hello");
  ExpectEnvelope(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS");
  r = Fetch(port_, "GET", "/api/v1/echo");
  ExpectEnvelope(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("allow"), "POST, OPTIONS");
  r = Fetch(port_, "PUT", "/portal/x", "", "data");
  ExpectEnvelope(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS");
  // OPTIONS answers with the Allow list.
  r = Fetch(port_, "OPTIONS", "/api/v1/echo");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("allow"), "POST, OPTIONS");
}

TEST_F(ServerTest, UnsupportedMethodIs405) {
  for (std::string m : {"PROPFIND", "TRACE", "CONNECT", "BREW", "MKCOL"}) {
    RawResponse r = Fetch(port_, m, "/api/v1/hello");
    ExpectEnvelope(r, 405, "METHOD_NOT_ALLOWED");
    EXPECT_EQ(r.Header("allow"), "GET, HEAD, OPTIONS") << m;
  }
}

TEST_F(ServerTest, GarbageRequestLineIs400AndCloses) {
  const std::vector<std::string> garbage = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /api/v1/hello HTTP/1.1\r\nBad Header Line\r\n\r\n",
      "\x01\x02\x03 / HTTP/1.1\r\n\r\n",
      "GET api/v1/hello HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /api/v1/echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      "POST /api/v1/echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      "POST /api/v1/echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  };
  for (const auto& g : garbage) {
    RawClient c(port_);
    ASSERT_TRUE(c.Send(g));
    RawResponse r = c.ReadResponse();
    ASSERT_TRUE(r.ok) << g;
    EXPECT_EQ(r.status, 400) << g;
    EXPECT_EQ(Lower(r.Header("connection")), "close") << g;
    EXPECT_EQ(JsonBody(r)["code"].as_string(), "INVALID_ARGUMENT") << g;
    EXPECT_TRUE(c.WaitClosed(milliseconds(2000))) << g;
  }
  // The server still serves the next client.
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/hello").status, 200);
}

TEST_F(ServerTest, MalformedJsonIs400) {
  for (std::string body : {"{", "{\"a\":}", "[1,2", "nul", "{\"a\":1}}", "\"unterminated"}) {
    RawResponse r =
        Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", body);
    ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
  }
  RawResponse r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", "");
  ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
  // A well-formed body with a JSON content type (and parameters) is fine.
  r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json; charset=utf-8\r\n",
            R"({"名字":"张三"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(JsonBody(r)["名字"].as_string(), "张三");
}

TEST_F(ServerTest, WrongContentTypeIs415) {
  RawResponse r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: text/plain\r\n", "{}");
  ExpectEnvelope(r, 415, "UNSUPPORTED_MEDIA_TYPE");
  r = Fetch(port_, "POST", "/api/v1/echo", "", "{}");
  ExpectEnvelope(r, 415, "UNSUPPORTED_MEDIA_TYPE");
  r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/x-www-form-urlencoded\r\n",
            "a=1");
  ExpectEnvelope(r, 415, "UNSUPPORTED_MEDIA_TYPE");
}

TEST_F(ServerTest, InvalidUtf8BodyIs400) {
  for (std::string body :
       {std::string("{\"a\":\"\xff\"}"), std::string("{\"a\":\"\xc0\xaf\"}"),
        std::string("{\"a\":\"\xed\xa0\x80\"}"), std::string("{\"a\":\"\xe5\xbc\"}")}) {
    RawResponse r =
        Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", body);
    ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
  }
}

TEST_F(ServerTest, DeeplyNestedJsonIs400) {
  // The echo route allows depth 8.
  std::string ok = std::string(8, '[') + std::string(8, ']');
  RawResponse r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", ok);
  EXPECT_EQ(r.status, 200);
  std::string deep = std::string(9, '[') + std::string(9, ']');
  r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", deep);
  ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
  std::string very_deep = std::string(20000, '[') + std::string(20000, ']');
  r = Fetch(port_, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", very_deep);
  ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
}

TEST_F(ServerTest, BadUtf8InPathIs400) {
  for (std::string target : {"/api/v1/x%ff", "/api/v1/persons/%c0%af", "/api/v1/persons/%ed%a0%80",
                             "/api/v1/persons/%e5%bc", "/api/v1/persons/a%00b", "/api/v1/x%zz",
                             "/api/v1/x%4", "/portal/%ff"}) {
    RawResponse r = Fetch(port_, "GET", target);
    ExpectEnvelope(r, 400, "INVALID_ARGUMENT");
  }
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/hello").status, 200);
}

TEST_F(ServerTest, ContentLengthAboveRouteLimitIs413WithoutReadingBody) {
  RawClient c(port_);
  auto start = Clock::now();
  // Only the head is sent; the server must answer without waiting for the body.
  ASSERT_TRUE(c.Send("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"));
  RawResponse r = c.ReadResponse(milliseconds(1500));
  ASSERT_TRUE(r.ok);
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  EXPECT_TRUE(c.WaitClosed(milliseconds(3000)));
  // Within the limit is fine.
  r = Fetch(port_, "POST", "/api/v1/small", "", std::string(1024, 'x'));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "1024");
  r = Fetch(port_, "POST", "/api/v1/small", "", std::string(1025, 'x'));
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
}

TEST_F(ServerTest, HugeContentLengthIs413) {
  // Larger than the server-wide default (64 KiB) and than any route limit.
  for (std::string target : {"/api/v1/default", "/api/v1/small", "/api/v1/upload"}) {
    RawClient c(port_);
    ASSERT_TRUE(
        c.Send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n"));
    RawResponse r = c.ReadResponse(milliseconds(1500));
    ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
  }
}

TEST_F(ServerTest, OversizedBodySentAnywayStillGets413) {
  // A client that sends the whole oversized body without waiting must still
  // be able to read the 413 (no reset that discards the answer).
  RawClient c(port_);
  std::string big(600 << 10, 'x');
  std::string req =
      "POST /api/v1/default HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(big.size()) +
      "\r\n\r\n" + big;
  std::thread sender([&] { c.Send(req); });
  RawResponse r = c.ReadResponse(milliseconds(3000));
  sender.join();
  ASSERT_TRUE(r.ok) << r.raw_head;
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
}

TEST_F(ServerTest, ChunkedBodyAboveLimitIs413) {
  RawClient c(port_);
  std::string head = "POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunks;
  for (int i = 0; i < 5; ++i) chunks += "200\r\n" + std::string(512, 'a') + "\r\n";  // 2560 bytes
  chunks += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(head + chunks));
  RawResponse r = c.ReadResponse();
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(c.WaitClosed(milliseconds(3000)));

  // A chunked body within the limit is accepted.
  RawClient ok(port_);
  ASSERT_TRUE(ok.Send(head + "100\r\n" + std::string(256, 'b') + "\r\n100\r\n" +
                      std::string(256, 'c') + "\r\n0\r\n\r\n"));
  r = ok.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "512");
}

TEST_F(ServerTest, BiggerRouteLimitAcceptsBiggerBody) {
  std::string body(200 << 10, 'u');  // 200 KiB: above the 64 KiB server default
  RawResponse r = Fetch(port_, "POST", "/api/v1/upload", "", body);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, std::to_string(body.size()));
  // The same body on a default-limit route is refused.
  r = Fetch(port_, "POST", "/api/v1/default", "", body);
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
  // Exactly the default limit passes.
  r = Fetch(port_, "POST", "/api/v1/default", "", std::string(64 << 10, 'd'));
  EXPECT_EQ(r.status, 200);
  // Chunked above the default but within the route limit.
  RawClient c(port_);
  std::string req = "POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) req += "4000\r\n" + std::string(0x4000, 'k') + "\r\n";
  req += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(req));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::to_string(10 * 0x4000));
  // Above the route limit: 413.
  r = Fetch(port_, "POST", "/api/v1/upload", "", std::string((1 << 20) + 1, 'u'));
  ExpectEnvelope(r, 413, "PAYLOAD_TOO_LARGE");
}

TEST_F(ServerTest, Expect100ContinueGets100ThenResponse) {
  RawClient c(port_);
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 9\r\nExpect: 100-continue\r\n\r\n"));
  RawResponse cont = c.ReadResponse(milliseconds(2000));
  ASSERT_TRUE(cont.ok);
  EXPECT_EQ(cont.status, 100);
  ASSERT_TRUE(c.Send(R"({"a":123})"));
  RawResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"a":123})");
  // Keep-alive continues after a 100-continue exchange.
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/hello")));
  EXPECT_EQ(c.ReadResponse().status, 200);

  // Too large: 413 straight away, no 100.
  RawClient big(port_);
  ASSERT_TRUE(
      big.Send("POST /api/v1/small HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
               "Expect: 100-continue\r\n\r\n"));
  r = big.ReadResponse(milliseconds(2000));
  EXPECT_EQ(r.status, 413);
}

TEST_F(ServerTest, HeaderTooLargeIs431) {
  RawClient c(port_);
  ASSERT_TRUE(c.Send("GET /api/v1/hello HTTP/1.1\r\nHost: x\r\nX-Big: " +
                     std::string(10 << 10, 'a') + "\r\n\r\n"));
  RawResponse r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(JsonBody(r)["code"].as_string(), "INVALID_ARGUMENT");
  EXPECT_TRUE(c.WaitClosed(milliseconds(3000)));
  // Many small headers add up too.
  std::string many;
  for (int i = 0; i < 400; ++i) many += "X-H" + std::to_string(i) + ": 0123456789abcdef\r\n";
  r = Fetch(port_, "GET", "/api/v1/hello", many);
  EXPECT_EQ(r.status, 431);
  // A long request target as well.
  r = Fetch(port_, "GET", "/api/v1/" + std::string(9 << 10, 'p'));
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(Fetch(port_, "GET", "/api/v1/hello").status, 200);
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerSurvives) {
  TestServer ts;
  ts.Add(Public(Method::kGet, "/api/v1/throw",
                [](Request&) -> Response { throw std::runtime_error("boom"); }));
  ts.Add(Public(
      Method::kGet, "/api/v1/throw-inline",
      [](Request&) -> Response { throw std::out_of_range("inline boom"); }, Execution::kInline));
  ts.Add(Public(Method::kGet, "/api/v1/ok", [](Request&) { return Response::Text(200, "ok"); }));
  ASSERT_TRUE(ts.Start().ok());
  for (int i = 0; i < 3; ++i) {
    RawResponse r = Fetch(ts.port(), "GET", "/api/v1/throw");
    ExpectEnvelope(r, 500, "INTERNAL");
    EXPECT_EQ(r.body.find("boom"), std::string::npos);  // internals never leak
    r = Fetch(ts.port(), "GET", "/api/v1/throw-inline");
    ExpectEnvelope(r, 500, "INTERNAL");
  }
  EXPECT_EQ(Fetch(ts.port(), "GET", "/api/v1/ok").status, 200);
}

TEST_F(ServerTest, OddHandlerResponsesAreSafe) {
  TestServer ts;
  ts.Add(Public(Method::kGet, "/api/v1/nocontent", [](Request&) {
    Response r = Response::Text(204, "should not be sent");
    return r;
  }));
  ts.Add(Public(Method::kGet, "/api/v1/notmodified",
                [](Request&) { return Response::Text(304, "nope"); }));
  ts.Add(Public(Method::kGet, "/api/v1/badstatus",
                [](Request&) { return Response::Text(1000, "x"); }));
  ts.Add(Public(Method::kGet, "/api/v1/cookies", [](Request&) {
    Response r = Response::Text(200, "c");
    r.AddHeader("Set-Cookie", "a=1; Path=/; HttpOnly");
    r.AddHeader("Set-Cookie", "b=2; Path=/; HttpOnly");
    return r;
  }));
  ASSERT_TRUE(ts.Start().ok());
  RawClient c(ts.port());
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/nocontent")));
  RawResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 204);
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/notmodified")));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(c.QuietFor(milliseconds(100)));  // no stray body bytes
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/cookies")));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.HeaderCount("set-cookie"), 2u) << r.raw_head;
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/badstatus")));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Fetch(ts.port(), "GET", "/api/v1/cookies").status, 200);
}

// ------------------------------------------------------------ timeouts

TEST(ServerTimeoutTest, SlowlorisIsClosedWhileOthersAreServed) {
  auto config = TestConfig();
  config.header_timeout_ms = 300;
  TestServer ts(config);
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());

  // Half a head, then silence.
  RawClient stall(ts.port());
  ASSERT_TRUE(stall.Send("GET /api/v1/hello HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  // A byte every 50 ms never finishes the head either.
  RawClient drip(ts.port());
  std::atomic<bool> drip_closed{false};
  std::thread dripper([&] {
    std::string head = "GET /api/v1/hello HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a');
    for (char ch : head) {
      if (!drip.Send(std::string(1, ch))) break;
      std::this_thread::sleep_for(milliseconds(50));
      if (drip_closed) break;
    }
  });
  auto start = Clock::now();
  // Meanwhile other clients are served normally.
  for (int i = 0; i < 10; ++i) {
    RawResponse r = Fetch(ts.port(), "GET", "/api/v1/hello");
    EXPECT_EQ(r.status, 200);
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(stall.WaitClosed(milliseconds(2000)));
  auto stall_elapsed = Clock::now() - start;
  EXPECT_LT(stall_elapsed, milliseconds(1500));
  EXPECT_TRUE(drip.WaitClosed(milliseconds(2000)));
  drip_closed = true;
  EXPECT_LT(Clock::now() - start, milliseconds(1800));
  dripper.join();
  EXPECT_EQ(Fetch(ts.port(), "GET", "/api/v1/hello").status, 200);
}

TEST(ServerTimeoutTest, SlowBodyIsClosedAfterBodyTimeout) {
  auto config = TestConfig();
  config.body_timeout_ms = 300;
  TestServer ts(config);
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  RawClient c(ts.port());
  auto start = Clock::now();
  ASSERT_TRUE(c.Send("POST /api/v1/default HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  EXPECT_TRUE(c.WaitClosed(milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(1500));
}

TEST(ServerTimeoutTest, IdleKeepAliveConnectionIsClosed) {
  auto config = TestConfig();
  config.idle_timeout_ms = 300;
  TestServer ts(config);
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  RawClient c(ts.port());
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/v1/hello")));
  ASSERT_EQ(c.ReadResponse().status, 200);
  auto start = Clock::now();
  EXPECT_TRUE(c.WaitClosed(milliseconds(2000)));
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(200));
  EXPECT_LT(elapsed, milliseconds(1500));
  // A connection that never sends anything is closed too.
  RawClient silent(ts.port());
  EXPECT_TRUE(silent.WaitClosed(milliseconds(2000)));
  EXPECT_TRUE(WaitFor([&] { return ts.metrics.connections_open.load() == 0; }));
}

TEST(ServerLimitTest, ConnectionLimitRefusesExtraConnections) {
  auto config = TestConfig();
  config.max_connections = 2;
  TestServer ts(config);
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  RawClient a(ts.port()), b(ts.port());
  ASSERT_TRUE(a.Send(MakeRequest("GET", "/api/v1/hello")));
  ASSERT_EQ(a.ReadResponse().status, 200);
  ASSERT_TRUE(b.Send(MakeRequest("GET", "/api/v1/hello")));
  ASSERT_EQ(b.ReadResponse().status, 200);
  RawClient c(ts.port());
  EXPECT_TRUE(c.WaitClosed(milliseconds(2000)));
  EXPECT_EQ(ts.metrics.connections_refused.load(), 1);
  a.Close();
  ASSERT_TRUE(WaitFor([&] { return ts.metrics.connections_open.load() == 1; }));
  EXPECT_EQ(Fetch(ts.port(), "GET", "/api/v1/hello").status, 200);
}

// ------------------------------------------------------------ worker pool

TEST(ServerPoolTest, SaturatedPoolAnswers503WithRetryAfterThenRecovers) {
  auto config = TestConfig();
  config.worker_threads = 1;
  config.worker_queue = 1;
  TestServer ts(config);
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> entered{0};
  ts.Add(Public(Method::kGet, "/api/v1/block", [&](Request&) {
    entered.fetch_add(1);
    open.wait();
    return Response::Text(200, "done");
  }));
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  const int port = ts.port();

  RawClient running(port);
  ASSERT_TRUE(running.Send(MakeRequest("GET", "/api/v1/block")));
  ASSERT_TRUE(WaitFor([&] { return entered.load() == 1; }));
  RawClient queued(port);
  ASSERT_TRUE(queued.Send(MakeRequest("GET", "/api/v1/block")));
  ASSERT_TRUE(WaitFor([&] { return ts.server->workers().queued() == 1; }));

  for (int i = 0; i < 3; ++i) {
    RawResponse r = Fetch(port, "GET", i == 2 ? "/api/v1/persons/1" : "/api/v1/block");
    ExpectEnvelope(r, 503, "UNAVAILABLE");
    EXPECT_EQ(r.Header("retry-after"), "1");
  }
  // Inline routes do not need a worker.
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/hello").status, 200);
  EXPECT_EQ(ts.metrics.rejected_overload.load(), 3);
  EXPECT_EQ(ts.server->workers().busy(), 1);

  gate.set_value();
  RawResponse r = running.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "done");
  r = queued.ReadResponse();
  EXPECT_EQ(r.status, 200);
  // Everything recovers.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Fetch(port, "GET", "/api/v1/block").status, 200);
    EXPECT_EQ(Fetch(port, "GET", "/api/v1/persons/2").status, 200);
  }
  EXPECT_EQ(entered.load(), 7);
}

// ------------------------------------------------------------ drain

TEST(ServerDrainTest, GracefulDrain) {
  auto config = TestConfig();
  config.drain_timeout_ms = 5000;
  TestServer ts(config);
  std::atomic<int> entered{0};
  ts.Add(Public(Method::kGet, "/api/v1/slow", [&](Request&) {
    entered.fetch_add(1);
    std::this_thread::sleep_for(milliseconds(400));
    return Response::Text(200, "slow done");
  }));
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  const int port = ts.port();

  RawClient idle(port);  // keep-alive, between requests
  ASSERT_TRUE(idle.Send(MakeRequest("GET", "/api/v1/hello")));
  ASSERT_EQ(idle.ReadResponse().status, 200);
  RawClient busy(port);
  ASSERT_TRUE(busy.Send(MakeRequest("GET", "/api/v1/slow")));
  ASSERT_TRUE(WaitFor([&] { return entered.load() == 1; }));
  EXPECT_EQ(ts.server->in_flight(), 1);

  auto start = Clock::now();
  std::atomic<bool> drained{false};
  std::thread drainer([&] {
    ts.server->Drain();
    drained = true;
  });
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{drainer};
  // The idle connection is closed promptly.
  EXPECT_TRUE(idle.WaitClosed(milliseconds(1000)));
  EXPECT_LT(Clock::now() - start, milliseconds(350));
  // New connections are refused.
  RawClient late;
  EXPECT_FALSE(late.Connect(port));
  EXPECT_EQ(late.last_errno(), ECONNREFUSED);
  EXPECT_FALSE(drained.load());
  // The in-flight request completes, and its connection closes afterwards.
  RawResponse r = busy.ReadResponse(milliseconds(3000));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(Lower(r.Header("connection")), "close");
  EXPECT_TRUE(busy.WaitClosed(milliseconds(1000)));
  drainer.join();
  EXPECT_TRUE(drained.load());
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_EQ(ts.server->in_flight(), 0);
  ts.server->Drain();  // idempotent
}

TEST(ServerDrainTest, DestroyingServerWithOpenConnectionsIsClean) {
  // Connections in every phase when the server goes away: mid-head,
  // keep-alive idle, mid-body, WebSocket-less. Sanitizers check the teardown.
  auto config = TestConfig();
  config.drain_timeout_ms = 200;
  auto ts = std::make_unique<TestServer>(config);
  AddStandardRoutes(*ts);
  ASSERT_TRUE(ts->Start().ok());
  const int port = ts->port();
  RawClient head(port), idle(port), body(port);
  ASSERT_TRUE(head.Send("GET /api/v1/hello HTTP/1.1\r\nHo"));
  ASSERT_TRUE(idle.Send(MakeRequest("GET", "/api/v1/hello")));
  ASSERT_EQ(idle.ReadResponse().status, 200);
  ASSERT_TRUE(
      body.Send("POST /api/v1/default HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"));
  std::this_thread::sleep_for(milliseconds(50));
  ts.reset();
  EXPECT_TRUE(head.WaitClosed(milliseconds(1000)));
  EXPECT_TRUE(idle.WaitClosed(milliseconds(1000)));
  EXPECT_TRUE(body.WaitClosed(milliseconds(1000)));
}

// ------------------------------------------------------------ metrics

TEST(ServerMetricsTest, RendersRequestCountsHistogramsAndPoolGauges) {
  TestServer ts;
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Fetch(ts.port(), "GET", "/api/v1/hello").status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Fetch(ts.port(), "GET", "/api/v1/persons/9").status, 200);
  ASSERT_EQ(Fetch(ts.port(), "DELETE", "/api/v1/persons/9").status, 405);
  ASSERT_EQ(Fetch(ts.port(), "GET", "/api/v1/missing").status, 404);

  const std::string hello = "route=\"GET /api/v1/hello\"";
  ASSERT_TRUE(WaitFor([&] {
    std::string m = ts.metrics.Render();
    return m.find("hrss_http_requests_total{" + hello + ",code=\"2xx\"} 5\n") !=
               std::string::npos &&
           m.find("hrss_http_requests_total{route=\"unmatched\",code=\"4xx\"} 2\n") !=
               std::string::npos &&
           m.find("{route=\"GET /api/v1/persons/{id}\",code=\"2xx\"} 3\n") != std::string::npos;
  })) << ts.metrics.Render();
  std::string m = ts.metrics.Render();
  EXPECT_NE(m.find("# TYPE hrss_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m.find("# TYPE hrss_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(m.find("hrss_http_request_duration_seconds_bucket{" + hello + ",le=\"0.0005\"} "),
            std::string::npos);
  EXPECT_NE(m.find("hrss_http_request_duration_seconds_bucket{" + hello + ",le=\"+Inf\"} 5\n"),
            std::string::npos);
  EXPECT_NE(m.find("hrss_http_request_duration_seconds_count{" + hello + "} 5\n"),
            std::string::npos);
  EXPECT_NE(m.find("hrss_http_request_duration_seconds_sum{" + hello + "} "), std::string::npos);
  // Buckets are cumulative: non-decreasing, 13 of them.
  int64_t prev = -1;
  int buckets = 0;
  std::string prefix = "hrss_http_request_duration_seconds_bucket{" + hello;
  for (size_t p = m.find(prefix); p != std::string::npos; p = m.find(prefix, p + 1)) {
    size_t sp = m.find("} ", p);
    int64_t v = std::stoll(m.substr(sp + 2, m.find('\n', sp) - sp - 2));
    EXPECT_GE(v, prev);
    prev = v;
    ++buckets;
  }
  EXPECT_EQ(buckets, 13);
  // Routes without traffic are not rendered.
  EXPECT_EQ(m.find("route=\"POST /api/v1/echo\""), std::string::npos);
  for (const char* g :
       {"hrss_worker_pool_queued 0", "hrss_worker_pool_busy 0", "hrss_worker_pool_saturation 0",
        "hrss_http_in_flight 0", "hrss_http_connections_total 10", "hrss_websocket_clients 0"}) {
    EXPECT_NE(m.find(std::string("\n") + g + "\n"), std::string::npos) << g << "\n" << m;
  }
}

TEST(ServerMetricsTest, RenderAfterServerIsGoneIsSafe) {
  TestServer ts;
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  ASSERT_EQ(Fetch(ts.port(), "GET", "/api/v1/hello").status, 200);
  ts.Stop();
  std::string m = ts.metrics.Render();  // gauges must not read the dead server
  EXPECT_EQ(m.find("hrss_worker_pool_busy"), std::string::npos);
  // A new server on the same Metrics registers its gauges once.
  ASSERT_TRUE(ts.Start().ok());
  m = ts.metrics.Render();
  size_t first = m.find("\nhrss_worker_pool_busy ");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(m.find("\nhrss_worker_pool_busy ", first + 1), std::string::npos);
}

// ------------------------------------------------------------ robustness

std::string RandomBytes(std::mt19937& rng, size_t max_len) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(len(rng), '\0');
  for (char& c : s) c = static_cast<char>(byte(rng));
  return s;
}

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

std::string FuzzCase(std::mt19937& rng, int i) {
  static const std::vector<std::string> kMethods = {"GET",
                                                    "POST",
                                                    "HEAD",
                                                    "PUT",
                                                    "DELETE",
                                                    "OPTIONS",
                                                    "PATCH",
                                                    "PROPFIND",
                                                    "get",
                                                    "G ET",
                                                    "",
                                                    "\x80\x81",
                                                    std::string(300, 'M')};
  static const std::vector<std::string> kTargets = {"/",
                                                    "/api/v1/hello",
                                                    "/api/v1/echo",
                                                    "/api/v1/persons/%ff",
                                                    "*",
                                                    "http://x/y",
                                                    "//",
                                                    "/%",
                                                    "/%zz",
                                                    "/..%2f..%2fetc/passwd",
                                                    "/api/v1/persons/" + std::string(2000, 'x'),
                                                    "/a b",
                                                    "/\x01",
                                                    "/api/v1/small",
                                                    "/api/v1/upload?x=%00"};
  static const std::vector<std::string> kVersions = {
      "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.10", "HTTX/1.1", "", "HTTP/1.1 x"};
  static const std::vector<std::string> kHeaders = {"Content-Length: -1",
                                                    "Content-Length: 99999999999999999999999",
                                                    "Content-Length: 1, 2",
                                                    "Content-Length: 3",
                                                    "Transfer-Encoding: chunked",
                                                    "Transfer-Encoding: gzip, chunked",
                                                    "Transfer-Encoding: identity",
                                                    "Expect: 100-continue",
                                                    "Expect: bogus",
                                                    "Content-Type: application/json",
                                                    "Connection: close",
                                                    "Connection: upgrade",
                                                    "Upgrade: websocket",
                                                    "X-Request-Id: \xff\xfe",
                                                    "Host:",
                                                    "Host: a\rb",
                                                    ": novalue",
                                                    "NoColon",
                                                    " leading-space: x",
                                                    "X-Long: " + std::string(3000, 'h'),
                                                    "Accept-Encoding: gzip"};
  static const std::vector<std::string> kBodies = {"",
                                                   "{}",
                                                   "{\"a\":",
                                                   "0\r\n\r\n",
                                                   "5\r\nhello\r\n0\r\n\r\n",
                                                   "zz\r\n",
                                                   "ffffffffffffffff\r\n",
                                                   std::string(5000, '[')};
  switch (i % 4) {
    case 0: return RandomBytes(rng, 512);
    case 1: {
      std::string s =
          Pick(rng, kMethods) + " " + Pick(rng, kTargets) + " " + Pick(rng, kVersions) + "\r\n";
      int n = std::uniform_int_distribution<int>(0, 5)(rng);
      for (int h = 0; h < n; ++h) s += Pick(rng, kHeaders) + "\r\n";
      s += "\r\n" + Pick(rng, kBodies);
      return s;
    }
    default: {
      // A valid request with random mutations.
      std::string s = i % 8 == 2
                          ? MakeRequest("POST", "/api/v1/echo",
                                        "Content-Type: application/json\r\n", R"({"a":[1,2]})")
                          : "POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                            "chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
      int n = std::uniform_int_distribution<int>(1, 6)(rng);
      for (int k = 0; k < n; ++k) {
        size_t pos = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
        char b = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
        switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
          case 0: s[pos] = b; break;
          case 1: s.insert(pos, 1, b); break;
          default: s.erase(pos, 1); break;
        }
      }
      return s;
    }
  }
}

TEST(ServerFuzzTest, MalformedInputNeverCrashesOrHangs) {
  auto config = TestConfig();
  config.header_timeout_ms = 500;
  config.body_timeout_ms = 500;
  TestServer ts(config);
  AddStandardRoutes(ts);
  ASSERT_TRUE(ts.Start().ok());
  std::mt19937 rng(20261129);
  auto start = Clock::now();
  for (int i = 0; i < 200; ++i) {
    std::string input = FuzzCase(rng, i);
    RawClient c(ts.port());
    ASSERT_TRUE(c.connected()) << "case " << i;
    c.Send(input);
    c.ShutdownWrite();
    // Whatever it was, the server answers and/or closes promptly.
    ASSERT_TRUE(c.WaitClosed(milliseconds(3000))) << "case " << i;
    const std::string& got = c.pending();
    if (!got.empty()) {
      EXPECT_EQ(got.rfind("HTTP/1.1 ", 0), 0u) << "case " << i << ": " << got.substr(0, 80);
    }
  }
  EXPECT_LT(Clock::now() - start, milliseconds(15000));
  RawResponse r = Fetch(ts.port(), "GET", "/api/v1/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"hello":"world"})");
  // No session leaked.
  EXPECT_TRUE(WaitFor([&] { return ts.metrics.connections_open.load() == 0; }))
      << ts.metrics.connections_open.load();
}

}  // namespace
}  // namespace hrss::http

namespace hrss::http {
namespace {

// A filter that declares some requests blocking (as the identity module's
// authentication filter does when a session is not in memory).
class BlockingWhenAsked final : public Filter {
 public:
  std::string_view name() const override { return "blocking_when_asked"; }
  bool MayBlock(const Request& req, const Route&) override { return req.HasHeader("x-slow"); }
};

TEST(ServerPoolTest, InlineRouteMovesToWorkerWhenAFilterMayBlock) {
  auto config = TestConfig();
  config.io_threads = 1;  // one I/O thread: a blocked handler there would stall everyone
  config.worker_threads = 2;
  TestServer ts(config);
  ts.chain.Add(std::make_unique<BlockingWhenAsked>());
  ts.Add(Public(
      Method::kGet, "/api/v1/maybe",
      [](Request& req) {
        if (req.HasHeader("x-slow")) std::this_thread::sleep_for(std::chrono::milliseconds(600));
        return Response::Text(200, "ok");
      },
      Execution::kInline));
  ASSERT_TRUE(ts.Start().ok());
  const int port = ts.port();
  RawClient slow(port);
  ASSERT_TRUE(slow.Send("GET /api/v1/maybe HTTP/1.1\r\nHost: t\r\nX-Slow: 1\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(Fetch(port, "GET", "/api/v1/maybe").status, 200);
  auto waited = std::chrono::steady_clock::now() - t0;
  // Served while the slow one still sleeps: it is not on the I/O thread.
  EXPECT_LT(waited, std::chrono::milliseconds(400));
  RawResponse r = slow.ReadResponse();
  EXPECT_EQ(r.status, 200);
}

}  // namespace
}  // namespace hrss::http

namespace hrss::http {
namespace {

TEST(ServerResponseTest, HeaderValuesCannotSplitTheResponse) {
  TestServer ts(TestConfig());
  ts.Add(Public(Method::kGet, "/api/v1/redirect", [](Request&) {
    Response r;
    r.status = 302;
    r.SetHeader("Location", "/portal/\r\nX-Evil: 1\r\n\r\n<script>");
    r.AddHeader("Set-Cookie", "a=1");
    r.AddHeader("Set-Cookie", "b=2");
    r.SetHeader("Content-Length", "999");  // framing is the server's, not the handler's
    return r;
  }));
  ASSERT_TRUE(ts.Start().ok());
  RawClient c(ts.port());
  ASSERT_TRUE(c.Send("GET /api/v1/redirect HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 302);
  EXPECT_FALSE(r.HasHeader("x-evil"));
  EXPECT_EQ(r.raw_head.find("\r\nX-Evil"), std::string::npos);
  EXPECT_EQ(r.Header("content-length"), "0");
  EXPECT_EQ(r.headers.count("set-cookie"), 2u);
  // Still one well-formed response on a reusable connection.
  ASSERT_TRUE(c.Send("GET /api/v1/redirect HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 302);
}

}  // namespace
}  // namespace hrss::http

namespace hrss::http {
namespace {

TEST(ServerProxyTest, ClientAddressComesFromTrustedProxiesOnly) {
  auto route = [](Request& req) { return Response::Text(200, req.remote_addr); };
  {
    auto config = TestConfig();
    config.trusted_proxies = "127.0.0.1";  // nginx on this host
    TestServer ts(config);
    ts.Add(Public(Method::kGet, "/api/v1/whoami", route));
    ASSERT_TRUE(ts.Start().ok());
    RawClient c(ts.port());
    ASSERT_TRUE(c.Send("GET /api/v1/whoami HTTP/1.1\r\nHost: t\r\n"
                       "X-Forwarded-For: 6.6.6.6, 198.51.100.7\r\n\r\n"));
    EXPECT_EQ(c.ReadResponse().body, "198.51.100.7");
  }
  {
    TestServer ts(TestConfig());  // no trusted proxies: the header is ignored
    ts.Add(Public(Method::kGet, "/api/v1/whoami", route));
    ASSERT_TRUE(ts.Start().ok());
    RawClient c(ts.port());
    ASSERT_TRUE(c.Send("GET /api/v1/whoami HTTP/1.1\r\nHost: t\r\n"
                       "X-Forwarded-For: 198.51.100.7\r\n\r\n"));
    EXPECT_EQ(c.ReadResponse().body, "127.0.0.1");
  }
  {
    auto config = TestConfig();
    config.trusted_proxies = "nginx.local";
    TestServer ts(config);
    ts.Add(Public(Method::kGet, "/api/v1/whoami", route));
    EXPECT_EQ(ts.Start().code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace hrss::http
