#include "modules/sso/jws.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "core/crypto.h"

namespace hrss::sso {

struct SigningKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

Result<std::string> Coordinate(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return Status::Internal("EC key has no point");
  unsigned char buf[32];
  int ok = BN_bn2binpad(bn, buf, 32);
  BN_free(bn);
  if (ok != 32) return Status::Internal("EC coordinate too large");
  return std::string(reinterpret_cast<char*>(buf), 32);
}

}  // namespace

SigningKey::SigningKey(std::unique_ptr<Key> key) : key_(std::move(key)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::Generate() {
  auto k = std::make_unique<Key>();
  k->pkey = EVP_EC_gen("P-256");
  if (!k->pkey) return Status::Internal("cannot generate a P-256 key");
  SigningKey key(std::move(k));
  HRSS_ASSIGN_OR_RETURN(key.x_, Coordinate(key.key_->pkey, OSSL_PKEY_PARAM_EC_PUB_X));
  HRSS_ASSIGN_OR_RETURN(key.y_, Coordinate(key.key_->pkey, OSSL_PKEY_PARAM_EC_PUB_Y));
  key.kid_ = Base64UrlEncode(Sha256(R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(key.x_) +
                                    R"(","y":")" + Base64UrlEncode(key.y_) + "\"}"));
  return key;
}

Result<SigningKey> SigningKey::FromPrivatePem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return Status::Internal("BIO_new_mem_buf");
  auto k = std::make_unique<Key>();
  k->pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!k->pkey) return Status::DataLoss("stored signing key is not a readable PEM key");
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(k->pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &len) != 1 ||
      std::string_view(group) != "prime256v1") {
    return Status::DataLoss("stored signing key is not a P-256 key");
  }
  SigningKey key(std::move(k));
  HRSS_ASSIGN_OR_RETURN(key.x_, Coordinate(key.key_->pkey, OSSL_PKEY_PARAM_EC_PUB_X));
  HRSS_ASSIGN_OR_RETURN(key.y_, Coordinate(key.key_->pkey, OSSL_PKEY_PARAM_EC_PUB_Y));
  key.kid_ = Base64UrlEncode(Sha256(R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(key.x_) +
                                    R"(","y":")" + Base64UrlEncode(key.y_) + "\"}"));
  return key;
}

std::string SigningKey::PrivatePem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key_->pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string SigningKey::PublicJwkJson() const {
  return R"({"kty":"EC","crv":"P-256","x":")" + Base64UrlEncode(x_) + R"(","y":")" +
         Base64UrlEncode(y_) + R"(","kid":")" + kid_ + R"(","use":"sig","alg":"ES256"})";
}

Result<std::string> SigningKey::SignJwt(std::string_view payload_json) const {
  std::string header = R"({"alg":"ES256","typ":"JWT","kid":")" + kid_ + "\"}";
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload_json);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t der_len = 0;
  std::string der;
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &der_len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    der.resize(der_len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &der_len,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    der.resize(der_len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::Internal("ES256 signing failed");
  // DER ECDSA-Sig-Value -> raw R || S (32 bytes each), as JWS wants.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return Status::Internal("ES256 signature decoding failed");
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(raw), 64));
}

Result<std::string> SigningKey::VerifyJwt(std::string_view jwt) const {
  size_t d1 = jwt.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : jwt.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return Status::InvalidArgument("malformed JWT");
  std::string_view input = jwt.substr(0, d2);
  HRSS_ASSIGN_OR_RETURN(std::string raw, Base64UrlDecode(jwt.substr(d2 + 1)));
  HRSS_ASSIGN_OR_RETURN(std::string header, Base64UrlDecode(jwt.substr(0, d1)));
  if (header.find("\"ES256\"") == std::string::npos || header.find(kid_) == std::string::npos) {
    return Status::Unauthenticated("JWT not signed by this key");
  }
  if (raw.size() != 64) return Status::Unauthenticated("bad ES256 signature length");
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      der_len > 0 && ctx &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
      EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  if (!ok) return Status::Unauthenticated("bad JWT signature");
  return Base64UrlDecode(jwt.substr(d1 + 1, d2 - d1 - 1));
}

bool PkceS256Matches(std::string_view verifier, std::string_view challenge) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;  // RFC 7636 §4.1
  return ConstantTimeEquals(Base64UrlEncode(Sha256(verifier)), challenge);
}

}  // namespace hrss::sso
