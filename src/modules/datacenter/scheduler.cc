// Cron expressions (collect.h CronExpr): parsing and next-run computation in
// Asia/Shanghai (UTC+8, no daylight saving).
#include <charconv>
#include <vector>

#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

namespace {

constexpr int64_t kMinuteMs = 60000;
constexpr int64_t kShanghaiOffsetMin = 8 * 60;

Result<int> Number(std::string_view s, int lo, int hi) {
  int n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || n < lo || n > hi) {
    return Status::InvalidArgument("「" + std::string(s) + "」不是 " + std::to_string(lo) + "–" +
                                   std::to_string(hi) + " 的整数");
  }
  return n;
}

// Parses one field into a bit set; *any when it is a bare "*".
Result<uint64_t> Field(std::string_view text, int lo, int hi, bool* any) {
  uint64_t bits = 0;
  *any = text == "*";
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    if (item.empty()) return Status::InvalidArgument("字段「" + std::string(text) + "」中有空项");
    int step = 1;
    size_t slash = item.find('/');
    std::string_view range = item.substr(0, slash);
    if (slash != std::string_view::npos) {
      HRSS_ASSIGN_OR_RETURN(step, Number(item.substr(slash + 1), 1, hi));
    }
    int a = lo, b = hi;
    if (range != "*") {
      size_t dash = range.find('-');
      HRSS_ASSIGN_OR_RETURN(a, Number(range.substr(0, dash), lo, hi));
      if (dash != std::string_view::npos) {
        HRSS_ASSIGN_OR_RETURN(b, Number(range.substr(dash + 1), lo, hi));
        if (b < a) return Status::InvalidArgument("范围「" + std::string(range) + "」倒置");
      } else {
        b = slash == std::string_view::npos ? a : hi;
      }
    }
    for (int v = a; v <= b; v += step) bits |= uint64_t{1} << v;
    start = comma + 1;
  }
  return bits;
}

// Days since 1970-01-01 → (year, month, day) (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2 ? 1 : 0));
}

}  // namespace

Result<CronExpr> CronExpr::Parse(std::string_view text) {
  std::vector<std::string_view> f;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) f.push_back(text.substr(i, j - i));
    i = j;
  }
  if (f.size() != 5) {
    return Status::InvalidArgument("cron 表达式须为 5 个字段（分 时 日 月 周），实际 " +
                                   std::to_string(f.size()) + " 个")
        .WithReason("BAD_CRON");
  }
  CronExpr c;
  bool any = false;
  auto wrap = [](Result<uint64_t> r, const char* name) -> Result<uint64_t> {
    if (!r.ok()) {
      return Status::InvalidArgument(std::string("cron 的") + name + "字段无效：" +
                                     r.status().message())
          .WithReason("BAD_CRON");
    }
    return r;
  };
  HRSS_ASSIGN_OR_RETURN(c.minute_, wrap(Field(f[0], 0, 59, &any), "分钟"));
  HRSS_ASSIGN_OR_RETURN(uint64_t h, wrap(Field(f[1], 0, 23, &any), "小时"));
  c.hour_ = static_cast<uint32_t>(h);
  HRSS_ASSIGN_OR_RETURN(uint64_t dom, wrap(Field(f[2], 1, 31, &c.dom_any_), "日"));
  c.dom_ = static_cast<uint32_t>(dom);
  HRSS_ASSIGN_OR_RETURN(uint64_t mon, wrap(Field(f[3], 1, 12, &any), "月"));
  c.month_ = static_cast<uint32_t>(mon);
  HRSS_ASSIGN_OR_RETURN(uint64_t dow, wrap(Field(f[4], 0, 7, &c.dow_any_), "周"));
  if (dow & (1u << 7)) dow |= 1;
  c.dow_ = static_cast<uint32_t>(dow & 0x7f);
  return c;
}

int64_t CronExpr::NextAfter(int64_t after_ms) const {
  // Local minutes since the epoch, starting at the next whole minute.
  int64_t t = (after_ms >= 0 ? after_ms / kMinuteMs : (after_ms - kMinuteMs + 1) / kMinuteMs) +
              kShanghaiOffsetMin + 1;
  const int64_t limit = t + 5LL * 366 * 1440;
  while (t < limit) {
    int64_t days = t / 1440;
    int y, m, d;
    CivilFromDays(days, &y, &m, &d);
    int dow = static_cast<int>((days + 4) % 7);
    bool dom_ok = (dom_ >> d) & 1, dow_ok = (dow_ >> dow) & 1;
    bool day_ok = (dom_any_ || dow_any_) ? (dom_ok && dow_ok) : (dom_ok || dow_ok);
    if (!((month_ >> m) & 1) || !day_ok) {
      t = (days + 1) * 1440;
      continue;
    }
    int minute_of_day = static_cast<int>(t % 1440);
    int hour = minute_of_day / 60;
    if (!((hour_ >> hour) & 1)) {
      t = days * 1440 + (hour + 1) * 60;
      continue;
    }
    if (!((minute_ >> (minute_of_day % 60)) & 1)) {
      ++t;
      continue;
    }
    return (t - kShanghaiOffsetMin) * kMinuteMs;
  }
  return -1;
}

}  // namespace hrss::datacenter
