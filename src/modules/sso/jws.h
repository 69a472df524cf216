// ES256 (ECDSA P-256 + SHA-256) signing keys and compact JWS/JWT for the
// OpenID Connect provider (RFC 7515, 7517, 7518, 7519, 7638).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace boost::json {
class object;
}

namespace hrss::sso {

class SigningKey {
 public:
  // A fresh P-256 key.
  static Result<SigningKey> Generate();
  // From a PKCS#8 PEM private key (as written by PrivatePem()).
  static Result<SigningKey> FromPrivatePem(std::string_view pem);
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  std::string PrivatePem() const;
  // RFC 7638 thumbprint (base64url SHA-256 of the canonical JWK): the "kid".
  const std::string& kid() const { return kid_; }
  // Public JWK: {"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"use":"sig","alg":"ES256"}
  std::string PublicJwkJson() const;

  // Compact JWS of `payload_json` with header {"alg":"ES256","typ":"JWT","kid":...}.
  Result<std::string> SignJwt(std::string_view payload_json) const;
  // Verifies a compact JWS made by this key; returns the payload JSON.
  Result<std::string> VerifyJwt(std::string_view jwt) const;

 private:
  struct Key;
  explicit SigningKey(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
  std::string kid_, x_, y_;
};

// base64url(SHA-256(verifier)) == challenge, for PKCE S256 (RFC 7636).
bool PkceS256Matches(std::string_view verifier, std::string_view challenge);

}  // namespace hrss::sso
