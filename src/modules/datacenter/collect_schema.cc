// Migration datacenter v3 (collection): which source system a golden person
// or unit record currently comes from (SystemPriority decides whether a new
// source may overwrite it), and the quarantine's per-job listing index.
//
// Migration datacenter v4 (fact feed, issue 5): batch_id indexes on the
// tables the fact feed (facts.h) scans by batch window, and
// dc_business_record, the service outlets' business handling log (经办记录,
// 社保 ae10): one row per handled business, with the outlet, the standard
// business item (code set business_item) and its category, channel, staff,
// status (accepted/completed/returned), accept and finish times, duration in
// minutes and the overdue flag. division_code is the outlet's township (not
// the person's); person_id is 0 for business without a person (咨询).
//
// Migration datacenter v6: every lineage table's unique key index becomes
// (src_key, src_system) instead of (src_system, src_key). Same constraint and
// the same look-ups (both columns are always given), but SQLite's index
// search compares a probe whose first field is text with its fast string
// comparator and needs the general one only on a tie; with src_system first
// every comparison tied on it (one system per load). Copying 8M 居保 payment
// rows into a table with the key index: 16.4 s of CPU → 14.2 s.
//
// Migration datacenter v7 (SQLite): the unit indexes of contributions and
// enrolments leave out the rows without a unit (unit_no = '': every 居保
// row). The unit queries say "unit_no <> ''" (query_unit.cc UnitNoIn), so
// they use them. In the county 居保 load these indexes held 4M keys that all
// tied on their first column; the contribution one took 5.6 s of the
// deferred-index rebuild. MariaDB has no partial indexes and keeps v1's.
//
// Migration datacenter v8: the fact feed finds a batch's rows without the
// batch_id indexes of v4 (collect.h, "Batch windows"): dc_batch_mark holds
// each batch's starting id per table, dc_row_change the older rows a batch
// changed. Existing batches get MIN(id) - 1 of the rows that carry them as
// their mark (every such row is above it), read through the batch_id
// indexes before they are dropped. The county 居保 first load rebuilt them
// for 8.8 s of its 19.8 s index rebuild (payments alone 5.7 s).
#include "db/migrate.h"
#include "modules/datacenter/collect.h"
#include "modules/datacenter/standard.h"

namespace hrss::datacenter {

namespace {

#define HRSS_DC_LINEAGE_V4                 \
  "  src_system    VARCHAR(16) NOT NULL,\n" \
  "  src_key       VARCHAR(96) NOT NULL,\n" \
  "  batch_id      BIGINT NOT NULL,\n"      \
  "  row_hash      BIGINT NOT NULL,\n"      \
  "  deleted       BIGINT NOT NULL DEFAULT 0,\n" \
  "  updated_at_ms BIGINT NOT NULL,\n"

constexpr const char* kFactFeedSql =
    "CREATE INDEX IF NOT EXISTS dc_person_source_batch ON dc_person_source (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_enrolment_batch ON dc_enrolment (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_contribution_batch ON dc_contribution (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_benefit_payment_batch ON dc_benefit_payment (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_employment_event_batch ON dc_employment_event (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_case_batch ON dc_case (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_archive_batch ON dc_archive (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_institution_personnel_batch ON dc_institution_personnel "
    "(batch_id);\n"
    "CREATE TABLE IF NOT EXISTS dc_business_record (\n"
    "  id             {{AUTO_ID}},\n" HRSS_DC_LINEAGE_V4
    "  person_id      BIGINT NOT NULL DEFAULT 0,\n"
    "  id_number      VARCHAR(18) NOT NULL DEFAULT '',\n"
    "  outlet_code    VARCHAR(32) NOT NULL,\n"
    "  outlet_name    VARCHAR(128) NOT NULL DEFAULT '',\n"
    "  item_code      VARCHAR(32) NOT NULL,\n"
    "  item_name      VARCHAR(64) NOT NULL DEFAULT '',\n"
    "  item_category  VARCHAR(32) NOT NULL DEFAULT '',\n"
    "  channel        VARCHAR(16) NOT NULL DEFAULT '',\n"
    "  staff_code     VARCHAR(32) NOT NULL DEFAULT '',\n"
    "  staff_name     VARCHAR(64) NOT NULL DEFAULT '',\n"
    "  status         VARCHAR(16) NOT NULL,\n"
    "  accepted_at    VARCHAR(19) NOT NULL,\n"
    "  finished_at    VARCHAR(19) NOT NULL DEFAULT '',\n"
    "  duration_minutes BIGINT NOT NULL DEFAULT 0,\n"
    "  overdue        BIGINT NOT NULL DEFAULT 0,\n"
    "  domain         VARCHAR(16) NOT NULL,\n"
    "  division_code  VARCHAR(12) NOT NULL DEFAULT ''\n"
    "){{TABLE_OPTIONS}};\n"
    "CREATE UNIQUE INDEX IF NOT EXISTS dc_business_record_key ON dc_business_record "
    "(src_system, src_key);\n"
    "CREATE INDEX IF NOT EXISTS dc_business_record_batch ON dc_business_record (batch_id);\n"
    "CREATE INDEX IF NOT EXISTS dc_business_record_outlet ON dc_business_record "
    "(outlet_code, accepted_at);\n"
    "CREATE INDEX IF NOT EXISTS dc_business_record_person ON dc_business_record (person_id);\n";

// The tables with lineage columns (standard.h), each with its unique
// <table>_key index.
constexpr const char* kLineageTables[] = {"dc_person_source",
                                          "dc_unit_source",
                                          "dc_enrolment",
                                          "dc_contribution",
                                          "dc_arrears",
                                          "dc_benefit_entitlement",
                                          "dc_benefit_payment",
                                          "dc_employment_event",
                                          "dc_case",
                                          "dc_archive",
                                          "dc_institution_personnel",
                                          "dc_business_record"};

std::string KeyOrderSql(bool maria) {
  std::string sql;
  for (const char* t : kLineageTables) {
    const std::string table = t, index = table + "_key";
    if (maria) {
      sql += "ALTER TABLE " + table + " DROP INDEX " + index + ", ADD UNIQUE INDEX " + index +
             " (src_key, src_system);\n";
    } else {
      sql += "DROP INDEX IF EXISTS " + index + ";\nCREATE UNIQUE INDEX " + index + " ON " + table +
             " (src_key, src_system);\n";
    }
  }
  return sql;
}

// v8 on `maria` (see above): the window tables, the backfilled marks, and
// the batch_id indexes dropped (with any record of them as deferred).
std::string BatchWindowSql(bool maria) {
  const std::string opts = maria ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                                 : " WITHOUT ROWID";
  std::string sql =
      "CREATE TABLE IF NOT EXISTS dc_batch_mark (\n"
      "  batch_id   BIGINT NOT NULL,\n"
      "  table_name VARCHAR(64) NOT NULL,\n"
      "  max_id     BIGINT NOT NULL,\n"
      "  PRIMARY KEY (batch_id, table_name)\n"
      ")" + opts + ";\n"
      "CREATE TABLE IF NOT EXISTS dc_row_change (\n"
      "  table_name VARCHAR(64) NOT NULL,\n"
      "  batch_id   BIGINT NOT NULL,\n"
      "  row_id     BIGINT NOT NULL,\n"
      "  PRIMARY KEY (table_name, batch_id, row_id)\n"
      ")" + opts + ";\n";
  for (const std::string& t : WindowTables()) {
    sql += std::string(maria ? "INSERT IGNORE" : "INSERT OR IGNORE") +
           " INTO dc_batch_mark (batch_id, table_name, max_id) SELECT batch_id, '" + t +
           "', MIN(id) - 1 FROM " + t + " GROUP BY batch_id;\n";
  }
  for (const std::string& t : WindowTables()) {
    const std::string index = t + "_batch";
    sql += "DELETE FROM dc_deferred_index WHERE name = '" + index + "';\n";
    sql += "DROP INDEX IF EXISTS " + index + (maria ? " ON " + t : "") + ";\n";
  }
  return sql;
}

}  // namespace

Status RegisterCollectMigrations(db::Migrator& migrator) {
  HRSS_RETURN_IF_ERROR(migrator.Register({
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
  }));
  HRSS_RETURN_IF_ERROR(migrator.Register({
      .module = "datacenter",
      .version = 4,
      .name = "fact feed: batch indexes, business handling records",
      .sqlite_sql = kFactFeedSql,
  }));
  // Secondary indexes a bulk first load dropped and rebuilds at the batch's
  // end (collect_runner.cc DeferIndexes / RestoreDeferredIndexes).
  HRSS_RETURN_IF_ERROR(migrator.Register({
      .module = "datacenter",
      .version = 5,
      .name = "collection: deferred index bookkeeping",
      .sqlite_sql = "CREATE TABLE IF NOT EXISTS dc_deferred_index (name VARCHAR(128) PRIMARY KEY, "
                    "table_name VARCHAR(64) NOT NULL, sql_text TEXT NOT NULL);\n",
  }));
  HRSS_RETURN_IF_ERROR(migrator.Register({
      .module = "datacenter",
      .version = 6,
      .name = "lineage: unique key index ordered (src_key, src_system)",
      .sqlite_sql = KeyOrderSql(false),
      .mariadb_sql = KeyOrderSql(true),
  }));
  HRSS_RETURN_IF_ERROR(migrator.Register({
      .module = "datacenter",
      .version = 7,
      .name = "unit indexes of contributions and enrolments without rows lacking a unit",
      .sqlite_sql =
          "DROP INDEX IF EXISTS dc_contribution_unit;\n"
          "CREATE INDEX dc_contribution_unit ON dc_contribution (unit_no, period) "
          "WHERE unit_no <> '';\n"
          "DROP INDEX IF EXISTS dc_enrolment_unit;\n"
          "CREATE INDEX dc_enrolment_unit ON dc_enrolment (unit_no) WHERE unit_no <> '';\n",
      .mariadb_sql = ";",  // no partial indexes: v1's full ones stay
  }));
  return migrator.Register({
      .module = "datacenter",
      .version = 8,
      .name = "batch windows without batch_id indexes: batch marks and a row change log",
      .sqlite_sql = BatchWindowSql(false),
      .mariadb_sql = BatchWindowSql(true),
  });
}

}  // namespace hrss::datacenter
