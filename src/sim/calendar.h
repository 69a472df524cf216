// Calendar arithmetic for the simulators (proleptic Gregorian, no time zone
// library): dates as YYYYMMDD integers, months as YYYYMM integers or as a
// running month index (year * 12 + month - 1).
#pragma once

#include <cstdint>

namespace hrss::sim {

// Days since 1970-01-01 (H. Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// YYYYMMDD of a day number.
constexpr int CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return y * 10000 + m * 100 + d;
}

constexpr int64_t DaysOf(int yyyymmdd) {
  return DaysFromCivil(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}
constexpr int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

constexpr int MonthIndex(int yyyymm) { return yyyymm / 100 * 12 + yyyymm % 100 - 1; }
constexpr int YyyymmOf(int month_index) { return month_index / 12 * 100 + month_index % 12 + 1; }

// Epoch milliseconds of a local (Asia/Shanghai, UTC+8) date and time.
constexpr int64_t EpochMsShanghai(int yyyymmdd, int seconds_of_day) {
  return (DaysOf(yyyymmdd) * 86400 + seconds_of_day - 8 * 3600) * 1000;
}

// Excel 1900-system serial number of a date.
constexpr int64_t ExcelSerial(int yyyymmdd) { return DaysOf(yyyymmdd) - DaysFromCivil(1899, 12, 30); }

}  // namespace hrss::sim
