// Domain views (docs/api/analytics.md "Domain views"): per business domain,
// sections of indicators (value, previous month, change), charts (each with
// its query), township rankings and warnings, all computed by the engine
// with the caller's scope. The sections are declared in Domains() below.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "modules/analytics/internal.h"
#include "platform/platform.h"

namespace hrss::analytics {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

struct Ind {
  const char* code;
  const char* label;
  const char* cube;
  const char* measure;
  json::array filters;
  bool monthly = true;  // value of the month with mom compare; else a stock over all rows
};
struct Chart {
  const char* code;
  const char* label;
  const char* type;  // line bar pie heatmap table
  const char* cube;
  json::array measures;
  json::array rows;  // group-by; a trend puts time.month in rows itself
  json::array filters;
  bool trend = false;    // last 12 months by month (rows: time.month, then `rows` as columns)
  bool monthly = false;  // restricted to the month
};
struct Rank {
  const char* code;
  const char* label;
  const char* cube;
  const char* measure;
  json::array filters;
  bool monthly = false;
};
// A township whose measure changes month on month beyond `threshold`
// (negative: a drop of more than -threshold).
struct Warn {
  const char* code;
  const char* what;  // "缴费人数"
  const char* cube;
  const char* measure;
  json::array filters;
  double threshold;
  const char* level = "warn";
};
struct Section {
  const char* code;
  const char* label;
  std::vector<Ind> inds;
  std::vector<Chart> charts;
  std::vector<Rank> ranks;
  std::vector<Warn> warns;
  const char* note = nullptr;
};
struct Domain {
  const char* code;
  const char* label;
  std::vector<Section> sections;
};

const json::array kOpenCase = {F("status", "status", "not_in", S({"closed", "mediated", "withdrawn"}))};

Section EnrolmentSection(const char* code, const char* label, const char* scheme,
                         const char* person_measure, const char* benefit_label) {
  (void)benefit_label;
  json::array f = {F("insurance", "scheme", "in", S({scheme}))};
  Section s{code, label, {}, {}, {}, {}};
  s.inds = {
      {"persons", "缴费人数", "contribution", "persons", f},
      {"amount", "缴费金额", "contribution", "amount", f},
      {"enrolled", "参保人数", "person", person_measure, {}, false},
      {"enrolments", "参保缴费状态记录", "enrolment", "persons",
       json::array{F("insurance", "scheme", "in", S({scheme})), F("status", "status", "in", S({"1"}))},
       false},
  };
  s.charts = {
      {"trend", "近12个月缴费人数", "line", "contribution", S({"persons", "amount"}), {}, f, true},
      {"age", "缴费人员年龄结构", "bar", "contribution", S({"persons"}),
       json::array{G("age", "band")}, f, false, true},
      {"gender", "缴费人员性别构成", "pie", "contribution", S({"persons"}),
       json::array{G("gender", "gender")}, f, false, true},
  };
  s.ranks = {{"persons", "乡镇缴费人数排名", "contribution", "persons", f, true}};
  if (std::string_view(scheme) != "jibao") {
    s.ranks.push_back({"coverage", "乡镇养老保险覆盖率排名", "person", "pension_coverage", {}});
  }
  s.warns = {{"enrolment_drop", "缴费人数", "contribution", "persons", f, -0.05}};
  return s;
}

Section BenefitSection(const char* code, const char* label, const char* benefit_type) {
  json::array f = {F("benefit", "type", "in", S({benefit_type}))};
  Section s{code, label, {}, {}, {}, {}};
  s.inds = {
      {"persons", "发放人数", "payment", "persons", f},
      {"amount", "发放金额", "payment", "amount", f},
      {"avg", "人均发放", "payment", "avg_amount", f},
  };
  s.charts = {
      {"trend", "近12个月发放金额", "line", "payment", S({"amount", "persons"}), {}, f, true},
      {"age", "领取人员年龄结构", "bar", "payment", S({"persons"}),
       json::array{G("age", "band")}, f, false, true},
  };
  s.ranks = {{"amount", "乡镇发放金额排名", "payment", "amount", f, true}};
  s.warns = {{"payment_drop", "发放人数", "payment", "persons", f, -0.05}};
  return s;
}

std::vector<Domain> Domains() {
  json::array emp = {F("event", "category", "in", S({"employment"}))};
  json::array unemp = {F("event", "category", "in", S({"unemployment"}))};
  json::array assist = {F("event", "category", "in", S({"assistance", "funding"}))};
  json::array insp = {F("kind", "kind", "in", S({"inspection"}))};
  json::array arb = {F("kind", "kind", "in", S({"arbitration"}))};
  json::array pension_any = {F("insurance", "scheme", "in", S({"jubao", "shebao", "jibao"}))};

  Section leader_enrol{"enrolment", "参保智能分析", {}, {}, {}, {}};
  leader_enrol.inds = {
      {"persons", "缴费人数", "contribution", "persons", {}},
      {"amount", "缴费金额", "contribution", "amount", {}},
      {"coverage", "养老保险覆盖率", "person", "pension_coverage", {}, false},
      {"population", "人口数", "person", "persons", {}, false},
  };
  leader_enrol.charts = {
      {"trend", "近12个月缴费人数", "line", "contribution", S({"persons"}), {}, {}, true},
      {"scheme", "各制度缴费金额", "bar", "contribution", S({"amount", "persons"}),
       json::array{G("insurance", "scheme")}, {}, false, true},
      {"township", "乡镇参保覆盖", "bar", "person", S({"pension_coverage"}),
       json::array{G("region", "township")}, {}},
  };
  leader_enrol.ranks = {{"coverage", "乡镇养老保险覆盖率排名", "person", "pension_coverage", {}},
                        {"amount", "乡镇缴费金额排名", "contribution", "amount", {}, true}};
  leader_enrol.warns = {{"enrolment_drop", "缴费人数", "contribution", "persons", {}, -0.05}};

  Section leader_emp{"employment", "就业智能分析", {}, {}, {}, {}};
  leader_emp.inds = {
      {"registrations", "就业登记", "employment", "records", emp},
      {"unemployed", "失业登记", "employment", "records", unemp},
      {"employed", "就业人数", "person", "employed", {}, false},
      {"funding", "补贴与贷款金额", "employment", "amount", {}},
  };
  leader_emp.charts = {
      {"trend", "近12个月就业事件", "line", "employment", S({"records"}),
       json::array{G("event", "category")}, {}, true},
      {"type", "就业事件类型构成", "pie", "employment", S({"records"}),
       json::array{G("event", "type")}, {}, false, true},
  };
  leader_emp.ranks = {{"registrations", "乡镇就业登记排名", "employment", "records", emp, true}};
  leader_emp.warns = {{"unemployment_rise", "失业登记", "employment", "records", unemp, 0.2}};

  Section leader_case{"inspection", "劳动监察智能分析", {}, {}, {}, {}};
  leader_case.inds = {
      {"open", "在办案件", "case", "cases", kOpenCase, false},
      {"new", "新增案件", "case", "cases", {}},
      {"closure_rate", "结案率", "case", "closure_rate", {}, false},
      {"overdue", "超期案件", "case", "overdue", kOpenCase, false},
  };
  leader_case.charts = {
      {"trend", "近12个月案件数", "line", "case", S({"cases"}), json::array{G("kind", "kind")},
       {}, true},
      {"industry", "案件行业分布", "bar", "case", S({"cases", "workers"}),
       json::array{G("industry", "section")}, {}},
  };
  leader_case.ranks = {{"cases", "乡镇案件数排名", "case", "cases", {}}};
  leader_case.warns = {{"case_rise", "新增案件", "case", "cases", {}, 0.3}};

  Section shebao_medical{"medical", "医疗报销", {}, {}, {}, {}};
  json::array med = {F("insurance", "type", "in", S({"310"}))};
  shebao_medical.inds = {
      {"persons", "职工医疗缴费人数", "contribution", "persons", med},
      {"amount", "职工医疗缴费金额", "contribution", "amount", med},
      {"enrolled", "职工医疗参保人数", "person", "shebao_medical", {}, false},
  };
  shebao_medical.charts = {
      {"trend", "近12个月职工医疗缴费", "line", "contribution", S({"persons", "amount"}), {},
       med, true}};
  shebao_medical.ranks = {{"enrolled", "乡镇职工医疗参保排名", "person", "shebao_medical", {}}};
  shebao_medical.warns = {{"medical_drop", "职工医疗缴费人数", "contribution", "persons", med, -0.05}};
  shebao_medical.note = "医疗报销明细尚未接入数据中心，本节按职工医疗保险参保与缴费统计";

  Section jiuye_emp{"employment", "就业情况", {}, {}, {}, {}};
  jiuye_emp.inds = {
      {"registrations", "就业登记", "employment", "records", emp},
      {"persons", "就业登记人数", "employment", "persons", emp},
      {"employed", "就业人数", "person", "employed", {}, false},
  };
  jiuye_emp.charts = {
      {"trend", "近12个月就业登记", "line", "employment", S({"records"}), {}, emp, true},
      {"age", "就业人员年龄结构", "bar", "employment", S({"persons"}),
       json::array{G("age", "band")}, emp, false, true}};
  jiuye_emp.ranks = {{"registrations", "乡镇就业登记排名", "employment", "records", emp, true}};
  jiuye_emp.warns = {{"employment_drop", "就业登记", "employment", "records", emp, -0.2}};

  Section jiuye_unemp{"unemployment", "失业情况", {}, {}, {}, {}};
  json::array ui = {F("benefit", "type", "in", S({"unemployment"}))};
  jiuye_unemp.inds = {
      {"registrations", "失业登记", "employment", "records", unemp},
      {"benefit_persons", "失业保险金领取人数", "payment", "persons", ui},
      {"benefit_amount", "失业保险金发放金额", "payment", "amount", ui},
  };
  jiuye_unemp.charts = {
      {"trend", "近12个月失业登记", "line", "employment", S({"records"}), {}, unemp, true},
      {"gender", "失业登记性别构成", "pie", "employment", S({"persons"}),
       json::array{G("gender", "gender")}, unemp, false, true}};
  jiuye_unemp.ranks = {{"registrations", "乡镇失业登记排名", "employment", "records", unemp, true}};
  jiuye_unemp.warns = {{"unemployment_rise", "失业登记", "employment", "records", unemp, 0.2}};

  Section jiuye_poverty{"poverty", "扶贫", {}, {}, {}, {}};
  jiuye_poverty.inds = {
      {"assisted", "援助与扶持人次", "employment", "records", assist},
      {"persons", "援助与扶持人数", "employment", "persons", assist},
      {"amount", "补贴与贷款金额", "employment", "amount", assist},
  };
  jiuye_poverty.charts = {
      {"trend", "近12个月就业援助与资金扶持", "line", "employment", S({"records", "amount"}), {},
       assist, true},
      {"type", "扶持类型构成", "pie", "employment", S({"records"}),
       json::array{G("event", "type")}, assist}};
  jiuye_poverty.ranks = {{"amount", "乡镇扶持金额排名", "employment", "amount", assist}};
  jiuye_poverty.warns = {{"assist_drop", "援助与扶持人次", "employment", "records", assist, -0.3}};

  Section hr{"archive", "人社档案管理", {}, {}, {}, {}};
  hr.inds = {
      {"records", "档案总数", "archive", "records", {}, false},
      {"persons", "建档人数", "archive", "persons", {}, false},
      {"new", "新增档案", "archive", "records", {}},
  };
  hr.charts = {
      {"trend", "近12个月新增档案", "line", "archive", S({"records"}), {}, {}, true},
      {"type", "档案类别构成", "pie", "archive", S({"records"}),
       json::array{G("archive_type", "archive_type")}, {}}};
  hr.ranks = {{"records", "乡镇档案数排名", "archive", "records", {}}};
  hr.warns = {{"archive_drop", "新增档案", "archive", "records", {}, -0.5, "info"}};

  Section renshi{"structure", "人员结构", {}, {}, {}, {}};
  renshi.inds = {
      {"records", "机关事业人员", "personnel", "records", {}, false},
      {"avg_salary", "平均工资基数", "personnel", "avg_salary", {}, false},
      {"salary", "工资基数合计", "personnel", "salary", {}, false},
  };
  renshi.charts = {
      {"post", "岗位分布", "bar", "personnel", S({"records"}), json::array{G("post", "post")}, {}},
      {"age", "年龄结构", "bar", "personnel", S({"records"}), json::array{G("age", "band")}, {}},
      {"gender", "性别构成", "pie", "personnel", S({"records"}),
       json::array{G("gender", "gender")}, {}}};
  renshi.ranks = {{"records", "乡镇人员数排名", "personnel", "records", {}}};
  renshi.warns = {};

  Section jiancha{"dispute", "纠纷", {}, {}, {}, {}};
  jiancha.inds = {
      {"inspection", "监察案件", "case", "cases", insp},
      {"arbitration", "仲裁案件", "case", "cases", arb},
      {"open", "在办案件", "case", "cases", kOpenCase, false},
      {"closure_rate", "结案率", "case", "closure_rate", {}, false},
      {"avg_days", "平均办理天数", "case", "avg_days", {}, false},
      {"workers", "涉及劳动者", "case", "workers", {}},
      {"amount", "涉案金额", "case", "amount", {}},
  };
  jiancha.charts = {
      {"trend", "近12个月案件数", "line", "case", S({"cases"}), json::array{G("kind", "kind")},
       {}, true},
      {"type", "案件类型构成", "pie", "case", S({"cases"}),
       json::array{G("case_type", "case_type")}, {}},
      {"status", "案件状态", "bar", "case", S({"cases"}), json::array{G("status", "status")}, {}}};
  jiancha.ranks = {{"cases", "乡镇案件数排名", "case", "cases", {}},
                   {"overdue", "乡镇超期案件排名", "case", "overdue", kOpenCase}};
  jiancha.warns = {{"case_rise", "新增案件", "case", "cases", {}, 0.3}};

  return {
      {"leader", "领导视图", {leader_enrol, leader_emp, leader_case}},
      {"jubao", "居保视图",
       {EnrolmentSection("enrolment", "参保情况", "jubao", "jubao", ""),
        BenefitSection("benefit", "养老保险待遇", "pension_resident")}},
      {"jibao", "机保视图",
       {EnrolmentSection("enrolment", "参保情况", "jibao", "jibao", ""),
        BenefitSection("benefit", "养老保险待遇", "pension_institution")}},
      {"shebao", "社保视图",
       {EnrolmentSection("enrolment", "参保情况", "shebao", "shebao_pension", ""),
        BenefitSection("pension", "养老待遇", "pension_employee"), shebao_medical}},
      {"jiuye", "就业视图", {jiuye_emp, jiuye_unemp, jiuye_poverty}},
      {"hr", "人力资源视图", {hr}},
      {"renshi", "人事管理视图", {renshi}},
      {"jiancha", "劳动监察视图", {jiancha}},
  };
}

// The main cube of a domain (its default month).
const char* MainCube(std::string_view domain) {
  if (domain == "jiuye") return "employment";
  if (domain == "jiancha") return "case";
  if (domain == "hr") return "archive";
  if (domain == "renshi") return "personnel";
  return "contribution";
}

std::string MonthLabel(std::string_view period) {
  if (period.size() != 6) return std::string(period);
  int m = std::atoi(std::string(period.substr(4)).c_str());
  return std::to_string(m) + "月";
}

std::string Percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::fabs(ratio) * 100);
  return buf;
}

struct Builder : MonthQueries {
  json::array WithMonth(const json::array& filters) const {
    json::array f = filters;
    f.push_back(MonthFilter());
    return f;
  }

  static std::string Unit(const json::object& r) {
    const json::value* m = r.if_contains("measures");
    if (!m || !m->is_array() || m->as_array().empty()) return {};
    const json::value* u = m->as_array()[0].as_object().if_contains("unit");
    return u && u->is_string() ? std::string(u->as_string()) : std::string();
  }

  json::object Indicator(const Ind& in) {
    json::object o{{"code", in.code}, {"label", in.label}};
    json::object q{{"cube", in.cube}, {"measures", S({in.measure})}};
    if (in.monthly && !month.empty()) {
      q["columns"] = json::array{G("time", "month")};
      q["filters"] = WithMonth(in.filters);
      q["compare"] = json::object{{"type", "mom"}};
    } else {
      q["filters"] = in.filters;
    }
    auto r = Run(q);
    if (!r.ok()) {
      o["value"] = nullptr;
      o["error"] = r.status().message();
      return o;
    }
    std::string unit = Unit(*r);
    // No rows: a count or a sum is 0; a ratio or an average stays null.
    bool additive = unit != "ratio" && std::string_view(in.measure).rfind("avg", 0) != 0;
    auto value = Cell(*r, 0, 0, 0);
    if (!value && additive) value = 0.0;
    o["value"] = Num(value);
    o["unit"] = unit;
    if (in.monthly && !month.empty()) {
      o["prev"] = Num(Cell(*r, 0, 0, 0, "prev"));
      o["change"] = Num(Cell(*r, 0, 0, 0, "change"));
      o["compare"] = "mom";
    }
    return o;
  }

  json::object ChartOf(const Chart& c) {
    json::object q{{"cube", c.cube}, {"measures", c.measures}};
    json::array filters = c.filters;
    if (c.trend && !month.empty()) {
      q["rows"] = json::array{G("time", "month")};
      q["columns"] = c.rows;
      filters.push_back(Last12());
      q["sort"] = json::object{{"by", "key"}, {"dir", "asc"}};
    } else {
      q["rows"] = c.rows;
      if (c.monthly && !month.empty()) filters = WithMonth(filters);
      if (!c.rows.empty()) {
        q["sort"] = json::object{{"by", "measure"},
                                 {"measure", c.measures.at(0)},
                                 {"dir", "desc"}};
        q["limit"] = 20;
      }
    }
    q["filters"] = std::move(filters);
    json::object o{{"code", c.code}, {"label", c.label}, {"type", c.type}, {"query", q}};
    auto r = Run(q);
    if (r.ok()) {
      o["result"] = std::move(*r);
    } else {
      o["result"] = nullptr;
      o["error"] = r.status().message();
    }
    return o;
  }

  json::object Ranking(const Rank& k) {
    json::object q{{"cube", k.cube},
                   {"rows", json::array{G("region", "township")}},
                   {"measures", S({k.measure})},
                   {"filters", k.monthly && !month.empty() ? WithMonth(k.filters) : k.filters},
                   {"sort", json::object{{"by", "measure"}, {"measure", k.measure}, {"dir", "desc"}}}};
    json::object o{{"code", k.code}, {"label", k.label}};
    json::array items;
    auto r = Run(q);
    if (!r.ok()) {
      o["error"] = r.status().message();
    } else {
      o["unit"] = Unit(*r);
      int rank = 0;
      for (size_t i = 0; i < RowCount(*r); ++i) {
        std::string code = RowCode(*r, i);
        if (code.size() != 9) continue;  // rows not attributed to a township
        auto v = Cell(*r, i, 0, 0);
        if (!v) continue;
        items.push_back(json::object{
            {"code", code}, {"label", RowLabel(*r, i)}, {"value", Num(v)}, {"rank", ++rank}});
        if (rank >= 31) break;
      }
      o["query"] = q;
    }
    o["items"] = std::move(items);
    return o;
  }

  void Warnings(const Warn& w, json::array* out) {
    if (month.empty()) return;
    json::object q{{"cube", w.cube},
                   {"rows", json::array{G("region", "township")}},
                   {"columns", json::array{G("time", "month")}},
                   {"measures", S({w.measure})},
                   {"filters", WithMonth(w.filters)},
                   {"compare", json::object{{"type", "mom"}}}};
    auto r = Run(q);
    if (!r.ok()) return;
    for (size_t i = 0; i < RowCount(*r); ++i) {
      std::string code = RowCode(*r, i);
      if (code.size() != 9) continue;
      auto ch = Cell(*r, i, 0, 0, "change");
      auto prev = Cell(*r, i, 0, 0, "prev");
      if (!ch || !prev || *prev < 10) continue;  // too few to mean anything
      bool hit = w.threshold < 0 ? *ch < w.threshold : *ch > w.threshold;
      if (!hit) continue;
      out->push_back(json::object{
          {"level", w.level},
          {"code", w.code},
          {"message", RowLabel(*r, i) + " " + MonthLabel(month) + w.what + "环比" +
                          (*ch < 0 ? "下降" : "上升") + Percent(*ch)},
          {"region", code},
          {"value", *ch}});
    }
  }
};

Response ListDomains(Request&) {
  json::array items;
  for (const Domain& d : Domains()) {
    json::array sections;
    for (const Section& s : d.sections) {
      sections.push_back(json::object{{"code", s.code}, {"label", s.label}});
    }
    items.push_back(json::object{{"code", d.code}, {"label", d.label}, {"sections", sections}});
  }
  return Response::Json(200, json::object{{"items", items}});
}

bool ValidPeriod(std::string_view p) {
  if (p.size() != 6) return false;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
  }
  int m = (p[4] - '0') * 10 + (p[5] - '0');
  return m >= 1 && m <= 12 && p.substr(0, 2) >= "19";
}

}  // namespace

Status AddDomainRoutes(const std::shared_ptr<State>& state) {
  HRSS_RETURN_IF_ERROR(state->platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/analytics/domains",
      .permission = kQuery,
      .summary = "分析：业务领域视图目录",
      .handler = [](Request& req) { return ListDomains(req); },
  }));
  return state->platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/analytics/domains/{code}",
      .permission = kQuery,
      .summary = "分析：业务领域视图（指标、图表、排名、预警）",
      .handler =
          [state](Request& req) {
            const identity::UserPrincipal* me = identity::CurrentUser(req);
            if (me == nullptr) {
              return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
            }
            if (Status st = state->CheckReady(); !st.ok()) {
              return Response::Error(st, req.request_id);
            }
            std::string code(req.PathParam("code"));
            std::vector<Domain> all = Domains();
            const Domain* d = nullptr;
            for (const Domain& x : all) {
              if (code == x.code) d = &x;
            }
            if (d == nullptr) {
              return Response::Error(
                  Status::NotFound("没有该领域视图：" + code.substr(0, 32) +
                                   "（应为 leader、jubao、jibao、shebao、jiuye、hr、renshi、jiancha）"),
                  req.request_id);
            }
            Builder b{{*state, ScopeOf(*me), "", false}};
            auto month = req.QueryParam("month");
            auto year = req.QueryParam("year");
            std::string latest = LatestMonth(*state, MainCube(code), b.scope);
            if (latest.empty()) latest = LatestMonth(*state, "contribution", b.scope);
            if (latest.empty()) latest = NowPeriod(*state);
            if (month && !month->empty()) {
              if (!ValidPeriod(*month)) {
                return Response::Error(Status::InvalidArgument("月份 month 须为 YYYYMM，如 202510"),
                                       req.request_id);
              }
              b.month = *month;
            } else if (year && !year->empty()) {
              if (year->size() != 4 || !ValidPeriod(*year + "01")) {
                return Response::Error(Status::InvalidArgument("年份 year 须为四位数字，如 2025"),
                                       req.request_id);
              }
              b.month = *year + "12";
              if (!latest.empty() && latest.substr(0, 4) == *year) b.month = latest;
            } else {
              b.month = latest;
            }
            json::array sections;
            for (const Section& sec : d->sections) {
              json::object o{{"code", sec.code}, {"label", sec.label}};
              json::array inds, charts, ranks, warns;
              for (const Ind& in : sec.inds) inds.push_back(b.Indicator(in));
              for (const Chart& c : sec.charts) charts.push_back(b.ChartOf(c));
              for (const Rank& k : sec.ranks) ranks.push_back(b.Ranking(k));
              for (const Warn& w : sec.warns) b.Warnings(w, &warns);
              o["indicators"] = std::move(inds);
              o["charts"] = std::move(charts);
              o["rankings"] = std::move(ranks);
              o["warnings"] = std::move(warns);
              if (sec.note) o["note"] = sec.note;
              sections.push_back(std::move(o));
            }
            return Response::Json(200, json::object{{"code", d->code},
                                                    {"label", d->label},
                                                    {"asOf", b.month},
                                                    {"scoped", b.scoped},
                                                    {"sections", sections}});
          },
  });
}

}  // namespace hrss::analytics
