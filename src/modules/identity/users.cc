#include "modules/identity/users.h"

#include "core/masking.h"
#include "db/transaction.h"

namespace hrss::identity {

namespace {
constexpr const char* kUserColumns =
    "id, username, display_name, staff_no, phone_enc, phone_masked, org_id, status, "
    "password_hash, password_changed_at, failed_count, locked_until, totp_secret_enc, "
    "totp_enabled, totp_pending_enc, totp_last_step, created_at";

std::string NormalizePhone(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') out += c;
  }
  return out;
}

Status ValidatePhone(std::string_view phone) {
  std::string n = NormalizePhone(phone);
  if (n.size() < 7 || n.size() > 16) return Status::InvalidArgument("电话号码格式不正确");
  return Status::Ok();
}
}  // namespace

User UserStore::FromRow(const db::Row& r) const {
  User u;
  u.id = r.GetInt64("id");
  u.username = r.GetText("username");
  u.display_name = r.GetText("display_name");
  u.staff_no = r.GetText("staff_no");
  u.phone_enc = r.OptText("phone_enc").value_or("");
  u.phone_masked = r.GetText("phone_masked");
  u.org_id = r.GetInt64("org_id");
  u.status = r.GetText("status");
  u.password_hash = r.GetText("password_hash");
  u.password_changed_at = r.GetInt64("password_changed_at");
  u.failed_count = static_cast<int>(r.GetInt64("failed_count"));
  u.locked_until = r.GetInt64("locked_until");
  u.totp_secret_enc = r.OptText("totp_secret_enc").value_or("");
  u.totp_enabled = r.GetInt64("totp_enabled") != 0;
  u.totp_pending_enc = r.OptText("totp_pending_enc").value_or("");
  u.totp_last_step = r.GetInt64("totp_last_step");
  u.created_at = r.GetInt64("created_at");
  return u;
}

Result<std::vector<int64_t>> UserStore::Posts(db::Connection& c, int64_t user_id) {
  HRSS_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT post_id FROM idn_user_post WHERE user_id = ? ORDER BY post_id", {user_id}));
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.GetInt64(0));
  return out;
}

Result<std::optional<User>> UserStore::FindById(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      auto row,
      conn->QueryOne(std::string("SELECT ") + kUserColumns + " FROM idn_user WHERE id = ?", {id}));
  if (!row) return std::optional<User>();
  User u = FromRow(*row);
  HRSS_ASSIGN_OR_RETURN(u.post_ids, Posts(*conn, u.id));
  return std::optional<User>(std::move(u));
}

Result<std::optional<User>> UserStore::FindByUsername(std::string_view username) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kUserColumns +
                                                     " FROM idn_user WHERE username = ?",
                                                 {std::string(username)}));
  if (!row) return std::optional<User>();
  User u = FromRow(*row);
  HRSS_ASSIGN_OR_RETURN(u.post_ids, Posts(*conn, u.id));
  return std::optional<User>(std::move(u));
}

Result<std::map<std::string, std::string>> UserStore::DisplayNames(
    const std::vector<std::string>& usernames) {
  std::map<std::string, std::string> out;
  if (usernames.empty()) return out;
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  constexpr size_t kChunk = 200;
  for (size_t at = 0; at < usernames.size(); at += kChunk) {
    const size_t n = std::min(kChunk, usernames.size() - at);
    std::string sql = "SELECT username, display_name FROM idn_user WHERE username IN (";
    db::Params params;
    for (size_t i = 0; i < n; ++i) {
      sql += i ? ",?" : "?";
      params.emplace_back(usernames[at + i]);
    }
    HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query(sql + ")", params));
    for (const auto& r : rows) out[r.GetText(0)] = r.GetText(1);
  }
  return out;
}

Result<std::vector<User>> UserStore::List(const UserQuery& q, const DataScope& scope,
                                          int64_t* total) {
  SqlFilter f = scope.Where({.org = "org_id", .owner = "id"});
  std::string where = " WHERE " + f.sql;
  db::Params params = f.params;
  if (q.org_id) {
    where += " AND org_id = ?";
    params.emplace_back(*q.org_id);
  }
  if (!q.q.empty()) {
    std::string like = "%";
    for (char c : q.q) {
      if (c == '%' || c == '_' || c == '\\') like += '\\';
      like += c;
    }
    like += "%";
    where +=
        " AND (username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\' OR staff_no "
        "LIKE ? ESCAPE '\\')";
    params.emplace_back(like);
    params.emplace_back(like);
    params.emplace_back(like);
  }
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto cnt,
                        conn->QueryOne("SELECT COUNT(*) AS n FROM idn_user" + where, params));
  *total = cnt ? cnt->GetInt64("n") : 0;
  db::Params p2 = params;
  p2.emplace_back(static_cast<int64_t>(q.size));
  p2.emplace_back(static_cast<int64_t>((q.page - 1) * q.size));
  HRSS_ASSIGN_OR_RETURN(
      auto rows, conn->Query(std::string("SELECT ") + kUserColumns + " FROM idn_user" + where +
                                 " ORDER BY org_id, id LIMIT ? OFFSET ?",
                             p2));
  std::vector<User> out;
  for (const auto& r : rows) {
    User u = FromRow(r);
    HRSS_ASSIGN_OR_RETURN(u.post_ids, Posts(*conn, u.id));
    out.push_back(std::move(u));
  }
  return out;
}

Result<int64_t> UserStore::Create(const User& u, std::string_view phone_plain) {
  if (u.username.empty() || u.username.size() > 64)
    return Status::InvalidArgument("用户名须为 1–64 字节");
  for (char c : u.username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return Status::InvalidArgument("用户名只能包含小写字母、数字、_ . -");
  }
  if (u.display_name.empty() || u.display_name.size() > 64)
    return Status::InvalidArgument("姓名须为 1–64 字节");
  if (u.staff_no.empty() || u.staff_no.size() > 32)
    return Status::InvalidArgument("工号须为 1–32 字节");
  db::Value enc, idx;
  std::string masked;
  if (!phone_plain.empty()) {
    HRSS_RETURN_IF_ERROR(ValidatePhone(phone_plain));
    std::string n = NormalizePhone(phone_plain);
    HRSS_ASSIGN_OR_RETURN(std::string sealed, keys_.EncryptField(kPhoneContext, n));
    enc = db::Blob{sealed};
    idx = keys_.BlindIndex(kPhoneContext, n);
    masked = MaskPhone(n);
  }
  int64_t now = clock_.NowMillis();
  int64_t id = 0;
  HRSS_RETURN_IF_ERROR(db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("INSERT INTO idn_user (username, display_name, staff_no, phone_enc, phone_idx, "
               "phone_masked, org_id, status, password_hash, password_changed_at, created_at, "
               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {u.username, u.display_name, u.staff_no, enc, idx, masked, u.org_id,
                u.status.empty() ? std::string("active") : u.status, u.password_hash,
                u.password_changed_at, now, now})
            .status());
    id = c.LastInsertId();
    for (int64_t p : u.post_ids) {
      HRSS_RETURN_IF_ERROR(
          c.Exec("INSERT INTO idn_user_post (user_id, post_id) VALUES (?, ?)", {id, p}).status());
    }
    return c
        .Exec(
            "INSERT INTO idn_password_history (user_id, password_hash, created_at) "
            "VALUES (?, ?, ?)",
            {id, u.password_hash, now})
        .status();
  }));
  return id;
}

Status UserStore::Update(const User& u, std::optional<std::string> phone_plain) {
  if (u.display_name.empty() || u.display_name.size() > 64)
    return Status::InvalidArgument("姓名须为 1–64 字节");
  if (u.staff_no.empty() || u.staff_no.size() > 32)
    return Status::InvalidArgument("工号须为 1–32 字节");
  db::Value enc, idx;
  std::string masked;
  if (phone_plain && !phone_plain->empty()) {
    HRSS_RETURN_IF_ERROR(ValidatePhone(*phone_plain));
    std::string n = NormalizePhone(*phone_plain);
    HRSS_ASSIGN_OR_RETURN(std::string sealed, keys_.EncryptField(kPhoneContext, n));
    enc = db::Blob{sealed};
    idx = keys_.BlindIndex(kPhoneContext, n);
    masked = MaskPhone(n);
  }
  int64_t now = clock_.NowMillis();
  return db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(int64_t n,
                          c.Exec("UPDATE idn_user SET display_name = ?, staff_no = ?, org_id = ?, "
                                 "updated_at = ? WHERE id = ?",
                                 {u.display_name, u.staff_no, u.org_id, now, u.id}));
    if (n == 0) return Status::NotFound("用户不存在");
    if (phone_plain) {
      HRSS_RETURN_IF_ERROR(c.Exec("UPDATE idn_user SET phone_enc = ?, phone_idx = ?, "
                                  "phone_masked = ? WHERE id = ?",
                                  {enc, idx, masked, u.id})
                               .status());
    }
    HRSS_RETURN_IF_ERROR(c.Exec("DELETE FROM idn_user_post WHERE user_id = ?", {u.id}).status());
    for (int64_t p : u.post_ids) {
      HRSS_RETURN_IF_ERROR(
          c.Exec("INSERT INTO idn_user_post (user_id, post_id) VALUES (?, ?)", {u.id, p}).status());
    }
    return Status::Ok();
  });
}

Status UserStore::SetStatus(int64_t id, std::string_view status) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(int64_t n,
                        conn->Exec("UPDATE idn_user SET status = ?, updated_at = ? WHERE id = ?",
                                   {std::string(status), clock_.NowMillis(), id}));
  return n == 0 ? Status::NotFound("用户不存在") : Status::Ok();
}

Status UserStore::Unlock(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      int64_t n,
      conn->Exec("UPDATE idn_user SET failed_count = 0, locked_until = 0 WHERE id = ?", {id}));
  return n == 0 ? Status::NotFound("用户不存在") : Status::Ok();
}

Result<int> UserStore::RecordFailure(int64_t id, int threshold, int64_t lock_until) {
  int count = 0;
  HRSS_RETURN_IF_ERROR(db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_RETURN_IF_ERROR(
        c.Exec("UPDATE idn_user SET failed_count = failed_count + 1 WHERE id = ?", {id}).status());
    HRSS_ASSIGN_OR_RETURN(auto row,
                          c.QueryOne("SELECT failed_count FROM idn_user WHERE id = ?", {id}));
    count = row ? static_cast<int>(row->GetInt64(0)) : 0;
    if (count >= threshold) {
      // The lock starts now; the counter restarts so that the next series of
      // failures after the lock expires locks again after `threshold`.
      return c
          .Exec("UPDATE idn_user SET locked_until = ?, failed_count = 0 WHERE id = ?",
                {lock_until, id})
          .status();
    }
    return Status::Ok();
  }));
  return count;
}

Status UserStore::RecordSuccess(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn->Exec("UPDATE idn_user SET failed_count = 0 WHERE id = ? AND failed_count <> 0", {id})
      .status();
}

Status UserStore::SetPassword(int64_t id, std::string_view hash, int64_t changed_at, int keep) {
  int64_t now = clock_.NowMillis();
  return db::WithTransaction(pool_, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(int64_t n,
                          c.Exec("UPDATE idn_user SET password_hash = ?, password_changed_at = ?, "
                                 "updated_at = ? WHERE id = ?",
                                 {std::string(hash), changed_at, now, id}));
    if (n == 0) return Status::NotFound("用户不存在");
    HRSS_RETURN_IF_ERROR(c.Exec("INSERT INTO idn_password_history (user_id, password_hash, "
                                "created_at) VALUES (?, ?, ?)",
                                {id, std::string(hash), now})
                             .status());
    HRSS_ASSIGN_OR_RETURN(auto rows,
                          c.Query("SELECT id FROM idn_password_history WHERE user_id = ? "
                                  "ORDER BY id DESC",
                                  {id}));
    for (size_t i = static_cast<size_t>(keep); i < rows.size(); ++i) {
      HRSS_RETURN_IF_ERROR(
          c.Exec("DELETE FROM idn_password_history WHERE id = ?", {rows[i].GetInt64(0)}).status());
    }
    return Status::Ok();
  });
}

Result<std::vector<std::string>> UserStore::PasswordHistory(int64_t id, int n) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT password_hash FROM idn_password_history "
                                               "WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                                               {id, static_cast<int64_t>(n)}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.GetText(0));
  return out;
}

Status UserStore::SetTotpPending(int64_t id, std::string_view secret) {
  HRSS_ASSIGN_OR_RETURN(std::string sealed, keys_.EncryptField(kTotpContext, secret));
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn->Exec("UPDATE idn_user SET totp_pending_enc = ? WHERE id = ?", {db::Blob{sealed}, id})
      .status();
}

Status UserStore::EnableTotp(int64_t id, std::string_view secret) {
  HRSS_ASSIGN_OR_RETURN(std::string sealed, keys_.EncryptField(kTotpContext, secret));
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn
      ->Exec(
          "UPDATE idn_user SET totp_secret_enc = ?, totp_enabled = 1, totp_pending_enc = NULL "
          "WHERE id = ?",
          {db::Blob{sealed}, id})
      .status();
}

Status UserStore::DisableTotp(int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn
      ->Exec(
          "UPDATE idn_user SET totp_secret_enc = NULL, totp_enabled = 0, totp_pending_enc = NULL "
          "WHERE id = ?",
          {id})
      .status();
}

Result<bool> UserStore::ConsumeTotpStep(int64_t id, int64_t step) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(int64_t n, conn->Exec("UPDATE idn_user SET totp_last_step = ? "
                                              "WHERE id = ? AND totp_last_step < ?",
                                              {step, id, step}));
  return n > 0;
}

Result<std::string> UserStore::TotpSecret(const User& u) const {
  if (u.totp_secret_enc.empty()) return Status::FailedPrecondition("未启用动态口令");
  return keys_.DecryptField(kTotpContext, u.totp_secret_enc);
}

Result<std::string> UserStore::PendingTotpSecret(const User& u) const {
  if (u.totp_pending_enc.empty()) return Status::FailedPrecondition("请先开始绑定动态口令");
  return keys_.DecryptField(kTotpContext, u.totp_pending_enc);
}

Result<std::string> UserStore::DecryptPhone(const User& u) const {
  if (u.phone_enc.empty()) return std::string();
  return keys_.DecryptField(kPhoneContext, u.phone_enc);
}

}  // namespace hrss::identity
