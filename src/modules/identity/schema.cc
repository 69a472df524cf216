#include "modules/identity/schema.h"

#include "db/migrate.h"

namespace hrss::identity {

namespace {
// Generated from one table list so both dialects stay in step. Instants are
// epoch milliseconds; phone and TOTP secrets are SM4-sealed blobs.
constexpr const char* kV1Sqlite = R"sql(
CREATE TABLE IF NOT EXISTS idn_org (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NULL,
  code VARCHAR(96) NOT NULL,
  name VARCHAR(128) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  division_code VARCHAR(12) NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (code)
);
CREATE INDEX IF NOT EXISTS idn_org_parent ON idn_org (parent_id);
CREATE TABLE IF NOT EXISTS idn_post (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(128) NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  UNIQUE (code)
);
CREATE TABLE IF NOT EXISTS idn_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username VARCHAR(64) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  staff_no VARCHAR(32) NOT NULL,
  phone_enc BLOB NULL,
  phone_idx VARCHAR(64) NULL,
  phone_masked VARCHAR(32) NOT NULL DEFAULT '',
  org_id INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  password_changed_at INTEGER NOT NULL,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  totp_secret_enc BLOB NULL,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_pending_enc BLOB NULL,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (username),
  UNIQUE (staff_no)
);
CREATE INDEX IF NOT EXISTS idn_user_org ON idn_user (org_id);
CREATE INDEX IF NOT EXISTS idn_user_phone ON idn_user (phone_idx);
CREATE TABLE IF NOT EXISTS idn_user_post (
  user_id INTEGER NOT NULL,
  post_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, post_id)
);
CREATE TABLE IF NOT EXISTS idn_password_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idn_pwhist_user ON idn_password_history (user_id);
CREATE TABLE IF NOT EXISTS idn_role (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  admin_kind VARCHAR(16) NOT NULL DEFAULT 'none',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (code)
);
CREATE TABLE IF NOT EXISTS idn_role_permission (
  role_id INTEGER NOT NULL,
  perm_key VARCHAR(96) NOT NULL,
  PRIMARY KEY (role_id, perm_key)
);
CREATE TABLE IF NOT EXISTS idn_role_scope (
  role_id INTEGER NOT NULL,
  domain VARCHAR(32) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  org_ids TEXT NOT NULL,
  PRIMARY KEY (role_id, domain, kind)
);
CREATE TABLE IF NOT EXISTS idn_user_role (
  user_id INTEGER NOT NULL,
  role_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX IF NOT EXISTS idn_user_role_role ON idn_user_role (role_id);
CREATE TABLE IF NOT EXISTS idn_session (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  csrf_hash VARCHAR(64) NOT NULL,
  user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  reauth_at INTEGER NOT NULL,
  ip VARCHAR(64) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  auth_method VARCHAR(32) NOT NULL DEFAULT '',
  revoked_at INTEGER NOT NULL DEFAULT 0,
  revoked_by INTEGER NOT NULL DEFAULT 0,
  UNIQUE (token_hash)
);
CREATE INDEX IF NOT EXISTS idn_session_user ON idn_session (user_id);
CREATE TABLE IF NOT EXISTS idn_delegation (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  from_user_id INTEGER NOT NULL,
  to_user_id INTEGER NOT NULL,
  permissions TEXT NOT NULL,
  scopes TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0,
  revoked_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idn_deleg_to ON idn_delegation (to_user_id);
CREATE INDEX IF NOT EXISTS idn_deleg_from ON idn_delegation (from_user_id);
CREATE TABLE IF NOT EXISTS idn_certificate (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  name VARCHAR(64) NOT NULL,
  algorithm VARCHAR(16) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, fingerprint)
);
)sql";

constexpr const char* kV1MariaDb = R"sql(
CREATE TABLE IF NOT EXISTS idn_org (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id BIGINT NULL,
  code VARCHAR(96) NOT NULL,
  name VARCHAR(128) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  division_code VARCHAR(12) NOT NULL DEFAULT '',
  sort INT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_org_parent ON idn_org (parent_id);
CREATE TABLE IF NOT EXISTS idn_post (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(128) NOT NULL,
  sort INT NOT NULL DEFAULT 0,
  UNIQUE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS idn_user (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,
  display_name VARCHAR(64) NOT NULL,
  staff_no VARCHAR(32) NOT NULL,
  phone_enc BLOB NULL,
  phone_idx VARCHAR(64) NULL,
  phone_masked VARCHAR(32) NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  password_changed_at BIGINT NOT NULL,
  failed_count INT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  totp_secret_enc BLOB NULL,
  totp_enabled INT NOT NULL DEFAULT 0,
  totp_pending_enc BLOB NULL,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (username),
  UNIQUE (staff_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_user_org ON idn_user (org_id);
CREATE INDEX IF NOT EXISTS idn_user_phone ON idn_user (phone_idx);
CREATE TABLE IF NOT EXISTS idn_user_post (
  user_id BIGINT NOT NULL,
  post_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, post_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS idn_password_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_pwhist_user ON idn_password_history (user_id);
CREATE TABLE IF NOT EXISTS idn_role (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  admin_kind VARCHAR(16) NOT NULL DEFAULT 'none',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS idn_role_permission (
  role_id BIGINT NOT NULL,
  perm_key VARCHAR(96) NOT NULL,
  PRIMARY KEY (role_id, perm_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS idn_role_scope (
  role_id BIGINT NOT NULL,
  domain VARCHAR(32) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  org_ids TEXT NOT NULL,
  PRIMARY KEY (role_id, domain, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS idn_user_role (
  user_id BIGINT NOT NULL,
  role_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, role_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_user_role_role ON idn_user_role (role_id);
CREATE TABLE IF NOT EXISTS idn_session (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  csrf_hash VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  reauth_at BIGINT NOT NULL,
  ip VARCHAR(64) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  auth_method VARCHAR(32) NOT NULL DEFAULT '',
  revoked_at BIGINT NOT NULL DEFAULT 0,
  revoked_by BIGINT NOT NULL DEFAULT 0,
  UNIQUE (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_session_user ON idn_session (user_id);
CREATE TABLE IF NOT EXISTS idn_delegation (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  from_user_id BIGINT NOT NULL,
  to_user_id BIGINT NOT NULL,
  permissions TEXT NOT NULL,
  scopes TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  revoked_by BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX IF NOT EXISTS idn_deleg_to ON idn_delegation (to_user_id);
CREATE INDEX IF NOT EXISTS idn_deleg_from ON idn_delegation (from_user_id);
CREATE TABLE IF NOT EXISTS idn_certificate (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  name VARCHAR(64) NOT NULL,
  algorithm VARCHAR(16) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (user_id, fingerprint)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
)sql";
}  // namespace

Status RegisterIdentityMigrations(db::Migrator& migrator) {
  return migrator.Register({
      .module = "identity",
      .version = 1,
      .name = "orgs, users, roles, sessions, delegations, certificates",
      .sqlite_sql = kV1Sqlite,
      .mariadb_sql = kV1MariaDb,
  });
}

}  // namespace hrss::identity
