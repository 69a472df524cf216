// Demo data of the identity module: the org tree of the Dazhu County HRSS
// bureau (departments, units and the 31 township service stations), posts,
// roles and one account per typical job. Idempotent: running it again
// updates everything in place and resets every demo password to the given
// one. Administrators get TOTP with a secret derived from the demo password
// (DemoTotpSecret), so tests and the README can compute their codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss {
struct DemoOptions;
}

namespace hrss::identity {

class Identity;

struct DemoAccount {
  std::string username;
  std::string display_name;
  std::string org;
  std::string role;
  std::string totp_secret;  // base32; empty when no TOTP
};

// 20 bytes: HMAC-SM3(demo_password, "hrss-demo-totp:" + username)[0..20).
std::string DemoTotpSecret(std::string_view demo_password, std::string_view username);

// Loads the demo data; returns the accounts for the summary.
Result<std::vector<DemoAccount>> LoadIdentityDemo(Identity& id, const DemoOptions& options);

// The table printed by `hrss demo`.
std::string FormatDemoSummary(const std::vector<DemoAccount>& accounts);

}  // namespace hrss::identity
