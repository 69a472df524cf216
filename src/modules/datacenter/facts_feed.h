// The SQL implementation of the fact feed (facts.h) over the dc_* tables.
// DatacenterModule owns one (DatacenterModule::facts()); collection calls
// NotifyCommitted after every batch that changed standardized rows.
//
// Scan plan per kind (SQLite and MariaDB, plain SQL, no OFFSET):
//   after_batch == 0: keyset pagination over the table's primary key
//     (id > last ORDER BY id LIMIT chunk), rows with batch_id <= upto;
//   after_batch > 0 (collect.h, "Batch windows"; no batch_id index): the
//     older rows the window's batches changed (dc_row_change) are fetched
//     by id IN (...) — or, for more than a quarter of a million, by keyset
//     pagination over their id range —, then the rows above the window's
//     lowest mark (dc_batch_mark) by keyset pagination, both with the
//     window as a filter.
// Denormalized attributes are joined in the same statement: dc_person by
// person_id (gender, birth_date), dc_unit by unit_no (contribution,
// enrolment) or credit code (case) — the unit with the lowest id when
// several share a number.
//
// The person kind: one row per dc_person; its batch_id is the highest batch
// of the person's source records, enrolments and employment events (the
// rows its facts derive from), so a window returns the persons whose facts
// may have changed in it. Persons are never deleted.
//
// LatestBatch is the highest batch id below every running batch: rows of a
// running batch are committed piecewise, so a watermark past it would skip
// the rows it commits later.
#pragma once

#include <mutex>
#include <vector>

#include "db/pool.h"
#include "modules/datacenter/facts.h"

namespace hrss::datacenter {

class SqlFactFeed final : public FactFeed {
 public:
  explicit SqlFactFeed(db::Pool& pool) : pool_(pool) {}
  Result<int64_t> LatestBatch() override;
  Status Scan(FactKind kind, int64_t after_batch, int64_t upto_batch,
              const std::function<Status(std::span<const FactRow>)>& sink,
              size_t chunk = 8192) override;
  void OnBatchCommitted(std::function<void(int64_t batch_id)> fn) override;
  // Runs the subscribers (collection's thread). A subscriber that throws is
  // not caught: subscribers must not throw.
  void NotifyCommitted(int64_t batch_id);

 private:
  Status ScanPersons(db::Connection& conn, int64_t after, int64_t upto,
                     const std::function<Status(std::span<const FactRow>)>& sink, size_t chunk);
  db::Pool& pool_;
  std::mutex mu_;
  std::vector<std::function<void(int64_t)>> subscribers_;
};

}  // namespace hrss::datacenter
