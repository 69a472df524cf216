#include "modules/identity/sessions.h"

#include "core/crypto.h"

namespace hrss::identity {

namespace {
constexpr const char* kColumns =
    "SELECT id, user_id, csrf_hash, created_at, last_seen_at, expires_at, reauth_at, ip, "
    "user_agent, auth_method, revoked_at FROM idn_session";

Session FromRow(const db::Row& r) {
  Session s;
  s.id = r.GetText(0);
  s.user_id = r.GetInt64(1);
  s.csrf_hash = r.GetText(2);
  s.created_at = r.GetInt64(3);
  s.last_seen_at = r.GetInt64(4);
  s.expires_at = r.GetInt64(5);
  s.reauth_at = r.GetInt64(6);
  s.ip = r.GetText(7);
  s.user_agent = r.GetText(8);
  s.auth_method = r.GetText(9);
  s.revoked_at = r.GetInt64(10);
  return s;
}
}  // namespace

Result<NewSession> SessionStore::Create(int64_t user_id, std::string_view ip,
                                        std::string_view user_agent, std::string_view method) {
  NewSession ns;
  int64_t now = clock_.NowMillis();
  ns.token = Base64UrlEncode(RandomBytes(32));
  ns.csrf = Base64UrlEncode(RandomBytes(24));
  Session& s = ns.session;
  s.id = HexEncode(RandomBytes(16));
  s.user_id = user_id;
  s.csrf_hash = Sm3Hex(ns.csrf);
  s.created_at = s.last_seen_at = s.reauth_at = now;
  s.expires_at = now + absolute_ms_;
  s.ip = std::string(ip.substr(0, 64));
  s.user_agent = std::string(user_agent.substr(0, 200));
  s.auth_method = std::string(method);
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_RETURN_IF_ERROR(
      conn->Exec("INSERT INTO idn_session (id, token_hash, csrf_hash, user_id, created_at, "
                 "last_seen_at, expires_at, reauth_at, ip, user_agent, auth_method) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {s.id, Sm3Hex(ns.token), s.csrf_hash, user_id, now, now, s.expires_at, now, s.ip,
                  s.user_agent, s.auth_method})
          .status());
  return ns;
}

bool SessionStore::Live(const Session& s, int64_t now) const {
  return s.revoked_at == 0 && now < s.expires_at && now - s.last_seen_at <= idle_ms_;
}

Result<std::optional<Session>> SessionStore::Find(std::string_view token) {
  if (token.size() != 43) return std::optional<Session>();
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto row, conn->QueryOne(std::string(kColumns) + " WHERE token_hash = ?", {Sm3Hex(token)}));
  if (!row) return std::optional<Session>();
  Session s = FromRow(*row);
  if (!Live(s, clock_.NowMillis())) return std::optional<Session>();
  return std::optional<Session>(std::move(s));
}

Result<std::optional<Session>> SessionStore::Get(const std::string& id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string(kColumns) + " WHERE id = ?", {id}));
  if (!row) return std::optional<Session>();
  return std::optional<Session>(FromRow(*row));
}

Status SessionStore::Touch(const std::string& id, int64_t now) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn
      ->Exec("UPDATE idn_session SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
             {now, id, now})
      .status();
}

Status SessionStore::MarkReauth(const std::string& id, int64_t now) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn
      ->Exec("UPDATE idn_session SET reauth_at = ?, last_seen_at = ? WHERE id = ?", {now, now, id})
      .status();
}

Status SessionStore::Revoke(const std::string& id, int64_t by) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(int64_t n,
                        conn->Exec("UPDATE idn_session SET revoked_at = ?, revoked_by = ? "
                                   "WHERE id = ? AND revoked_at = 0",
                                   {clock_.NowMillis(), by, id}));
  if (n == 0) {
    HRSS_ASSIGN_OR_RETURN(auto s, Get(id));
    if (!s) return Status::NotFound("会话不存在");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SessionStore::RevokeAllOf(int64_t user_id,
                                                           const std::string& keep_id, int64_t by) {
  HRSS_ASSIGN_OR_RETURN(auto list, ListOf(user_id));
  std::vector<std::string> ids;
  for (const auto& s : list) {
    if (s.id == keep_id) continue;
    HRSS_RETURN_IF_ERROR(Revoke(s.id, by));
    ids.push_back(s.id);
  }
  return ids;
}

Result<std::vector<Session>> SessionStore::ListOf(int64_t user_id) {
  int64_t now = clock_.NowMillis();
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto rows, conn->Query(std::string(kColumns) + " WHERE user_id = ? AND revoked_at = 0 AND "
                                                     "expires_at > ? ORDER BY created_at DESC",
                             {user_id, now}));
  std::vector<Session> out;
  for (const auto& r : rows) {
    Session s = FromRow(r);
    if (Live(s, now)) out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Session>> SessionStore::ListLive(int page, int size, int64_t* total) {
  int64_t now = clock_.NowMillis();
  db::Params p = {now, now - idle_ms_};
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  const std::string where = " WHERE revoked_at = 0 AND expires_at > ? AND last_seen_at >= ?";
  HRSS_ASSIGN_OR_RETURN(auto cnt,
                        conn->QueryOne("SELECT COUNT(*) AS n FROM idn_session" + where, p));
  *total = cnt ? cnt->GetInt64("n") : 0;
  p.emplace_back(static_cast<int64_t>(size));
  p.emplace_back(static_cast<int64_t>((page - 1) * size));
  HRSS_ASSIGN_OR_RETURN(
      auto rows,
      conn->Query(std::string(kColumns) + where + " ORDER BY created_at DESC LIMIT ? OFFSET ?", p));
  std::vector<Session> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace hrss::identity
