#include "modules/sso/jws.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/crypto.h"

namespace hrss::sso {
namespace {

TEST(Jws, SignVerifyRoundTripAndKidIsThumbprint) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto jwt = key->SignJwt(R"({"sub":"u1","aud":"jubao"})");
  ASSERT_TRUE(jwt.ok());
  auto payload = key->VerifyJwt(*jwt);
  ASSERT_TRUE(payload.ok()) << payload.status().ToString();
  EXPECT_EQ(*payload, R"({"sub":"u1","aud":"jubao"})");
  // Header names the algorithm and the key.
  auto header = Base64UrlDecode(jwt->substr(0, jwt->find('.')));
  ASSERT_TRUE(header.ok());
  auto h = boost::json::parse(*header).as_object();
  EXPECT_EQ(h["alg"].as_string(), "ES256");
  EXPECT_EQ(h["kid"].as_string(), key->kid());
  EXPECT_EQ(key->kid().size(), 43u);  // base64url of a SHA-256
  auto jwk = boost::json::parse(key->PublicJwkJson()).as_object();
  EXPECT_EQ(jwk["kty"].as_string(), "EC");
  EXPECT_EQ(jwk["crv"].as_string(), "P-256");
  EXPECT_EQ(jwk["x"].as_string().size(), 43u);
}

TEST(Jws, TamperedTokensAndOtherKeysAreRefused) {
  auto key = SigningKey::Generate();
  auto other = SigningKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  std::string jwt = *key->SignJwt(R"({"sub":"u1"})");
  EXPECT_FALSE(other->VerifyJwt(jwt).ok());
  std::string forged = jwt.substr(0, jwt.find('.') + 1) + Base64UrlEncode(R"({"sub":"admin"})") +
                       jwt.substr(jwt.rfind('.'));
  EXPECT_FALSE(key->VerifyJwt(forged).ok());
  std::string bad_sig = jwt;
  bad_sig[bad_sig.size() - 5] = bad_sig[bad_sig.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(key->VerifyJwt(bad_sig).ok());
  EXPECT_FALSE(key->VerifyJwt("not.a.jwt").ok());
  EXPECT_FALSE(key->VerifyJwt("").ok());
}

TEST(Jws, PrivatePemRoundTripKeepsTheKey) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  auto again = SigningKey::FromPrivatePem(key->PrivatePem());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->kid(), key->kid());
  EXPECT_TRUE(again->VerifyJwt(*key->SignJwt("{}")).ok());
  EXPECT_EQ(SigningKey::FromPrivatePem("garbage").status().code(), Code::kDataLoss);
}

TEST(Jws, PkceS256) {
  // Computed independently: base64url(sha256(verifier)) with Python's hashlib.
  const std::string verifier = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag";
  EXPECT_TRUE(PkceS256Matches(verifier, "qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es"));
  EXPECT_FALSE(PkceS256Matches(verifier, "qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_eX"));
  EXPECT_FALSE(PkceS256Matches("short", "qjrzSW9gMiUgpUvqgEPE4_-8swvyCtfOVvg55o5S_es"));
}

}  // namespace
}  // namespace hrss::sso
