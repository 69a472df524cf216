// Password hashing (Argon2id, libargon2) and the password policy of
// DOMAIN.md "Security baseline": at least 8 characters, 3 of the 4 classes
// (lower, upper, digit, other), not containing the username, changed every
// 90 days, none of the last 5 reused (checked by the caller against stored
// hashes with Verify).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss::identity {

struct Argon2Params {
  uint32_t t_cost = 2;          // iterations
  uint32_t m_cost_kib = 19456;  // 19 MiB (OWASP minimum for Argon2id)
  uint32_t parallelism = 1;
};

inline constexpr int64_t kPasswordMaxAgeMs = 90LL * 24 * 3600 * 1000;
inline constexpr int kPasswordHistory = 5;

class PasswordHasher {
 public:
  explicit PasswordHasher(Argon2Params params = {}) : params_(params) {}
  // "$argon2id$v=19$m=...,t=...,p=...$salt$hash" with a random 16-byte salt.
  Result<std::string> Hash(std::string_view password) const;
  // Constant-time check against an encoded hash; false for malformed hashes.
  bool Verify(std::string_view encoded, std::string_view password) const;
  // A fixed hash to verify against when the user does not exist, so that
  // timing does not reveal which usernames exist.
  const std::string& DummyHash() const;

 private:
  Argon2Params params_;
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_;
};

// PASSWORD_POLICY (INVALID_ARGUMENT with that reason) naming the broken rule.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

}  // namespace hrss::identity
