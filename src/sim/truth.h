// The "truth" population behind every simulated source system: residents
// with valid GB 11643 ID numbers and units with valid GB 32100 credit codes,
// plus who is insured where. The five systems (systems.h) project this one
// population into their dialects, so tests can compare what a collector
// loaded against what was meant.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::sim {

struct Preset {
  std::string name;       // "small" | "county"
  int residents = 0;
  int units = 0;
  int first_month = 0;    // YYYYMM, first month of monthly data
  int last_month = 0;     // YYYYMM
  int jiancha_cases = 0;
};
// "small" or "county"; INVALID_ARGUMENT otherwise.
Result<Preset> FindPreset(std::string_view name);

// 单位类型 (aab019): 10 企业, 30 机关, 50 事业, 60 个体, 90 其他.
struct Unit {
  std::string credit_code;  // valid GB 32100, 18 characters
  std::string name;
  std::string legal_rep;
  char industry = 'C';      // GB/T 4754 门类
  int type = 10;
  int township = 0;         // index into Population::townships
  int weight = 1;           // relative number of employees
  bool late = false;        // first arrives on day 2 (orphan_unit in the systems)
};

// Membership flags of a resident in the systems (bit set).
enum : uint8_t {
  kInJubao = 1,
  kInShebao = 2,
  kInJibao = 4,
  kInJiuye = 8,
};

struct Resident {
  std::array<char, 18> id{};  // canonical 18-character ID
  std::string name;           // UTF-8
  int birth = 0;              // YYYYMMDD (the one encoded in the ID)
  bool male = false;
  uint8_t township = 0;       // index into Population::townships
  uint8_t systems = 0;        // kIn* bits
  uint8_t insurance = 0;      // 职工: bit0 110, bit1 210, bit2 310, bit3 410, bit4 510
  // Master-data system (one kIn* bit) that writes a wrong birth date; 0 none.
  uint8_t birth_conflict_in = 0;
  int death_month = 0;        // YYYYMM or 0
  // 职工 (shebao): employer, spell [emp_from, emp_to] (YYYYMM; emp_to 0 = ongoing),
  // contribution base in yuan at emp_from, retirement month (pension from then).
  int unit = -1;
  int emp_from = 0;
  int emp_to = 0;
  int base = 0;
  int retire_month = 0;
  // 机保 (jibao): organ/institution unit, entry date YYYYMMDD, salary yuan.
  int jibao_unit = -1;
  int jibao_entry = 0;
  int jibao_salary = 0;
  // 居保 (jubao): enrolment date YYYYMMDD, 档次 yuan/year.
  int jubao_from = 0;
  int jubao_level = 0;

  std::string_view id_view() const { return {id.data(), id.size()}; }
  int birth_month() const { return birth / 100; }
  // Month in which the resident turns `years` old.
  int MonthAtAge(int years) const { return (birth / 10000 + years) * 100 + birth / 100 % 100; }
  int AgeInYear(int year) const { return year - birth / 10000; }
};

struct Township {
  std::string code;  // 9 digits
  std::string name;  // "竹阳街道"
};

struct Population {
  Preset preset;
  uint64_t seed = 0;
  std::vector<Township> townships;
  std::vector<Unit> units;
  std::vector<Resident> residents;
};

// Builds the population for `preset` and `seed` (deterministic).
Population BuildPopulation(const Preset& preset, uint64_t seed);

// Name lists (UTF-8), shared with the systems for legal representatives,
// complainants and name variants.
std::string RandomName(uint64_t h, bool male);
// A homophone/look-alike variant of `name` (e.g. 张三 → 张叁), or `name`
// with a space after the surname when no character has a variant.
std::string NameVariant(std::string_view name);

}  // namespace hrss::sim
