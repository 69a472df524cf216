// The five simulated level-2 source systems. Each projects the truth
// population into its own dialect (docs/datacenter/sources.md) under
// <out_dir>/<system>/ and records files, rows, dirt and truth in a Ledger.
// Generators are independent of each other (per-entity random streams), so
// they may run on different threads.
#pragma once

#include <string>

#include "core/status.h"
#include "sim/dialect.h"
#include "sim/truth.h"

namespace hrss::sim {

struct SimContext {
  const Population* pop = nullptr;
  std::string out_dir;
  int days = 3;
  bool progress = true;  // progress lines on stderr

  // YYYYMMDD of drop day `d` (1-based): day 1 is the first day after the
  // last data month.
  int DayDate(int d) const;
  // "YYYYMMDDHHMMSS" at `seconds` into drop day `d`.
  std::string DayStamp(int d, int seconds) const;
  // Random later day (2..days).
  int LaterDay(Rng& rng) const { return 2 + static_cast<int>(rng.Below(static_cast<uint64_t>(days - 1))); }
  // Random day after `day`. REQUIRES: day < days.
  int DayAfter(int day, Rng& rng) const {
    return day + 1 + static_cast<int>(rng.Below(static_cast<uint64_t>(days - day)));
  }
  // Whether resident `i` is in at least two systems and `system` writes a
  // name variant for them.
  bool NameVariantIn(size_t i, uint8_t system) const;
  void Progress(const char* system, const char* what, int64_t rows) const;
};

Status GenerateJubao(const SimContext& ctx, Ledger* ledger);
Status GenerateShebao(const SimContext& ctx, Ledger* ledger);
Status GenerateJibao(const SimContext& ctx, Ledger* ledger);
Status GenerateJiuye(const SimContext& ctx, Ledger* ledger);
Status GenerateJiancha(const SimContext& ctx, Ledger* ledger);

// "YYYYMMDDHHMMSS" of a date and seconds of day.
std::string Stamp(int yyyymmdd, int seconds);

}  // namespace hrss::sim
