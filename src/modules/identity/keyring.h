// KeyRing: the platform's secret keys, kept in a key file outside the
// database (default <data_dir>/keys/hrss.keys, mode 0600, created on first
// start). Every key is derived from one 32-byte master secret with HMAC-SM3
// and a purpose label, so a new purpose never needs a new file.
//
// Used for: SM4 encryption of sensitive columns (ID number, phone, bank
// account, TOTP secrets) with an HMAC-SM3 blind index for exact lookup, the
// audit hash chain's HMAC key, and token signing keys.
//
// Key file format (text, ASCII, '\n' line ends):
//
//   hrss-keys v1
//   master=<64 lower- or upper-case hex digits: the 32-byte master secret>
//
// The first line must be exactly "hrss-keys v1". Blank lines and lines
// starting with '#' are ignored; any other line, a missing, repeated or
// wrong-length master, or a file above 64 KiB is DATA_LOSS (the file is
// never "repaired" or replaced: losing the master makes every encrypted
// field unreadable and every audit MAC unverifiable — back it up, apart from
// the database backups).
//
// Creation is atomic and never overwrites: the content goes to a temporary
// file (O_EXCL, mode 0600) in the same directory, is fsync'ed, then
// hard-linked to the final name (link(2) fails if the name exists, so two
// processes starting at once cannot replace each other's key: the loser
// loads the winner's file), the temporary name is removed and the directory
// fsync'ed. Missing parent directories are created with mode 0700.
//
// Loading refuses (FAILED_PRECONDITION, with the chmod to run) a key file
// that grants any permission to group or others (mode & 0077), and a path
// that is not a regular file.
//
// Derivation:  DeriveKey(p, n) = first n bytes of T1 || T2 || ...
//   T1     = HMAC-SM3(master, "hrss:" + p)
//   T(i+1) = HMAC-SM3(master, T(i) || "hrss:" + p || byte(i+1))
// Field encryption: Sm4AeadEncrypt(DeriveKey("field.sm4", 16), plaintext,
//   aad = "hrss.field:" + context).
// Blind index: hex HMAC-SM3(DeriveKey("blind:" + context, 32), Normalise(value)).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/crypto.h"
#include "core/status.h"

namespace hrss::identity {

// KeyRing::EncryptField of one context with its keys derived once (bulk
// loads); same output, decryptable with KeyRing::DecryptField.
class FieldEncryptor {
 public:
  FieldEncryptor(std::string_view key16, std::string aad) : sealer_(key16), aad_(std::move(aad)) {}
  Result<std::string> Encrypt(std::string_view plaintext) const { return sealer_.Seal(plaintext, aad_); }

 private:
  Sm4AeadSealer sealer_;
  std::string aad_;
};

class KeyRing {
 public:
  // Reads the key file at `path`, or creates it (parent dirs 0700, file 0600)
  // with a fresh random master secret when missing. DATA_LOSS when the file
  // exists but is malformed; FAILED_PRECONDITION when it is readable by group
  // or others or is not a regular file; UNAVAILABLE for I/O errors. Never
  // silently replaces an existing file.
  static Result<KeyRing> LoadOrCreate(const std::string& path);
  // Reads an existing key file only (for tools such as `hrss audit verify`,
  // which must never mint a new key): NOT_FOUND when it does not exist,
  // otherwise as LoadOrCreate.
  static Result<KeyRing> Load(const std::string& path);
  // For tests: a ring from a known master secret (32 bytes).
  static KeyRing FromMaster(std::string master);

  KeyRing(const KeyRing& other) : master_(other.master_) {}
  KeyRing(KeyRing&& other) noexcept : master_(std::move(other.master_)) {}
  KeyRing& operator=(const KeyRing& other);
  KeyRing& operator=(KeyRing&& other) noexcept;
  // Wipes the master secret from memory.
  ~KeyRing();

  // Key of `length` bytes (default 16, an SM4 key) for `purpose` (e.g.
  // "field.sm4", "audit.hmac"), derived as described above; stable across
  // restarts. Any length works; the first 32 bytes are HMAC-SM3(master,
  // "hrss:" + purpose) truncated.
  std::string DeriveKey(std::string_view purpose, size_t length = 16) const;

  // SM4 authenticated encryption of a sensitive field. `context` binds the
  // ciphertext to where it is stored (e.g. "user.phone"), so a value copied
  // into another column does not decrypt. Output is binary (core/crypto.h
  // Sm4AeadEncrypt format). INVALID_ARGUMENT for an empty context.
  Result<std::string> EncryptField(std::string_view context, std::string_view plaintext) const;
  // EncryptField(context, ·) for many values: the keys are derived once.
  std::shared_ptr<const FieldEncryptor> FieldEncryptorFor(std::string_view context) const;
  // DATA_LOSS when `sealed` is malformed, tampered with, or was encrypted
  // for another context or under another master key.
  Result<std::string> DecryptField(std::string_view context, std::string_view sealed) const;
  // Keyed blind index for equality lookup: 64 hex digits, HMAC-SM3 of the
  // normalised value under a per-context key (so equal values in different
  // contexts do not share an index). Normalisation here is only: trim ASCII
  // whitespace and upper-case ASCII letters (ID number 'x' == 'X'); callers
  // canonicalise further before calling (e.g. 15→18-digit ID numbers,
  // removing spaces inside bank account numbers).
  std::string BlindIndex(std::string_view context, std::string_view value) const;

  // The normalisation BlindIndex applies (exposed for tests and callers).
  static std::string NormaliseForIndex(std::string_view value);

 private:
  explicit KeyRing(std::string master) : master_(std::move(master)) {}
  std::string master_;
};

}  // namespace hrss::identity
