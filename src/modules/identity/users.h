// User accounts (repository). The phone number is stored SM4-sealed
// (KeyRing::EncryptField, context "idn_user.phone") with an HMAC-SM3 blind
// index for exact lookup; it leaves this class only masked, except through
// DecryptPhone (used by the audited unmask endpoint).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "db/pool.h"
#include "modules/identity/data_scope.h"
#include "modules/identity/keyring.h"

namespace hrss::identity {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string staff_no;
  std::string phone_masked;  // e.g. 138****5678
  std::string phone_enc;     // sealed
  int64_t org_id = 0;
  std::vector<int64_t> post_ids;
  std::string status;  // "active" | "disabled"
  std::string password_hash;
  int64_t password_changed_at = 0;
  int failed_count = 0;
  int64_t locked_until = 0;
  std::string totp_secret_enc;
  bool totp_enabled = false;
  std::string totp_pending_enc;
  int64_t totp_last_step = 0;
  int64_t created_at = 0;
};

struct UserQuery {
  std::optional<int64_t> org_id;
  std::string q;  // username, display name or staff number (substring)
  int page = 1, size = 20;
};

inline constexpr const char* kPhoneContext = "idn_user.phone";
inline constexpr const char* kTotpContext = "idn_user.totp";

class UserStore {
 public:
  UserStore(db::Pool& pool, const KeyRing& keys, Clock& clock)
      : pool_(pool), keys_(keys), clock_(clock) {}

  Result<std::optional<User>> FindById(int64_t id);
  Result<std::optional<User>> FindByUsername(std::string_view username);
  // username → display name of the existing accounts among `usernames`.
  Result<std::map<std::string, std::string>> DisplayNames(const std::vector<std::string>& usernames);
  // Users whose org lies in `scope` (the caller's `system` scope; an owner
  // part matches the user's own account).
  Result<std::vector<User>> List(const UserQuery& q, const DataScope& scope, int64_t* total);

  // Creates a user with an already hashed password. CONFLICT when the
  // username or staff number exists.
  Result<int64_t> Create(const User& u, std::string_view phone_plain);
  // Updates display name, staff number, org, posts and (when non-empty) phone.
  Status Update(const User& u, std::optional<std::string> phone_plain);
  Status SetStatus(int64_t id, std::string_view status);
  Status Unlock(int64_t id);

  // Login bookkeeping. RecordFailure returns the new failed_count and locks
  // the account until `lock_until` once it reaches `threshold`.
  Result<int> RecordFailure(int64_t id, int threshold, int64_t lock_until);
  Status RecordSuccess(int64_t id);

  // Sets the password hash (keeping it in the history, trimmed to `keep`).
  Status SetPassword(int64_t id, std::string_view hash, int64_t changed_at, int keep);
  Result<std::vector<std::string>> PasswordHistory(int64_t id, int n);

  // TOTP: store a pending secret, confirm it, disable, and consume a step
  // (false when the step was already used: no code is accepted twice).
  Status SetTotpPending(int64_t id, std::string_view secret);
  Status EnableTotp(int64_t id, std::string_view secret);
  Status DisableTotp(int64_t id);
  Result<bool> ConsumeTotpStep(int64_t id, int64_t step);
  Result<std::string> TotpSecret(const User& u) const;         // decrypted
  Result<std::string> PendingTotpSecret(const User& u) const;  // decrypted
  Result<std::string> DecryptPhone(const User& u) const;

 private:
  Result<std::vector<int64_t>> Posts(db::Connection& c, int64_t user_id);
  User FromRow(const db::Row& r) const;

  db::Pool& pool_;
  const KeyRing& keys_;
  Clock& clock_;
};

}  // namespace hrss::identity
