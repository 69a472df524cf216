#include "modules/sso/sso_module.h"

#include <boost/json.hpp>
#include <mutex>
#include <optional>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "db/transaction.h"
#include "http/principal.h"
#include "modules/identity/audit.h"
#include "modules/identity/keyring.h"
#include "modules/sso/jws.h"
#include "platform/platform.h"

namespace hrss::sso {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

namespace {

constexpr int64_t kCodeTtlMs = 60'000;
constexpr int64_t kAccessTtlMs = 10 * 60'000;
constexpr int64_t kIdTokenTtlMs = 10 * 60'000;
constexpr int64_t kRefreshTtlMs = 12 * 3600'000;  // never beyond the portal's absolute session

std::string NewToken() { return Base64UrlEncode(RandomBytes(32)); }

// OAuth 2.0 error answer (RFC 6749 §5.2): the shape standard clients parse.
Response OAuthError(int status, std::string_view error, std::string_view description) {
  json::object o;
  o["error"] = error;
  o["error_description"] = description;
  Response r = Response::Json(status, o);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

Response Redirect(const std::string& location) {
  Response r;
  r.status = 302;
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

std::string UrlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string AppendQuery(std::string url,
                        const std::vector<std::pair<std::string, std::string>>& kv) {
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : kv) {
    url += sep;
    url += UrlEncode(k) + "=" + UrlEncode(v);
    sep = '&';
  }
  return url;
}

std::string Param(const std::vector<std::pair<std::string, std::string>>& kv,
                  std::string_view name) {
  for (const auto& [k, v] : kv) {
    if (k == name) return v;
  }
  return {};
}

bool ContainsString(const json::array& a, std::string_view s) {
  for (const auto& v : a) {
    if (v.is_string() && v.as_string() == s) return true;
  }
  return false;
}

bool WellFormedUri(std::string_view uri) {
  return (uri.rfind("https://", 0) == 0 || uri.rfind("http://", 0) == 0) && uri.size() <= 512 &&
         uri.find_first_of(" \r\n\t<>\"#") == std::string_view::npos;
}

}  // namespace

struct SsoModule::State {
  Platform* platform = nullptr;
  std::optional<identity::KeyRing> keys;
  std::optional<SigningKey> signing;
  std::optional<identity::AuditLog> audit;
  EndSession end_session;
  std::mutex mu;
  std::string demo_summary;

  struct Client {
    std::string client_id, name, secret_hash, app_url, description, required_permission;
    json::array redirect_uris, post_logout_uris;
    bool enabled = false;
  };

  std::string Issuer(const Request& req) const {
    const std::string& configured = platform->config().server.public_url;
    if (!configured.empty()) return configured;
    std::string host(req.Header("host"));
    if (host.empty() || host.find_first_of("/\\ @") != std::string::npos) host = "127.0.0.1";
    return "http://" + host;
  }

  Result<std::optional<Client>> FindClient(const std::string& client_id) {
    HRSS_ASSIGN_OR_RETURN(auto conn, platform->db().Acquire());
    HRSS_ASSIGN_OR_RETURN(
        auto row, conn->QueryOne("SELECT client_id, name, secret_hash, redirect_uris, "
                                 "post_logout_uris, app_url, description, required_permission, "
                                 "enabled FROM sso_client WHERE client_id = ?",
                                 {db::Value(client_id)}));
    if (!row) return std::optional<Client>{};
    Client c;
    c.client_id = row->GetText(0);
    c.name = row->GetText(1);
    c.secret_hash = row->GetText(2);
    boost::system::error_code ec;
    auto ru = json::parse(row->GetText(3), ec);
    if (!ec && ru.is_array()) c.redirect_uris = ru.as_array();
    auto pl = json::parse(row->GetText(4), ec);
    if (!ec && pl.is_array()) c.post_logout_uris = pl.as_array();
    c.app_url = row->GetText(5);
    c.description = row->GetText(6);
    c.required_permission = row->GetText(7);
    c.enabled = row->GetInt64(8) != 0;
    return std::optional<Client>(std::move(c));
  }

  Status LoadSigningKey() {
    HRSS_ASSIGN_OR_RETURN(auto conn, platform->db().Acquire());
    HRSS_ASSIGN_OR_RETURN(auto row,
                          conn->QueryOne("SELECT sealed_pem FROM sso_signing_key WHERE active = 1 "
                                         "ORDER BY created_at DESC LIMIT 1"));
    if (!row) {
      HRSS_ASSIGN_OR_RETURN(SigningKey fresh, SigningKey::Generate());
      HRSS_ASSIGN_OR_RETURN(std::string sealed,
                            keys->EncryptField("sso.signing_key", fresh.PrivatePem()));
      auto ins = conn->Exec(
          "INSERT INTO sso_signing_key (kid, sealed_pem, created_at, active) VALUES (?, ?, ?, 1)",
          {db::Value(fresh.kid()), db::Value(db::Blob{sealed}),
           db::Value(platform->clock().NowMillis())});
      if (!ins.ok()) return ins.status();
      // Another node may have inserted one concurrently: read back the newest.
      HRSS_ASSIGN_OR_RETURN(
          row, conn->QueryOne("SELECT sealed_pem FROM sso_signing_key WHERE active = 1 "
                              "ORDER BY created_at DESC, kid LIMIT 1"));
      if (!row) return Status::Internal("signing key vanished");
    }
    std::string sealed = row->GetBlob(0);
    HRSS_ASSIGN_OR_RETURN(std::string pem, keys->DecryptField("sso.signing_key", sealed));
    HRSS_ASSIGN_OR_RETURN(SigningKey key, SigningKey::FromPrivatePem(pem));
    SecureWipe(&pem);
    signing.emplace(std::move(key));
    return Status::Ok();
  }

  // Stores a grant (code / access / refresh) by the hash of its token.
  Status StoreGrant(db::Connection& c, std::string_view kind, const std::string& token,
                    const std::string& client_id, const std::string& user_id,
                    const std::string& claims, const std::string& redirect_uri,
                    const std::string& code_challenge, const std::string& family,
                    const std::string& session_id, int64_t ttl_ms) {
    int64_t now = platform->clock().NowMillis();
    auto r = c.Exec(
        "INSERT INTO sso_grant (token_hash, kind, client_id, user_id, claims, redirect_uri, "
        "code_challenge, family, session_id, expires_at, used, revoked, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
        {db::Value(Sm3Hex(token)), db::Value(std::string(kind)), db::Value(client_id),
         db::Value(user_id), db::Value(claims), db::Value(redirect_uri), db::Value(code_challenge),
         db::Value(family), db::Value(session_id), db::Value(now + ttl_ms), db::Value(now)});
    return r.status();
  }

  Response ListApps(Request& req);
  Response CreateApp(Request& req);
  Response DisableApp(Request& req);
  Response Catalog(Request& req);
  Response Authorize(Request& req);
  Response Token(Request& req);
  Response UserInfo(Request& req);
  Response Logout(Request& req);
  Response IssueTokens(db::Connection& c, const std::string& client_id, const std::string& user_id,
                       json::object claims, const std::string& family,
                       const std::string& session_id, const std::string& issuer);
};

SsoModule::SsoModule() : state_(std::make_shared<State>()) {}
SsoModule::~SsoModule() = default;

void SsoModule::SetEndSession(EndSession end_session) {
  state_->end_session = std::move(end_session);
}

Status SsoModule::RegisterMigrations(db::Migrator& migrator) {
  const std::string client = R"sql(CREATE TABLE IF NOT EXISTS sso_client (
  client_id           VARCHAR(64) NOT NULL PRIMARY KEY,
  name                VARCHAR(128) NOT NULL,
  secret_hash         VARCHAR(128) NOT NULL,
  redirect_uris       TEXT NOT NULL,
  post_logout_uris    TEXT NOT NULL,
  app_url             VARCHAR(512) NOT NULL,
  description         VARCHAR(512) NOT NULL,
  required_permission VARCHAR(128) NOT NULL,
  enabled             BIGINT NOT NULL,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
){{TABLE_OPTIONS}})sql";
  const std::string key = R"sql(CREATE TABLE IF NOT EXISTS sso_signing_key (
  kid         VARCHAR(64) NOT NULL PRIMARY KEY,
  sealed_pem  BLOB NOT NULL,
  created_at  BIGINT NOT NULL,
  active      BIGINT NOT NULL
){{TABLE_OPTIONS}})sql";
  const std::string grant = R"sql(CREATE TABLE IF NOT EXISTS sso_grant (
  token_hash     VARCHAR(64) NOT NULL PRIMARY KEY,
  kind           VARCHAR(16) NOT NULL,
  client_id      VARCHAR(64) NOT NULL,
  user_id        VARCHAR(64) NOT NULL,
  claims         TEXT NOT NULL,
  redirect_uri   VARCHAR(512) NOT NULL,
  code_challenge VARCHAR(128) NOT NULL,
  family         VARCHAR(64) NOT NULL,
  session_id     VARCHAR(128) NOT NULL,
  expires_at     BIGINT NOT NULL,
  used           BIGINT NOT NULL,
  revoked        BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
){{TABLE_OPTIONS}})sql";
  const std::string indexes =
      "CREATE INDEX IF NOT EXISTS sso_grant_family ON sso_grant (family);\n"
      "CREATE INDEX IF NOT EXISTS sso_grant_user ON sso_grant (user_id, client_id);\n"
      "CREATE INDEX IF NOT EXISTS sso_grant_expiry ON sso_grant (expires_at)";
  return migrator.Register({
      .module = "sso",
      .version = 1,
      .name = "clients, signing keys, grants",
      .sqlite_sql = client + ";\n" + key + ";\n" + grant + ";\n" + indexes + ";",
      // The SQLite text before the portable rewrite (INTEGER where it now says
      // BIGINT, same affinity): databases created by `make run` before it.
      .equivalent_checksums = {"8b9169bdfcdf91d664c81ab79c2ea17608d2aa31d0e6451713533140fe2bf996"},
  });
}

Response SsoModule::State::Authorize(Request& req) {
  auto q = http::ParseUrlEncoded(req.query);
  std::string client_id = Param(q, "client_id");
  std::string redirect_uri = Param(q, "redirect_uri");
  // Until client and redirect URI are known good, errors are shown here and
  // never redirected (RFC 6749 §4.1.2.1: no open redirector).
  auto client = FindClient(client_id);
  if (!client.ok()) return Response::Error(client.status(), req.request_id);
  if (!client->has_value() || !(*client)->enabled) {
    return Response::Error(Status::InvalidArgument("未登记或已停用的应用（client_id）"),
                           req.request_id);
  }
  const Client& c = **client;
  if (!ContainsString(c.redirect_uris, redirect_uri)) {
    return Response::Error(Status::InvalidArgument("redirect_uri 与应用登记的回调地址不符"),
                           req.request_id);
  }
  std::string state = Param(q, "state");
  auto fail = [&](std::string_view error, std::string_view description) {
    std::vector<std::pair<std::string, std::string>> kv = {
        {"error", std::string(error)}, {"error_description", std::string(description)}};
    if (!state.empty()) kv.emplace_back("state", state);
    kv.emplace_back("iss", Issuer(req));
    return Redirect(AppendQuery(redirect_uri, kv));
  };
  if (Param(q, "response_type") != "code") {
    return fail("unsupported_response_type", "only response_type=code is supported");
  }
  std::string scope = Param(q, "scope");
  if ((" " + scope + " ").find(" openid ") == std::string::npos) {
    return fail("invalid_scope", "scope must include openid");
  }
  std::string challenge = Param(q, "code_challenge");
  if (challenge.size() != 43 || Param(q, "code_challenge_method") != "S256") {
    return fail("invalid_request", "PKCE with code_challenge_method=S256 is required");
  }
  std::string nonce = Param(q, "nonce");
  if (nonce.size() > 256 || state.size() > 512)
    return fail("invalid_request", "state or nonce too long");
  if (!req.principal) {
    if (Param(q, "prompt") == "none") return fail("login_required", "not signed in");
    return Redirect("/portal/login?redirect=" + UrlEncode(req.target));
  }
  if (!c.required_permission.empty() && !req.principal->HasPermission(c.required_permission)) {
    return fail("access_denied", "the user may not use this application");
  }
  json::object claims;
  claims["sub"] = req.principal->user_id();
  claims["preferred_username"] = req.principal->username();
  claims["name"] = req.principal->display_name();
  int64_t auth_time = req.principal->authenticated_at_ms();
  if (auth_time <= 0) auth_time = platform->clock().NowMillis();
  claims["auth_time"] = auth_time / 1000;
  if (!nonce.empty()) claims["nonce"] = nonce;
  claims["scope"] = scope;
  std::string code = NewToken();
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
  Status st = StoreGrant(**conn, "code", code, c.client_id, std::string(req.principal->user_id()),
                         json::serialize(claims), redirect_uri, challenge, "",
                         std::string(req.principal->session_id()), kCodeTtlMs);
  if (!st.ok()) return Response::Error(st, req.request_id);
  std::vector<std::pair<std::string, std::string>> kv = {{"code", code}};
  if (!state.empty()) kv.emplace_back("state", state);
  kv.emplace_back("iss", Issuer(req));
  return Redirect(AppendQuery(redirect_uri, kv));
}

Response SsoModule::State::IssueTokens(db::Connection& c, const std::string& client_id,
                                       const std::string& user_id, json::object claims,
                                       const std::string& family, const std::string& session_id,
                                       const std::string& issuer) {
  int64_t now = platform->clock().NowMillis();
  json::object id_claims;
  id_claims["iss"] = issuer;
  id_claims["sub"] = user_id;
  id_claims["aud"] = client_id;
  id_claims["azp"] = client_id;
  id_claims["iat"] = now / 1000;
  id_claims["exp"] = (now + kIdTokenTtlMs) / 1000;
  for (const char* k : {"auth_time", "nonce", "preferred_username", "name"}) {
    if (auto* v = claims.if_contains(k)) id_claims[k] = *v;
  }
  if (!session_id.empty()) id_claims["sid"] = Sm3Hex(session_id).substr(0, 32);
  auto id_token = signing->SignJwt(json::serialize(id_claims));
  if (!id_token.ok()) return OAuthError(500, "server_error", "signing failed");
  claims.erase("nonce");  // a nonce belongs to one authentication only
  std::string stored = json::serialize(claims);
  std::string access = NewToken(), refresh = NewToken();
  Status st = StoreGrant(c, "access", access, client_id, user_id, stored, "", "", family,
                         session_id, kAccessTtlMs);
  if (st.ok()) {
    st = StoreGrant(c, "refresh", refresh, client_id, user_id, stored, "", "", family, session_id,
                    kRefreshTtlMs);
  }
  if (!st.ok()) return OAuthError(500, "server_error", "cannot store tokens");
  json::object o;
  o["access_token"] = access;
  o["token_type"] = "Bearer";
  o["expires_in"] = kAccessTtlMs / 1000;
  o["id_token"] = *id_token;
  o["refresh_token"] = refresh;
  if (auto* s = claims.if_contains("scope")) o["scope"] = *s;
  Response r = Response::Json(200, o);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

Response SsoModule::State::Token(Request& req) {
  if (AsciiLower(req.Header("content-type")).rfind("application/x-www-form-urlencoded", 0) != 0) {
    return OAuthError(400, "invalid_request", "body must be application/x-www-form-urlencoded");
  }
  auto form = http::ParseUrlEncoded(req.body);
  // Client authentication: client_secret_basic, client_secret_post, or none
  // (public clients, which PKCE protects).
  std::string client_id = Param(form, "client_id"), secret = Param(form, "client_secret");
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 6 && AsciiLower(auth.substr(0, 6)) == "basic ") {
    std::string b64(TrimAscii(auth.substr(6)));
    for (char& ch : b64) {
      if (ch == '+') ch = '-';
      if (ch == '/') ch = '_';
    }
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    auto decoded = Base64UrlDecode(b64);
    if (!decoded.ok()) return OAuthError(401, "invalid_client", "malformed Basic credentials");
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) return OAuthError(401, "invalid_client", "malformed Basic");
    std::string id_enc = decoded->substr(0, colon), secret_enc = decoded->substr(colon + 1);
    if (!PercentDecode(id_enc, &client_id, true) || !PercentDecode(secret_enc, &secret, true)) {
      return OAuthError(401, "invalid_client", "malformed Basic credentials");
    }
  }
  auto client = FindClient(client_id);
  if (!client.ok()) return OAuthError(500, "server_error", "storage unavailable");
  if (!client->has_value() || !(*client)->enabled) {
    return OAuthError(401, "invalid_client", "unknown client");
  }
  const Client& c = **client;
  if (!c.secret_hash.empty() && !ConstantTimeEquals(Sm3Hex(secret), c.secret_hash)) {
    return OAuthError(401, "invalid_client", "client authentication failed");
  }
  std::string grant_type = Param(form, "grant_type");
  std::string issuer = Issuer(req);
  int64_t now = platform->clock().NowMillis();
  std::optional<Response> answer;
  Status st = db::WithTransaction(platform->db(), [&](db::Connection& conn) -> Status {
    answer.reset();
    if (grant_type == "authorization_code") {
      std::string code = Param(form, "code");
      auto row = conn.QueryOne(
          "SELECT client_id, user_id, claims, redirect_uri, code_challenge, session_id, "
          "expires_at, used FROM sso_grant WHERE token_hash = ? AND kind = 'code'",
          {db::Value(Sm3Hex(code))});
      if (!row.ok()) return row.status();
      if (!*row || (*row)->GetText(0) != c.client_id || (*row)->GetInt64(6) < now) {
        answer = OAuthError(400, "invalid_grant", "unknown or expired authorization code");
        return Status::Ok();
      }
      if ((*row)->GetInt64(7) != 0) {
        answer = OAuthError(400, "invalid_grant", "authorization code already used");
        return Status::Ok();
      }
      if ((*row)->GetText(3) != Param(form, "redirect_uri")) {
        answer = OAuthError(400, "invalid_grant", "redirect_uri differs from the authorization");
        return Status::Ok();
      }
      if (!PkceS256Matches(Param(form, "code_verifier"), (*row)->GetText(4))) {
        answer = OAuthError(400, "invalid_grant", "PKCE verification failed");
        return Status::Ok();
      }
      auto mark = conn.Exec("UPDATE sso_grant SET used = 1 WHERE token_hash = ? AND used = 0",
                            {db::Value(Sm3Hex(code))});
      if (!mark.ok()) return mark.status();
      if (*mark != 1) {
        answer = OAuthError(400, "invalid_grant", "authorization code already used");
        return Status::Ok();
      }
      boost::system::error_code ec;
      json::value claims = json::parse((*row)->GetText(2), ec);
      if (ec || !claims.is_object()) return Status::DataLoss("stored claims unreadable");
      answer = IssueTokens(conn, c.client_id, (*row)->GetText(1), claims.as_object(),
                           Sm3Hex(code).substr(0, 32), (*row)->GetText(5), issuer);
      return Status::Ok();
    }
    if (grant_type == "refresh_token") {
      std::string token = Param(form, "refresh_token");
      auto row = conn.QueryOne(
          "SELECT client_id, user_id, claims, family, session_id, expires_at, used, revoked "
          "FROM sso_grant WHERE token_hash = ? AND kind = 'refresh'",
          {db::Value(Sm3Hex(token))});
      if (!row.ok()) return row.status();
      if (!*row || (*row)->GetText(0) != c.client_id || (*row)->GetInt64(5) < now ||
          (*row)->GetInt64(7) != 0) {
        answer = OAuthError(400, "invalid_grant", "unknown, expired or revoked refresh token");
        return Status::Ok();
      }
      std::string family = (*row)->GetText(3);
      if ((*row)->GetInt64(6) != 0) {
        // A rotated token came back: someone holds a copy. Revoke the family.
        auto rev =
            conn.Exec("UPDATE sso_grant SET revoked = 1 WHERE family = ?", {db::Value(family)});
        if (!rev.ok()) return rev.status();
        log::Warn("sso.refresh_reuse", {{"client", c.client_id}});
        answer = OAuthError(400, "invalid_grant", "refresh token reuse detected; family revoked");
        return Status::Ok();
      }
      auto mark = conn.Exec("UPDATE sso_grant SET used = 1 WHERE token_hash = ? AND used = 0",
                            {db::Value(Sm3Hex(token))});
      if (!mark.ok()) return mark.status();
      boost::system::error_code ec;
      json::value claims = json::parse((*row)->GetText(2), ec);
      if (ec || !claims.is_object()) return Status::DataLoss("stored claims unreadable");
      answer = IssueTokens(conn, c.client_id, (*row)->GetText(1), claims.as_object(), family,
                           (*row)->GetText(4), issuer);
      return Status::Ok();
    }
    answer = OAuthError(400, "unsupported_grant_type", "grant_type not supported");
    return Status::Ok();
  });
  if (!st.ok()) return OAuthError(500, "server_error", "storage unavailable");
  return std::move(*answer);
}

Response SsoModule::State::UserInfo(Request& req) {
  std::string_view auth = req.Header("authorization");
  if (auth.size() < 8 || AsciiLower(auth.substr(0, 7)) != "bearer ") {
    Response r = OAuthError(401, "invalid_token", "bearer access token required");
    r.SetHeader("WWW-Authenticate", "Bearer");
    return r;
  }
  std::string token(TrimAscii(auth.substr(7)));
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return OAuthError(500, "server_error", "storage unavailable");
  auto row = (*conn)->QueryOne(
      "SELECT user_id, claims, expires_at, revoked FROM sso_grant "
      "WHERE token_hash = ? AND kind = 'access'",
      {db::Value(Sm3Hex(token))});
  if (!row.ok()) return OAuthError(500, "server_error", "storage unavailable");
  if (!*row || (*row)->GetInt64(2) < platform->clock().NowMillis() || (*row)->GetInt64(3) != 0) {
    Response r = OAuthError(401, "invalid_token", "unknown, expired or revoked access token");
    r.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  boost::system::error_code ec;
  json::value claims = json::parse((*row)->GetText(1), ec);
  json::object o;
  o["sub"] = (*row)->GetText(0);
  if (!ec && claims.is_object()) {
    for (const char* k : {"preferred_username", "name"}) {
      if (auto* v = claims.as_object().if_contains(k)) o[k] = *v;
    }
  }
  Response r = Response::Json(200, o);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response SsoModule::State::Logout(Request& req) {
  auto q = http::ParseUrlEncoded(req.query);
  std::string hint = Param(q, "id_token_hint");
  std::string post_logout = Param(q, "post_logout_redirect_uri");
  std::string user_id, client_id = Param(q, "client_id");
  if (!hint.empty()) {
    auto payload = signing->VerifyJwt(hint);  // expiry ignored: a hint, not a credential
    if (payload.ok()) {
      boost::system::error_code ec;
      json::value v = json::parse(*payload, ec);
      if (!ec && v.is_object()) {
        if (auto* s = v.as_object().if_contains("sub"); s && s->is_string()) {
          user_id = std::string(s->as_string());
        }
        if (auto* a = v.as_object().if_contains("aud"); a && a->is_string()) {
          client_id = std::string(a->as_string());
        }
      }
    }
  }
  if (req.principal) user_id = std::string(req.principal->user_id());
  if (!user_id.empty() && !client_id.empty()) {
    auto conn = platform->db().Acquire();
    if (conn.ok()) {
      (void)(*conn)->Exec("UPDATE sso_grant SET revoked = 1 WHERE user_id = ? AND client_id = ?",
                          {db::Value(user_id), db::Value(client_id)});
    }
  }
  if (req.principal && end_session) end_session(req);
  if (!post_logout.empty() && !client_id.empty()) {
    auto client = FindClient(client_id);
    if (client.ok() && client->has_value() &&
        ContainsString((*client)->post_logout_uris, post_logout)) {
      std::string state = Param(q, "state");
      std::vector<std::pair<std::string, std::string>> kv;
      if (!state.empty()) kv.emplace_back("state", state);
      return Redirect(AppendQuery(post_logout, kv));
    }
  }
  return Response::Text(200,
                        "<!doctype html><meta charset=utf-8><title>已退出</title>"
                        "<p>您已退出统一身份认证。<a href=\"/portal/login\">重新登录</a></p>",
                        "text/html; charset=utf-8");
}

Response SsoModule::State::ListApps(Request& req) {
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
  auto rows = (*conn)->Query(
      "SELECT client_id, name, secret_hash, redirect_uris, post_logout_uris, app_url, "
      "description, required_permission, enabled, created_at FROM sso_client ORDER BY client_id");
  if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
  json::array items;
  for (const auto& r : *rows) {
    boost::system::error_code ec;
    json::object o;
    o["clientId"] = r.GetText(0);
    o["name"] = r.GetText(1);
    o["confidential"] = !r.GetText(2).empty();
    o["redirectUris"] = json::parse(r.GetText(3), ec);
    o["postLogoutRedirectUris"] = json::parse(r.GetText(4), ec);
    o["appUrl"] = r.GetText(5);
    o["description"] = r.GetText(6);
    o["requiredPermission"] = r.GetText(7);
    o["enabled"] = r.GetInt64(8) != 0;
    o["createdAt"] = r.GetInt64(9);
    items.push_back(std::move(o));
  }
  json::object out;
  out["total"] = items.size();
  out["items"] = std::move(items);
  return Response::Json(200, out);
}

Response SsoModule::State::CreateApp(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body.ok()) return Response::Error(body.status(), req.request_id);
  if (!body->is_object()) {
    return Response::Error(Status::InvalidArgument("请求体须为 JSON 对象"), req.request_id);
  }
  const json::object& b = body->as_object();
  auto text = [&](const char* k) -> std::string {
    auto* v = b.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  auto uris = [&](const char* k, json::array* out) -> bool {
    auto* v = b.if_contains(k);
    if (!v) return true;
    if (!v->is_array() || v->as_array().size() > 10) return false;
    for (const auto& u : v->as_array()) {
      if (!u.is_string() || !WellFormedUri(u.as_string())) return false;
      out->push_back(u);
    }
    return true;
  };
  std::string id = text("clientId"), name = text("name"), app_url = text("appUrl");
  bool id_ok = id.size() >= 3 && id.size() <= 64;
  for (char ch : id) {
    id_ok =
        id_ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_');
  }
  if (!id_ok) {
    return Response::Error(Status::InvalidArgument("clientId 须为 3–64 位小写字母、数字、-、_"),
                           req.request_id);
  }
  if (name.empty() || name.size() > 128 || !IsValidUtf8(name)) {
    return Response::Error(Status::InvalidArgument("应用名称须为 1–128 字节"), req.request_id);
  }
  json::array redirects, logouts;
  if (!uris("redirectUris", &redirects) || redirects.empty() ||
      !uris("postLogoutRedirectUris", &logouts)) {
    return Response::Error(
        Status::InvalidArgument("回调地址须为 1–10 个完整的 http(s) 地址，不含片段"),
        req.request_id);
  }
  if (!app_url.empty() && !WellFormedUri(app_url)) {
    return Response::Error(Status::InvalidArgument("应用地址须为完整的 http(s) 地址"),
                           req.request_id);
  }
  std::string description = text("description"), permission = text("requiredPermission");
  if (description.size() > 512 || permission.size() > 128) {
    return Response::Error(Status::InvalidArgument("说明或权限标识过长"), req.request_id);
  }
  auto* conf = b.if_contains("confidential");
  bool confidential = conf && conf->is_bool() && conf->as_bool();
  std::string secret = confidential ? NewToken() : std::string();
  int64_t now = platform->clock().NowMillis();
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
  auto ins = (*conn)->Exec(
      "INSERT INTO sso_client (client_id, name, secret_hash, redirect_uris, post_logout_uris, "
      "app_url, description, required_permission, enabled, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
      {db::Value(id), db::Value(name), db::Value(secret.empty() ? "" : Sm3Hex(secret)),
       db::Value(json::serialize(redirects)), db::Value(json::serialize(logouts)),
       db::Value(app_url), db::Value(description), db::Value(permission), db::Value(now),
       db::Value(now)});
  if (!ins.ok()) {
    Status st = ins.status().code() == Code::kConflict ? Status::Conflict("clientId 已存在：" + id)
                                                       : ins.status();
    return Response::Error(st, req.request_id);
  }
  Status audited = audit->Record({.user_id = std::string(req.principal->user_id()),
                                  .username = std::string(req.principal->username()),
                                  .source_ip = req.remote_addr,
                                  .action = "sso.app.create",
                                  .object_type = "sso_client",
                                  .object_id = id,
                                  .success = true,
                                  .request_id = req.request_id});
  if (!audited.ok()) return Response::Error(audited, req.request_id);
  json::object o;
  o["clientId"] = id;
  if (!secret.empty()) o["clientSecret"] = secret;  // shown once, stored only as a hash
  return Response::Json(201, o);
}

Response SsoModule::State::DisableApp(Request& req) {
  std::string id(req.PathParam("id"));
  Status st = db::WithTransaction(platform->db(), [&](db::Connection& c) -> Status {
    auto u = c.Exec("UPDATE sso_client SET enabled = 0, updated_at = ? WHERE client_id = ?",
                    {db::Value(platform->clock().NowMillis()), db::Value(id)});
    if (!u.ok()) return u.status();
    if (*u == 0) return Status::NotFound("应用不存在：" + id);
    return c.Exec("UPDATE sso_grant SET revoked = 1 WHERE client_id = ?", {db::Value(id)}).status();
  });
  if (st.ok()) {
    st = audit->Record({.user_id = std::string(req.principal->user_id()),
                        .username = std::string(req.principal->username()),
                        .source_ip = req.remote_addr,
                        .action = "sso.app.disable",
                        .object_type = "sso_client",
                        .object_id = id,
                        .success = true,
                        .request_id = req.request_id});
  }
  if (!st.ok()) return Response::Error(st, req.request_id);
  return Response::NoContent();
}

Response SsoModule::State::Catalog(Request& req) {
  auto conn = platform->db().Acquire();
  if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
  auto rows = (*conn)->Query(
      "SELECT client_id, name, app_url, description, required_permission FROM sso_client "
      "WHERE enabled = 1 ORDER BY name");
  if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
  json::array items;
  for (const auto& r : *rows) {
    std::string perm = r.GetText(4);
    if (!perm.empty() && !req.principal->HasPermission(perm)) continue;
    json::object o;
    o["id"] = r.GetText(0);
    o["name"] = r.GetText(1);
    o["url"] = r.GetText(2);
    o["description"] = r.GetText(3);
    items.push_back(std::move(o));
  }
  json::object out;
  out["items"] = std::move(items);
  return Response::Json(200, out);
}

Status SsoModule::Start(Platform& platform) {
  State& s = *state_;
  s.platform = &platform;
  HRSS_ASSIGN_OR_RETURN(auto keys,
                        identity::KeyRing::LoadOrCreate(platform.config().KeyFilePath()));
  s.keys.emplace(std::move(keys));
  HRSS_RETURN_IF_ERROR(s.LoadSigningKey());
  s.audit.emplace(platform.db(), *s.keys, platform.clock());
  auto st = state_;
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/sso/apps",
      .permission = "system:app:read",
      .summary = "单点登录应用列表",
      .handler = [st](Request& req) { return st->ListApps(req); },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/api/v1/sso/apps",
      .permission = "system:app:write",
      .max_body_bytes = 16 * 1024,
      .summary = "登记单点登录应用（OIDC 客户端）",
      .handler = [st](Request& req) { return st->CreateApp(req); },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kDelete,
      .pattern = "/api/v1/sso/apps/{id}",
      .permission = "system:app:write",
      .summary = "停用单点登录应用并吊销其令牌",
      .handler = [st](Request& req) { return st->DisableApp(req); },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/api/v1/sso/catalog",
      .permission = "self:apps",
      .summary = "本人可进入的应用目录",
      .handler = [st](Request& req) { return st->Catalog(req); },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/.well-known/openid-configuration",
      .is_public = true,
      .execution = http::Execution::kInline,
      .summary = "OpenID Connect 发现文档",
      .handler =
          [st](Request& req) {
            std::string iss = st->Issuer(req);
            json::object o;
            o["issuer"] = iss;
            o["authorization_endpoint"] = iss + "/oidc/authorize";
            o["token_endpoint"] = iss + "/oidc/token";
            o["userinfo_endpoint"] = iss + "/oidc/userinfo";
            o["jwks_uri"] = iss + "/oidc/jwks";
            o["end_session_endpoint"] = iss + "/oidc/logout";
            o["response_types_supported"] = json::array{"code"};
            o["grant_types_supported"] = json::array{"authorization_code", "refresh_token"};
            o["subject_types_supported"] = json::array{"public"};
            o["id_token_signing_alg_values_supported"] = json::array{"ES256"};
            o["scopes_supported"] = json::array{"openid", "profile"};
            o["token_endpoint_auth_methods_supported"] =
                json::array{"client_secret_basic", "client_secret_post", "none"};
            o["code_challenge_methods_supported"] = json::array{"S256"};
            o["claims_supported"] = json::array{"sub",   "iss",  "aud",
                                                "exp",   "iat",  "auth_time",
                                                "nonce", "name", "preferred_username",
                                                "sid"};
            o["authorization_response_iss_parameter_supported"] = true;
            return Response::Json(200, o);
          },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/oidc/jwks",
      .is_public = true,
      .execution = http::Execution::kInline,
      .summary = "OpenID Connect 签名公钥（JWKS）",
      .handler =
          [st](Request&) {
            Response r =
                Response::JsonText(200, "{\"keys\":[" + st->signing->PublicJwkJson() + "]}");
            r.SetHeader("Cache-Control", "public, max-age=300");
            return r;
          },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/oidc/authorize",
      .is_public = true,  // unauthenticated users are sent to the portal login
      .attach_principal = true,
      .summary = "OpenID Connect 授权（授权码 + PKCE）",
      .handler = [st](Request& req) { return st->Authorize(req); },
  }));
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kPost,
      .pattern = "/oidc/token",
      .is_public = true,  // clients authenticate themselves (secret or PKCE)
      .max_body_bytes = 16 * 1024,
      .summary = "OpenID Connect 令牌",
      .handler = [st](Request& req) { return st->Token(req); },
  }));
  for (Method m : {Method::kGet, Method::kPost}) {
    HRSS_RETURN_IF_ERROR(platform.AddRoute({
        .method = m,
        .pattern = "/oidc/userinfo",
        .is_public = true,  // bearer access token checked by the handler
        .max_body_bytes = 0,
        .summary = "OpenID Connect 用户信息",
        .handler = [st](Request& req) { return st->UserInfo(req); },
    }));
  }
  HRSS_RETURN_IF_ERROR(platform.AddRoute({
      .method = Method::kGet,
      .pattern = "/oidc/logout",
      .is_public = true,
      .attach_principal = true,
      .summary = "OpenID Connect 退出登录",
      .handler = [st](Request& req) { return st->Logout(req); },
  }));
  return Status::Ok();
}

Status SsoModule::LoadDemo(Platform& platform, const DemoOptions&) {
  // Demo relying parties: two level-2 business systems and the test client.
  struct DemoApp {
    const char* id;
    const char* name;
    const char* url;
    const char* description;
    const char* permission;
  };
  static const DemoApp kApps[] = {
      {"jubao", "城乡居民养老保险业务系统", "http://127.0.0.1:8090/jubao/",
       "二级系统（演示登记）：居保参保、缴费、待遇", ""},
      {"shebao", "社会保险业务系统（金保工程）", "http://127.0.0.1:8090/shebao/",
       "二级系统（演示登记）：职工社保经办", ""},
  };
  State& s = *state_;
  std::string summary = "SSO demo clients (public, PKCE):\n";
  int64_t now = platform.clock().NowMillis();
  for (const auto& a : kApps) {
    auto conn = platform.db().Acquire();
    if (!conn.ok()) return conn.status();
    json::array redirects{std::string(a.url) + "callback", "http://127.0.0.1:8090/callback"};
    json::array logouts{std::string(a.url)};
    auto r = (*conn)->Exec(
        "INSERT INTO sso_client (client_id, name, secret_hash, redirect_uris, post_logout_uris, "
        "app_url, description, required_permission, enabled, created_at, updated_at) "
        "SELECT ?, ?, '', ?, ?, ?, ?, ?, 1, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM sso_client WHERE client_id = ?)",
        {db::Value(a.id), db::Value(a.name), db::Value(json::serialize(redirects)),
         db::Value(json::serialize(logouts)), db::Value(a.url), db::Value(a.description),
         db::Value(a.permission), db::Value(now), db::Value(now), db::Value(a.id)});
    if (!r.ok()) return r.status();
    summary += std::string("  ") + a.id + "  " + a.name + "\n";
  }
  std::lock_guard lock(s.mu);
  s.demo_summary = summary;
  return Status::Ok();
}

std::string SsoModule::DemoSummary() const {
  std::lock_guard lock(state_->mu);
  return state_->demo_summary;
}

}  // namespace hrss::sso
