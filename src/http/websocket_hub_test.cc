// The hub's topic authorizers, without a network: the module-wide authorizer
// and the per-prefix ones (each module guards its own topics) must all allow
// a subscription; a refused one gets a Chinese error and subscribes nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "http/principal.h"
#include "http/websocket_hub.h"

namespace hrss::http {
namespace {

class Holder final : public Principal {
 public:
  explicit Holder(std::set<std::string> keys) : keys_(std::move(keys)) {}
  std::string_view user_id() const override { return "u1"; }
  bool HasPermission(std::string_view key) const override { return keys_.count(std::string(key)) > 0; }

 private:
  std::set<std::string> keys_;
};

class FakeClient final : public WebSocketHub::Client {
 public:
  explicit FakeClient(const Principal* who) : who_(who) {}
  void Send(std::shared_ptr<const std::string> text) override { sent.push_back(*text); }
  const Principal* principal() const override { return who_; }
  std::vector<std::string> sent;

 private:
  const Principal* who_;
};

std::string Op(const std::string& reply) {
  return std::string(boost::json::parse(reply).as_object().at("op").as_string());
}

std::string Subscribe(WebSocketHub& hub, const std::shared_ptr<FakeClient>& c, std::string_view topic) {
  return Op(hub.OnClientMessage(c, R"({"op":"subscribe","topic":")" + std::string(topic) + R"("})"));
}

TEST(WebSocketHubAuth, EveryMatchingAuthorizerMustAllow) {
  WebSocketHub hub;
  // Module-wide: anonymous clients may subscribe to nothing.
  hub.SetTopicAuthorizer([](const Principal* who, std::string_view) { return who != nullptr; });
  hub.AddTopicAuthorizer("screen.", [](const Principal* who, std::string_view) {
    return who->HasPermission("screen:view");
  });
  hub.AddTopicAuthorizer("analytics.", [](const Principal* who, std::string_view) {
    return who->HasPermission("analytics:query");
  });

  Holder leader({"screen:view", "analytics:query"});
  Holder clerk({"analytics:query"});
  auto l = std::make_shared<FakeClient>(&leader);
  auto c = std::make_shared<FakeClient>(&clerk);
  auto anon = std::make_shared<FakeClient>(nullptr);

  EXPECT_EQ(Subscribe(hub, l, "screen.update"), "subscribed");
  EXPECT_EQ(Subscribe(hub, l, "analytics.refresh"), "subscribed");
  EXPECT_EQ(Subscribe(hub, c, "analytics.refresh"), "subscribed");
  std::string refused = hub.OnClientMessage(c, R"({"op":"subscribe","topic":"screen.update"})");
  EXPECT_EQ(Op(refused), "error");
  EXPECT_NE(refused.find("无权订阅"), std::string::npos) << refused;
  EXPECT_EQ(Subscribe(hub, anon, "analytics.refresh"), "error");
  // A topic no prefix names needs only the module-wide authorizer.
  EXPECT_EQ(Subscribe(hub, c, "datacenter.batch"), "subscribed");
  EXPECT_EQ(Subscribe(hub, anon, "datacenter.batch"), "error");

  // Only the allowed subscriptions receive.
  EXPECT_EQ(hub.Publish("screen.update", R"({"items":[]})"), 1u);
  EXPECT_EQ(hub.Publish("analytics.refresh", R"({"cube":"contribution"})"), 2u);
  ASSERT_EQ(l->sent.size(), 2u);
  EXPECT_EQ(c->sent.size(), 1u);
  EXPECT_TRUE(anon->sent.empty());
}

}  // namespace
}  // namespace hrss::http
