// Certificate second factor (集中证书管理, simplified to registered public
// keys): a user registers an SM2 or EC P-256 public key (PEM
// SubjectPublicKeyInfo) and signs a one-time server challenge at sign-in.
// SM2 signatures use SM3 with the default distinguishing ID
// "1234567812345678" (GB/T 35276); P-256 signatures are ECDSA-SHA256. Both
// are DER-encoded and sent base64 (standard or url-safe alphabet).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"

namespace hrss::identity {

inline constexpr const char* kSm2DefaultId = "1234567812345678";

struct PublicKeyInfo {
  std::string algorithm;    // "SM2" | "EC-P256"
  std::string fingerprint;  // SM3 hex of the DER SubjectPublicKeyInfo
};

// INVALID_ARGUMENT unless `pem` is an SM2 or P-256 public key.
Result<PublicKeyInfo> InspectPublicKey(std::string_view pem);
// True when `signature` (DER) over `message` verifies under `pem`.
bool VerifySignature(std::string_view pem, std::string_view message, std::string_view signature);

std::string Base64Encode(std::string_view data);
// Standard or url-safe alphabet, padding optional.
Result<std::string> Base64DecodeAny(std::string_view text);

struct Certificate {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string algorithm;
  std::string fingerprint;
  std::string public_key_pem;
  int64_t created_at = 0;
};

class CertStore {
 public:
  CertStore(db::Pool& pool, Clock& clock) : pool_(pool), clock_(clock) {}
  Result<std::vector<Certificate>> ListOf(int64_t user_id);
  Result<Certificate> Add(int64_t user_id, std::string_view name, std::string_view pem);
  Status Delete(int64_t user_id, int64_t id);

 private:
  db::Pool& pool_;
  Clock& clock_;
};

// One-time sign-in challenges, in memory (valid 2 minutes, single use,
// bound to the username). Multi-node: the challenge must come back to the
// node that issued it (sticky sessions) or a shared store.
class ChallengeStore {
 public:
  explicit ChallengeStore(Clock& clock) : clock_(clock) {}
  struct Challenge {
    std::string id;
    std::string bytes;  // what the client signs
  };
  Challenge Issue(const std::string& username);
  // The challenge bytes, removed; nullopt when unknown, expired or issued
  // for another username.
  std::optional<std::string> Take(const std::string& id, const std::string& username);

 private:
  struct Entry {
    std::string username, bytes;
    int64_t expires_at;
  };
  Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace hrss::identity
