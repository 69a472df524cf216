#include "core/crypto.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hrss {
namespace {

std::string Unhex(std::string_view hex) {
  Result<std::string> r = HexDecode(hex);
  EXPECT_TRUE(r.ok()) << hex;
  return r.ok() ? *r : std::string();
}

TEST(Sm3Test, PublishedVectors) {
  // GB/T 32905-2016 appendix A.
  EXPECT_EQ(Sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd16;
  for (int i = 0; i < 16; ++i) abcd16 += "abcd";
  EXPECT_EQ(Sm3Hex(abcd16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  const auto raw = Sm3("abc");
  EXPECT_EQ(raw[0], 0x66);
  EXPECT_EQ(raw[31], 0xe0);
  EXPECT_EQ(Sm3Hex("").size(), 64u);
}

TEST(HmacSm3Test, ShapeAndKeyDependence) {
  const std::string mac = HmacSm3("key", "message");
  EXPECT_EQ(mac.size(), 32u);
  EXPECT_EQ(HmacSm3Hex("key", "message"), HexEncode(mac));
  EXPECT_EQ(HmacSm3("key", "message"), mac);  // deterministic
  EXPECT_NE(HmacSm3("key2", "message"), mac);
  EXPECT_NE(HmacSm3("key", "message2"), mac);
  EXPECT_EQ(HmacSm3("", "message").size(), 32u);
  EXPECT_NE(HmacSm3("", "message"), HmacSm3("k", "message"));
}

TEST(HmacSm3Test, MatchesTheHmacConstruction) {
  // HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with a 64-byte block.
  const std::string key = "0123456789abcdef";
  const std::string msg = "audit record #1";
  std::string ipad(64, '\x36');
  std::string opad(64, '\x5c');
  for (size_t i = 0; i < key.size(); ++i) {
    ipad[i] = static_cast<char>(ipad[i] ^ key[i]);
    opad[i] = static_cast<char>(opad[i] ^ key[i]);
  }
  const auto inner = Sm3(ipad + msg);
  const auto outer = Sm3(opad + std::string(reinterpret_cast<const char*>(inner.data()), 32));
  EXPECT_EQ(HmacSm3(key, msg), std::string(reinterpret_cast<const char*>(outer.data()), 32));
}

TEST(Sm4Test, BlockVector) {
  // GB/T 32907-2016 appendix A.1.
  const std::string key = Unhex("0123456789abcdeffedcba9876543210");
  Result<std::string> ct = Sm4EncryptBlock(key, key);
  ASSERT_TRUE(ct.ok()) << ct.status().ToString();
  EXPECT_EQ(HexEncode(*ct), "681edf34d206965e86b3e94f536e4246");
  Result<std::string> pt = Sm4DecryptBlock(key, *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, key);
  EXPECT_EQ(Sm4EncryptBlock("short", key).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Sm4EncryptBlock(key, "short").status().code(), Code::kInvalidArgument);
}

TEST(Sm4AeadTest, RoundTrip) {
  const std::string key = RandomBytes(16);
  for (const std::string& pt : {std::string(), std::string("x"), std::string(15, 'a'),
                                std::string(16, 'b'), std::string("511724199001010018"),
                                std::string("张三 四川省达州市大竹县"), RandomBytes(1000)}) {
    Result<std::string> sealed = Sm4AeadEncrypt(key, pt, "person:42:id_number");
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_GE(sealed->size(), kSm4AeadOverhead + pt.size() + 1);
    if (pt.size() >= 8) {
      EXPECT_EQ(sealed->find(pt), std::string::npos);
    }
    Result<std::string> back = Sm4AeadDecrypt(key, *sealed, "person:42:id_number");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, pt);
  }
}

TEST(Sm4AeadTest, FreshIvEachTime) {
  const std::string key(16, 'k');
  EXPECT_NE(*Sm4AeadEncrypt(key, "same", ""), *Sm4AeadEncrypt(key, "same", ""));
}

TEST(Sm4AeadTest, DetectsTampering) {
  const std::string key = RandomBytes(16);
  Result<std::string> sealed = Sm4AeadEncrypt(key, "secret payload, two blocks long", "aad");
  ASSERT_TRUE(sealed.ok());
  // Flip one bit anywhere: version, IV, ciphertext or tag.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string bad = *sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    Result<std::string> r = Sm4AeadDecrypt(key, bad, "aad");
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), Code::kDataLoss);
  }
  // Truncated, extended, empty.
  EXPECT_EQ(Sm4AeadDecrypt(key, sealed->substr(0, sealed->size() - 1), "aad").status().code(),
            Code::kDataLoss);
  EXPECT_EQ(Sm4AeadDecrypt(key, *sealed + std::string(16, '\0'), "aad").status().code(),
            Code::kDataLoss);
  EXPECT_EQ(Sm4AeadDecrypt(key, "", "aad").status().code(), Code::kDataLoss);
  // Wrong aad or wrong key.
  EXPECT_EQ(Sm4AeadDecrypt(key, *sealed, "aae").status().code(), Code::kDataLoss);
  EXPECT_EQ(Sm4AeadDecrypt(key, *sealed, "").status().code(), Code::kDataLoss);
  EXPECT_EQ(Sm4AeadDecrypt(RandomBytes(16), *sealed, "aad").status().code(), Code::kDataLoss);
  // Bad key length.
  EXPECT_EQ(Sm4AeadDecrypt("short", *sealed, "aad").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Sm4AeadEncrypt(std::string(32, 'k'), "x", "").status().code(), Code::kInvalidArgument);
  // Still fine untouched.
  EXPECT_TRUE(Sm4AeadDecrypt(key, *sealed, "aad").ok());
}

// One sealer, many values from several threads: every value opens with
// Sm4AeadDecrypt, and its tag is the documented HMAC-SM3 over
// version || be64(len(aad)) || aad || iv || ct under the derived MAC key.
TEST(Sm4AeadTest, SealerMatchesTheFormatAcrossThreads) {
  const std::string key = RandomBytes(16);
  const Sm4AeadSealer sealer(key);
  const std::string mac_key = HmacSm3(key, "hrss/v1/hmac-sm3-mac");
  std::vector<std::string> failures;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string pt = std::string(static_cast<size_t>(i % 40), 'a' + t) + "138" +
                               std::to_string(i);
        const std::string aad = "dc_person:" + std::to_string(t) + ":" + std::to_string(i);
        Result<std::string> sealed = sealer.Seal(pt, aad);
        std::string why;
        if (!sealed.ok()) {
          why = sealed.status().ToString();
        } else {
          Result<std::string> back = Sm4AeadDecrypt(key, *sealed, aad);
          std::string msg(1, '\x01');
          for (int shift = 56; shift >= 0; shift -= 8) {
            msg.push_back(static_cast<char>(static_cast<uint64_t>(aad.size()) >> shift));
          }
          msg += aad;
          msg += sealed->substr(1, sealed->size() - 1 - kSm3Size);
          if (!back.ok() || *back != pt) why = "does not open";
          else if (sealed->substr(sealed->size() - kSm3Size) != HmacSm3(mac_key, msg)) why = "tag";
        }
        if (!why.empty()) {
          std::lock_guard<std::mutex> lock(mu);
          failures.push_back(why);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures[0];
  EXPECT_EQ(Sm4AeadSealer("short").Seal("x", "").status().code(), Code::kInvalidArgument);
}

TEST(Sm4AeadTest, AadLengthIsBound) {
  // ("ab", ct) must not verify as ("a", ...) shifted: aad length is in the MAC.
  const std::string key(16, 'k');
  Result<std::string> sealed = Sm4AeadEncrypt(key, "x", "ab");
  ASSERT_TRUE(sealed.ok());
  EXPECT_FALSE(Sm4AeadDecrypt(key, *sealed, "a").ok());
  EXPECT_FALSE(Sm4AeadDecrypt(key, *sealed, "abc").ok());
}

TEST(RandomBytesTest, LengthAndVariety) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(HexTest, EncodeDecode) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(*HexDecode(""), "");
  EXPECT_EQ(HexDecode("abc").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(HexDecode("zz").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(HexDecode("0g").status().code(), Code::kInvalidArgument);
  const std::string r = RandomBytes(100);
  EXPECT_EQ(*HexDecode(HexEncode(r)), r);
}

TEST(ConstantTimeEqualsTest, Basics) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(Base64UrlTest, Rfc4648Vectors) {
  // RFC 4648 §10, without padding.
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  // The url-safe alphabet.
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  for (const char* s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    Result<std::string> d = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(*Base64UrlDecode("-_-_"), "\xfb\xff\xbf");
  const std::string r = RandomBytes(257);
  EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(r)), r);
}

TEST(Base64UrlTest, StrictDecoding) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());    // padding
  EXPECT_FALSE(Base64UrlDecode("Zm9v+g").ok());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9v/g").ok());
  EXPECT_FALSE(Base64UrlDecode("Z").ok());   // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());  // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("Zm9 v").ok());
  EXPECT_EQ(Base64UrlDecode("Zg=").status().code(), Code::kInvalidArgument);
}

TEST(SecureWipeTest, Clears) {
  std::string s = "password";
  SecureWipe(&s);
  EXPECT_TRUE(s.empty());
  std::string e;
  SecureWipe(&e);
  EXPECT_TRUE(e.empty());
}

}  // namespace
}  // namespace hrss
