// The command center (docs/api/analytics.md "Command center"): the screen
// configuration (an_screen_config, validated, audited), the screen data
// items computed from the cubes with the caller's scope, and the media
// files of the video panel (<data_dir>/media under /media/).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/division.h"
#include "core/utf8.h"
#include "http/static_files.h"
#include "modules/analytics/internal.h"
#include "modules/identity/directory.h"
#include "platform/platform.h"

namespace hrss::analytics {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

struct ItemDef {
  const char* name;
  const char* label;
  const char* type;
  std::vector<std::string> cubes;
};

const std::vector<ItemDef>& Items() {
  static const std::vector<ItemDef> k = {
      {"kpi", "核心指标", "kpi", {"enrolment", "payment", "handling", "case"}},
      {"business_yearly", "年度业务量", "bar", {"handling"}},
      {"business_monthly", "月度业务量", "line", {"handling"}},
      {"consultation", "咨询量", "line", {"handling"}},
      {"query_volume", "信息查询量", "line", {"handling"}},
      {"new_enrolment", "新增参保", "bar", {"enrolment"}},
      {"transfer", "社保关系转移", "line", {"handling"}},
      {"info_maintenance", "个人信息维护", "line", {"handling"}},
      {"card_maintenance", "社保卡维护", "line", {"handling"}},
      {"retirement", "退休审批", "bar", {"handling"}},
      {"staff_volume", "经办人业务量", "bar", {"handling"}},
      {"outlet_handling", "网点受理与办结", "bar", {"handling"}},
      {"township_map", "乡镇业务分布", "map", {"handling", "contribution", "case"}},
      {"heatmap", "乡镇月度业务热力", "heatmap", {"handling"}},
      {"warnings", "预警信息", "table", {"contribution", "case", "handling"}},
  };
  return k;
}

const ItemDef* FindItem(std::string_view name) {
  for (const auto& i : Items()) {
    if (name == i.name) return &i;
  }
  return nullptr;
}

// ---- configuration -------------------------------------------------------------

json::object DefaultConfig() {
  json::array items;
  for (const char* n : {"business_yearly", "business_monthly", "consultation", "query_volume",
                        "new_enrolment", "transfer", "info_maintenance", "card_maintenance",
                        "retirement", "staff_volume", "outlet_handling", "heatmap"}) {
    items.emplace_back(n);
  }
  return json::object{
      {"layouts",
       json::array{
           json::object{{"id", "1080p"}, {"label", "1920×1080"}, {"width", 1920}, {"height", 1080}},
           json::object{{"id", "2160p"}, {"label", "3840×2160"}, {"width", 3840}, {"height", 2160}}}},
      {"defaultItems", items},
      {"carousel", json::object{{"enabled", true}, {"intervalSec", 15}}},
      {"screens",
       json::array{
           json::object{{"id", "left"},
                        {"label", "左屏 · 业务统计"},
                        {"panels", S({"business_yearly", "business_monthly", "consultation",
                                      "query_volume", "new_enrolment", "transfer", "info_maintenance",
                                      "card_maintenance", "retirement", "staff_volume", "heatmap"})}},
           json::object{{"id", "center"},
                        {"label", "中屏 · 全县态势"},
                        {"panels", S({"kpi", "township_map", "warnings", "video", "outlet_handling",
                                      "heatmap", "business_monthly", "new_enrolment", "retirement",
                                      "staff_volume", "consultation", "transfer"})}},
           json::object{{"id", "right"},
                        {"label", "右屏 · 网点与视频"},
                        {"panels", S({"video", "warnings", "outlet_handling", "staff_volume",
                                      "card_maintenance", "info_maintenance", "query_volume",
                                      "retirement"})}}}},
      {"streams",
       json::array{
           json::object{{"id", "hall"}, {"name", "县政务服务中心 · 人社大厅"}, {"url", "/media/hall/index.m3u8"}},
           json::object{{"id", "window"}, {"name", "县政务服务中心 · 社保窗口"}, {"url", "/media/window/index.m3u8"}},
           json::object{{"id", "zhuyang"}, {"name", "竹阳街道便民中心 · 服务区"}, {"url", "/media/zhuyang/index.m3u8"}},
           json::object{{"id", "selfservice"}, {"name", "县政务服务中心 · 自助服务区"},
                        {"url", "/media/selfservice/index.m3u8"}}}},
  };
}

bool IdText(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  });
}

Status LabelText(const json::value* v, const std::string& what, size_t max, std::string* out) {
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return Status::InvalidArgument(what + "须为非空字符串");
  }
  std::string s(v->as_string());
  if (CharCount(s) > max) {
    return Status::InvalidArgument(what + "不能超过 " + std::to_string(max) + " 个字");
  }
  *out = std::move(s);
  return Status::Ok();
}

Result<int64_t> IntIn(const json::value* v, const std::string& what, int64_t lo, int64_t hi) {
  if (v == nullptr || !v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
    return Status::InvalidArgument(what + "须为 " + std::to_string(lo) + "–" + std::to_string(hi) +
                                   " 的整数");
  }
  return v->as_int64();
}

bool SafeStreamUrl(std::string_view u) {
  if (u.size() > 512) return false;
  bool media = u.rfind("/media/", 0) == 0;
  bool web = u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
  if (!media && !web) return false;
  if (u.find("..") != std::string_view::npos) return false;
  for (char c : u) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '\'' || c == '<' || c == '>' ||
        c == '\\') {
      return false;
    }
  }
  size_t q = u.find('?');
  std::string_view path = u.substr(0, q);
  return path.size() > 5 && path.substr(path.size() - 5) == ".m3u8";
}

// `v` as an array of 1..max items, else INVALID_ARGUMENT "<what> 须为 1–max 项的数组".
Result<const json::array*> ItemsOf(const json::value* v, const std::string& what, size_t max) {
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > max) {
    return Status::InvalidArgument(what + " 须为 1–" + std::to_string(max) + " 项的数组");
  }
  return &v->as_array();
}

// The "id" of a configuration entry `o` (1–32 letters, digits, _ or -), not
// yet in `ids` (added to it).
Result<std::string> UniqueId(const json::object& o, const std::string& what,
                             std::set<std::string>* ids) {
  const json::value* id = o.if_contains("id");
  if (!id || !id->is_string() || !IdText(id->as_string())) {
    return Status::InvalidArgument(what + "编号 id 须为 1–32 位字母、数字、_ 或 -");
  }
  std::string out(id->as_string());
  if (!ids->insert(out).second) return Status::InvalidArgument(what + "编号重复：" + out);
  return out;
}

// Validates and normalizes a configuration (unknown keys dropped).
Result<json::object> ValidateConfig(const json::value& body) {
  if (!body.is_object()) return Status::InvalidArgument("配置须为 JSON 对象");
  const json::object& b = body.as_object();
  json::object out;
  // layouts
  HRSS_ASSIGN_OR_RETURN(const json::array* lv,
                        ItemsOf(b.if_contains("layouts"), "布局 layouts", 6));
  json::array layouts;
  std::set<std::string> ids;
  for (const auto& l : *lv) {
    if (!l.is_object()) return Status::InvalidArgument("布局 layouts 的每一项须为对象");
    const json::object& o = l.as_object();
    HRSS_ASSIGN_OR_RETURN(std::string id, UniqueId(o, "布局", &ids));
    std::string label;
    HRSS_RETURN_IF_ERROR(LabelText(o.if_contains("label"), "布局名称 label ", 32, &label));
    HRSS_ASSIGN_OR_RETURN(int64_t w, IntIn(o.if_contains("width"), "布局宽度 width ", 640, 7680));
    HRSS_ASSIGN_OR_RETURN(int64_t h, IntIn(o.if_contains("height"), "布局高度 height ", 360, 4320));
    layouts.push_back(json::object{{"id", id}, {"label", label}, {"width", w}, {"height", h}});
  }
  out["layouts"] = std::move(layouts);
  // defaultItems
  HRSS_ASSIGN_OR_RETURN(const json::array* dv,
                        ItemsOf(b.if_contains("defaultItems"), "轮播内容 defaultItems", 20));
  json::array items;
  std::set<std::string> seen;
  for (const auto& i : *dv) {
    if (!i.is_string() || FindItem(i.as_string()) == nullptr) {
      return Status::InvalidArgument("未知的大屏内容：" +
                                     (i.is_string() ? std::string(i.as_string()).substr(0, 40)
                                                    : json::serialize(i).substr(0, 40)));
    }
    if (seen.insert(std::string(i.as_string())).second) items.push_back(i);
  }
  out["defaultItems"] = std::move(items);
  // carousel
  const json::value* cv = b.if_contains("carousel");
  if (!cv || !cv->is_object()) return Status::InvalidArgument("轮播设置 carousel 须为对象");
  const json::value* en = cv->as_object().if_contains("enabled");
  if (!en || !en->is_bool()) return Status::InvalidArgument("轮播开关 carousel.enabled 须为 true 或 false");
  HRSS_ASSIGN_OR_RETURN(int64_t interval, IntIn(cv->as_object().if_contains("intervalSec"),
                                                "轮播间隔 carousel.intervalSec ", 5, 600));
  out["carousel"] = json::object{{"enabled", en->as_bool()}, {"intervalSec", interval}};
  // screens
  HRSS_ASSIGN_OR_RETURN(const json::array* sv,
                        ItemsOf(b.if_contains("screens"), "多屏设置 screens", 8));
  json::array screens;
  ids.clear();
  for (const auto& sc : *sv) {
    if (!sc.is_object()) return Status::InvalidArgument("多屏设置 screens 的每一项须为对象");
    const json::object& o = sc.as_object();
    HRSS_ASSIGN_OR_RETURN(std::string id, UniqueId(o, "屏幕", &ids));
    std::string label;
    HRSS_RETURN_IF_ERROR(LabelText(o.if_contains("label"), "屏幕名称 label ", 32, &label));
    HRSS_ASSIGN_OR_RETURN(const json::array* pv,
                          ItemsOf(o.if_contains("panels"), "屏幕 " + label + " 的面板 panels", 12));
    for (const auto& p : *pv) {
      if (!p.is_string() || (p.as_string() != "video" && FindItem(p.as_string()) == nullptr)) {
        return Status::InvalidArgument("屏幕 " + label + " 含未知的面板：" +
                                       (p.is_string() ? std::string(p.as_string()).substr(0, 40)
                                                      : std::string("非字符串")));
      }
    }
    screens.push_back(json::object{{"id", id}, {"label", label}, {"panels", *pv}});
  }
  out["screens"] = std::move(screens);
  // streams
  json::array streams;
  if (const json::value* st = b.if_contains("streams"); st && !st->is_null()) {
    if (!st->is_array() || st->as_array().size() > 16) {
      return Status::InvalidArgument("视频流 streams 须为至多 16 项的数组");
    }
    ids.clear();
    for (const auto& x : st->as_array()) {
      if (!x.is_object()) return Status::InvalidArgument("视频流 streams 的每一项须为对象");
      const json::object& o = x.as_object();
      HRSS_ASSIGN_OR_RETURN(std::string id, UniqueId(o, "视频流", &ids));
      std::string name;
      HRSS_RETURN_IF_ERROR(LabelText(o.if_contains("name"), "视频流名称 name ", 64, &name));
      const json::value* url = o.if_contains("url");
      if (!url || !url->is_string() || !SafeStreamUrl(url->as_string())) {
        return Status::InvalidArgument("视频流地址 url 须为 /media/ 下或 http(s) 的 .m3u8 播放列表");
      }
      streams.push_back(json::object{{"id", id}, {"name", name}, {"url", url->as_string()}});
    }
  }
  out["streams"] = std::move(streams);
  return out;
}

Result<json::object> LoadConfig(State& s) {
  HRSS_ASSIGN_OR_RETURN(auto conn, s.platform->db().Acquire());
  HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(
                                      "SELECT config_json, updated_by, updated_at_ms FROM "
                                      "an_screen_config WHERE id = 'default'"));
  json::object cfg = DefaultConfig();
  if (row.has_value()) {
    boost::system::error_code ec;
    json::value v = json::parse(row->GetText(0), ec);
    if (!ec && v.is_object()) cfg = v.as_object();
    cfg["updatedBy"] = row->GetText(1);
    cfg["updatedAtMs"] = row->GetInt64(2);
    identity::AddDisplayNames(cfg, "updatedBy");
  }
  return cfg;
}

// ---- data items ----------------------------------------------------------------

std::string MonthText(std::string_view p) {
  return p.size() == 6 ? std::string(p.substr(0, 4)) + "-" + std::string(p.substr(4)) : std::string(p);
}

// month: the screen's month (asOf).
struct Data : MonthQueries {
  json::array Months12() const {
    json::array a;
    for (int i = -11; i <= 0; ++i) a.emplace_back(ShiftMonth(month, i));
    return a;
  }

  // Value of (measure) in the month with mom change.
  json::object Tile(const char* key, const char* label, const char* cube, const char* measure,
                    json::array filters, bool monthly) {
    json::object q{{"cube", cube}, {"measures", S({measure})}};
    json::object t{{"key", key}, {"label", label}};
    // A monthly tile shows its own cube's latest month with data (payments
    // may lag the handling records), at most the screen's month; a month
    // still in progress has no month-on-month change (a partial month
    // against a whole one would read as a collapse).
    std::string m = month;
    bool in_progress = false;
    if (monthly) {
      std::string latest = LatestMonth(s, cube, scope);
      if (!latest.empty() && latest < m) m = latest;
      in_progress = m == NowPeriod(s);
      filters.push_back(F("time", "month", "eq", S({m})));
      q["columns"] = json::array{G("time", "month")};
      q["compare"] = json::object{{"type", "mom"}};
      t["period"] = m;
      if (m != month && m.size() == 6) {
        std::string lbl(label);
        const std::string cur = "当月";
        if (lbl.rfind(cur, 0) == 0) {
          t["label"] = std::to_string(std::atoi(m.substr(4).c_str())) + "月" + lbl.substr(cur.size());
        }
      }
    }
    q["filters"] = std::move(filters);
    auto r = Run(q);
    if (!r.ok()) {
      t["value"] = nullptr;
      return t;
    }
    t["value"] = Num(Cell(*r, 0, 0, 0));
    const json::value& unit = r->at("measures").as_array()[0].as_object().at("unit");
    t["unit"] = unit;
    if (monthly) t["change"] = in_progress ? json::value(nullptr) : Num(Cell(*r, 0, 0, 0, "change"));
    if (in_progress) t["note"] = "本月进行中";
    return t;
  }

  // Last 12 months of one or more series (each: filters) of a cube's measure.
  Result<json::object> Trend(const char* cube, const char* measure,
                             const std::vector<std::pair<std::string, json::array>>& series,
                             const char* unit) {
    json::array categories;
    for (const auto& m : Months12()) categories.emplace_back(MonthText(m.as_string()));
    json::array out_series;
    for (const auto& [name, filters] : series) {
      json::array f = filters;
      f.push_back(Last12());
      json::object q{{"cube", cube},
                     {"rows", json::array{G("time", "month")}},
                     {"measures", S({measure})},
                     {"filters", f}};
      HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
      std::map<std::string, json::value> by_month;
      for (size_t i = 0; i < RowCount(r); ++i) by_month[RowCode(r, i)] = Num(Cell(r, i, 0, 0));
      json::array values;
      for (const auto& m : Months12()) {
        auto it = by_month.find(std::string(m.as_string()));
        values.push_back(it == by_month.end() || it->second.is_null() ? json::value(0) : it->second);
      }
      out_series.push_back(json::object{{"name", name}, {"values", values}});
    }
    return json::object{{"categories", categories}, {"series", out_series}, {"unit", unit}};
  }

  json::array Category(const char* c) { return json::array{F("item", "category", "in", S({c}))}; }

  Result<json::object> Kpi() {
    json::array tiles;
    tiles.push_back(Tile("enrolled", "参保人数", "enrolment", "persons",
                         json::array{F("status", "status", "in", S({"1"}))}, false));
    tiles.push_back(Tile("payment", "当月发放金额", "payment", "amount", {}, true));
    tiles.push_back(Tile("accepted", "当月受理量", "handling", "accepted", {}, true));
    tiles.push_back(Tile("open_cases", "在办案件", "case", "cases",
                         json::array{F("status", "status", "not_in",
                                       S({"closed", "mediated", "withdrawn"}))},
                         false));
    return json::object{{"tiles", tiles}};
  }

  Result<json::object> BusinessYearly() {
    std::string y = month.substr(0, 4);
    std::string py = std::to_string(std::atoi(y.c_str()) - 1);
    json::object q{{"cube", "handling"},
                   {"rows", json::array{G("item", "category")}},
                   {"columns", json::array{G("time", "year")}},
                   {"measures", S({"accepted"})},
                   {"filters", json::array{F("time", "year", "in", S({py, y}))}},
                   {"totals", true},
                   {"sort", json::object{{"by", "measure"}, {"measure", "accepted"}, {"dir", "desc"}}}};
    HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
    json::array categories;
    std::vector<json::array> values(2);
    const json::array& cols = r.at("columns").as_array();
    for (size_t i = 0; i < RowCount(r); ++i) {
      categories.emplace_back(RowLabel(r, i));
      for (size_t yi = 0; yi < 2; ++yi) {
        const std::string& want = yi == 0 ? py : y;
        json::value v = 0;
        for (size_t c = 0; c < cols.size(); ++c) {
          const json::array& keys = cols[c].as_object().at("keys").as_array();
          if (!keys.empty() && keys[0].as_object().at("code").as_string() == want) {
            v = Num(Cell(r, i, c, 0));
            if (v.is_null()) v = 0;
          }
        }
        values[yi].push_back(v);
      }
    }
    return json::object{{"categories", categories},
                        {"series", json::array{json::object{{"name", py + "年"}, {"values", values[0]}},
                                               json::object{{"name", y + "年"}, {"values", values[1]}}}},
                        {"unit", "件"}};
  }

  Result<json::object> NewEnrolment() {
    return Trend("enrolment", "records",
                 {{"养老保险", json::array{F("insurance", "type", "in", S({"110", "120", "170"}))}},
                  {"医疗保险", json::array{F("insurance", "type", "in", S({"310"}))}}},
                 "人");
  }

  Result<json::object> TopBy(const char* dim, const char* level, int limit, bool horizontal) {
    json::object q{{"cube", "handling"},
                   {"rows", json::array{G(dim, level)}},
                   {"measures", S({"accepted", "completed"})},
                   {"filters", json::array{MonthFilter()}},
                   {"sort", json::object{{"by", "measure"}, {"measure", "accepted"}, {"dir", "desc"}}},
                   {"limit", limit}};
    HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
    json::array cats, acc, done;
    for (size_t i = 0; i < RowCount(r); ++i) {
      cats.emplace_back(RowLabel(r, i));
      acc.push_back(Num(Cell(r, i, 0, 0)));
      done.push_back(Num(Cell(r, i, 0, 1)));
    }
    return json::object{{"categories", cats},
                        {"series", json::array{json::object{{"name", "受理量"}, {"values", acc}},
                                               json::object{{"name", "办结量"}, {"values", done}}}},
                        {"unit", "件"},
                        {"horizontal", horizontal}};
  }

  Result<json::object> OutletHandling() {
    json::object q{{"cube", "handling"},
                   {"rows", json::array{G("outlet", "outlet")}},
                   {"measures", S({"accepted", "completed", "completion_rate"})},
                   {"filters", json::array{MonthFilter()}},
                   {"sort", json::object{{"by", "measure"}, {"measure", "accepted"}, {"dir", "desc"}}},
                   {"limit", 30}};
    HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
    json::array cats, acc, done, rate;
    for (size_t i = 0; i < RowCount(r); ++i) {
      cats.emplace_back(RowLabel(r, i));
      acc.push_back(Num(Cell(r, i, 0, 0)));
      done.push_back(Num(Cell(r, i, 0, 1)));
      rate.push_back(Num(Cell(r, i, 0, 2)));
    }
    json::object bt{{"cube", "handling"},
                    {"rows", json::array{G("item", "category")}},
                    {"measures", S({"accepted", "completed"})},
                    {"filters", json::array{MonthFilter()}}};
    HRSS_ASSIGN_OR_RETURN(json::object t, Run(bt));
    json::array by_type;
    for (size_t i = 0; i < RowCount(t); ++i) {
      by_type.push_back(json::object{{"type", RowLabel(t, i)},
                                     {"accepted", Num(Cell(t, i, 0, 0))},
                                     {"completed", Num(Cell(t, i, 0, 1))}});
    }
    return json::object{{"categories", cats},
                        {"series", json::array{json::object{{"name", "受理量"}, {"values", acc}},
                                               json::object{{"name", "办结量"}, {"values", done}}}},
                        {"rate", json::object{{"name", "办结率"}, {"values", rate}}},
                        {"byType", by_type},
                        {"unit", "件"}};
  }

  // Township alarms: contribution persons falling > 5% mom (warn), overdue
  // open cases (alarm), handling overdue > 10% of accepted (warn).
  std::vector<json::object> Alarms() {
    std::vector<json::object> out;
    int64_t at = s.platform->clock().NowMillis();
    std::string cm = LatestMonth(s, "contribution", scope);
    if (!cm.empty()) {
      json::object q{{"cube", "contribution"},
                     {"rows", json::array{G("region", "township")}},
                     {"columns", json::array{G("time", "month")}},
                     {"measures", S({"persons"})},
                     {"filters", json::array{F("time", "month", "eq", S({cm}))}},
                     {"compare", json::object{{"type", "mom"}}}};
      if (auto r = Run(q); r.ok()) {
        for (size_t i = 0; i < RowCount(*r); ++i) {
          auto ch = Cell(*r, i, 0, 0, "change");
          auto prev = Cell(*r, i, 0, 0, "prev");
          if (!ch || !prev || *prev < 10 || *ch >= -0.05) continue;
          char pct[16];
          std::snprintf(pct, sizeof pct, "%.1f%%", -*ch * 100);
          std::string code = RowCode(*r, i);
          if (code.size() != 9) continue;
          out.push_back(json::object{
              {"id", "enrolment_drop:" + code + ":" + cm},
              {"level", "warn"},
              {"title", "缴费人数下降"},
              {"message", RowLabel(*r, i) + " " + std::to_string(std::atoi(cm.substr(4).c_str())) +
                              "月缴费人数环比下降" + pct},
              {"township", code},
              {"townshipName", RowLabel(*r, i)},
              {"atMs", at}});
        }
      }
    }
    json::object oq{{"cube", "case"},
                    {"rows", json::array{G("region", "township")}},
                    {"measures", S({"overdue"})},
                    {"filters", json::array{F("status", "status", "not_in",
                                              S({"closed", "mediated", "withdrawn"}))}}};
    if (auto r = Run(oq); r.ok()) {
      for (size_t i = 0; i < RowCount(*r); ++i) {
        auto v = Cell(*r, i, 0, 0);
        std::string code = RowCode(*r, i);
        if (!v || *v <= 0 || code.size() != 9) continue;
        out.push_back(json::object{
            {"id", "case_overdue:" + code},
            {"level", "alarm"},
            {"title", "案件超期"},
            {"message", RowLabel(*r, i) + " 有 " + std::to_string(static_cast<int64_t>(*v)) +
                            " 件劳动保障案件超期未结"},
            {"township", code},
            {"townshipName", RowLabel(*r, i)},
            {"atMs", at - 1}});
      }
    }
    if (!month.empty()) {
      json::object hq{{"cube", "handling"},
                      {"rows", json::array{G("region", "township")}},
                      {"measures", S({"accepted", "overdue"})},
                      {"filters", json::array{MonthFilter()}}};
      if (auto r = Run(hq); r.ok()) {
        for (size_t i = 0; i < RowCount(*r); ++i) {
          auto a = Cell(*r, i, 0, 0), o = Cell(*r, i, 0, 1);
          std::string code = RowCode(*r, i);
          if (!a || !o || *a < 20 || *o / *a <= 0.1 || code.size() != 9) continue;
          char pct[16];
          std::snprintf(pct, sizeof pct, "%.1f%%", *o / *a * 100);
          out.push_back(json::object{
              {"id", "handling_overdue:" + code + ":" + month},
              {"level", "warn"},
              {"title", "业务办理超时"},
              {"message", RowLabel(*r, i) + " 本月超时办理占比 " + pct},
              {"township", code},
              {"townshipName", RowLabel(*r, i)},
              {"atMs", at - 2}});
        }
      }
    }
    return out;
  }

  Result<json::object> TownshipMap() {
    std::map<std::string, double> value;
    if (!month.empty()) {
      json::object q{{"cube", "handling"},
                     {"rows", json::array{G("region", "township")}},
                     {"measures", S({"accepted"})},
                     {"filters", json::array{MonthFilter()}}};
      HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
      for (size_t i = 0; i < RowCount(r); ++i) {
        if (auto v = Cell(r, i, 0, 0)) value[RowCode(r, i)] = *v;
      }
    }
    std::map<std::string, std::string> alarm;
    auto rank = [](const std::string& l) { return l == "alarm" ? 3 : l == "warn" ? 2 : 1; };
    for (const auto& a : Alarms()) {
      std::string t(a.at("township").as_string()), l(a.at("level").as_string());
      if (!alarm.count(t) || rank(l) > rank(alarm[t])) alarm[t] = l;
    }
    json::array towns;
    for (const Division* d : DivisionTable::Builtin().Townships()) {
      auto v = value.find(d->code);
      auto a = alarm.find(d->code);
      towns.push_back(json::object{{"code", d->code},
                                   {"name", d->name},
                                   {"value", v == value.end() ? json::value(0) : Num(v->second)},
                                   {"alarm", a == alarm.end() ? json::value(nullptr)
                                                              : json::value(a->second)}});
    }
    return json::object{{"measure", "本月业务量"}, {"unit", "件"}, {"townships", towns}};
  }

  Result<json::object> Heatmap() {
    json::array x, y, values;
    json::array months = Months12();
    for (const auto& m : months) x.emplace_back(MonthText(m.as_string()));
    std::map<std::string, size_t> yi;
    for (const Division* d : DivisionTable::Builtin().Townships()) {
      yi[d->code] = y.size();
      y.emplace_back(d->name);
    }
    json::object q{{"cube", "handling"},
                   {"rows", json::array{G("region", "township")}},
                   {"columns", json::array{G("time", "month")}},
                   {"measures", S({"accepted"})},
                   {"filters", json::array{Last12()}}};
    HRSS_ASSIGN_OR_RETURN(json::object r, Run(q));
    const json::array& cols = r.at("columns").as_array();
    std::map<std::string, size_t> xi;
    for (size_t i = 0; i < months.size(); ++i) xi[std::string(months[i].as_string())] = i;
    for (size_t i = 0; i < RowCount(r); ++i) {
      auto yit = yi.find(RowCode(r, i));
      if (yit == yi.end()) continue;
      for (size_t c = 0; c < cols.size(); ++c) {
        const json::array& keys = cols[c].as_object().at("keys").as_array();
        if (keys.empty()) continue;
        auto xit = xi.find(std::string(keys[0].as_object().at("code").as_string()));
        auto v = Cell(r, i, c, 0);
        if (xit == xi.end() || !v) continue;
        values.push_back(json::array{static_cast<int64_t>(xit->second),
                                     static_cast<int64_t>(yit->second), Num(v)});
      }
    }
    return json::object{{"x", x}, {"y", y}, {"values", values}, {"unit", "件"}};
  }

  Result<json::object> Warnings() {
    std::vector<json::object> all = Alarms();
    std::stable_sort(all.begin(), all.end(), [](const json::object& a, const json::object& b) {
      return a.at("atMs").as_int64() > b.at("atMs").as_int64();
    });
    json::array items;
    for (auto& a : all) {
      if (items.size() >= 50) break;
      items.push_back(std::move(a));
    }
    return json::object{{"items", items}};
  }

  Result<json::object> Item(std::string_view name) {
    if (name == "kpi") return Kpi();
    if (name == "business_yearly") return BusinessYearly();
    if (name == "business_monthly") {
      HRSS_ASSIGN_OR_RETURN(json::object a, Trend("handling", "accepted", {{"受理量", {}}}, "件"));
      HRSS_ASSIGN_OR_RETURN(json::object b, Trend("handling", "completed", {{"办结量", {}}}, "件"));
      a["series"].as_array().push_back(b["series"].as_array()[0]);
      return a;
    }
    if (name == "consultation") return Trend("handling", "accepted", {{"咨询量", Category("consult")}}, "件");
    if (name == "query_volume") return Trend("handling", "accepted", {{"信息查询量", Category("query")}}, "件");
    if (name == "new_enrolment") return NewEnrolment();
    if (name == "transfer") return Trend("handling", "accepted", {{"关系转移", Category("transfer")}}, "件");
    if (name == "info_maintenance") {
      return Trend("handling", "accepted", {{"信息维护", Category("info")}}, "件");
    }
    if (name == "card_maintenance") return Trend("handling", "accepted", {{"社保卡维护", Category("card")}}, "件");
    if (name == "retirement") {
      return Trend("handling", "accepted",
                   {{"受理", Category("retire")}}, "件");
    }
    if (name == "staff_volume") return TopBy("staff", "staff", 10, true);
    if (name == "outlet_handling") return OutletHandling();
    if (name == "township_map") return TownshipMap();
    if (name == "heatmap") return Heatmap();
    if (name == "warnings") return Warnings();
    return Status::InvalidArgument("未知的大屏内容：" + std::string(name));
  }
};

// ---- media ---------------------------------------------------------------------

bool SafeMediaPath(std::string_view p) {
  if (p.empty() || p.size() > 512 || p.find('\0') != std::string_view::npos ||
      p.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t i = 0;
  while (i <= p.size()) {
    size_t slash = p.find('/', i);
    if (slash == std::string_view::npos) slash = p.size();
    std::string_view seg = p.substr(i, slash - i);
    if (seg.empty() || seg[0] == '.') return false;
    i = slash + 1;
  }
  size_t dot = p.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view ext = p.substr(dot + 1);
  return ext == "m3u8" || ext == "ts" || ext == "m4s" || ext == "mp4" || ext == "aac" ||
         ext == "vtt" || ext == "jpg" || ext == "png";
}

Response ServeMedia(const State& s, const Request& req) {
  std::string rel(req.PathParam("path"));
  if (!SafeMediaPath(rel)) {
    return Response::Error(Status::NotFound("没有该媒体文件"), req.request_id);
  }
  std::string path = s.platform->config().data_dir + "/media/" + rel;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Response::Error(Status::NotFound("没有该媒体文件"), req.request_id);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
    ::close(fd);
    return Response::Error(Status::NotFound("没有该媒体文件"), req.request_id);
  }
  std::string body(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < body.size()) {
    ssize_t n = ::read(fd, body.data() + got, body.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  body.resize(got);
  std::string_view mime = http::StaticFiles::MimeType(rel);
  Response r = Response::Text(200, std::move(body), mime);
  bool playlist = rel.size() > 5 && rel.substr(rel.size() - 5) == ".m3u8";
  r.SetHeader("cache-control", playlist ? "no-cache" : "private, max-age=60");
  r.SetHeader("x-content-type-options", "nosniff");
  return r;
}

}  // namespace

const std::vector<std::pair<std::string, std::vector<std::string>>>& ScreenItemCubes() {
  static const auto* k = [] {
    auto* v = new std::vector<std::pair<std::string, std::vector<std::string>>>();
    for (const auto& i : Items()) v->emplace_back(i.name, i.cubes);
    return v;
  }();
  return *k;
}

Status AddScreenRoutes(const std::shared_ptr<State>& state) {
  HRSS_RETURN_IF_ERROR(state->platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/screen/config",
      .permission = kScreenView,
      .summary = "指挥中心：大屏配置",
      .handler =
          [state](Request& req) {
            auto cfg = LoadConfig(*state);
            if (!cfg.ok()) return Response::Error(cfg.status(), req.request_id);
            json::array items;
            for (const auto& i : Items()) {
              items.push_back(json::object{{"name", i.name}, {"label", i.label}, {"type", i.type}});
            }
            (*cfg)["items"] = std::move(items);
            return Response::Json(200, *cfg);
          },
  }));
  HRSS_RETURN_IF_ERROR(state->platform->AddRoute({
      .method = http::Method::kPut,
      .pattern = "/api/v1/screen/config",
      .permission = kScreenManage,
      .max_body_bytes = 64 * 1024,
      .summary = "指挥中心：修改大屏配置（留审计）",
      .handler =
          [state](Request& req) {
            auto body = http::ParseJsonBody(req, 8);
            if (!body.ok()) return Response::Error(body.status(), req.request_id);
            auto cfg = ValidateConfig(*body);
            if (!cfg.ok()) return Response::Error(cfg.status(), req.request_id);
            std::string text = json::serialize(*cfg);
            std::string who = req.principal ? std::string(req.principal->username()) : "";
            int64_t now = state->platform->clock().NowMillis();
            auto conn = state->platform->db().Acquire();
            if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
            auto n = (*conn)->Exec(
                "UPDATE an_screen_config SET config_json = ?, updated_by = ?, updated_at_ms = ? "
                "WHERE id = 'default'",
                {text, who, now});
            if (!n.ok()) return Response::Error(n.status(), req.request_id);
            if (*n == 0) {
              auto ins = (*conn)->Exec(
                  "INSERT INTO an_screen_config (id, config_json, updated_by, updated_at_ms) "
                  "VALUES ('default', ?, ?, ?)",
                  {text, who, now});
              if (!ins.ok()) return Response::Error(ins.status(), req.request_id);
            }
            if (Status st = state->Audit(req, "screen.config.update", "screen_config", "default",
                                         json::object{{"config", text.substr(0, 4000)}});
                !st.ok()) {
              return Response::Error(st, req.request_id);
            }
            state->platform->hub().Publish(
                "screen.update",
                json::serialize(json::object{{"items", json::array{}}, {"config", true}, {"asOf", now}}));
            auto out = LoadConfig(*state);
            if (!out.ok()) return Response::Error(out.status(), req.request_id);
            return Response::Json(200, *out);
          },
  }));
  HRSS_RETURN_IF_ERROR(state->platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/screen/data",
      .permission = kScreenView,
      .summary = "指挥中心：大屏数据（按数据权限）",
      .handler =
          [state](Request& req) {
            const identity::UserPrincipal* me = identity::CurrentUser(req);
            if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
            if (Status st = state->CheckReady(); !st.ok()) return Response::Error(st, req.request_id);
            std::vector<std::string> names;
            auto param = req.QueryParam("items");
            if (!param || param->empty()) {
              for (const auto& i : Items()) names.emplace_back(i.name);
            } else {
              std::string_view rest = *param;
              while (!rest.empty()) {
                size_t comma = rest.find(',');
                std::string_view n = rest.substr(0, comma);
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
                if (n.empty()) continue;
                if (FindItem(n) == nullptr) {
                  return Response::Error(
                      Status::InvalidArgument("未知的大屏内容：" + std::string(n.substr(0, 40))),
                      req.request_id);
                }
                if (std::find(names.begin(), names.end(), n) == names.end()) names.emplace_back(n);
              }
              if (names.size() > 20) {
                return Response::Error(Status::InvalidArgument("每次最多请求 20 项大屏内容"),
                                       req.request_id);
              }
            }
            Data d{{*state, ScopeOf(*me), "", false}};
            d.month = LatestMonth(*state, "handling", d.scope);
            if (d.month.empty()) d.month = LatestMonth(*state, "contribution", d.scope);
            if (d.month.empty()) d.month = NowPeriod(*state);
            json::object items;
            for (const auto& n : names) {
              const ItemDef* def = FindItem(n);
              d.scoped = false;
              auto data = d.Item(n);
              json::object it{{"label", def->label}, {"type", def->type}};
              if (data.ok()) {
                it["data"] = std::move(*data);
              } else {
                it["data"] = nullptr;
                it["error"] = data.status().message();
              }
              it["scoped"] = d.scoped;
              items[n] = std::move(it);
            }
            int64_t refreshed = 0;
            {
              std::lock_guard lock(state->mu);
              refreshed = state->last_refresh_at_ms;
            }
            // asOf: when the statistics were last refreshed (ms, the screen's
            // 数据时间); period: the month the monthly figures describe.
            return Response::Json(200, json::object{{"asOf", refreshed > 0 ? refreshed : state->platform->clock().NowMillis()},
                                                    {"period", d.month},
                                                    {"items", items}});
          },
  }));
  return state->platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/media/{*path}",
      .permission = kScreenView,
      .summary = "指挥中心：视频与媒体文件（HLS）",
      .handler = [state](Request& req) { return ServeMedia(*state, req); },
  });
}

}  // namespace hrss::analytics
