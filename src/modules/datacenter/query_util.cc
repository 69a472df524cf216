// Parameter parsing, visibility and masking helpers of the query part.
#include <charconv>

#include "core/division.h"
#include "core/ids.h"
#include "core/masking.h"
#include "core/text.h"
#include "modules/datacenter/query_internal.h"
#include "modules/identity/audit.h"

namespace hrss::datacenter::query {

namespace json = boost::json;

const std::vector<std::string>& BusinessDomains() {
  static const std::vector<std::string> d = {"jubao",   "shebao", "jibao", "jiuye",
                                             "jiancha", "dangan", "renshi"};
  return d;
}

std::string DomainReadKey(std::string_view domain) {
  if (domain == "jiancha") return "jiancha:case:read";
  return std::string(domain) + ":record:read";
}

std::string DivisionName(std::string_view code) {
  if (code.empty()) return {};
  const Division* d = DivisionTable::Builtin().Find(code);
  return d ? d->name : std::string();
}

Result<int64_t> IntParam(const http::Request& req, std::string_view name, int64_t def, int64_t lo,
                         int64_t hi) {
  auto v = req.QueryParam(name);
  if (!v.has_value() || v->empty()) return def;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi) {
    return Status::InvalidArgument("参数 " + std::string(name) + " 须为 " + std::to_string(lo) +
                                   "–" + std::to_string(hi) + " 的整数");
  }
  return n;
}

Result<int64_t> IdParam(const http::Request& req, std::string_view name) {
  std::string_view t = req.PathParam(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || n <= 0) {
    return Status::InvalidArgument("参数 " + std::string(name) + " 须为正整数");
  }
  return n;
}

Result<std::string> TextParam(const http::Request& req, std::string_view name, size_t max_bytes) {
  auto v = req.QueryParam(name);
  if (!v.has_value()) return std::string();
  if (!IsValidUtf8(*v)) {
    return Status::InvalidArgument("参数 " + std::string(name) + " 不是有效的 UTF-8 文本");
  }
  std::string t = HalfWidthTrim(*v);
  if (t.size() > max_bytes) {
    return Status::InvalidArgument("参数 " + std::string(name) + " 不能超过 " +
                                   std::to_string(max_bytes) + " 字节");
  }
  return t;
}

std::string HalfWidthTrim(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    // U+FF01..U+FF5E: EF BC 81..EF BC BF, EF BD 80..EF BD 9E. U+3000: E3 80 80.
    if (c == 0xEF && i + 2 < s.size()) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      int cp = -1;
      if (c1 == 0xBC && c2 >= 0x81 && c2 <= 0xBF) cp = 0xFF00 + (c2 - 0x80);
      if (c1 == 0xBD && c2 >= 0x80 && c2 <= 0x9E) cp = 0xFF40 + (c2 - 0x80);
      if (cp >= 0) {
        out += static_cast<char>(cp - 0xFEE0);
        i += 3;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      out += ' ';
      i += 3;
      continue;
    }
    out += s[i++];
  }
  return std::string(TrimAscii(out));
}

namespace {

// Splits digits runs separated by one of "-/.年月日" into numbers.
std::vector<std::string> NumberRuns(std::string_view s) {
  std::vector<std::string> runs;
  std::string cur;
  for (char ch : s) {
    if (ch >= '0' && ch <= '9') {
      cur += ch;
    } else {
      if (!cur.empty()) runs.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) runs.push_back(cur);
  return runs;
}

bool OnlyDateChars(std::string_view s) {
  std::string_view rest = s;
  while (!rest.empty()) {
    char ch = rest.front();
    if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '.') {
      rest.remove_prefix(1);
      continue;
    }
    bool cjk = false;
    for (std::string_view w : {"年", "月", "日"}) {
      if (rest.substr(0, w.size()) == w) {
        rest.remove_prefix(w.size());
        cjk = true;
        break;
      }
    }
    if (!cjk) return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

bool RealDate(int y, int m, int d) {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = days[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

}  // namespace

std::optional<int64_t> ParsePeriod(std::string_view raw) {
  std::string s = HalfWidthTrim(raw);
  if (!OnlyDateChars(s)) return std::nullopt;
  auto runs = NumberRuns(s);
  int y = 0, m = 0;
  if (runs.size() == 1 && runs[0].size() == 6) {
    y = ToInt(runs[0].substr(0, 4));
    m = ToInt(runs[0].substr(4));
  } else if (runs.size() == 2 && runs[0].size() == 4 && runs[1].size() <= 2) {
    y = ToInt(runs[0]);
    m = ToInt(runs[1]);
  } else {
    return std::nullopt;
  }
  if (y < 1900 || y > 2100 || m < 1 || m > 12) return std::nullopt;
  return int64_t{y} * 100 + m;
}

std::optional<std::string> ParseDate(std::string_view raw) {
  std::string s = HalfWidthTrim(raw);
  if (!OnlyDateChars(s)) return std::nullopt;
  auto runs = NumberRuns(s);
  int y = 0, m = 0, d = 0;
  if (runs.size() == 1 && runs[0].size() == 8) {
    y = ToInt(runs[0].substr(0, 4));
    m = ToInt(runs[0].substr(4, 2));
    d = ToInt(runs[0].substr(6));
  } else if (runs.size() == 3 && runs[0].size() == 4 && runs[1].size() <= 2 &&
             runs[2].size() <= 2) {
    y = ToInt(runs[0]);
    m = ToInt(runs[1]);
    d = ToInt(runs[2]);
  } else {
    return std::nullopt;
  }
  if (!RealDate(y, m, d)) return std::nullopt;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

std::optional<std::string> NormalizePersonId(std::string_view raw, const Clock& clock) {
  std::string s = HalfWidthTrim(raw);
  // Separators typed inside an ID (511724-19780121-030X, 511724 1978 ...):
  // ASCII space, tab, '-', '_', '.', '/', and the dashes U+2010–U+2015 and
  // U+2212 (full-width ones are ASCII after HalfWidthTrim). Anything else
  // makes it not an ID.
  std::string compact;
  for (size_t i = 0; i < s.size();) {
    char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == '-' || ch == '_' || ch == '.' || ch == '/') {
      ++i;
      continue;
    }
    if (i + 2 < s.size() && static_cast<unsigned char>(ch) == 0xE2) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      if ((c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) || (c1 == 0x88 && c2 == 0x92)) {
        i += 3;
        continue;
      }
    }
    compact += ch;
    ++i;
  }
  if (compact.size() != 15 && compact.size() != 18) return std::nullopt;
  auto id = NormalizeIdNumber(compact, clock);
  if (!id.ok()) return std::nullopt;
  return *id;
}

bool ScopeCoversAny(const identity::UserPrincipal& me, const std::vector<std::string>& domains,
                    std::string_view division) {
  for (const auto& d : domains) {
    if (me.ScopeFor(d).AllowsDivision(division)) return true;
  }
  return false;
}

std::vector<std::string> RestrictedDomains(const identity::UserPrincipal& me,
                                           std::string_view division) {
  std::vector<std::string> out;
  for (const auto& d : BusinessDomains()) {
    if (!me.ScopeFor(d).AllowsDivision(division)) out.push_back(d);
  }
  return out;
}

SqlPart DomainScopePredicate(const identity::UserPrincipal& me,
                             const std::vector<std::string>& domains, std::string_view alias) {
  SqlPart p;
  std::string div_col = std::string(alias) + ".division_code";
  for (const auto& d : domains) {
    const identity::DataScope& scope = me.ScopeFor(d);
    if (scope.empty()) continue;
    identity::SqlFilter f = scope.Where({.division = div_col});
    if (f.sql == "1=0") continue;
    if (!p.sql.empty()) p.sql += " OR ";
    p.sql += "(" + std::string(alias) + ".domain = ? AND (" + f.sql + "))";
    p.params.emplace_back(d);
    p.params.insert(p.params.end(), f.params.begin(), f.params.end());
  }
  p.sql = p.sql.empty() ? "1=0" : "(" + p.sql + ")";
  return p;
}

SqlPart PersonVisiblePredicate(const identity::UserPrincipal& me, std::string_view alias) {
  SqlPart p;
  std::string div_col = std::string(alias) + ".division_code";
  for (const auto& d : BusinessDomains()) {
    const identity::DataScope& scope = me.ScopeFor(d);
    if (scope.empty()) continue;
    identity::SqlFilter f = scope.Where({.division = div_col});
    if (f.sql == "1=0") continue;
    if (!p.sql.empty()) p.sql += " OR ";
    p.sql += "((" + f.sql + ") AND EXISTS (SELECT 1 FROM dc_person_source vs WHERE vs.person_id = " +
             std::string(alias) + ".id AND vs.src_system = ? AND vs.deleted = 0))";
    p.params.insert(p.params.end(), f.params.begin(), f.params.end());
    p.params.emplace_back(d);
  }
  p.sql = p.sql.empty() ? "1=0" : "(" + p.sql + ")";
  return p;
}

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

std::string ShownName(bool clear, std::string_view name) {
  return clear ? std::string(name) : MaskName(name);
}

Status AuditRequest(const Services& s, const http::Request& req, std::string action,
                    std::string object_type, std::string object_id, json::object detail,
                    bool success) {
  identity::AuditEvent e = identity::EventFromRequest(req);
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.success = success;
  e.detail = json::serialize(detail);
  return s.audit->Record(e);
}

}  // namespace hrss::datacenter::query
