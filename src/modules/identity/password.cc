#include "modules/identity/password.h"

#include <argon2.h>

#include <cstring>
#include <mutex>

#include "core/crypto.h"
#include "core/text.h"

namespace hrss::identity {

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  if (password.size() > 1024) return Status::InvalidArgument("密码过长");
  std::string salt = RandomBytes(16);
  size_t len = argon2_encodedlen(params_.t_cost, params_.m_cost_kib, params_.parallelism,
                                 static_cast<uint32_t>(salt.size()), 32, Argon2_id);
  std::string out(len, '\0');
  int rc = argon2id_hash_encoded(params_.t_cost, params_.m_cost_kib, params_.parallelism,
                                 password.data(), password.size(), salt.data(), salt.size(), 32,
                                 out.data(), out.size());
  if (rc != ARGON2_OK) return Status::Internal(std::string("argon2: ") + argon2_error_message(rc));
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool PasswordHasher::Verify(std::string_view encoded, std::string_view password) const {
  if (encoded.rfind("$argon2id$", 0) != 0 || password.size() > 1024) return false;
  std::string enc(encoded);
  return argon2id_verify(enc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

const std::string& PasswordHasher::DummyHash() const {
  std::call_once(dummy_once_, [this] {
    auto h = Hash("dummy-password-for-unknown-users");
    dummy_ = h.ok() ? *h : std::string();
  });
  return dummy_;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  auto fail = [](std::string m) {
    return Status::InvalidArgument(std::move(m)).WithReason("PASSWORD_POLICY");
  };
  if (!IsValidUtf8(password)) return fail("密码须为合法文本");
  if (password.size() < 8) return fail("密码至少 8 个字符");
  if (password.size() > 128) return fail("密码不能超过 128 个字符");
  int lower = 0, upper = 0, digit = 0, other = 0;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z')
      lower = 1;
    else if (c >= 'A' && c <= 'Z')
      upper = 1;
    else if (c >= '0' && c <= '9')
      digit = 1;
    else
      other = 1;
  }
  if (lower + upper + digit + other < 3) {
    return fail("密码须包含小写字母、大写字母、数字、符号中的至少 3 类");
  }
  if (!username.empty() && AsciiLower(password).find(AsciiLower(username)) != std::string::npos) {
    return fail("密码不能包含用户名");
  }
  return Status::Ok();
}

}  // namespace hrss::identity
