#include "modules/identity/delegation.h"

namespace hrss::identity {

std::string EncodeScopes(const std::vector<ScopeGrant>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ";";
    out += s.domain + "|" + std::string(ScopeKindName(s.kind)) + "|" + JoinIds(s.org_ids);
  }
  return out;
}

std::vector<ScopeGrant> DecodeScopes(std::string_view text) {
  std::vector<ScopeGrant> out;
  while (!text.empty()) {
    size_t semi = text.find(';');
    std::string_view part = text.substr(0, semi);
    size_t a = part.find('|');
    size_t b = a == std::string_view::npos ? a : part.find('|', a + 1);
    if (b != std::string_view::npos) {
      auto kind = ParseScopeKind(part.substr(a + 1, b - a - 1));
      if (kind.ok())
        out.push_back({std::string(part.substr(0, a)), *kind, SplitIds(part.substr(b + 1))});
    }
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  return out;
}

namespace {
std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += ",";
    out += k;
  }
  return out;
}
std::vector<std::string> SplitKeys(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}
constexpr const char* kColumns =
    "SELECT id, from_user_id, to_user_id, permissions, scopes, starts_at, ends_at, reason, "
    "created_at, revoked_at, revoked_by FROM idn_delegation";
}  // namespace

Result<int64_t> DelegationStore::Create(const Delegation& d) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_RETURN_IF_ERROR(
      conn->Exec("INSERT INTO idn_delegation (from_user_id, to_user_id, permissions, scopes, "
                 "starts_at, ends_at, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {d.from_user_id, d.to_user_id, JoinKeys(d.permissions), EncodeScopes(d.scopes),
                  d.starts_at, d.ends_at, d.reason, clock_.NowMillis()})
          .status());
  return conn->LastInsertId();
}

Result<std::vector<Delegation>> DelegationStore::Select(const std::string& where,
                                                        const db::Params& params) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query(std::string(kColumns) + " " + where, params));
  std::vector<Delegation> out;
  for (const auto& r : rows) {
    Delegation d;
    d.id = r.GetInt64(0);
    d.from_user_id = r.GetInt64(1);
    d.to_user_id = r.GetInt64(2);
    d.permissions = SplitKeys(r.GetText(3));
    d.scopes = DecodeScopes(r.GetText(4));
    d.starts_at = r.GetInt64(5);
    d.ends_at = r.GetInt64(6);
    d.reason = r.GetText(7);
    d.created_at = r.GetInt64(8);
    d.revoked_at = r.GetInt64(9);
    d.revoked_by = r.GetInt64(10);
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<Delegation>> DelegationStore::Get(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto v, Select("WHERE id = ?", {id}));
  if (v.empty()) return std::optional<Delegation>();
  return std::optional<Delegation>(std::move(v[0]));
}

Result<std::vector<Delegation>> DelegationStore::Given(int64_t from) {
  return Select("WHERE from_user_id = ? ORDER BY id DESC LIMIT 200", {from});
}

Result<std::vector<Delegation>> DelegationStore::Received(int64_t to) {
  return Select("WHERE to_user_id = ? ORDER BY id DESC LIMIT 200", {to});
}

Result<std::vector<Delegation>> DelegationStore::PendingOrActiveFor(int64_t to, int64_t now_ms) {
  return Select("WHERE to_user_id = ? AND revoked_at = 0 AND ends_at > ? ORDER BY id",
                {to, now_ms});
}

Status DelegationStore::Revoke(int64_t id, int64_t by) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(int64_t n,
                        conn->Exec("UPDATE idn_delegation SET revoked_at = ?, revoked_by = ? "
                                   "WHERE id = ? AND revoked_at = 0",
                                   {clock_.NowMillis(), by, id}));
  return n == 0 ? Status::FailedPrecondition("转授不存在或已撤销") : Status::Ok();
}

}  // namespace hrss::identity
