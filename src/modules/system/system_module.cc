#include "modules/system/system_module.h"

#include <boost/json.hpp>

#include "db/transaction.h"
#include "platform/platform.h"

namespace hrss {

Status SystemModule::RegisterMigrations(db::Migrator& migrator) {
  return migrator.Register({
      .module = "system",
      .version = 1,
      .name = "settings",
      .sqlite_sql = R"sql(
CREATE TABLE IF NOT EXISTS sys_setting (
  setting_key   VARCHAR(128) NOT NULL PRIMARY KEY,
  setting_value TEXT NOT NULL,
  version       BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  updated_by    VARCHAR(64) NOT NULL
){{TABLE_OPTIONS}};
CREATE TABLE IF NOT EXISTS sys_setting_history (
  setting_key   VARCHAR(128) NOT NULL,
  version       BIGINT NOT NULL,
  setting_value TEXT NOT NULL,
  updated_at    BIGINT NOT NULL,
  updated_by    VARCHAR(64) NOT NULL,
  PRIMARY KEY (setting_key, version)
){{TABLE_OPTIONS}};)sql",
      // The SQLite text before the portable rewrite (INTEGER where it now says
      // BIGINT, same affinity): databases created by `make run` before it.
      .equivalent_checksums = {"38bfb2133f5084e75eb8cde1eedb2054cb916e75a6b3a22dc67aa601b94f0d9c"},
  });
}

Result<std::optional<std::string>> SettingsService::Get(const std::string& key) {
  int64_t now = platform_.clock().NowMillis();
  std::lock_guard lock(mu_);
  if (loaded_at_ < 0 || now - loaded_at_ > max_age_ms_) {
    auto conn = platform_.db().Acquire();
    if (!conn.ok()) return conn.status();
    auto rows = (*conn)->Query("SELECT setting_key, setting_value FROM sys_setting");
    if (!rows.ok()) return rows.status();
    snapshot_.clear();
    for (const auto& r : *rows) snapshot_[r.GetText(0)] = r.GetText(1);
    loaded_at_ = now;
  }
  auto it = snapshot_.find(key);
  if (it == snapshot_.end()) return std::optional<std::string>{};
  return std::optional<std::string>(it->second);
}

Status SettingsService::Set(const std::string& key, const std::string& value,
                            const std::string& actor) {
  if (key.empty() || key.size() > 128) return Status::InvalidArgument("设置项名称长度须为 1–128");
  int64_t now = platform_.clock().NowMillis();
  Status st = db::WithTransaction(platform_.db(), [&](db::Connection& c) -> Status {
    auto cur = c.QueryOne("SELECT setting_value, version FROM sys_setting WHERE setting_key = ?",
                          {db::Value(key)});
    if (!cur.ok()) return cur.status();
    int64_t version = 1;
    if (cur->has_value()) {
      if ((*cur)->GetText(0) == value) return Status::Ok();  // unchanged: no new version
      version = (*cur)->GetInt64(1) + 1;
      auto u = c.Exec(
          "UPDATE sys_setting SET setting_value = ?, version = ?, updated_at = ?, updated_by = ? "
          "WHERE setting_key = ?",
          {db::Value(value), db::Value(version), db::Value(now), db::Value(actor), db::Value(key)});
      if (!u.ok()) return u.status();
    } else {
      auto i = c.Exec(
          "INSERT INTO sys_setting (setting_key, setting_value, version, updated_at, updated_by) "
          "VALUES (?, ?, ?, ?, ?)",
          {db::Value(key), db::Value(value), db::Value(version), db::Value(now), db::Value(actor)});
      if (!i.ok()) return i.status();
    }
    auto h = c.Exec(
        "INSERT INTO sys_setting_history (setting_key, version, setting_value, updated_at, "
        "updated_by) VALUES (?, ?, ?, ?, ?)",
        {db::Value(key), db::Value(version), db::Value(value), db::Value(now), db::Value(actor)});
    return h.status();
  });
  std::lock_guard lock(mu_);
  loaded_at_ = -1;  // after the commit, so no reader caches the old value
  return st;
}

Status SystemModule::Start(Platform& platform) {
  auto settings = std::make_shared<SettingsService>(platform);
  return platform.AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/system/info",
      .is_public = true,
      .summary = "平台与主办单位信息",
      .handler =
          [settings, &platform](http::Request& req) {
            boost::json::object o;
            o["version"] = kVersion;
            o["storage"] = platform.config().storage.driver;
            for (const char* key :
                 {"org.name", "org.division_code", "platform.name", "org.hotline"}) {
              auto v = settings->Get(key);
              if (!v.ok()) return http::Response::Error(v.status(), req.request_id);
              if (v->has_value()) o[key] = **v;
            }
            return http::Response::Json(200, o);
          },
  });
}

Status SystemModule::LoadDemo(Platform& platform, const DemoOptions&) {
  SettingsService settings(platform);
  HRSS_RETURN_IF_ERROR(settings.Set("org.name", "大竹县人力资源和社会保障局", "demo"));
  HRSS_RETURN_IF_ERROR(settings.Set("org.division_code", "511724", "demo"));
  HRSS_RETURN_IF_ERROR(settings.Set("platform.name", "大竹数字人社平台", "demo"));
  HRSS_RETURN_IF_ERROR(settings.Set("org.hotline", "12333", "demo"));
  return Status::Ok();
}

}  // namespace hrss
