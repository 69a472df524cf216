// The data center's standardized store and collection bookkeeping (issue 4
// items 3–5). Migration module "datacenter", version 2 ("standard store").
//
// Every standardized row keeps its lineage: src_system (jubao, shebao, jibao,
// jiuye, jiancha), src_key (the record's key in its source, e.g. 社保 aaz223,
// 居保 流水号; composite keys joined with '/'), batch_id (dc_batch.id of the
// batch that last changed it), row_hash (RowHash of the normalized content,
// so re-collecting unchanged data writes nothing), deleted (1 when the source
// deleted it; rows are never physically removed by collection), and
// updated_at_ms. (src_system, src_key) is unique in every table.
//
// Conventions: amounts in fen (BIGINT), periods as BIGINT YYYYMM, dates as
// 'YYYY-MM-DD' text (VARCHAR(10)), codes as in the dictionary's code sets
// (gender GB/T 2261.1, insurance_type, division 9-digit ...). division_code on
// person-related rows is the person's township at load time (for data-scope
// filtering); domain says which data-scope domain a row belongs to:
// jubao (170), shebao (110/210/310/410/510), jibao (120), jiuye, jiancha,
// dangan, renshi.
//
// Standardized data:
//   dc_person          one row per resolved person (golden record), unique id_number
//   dc_person_source   every source record of a person (lineage, raw and normalized values)
//   dc_person_conflict a field on which a person's sources disagree (review queue)
//   dc_unit            one row per resolved unit (credit_code unique when known)
//   dc_unit_source     every source record of a unit
//   dc_enrolment, dc_contribution, dc_arrears, dc_benefit_entitlement,
//   dc_benefit_payment, dc_employment_event, dc_case (inspection + arbitration),
//   dc_archive, dc_institution_personnel
// Collection:
//   dc_job             a collection job (source, method, config JSON, cron)
//   dc_batch           one run of a job: status, counters, progress
//   dc_checkpoint      per job and stream (file, table, feed): resume position / watermark
//   dc_quarantine      a rejected record with its reason; fixable and re-processable
//   dc_quality         per batch and rule: checked and failed counts (→ scores)
//   dc_code_map        per source system and code set: source value → standard value (editable)
//   dc_push_event      change events posted by source systems (signed with an app key)
// Services:
//   dc_export_request  bulk export requests awaiting approval
#pragma once

#include "core/status.h"

namespace hrss::db {
class Migrator;
}

namespace hrss::datacenter {

Status RegisterStandardMigrations(db::Migrator& migrator);

}  // namespace hrss::datacenter
