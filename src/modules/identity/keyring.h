// KeyRing: the platform's secret keys, kept in a key file outside the
// database (default <data_dir>/keys/hrss.keys, mode 0600, created on first
// start). Every key is derived from one 32-byte master secret with HMAC-SM3
// and a purpose label, so a new purpose never needs a new file.
//
// Used for: SM4 encryption of sensitive columns (ID number, phone, bank
// account, TOTP secrets) with an HMAC-SM3 blind index for exact lookup, the
// audit hash chain's HMAC key, and token signing keys.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss::identity {

class KeyRing {
 public:
  // Reads the key file at `path`, or creates it (parent dirs 0700, file 0600)
  // with a fresh random master secret when missing. DATA_LOSS when the file
  // exists but is malformed; never silently replaces an existing file.
  static Result<KeyRing> LoadOrCreate(const std::string& path);
  // For tests: a ring from a known master secret (32 bytes).
  static KeyRing FromMaster(std::string master);

  // 16-byte key for `purpose` (e.g. "field.sm4", "audit.hmac"), derived as
  // HMAC-SM3(master, "hrss:" + purpose) truncated; stable across restarts.
  std::string DeriveKey(std::string_view purpose, size_t length = 16) const;

  // SM4 authenticated encryption of a sensitive field. `context` binds the
  // ciphertext to where it is stored (e.g. "user.phone"), so a value copied
  // into another column does not decrypt. Output is binary (core/crypto.h
  // Sm4AeadEncrypt format).
  Result<std::string> EncryptField(std::string_view context, std::string_view plaintext) const;
  Result<std::string> DecryptField(std::string_view context, std::string_view sealed) const;
  // Keyed blind index for equality lookup: hex HMAC-SM3 of the normalised
  // value under a per-context key.
  std::string BlindIndex(std::string_view context, std::string_view value) const;

 private:
  explicit KeyRing(std::string master) : master_(std::move(master)) {}
  std::string master_;
};

}  // namespace hrss::identity
