#include "http/proxy.h"

#include <gtest/gtest.h>

namespace hrss::http {
namespace {

TEST(ProxyTrust, HeaderIgnoredFromUntrustedPeers) {
  ProxyTrust none;
  EXPECT_EQ(none.ClientAddress("203.0.113.9", "1.2.3.4"), "203.0.113.9");
  ProxyTrust trust("127.0.0.1");
  EXPECT_EQ(trust.ClientAddress("203.0.113.9", "1.2.3.4"), "203.0.113.9");
}

TEST(ProxyTrust, RightMostUntrustedHopIsTheClient) {
  ProxyTrust trust("127.0.0.1, 10.1.2.0/24");
  EXPECT_TRUE(trust.Valid());
  // nginx on loopback, another proxy of ours in 10.1.2.0/24, the client in front.
  EXPECT_EQ(trust.ClientAddress("127.0.0.1", "198.51.100.7, 10.1.2.3"), "198.51.100.7");
  // A client forging an extra left-most entry does not get to choose.
  EXPECT_EQ(trust.ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7"), "198.51.100.7");
  // Garbage stops the walk at the last good hop.
  EXPECT_EQ(trust.ClientAddress("127.0.0.1", "<script>, 10.1.2.9"), "10.1.2.9");
  EXPECT_EQ(trust.ClientAddress("127.0.0.1", "not-an-ip"), "127.0.0.1");
  EXPECT_EQ(trust.ClientAddress("127.0.0.1", ""), "127.0.0.1");
}

TEST(ProxyTrust, CidrAndIpv6AndMappedAddresses) {
  ProxyTrust trust("10.0.0.0/8, ::1, 192.168.1.128/25");
  EXPECT_TRUE(trust.Trusted("10.200.3.4"));
  EXPECT_FALSE(trust.Trusted("11.0.0.1"));
  EXPECT_TRUE(trust.Trusted("::1"));
  EXPECT_TRUE(trust.Trusted("::ffff:10.1.1.1"));
  EXPECT_TRUE(trust.Trusted("192.168.1.200"));
  EXPECT_FALSE(trust.Trusted("192.168.1.100"));
  EXPECT_FALSE(trust.Trusted("garbage"));
  EXPECT_FALSE(ProxyTrust("10.0.0.0/33").Valid());
  EXPECT_FALSE(ProxyTrust("nginx.local").Valid());
}

}  // namespace
}  // namespace hrss::http
