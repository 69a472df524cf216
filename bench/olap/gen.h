// bench/olap: the county-scale contribution facts generator and the shape of
// the CSV the three engines load (ours via olap::FactBatch, DuckDB via
// read_csv, SQLite via better-sqlite3 inserts).
//
// facts.csv columns (header line first), one row per contribution record:
//   person,township,month,ins_type,status,gender,age_band,industry,unit_type,
//   domain,personal,unit,subsidy
// township: 9-digit code of one of the 31 townships of 大竹县; month YYYYMM
// (2016-01 .. 2025-12); ins_type 110/120/170/210/310/410/510; status
// paid/due/refunded; gender 1/2/9; age_band lt16 16-29 30-39 40-49 50-59
// 60-69 ge70 (age at the row's month); industry GB/T 4754 section or "-"
// (no unit); unit_type enterprise/institution/organ/individual/other or "-";
// domain jubao/shebao/jibao; amounts in fen. Rows are person-major (the order
// of an initial bulk load of each source system's history).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hrss::olapbench {

struct Township {
  const char* code;
  const char* name;
  int weight;  // share of the population, per mille (sums to 1000)
};
const std::vector<Township>& Townships();

// Age band code and label, in member order.
struct AgeBand {
  const char* code;
  const char* label;
};
const std::vector<AgeBand>& AgeBands();
const char* AgeBandOf(int age);

struct GenOptions {
  std::string out_dir;
  int64_t persons = 1'100'000;  // county; "small" = 40,000
  uint64_t seed = 7;
};

struct GenStats {
  int64_t rows = 0, jubao_rows = 0, shebao_rows = 0, jibao_rows = 0;
  int64_t jubao_enrolees = 0, employees = 0, jibao_persons = 0;
  int64_t bytes = 0;
};

// Writes out_dir/facts.csv (via a temporary name, renamed at the end) and
// out_dir/meta.json. Deterministic for (persons, seed).
bool Generate(const GenOptions& opt, GenStats* stats, std::string* error);

// Number of persons of a named scale ("county", "small") or of a number.
bool PersonsForScale(std::string_view scale, int64_t* persons);

}  // namespace hrss::olapbench
