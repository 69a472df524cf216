#include "core/ids.h"

#include <array>
#include <cassert>
#include <chrono>
#include <vector>

#include "core/utf8.h"

namespace hrss {
namespace {

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheckChars = "10X98765432";

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kCreditWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

int ParseInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Trims spaces and maps full-width characters to ASCII. Returns false if the
// input is not UTF-8 or contains anything outside printable ASCII after the
// mapping.
bool ToAsciiTrimmed(std::string_view raw, std::string* out) {
  std::vector<char32_t> cps;
  if (!DecodeUtf8(raw, &cps)) return false;
  size_t b = 0;
  size_t e = cps.size();
  while (b < e && IsSpaceCodePoint(cps[b])) ++b;
  while (e > b && IsSpaceCodePoint(cps[e - 1])) --e;
  out->clear();
  for (size_t i = b; i < e; ++i) {
    char32_t cp = FullWidthToAscii(cps[i]);
    if (cp < 0x21 || cp > 0x7E) return false;
    out->push_back(static_cast<char>(cp));
  }
  return true;
}

// Today's date in China Standard Time (UTC+8, no daylight saving time),
// as yyyymmdd.
int TodayInChina(const Clock& clock) {
  using namespace std::chrono;
  const auto local = clock.Now() + hours(8);
  const year_month_day ymd{floor<days>(local)};
  return static_cast<int>(ymd.year()) * 10000 + static_cast<int>(unsigned(ymd.month())) * 100 +
         static_cast<int>(unsigned(ymd.day()));
}

// Checks yyyymmdd (8 ASCII digits) is a real date on or after 1900-01-01.
Status CheckBirthDate(std::string_view yyyymmdd) {
  const int y = ParseInt(yyyymmdd.substr(0, 4));
  const int m = ParseInt(yyyymmdd.substr(4, 2));
  const int d = ParseInt(yyyymmdd.substr(6, 2));
  if (y < 1900) return Status::InvalidArgument("bad birth date: year before 1900");
  if (m < 1 || m > 12) return Status::InvalidArgument("bad birth date: no such month");
  if (d < 1 || d > DaysInMonth(y, m)) {
    return Status::InvalidArgument("bad birth date: no such day in that month");
  }
  return Status::Ok();
}

// Checks the shape, check character and calendar date of a canonical ID.
Status CheckCanonicalId(std::string_view id) {
  if (id.size() != 18) {
    return Status::InvalidArgument("bad length: an ID number has 18 characters");
  }
  if (!AllDigits(id.substr(0, 17)) || !(IsDigit(id[17]) || id[17] == 'X')) {
    return Status::InvalidArgument(
        "bad characters: an ID number is 17 digits followed by a digit or X");
  }
  if (IdCheckChar(id.substr(0, 17)) != id[17]) {
    return Status::InvalidArgument("bad check digit: the ID number was mistyped");
  }
  return CheckBirthDate(id.substr(6, 8));
}

}  // namespace

char IdCheckChar(std::string_view first17) {
  assert(first17.size() == 17 && AllDigits(first17));
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) {
    sum += (first17[i] - '0') * kIdWeights[i];
  }
  return kIdCheckChars[sum % 11];
}

Result<std::string> NormalizeIdNumber(std::string_view raw, const Clock& clock) {
  std::string id;
  if (!ToAsciiTrimmed(raw, &id)) {
    return Status::InvalidArgument("bad characters: an ID number contains only digits and X");
  }
  for (char& c : id) {
    if (c == 'x') c = 'X';
    if (!IsDigit(c) && c != 'X') {
      return Status::InvalidArgument("bad characters: an ID number contains only digits and X");
    }
  }
  if (id.size() == 15) {
    if (!AllDigits(id)) {
      return Status::InvalidArgument("bad characters: a 15-digit ID number has only digits");
    }
    // GB 11643-1999 appendix: the legacy year has two digits, all 19xx.
    id = id.substr(0, 6) + "19" + id.substr(6);
    id.push_back(IdCheckChar(id));
  } else if (id.size() != 18) {
    return Status::InvalidArgument("bad length: an ID number has 18 characters (or 15 legacy)");
  }
  HRSS_RETURN_IF_ERROR(CheckCanonicalId(id));
  if (ParseInt(std::string_view(id).substr(6, 8)) > TodayInChina(clock)) {
    return Status::InvalidArgument("bad birth date: in the future");
  }
  return id;
}

Result<IdInfo> ParseIdNumber(std::string_view normalized18) {
  HRSS_RETURN_IF_ERROR(CheckCanonicalId(normalized18));
  IdInfo info;
  info.division_code = std::string(normalized18.substr(0, 6));
  info.birth_year = ParseInt(normalized18.substr(6, 4));
  info.birth_month = ParseInt(normalized18.substr(10, 2));
  info.birth_day = ParseInt(normalized18.substr(12, 2));
  info.male = (normalized18[16] - '0') % 2 == 1;
  return info;
}

char CreditCodeCheckChar(std::string_view first17) {
  assert(first17.size() == 17);
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) {
    const size_t v = kCreditAlphabet.find(first17[i]);
    assert(v != std::string_view::npos);
    if (v == std::string_view::npos) continue;
    sum += static_cast<int>(v) * kCreditWeights[i];
  }
  return kCreditAlphabet[(31 - sum % 31) % 31];
}

Result<CreditCodeCheck> NormalizeCreditCode(std::string_view raw) {
  std::string code;
  if (!ToAsciiTrimmed(raw, &code)) {
    return Status::InvalidArgument(
        "bad characters: a credit code contains only digits and capital letters");
  }
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (code.size() != 18) {
    return Status::InvalidArgument("bad length: a unified social credit code has 18 characters");
  }
  for (char c : code) {
    if (kCreditAlphabet.find(c) == std::string_view::npos) {
      return Status::InvalidArgument(
          "bad characters: a credit code uses digits and capital letters except I, O, S, V, Z");
    }
  }
  CreditCodeCheck out;
  out.check_digit_ok = CreditCodeCheckChar(std::string_view(code).substr(0, 17)) == code[17];
  out.normalized = std::move(code);
  return out;
}

bool LuhnValid(std::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits)) return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

}  // namespace hrss
