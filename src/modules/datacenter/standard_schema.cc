#include "db/migrate.h"
#include "modules/datacenter/standard.h"

namespace hrss::datacenter {

namespace {

// Lineage columns shared by every standardized table.
#define HRSS_DC_LINEAGE                    \
  "  src_system    VARCHAR(16) NOT NULL,\n" \
  "  src_key       VARCHAR(96) NOT NULL,\n" \
  "  batch_id      BIGINT NOT NULL,\n"      \
  "  row_hash      BIGINT NOT NULL,\n"      \
  "  deleted       BIGINT NOT NULL DEFAULT 0,\n" \
  "  updated_at_ms BIGINT NOT NULL,\n"

constexpr const char* kStandardSql = R"sql(
CREATE TABLE IF NOT EXISTS dc_person (
  id             {{AUTO_ID}},
  id_number      CHAR(18) NOT NULL,
  name           VARCHAR(64) NOT NULL,
  gender         CHAR(1) NOT NULL,
  birth_date     VARCHAR(10) NOT NULL,
  division_code  VARCHAR(12) NOT NULL,
  mobile_enc     VARCHAR(256) NOT NULL DEFAULT '',
  death_date     VARCHAR(10) NOT NULL DEFAULT '',
  source_count   BIGINT NOT NULL DEFAULT 0,
  conflict_count BIGINT NOT NULL DEFAULT 0,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_person_idno ON dc_person (id_number);
CREATE INDEX IF NOT EXISTS dc_person_name ON dc_person (name, birth_date);
CREATE INDEX IF NOT EXISTS dc_person_div ON dc_person (division_code);
CREATE TABLE IF NOT EXISTS dc_person_source (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  raw_id_number  VARCHAR(64) NOT NULL,
  name           VARCHAR(64) NOT NULL,
  gender         CHAR(1) NOT NULL,
  birth_date     VARCHAR(10) NOT NULL,
  division_code  VARCHAR(12) NOT NULL,
  mobile_enc     VARCHAR(256) NOT NULL DEFAULT '',
  source_no      VARCHAR(32) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_person_source_key ON dc_person_source (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_person_source_person ON dc_person_source (person_id);
CREATE TABLE IF NOT EXISTS dc_person_conflict (
  id             {{AUTO_ID}},
  person_id      BIGINT NOT NULL,
  field          VARCHAR(32) NOT NULL,
  values_json    TEXT NOT NULL,
  status         VARCHAR(16) NOT NULL,
  resolution     VARCHAR(256) NOT NULL DEFAULT '',
  created_at_ms  BIGINT NOT NULL,
  resolved_by    VARCHAR(64) NOT NULL DEFAULT '',
  resolved_at_ms BIGINT NOT NULL DEFAULT 0
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_person_conflict_key ON dc_person_conflict (person_id, field);
CREATE INDEX IF NOT EXISTS dc_person_conflict_status ON dc_person_conflict (status, id);
CREATE TABLE IF NOT EXISTS dc_unit (
  id             {{AUTO_ID}},
  credit_code    VARCHAR(18) NOT NULL DEFAULT '',
  unit_no        VARCHAR(32) NOT NULL DEFAULT '',
  name           VARCHAR(128) NOT NULL,
  unit_type      VARCHAR(16) NOT NULL DEFAULT '',
  industry       VARCHAR(4) NOT NULL DEFAULT '',
  division_code  VARCHAR(12) NOT NULL DEFAULT '',
  legal_person   VARCHAR(64) NOT NULL DEFAULT '',
  status         VARCHAR(16) NOT NULL DEFAULT 'active',
  source_count   BIGINT NOT NULL DEFAULT 0,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS dc_unit_credit ON dc_unit (credit_code);
CREATE INDEX IF NOT EXISTS dc_unit_no ON dc_unit (unit_no);
CREATE INDEX IF NOT EXISTS dc_unit_name ON dc_unit (name);
CREATE TABLE IF NOT EXISTS dc_unit_source (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  unit_id        BIGINT NOT NULL,
  credit_code    VARCHAR(18) NOT NULL DEFAULT '',
  unit_no        VARCHAR(32) NOT NULL DEFAULT '',
  name           VARCHAR(128) NOT NULL,
  unit_type      VARCHAR(16) NOT NULL DEFAULT '',
  industry       VARCHAR(4) NOT NULL DEFAULT '',
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_unit_source_key ON dc_unit_source (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_unit_source_unit ON dc_unit_source (unit_id);
CREATE TABLE IF NOT EXISTS dc_enrolment (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  unit_no        VARCHAR(32) NOT NULL DEFAULT '',
  insurance_type VARCHAR(4) NOT NULL,
  status         VARCHAR(4) NOT NULL,
  start_date     VARCHAR(10) NOT NULL DEFAULT '',
  end_date       VARCHAR(10) NOT NULL DEFAULT '',
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_enrolment_key ON dc_enrolment (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_enrolment_person ON dc_enrolment (person_id);
CREATE INDEX IF NOT EXISTS dc_enrolment_unit ON dc_enrolment (unit_no);
CREATE TABLE IF NOT EXISTS dc_contribution (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  unit_no        VARCHAR(32) NOT NULL DEFAULT '',
  insurance_type VARCHAR(4) NOT NULL,
  period         BIGINT NOT NULL,
  base_fen       BIGINT NOT NULL DEFAULT 0,
  personal_fen   BIGINT NOT NULL DEFAULT 0,
  unit_fen       BIGINT NOT NULL DEFAULT 0,
  subsidy_fen    BIGINT NOT NULL DEFAULT 0,
  status         VARCHAR(16) NOT NULL,
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_contribution_key ON dc_contribution (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_contribution_person ON dc_contribution (person_id, period);
CREATE INDEX IF NOT EXISTS dc_contribution_unit ON dc_contribution (unit_no, period);
CREATE TABLE IF NOT EXISTS dc_arrears (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  unit_no        VARCHAR(32) NOT NULL DEFAULT '',
  person_id      BIGINT NOT NULL DEFAULT 0,
  id_number      VARCHAR(18) NOT NULL DEFAULT '',
  insurance_type VARCHAR(4) NOT NULL,
  period         BIGINT NOT NULL,
  amount_fen     BIGINT NOT NULL,
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_arrears_key ON dc_arrears (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_arrears_unit ON dc_arrears (unit_no, period);
CREATE TABLE IF NOT EXISTS dc_benefit_entitlement (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  benefit_type   VARCHAR(32) NOT NULL,
  approved_date  VARCHAR(10) NOT NULL DEFAULT '',
  monthly_fen    BIGINT NOT NULL DEFAULT 0,
  qualification_status VARCHAR(16) NOT NULL DEFAULT '',
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_benefit_entitlement_key ON dc_benefit_entitlement (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_benefit_entitlement_person ON dc_benefit_entitlement (person_id);
CREATE TABLE IF NOT EXISTS dc_benefit_payment (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  benefit_type   VARCHAR(32) NOT NULL,
  period         BIGINT NOT NULL,
  amount_fen     BIGINT NOT NULL,
  status         VARCHAR(16) NOT NULL,
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_benefit_payment_key ON dc_benefit_payment (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_benefit_payment_person ON dc_benefit_payment (person_id, period);
CREATE TABLE IF NOT EXISTS dc_employment_event (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  event_type     VARCHAR(32) NOT NULL,
  event_date     VARCHAR(10) NOT NULL,
  unit_credit_code VARCHAR(18) NOT NULL DEFAULT '',
  amount_fen     BIGINT NOT NULL DEFAULT 0,
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_employment_event_key ON dc_employment_event (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_employment_event_person ON dc_employment_event (person_id, event_date);
CREATE TABLE IF NOT EXISTS dc_case (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  kind           VARCHAR(16) NOT NULL,
  case_no        VARCHAR(32) NOT NULL,
  case_type      VARCHAR(16) NOT NULL DEFAULT '',
  unit_credit_code VARCHAR(18) NOT NULL DEFAULT '',
  unit_name      VARCHAR(128) NOT NULL DEFAULT '',
  person_id      BIGINT NOT NULL DEFAULT 0,
  id_number      VARCHAR(18) NOT NULL DEFAULT '',
  cause          VARCHAR(256) NOT NULL DEFAULT '',
  amount_fen     BIGINT NOT NULL DEFAULT 0,
  workers        BIGINT NOT NULL DEFAULT 0,
  status         VARCHAR(16) NOT NULL,
  received_date  VARCHAR(10) NOT NULL DEFAULT '',
  filed_date     VARCHAR(10) NOT NULL DEFAULT '',
  closed_date    VARCHAR(10) NOT NULL DEFAULT '',
  attachments    TEXT NOT NULL,
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_case_key ON dc_case (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_case_person ON dc_case (person_id);
CREATE INDEX IF NOT EXISTS dc_case_unit ON dc_case (unit_credit_code);
CREATE TABLE IF NOT EXISTS dc_archive (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  archive_no     VARCHAR(32) NOT NULL,
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  archive_type   VARCHAR(32) NOT NULL DEFAULT '',
  location       VARCHAR(64) NOT NULL DEFAULT '',
  received_date  VARCHAR(10) NOT NULL DEFAULT '',
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_archive_key ON dc_archive (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_archive_person ON dc_archive (person_id);
CREATE TABLE IF NOT EXISTS dc_institution_personnel (
  id             {{AUTO_ID}},
)sql" HRSS_DC_LINEAGE R"sql(
  person_id      BIGINT NOT NULL,
  id_number      CHAR(18) NOT NULL,
  name           VARCHAR(64) NOT NULL,
  unit_credit_code VARCHAR(18) NOT NULL DEFAULT '',
  unit_name      VARCHAR(128) NOT NULL DEFAULT '',
  post           VARCHAR(64) NOT NULL DEFAULT '',
  salary_base_fen BIGINT NOT NULL DEFAULT 0,
  entry_date     VARCHAR(10) NOT NULL DEFAULT '',
  domain         VARCHAR(16) NOT NULL,
  division_code  VARCHAR(12) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_institution_personnel_key ON dc_institution_personnel (src_system, src_key);
CREATE INDEX IF NOT EXISTS dc_institution_personnel_person ON dc_institution_personnel (person_id);
CREATE INDEX IF NOT EXISTS dc_institution_personnel_unit ON dc_institution_personnel (unit_credit_code);
CREATE TABLE IF NOT EXISTS dc_job (
  id             {{AUTO_ID}},
  code           VARCHAR(64) NOT NULL,
  name           VARCHAR(128) NOT NULL,
  system_code    VARCHAR(16) NOT NULL,
  method         VARCHAR(16) NOT NULL,
  config_json    TEXT NOT NULL,
  cron           VARCHAR(64) NOT NULL DEFAULT '',
  enabled        BIGINT NOT NULL DEFAULT 1,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL,
  updated_by     VARCHAR(64) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_job_code ON dc_job (code);
CREATE TABLE IF NOT EXISTS dc_batch (
  id             {{AUTO_ID}},
  job_id         BIGINT NOT NULL,
  trigger_kind   VARCHAR(16) NOT NULL,
  triggered_by   VARCHAR(64) NOT NULL DEFAULT '',
  status         VARCHAR(16) NOT NULL,
  started_at_ms  BIGINT NOT NULL,
  finished_at_ms BIGINT NOT NULL DEFAULT 0,
  heartbeat_ms   BIGINT NOT NULL DEFAULT 0,
  rows_read      BIGINT NOT NULL DEFAULT 0,
  rows_inserted  BIGINT NOT NULL DEFAULT 0,
  rows_updated   BIGINT NOT NULL DEFAULT 0,
  rows_unchanged BIGINT NOT NULL DEFAULT 0,
  rows_deleted   BIGINT NOT NULL DEFAULT 0,
  rows_quarantined BIGINT NOT NULL DEFAULT 0,
  progress_done  BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  current_stream VARCHAR(256) NOT NULL DEFAULT '',
  error          VARCHAR(1024) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS dc_batch_job ON dc_batch (job_id, id);
CREATE TABLE IF NOT EXISTS dc_checkpoint (
  job_id         BIGINT NOT NULL,
  stream         VARCHAR(255) NOT NULL,
  position_json  TEXT NOT NULL,
  done           BIGINT NOT NULL DEFAULT 0,
  batch_id       BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (job_id, stream)
){{TABLE_OPTIONS}};
CREATE TABLE IF NOT EXISTS dc_quarantine (
  id             {{AUTO_ID}},
  job_id         BIGINT NOT NULL,
  batch_id       BIGINT NOT NULL,
  src_system     VARCHAR(16) NOT NULL,
  stream         VARCHAR(255) NOT NULL,
  src_key        VARCHAR(96) NOT NULL DEFAULT '',
  line           BIGINT NOT NULL DEFAULT 0,
  record_json    TEXT NOT NULL,
  reason_code    VARCHAR(32) NOT NULL,
  reason         VARCHAR(512) NOT NULL,
  status         VARCHAR(16) NOT NULL,
  fixed_json     TEXT,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL,
  updated_by     VARCHAR(64) NOT NULL DEFAULT ''
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_quarantine_rec ON dc_quarantine (job_id, stream, line);
CREATE INDEX IF NOT EXISTS dc_quarantine_status ON dc_quarantine (status, id);
CREATE TABLE IF NOT EXISTS dc_quality (
  batch_id       BIGINT NOT NULL,
  src_system     VARCHAR(16) NOT NULL,
  rule           VARCHAR(64) NOT NULL,
  dimension      VARCHAR(16) NOT NULL,
  checked        BIGINT NOT NULL,
  failed         BIGINT NOT NULL,
  PRIMARY KEY (batch_id, rule)
){{TABLE_OPTIONS}};
CREATE TABLE IF NOT EXISTS dc_code_map (
  src_system     VARCHAR(16) NOT NULL,
  code_set       VARCHAR(64) NOT NULL,
  src_value      VARCHAR(64) NOT NULL,
  std_value      VARCHAR(64) NOT NULL,
  manual         BIGINT NOT NULL DEFAULT 0,
  updated_at_ms  BIGINT NOT NULL,
  updated_by     VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (src_system, code_set, src_value)
){{TABLE_OPTIONS}};
CREATE TABLE IF NOT EXISTS dc_push_event (
  id             {{AUTO_ID}},
  src_system     VARCHAR(16) NOT NULL,
  event_id       VARCHAR(64) NOT NULL,
  entity         VARCHAR(32) NOT NULL,
  payload_json   TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  processed_batch_id BIGINT NOT NULL DEFAULT 0
){{TABLE_OPTIONS}};
CREATE UNIQUE INDEX IF NOT EXISTS dc_push_event_key ON dc_push_event (src_system, event_id);
CREATE INDEX IF NOT EXISTS dc_push_event_pending ON dc_push_event (processed_batch_id, id);
CREATE TABLE IF NOT EXISTS dc_export_request (
  id             {{AUTO_ID}},
  requester      VARCHAR(64) NOT NULL,
  query_json     TEXT NOT NULL,
  reason         VARCHAR(512) NOT NULL,
  status         VARCHAR(16) NOT NULL,
  approver       VARCHAR(64) NOT NULL DEFAULT '',
  decided_at_ms  BIGINT NOT NULL DEFAULT 0,
  decision_note  VARCHAR(512) NOT NULL DEFAULT '',
  row_count      BIGINT NOT NULL DEFAULT 0,
  downloaded_at_ms BIGINT NOT NULL DEFAULT 0,
  created_at_ms  BIGINT NOT NULL
){{TABLE_OPTIONS}};
CREATE INDEX IF NOT EXISTS dc_export_request_status ON dc_export_request (status, id);
)sql";

}  // namespace

Status RegisterCollectMigrations(db::Migrator& migrator);  // collect_schema.cc

Status RegisterStandardMigrations(db::Migrator& migrator) {
  HRSS_RETURN_IF_ERROR(migrator.Register({
      .module = "datacenter",
      .version = 2,
      .name = "standard store and collection",
      .sqlite_sql = kStandardSql,
  }));
  return RegisterCollectMigrations(migrator);
}

}  // namespace hrss::datacenter
