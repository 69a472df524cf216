// The cube engine (issue 5 item 1): in-memory, columnar, dictionary-encoded
// fact tables with dimension hierarchies, queried by a JSON query language
// (docs/api/analytics.md "Query language") with the caller's data scope
// applied inside the scan. No database and no module dependency: the
// analytics module feeds it rows (from datacenter::FactFeed) and the bench
// and the differential tests feed it generated rows.
//
//   olap::Engine engine({.threads = 0});
//   engine.DefineCube(schema);                     // dims, levels, members, measures
//   engine.Apply("contribution", batch);           // upserts / deletes by row key
//   auto res = engine.Query(json_query, scope);    // Result<boost::json::object>
//
// Storage: per cube, rows in segments; each dimension stored as the id of
// its finest-level member (uint8/uint16/uint32 as cardinality needs), each
// value column as int64; a person column (int64) for distinct counts; a
// deletion bitmap. Coarser levels map finest ids through small lookup tables
// (month id → quarter id → year id), so a group by year never touches
// strings. Upserting a key tombstones its old row and appends the new one;
// segments are compacted when a quarter of their rows are dead.
//
// Execution: filters become per-dimension bitmaps over member ids; group
// keys are mixed-radix over the chosen levels' ids and aggregate into dense
// per-thread arrays when the key space is small (else hash maps); threads
// split the rows and merge. Distinct persons are exact. Results are cached
// (key: cube version + normalized query + scope) until the next Apply.
//
// Thread-safety: Query may run concurrently with other Queries and with one
// Apply (readers see the cube before or after the batch, never half of it).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::olap {

// ---- schema -----------------------------------------------------------------

struct LevelDef {
  std::string name;   // "township"
  std::string label;  // "乡镇"
};

// A member of a dimension at its finest level, with its ancestors.
struct MemberDef {
  std::string code;                  // finest-level code, e.g. "511724101"
  std::string label;                 // "竹阳街道"
  std::vector<std::string> parents;  // codes at levels[0 .. n-2] (coarse → fine)
};

// Labels of coarser-level members ("2025" → "2025年").
struct ParentLabel {
  std::string level;
  std::string code;
  std::string label;
};

enum class DimKind {
  kCode,   // members declared in `members`; unseen codes get label = code and
           // parents "" (shown as "未知"), so no row is ever dropped
  kMonth,  // finest level month "YYYYMM"; levels year/quarter/month are
           // generated (labels "2025年", "2025年第1季度", "2025年3月"); "" → 未知
};

struct DimensionDef {
  std::string name;              // "region"
  std::string label;             // "区域"
  DimKind kind = DimKind::kCode;
  std::vector<LevelDef> levels;  // coarse → fine; at least one
  std::vector<MemberDef> members;
  std::vector<ParentLabel> parent_labels;
};

enum class Agg { kCount, kSum, kAvg, kMin, kMax, kDistinct, kRatio };

// A named measure. kCount counts rows; kSum/kAvg/kMin/kMax over `column`;
// kDistinct counts distinct values of the cube's person column; kRatio is
// measure `num` / measure `den` (names of other measures of the cube), null
// when den is 0.
struct MeasureDef {
  std::string name;   // "amount"
  std::string label;  // "缴费金额"
  Agg agg = Agg::kCount;
  std::string column;            // value column for sum/avg/min/max
  std::string num, den;          // for kRatio
  std::string unit;              // "fen" | "person" | "count" | "ratio" | "day" | "minute" ...
};

struct CubeSchema {
  std::string name;   // "contribution"
  std::string label;  // "缴费"
  std::vector<DimensionDef> dims;
  std::vector<std::string> value_columns;  // int64 columns, in FactBatch order
  bool has_person = false;                 // rows carry a person id (kDistinct)
  std::vector<MeasureDef> measures;
  // Data scope: the dimension whose finest level is the township code
  // (9-digit; a 6-digit county code = not attributed to a township) and the
  // dimension whose finest code is the row's business domain (jubao shebao
  // ...), or a fixed domain for every row.
  std::string region_dim;
  std::string domain_dim;
  std::string fixed_domain;
};

// ---- data -------------------------------------------------------------------

// Rows to upsert (by key) and keys to delete. dims[d][r] is the finest code
// of dimension d (schema order) for upsert row r; values[c][r] the value
// column c; person[r] the person id (when has_person).
struct FactBatch {
  std::vector<int64_t> keys;
  std::vector<std::vector<std::string>> dims;
  std::vector<std::vector<int64_t>> values;
  std::vector<int64_t> person;
  std::vector<int64_t> deletes;
};

// ---- data scope ---------------------------------------------------------------

// What rows a caller may aggregate: per domain, all townships (nullopt) or
// the listed codes (a 6-digit county code covers every township under it and
// the rows attributed to the county itself). A domain not listed allows
// nothing; `all` allows everything.
struct Scope {
  bool all = false;
  std::map<std::string, std::optional<std::set<std::string>>> domains;
  static Scope All() { return Scope{.all = true, .domains = {}}; }
  std::string CacheKey() const;
};

// ---- engine -----------------------------------------------------------------

struct EngineOptions {
  int threads = 0;                         // 0 = hardware concurrency
  size_t cache_entries = 512;              // result cache (LRU)
};

struct CubeStats {
  std::string name;
  int64_t rows = 0;        // live rows
  int64_t dead_rows = 0;   // tombstoned, not yet compacted
  int64_t bytes = 0;       // memory held by the cube's columns and dictionaries
  int64_t version = 0;     // bumped by every Apply that changed something
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // INVALID_ARGUMENT for a bad schema (duplicate names, unknown columns in
  // measures, ratio cycles, missing region dim ...). Redefining a cube drops
  // its rows.
  Status DefineCube(CubeSchema schema);
  // Adds members (labels/parents) to a kCode dimension; relabels known ones.
  Status AddMembers(std::string_view cube, std::string_view dim, const std::vector<MemberDef>& members);
  // Applies one batch atomically (readers see all of it or none).
  Status Apply(std::string_view cube, const FactBatch& batch);
  // Drops every row of the cube (before a full rebuild).
  Status Clear(std::string_view cube);

  // Runs a query (docs/api/analytics.md). INVALID_ARGUMENT with a Chinese
  // message for an unknown cube/dim/level/measure/member, a bad operator, a
  // compare without a time dimension, more than 4 row + 2 column dims, a
  // result above 100,000 cells, ... The result object is the response body.
  Result<boost::json::object> Query(const boost::json::value& query, const Scope& scope) const;

  // Cubes with dimensions, levels, measures and (for dims of at most 500
  // members) members: the body of GET /api/v1/analytics/cubes.
  boost::json::object Describe() const;
  std::vector<CubeStats> Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hrss::olap
