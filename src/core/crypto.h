// Cryptographic primitives on OpenSSL 3 (commercial cryptography, GB/T
// 39786-2021): SM3 hashing and HMAC-SM3, SM4 authenticated encryption for
// fields at rest, random bytes, and the encodings used for keys and tokens.
//
// SM4 authenticated encryption. The OpenSSL 3.0 build on this machine has no
// SM4-GCM (EVP_CIPHER_fetch("SM4-GCM") fails in OpenSSL 3.0), so
// Sm4AeadEncrypt uses SM4-CBC + HMAC-SM3 in encrypt-then-MAC form:
//   enc_key = HMAC-SM3(key, "hrss/v1/sm4-cbc-enc")[0..16)
//   mac_key = HMAC-SM3(key, "hrss/v1/hmac-sm3-mac")
//   iv      = 16 random bytes
//   ct      = SM4-CBC(enc_key, iv, PKCS#7-padded plaintext)
//   tag     = HMAC-SM3(mac_key, 0x01 || be64(len(aad)) || aad || iv || ct)
//   sealed  = 0x01 || iv || ct || tag            (0x01 = format version)
// The tag is checked (in constant time) before anything is decrypted, so
// there is no padding oracle. The version byte lets a later format (e.g.
// SM4-GCM) coexist with stored v1 values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss {

inline constexpr size_t kSm3Size = 32;                   // SM3 digest / HMAC-SM3 size in bytes
inline constexpr size_t kSm4KeySize = 16;                // SM4 key size in bytes
inline constexpr size_t kSm4BlockSize = 16;              // SM4 block size in bytes
inline constexpr size_t kSm4AeadOverhead = 1 + 16 + 32;  // + 1..16 bytes of padding

// SM3 digest of `data` (GB/T 32905-2016).
std::array<uint8_t, kSm3Size> Sm3(std::string_view data);

// SM3 digest of `data` as 64 lower-case hex characters.
std::string Sm3Hex(std::string_view data);

// HMAC-SM3 of `data` under `key` (any length, may be empty); 32 raw bytes.
std::string HmacSm3(std::string_view key, std::string_view data);

// HMAC-SM3 of `data` under `key`, as 64 lower-case hex characters.
std::string HmacSm3Hex(std::string_view key, std::string_view data);

// Encrypts exactly one 16-byte block with SM4 (ECB, no padding). Exposed to
// prove the primitive against GB/T 32907 test vectors; do not use it to
// encrypt data. INVALID_ARGUMENT unless both arguments are 16 bytes.
Result<std::string> Sm4EncryptBlock(std::string_view key16, std::string_view block16);

// Inverse of Sm4EncryptBlock.
Result<std::string> Sm4DecryptBlock(std::string_view key16, std::string_view block16);

// Encrypts and authenticates `plaintext`, and authenticates `aad` (e.g. the
// table, column and row id, so a value cannot be moved to another row).
// Returns the sealed value (format above; a fresh random IV every call).
// INVALID_ARGUMENT unless `key16` is 16 bytes.
Result<std::string> Sm4AeadEncrypt(std::string_view key16, std::string_view plaintext,
                                   std::string_view aad);

// Sm4AeadEncrypt with one key for many values: the enc/mac sub-keys are
// derived once (bulk loads). Same output format as Sm4AeadEncrypt.
class Sm4AeadSealer {
 public:
  // INVALID_ARGUMENT (from Seal) unless `key16` is 16 bytes.
  explicit Sm4AeadSealer(std::string_view key16);
  ~Sm4AeadSealer();
  Sm4AeadSealer(const Sm4AeadSealer&) = delete;
  Sm4AeadSealer& operator=(const Sm4AeadSealer&) = delete;
  // Thread-safe: each call works on its own copies of the keyed contexts.
  Result<std::string> Seal(std::string_view plaintext, std::string_view aad) const;

 private:
  // OpenSSL contexts keyed once (SM4-CBC with the enc key, HMAC-SM3 with the
  // mac key), copied per call: no algorithm fetch or key set-up per value.
  struct Contexts;
  std::unique_ptr<Contexts> ctx_;  // null: bad key
};

// Checks and decrypts a value from Sm4AeadEncrypt with the same key and aad.
// INVALID_ARGUMENT if `key16` is not 16 bytes; DATA_LOSS if `sealed` is
// malformed, has an unknown version, or fails authentication (tampered, wrong
// key or wrong aad).
Result<std::string> Sm4AeadDecrypt(std::string_view key16, std::string_view sealed,
                                   std::string_view aad);

// `n` bytes from the OpenSSL CSPRNG (RAND_bytes). Aborts the process if the
// generator fails, since nothing secure can continue without it.
std::string RandomBytes(size_t n);

// Lower-case hex encoding of `data`.
std::string HexEncode(std::string_view data);

// Decodes hex (either case). INVALID_ARGUMENT on odd length or a non-hex
// character.
Result<std::string> HexDecode(std::string_view hex);

// Compares two byte strings in time that depends only on their lengths (a
// length mismatch returns false at once). Use for tags, tokens, hashes.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Base64url (RFC 4648 §5) without '=' padding, for tokens in URLs/cookies.
std::string Base64UrlEncode(std::string_view data);

// Decodes unpadded base64url. Strict: INVALID_ARGUMENT on '=' padding, any
// character outside [A-Za-z0-9_-], an impossible length, or non-zero unused
// bits (so every value has exactly one encoding).
Result<std::string> Base64UrlDecode(std::string_view text);

// Overwrites the contents of `*s` with zeros (not optimized away) and clears
// it. For keys, passwords and plaintext that is no longer needed.
void SecureWipe(std::string* s);

}  // namespace hrss
