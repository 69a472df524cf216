#include "modules/analytics/cubes.h"

#include <functional>
#include <string_view>

#include "core/division.h"
#include "modules/datacenter/dictionary.h"

namespace hrss::analytics {

namespace {

using datacenter::FactKind;
using datacenter::FactRow;
using olap::Agg;
using olap::DimensionDef;
using olap::DimKind;
using olap::MeasureDef;
using olap::MemberDef;

constexpr const char* kCounty = "511724";

std::vector<MemberDef> CodeSetMembers(std::string_view code_set) {
  std::vector<MemberDef> out;
  for (const auto& cs : datacenter::CodeSets()) {
    if (cs.code != code_set) continue;
    for (const auto& v : cs.values) out.push_back({v.value, v.label, {}});
  }
  return out;
}

DimensionDef RegionDim() {
  DimensionDef d{.name = "region", .label = "区域", .kind = DimKind::kCode,
                 .levels = {{"county", "县"}, {"township", "乡镇"}}};
  for (const Division* t : DivisionTable::Builtin().Townships()) {
    d.members.push_back({t->code, t->name, {kCounty}});
  }
  d.members.push_back({kCounty, "县级（未落实乡镇）", {kCounty}});
  d.parent_labels.push_back({"county", kCounty, "大竹县"});
  return d;
}

DimensionDef TimeDim(std::string label = "时间") {
  return DimensionDef{.name = "time", .label = std::move(label), .kind = DimKind::kMonth,
                      .levels = {{"year", "年"}, {"quarter", "季度"}, {"month", "月"}}};
}

DimensionDef FlatDim(std::string name, std::string label, std::string level,
                     std::string level_label, std::vector<MemberDef> members) {
  return DimensionDef{.name = std::move(name), .label = std::move(label), .kind = DimKind::kCode,
                      .levels = {{std::move(level), std::move(level_label)}},
                      .members = std::move(members)};
}

DimensionDef GenderDim() {
  return FlatDim("gender", "性别", "gender", "性别",
                 {{"1", "男", {}}, {"2", "女", {}}, {"9", "未说明", {}}});
}

DimensionDef AgeDim() {
  return FlatDim("age", "年龄段", "band", "年龄段",
                 {{"00-15", "16岁以下", {}},
                  {"16-29", "16-29岁", {}},
                  {"30-39", "30-39岁", {}},
                  {"40-49", "40-49岁", {}},
                  {"50-59", "50-59岁", {}},
                  {"60-69", "60-69岁", {}},
                  {"70+", "70岁及以上", {}}});
}

DimensionDef DomainDim() {
  return FlatDim("domain", "业务领域", "domain", "业务领域",
                 {{"jubao", "居保", {}},
                  {"shebao", "社保", {}},
                  {"jibao", "机保", {}},
                  {"jiuye", "就业", {}},
                  {"jiancha", "劳动监察", {}},
                  {"dangan", "档案", {}},
                  {"renshi", "人事", {}}});
}

DimensionDef IndustryDim() {
  return FlatDim("industry", "行业", "section", "行业门类", CodeSetMembers("industry"));
}

DimensionDef UnitTypeDim() {
  return FlatDim("unit_type", "单位类型", "type", "单位类型", CodeSetMembers("unit_type"));
}

DimensionDef InsuranceDim() {
  DimensionDef d{.name = "insurance", .label = "险种", .kind = DimKind::kCode,
                 .levels = {{"scheme", "制度"}, {"type", "险种"}}};
  for (auto m : CodeSetMembers("insurance_type")) {
    m.parents = {std::string(InsuranceScheme(m.code))};
    d.members.push_back(std::move(m));
  }
  d.parent_labels = {{"scheme", "jubao", "城乡居民养老保险"},
                     {"scheme", "shebao", "职工社会保险"},
                     {"scheme", "jibao", "机关事业单位养老保险"}};
  return d;
}

std::string_view BenefitCategory(std::string_view type) {
  if (type.rfind("pension_", 0) == 0) return "pension";
  if (type == "unemployment") return "unemployment";
  if (type == "work_injury") return "work_injury";
  if (type == "funeral" || type == "survivor") return "death";
  if (type == "subsidy") return "subsidy";
  return "other";
}

DimensionDef BenefitDim() {
  DimensionDef d{.name = "benefit", .label = "待遇", .kind = DimKind::kCode,
                 .levels = {{"category", "类别"}, {"type", "待遇类型"}}};
  for (auto m : CodeSetMembers("benefit_type")) {
    m.parents = {std::string(BenefitCategory(m.code))};
    d.members.push_back(std::move(m));
  }
  d.parent_labels = {{"category", "pension", "养老待遇"},
                     {"category", "unemployment", "失业待遇"},
                     {"category", "work_injury", "工伤待遇"},
                     {"category", "death", "丧葬抚恤"},
                     {"category", "subsidy", "就业创业补贴"},
                     {"category", "other", "其他"}};
  return d;
}

std::string_view EventCategory(std::string_view type) {
  if (type == "employment_registration" || type == "internship") return "employment";
  if (type == "unemployment_registration") return "unemployment";
  if (type == "hard_to_employ") return "assistance";
  if (type == "training") return "training";
  if (type == "subsidy" || type == "startup_loan") return "funding";
  return "other";
}

DimensionDef EventDim() {
  DimensionDef d{.name = "event", .label = "就业事件", .kind = DimKind::kCode,
                 .levels = {{"category", "类别"}, {"type", "事件类型"}}};
  for (auto m : CodeSetMembers("employment_event_type")) {
    m.parents = {std::string(EventCategory(m.code))};
    d.members.push_back(std::move(m));
  }
  d.parent_labels = {{"category", "employment", "就业"},
                     {"category", "unemployment", "失业"},
                     {"category", "assistance", "就业援助（扶贫）"},
                     {"category", "training", "职业培训"},
                     {"category", "funding", "资金扶持"},
                     {"category", "other", "其他"}};
  return d;
}

// Business item categories of the handling records: the data center
// dictionary's code set business_category (one source of truth for the codes
// the screen items filter on: consult, query, enrol, transfer, info, card,
// retire, benefit, employment).
const std::vector<std::pair<std::string, std::string>>& HandlingCategories() {
  static const std::vector<std::pair<std::string, std::string>> k = [] {
    std::vector<std::pair<std::string, std::string>> v;
    for (const auto& set : datacenter::CodeSets()) {
      if (set.code != "business_category") continue;
      for (const auto& cv : set.values) v.emplace_back(cv.value, cv.label);
    }
    return v;
  }();
  return k;
}

DimensionDef ItemDim() {
  DimensionDef d{.name = "item", .label = "业务事项", .kind = DimKind::kCode,
                 .levels = {{"category", "业务类别"}, {"item", "事项"}}};
  for (const auto& [code, label] : HandlingCategories()) {
    d.parent_labels.push_back({"category", code, label});
    // A placeholder item per category, so that a filter on a category no
    // record names yet is valid (and gives zero) instead of an error.
    d.members.push_back({"_" + code, label + "（其他）", {code}});
  }
  for (const auto& item : datacenter::BusinessItems()) {
    d.members.push_back({std::string(item.code), std::string(item.name), {std::string(item.category)}});
  }
  return d;
}

MeasureDef Count(std::string name, std::string label, std::string unit = "count") {
  return {.name = std::move(name), .label = std::move(label), .agg = Agg::kCount,
          .unit = std::move(unit)};
}
MeasureDef Sum(std::string name, std::string label, std::string column, std::string unit) {
  return {.name = std::move(name), .label = std::move(label), .agg = Agg::kSum,
          .column = std::move(column), .unit = std::move(unit)};
}
MeasureDef Distinct(std::string name, std::string label) {
  return {.name = std::move(name), .label = std::move(label), .agg = Agg::kDistinct,
          .unit = "person"};
}
MeasureDef Ratio(std::string name, std::string label, std::string num, std::string den,
                 std::string unit) {
  return {.name = std::move(name), .label = std::move(label), .agg = Agg::kRatio,
          .num = std::move(num), .den = std::move(den), .unit = std::move(unit)};
}

// "YYYY-MM-DD" / "YYYYMMDD" → "YYYYMM"; "" when not a date.
std::string PeriodOfDate(std::string_view d) {
  std::string digits;
  for (char c : d) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() < 6) return {};
  return digits.substr(0, 6);
}

int MonthIndex(std::string_view period) {
  if (period.size() != 6) return -1;
  int y = 0, m = 0;
  for (size_t i = 0; i < 4; ++i) y = y * 10 + (period[i] - '0');
  m = (period[4] - '0') * 10 + (period[5] - '0');
  if (m < 1 || m > 12) return -1;
  return y * 12 + (m - 1);
}

// Column lookup in a fact spec, by name.
struct Cols {
  const datacenter::FactSpec& spec;
  int Dim(std::string_view name) const {
    for (size_t i = 0; i < spec.dims.size(); ++i) {
      if (spec.dims[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
  int Val(std::string_view name) const {
    for (size_t i = 0; i < spec.values.size(); ++i) {
      if (spec.values[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

const std::string& D(const FactRow& r, int i) {
  static const std::string empty;
  return i >= 0 && static_cast<size_t>(i) < r.dims.size() ? r.dims[i] : empty;
}
int64_t V(const FactRow& r, int i) {
  return i >= 0 && static_cast<size_t>(i) < r.values.size() ? r.values[i] : 0;
}

// Case handling limits (days): 劳动保障监察 60, 劳动人事争议仲裁 45.
int CaseLimitDays(std::string_view kind) { return kind == "arbitration" ? 45 : 60; }

}  // namespace

std::string_view InsuranceScheme(std::string_view t) {
  if (t == "170") return "jubao";
  if (t == "120") return "jibao";
  return "shebao";
}

std::string AgeBand(std::string_view birth, std::string_view period) {
  if (birth.size() < 7 || period.size() != 6) return {};
  std::string b = PeriodOfDate(birth);
  int bi = MonthIndex(b), pi = MonthIndex(period);
  if (bi < 0 || pi < 0 || pi < bi) return {};
  int age = (pi - bi) / 12;
  if (age < 16) return "00-15";
  if (age < 30) return "16-29";
  if (age < 40) return "30-39";
  if (age < 50) return "40-49";
  if (age < 60) return "50-59";
  if (age < 70) return "60-69";
  return "70+";
}

const std::vector<std::string>& ScopeDomains() {
  static const std::vector<std::string> k = {"jubao",   "shebao", "jibao", "jiuye",
                                             "jiancha", "dangan", "renshi"};
  return k;
}

std::string_view CubeName(FactKind kind) { return datacenter::FactSpecOf(kind).name; }

olap::CubeSchema CubeSchemaOf(FactKind kind) {
  olap::CubeSchema s;
  s.name = std::string(CubeName(kind));
  s.region_dim = "region";
  s.domain_dim = "domain";
  switch (kind) {
    case FactKind::kContribution:
      s.label = "缴费";
      s.dims = {RegionDim(), TimeDim(),   InsuranceDim(),
                FlatDim("status", "缴费状态", "status", "状态", CodeSetMembers("payment_status")),
                DomainDim(), GenderDim(), AgeDim(), IndustryDim(), UnitTypeDim()};
      s.value_columns = {"amount", "personal", "unit_part", "subsidy", "base"};
      s.has_person = true;
      s.measures = {Count("records", "笔数"),
                    Distinct("persons", "缴费人数"),
                    Sum("amount", "缴费金额", "amount", "fen"),
                    Sum("personal", "个人缴费", "personal", "fen"),
                    Sum("unit_part", "单位缴费", "unit_part", "fen"),
                    Sum("subsidy", "政府补贴", "subsidy", "fen"),
                    Ratio("avg_amount", "人均缴费", "amount", "persons", "fen")};
      break;
    case FactKind::kPayment:
      s.label = "待遇发放";
      s.dims = {RegionDim(), TimeDim(), BenefitDim(),
                FlatDim("status", "发放状态", "status", "状态", CodeSetMembers("payment_status")),
                DomainDim(), GenderDim(), AgeDim()};
      s.value_columns = {"amount"};
      s.has_person = true;
      s.measures = {Count("records", "发放笔数"), Distinct("persons", "发放人数"),
                    Sum("amount", "发放金额", "amount", "fen"),
                    Ratio("avg_amount", "人均发放", "amount", "persons", "fen")};
      break;
    case FactKind::kEnrolment:
      s.label = "参保";
      s.dims = {RegionDim(), TimeDim("参保时间"), InsuranceDim(),
                FlatDim("status", "参保状态", "status", "状态", CodeSetMembers("enrolment_status")),
                DomainDim(), GenderDim(), AgeDim(), IndustryDim(), UnitTypeDim()};
      s.value_columns = {};
      s.has_person = true;
      s.measures = {Count("records", "参保记录"), Distinct("persons", "参保人数")};
      break;
    case FactKind::kPerson:
      s.label = "人口与覆盖";
      s.dims = {RegionDim(), GenderDim(), AgeDim()};
      s.domain_dim.clear();
      s.fixed_domain = "jubao";
      s.value_columns = {"jubao", "shebao_pension", "shebao_medical", "jibao", "employed",
                         "pension_any", "adults"};
      s.has_person = false;
      s.measures = {Count("persons", "人数", "person"),
                    Sum("jubao", "居保参保", "jubao", "person"),
                    Sum("shebao_pension", "职工养老参保", "shebao_pension", "person"),
                    Sum("shebao_medical", "职工医疗参保", "shebao_medical", "person"),
                    Sum("jibao", "机保参保", "jibao", "person"),
                    Sum("pension_enrolled", "养老保险参保人数", "pension_any", "person"),
                    Sum("adults", "16岁及以上人数", "adults", "person"),
                    Ratio("pension_coverage", "养老保险覆盖率", "pension_enrolled", "adults",
                          "ratio"),
                    Sum("employed", "就业人数", "employed", "person")};
      break;
    case FactKind::kEmployment:
      s.label = "就业";
      s.dims = {RegionDim(), TimeDim(), EventDim(), DomainDim(), GenderDim(), AgeDim()};
      s.value_columns = {"amount"};
      s.has_person = true;
      s.measures = {Count("records", "事件数"), Distinct("persons", "人数"),
                    Sum("amount", "补贴/贷款金额", "amount", "fen")};
      break;
    case FactKind::kCase:
      s.label = "劳动监察与仲裁";
      s.dims = {RegionDim(),
                TimeDim(),
                FlatDim("kind", "案件类别", "kind", "类别",
                        {{"inspection", "监察", {}}, {"arbitration", "仲裁", {}}}),
                FlatDim("case_type", "案件类型", "case_type", "案件类型", {}),
                FlatDim("status", "案件状态", "status", "状态", CodeSetMembers("case_status")),
                DomainDim(),
                IndustryDim()};
      s.value_columns = {"amount", "workers", "closed", "days", "overdue"};
      s.has_person = false;
      s.measures = {Count("cases", "案件数"),
                    Sum("workers", "涉及人数", "workers", "person"),
                    Sum("amount", "涉案金额", "amount", "fen"),
                    Sum("closed", "结案数", "closed", "count"),
                    Ratio("closure_rate", "结案率", "closed", "cases", "ratio"),
                    Sum("days_total", "办理天数合计", "days", "day"),
                    Ratio("avg_days", "平均办理天数", "days_total", "closed", "day"),
                    Sum("overdue", "超期数", "overdue", "count")};
      break;
    case FactKind::kHandling:
      s.label = "业务经办";
      s.dims = {RegionDim(),
                TimeDim(),
                FlatDim("outlet", "经办网点", "outlet", "网点", {}),
                ItemDim(),
                FlatDim("channel", "办理渠道", "channel", "渠道",
                        {{"window", "窗口", {}},
                         {"online", "网上办", {}},
                         {"mobile", "掌上办", {}},
                         {"self_service", "自助终端", {}},
                         {"phone", "电话", {}}}),
                FlatDim("staff", "经办人", "staff", "经办人", {}),
                FlatDim("status", "办理状态", "status", "状态",
                        {{"accepted", "已受理", {}},
                         {"processing", "办理中", {}},
                         {"completed", "已办结", {}},
                         {"returned", "退回", {}}}),
                DomainDim()};
      s.value_columns = {"minutes", "completed", "overdue"};
      s.has_person = true;
      s.measures = {Count("accepted", "受理量"),
                    Sum("completed", "办结量", "completed", "count"),
                    Ratio("completion_rate", "办结率", "completed", "accepted", "ratio"),
                    Sum("minutes_total", "办理时长合计", "minutes", "minute"),
                    Ratio("avg_minutes", "平均办理时长", "minutes_total", "completed", "minute"),
                    Sum("overdue", "超时", "overdue", "count")};
      break;
    case FactKind::kArchive:
      s.label = "人事档案";
      s.dims = {RegionDim(), TimeDim(),
                FlatDim("archive_type", "档案类别", "archive_type", "档案类别", {}),
                DomainDim(), GenderDim(), AgeDim()};
      s.value_columns = {};
      s.has_person = true;
      s.measures = {Count("records", "档案数"), Distinct("persons", "人数")};
      break;
    case FactKind::kPersonnel:
      s.label = "机关事业人员";
      s.dims = {RegionDim(), TimeDim(), FlatDim("post", "岗位", "post", "岗位", {}),
                DomainDim(), GenderDim(), AgeDim()};
      s.value_columns = {"salary"};
      s.has_person = true;
      s.measures = {Count("records", "人数", "person"),
                    Sum("salary", "工资基数合计", "salary", "fen"),
                    Ratio("avg_salary", "平均工资基数", "salary", "records", "fen")};
      break;
  }
  return s;
}

void ConvertRows(FactKind kind, std::span<const FactRow> rows, std::string_view now_period,
                 Converted* out) {
  const datacenter::FactSpec& spec = datacenter::FactSpecOf(kind);
  Cols c{spec};
  olap::FactBatch& b = out->batch;
  const size_t ndims = [&] {
    switch (kind) {
      case FactKind::kContribution: return size_t{9};
      case FactKind::kPayment: return size_t{7};
      case FactKind::kEnrolment: return size_t{9};
      case FactKind::kPerson: return size_t{3};
      case FactKind::kEmployment: return size_t{6};
      case FactKind::kCase: return size_t{7};
      case FactKind::kHandling: return size_t{8};
      case FactKind::kArchive: return size_t{6};
      case FactKind::kPersonnel: return size_t{6};
    }
    return size_t{0};
  }();
  const size_t nvals = [&] {
    switch (kind) {
      case FactKind::kContribution: return size_t{5};
      case FactKind::kPayment: return size_t{1};
      case FactKind::kEnrolment: return size_t{0};
      case FactKind::kPerson: return size_t{7};
      case FactKind::kEmployment: return size_t{1};
      case FactKind::kCase: return size_t{5};
      case FactKind::kHandling: return size_t{3};
      case FactKind::kArchive: return size_t{0};
      case FactKind::kPersonnel: return size_t{1};
    }
    return size_t{0};
  }();
  if (b.dims.size() != ndims) b.dims.resize(ndims);
  if (b.values.size() != nvals) b.values.resize(nvals);
  const bool has_person = kind != FactKind::kPerson && kind != FactKind::kCase;

  const int div = c.Dim("division_code"), period = c.Dim("period"), gender = c.Dim("gender"),
            birth = c.Dim("birth_date"), domain = c.Dim("domain"), status = c.Dim("status"),
            industry = c.Dim("unit_industry"), utype = c.Dim("unit_type");
  auto region = [&](const FactRow& r) {
    const std::string& d = D(r, div);
    return d.empty() ? std::string(kCounty) : d;
  };
  std::vector<std::string> dims;
  std::vector<int64_t> vals;
  for (const FactRow& r : rows) {
    ++out->rows;
    dims.clear();
    vals.clear();
    bool drop = r.deleted;
    switch (kind) {
      case FactKind::kContribution: {
        const std::string& p = D(r, period);
        const std::string& it = D(r, c.Dim("insurance_type"));
        dims = {region(r), p, it, D(r, status), D(r, domain), D(r, gender),
                AgeBand(D(r, birth), p), D(r, industry), D(r, utype)};
        int64_t personal = V(r, c.Val("personal_fen")), unit = V(r, c.Val("unit_fen")),
                subsidy = V(r, c.Val("subsidy_fen"));
        vals = {personal + unit + subsidy, personal, unit, subsidy, V(r, c.Val("base_fen"))};
        break;
      }
      case FactKind::kPayment: {
        const std::string& p = D(r, period);
        dims = {region(r), p, D(r, c.Dim("benefit_type")), D(r, status), D(r, domain),
                D(r, gender), AgeBand(D(r, birth), p)};
        vals = {V(r, c.Val("amount_fen"))};
        break;
      }
      case FactKind::kEnrolment: {
        const std::string& p = D(r, c.Dim("start_period"));
        dims = {region(r), p, D(r, c.Dim("insurance_type")), D(r, status), D(r, domain),
                D(r, gender), AgeBand(D(r, birth), p), D(r, industry), D(r, utype)};
        break;
      }
      case FactKind::kPerson: {
        if (!D(r, c.Dim("death_date")).empty()) drop = true;  // the living population
        std::string band = AgeBand(D(r, birth), now_period);
        dims = {region(r), D(r, gender), band};
        int64_t jb = V(r, c.Val("jubao")) ? 1 : 0, sp = V(r, c.Val("shebao_pension")) ? 1 : 0,
                sm = V(r, c.Val("shebao_medical")) ? 1 : 0, ji = V(r, c.Val("jibao")) ? 1 : 0,
                em = V(r, c.Val("employed")) ? 1 : 0;
        int64_t adult = !band.empty() && band != "00-15" ? 1 : 0;
        vals = {jb, sp, sm, ji, em, (jb || sp || ji) && adult ? 1 : 0, adult};
        break;
      }
      case FactKind::kEmployment: {
        const std::string& p = D(r, period);
        dims = {region(r), p, D(r, c.Dim("event_type")), D(r, domain), D(r, gender),
                AgeBand(D(r, birth), p)};
        vals = {V(r, c.Val("amount_fen"))};
        break;
      }
      case FactKind::kCase: {
        const std::string& p = D(r, period);
        const std::string& k = D(r, c.Dim("kind"));
        const std::string& closed_p = D(r, c.Dim("closed_period"));
        int64_t days = V(r, c.Val("duration_days"));
        bool closed = days >= 0 || !closed_p.empty();
        int limit = CaseLimitDays(k);
        bool overdue = false;
        if (closed) {
          overdue = days > limit;
        } else {
          int pi = MonthIndex(p), ni = MonthIndex(now_period);
          overdue = pi >= 0 && ni >= 0 && (ni - pi) * 30 > limit;
        }
        dims = {region(r), p, k, D(r, c.Dim("case_type")), D(r, status), D(r, domain),
                D(r, industry)};
        vals = {V(r, c.Val("amount_fen")), V(r, c.Val("workers")), closed ? 1 : 0,
                closed && days > 0 ? days : 0, overdue ? 1 : 0};
        break;
      }
      case FactKind::kHandling: {
        const std::string& outlet = D(r, c.Dim("outlet_code"));
        const std::string& item = D(r, c.Dim("item_code"));
        const std::string& cat = D(r, c.Dim("item_category"));
        const std::string& staff = D(r, c.Dim("staff_code"));
        dims = {region(r), D(r, period), outlet, item, D(r, c.Dim("channel")), staff,
                D(r, status), D(r, domain)};
        vals = {V(r, c.Val("duration_minutes")), V(r, c.Val("completed")) ? 1 : 0,
                V(r, c.Val("overdue")) ? 1 : 0};
        if (!drop) {
          if (!outlet.empty()) {
            out->members["outlet"].try_emplace(outlet,
                                               MemberDef{outlet, D(r, c.Dim("outlet_name")), {}});
          }
          if (!item.empty()) {
            out->members["item"].try_emplace(item, MemberDef{item, D(r, c.Dim("item_name")), {cat}});
          }
          if (!staff.empty()) {
            out->members["staff"].try_emplace(staff,
                                              MemberDef{staff, D(r, c.Dim("staff_name")), {}});
          }
        }
        break;
      }
      case FactKind::kArchive: {
        const std::string& p = D(r, period);
        dims = {region(r), p, D(r, c.Dim("archive_type")), D(r, domain), D(r, gender),
                AgeBand(D(r, birth), p)};
        break;
      }
      case FactKind::kPersonnel: {
        const std::string& p = D(r, period);
        dims = {region(r), p, D(r, c.Dim("post")), D(r, domain), D(r, gender),
                AgeBand(D(r, birth), p)};
        vals = {V(r, c.Val("salary_base_fen"))};
        break;
      }
    }
    if (drop) {
      b.deletes.push_back(r.key);
      continue;
    }
    b.keys.push_back(r.key);
    for (size_t i = 0; i < ndims; ++i) b.dims[i].push_back(i < dims.size() ? dims[i] : "");
    for (size_t i = 0; i < nvals; ++i) b.values[i].push_back(i < vals.size() ? vals[i] : 0);
    if (has_person) b.person.push_back(r.person_id);
  }
}

}  // namespace hrss::analytics
