// Sign-in and credential changes: password (Argon2id) + second factor (TOTP
// or a registered key signing a challenge), lockout, throttling, expired
// passwords, re-authentication. Every outcome is audited.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"
#include "modules/identity/principal.h"
#include "modules/identity/sessions.h"
#include "modules/identity/users.h"

namespace hrss::identity {

class Identity;

struct LoginRequest {
  std::string username;
  std::string password;
  std::string totp;
  std::string cert_challenge_id;
  std::string cert_signature;  // base64 DER
  std::string ip;
  std::string user_agent;
  std::string request_id;
};

struct LoginResult {
  NewSession session;
  std::shared_ptr<const UserPrincipal> principal;
};

// Extra fields of a refused login (PASSWORD_EXPIRED: changeToken).
struct LoginRefusal {
  std::string change_token;
};

class AuthService {
 public:
  explicit AuthService(Identity& id) : id_(id) {}

  // Errors (Status reasons): INVALID_CREDENTIALS, TOTP_REQUIRED, TOTP_INVALID,
  // ACCOUNT_LOCKED, RATE_LIMITED, ACCOUNT_DISABLED, PASSWORD_EXPIRED
  // (refusal->change_token set), TOTP_ENROLMENT_REQUIRED.
  Result<LoginResult> Login(const LoginRequest& r, LoginRefusal* refusal);

  // With the one-time token from a PASSWORD_EXPIRED answer.
  Status ChangeExpiredPassword(const std::string& username, const std::string& change_token,
                               const std::string& new_password, const std::string& ip);
  // Checks the old password; revokes the user's other sessions.
  Status ChangePassword(const UserPrincipal& p, const std::string& old_password,
                        const std::string& new_password, const std::string& ip);
  // Policy + history; stores the new hash (`expired_now`: the user must
  // change it at next sign-in, for administrator resets).
  Status SetPassword(const User& u, const std::string& new_password, bool check_history,
                     bool expired_now);
  // Password or TOTP of the signed-in user; marks the session re-authenticated.
  Status Reauth(const UserPrincipal& p, const std::string& password, const std::string& totp,
                const std::string& ip);
  // Verifies a TOTP code for `u` and consumes its step.
  Status CheckTotp(const User& u, const std::string& code);

 private:
  Status Fail(const User* u, const LoginRequest& r, const Status& st, bool count);
  std::string IssueChangeToken(int64_t user_id);

  Identity& id_;
  std::mutex mu_;
  struct ChangeToken {
    int64_t user_id;
    int64_t expires_at;
  };
  std::map<std::string, ChangeToken> change_tokens_;  // SM3(token) -> entry; GUARDED_BY(mu_)
};

}  // namespace hrss::identity
