// The identity module's filters, inserted in front of the platform's
// "authorization" filter:
//
//   authentication: `Authorization: Bearer <token>` (API clients) or the
//     `hrss_session` cookie (browsers) -> req.principal. No token: the
//     request stays anonymous (authorization answers 401 for non-public
//     routes); a token naming no live session: 401 SESSION_EXPIRED. When the
//     route's permission is held only through a delegation, the use is
//     audited ("delegation.use", with the delegation id) before the handler
//     runs. Public routes are not resolved (they never see a principal).
//   csrf: cookie-authenticated POST/PUT/PATCH/DELETE must send
//     `X-CSRF-Token` equal to the `hrss_csrf` cookie and to the session's
//     CSRF token (its hash is stored) -> else 403 CSRF_INVALID.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/filter.h"

namespace hrss::identity {

class Identity;

inline constexpr const char* kSessionCookie = "hrss_session";
inline constexpr const char* kCsrfCookie = "hrss_csrf";

// The bearer token or session cookie of `req` (bearer first), if any;
// `*from_cookie` tells which.
std::optional<std::string> RequestToken(const http::Request& req, bool* from_cookie);

std::unique_ptr<http::Filter> MakeAuthenticationFilter(Identity& id);
std::unique_ptr<http::Filter> MakeCsrfFilter();

// Installs both in front of "authorization".
void InstallFilters(http::FilterChain& chain, Identity& id);

}  // namespace hrss::identity
