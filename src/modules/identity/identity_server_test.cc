// The identity module over a real HTTP server (Beast, sockets, cookies), and
// certificate sign-in with SM2 and P-256 keys generated in the test.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "http/test_client.h"
#include "modules/identity/certs.h"
#include "modules/identity/identity_test_util.h"

namespace hrss::identity::testing {
namespace {

namespace json = boost::json;

class IdentityServer : public IdentityApiTest {};

std::string CookieValue(const http::testing::RawResponse& r, const std::string& name) {
  auto [b, e] = r.headers.equal_range("set-cookie");
  for (auto it = b; it != e; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) {
      return it->second.substr(name.size() + 1, it->second.find(';') - name.size() - 1);
    }
  }
  return {};
}

TEST_P(IdentityServer, CookieSessionOverRealSockets) {
  ServerConfig sc = http::testing::TestConfig();
  http::Server server(sc, platform_->router(), platform_->filters(), platform_->hub(),
                      platform_->metrics());
  ASSERT_TRUE(server.Start().ok());
  int port = server.port();
  std::string body =
      json::serialize(json::object{{"username", "clerk_zhuyang"}, {"password", kDemoPassword}});
  auto login = http::testing::Fetch(port, "POST", "/api/v1/auth/login",
                                    "Content-Type: application/json\r\n", body);
  ASSERT_EQ(login.status, 200) << login.body;
  std::string session = CookieValue(login, "hrss_session");
  std::string csrf = CookieValue(login, "hrss_csrf");
  ASSERT_EQ(session.size(), 43u);
  ASSERT_FALSE(csrf.empty());
  std::string cookie = "Cookie: hrss_session=" + session + "; hrss_csrf=" + csrf + "\r\n";
  auto me = http::testing::Fetch(port, "GET", "/api/v1/me", cookie);
  EXPECT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("clerk_zhuyang"), std::string::npos);
  EXPECT_EQ(me.Header("cache-control"), "no-store");
  auto roles = http::testing::Fetch(port, "GET", "/api/v1/roles", cookie);
  EXPECT_EQ(roles.status, 403);
  auto no_csrf = http::testing::Fetch(port, "POST", "/api/v1/auth/logout", cookie);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_NE(no_csrf.body.find("CSRF_INVALID"), std::string::npos);
  auto out = http::testing::Fetch(port, "POST", "/api/v1/auth/logout",
                                  cookie + "X-CSRF-Token: " + csrf + "\r\n");
  EXPECT_EQ(out.status, 204);
  auto after = http::testing::Fetch(port, "GET", "/api/v1/me", cookie);
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.body.find("SESSION_EXPIRED"), std::string::npos);
  // Bearer tokens work for API clients.
  auto login2 = http::testing::Fetch(port, "POST", "/api/v1/auth/login",
                                     "Content-Type: application/json\r\n", body);
  std::string token = CookieValue(login2, "hrss_session");
  auto bearer =
      http::testing::Fetch(port, "GET", "/api/v1/me", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(bearer.status, 200);
  server.Drain();
}

std::string PublicPem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string Sign(EVP_PKEY* k, bool sm2, const std::string& msg) {
  EVP_MD_CTX* m = EVP_MD_CTX_new();
  EVP_PKEY_CTX* p = nullptr;
  if (sm2) {
    p = EVP_PKEY_CTX_new_from_pkey(nullptr, k, nullptr);
    EVP_PKEY_CTX_set1_id(p, kSm2DefaultId, 16);
    EVP_MD_CTX_set_pkey_ctx(m, p);
  }
  EVP_DigestSignInit(m, nullptr, sm2 ? EVP_sm3() : EVP_sha256(), nullptr, k);
  size_t len = 0;
  EVP_DigestSign(m, nullptr, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  std::string sig(len, '\0');
  EVP_DigestSign(m, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  sig.resize(len);
  EVP_MD_CTX_free(m);
  EVP_PKEY_CTX_free(p);
  return sig;
}

TEST_P(IdentityServer, CertificateSecondFactorWithSm2AndP256) {
  for (bool sm2 : {true, false}) {
    SCOPED_TRACE(sm2 ? "SM2" : "P-256");
    EVP_PKEY* key = sm2 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2")
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_NE(key, nullptr);
    std::string user = sm2 ? "inspector" : "leader";
    Client c = Login(user);
    Reply reg = Post(c, "/api/v1/me/certificates",
                     json::object{{"name", "UKey"}, {"publicKeyPem", PublicPem(key)}});
    ASSERT_EQ(reg.status, 201) << reg.body;
    EXPECT_EQ(reg.obj().at("algorithm").as_string(), sm2 ? "SM2" : "EC-P256");
    // With a key registered, the password alone is not enough.
    EXPECT_EQ(LoginRaw(user, kDemoPassword).code(), "TOTP_REQUIRED");
    Client anon;
    auto challenge = [&](const std::string& who) {
      Reply ch = Call(&anon, http::Method::kPost, "/api/v1/auth/cert/challenge",
                      json::serialize(json::object{{"username", who}}));
      EXPECT_EQ(ch.status, 200) << ch.body;
      return std::pair{std::string(ch.obj().at("challengeId").as_string()),
                       *Base64DecodeAny(std::string(ch.obj().at("challenge").as_string()))};
    };
    auto login = [&](const std::string& cid, const std::string& sig) {
      return Call(&anon, http::Method::kPost, "/api/v1/auth/login",
                  json::serialize(json::object{{"username", user},
                                               {"password", kDemoPassword},
                                               {"certChallengeId", cid},
                                               {"certSignature", Base64Encode(sig)}}));
    };
    auto [cid, bytes] = challenge(user);
    Reply ok = login(cid, Sign(key, sm2, bytes));
    EXPECT_EQ(ok.status, 200) << ok.body;
    // The challenge is single-use.
    EXPECT_EQ(login(cid, Sign(key, sm2, bytes)).code(), "TOTP_INVALID");
    // A signature over something else, or a challenge for another user, fails.
    auto [cid2, bytes2] = challenge(user);
    EXPECT_EQ(login(cid2, Sign(key, sm2, "other")).code(), "TOTP_INVALID");
    auto [cid3, bytes3] = challenge("clerk_baita");
    EXPECT_EQ(login(cid3, Sign(key, sm2, bytes3)).code(), "TOTP_INVALID");
    // Expired after two minutes.
    auto [cid4, bytes4] = challenge(user);
    clock_.Advance(std::chrono::seconds(121));
    EXPECT_EQ(login(cid4, Sign(key, sm2, bytes4)).code(), "TOTP_INVALID");
    // Removing the key needs a recent re-authentication.
    clock_.Advance(std::chrono::minutes(4));
    std::string cert_path =
        "/api/v1/me/certificates/" + std::to_string(reg.obj().at("id").as_int64());
    EXPECT_EQ(Delete(c, cert_path).code(), "REAUTH_REQUIRED");
    EXPECT_EQ(Post(c, "/api/v1/auth/reauth", json::object{{"password", kDemoPassword}}).status,
              204);
    EXPECT_EQ(Delete(c, cert_path).status, 204);
    EXPECT_EQ(LoginRaw(user, kDemoPassword).status, 200);
    EVP_PKEY_free(key);
  }
}

HRSS_INSTANTIATE_DB_TEST(IdentityServer);

}  // namespace
}  // namespace hrss::identity::testing
