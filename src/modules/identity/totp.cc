#include "modules/identity/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

#include "core/crypto.h"

namespace hrss::identity {

namespace {
constexpr char kB32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}
}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kB32[(buf >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kB32[(buf << (5 - bits)) & 31];
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=') continue;
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    if (ch >= '2' && ch <= '7') v = ch - '2' + 26;
    if (v < 0) return Status::InvalidArgument("base32: bad character");
    buf = (buf << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buf >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string TotpCode(std::string_view secret, int64_t step) {
  unsigned char msg[8];
  uint64_t s = static_cast<uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(s & 0xff);
    s >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), msg, sizeof msg, mac, &mac_len);
  int off = mac[mac_len - 1] & 0x0f;
  uint32_t bin =
      ((mac[off] & 0x7fu) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", bin % 1000000u);
  return buf;
}

std::optional<int64_t> TotpVerify(std::string_view secret, std::string_view code,
                                  int64_t unix_seconds, int64_t last_used_step) {
  if (code.size() != 6 || secret.empty()) return std::nullopt;
  int64_t now = unix_seconds / kTotpStepSeconds;
  std::optional<int64_t> found;
  for (int64_t step = now - 1; step <= now + 1; ++step) {
    // Compare every candidate (no early exit on the first match).
    if (ConstantTimeEquals(TotpCode(secret, step), code) && step > last_used_step && !found) {
      found = step;
    }
  }
  return found;
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  std::string b32 = Base32Encode(secret);
  return "otpauth://totp/" + UrlEncode(issuer) + ":" + UrlEncode(account) + "?secret=" + b32 +
         "&issuer=" + UrlEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace hrss::identity
