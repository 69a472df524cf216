// Normalizers (normalize.h). Hot path: every collected row goes through
// several of these, so each works on a thread-local scratch buffer, takes an
// ASCII fast path, and allocates only for its result (dates, codes and
// periods fit the small-string buffer).
#include "ingest/normalize.h"

#include <chrono>
#include <cstring>

#include "core/division.h"
#include "core/ids.h"
#include "core/masking.h"
#include "core/utf8.h"

namespace hrss::ingest {
namespace {

// Decodes one UTF-8 sequence at p (n bytes left). Returns its length, or 0
// when malformed.
inline size_t DecodeOne(const unsigned char* p, size_t n, char32_t* cp) {
  unsigned c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  char32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[k] & 0x3F);
  }
  if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
      (len == 4 && (v < 0x10000 || v > 0x10FFFF))) {
    return 0;
  }
  *cp = v;
  return len;
}

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Half-width copy of `s` into *out (cleared first): full-width ASCII and
// U+3000 mapped, U+00A0 → ' '. With drop_spaces every whitespace character
// is removed. Returns false on malformed UTF-8.
bool HalfWidthInto(std::string_view s, std::string* out, bool drop_spaces) {
  out->clear();
  if (AllAscii(s)) {
    if (!drop_spaces) {
      out->assign(s.data(), s.size());
    } else {
      for (char c : s) {
        if (!IsAsciiSpace(c)) out->push_back(c);
      }
    }
    return true;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    size_t len = DecodeOne(p + i, s.size() - i, &cp);
    if (len == 0) return false;
    i += len;
    if (cp == 0xA0) cp = ' ';
    cp = FullWidthToAscii(cp);
    if (drop_spaces && (cp < 0x80 ? IsAsciiSpace(static_cast<char>(cp)) : IsSpaceCodePoint(cp))) {
      continue;
    }
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else {
      AppendUtf8(cp, out);
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string& Scratch() {
  thread_local std::string s;
  return s;
}

// The value quoted in a message: at most 40 bytes, cut at a character start.
std::string Shown(std::string_view s) {
  if (s.size() <= 40) return std::string(s);
  size_t n = 40;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

Status Bad(std::string_view reason, std::string_view detail) {
  std::string m(reason);
  m += ": ";
  m += detail;
  return Status::InvalidArgument(std::move(m)).WithReason(std::string(reason));
}

// An ID-shaped value as it may appear in logs: first 6 and last 4 kept.
std::string MaskIdForMessage(std::string_view id) {
  if (!AllAscii(id)) return "****";
  if (id.size() < 12) return std::string(id.size() > 0 ? "****" : "");
  return std::string(id.substr(0, 6)) + "********" + std::string(id.substr(id.size() - 4));
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysIn(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}
bool ValidDate(int y, int m, int d) {
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= DaysIn(y, m);
}

int TodayInChina(const Clock& clock) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(clock.Now() + hours(8))};
  return static_cast<int>(ymd.year()) * 10000 + static_cast<int>(unsigned(ymd.month())) * 100 +
         static_cast<int>(unsigned(ymd.day()));
}

// Parses 1..n ASCII digits; false if empty, too long or not digits.
bool ParseDigits(std::string_view s, size_t max_len, int64_t* v) {
  if (s.empty() || s.size() > max_len) return false;
  int64_t r = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    r = r * 10 + (c - '0');
  }
  *v = r;
  return true;
}

void AppendInt(std::string* out, int v, int width) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (n < width) buf[n++] = '0';
  while (n > 0) out->push_back(buf[--n]);
}

std::string FormatDate(int y, int m, int d) {
  std::string s;
  s.reserve(10);
  AppendInt(&s, y, 4);
  s.push_back('-');
  AppendInt(&s, m, 2);
  s.push_back('-');
  AppendInt(&s, d, 2);
  return s;
}

// Splits "Y<sep>M<sep>D" where sep is one ASCII char of `seps`. The parts
// must be digits.
bool SplitYmd(std::string_view s, std::string_view seps, int64_t* y, int64_t* m, int64_t* d) {
  size_t a = s.find_first_of(seps);
  if (a == std::string_view::npos) return false;
  char sep = s[a];
  size_t b = s.find(sep, a + 1);
  if (b == std::string_view::npos) return false;
  return ParseDigits(s.substr(0, a), 4, y) && s.substr(0, a).size() == 4 &&
         ParseDigits(s.substr(a + 1, b - a - 1), 2, m) && ParseDigits(s.substr(b + 1), 2, d);
}

constexpr std::string_view kNian = "\xE5\xB9\xB4";  // 年
constexpr std::string_view kYue = "\xE6\x9C\x88";   // 月
constexpr std::string_view kRi = "\xE6\x97\xA5";    // 日
constexpr std::string_view kHao = "\xE5\x8F\xB7";   // 号

}  // namespace

std::string ToHalfWidth(std::string_view utf8) {
  std::string out;
  if (AllAscii(utf8)) return std::string(utf8);
  out.reserve(utf8.size());
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    size_t len = DecodeOne(p + i, utf8.size() - i, &cp);
    if (len == 0) {  // not UTF-8: keep the byte as it is
      out.push_back(utf8[i]);
      ++i;
      continue;
    }
    i += len;
    cp = FullWidthToAscii(cp);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

std::string CleanText(std::string_view utf8) {
  std::string half = ToHalfWidth(utf8);
  std::string out;
  out.reserve(half.size());
  bool pending_space = false;
  const auto* p = reinterpret_cast<const unsigned char*>(half.data());
  size_t i = 0;
  while (i < half.size()) {
    char32_t cp = 0;
    size_t len = DecodeOne(p + i, half.size() - i, &cp);
    if (len == 0) {
      len = 1;
      cp = 0xFFFFFFFF;  // raw byte, not a space
    }
    bool space = cp < 0x80 ? IsAsciiSpace(static_cast<char>(cp))
                           : (cp == 0xA0 || (cp != 0xFFFFFFFF && IsSpaceCodePoint(cp)));
    if (space) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(half, i, len);
    }
    i += len;
  }
  return out;
}

Result<std::string> NormalizeId(std::string_view raw, const Clock& clock) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) {
    return Bad("ID_FORMAT", "not valid UTF-8");
  }
  if (b.empty()) return Bad("ID_EMPTY", "no ID number");
  for (char& c : b) {
    if (c == 'x') c = 'X';
  }
  std::string id;
  if (b.size() == 15) {
    for (char c : b) {
      if (!IsDigit(c))
        return Bad("ID_FORMAT", "a 15-digit ID number has only digits: " + MaskIdForMessage(b));
    }
    id.reserve(18);
    id.append(b, 0, 6);
    id += "19";
    id.append(b, 6, 9);
    id.push_back(IdCheckChar(id));
  } else if (b.size() == 18) {
    for (size_t k = 0; k < 17; ++k) {
      if (!IsDigit(b[k])) {
        return Bad("ID_FORMAT", "17 digits and a digit or X expected: " + MaskIdForMessage(b));
      }
    }
    if (!IsDigit(b[17]) && b[17] != 'X') {
      return Bad("ID_FORMAT", "17 digits and a digit or X expected: " + MaskIdForMessage(b));
    }
    if (IdCheckChar(std::string_view(b).substr(0, 17)) != b[17]) {
      return Bad("ID_CHECKSUM", "wrong check digit: " + MaskIdForMessage(b));
    }
    id = b;
  } else {
    return Bad("ID_FORMAT", "an ID number has 18 characters (or 15 legacy), got " +
                                std::to_string(b.size()) + ": " + MaskIdForMessage(b));
  }
  const int y = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
  const int m = (id[10] - '0') * 10 + (id[11] - '0');
  const int d = (id[12] - '0') * 10 + (id[13] - '0');
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m)) {
    return Bad("ID_BIRTH", "no such birth date: " + MaskIdForMessage(id));
  }
  if (y * 10000 + m * 100 + d > TodayInChina(clock)) {
    return Bad("ID_BIRTH", "birth date in the future: " + MaskIdForMessage(id));
  }
  return id;
}

Result<std::string> NormalizeCredit(std::string_view raw, bool* check_ok) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) {
    return Bad("CREDIT_FORMAT", "not valid UTF-8");
  }
  if (b.empty()) return Bad("CREDIT_EMPTY", "no credit code");
  auto r = NormalizeCreditCode(b);
  if (!r.ok()) {
    return Bad("CREDIT_FORMAT", "18 characters from 0-9 and A-Y without I O S V Z expected");
  }
  if (check_ok != nullptr) *check_ok = r->check_digit_ok;
  return std::move(r->normalized);
}

Result<std::string> NormalizeName(std::string_view raw) {
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  size_t i = 0;
  int count = 0;
  while (i < raw.size()) {
    char32_t cp = 0;
    size_t len = DecodeOne(p + i, raw.size() - i, &cp);
    if (len == 0) return Bad("NAME_FORMAT", "not valid UTF-8");
    i += len;
    if (cp == 0xA0 || (cp < 0x80 ? IsAsciiSpace(static_cast<char>(cp)) : IsSpaceCodePoint(cp))) {
      continue;
    }
    // Middle dot variants of minority names (before the full-width mapping,
    // which would turn ． into '.').
    if (cp == 0x30FB || cp == 0x2022 || cp == 0x2027 || cp == 0xFF65 || cp == 0xFF0E ||
        cp == 0x2219 || cp == 0x22C5 || cp == '.') {
      cp = 0xB7;
    }
    cp = FullWidthToAscii(cp);
    if (cp >= '0' && cp <= '9') return Bad("NAME_FORMAT", "a name has no digits");
    if (cp < 0x20 || cp == 0x7F) return Bad("NAME_FORMAT", "control character in name");
    ++count;
    AppendUtf8(cp, &out);
  }
  if (out.empty()) return Bad("NAME_EMPTY", "no name");
  if (count > 30) return Bad("NAME_FORMAT", "longer than 30 characters");
  return out;
}

Result<std::string> NormalizeDate(std::string_view raw, bool allow_serial) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/false)) return Bad("BAD_DATE", "not valid UTF-8");
  std::string_view s = Trim(b);
  if (s.empty()) return Bad("DATE_EMPTY", "no date");
  const std::string_view shown = s;
  // A time part after the date ("1980-03-05 00:00:00", "...T08:00").
  if (s.size() > 8) {
    size_t cut = s.find_first_of(" T", 8);
    if (cut != std::string_view::npos) s = Trim(s.substr(0, cut));
  }
  int64_t y = 0, m = 0, d = 0;
  bool parsed = false;
  size_t nian = s.find(kNian);
  if (nian != std::string_view::npos) {
    size_t yue = s.find(kYue, nian);
    if (yue != std::string_view::npos) {
      std::string_view day = s.substr(yue + kYue.size());
      if (day.ends_with(kRi) || day.ends_with(kHao)) day.remove_suffix(3);
      parsed = s.substr(0, nian).size() == 4 && ParseDigits(s.substr(0, nian), 4, &y) &&
               ParseDigits(s.substr(nian + kNian.size(), yue - nian - kNian.size()), 2, &m) &&
               ParseDigits(Trim(day), 2, &d);
    }
  } else if (s.find_first_of("-/.") != std::string_view::npos) {
    size_t dots = 0;
    for (char c : s) dots += (c == '.' || c == '-' || c == '/');
    size_t dot = s.find('.');
    if (dots == 1 && dot != std::string_view::npos && dot >= 5 && allow_serial) {
      // A serial with a time fraction, "45292.5".
      int64_t serial = 0;
      int64_t frac = 0;
      std::string_view fr = s.substr(dot + 1);
      if (ParseDigits(s.substr(0, dot), 7, &serial) && (fr.empty() || ParseDigits(fr, 17, &frac))) {
        s = s.substr(0, dot);
      } else {
        return Bad("BAD_DATE", Shown(shown));
      }
    } else {
      parsed = SplitYmd(s, "-/.", &y, &m, &d);
    }
  }
  if (!parsed && nian == std::string_view::npos) {
    bool digits = !s.empty();
    for (char c : s) digits = digits && IsDigit(c);
    if (digits && s.size() == 8) {
      y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
      m = (s[4] - '0') * 10 + (s[5] - '0');
      d = (s[6] - '0') * 10 + (s[7] - '0');
      parsed = true;
    } else if (digits && s.size() <= 7 && allow_serial) {
      int64_t serial = 0;
      ParseDigits(s, 7, &serial);
      if (serial < 1 || serial > 2958465 || serial == 60) return Bad("BAD_DATE", Shown(shown));
      using namespace std::chrono;
      // 1900 date system: 1 = 1900-01-01; Excel's fictitious 1900-02-29 is 60.
      const sys_days base =
          serial < 60 ? sys_days{year{1899} / 12 / 31} : sys_days{year{1899} / 12 / 30};
      const year_month_day ymd{base + days{serial}};
      y = static_cast<int>(ymd.year());
      m = static_cast<unsigned>(ymd.month());
      d = static_cast<unsigned>(ymd.day());
      parsed = true;
    }
  }
  if (!parsed || !ValidDate(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d))) {
    return Bad("BAD_DATE", Shown(shown));
  }
  return FormatDate(static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
}

Result<int> NormalizePeriod(std::string_view raw) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) return Bad("BAD_PERIOD", "not valid UTF-8");
  std::string_view s = b;
  if (s.empty()) return Bad("BAD_PERIOD", "no period");
  int64_t y = 0, m = 0;
  bool ok = false;
  size_t nian = s.find(kNian);
  if (nian != std::string_view::npos) {
    std::string_view month = s.substr(nian + kNian.size());
    if (month.ends_with(kYue)) month.remove_suffix(kYue.size());
    ok = nian == 4 && ParseDigits(s.substr(0, 4), 4, &y) && ParseDigits(month, 2, &m);
  } else if (s.size() >= 6 && (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
    ok = ParseDigits(s.substr(0, 4), 4, &y) && ParseDigits(s.substr(5), 2, &m);
  } else if (s.size() == 6) {
    ok = ParseDigits(s.substr(0, 4), 4, &y) && ParseDigits(s.substr(4), 2, &m);
  }
  if (!ok || y < 1900 || y > 2100 || m < 1 || m > 12) return Bad("BAD_PERIOD", Shown(b));
  return static_cast<int>(y * 100 + m);
}

Result<std::string> NormalizeGender(std::string_view raw) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) return Bad("BAD_GENDER", "not valid UTF-8");
  for (char& c : b) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string_view s = b;
  if (s.empty() || s == "0" || s == "\xE6\x9C\xAA\xE7\x9F\xA5" /* 未知 */) return std::string("0");
  if (s == "1" || s == "m" || s == "male" || s == "\xE7\x94\xB7" /* 男 */ ||
      s == "\xE7\x94\xB7\xE6\x80\xA7" /* 男性 */) {
    return std::string("1");
  }
  if (s == "2" || s == "f" || s == "female" || s == "\xE5\xA5\xB3" /* 女 */ ||
      s == "\xE5\xA5\xB3\xE6\x80\xA7" /* 女性 */) {
    return std::string("2");
  }
  if (s == "9" || s == "\xE6\x9C\xAA\xE8\xAF\xB4\xE6\x98\x8E" /* 未说明 */) return std::string("9");
  return Bad("BAD_GENDER", Shown(s));
}

Result<int64_t> NormalizeAmountFen(std::string_view raw) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) return Bad("BAD_AMOUNT", "not valid UTF-8");
  std::string_view s = b;
  if (s.empty()) return Bad("AMOUNT_EMPTY", "no amount");
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  for (std::string_view cur :
       {std::string_view("\xEF\xBF\xA5") /* ￥ */, std::string_view("\xC2\xA5") /* ¥ */}) {
    if (s.starts_with(cur)) {
      s.remove_prefix(cur.size());
      break;
    }
  }
  if (!negative && !s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.ends_with("\xE5\x85\x83") /* 元 */) s.remove_suffix(3);
  const std::string shown = Shown(b);
  if (s.empty()) return Bad("BAD_AMOUNT", shown);
  int64_t yuan = 0;
  int int_digits = 0;
  size_t i = 0;
  bool last_comma = false;
  for (; i < s.size() && s[i] != '.'; ++i) {
    char c = s[i];
    if (c == ',') {
      if (int_digits == 0 || last_comma) return Bad("BAD_AMOUNT", shown);
      last_comma = true;
      continue;
    }
    if (!IsDigit(c)) return Bad("BAD_AMOUNT", shown);
    last_comma = false;
    if (++int_digits > 15) return Bad("BAD_AMOUNT", shown);
    yuan = yuan * 10 + (c - '0');
  }
  if (last_comma) return Bad("BAD_AMOUNT", shown);
  int64_t fen = 0;
  int frac_digits = 0;
  if (i < s.size()) {  // at '.'
    ++i;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (!IsDigit(c)) return Bad("BAD_AMOUNT", shown);
      if (frac_digits < 2) {
        fen = fen * 10 + (c - '0');
      } else if (c != '0') {
        return Bad("BAD_AMOUNT", shown + " (more than 2 decimals)");
      }
      ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return Bad("BAD_AMOUNT", shown);
  } else if (int_digits == 0) {
    return Bad("BAD_AMOUNT", shown);
  }
  if (frac_digits == 1) fen *= 10;
  int64_t total = yuan * 100 + fen;
  return negative ? -total : total;
}

Result<std::string> NormalizeDivision(std::string_view raw) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) return Bad("BAD_DIVISION", "not valid UTF-8");
  std::string_view s = b;
  if (s.empty()) return Bad("DIVISION_EMPTY", "no township");
  const DivisionTable& table = DivisionTable::Builtin();
  bool digits = true;
  for (char c : s) digits = digits && IsDigit(c);
  if (digits) {
    if (s.size() == 12) s = s.substr(0, 9);
    if (s.size() == 9) {
      const Division* d = table.FindCurrent(s);
      if (d != nullptr && d->level == 4) return d->code;
    }
    return Bad("BAD_DIVISION", "not a township code of Dazhu: " + Shown(b));
  }
  // "四川省达州市大竹县竹阳街道" → "竹阳街道".
  for (std::string_view prefix :
       {std::string_view("\xE5\x9B\x9B\xE5\xB7\x9D\xE7\x9C\x81"),     // 四川省
        std::string_view("\xE8\xBE\xBE\xE5\xB7\x9E\xE5\xB8\x82"),     // 达州市
        std::string_view("\xE5\xA4\xA7\xE7\xAB\xB9\xE5\x8E\xBF")}) {  // 大竹县
    if (s.starts_with(prefix) && s.size() > prefix.size()) s.remove_prefix(prefix.size());
  }
  const Division* d = table.FindTownshipByName(s);
  if (d != nullptr) {
    if (d->retired()) {
      const Division* cur = table.FindCurrent(d->code);
      if (cur != nullptr) return cur->code;
    }
    return d->code;
  }
  return Bad("BAD_DIVISION", "no such township: " + Shown(b));
}

Result<std::string> NormalizeMobile(std::string_view raw) {
  std::string& b = Scratch();
  if (!HalfWidthInto(raw, &b, /*drop_spaces=*/true)) return Bad("BAD_MOBILE", "not valid UTF-8");
  std::string digits;
  digits.reserve(b.size());
  for (char c : b) {
    if (c == '-') continue;
    digits.push_back(c);
  }
  std::string_view s = digits;
  if (s.empty()) return Bad("BAD_MOBILE", "no number");
  if (s.starts_with("+86")) {
    s.remove_prefix(3);
  } else if (s.starts_with("0086")) {
    s.remove_prefix(4);
  } else if (s.size() == 13 && s.starts_with("86")) {
    s.remove_prefix(2);
  }
  bool ok = s.size() == 11 && s[0] == '1';
  for (char c : s) ok = ok && IsDigit(c);
  if (!ok) return Bad("BAD_MOBILE", "11 digits starting with 1 expected: " + MaskPhone(digits));
  return std::string(s);
}

uint64_t RowHash(std::initializer_list<std::string_view> parts) {
  uint64_t h = 14695981039346656037ULL;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) {
      h ^= 0x1F;
      h *= 1099511628211ULL;
    }
    first = false;
    for (unsigned char c : p) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  return h;
}

}  // namespace hrss::ingest
