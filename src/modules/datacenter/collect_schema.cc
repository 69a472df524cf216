// Migration datacenter v3 (collection): which source system a golden person
// or unit record currently comes from (SystemPriority decides whether a new
// source may overwrite it), and the quarantine's per-job listing index.
#include "db/migrate.h"
#include "modules/datacenter/standard.h"

namespace hrss::datacenter {

Status RegisterCollectMigrations(db::Migrator& migrator) {
  return migrator.Register({
      .module = "datacenter",
      .version = 3,
      .name = "collection: golden record source",
      .sqlite_sql = "ALTER TABLE dc_person ADD COLUMN golden_system VARCHAR(16) NOT NULL DEFAULT '';\n"
                    "ALTER TABLE dc_unit ADD COLUMN golden_system VARCHAR(16) NOT NULL DEFAULT '';\n"
                    "CREATE INDEX IF NOT EXISTS dc_quarantine_job ON dc_quarantine (job_id, id);\n",
      .mariadb_sql =
          "ALTER TABLE dc_person ADD COLUMN IF NOT EXISTS golden_system VARCHAR(16) NOT NULL "
          "DEFAULT '';\n"
          "ALTER TABLE dc_unit ADD COLUMN IF NOT EXISTS golden_system VARCHAR(16) NOT NULL "
          "DEFAULT '';\n"
          "CREATE INDEX IF NOT EXISTS dc_quarantine_job ON dc_quarantine (job_id, id);\n",
  });
}

}  // namespace hrss::datacenter
