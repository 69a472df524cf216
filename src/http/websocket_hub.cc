#include "http/websocket_hub.h"

#include <boost/json.hpp>
#include <vector>

namespace hrss::http {

void WebSocketHub::SetTopicAuthorizer(TopicAuthorizer authorizer) {
  std::lock_guard lock(mu_);
  authorizer_ = std::move(authorizer);
}

void WebSocketHub::AddTopicAuthorizer(std::string prefix, TopicAuthorizer authorizer) {
  std::lock_guard lock(mu_);
  prefix_authorizers_.emplace_back(std::move(prefix), std::move(authorizer));
}

size_t WebSocketHub::Publish(std::string_view topic, std::string_view json_data) {
  std::string frame = "{\"topic\":" + boost::json::serialize(boost::json::string(topic)) +
                      ",\"data\":" + std::string(json_data) + "}";
  auto shared = std::make_shared<const std::string>(std::move(frame));
  std::vector<std::shared_ptr<Client>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(std::string(topic));
    if (it == topics_.end()) return 0;
    for (auto w = it->second.begin(); w != it->second.end();) {
      if (auto c = w->lock()) {
        targets.push_back(std::move(c));
        ++w;
      } else {
        w = it->second.erase(w);
      }
    }
  }
  for (auto& c : targets) c->Send(shared);
  return targets.size();
}

std::string WebSocketHub::OnClientMessage(const std::shared_ptr<Client>& client,
                                          std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options opt;
  opt.max_depth = 4;
  boost::json::value v = boost::json::parse(text, ec, {}, opt);
  auto error = [](std::string_view message) {
    boost::json::object o;
    o["op"] = "error";
    o["message"] = message;
    return boost::json::serialize(o);
  };
  if (ec || !v.is_object()) return error("消息须为 JSON 对象");
  const auto& o = v.as_object();
  const auto* op = o.if_contains("op");
  if (!op || !op->is_string()) return error("缺少 op");
  std::string_view name = op->as_string();
  if (name == "ping") return R"({"op":"pong"})";
  const auto* topic_v = o.if_contains("topic");
  if (!topic_v || !topic_v->is_string() || topic_v->as_string().empty() ||
      topic_v->as_string().size() > 128) {
    return error("缺少或非法的 topic");
  }
  std::string topic(topic_v->as_string());
  boost::json::object reply;
  reply["topic"] = topic;
  if (name == "subscribe") {
    std::lock_guard lock(mu_);
    if (authorizer_ && !authorizer_(client->principal(), topic)) return error("无权订阅该主题");
    for (const auto& [prefix, allow] : prefix_authorizers_) {
      if (topic.rfind(prefix, 0) == 0 && !allow(client->principal(), topic)) {
        return error("无权订阅该主题");
      }
    }
    if (topics_.size() > 10000 && !topics_.count(topic)) return error("主题过多");
    topics_[topic].insert(client);
    reply["op"] = "subscribed";
  } else if (name == "unsubscribe") {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it != topics_.end()) it->second.erase(client);
    reply["op"] = "unsubscribed";
  } else {
    return error("未知的 op");
  }
  return boost::json::serialize(reply);
}

void WebSocketHub::Remove(const Client* client) {
  std::lock_guard lock(mu_);
  for (auto it = topics_.begin(); it != topics_.end();) {
    for (auto w = it->second.begin(); w != it->second.end();) {
      auto c = w->lock();
      if (!c || c.get() == client) {
        w = it->second.erase(w);
      } else {
        ++w;
      }
    }
    it = it->second.empty() ? topics_.erase(it) : std::next(it);
  }
}

size_t WebSocketHub::subscriptions() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [t, s] : topics_) n += s.size();
  return n;
}

}  // namespace hrss::http
