// Which reverse proxies (nginx in front of hrss) may tell us the client's
// address. Behind a trusted proxy the client is the right-most address of
// X-Forwarded-For that is not itself a trusted proxy; from anyone else the
// header is ignored (it is trivially forged), so rate limits, lockouts and
// audit records always see an address that cannot be spoofed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hrss::http {

class ProxyTrust {
 public:
  // `list`: comma-separated IPv4/IPv6 addresses or IPv4 CIDR blocks, e.g.
  // "127.0.0.1, 10.1.2.0/24, ::1". Malformed entries are ignored (and
  // reported by Valid()).
  explicit ProxyTrust(std::string_view list = {});

  // False when `list` had an entry that is not an address or IPv4 block.
  bool Valid() const { return valid_; }
  bool Trusted(std::string_view ip) const;

  // The client address for a connection from `peer` carrying the given
  // X-Forwarded-For header value (may be empty).
  std::string ClientAddress(std::string_view peer, std::string_view forwarded_for) const;

 private:
  struct Block {
    bool v4 = true;
    unsigned char bytes[16] = {};
    int prefix = 32;
  };
  std::vector<Block> blocks_;
  bool valid_ = true;
};

}  // namespace hrss::http
