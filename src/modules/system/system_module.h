// The system module: the platform's own settings (the configuration centre's
// store: versioned key/value settings with history) and the public
// `GET /api/v1/system/info` that tells the web apps who runs the platform.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "platform/module.h"

namespace hrss {

class SystemModule final : public Module {
 public:
  std::string_view name() const override { return "system"; }
  Status RegisterMigrations(db::Migrator& migrator) override;
  Status Start(Platform& platform) override;
  Status LoadDemo(Platform& platform, const DemoOptions& options) override;
};

// Settings service (other modules call this, never the table). Reads are
// served from an in-memory snapshot of all settings that is reloaded when
// older than `max_age_ms` (another node may have changed a value) and dropped
// on every local Set(). Thread-safe.
class SettingsService {
 public:
  explicit SettingsService(Platform& platform, int64_t max_age_ms = 5000)
      : platform_(platform), max_age_ms_(max_age_ms) {}
  // Current value of `key`, or nullopt.
  Result<std::optional<std::string>> Get(const std::string& key);
  // Sets `key` to `value`, bumping its version and keeping the old value in
  // the history. `actor` is the account making the change.
  Status Set(const std::string& key, const std::string& value, const std::string& actor);

 private:
  Platform& platform_;
  const int64_t max_age_ms_;
  std::mutex mu_;
  std::map<std::string, std::string> snapshot_;  // GUARDED_BY(mu_)
  int64_t loaded_at_ = -1;                       // GUARDED_BY(mu_); -1: not loaded
};

}  // namespace hrss
