#include "http/proxy.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cstring>

#include "core/text.h"

namespace hrss::http {
namespace {

bool Parse(std::string_view text, bool* v4, unsigned char out[16]) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  std::memset(out, 0, 16);
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    std::memcpy(out, b.data(), 4);
    *v4 = true;
  } else {
    auto b = a.to_v6().to_bytes();
    std::memcpy(out, b.data(), 16);
    *v4 = false;
  }
  return true;
}

}  // namespace

ProxyTrust::ProxyTrust(std::string_view list) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = TrimAscii(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.empty()) continue;
    Block b;
    std::string_view addr = item;
    size_t slash = item.find('/');
    if (slash != std::string_view::npos) addr = item.substr(0, slash);
    if (!Parse(addr, &b.v4, b.bytes)) {
      valid_ = false;
      continue;
    }
    b.prefix = b.v4 ? 32 : 128;
    if (slash != std::string_view::npos) {
      std::string_view p = item.substr(slash + 1);
      int prefix = -1;
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
      if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > b.prefix) {
        valid_ = false;
        continue;
      }
      b.prefix = prefix;
    }
    blocks_.push_back(b);
  }
}

bool ProxyTrust::Trusted(std::string_view ip) const {
  if (blocks_.empty()) return false;
  bool v4 = false;
  unsigned char bytes[16];
  if (!Parse(TrimAscii(ip), &v4, bytes)) return false;
  for (const Block& b : blocks_) {
    if (b.v4 != v4) continue;
    int full = b.prefix / 8, rest = b.prefix % 8;
    if (std::memcmp(b.bytes, bytes, static_cast<size_t>(full)) != 0) continue;
    if (rest != 0) {
      unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
      if ((b.bytes[full] & mask) != (bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string ProxyTrust::ClientAddress(std::string_view peer, std::string_view forwarded) const {
  if (forwarded.empty() || !Trusted(peer)) return std::string(peer);
  // Right to left: the first hop that is not one of our proxies is the client.
  std::string client(peer);
  while (!forwarded.empty()) {
    size_t comma = forwarded.rfind(',');
    std::string_view hop =
        TrimAscii(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
    forwarded = comma == std::string_view::npos ? std::string_view{} : forwarded.substr(0, comma);
    bool v4 = false;
    unsigned char bytes[16];
    if (!Parse(hop, &v4, bytes)) break;  // garbage: stop at the last good hop
    client = std::string(hop);
    if (!Trusted(hop)) break;
  }
  return client;
}

}  // namespace hrss::http
