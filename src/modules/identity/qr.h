// A small QR code encoder (ISO/IEC 18004, byte mode, error correction level
// M, versions 1-10: up to 213 bytes — an otpauth:// URI fits), for the TOTP
// enrolment QR code rendered as SVG on the server. Follows the structure of
// the public-domain-style reference algorithm by Project Nayuki.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::identity {

struct QrCode {
  int version = 0;
  int size = 0;                            // modules per side (17 + 4 * version)
  std::vector<std::vector<bool>> modules;  // [y][x], true = dark
};

// INVALID_ARGUMENT when `data` does not fit version 10-M.
Result<QrCode> EncodeQr(std::string_view data);

// An SVG image (4-module quiet zone, `scale` pixels per module).
std::string QrSvg(const QrCode& qr, int scale = 4);

}  // namespace hrss::identity
