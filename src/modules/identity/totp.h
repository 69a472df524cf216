// TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps, accepting one step
// of clock drift either way. Secrets are 20 random bytes, shown base32
// (RFC 4648, no padding) in an otpauth:// URI for authenticator apps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hrss::identity {

inline constexpr int64_t kTotpStepSeconds = 30;

std::string Base32Encode(std::string_view bytes);
// Accepts upper/lower case, ignores spaces and '=' padding.
Result<std::string> Base32Decode(std::string_view text);

// The 6-digit code for `secret` (raw bytes) at time step `step`
// (unix_seconds / 30).
std::string TotpCode(std::string_view secret, int64_t step);
// Code for the time `unix_seconds`.
inline std::string TotpCodeAt(std::string_view secret, int64_t unix_seconds) {
  return TotpCode(secret, unix_seconds / kTotpStepSeconds);
}

// The matching step within ±1 of now that is greater than `last_used_step`
// (a code is never accepted twice), or nullopt.
std::optional<int64_t> TotpVerify(std::string_view secret, std::string_view code,
                                  int64_t unix_seconds, int64_t last_used_step);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace hrss::identity
