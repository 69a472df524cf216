// The data center's fact feed (issue 5): what the analytics module reads to
// build its cubes. Analytics never reads dc_* tables; it asks this service
// for the standardized rows of one fact kind, denormalized (person gender and
// birth date, unit industry and type joined in by the data center), as plain
// codes, and for the rows changed since a batch watermark.
//
//   datacenter::FactFeed* feed = datacenter_module->facts();   // after Start
//   int64_t upto = feed->LatestBatch();
//   feed->Scan(FactKind::kContribution, /*after_batch=*/0, upto,
//              [&](std::span<const FactRow> rows) { ...; return Status::Ok(); });
//   feed->OnBatchCommitted([](int64_t batch_id) { ... schedule a refresh ... });
//
// Incremental refresh: every standardized row carries batch_id, the batch that
// last changed it (insert, update or delete). Scan(kind, after, upto) returns
// every row with after < batch_id <= upto, deleted ones with deleted = true
// (so a consumer that applied (0, a] and then (a, b] holds exactly the live
// rows of (0, b]). Rows come in ascending key order within one call's chunks.
// A row updated twice between two refreshes arrives once, with its latest
// values. (How a window's rows are found: facts_feed.h.)
//
// Denormalized attributes (gender, birth date, unit industry/type) are the
// values at scan time: a later change of a person's birth date reaches the
// facts already delivered only when their own row changes or the consumer
// rescans from 0 (analytics rebuilds fully at start and on request).
//
// Codes: division_code 9-digit township (or 6-digit county when unknown:
// "511724"); periods "YYYYMM" ("" when unknown); dates "YYYY-MM-DD";
// gender "1"/"2"/"9"; insurance_type, benefit_type, employment_event_type,
// industry (GB/T 4754 section letter), unit_type, case status ... as in the
// dictionary's code sets (dictionary.h CodeSets()). Amounts in fen.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::datacenter {

enum class FactKind {
  kContribution,  // dc_contribution (+ person, unit)
  kPayment,       // dc_benefit_payment (+ person)
  kEnrolment,     // dc_enrolment (+ person, unit)
  kEmployment,    // dc_employment_event (+ person)
  kCase,          // dc_case (+ unit industry)
  kArchive,       // dc_archive (+ person)
  kPersonnel,     // dc_institution_personnel (+ person)
  kHandling,      // dc_business_record (service-outlet business handling)
  kPerson,        // dc_person with enrolment flags (population / coverage)
};

// The columns of one fact kind: `dims` are code columns (strings), `values`
// are integer columns. Fixed per kind (the lists below are the contract).
struct FactSpec {
  FactKind kind;
  std::string_view name;  // "contribution", ...
  std::vector<std::string_view> dims;
  std::vector<std::string_view> values;
};

// contribution  dims: division_code period insurance_type domain status gender birth_date
//                     unit_industry unit_type
//               values: base_fen personal_fen unit_fen subsidy_fen
// payment       dims: division_code period benefit_type domain status gender birth_date
//               values: amount_fen
// enrolment     dims: division_code start_period end_period insurance_type domain status
//                     gender birth_date unit_industry unit_type
//               values: (none)
// employment    dims: division_code period event_type domain gender birth_date
//               values: amount_fen
// case          dims: division_code period kind case_type status domain unit_industry
//                     closed_period
//               values: amount_fen workers duration_days (closed − filed; −1 while open)
//               (period: filed date, else received date)
// archive       dims: division_code period archive_type domain gender birth_date
//               values: (none)
// personnel     dims: division_code period post domain gender birth_date
//               values: salary_base_fen
// handling      dims: division_code period day outlet_code outlet_name item_code item_name
//                     item_category channel staff_code staff_name status domain
//               values: duration_minutes completed overdue
//               (day "YYYYMMDD"; completed/overdue 0 or 1)
// person        dims: division_code gender birth_date death_date
//               values: jubao shebao_pension shebao_medical jibao employed
//               (1 when the person has a live enrolment of that scheme in
//               status active, 居保 170, 职工养老 110, 职工医疗 310, 机保 120;
//               employed: latest employment event is an employment registration)
const FactSpec& FactSpecOf(FactKind kind);
const std::vector<FactKind>& AllFactKinds();

struct FactRow {
  int64_t key = 0;        // the dc_* row id (person: dc_person.id)
  int64_t person_id = 0;  // dc_person.id, 0 when none (case, handling without a person)
  int64_t batch_id = 0;
  bool deleted = false;
  std::vector<std::string> dims;  // in FactSpecOf(kind).dims order
  std::vector<int64_t> values;    // in FactSpecOf(kind).values order
};

class FactFeed {
 public:
  virtual ~FactFeed() = default;
  // The highest batch id whose rows are committed (0 when none).
  virtual Result<int64_t> LatestBatch() = 0;
  // Rows of `kind` with after_batch < batch_id <= upto_batch, in chunks of
  // at most `chunk` rows, ascending key. Stops at the first non-OK sink status
  // and returns it.
  virtual Status Scan(FactKind kind, int64_t after_batch, int64_t upto_batch,
                      const std::function<Status(std::span<const FactRow>)>& sink,
                      size_t chunk = 8192) = 0;
  // `fn` runs after every batch that changed standardized rows commits
  // (finished, failed or interrupted: whatever it committed), on the
  // collector's thread; keep it short (schedule work elsewhere).
  virtual void OnBatchCommitted(std::function<void(int64_t batch_id)> fn) = 0;
};

}  // namespace hrss::datacenter
