// Administrative divisions (GB/T 2260 county level and above; NBS township
// codes below), as a versioned table. The built-in table covers what the
// Dazhu County platform needs: Sichuan, Dazhou, Dazhou's counties (to resolve
// the address code of ID numbers) and Dazhu's 31 township-level units.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace hrss {

struct Division {
  // 6 digits for province/prefecture/county ("511724"), 9 digits for a
  // township-level unit ("511724001", the NBS 12-digit code minus "000").
  std::string code;
  std::string name;         // full official name, e.g. "竹阳街道", "乌木镇", "大竹县"
  std::string parent_code;  // empty for a province
  int level = 0;            // 1 province, 2 prefecture, 3 county, 4 township
  std::string kind;         // e.g. "省", "市", "县", "区", "街道", "镇", "乡"
  // For a retired code that still appears in old data (e.g. ID numbers): the
  // code that replaced it; empty for a current code.
  std::string successor_code;

  bool retired() const { return !successor_code.empty(); }
};

class DivisionTable {
 public:
  // Builds a table from rows in any order (e.g. a newer NBS release loaded
  // from the database). Returns INVALID_ARGUMENT if a code is empty or
  // repeated, a level is outside 1..4, or a parent or successor code is not
  // in the table.
  static Result<DivisionTable> Create(std::string version, std::vector<Division> rows);

  // The compiled-in table, version "NBS-2023". Thread-safe; lives forever.
  static const DivisionTable& Builtin();

  // Identifies the data set, e.g. "NBS-2023".
  std::string_view version() const { return version_; }

  // Returns the division with this code, or nullptr. Accepts a 6- or 9-digit
  // code, and a 12-digit NBS code ending in "000" (looked up as 9 digits).
  // Retired codes are found too (check Division::retired()).
  // The pointer is valid as long as the table.
  const Division* Find(std::string_view code) const;

  // Follows successor codes from `code` to a current division; returns
  // nullptr if `code` is unknown.
  const Division* FindCurrent(std::string_view code) const;

  // Direct children of `parent`, current codes only, in code order.
  std::vector<const Division*> Children(std::string_view parent) const;

  // All township-level (level 4) units, in code order. For the built-in
  // table: Dazhu's 31 units.
  std::vector<const Division*> Townships() const;

  // Finds a township-level unit by its full name ("竹阳街道", "石桥铺镇") or by
  // its name without the 街道/镇/乡 suffix ("竹阳"). Returns nullptr if none
  // or more than one unit matches.
  const Division* FindTownshipByName(std::string_view name) const;

  // Number of rows, retired codes included.
  size_t size() const { return rows_.size(); }

 private:
  DivisionTable(std::string version, std::vector<Division> rows)
      : version_(std::move(version)), rows_(std::move(rows)) {}

  std::string version_;
  std::vector<Division> rows_;  // sorted by code
};

}  // namespace hrss
