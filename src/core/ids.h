// Identifier validation: citizen ID numbers (GB 11643-1999), unified social
// credit codes (GB 32100-2015) and the Luhn check for bank cards.
//
// All functions are pure (no I/O) and never throw; errors are returned as
// INVALID_ARGUMENT with a message that names the reason but never echoes the
// identifier itself (it is personal information and messages may be logged).
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace hrss {

// Returns the ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') for the
// first 17 characters of a citizen ID number.
// REQUIRES: `first17` is exactly 17 ASCII digits.
char IdCheckChar(std::string_view first17);

// Normalizes a citizen ID number as typed or imported to its canonical
// 18-character form:
//  * trims leading/trailing ASCII whitespace and U+3000 (full-width space);
//  * converts full-width digits ０-９ and Ｘ/ｘ to ASCII, and 'x' to 'X';
//  * converts a legacy 15-digit ID to 18 digits (inserts "19" after the
//    6-digit address code and appends the check character);
//  * checks the MOD 11-2 check character (18-digit input only);
//  * checks the birth date is a real calendar date, not before 1900-01-01
//    and not after today (the date in China, UTC+8, according to `clock`).
// On failure returns INVALID_ARGUMENT whose message starts with one of
// "bad characters", "bad length", "bad check digit", "bad birth date".
Result<std::string> NormalizeIdNumber(std::string_view raw, const Clock& clock);

// What an 18-digit ID number encodes.
struct IdInfo {
  std::string division_code;  // 6-digit address code (GB/T 2260), e.g. "511724"
  int birth_year = 0;
  int birth_month = 0;
  int birth_day = 0;
  bool male = false;  // sequence number (digits 15-17) odd = male
};

// Parses an already normalized 18-character ID number. Checks the shape,
// the check character and the calendar validity of the birth date (but not
// "not in the future": use NormalizeIdNumber for input from outside).
// Returns INVALID_ARGUMENT if `normalized18` is not a valid canonical ID.
Result<IdInfo> ParseIdNumber(std::string_view normalized18);

// Result of normalizing a unified social credit code.
struct CreditCodeCheck {
  std::string normalized;  // 18 upper-case characters
  // False when the GB 32100 check character does not match. Some real early
  // codes fail the check, so this is a warning that a user may override,
  // not a rejection.
  bool check_digit_ok = false;
};

// Normalizes a unified social credit code: trims ASCII and full-width spaces,
// converts full-width characters to ASCII and letters to upper case. Returns
// INVALID_ARGUMENT unless the result is exactly 18 characters from the
// alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z). A failing
// check character is reported in `check_digit_ok`, not as an error.
Result<CreditCodeCheck> NormalizeCreditCode(std::string_view raw);

// Returns the GB 32100-2015 check character for the first 17 characters of a
// credit code. REQUIRES: `first17` is 17 characters from the code alphabet.
char CreditCodeCheckChar(std::string_view first17);

// True iff `digits` is at least two ASCII digits (nothing else) and passes the
// Luhn mod-10 check. For bank card numbers this is a warning only: some real
// UnionPay debit cards fail it.
bool LuhnValid(std::string_view digits);

}  // namespace hrss
