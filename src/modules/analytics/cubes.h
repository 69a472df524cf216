// The cube catalog of docs/api/analytics.md ("Cubes"): one olap::CubeSchema
// per data-center fact kind, and the conversion of FactRows into
// olap::FactBatches (codes → the cube's dimension codes, derived values such
// as the age band at the row's period or the contribution total).
//
// Shared dimensions: region (county → township; the county code 511724 is
// also a member, "县级（未落实乡镇）", for rows not attributed to a township),
// time (year → quarter → month), gender, age (band), domain, industry
// (section), unit_type. Labels come from DivisionTable::Builtin() and the
// dictionary's code sets (datacenter::CodeSets()).
//
// Scope: every cube's domain is the row's `domain` except `person`
// (population and coverage), whose rows count for 居保 (jubao): a caller sees
// the population of the townships their 居保 scope covers.
//
// Members the rows name (service outlets, business items, staff of the
// `handling` cube) are collected during conversion (Converted::members) and
// added to the engine with Engine::AddMembers.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "modules/datacenter/facts.h"
#include "olap/olap.h"

namespace hrss::analytics {

// The cube name of a fact kind ("contribution", ...).
std::string_view CubeName(datacenter::FactKind kind);

// The schema of a fact kind's cube.
olap::CubeSchema CubeSchemaOf(datacenter::FactKind kind);

// "00-15" .. "70+" for a birth date "YYYY-MM-DD" at period "YYYYMM"; "" when
// either is unknown.
std::string AgeBand(std::string_view birth_date, std::string_view period);

// Insurance type → scheme ("170" → jubao, "120" → jibao, others → shebao).
std::string_view InsuranceScheme(std::string_view insurance_type);

struct Converted {
  olap::FactBatch batch;
  // dim name → members named by the rows (code → member), for AddMembers.
  std::map<std::string, std::map<std::string, olap::MemberDef>> members;
  int64_t rows = 0;
};

// Converts one chunk of rows of `kind`. `now_period` ("YYYYMM") is the
// period at which the person cube computes ages and case overdue states.
void ConvertRows(datacenter::FactKind kind, std::span<const datacenter::FactRow> rows,
                 std::string_view now_period, Converted* out);

// The eight business domains of data scopes that analytics queries use.
const std::vector<std::string>& ScopeDomains();

}  // namespace hrss::analytics
