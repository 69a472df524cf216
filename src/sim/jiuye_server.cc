#include "sim/jiuye_server.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/config.h"
#include "http/filter.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/websocket_hub.h"
#include "sim/random.h"

namespace hrss::sim {
namespace {

struct Item {
  int64_t updated_at = 0;
  std::string id;
  std::string json;
};

struct Feed {
  std::vector<Item> items;  // sorted by (updated_at, id)
};

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<Feed> LoadFeed(const std::string& dir, const std::string& kind, int max_day) {
  std::map<std::string, Item> latest;
  for (int d = 1; max_day == 0 || d <= max_day; ++d) {
    char name[64];
    std::snprintf(name, sizeof name, "/jiuye/jiuye.jsonl.d/%s_d%02d.jsonl", kind.c_str(), d);
    std::ifstream in(dir + name, std::ios::binary);
    if (!in) {
      if (d == 1) return Status::NotFound("no 就业 data: " + dir + name);
      break;
    }
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(line, ec);
      if (ec || !v.is_object()) return Status::DataLoss(std::string(name) + ": bad JSON at line " + std::to_string(line_no));
      const auto& o = v.as_object();
      const auto* id = o.if_contains("id");
      const auto* at = o.if_contains("updated_at");
      if (!id || !id->is_string() || !at || !at->is_int64()) {
        return Status::DataLoss(std::string(name) + ": item without id/updated_at at line " + std::to_string(line_no));
      }
      Item item{at->as_int64(), std::string(id->as_string()), line};
      auto it = latest.find(item.id);
      if (it == latest.end()) {
        latest.emplace(item.id, std::move(item));
      } else if (item.updated_at >= it->second.updated_at) {
        it->second = std::move(item);
      }
    }
  }
  Feed feed;
  feed.items.reserve(latest.size());
  for (auto& [id, item] : latest) feed.items.push_back(std::move(item));
  std::sort(feed.items.begin(), feed.items.end(), [](const Item& a, const Item& b) {
    return a.updated_at != b.updated_at ? a.updated_at < b.updated_at : a.id < b.id;
  });
  return feed;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = s[0] == '-' ? -v : v;
  return true;
}

}  // namespace

struct JiuyeServer::Impl {
  JiuyeServeOptions options;
  std::string api_key;
  std::map<std::string, Feed> feeds;
  std::mutex fail_mu;
  Rng fail_rng{0x6A697579ULL};
  http::Router router;
  http::FilterChain chain = http::MakeDefaultChain("");
  http::WebSocketHub hub;
  http::Metrics metrics;
  ServerConfig config;
  std::unique_ptr<http::Server> server;

  http::Response Handle(http::Request& req) {
    if (options.fail_rate > 0) {
      std::lock_guard<std::mutex> lock(fail_mu);
      if (fail_rng.Chance(options.fail_rate)) {
        return http::Response::Error(Status::Unavailable("simulated outage"), req.request_id);
      }
    }
    if (req.Header("x-api-key") != api_key) {
      return http::Response::Error(Status::Unauthenticated("missing or wrong X-Api-Key"), req.request_id);
    }
    auto feed = feeds.find(std::string(req.PathParam("kind")));
    if (feed == feeds.end()) return http::Response::Error(Status::NotFound("no such feed"), req.request_id);
    int64_t since = 0, limit = 100;
    std::string after = req.QueryParam("after_id").value_or("");
    if (auto s = req.QueryParam("updated_since"); s && !s->empty() && !ParseInt(*s, &since)) {
      return http::Response::Error(Status::InvalidArgument("updated_since must be epoch milliseconds"), req.request_id);
    }
    if (auto s = req.QueryParam("limit"); s && !s->empty() && (!ParseInt(*s, &limit) || limit < 1 || limit > 1000)) {
      return http::Response::Error(Status::InvalidArgument("limit must be 1..1000"), req.request_id);
    }
    const auto& items = feed->second.items;
    auto it = std::upper_bound(items.begin(), items.end(), std::make_pair(since, after),
                               [](const std::pair<int64_t, std::string>& key, const Item& item) {
                                 return key.first != item.updated_at ? key.first < item.updated_at : key.second < item.id;
                               });
    std::string body = "{\"items\":[";
    int64_t n = 0;
    const Item* last = nullptr;
    for (; it != items.end() && n < limit; ++it, ++n) {
      if (n) body += ',';
      body += it->json;
      last = &*it;
    }
    body += "],\"next\":";
    if (it != items.end() && last) {
      boost::json::string s(last->id);
      body += "{\"updated_since\":" + std::to_string(last->updated_at) + ",\"after_id\":" + boost::json::serialize(s) + "}";
    } else {
      body += "null";
    }
    body += '}';
    return http::Response::JsonText(200, std::move(body));
  }
};

JiuyeServer::JiuyeServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JiuyeServer::~JiuyeServer() { Stop(); }

Result<std::unique_ptr<JiuyeServer>> JiuyeServer::Start(const JiuyeServeOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  HRSS_ASSIGN_OR_RETURN(std::string manifest, ReadAll(options.dir + "/manifest.json"));
  boost::system::error_code ec;
  boost::json::value m = boost::json::parse(manifest, ec);
  const boost::json::value* key = nullptr;
  if (!ec && m.is_object()) {
    if (const auto* j = m.as_object().if_contains("jiuye"); j && j->is_object()) key = j->as_object().if_contains("api_key");
  }
  if (!key || !key->is_string()) return Status::DataLoss(options.dir + "/manifest.json has no jiuye.api_key");
  impl->api_key = std::string(key->as_string());
  for (const char* kind : {"persons", "units", "events"}) {
    HRSS_ASSIGN_OR_RETURN(Feed feed, LoadFeed(options.dir, kind, options.day));
    impl->feeds.emplace(kind, std::move(feed));
  }
  Impl* p = impl.get();
  http::Route route;
  route.method = http::Method::kGet;
  route.pattern = "/api/v1/{kind}";
  route.is_public = true;  // the API key is checked by the handler
  route.execution = http::Execution::kInline;
  route.summary = "就业 feed (simulated)";
  route.handler = [p](http::Request& req) { return p->Handle(req); };
  HRSS_RETURN_IF_ERROR(impl->router.Add(std::move(route)));
  impl->metrics.Init({"GET /api/v1/{kind}"});
  impl->config.host = options.host;
  impl->config.port = options.port;
  impl->config.io_threads = 2;
  impl->config.worker_threads = 2;
  impl->config.drain_timeout_ms = 5000;
  impl->server = std::make_unique<http::Server>(impl->config, impl->router, impl->chain, impl->hub, impl->metrics);
  HRSS_RETURN_IF_ERROR(impl->server->Start());
  return std::unique_ptr<JiuyeServer>(new JiuyeServer(std::move(impl)));
}

int JiuyeServer::port() const { return impl_->server->port(); }
const std::string& JiuyeServer::api_key() const { return impl_->api_key; }
int64_t JiuyeServer::items(const std::string& kind) const {
  auto it = impl_->feeds.find(kind);
  return it == impl_->feeds.end() ? -1 : static_cast<int64_t>(it->second.items.size());
}
void JiuyeServer::Stop() {
  if (impl_ && impl_->server) impl_->server->Drain();
}

int RunJiuyeServe(const JiuyeServeOptions& options) {
  http::BlockTerminationSignals();
  auto server = JiuyeServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "hrss simulate serve: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "hrss simulate serve: 就业 API on http://%s:%d/api/v1/{persons|units|events} (%lld persons, %lld units, %lld events)\n",
               options.host.c_str(), (*server)->port(), static_cast<long long>((*server)->items("persons")),
               static_cast<long long>((*server)->items("units")), static_cast<long long>((*server)->items("events")));
  int sig = http::WaitForTerminationSignal();
  std::fprintf(stderr, "hrss simulate serve: signal %d, stopping\n", sig);
  (*server)->Stop();
  return 0;
}

}  // namespace hrss::sim
