// Normalization of source values (issue 4 item 4): pure functions, no I/O,
// used by the collectors before validation. Each returns the canonical form
// or INVALID_ARGUMENT whose message starts with a stable reason code
// (the quarantine reason), e.g. "BAD_DATE: 2023-02-30". The same code is set
// as Status::reason(). Messages never carry a whole ID number (first 6 and
// last 4 characters kept) or phone number (core/masking.h MaskPhone).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace hrss::ingest {

// Full-width ASCII (U+FF01..U+FF5E) → ASCII, ideographic space U+3000 → ' '.
std::string ToHalfWidth(std::string_view utf8);
// Half-width, trimmed, inner runs of whitespace collapsed to one space.
std::string CleanText(std::string_view utf8);

// ID numbers: half-width, all spaces removed, 'x' → 'X', 15 → 18 digits,
// check digit verified (core/ids.h NormalizeIdNumber).
// Reasons: "ID_EMPTY", "ID_FORMAT" (characters/length), "ID_CHECKSUM", "ID_BIRTH".
Result<std::string> NormalizeId(std::string_view raw, const Clock& clock);

// Credit code (GB 32100). Reasons: "CREDIT_EMPTY", "CREDIT_FORMAT". A failing
// check character is accepted (some real codes fail it) and reported in *check_ok.
Result<std::string> NormalizeCredit(std::string_view raw, bool* check_ok);

// Chinese personal names: half-width, all whitespace removed (张 三 → 张三),
// '·' variants (・ • ‧ ･ ．) unified to U+00B7 for minority names.
// Reason "NAME_EMPTY", "NAME_FORMAT" (digits, or longer than 30 characters).
Result<std::string> NormalizeName(std::string_view raw);

// Dates → "YYYY-MM-DD". Accepts 1980-03-05, 1980-3-5, 1980/3/5, 1980.03.05,
// 19800305, 1980年3月5日, full-width digits, and Excel serial numbers
// (1900 date system, 60 = the fictitious 1900-02-29 rejected; serials
// 1..2958465) when allow_serial. Calendar-checked, 1900-01-01..2100-12-31.
// Reason "BAD_DATE". Empty input → "DATE_EMPTY". A time after the date
// ("1980-03-05 00:00:00") is ignored; a serial may carry a time fraction
// ("45292.5"); "1975.03" (year-month) is not a date: use NormalizePeriod.
Result<std::string> NormalizeDate(std::string_view raw, bool allow_serial = true);
// Year-month → YYYYMM integer. Accepts 202401, 2024-01, 2024-1, 2024/01,
// 2024.01, 2024年1月. Reason "BAD_PERIOD".
Result<int> NormalizePeriod(std::string_view raw);

// Gender → GB/T 2261.1 "1" 男 / "2" 女 / "9" 未说明 ("0" 未知 for blank).
// Accepts 1/2/9/0, 男/女/男性/女性, M/F/m/f/male/female (any case), 未说明 → "9",
// 未知 → "0". Reason "BAD_GENDER".
Result<std::string> NormalizeGender(std::string_view raw);

// Money in yuan → integer fen, exact (no floating point). Accepts 1234.5,
// 1,234.50, ￥1234.50, full-width digits, negative with '-', at most 2
// decimals (more → "BAD_AMOUNT" unless the extra digits are zeros).
// Reason "BAD_AMOUNT"; empty → "AMOUNT_EMPTY". A trailing 元 is allowed; at
// most 15 integer digits.
Result<int64_t> NormalizeAmountFen(std::string_view raw);

// Township: a 9-digit code of Dazhu (core/division.h), a 12-digit code
// (first 9 used), or a Chinese township name (with or without 镇/乡/街道
// suffix) → 9-digit code. Reason "BAD_DIVISION"; blank → "DIVISION_EMPTY".
// A leading "四川省", "达州市", "大竹县" is ignored; retired codes map to their
// current successor.
Result<std::string> NormalizeDivision(std::string_view raw);

// Mobile numbers: half-width, spaces/dashes removed, optional +86/86 prefix
// dropped; must be 11 digits starting with 1. Reason "BAD_MOBILE".
Result<std::string> NormalizeMobile(std::string_view raw);

// A 64-bit FNV-1a hash of the parts joined by '\x1f' (row content checksums).
uint64_t RowHash(std::initializer_list<std::string_view> parts);

}  // namespace hrss::ingest
