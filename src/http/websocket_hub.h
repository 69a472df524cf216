// WebSocket hub: clients subscribe to topics; modules publish to a topic and
// every subscribed client gets the message. Each client has a bounded send
// queue; a client that cannot keep up is disconnected (and counted), so one
// slow screen never holds memory for everyone.
//
// Client protocol (text frames, JSON):
//   -> {"op":"subscribe","topic":"screen.stats"}   <- {"op":"subscribed","topic":"..."}
//   -> {"op":"unsubscribe","topic":"..."}           <- {"op":"unsubscribed","topic":"..."}
//   -> {"op":"ping"}                                <- {"op":"pong"}
//   <- {"topic":"screen.stats","data":<published JSON>}
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/message.h"

namespace hrss::http {

class WebSocketHub {
 public:
  // A connected client, implemented by the server.
  class Client {
   public:
    virtual ~Client() = default;
    // Queues a text frame; never blocks.
    virtual void Send(std::shared_ptr<const std::string> text) = 0;
    virtual const Principal* principal() const = 0;
  };

  // Decides whether a client may subscribe to a topic. Default: allow.
  using TopicAuthorizer = std::function<bool(const Principal* who, std::string_view topic)>;
  void SetTopicAuthorizer(TopicAuthorizer authorizer);
  // Adds an authorizer for the topics starting with `prefix` (e.g.
  // "screen."), so that several modules can guard their own topics: a
  // subscription needs the authorizer set above (if any) and every prefix
  // authorizer whose prefix the topic starts with to allow it.
  void AddTopicAuthorizer(std::string prefix, TopicAuthorizer authorizer);

  // Sends `json_data` (serialized JSON) to every subscriber of `topic`.
  // Returns the number of clients it was queued for.
  size_t Publish(std::string_view topic, std::string_view json_data);

  // Handles one message from a client; returns the reply to send (may be empty).
  std::string OnClientMessage(const std::shared_ptr<Client>& client, std::string_view text);
  // Forgets every subscription of `client`.
  void Remove(const Client* client);

  size_t subscriptions() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::set<std::weak_ptr<Client>, std::owner_less<>>> topics_;
  TopicAuthorizer authorizer_;
  std::vector<std::pair<std::string, TopicAuthorizer>> prefix_authorizers_;
};

}  // namespace hrss::http
