// WebSocket upgrade, hub fan-out and bounded per-client queues, with a real
// Beast client against a real Server.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "http/test_client.h"
#include "http/websocket_hub.h"

namespace hrss::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ws = boost::beast::websocket;
using net::ip::tcp;
using std::chrono::milliseconds;
using testing::Fetch;
using testing::RawResponse;
using testing::TestConfig;
using testing::TestServer;
using testing::WaitFor;

// A synchronous-looking WebSocket client whose every operation has a timeout
// (its own timer: the websocket stream manages the tcp_stream expiry itself).
class WsClient {
 public:
  // `rcvbuf` > 0 shrinks the socket receive buffer (a slow consumer fills up fast).
  beast::error_code Connect(int port, const std::string& target, int rcvbuf = 0) {
    beast::error_code ec;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(tcp::v4(), ec);
    if (ec) return ec;
    if (rcvbuf > 0) sock.set_option(net::socket_base::receive_buffer_size(rcvbuf), ec);
    sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)),
                 ec);
    if (ec) return ec;
    Run([&](auto done) { ws_.async_handshake(response_, "127.0.0.1", target, done); }, ec);
    return ec;
  }

  const ws::response_type& response() const { return response_; }

  beast::error_code Write(const std::string& text, bool binary = false) {
    beast::error_code ec;
    ws_.binary(binary);
    Run(
        [&](auto done) {
          ws_.async_write(net::buffer(text), [done](beast::error_code e, size_t) { done(e); });
        },
        ec);
    return ec;
  }

  // The next message, or the error (timeout, closed ...).
  beast::error_code Read(std::string* out, milliseconds timeout = milliseconds(3000)) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    Run(
        [&](auto done) {
          ws_.async_read(buffer, [done](beast::error_code e, size_t) { done(e); });
        },
        ec, timeout);
    if (!ec) *out = beast::buffers_to_string(buffer.data());
    return ec;
  }

  boost::json::object ReadJson(milliseconds timeout = milliseconds(3000)) {
    std::string text;
    if (Read(&text, timeout)) return {};
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }

  beast::error_code Close() {
    beast::error_code ec;
    Run([&](auto done) { ws_.async_close(ws::close_code::normal, done); }, ec);
    return ec;
  }

 private:
  // Starts an operation and runs the io_context until it completes; the
  // tcp_stream timeout closes the socket when it takes too long.
  template <typename Start>
  void Run(Start start, beast::error_code& ec, milliseconds timeout = milliseconds(3000)) {
    bool finished = false, timed_out = false;
    net::steady_timer timer(ioc_, timeout);
    timer.async_wait([&](beast::error_code e) {
      if (e || finished) return;
      timed_out = true;
      beast::get_lowest_layer(ws_).close();  // fails the pending operation
    });
    start([&](beast::error_code e) {
      ec = e;
      finished = true;
      timer.cancel();
    });
    ioc_.restart();
    ioc_.run();
    if (timed_out) ec = beast::error::timeout;
  }

  net::io_context ioc_;
  ws::stream<beast::tcp_stream> ws_{ioc_};
  ws::response_type response_;
};

Route WsRoute(std::string pattern, std::string permission = "") {
  Route r;
  r.method = Method::kGet;
  r.pattern = std::move(pattern);
  r.websocket = true;
  r.execution = Execution::kInline;
  if (permission.empty()) {
    r.is_public = true;
  } else {
    r.permission = std::move(permission);
  }
  r.handler = [](Request&) {
    Response accept;
    accept.status = 101;
    return accept;
  };
  return r;
}

class WebSocketTest : public ::testing::Test {
 protected:
  void StartServer(int ws_queue_limit = 16) {
    auto config = TestConfig();
    config.ws_queue_limit = ws_queue_limit;
    ts_ = std::make_unique<TestServer>(config);
    ts_->Add(WsRoute("/ws"));
    ts_->Add(WsRoute("/ws/private", "screen:stats:read"));
    Route hello;
    hello.method = Method::kGet;
    hello.pattern = "/api/v1/hello";
    hello.is_public = true;
    hello.handler = [](Request&) { return Response::Text(200, "hi"); };
    ts_->Add(std::move(hello));
    ASSERT_TRUE(ts_->Start().ok());
  }
  std::unique_ptr<TestServer> ts_;
};

TEST_F(WebSocketTest, SubscribeAndReceivePublishedMessages) {
  StartServer();
  WsClient c;
  ASSERT_FALSE(c.Connect(ts_->port(), "/ws"));
  EXPECT_EQ(c.response().result_int(), 101);
  EXPECT_TRUE(WaitFor([&] { return ts_->metrics.websocket_clients.load() == 1; }));

  ASSERT_FALSE(c.Write(R"({"op":"ping"})"));
  EXPECT_EQ(c.ReadJson()["op"].as_string(), "pong");

  ASSERT_FALSE(c.Write(R"({"op":"subscribe","topic":"screen.stats"})"));
  auto reply = c.ReadJson();
  EXPECT_EQ(reply["op"].as_string(), "subscribed");
  EXPECT_EQ(reply["topic"].as_string(), "screen.stats");
  EXPECT_EQ(ts_->hub.subscriptions(), 1u);

  EXPECT_EQ(ts_->hub.Publish("screen.stats", R"({"waiting":12,"hall":"大竹县政务中心"})"), 1u);
  auto msg = c.ReadJson();
  EXPECT_EQ(msg["topic"].as_string(), "screen.stats");
  ASSERT_TRUE(msg["data"].is_object());
  EXPECT_EQ(msg["data"].as_object()["waiting"].as_int64(), 12);
  EXPECT_EQ(msg["data"].as_object()["hall"].as_string(), "大竹县政务中心");

  // Other topics do not reach the client.
  EXPECT_EQ(ts_->hub.Publish("other.topic", "1"), 0u);
  EXPECT_EQ(ts_->hub.Publish("screen.stats", "2"), 1u);
  msg = c.ReadJson();
  EXPECT_EQ(msg["data"].as_int64(), 2);

  // Malformed client messages get an error reply; the session continues.
  for (std::string bad : {"not json", "[]", R"({"op":"dance"})", R"({"op":"subscribe"})",
                          R"({"op":"subscribe","topic":""})"}) {
    ASSERT_FALSE(c.Write(bad));
    EXPECT_EQ(c.ReadJson()["op"].as_string(), "error") << bad;
  }
  ASSERT_FALSE(c.Write("\x01\x02", /*binary=*/true));
  EXPECT_EQ(c.ReadJson()["op"].as_string(), "error");

  ASSERT_FALSE(c.Write(R"({"op":"unsubscribe","topic":"screen.stats"})"));
  EXPECT_EQ(c.ReadJson()["op"].as_string(), "unsubscribed");
  EXPECT_EQ(ts_->hub.Publish("screen.stats", "3"), 0u);

  ASSERT_FALSE(c.Write(R"({"op":"subscribe","topic":"a"})"));
  EXPECT_EQ(c.ReadJson()["op"].as_string(), "subscribed");
  EXPECT_FALSE(c.Close());
  EXPECT_TRUE(WaitFor([&] { return ts_->metrics.websocket_clients.load() == 0; }));
  EXPECT_EQ(ts_->hub.subscriptions(), 0u);
  EXPECT_EQ(ts_->hub.Publish("a", "4"), 0u);
  // Plain HTTP keeps working next to WebSockets.
  EXPECT_EQ(Fetch(ts_->port(), "GET", "/api/v1/hello").status, 200);
}

TEST_F(WebSocketTest, SlowConsumerIsDroppedWhileOthersKeepReceiving) {
  StartServer(/*ws_queue_limit=*/4);
  WsClient good, slow;
  ASSERT_FALSE(good.Connect(ts_->port(), "/ws"));
  ASSERT_FALSE(slow.Connect(ts_->port(), "/ws", /*rcvbuf=*/4096));
  for (WsClient* c : {&good, &slow}) {
    ASSERT_FALSE(c->Write(R"({"op":"subscribe","topic":"feed"})"));
    ASSERT_EQ(c->ReadJson()["op"].as_string(), "subscribed");
  }
  // The slow client never reads again. Every round publishes one large
  // message, which the good client reads at once.
  const std::string payload = "\"" + std::string(64 << 10, 'x') + "\"";
  int rounds = 0, received = 0, after_drop = 0;
  for (; rounds < 400 && after_drop < 5; ++rounds) {
    ts_->hub.Publish("feed", payload);
    std::string text;
    ASSERT_FALSE(good.Read(&text)) << "round " << rounds;
    ASSERT_EQ(text.size(), payload.size() + 24) << text.substr(0, 40);
    ++received;
    if (ts_->metrics.websocket_dropped.load() > 0) ++after_drop;
  }
  EXPECT_EQ(ts_->metrics.websocket_dropped.load(), 1) << "after " << rounds << " rounds";
  EXPECT_EQ(received, rounds);
  EXPECT_EQ(after_drop, 5);  // the good client kept receiving after the drop
  // The dropped client's connection is closed: it reads what was buffered, then an error.
  beast::error_code ec;
  for (int i = 0; i < 1000 && !ec; ++i) {
    std::string text;
    ec = slow.Read(&text, milliseconds(2000));
  }
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout);
  EXPECT_TRUE(WaitFor([&] { return ts_->metrics.websocket_clients.load() == 1; }));
  EXPECT_TRUE(WaitFor([&] { return ts_->hub.subscriptions() == 1; }));
  EXPECT_EQ(ts_->hub.Publish("feed", "1"), 1u);
  auto msg = good.ReadJson();
  EXPECT_EQ(msg["data"].as_int64(), 1);
}

TEST_F(WebSocketTest, FilterRefusalBlocksTheUpgrade) {
  StartServer();
  // /ws/private needs a permission; without a principal the authorization
  // filter answers 401 and no WebSocket session starts.
  WsClient c;
  beast::error_code ec = c.Connect(ts_->port(), "/ws/private");
  EXPECT_EQ(ec, ws::error::upgrade_declined) << ec.message();
  EXPECT_EQ(c.response().result_int(), 401);
  EXPECT_NE(c.response().body().find("UNAUTHENTICATED"), std::string::npos);
  EXPECT_EQ(ts_->metrics.websocket_clients.load(), 0);
  // Over raw HTTP too.
  RawResponse r = Fetch(ts_->port(), "GET", "/ws/private",
                        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
  EXPECT_EQ(r.status, 401);
  // A WebSocket route without the upgrade headers is a bad request.
  r = Fetch(ts_->port(), "GET", "/ws");
  EXPECT_EQ(r.status, 400);
  // A bogus handshake (missing key) is refused by the WebSocket layer.
  r = Fetch(ts_->port(), "GET", "/ws", "Connection: Upgrade\r\nUpgrade: websocket\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(WaitFor([&] { return ts_->metrics.websocket_clients.load() == 0; }));
  // The public route still upgrades.
  WsClient ok;
  EXPECT_FALSE(ok.Connect(ts_->port(), "/ws"));
}

TEST_F(WebSocketTest, DrainSaysGoodbyeToClients) {
  StartServer();
  WsClient c;
  ASSERT_FALSE(c.Connect(ts_->port(), "/ws"));
  ASSERT_FALSE(c.Write(R"({"op":"subscribe","topic":"t"})"));
  ASSERT_EQ(c.ReadJson()["op"].as_string(), "subscribed");
  auto start = testing::Clock::now();
  std::thread drainer([&] { ts_->server->Drain(); });
  // The client gets a close frame (going away) and a clean close handshake.
  std::string text;
  beast::error_code ec = c.Read(&text, milliseconds(2000));
  drainer.join();
  EXPECT_EQ(ec, ws::error::closed) << ec.message();
  EXPECT_LT(testing::Clock::now() - start, milliseconds(1000));
  EXPECT_EQ(ts_->metrics.websocket_clients.load(), 0);
  EXPECT_EQ(ts_->hub.subscriptions(), 0u);
}

}  // namespace
}  // namespace hrss::http
