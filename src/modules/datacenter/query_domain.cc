// Domain queries (R4.3): GET /api/v1/datacenter/domain/{domain} pages the
// standardized rows of one business domain, with the domain's data scope
// applied in SQL (DataScope::Where on the row's division_code) and filters
// (entity, division, from/to, q). The same builder feeds exports.
//
// Totals are counted exactly up to 10,000 rows (then totalCapped = true):
// counting tens of millions of contribution rows per page view is not worth
// the I/O; pages beyond offset 10,000 are refused (narrow the filters or
// request an export).
#include <algorithm>
#include <map>

#include "core/division.h"
#include "core/masking.h"
#include "modules/datacenter/query_internal.h"
#include "platform/platform.h"

namespace hrss::datacenter::query {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

enum class ColKind { kText, kInt, kIdNumber };

struct Col {
  const char* key;
  const char* label;
  const char* expr;
  ColKind kind;
};

struct EntitySpec {
  const char* name;
  const char* table;
  const char* range_col;  // period (YYYYMM) or date column
  bool period;            // range_col is a period
  bool person_join;       // LEFT JOIN dc_person p
  std::vector<Col> cols;
};

const Col kId{"id", "编号", "t.id", ColKind::kInt};
const Col kPersonId{"personId", "人员编号", "t.person_id", ColKind::kInt};
const Col kName{"name", "姓名", "p.name", ColKind::kText};
const Col kIdNo{"idNumber", "身份证号", "t.id_number", ColKind::kIdNumber};
const Col kDivision{"divisionCode", "乡镇（街道）代码", "t.division_code", ColKind::kText};

const std::map<std::string, EntitySpec, std::less<>>& Entities() {
  using K = ColKind;
  static const auto* m = new std::map<std::string, EntitySpec, std::less<>>{
      {"enrolment",
       {"enrolment",
        "dc_enrolment",
        "t.start_date",
        false,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"insuranceType", "险种", "t.insurance_type", K::kText},
         {"status", "参保状态", "t.status", K::kText},
         {"startDate", "参保日期", "t.start_date", K::kText},
         {"endDate", "终止日期", "t.end_date", K::kText},
         {"unitNo", "单位编号", "t.unit_no", K::kText},
         kDivision}}},
      {"contribution",
       {"contribution",
        "dc_contribution",
        "t.period",
        true,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"insuranceType", "险种", "t.insurance_type", K::kText},
         {"period", "费款所属期", "t.period", K::kInt},
         {"baseFen", "缴费基数（分）", "t.base_fen", K::kInt},
         {"personalFen", "个人缴费（分）", "t.personal_fen", K::kInt},
         {"unitFen", "单位缴费（分）", "t.unit_fen", K::kInt},
         {"subsidyFen", "补贴（分）", "t.subsidy_fen", K::kInt},
         {"status", "缴费状态", "t.status", K::kText},
         {"unitNo", "单位编号", "t.unit_no", K::kText},
         kDivision}}},
      {"arrears",
       {"arrears",
        "dc_arrears",
        "t.period",
        true,
        false,
        {kId,
         {"unitNo", "单位编号", "t.unit_no", K::kText},
         kIdNo,
         {"insuranceType", "险种", "t.insurance_type", K::kText},
         {"period", "欠费所属期", "t.period", K::kInt},
         {"amountFen", "欠费金额（分）", "t.amount_fen", K::kInt},
         kDivision}}},
      {"benefit",
       {"benefit",
        "dc_benefit_entitlement",
        "t.approved_date",
        false,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"benefitType", "待遇类别", "t.benefit_type", K::kText},
         {"approvedDate", "核定日期", "t.approved_date", K::kText},
         {"monthlyFen", "月待遇（分）", "t.monthly_fen", K::kInt},
         {"qualificationStatus", "资格认证状态", "t.qualification_status", K::kText},
         kDivision}}},
      {"payment",
       {"payment",
        "dc_benefit_payment",
        "t.period",
        true,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"benefitType", "待遇类别", "t.benefit_type", K::kText},
         {"period", "发放所属期", "t.period", K::kInt},
         {"amountFen", "发放金额（分）", "t.amount_fen", K::kInt},
         {"status", "发放状态", "t.status", K::kText},
         kDivision}}},
      {"employment",
       {"employment",
        "dc_employment_event",
        "t.event_date",
        false,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"eventType", "事件类别", "t.event_type", K::kText},
         {"eventDate", "发生日期", "t.event_date", K::kText},
         {"unitCreditCode", "单位信用代码", "t.unit_credit_code", K::kText},
         {"amountFen", "金额（分）", "t.amount_fen", K::kInt},
         kDivision}}},
      {"case",
       {"case",
        "dc_case",
        "t.received_date",
        false,
        false,
        {kId,
         {"kind", "类别", "t.kind", K::kText},
         {"caseNo", "案件编号", "t.case_no", K::kText},
         {"caseType", "案件类型", "t.case_type", K::kText},
         {"unitName", "被投诉单位", "t.unit_name", K::kText},
         {"unitCreditCode", "单位信用代码", "t.unit_credit_code", K::kText},
         kIdNo,
         {"cause", "案由", "t.cause", K::kText},
         {"amountFen", "涉及金额（分）", "t.amount_fen", K::kInt},
         {"workers", "涉及人数", "t.workers", K::kInt},
         {"status", "案件状态", "t.status", K::kText},
         {"receivedDate", "登记日期", "t.received_date", K::kText},
         {"filedDate", "立案日期", "t.filed_date", K::kText},
         {"closedDate", "结案日期", "t.closed_date", K::kText},
         kDivision}}},
      {"archive",
       {"archive",
        "dc_archive",
        "t.received_date",
        false,
        true,
        {kId,
         kPersonId,
         kName,
         kIdNo,
         {"archiveNo", "档案编号", "t.archive_no", K::kText},
         {"archiveType", "档案类别", "t.archive_type", K::kText},
         {"location", "存放位置", "t.location", K::kText},
         {"receivedDate", "接收日期", "t.received_date", K::kText},
         kDivision}}},
      {"institution",
       {"institution",
        "dc_institution_personnel",
        "t.entry_date",
        false,
        true,
        {kId,
         kPersonId,
         {"name", "姓名", "t.name", K::kText},
         kIdNo,
         {"unitName", "单位名称", "t.unit_name", K::kText},
         {"unitCreditCode", "单位信用代码", "t.unit_credit_code", K::kText},
         {"post", "岗位", "t.post", K::kText},
         {"salaryBaseFen", "缴费工资（分）", "t.salary_base_fen", K::kInt},
         {"entryDate", "进入日期", "t.entry_date", K::kText},
         kDivision}}},
  };
  return *m;
}

// The entities of each domain; the first is the default.
const std::map<std::string, std::vector<std::string>, std::less<>>& DomainEntities() {
  static const auto* m = new std::map<std::string, std::vector<std::string>, std::less<>>{
      {"jubao", {"enrolment", "contribution", "benefit", "payment"}},
      {"shebao", {"enrolment", "contribution", "arrears", "benefit", "payment"}},
      {"jibao", {"enrolment", "contribution", "benefit", "payment"}},
      {"jiuye", {"employment"}},
      {"jiancha", {"case"}},
      {"dangan", {"archive"}},
      {"renshi", {"institution"}},
  };
  return *m;
}

std::string JoinNames(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
  return s;
}

const EntitySpec* SpecFor(std::string_view domain, const DomainFilters& f) {
  auto d = DomainEntities().find(domain);
  if (d == DomainEntities().end()) return nullptr;
  std::string name = f.entity.empty() ? d->second.front() : f.entity;
  if (std::find(d->second.begin(), d->second.end(), name) == d->second.end()) return nullptr;
  return &Entities().at(name);
}

}  // namespace

Status ValidateDomainFilters(std::string_view domain, const DomainFilters& f, const Clock& clock) {
  (void)clock;
  auto d = DomainEntities().find(domain);
  if (d == DomainEntities().end()) {
    return Status::InvalidArgument("未知的业务域 domain：" + std::string(domain) +
                                   "（应为 jubao/shebao/jibao/jiuye/jiancha/dangan/renshi）");
  }
  const EntitySpec* spec = SpecFor(domain, f);
  if (spec == nullptr) {
    return Status::InvalidArgument("参数 entity 在业务域 " + std::string(domain) + " 中应为 " +
                                   JoinNames(d->second));
  }
  if (!f.division.empty() && f.division != "511724") {
    const Division* div = DivisionTable::Builtin().Find(f.division);
    if (f.division.size() != 9 || div == nullptr || div->level != 4) {
      return Status::InvalidArgument("参数 division 须为大竹县乡镇（街道）代码，如 511724001");
    }
  }
  for (const auto& [name, v] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    if (v->empty()) continue;
    bool ok = spec->period ? ParsePeriod(*v).has_value() : ParseDate(*v).has_value();
    if (!ok) {
      return Status::InvalidArgument(
          std::string("参数 ") + name +
          (spec->period ? " 须为年月，如 202401 或 2024-01" : " 须为日期，如 2024-01-31"));
    }
  }
  if (f.q.size() > 64) return Status::InvalidArgument("参数 q 不能超过 64 字节");
  return Status::Ok();
}

Result<DomainPage> RunDomainQuery(db::Pool& pool, const Clock& clock,
                                  const identity::UserPrincipal& me, std::string_view domain,
                                  const DomainFilters& f, int64_t offset, int64_t limit,
                                  int64_t count_cap) {
  HRSS_RETURN_IF_ERROR(ValidateDomainFilters(domain, f, clock));
  const EntitySpec& spec = *SpecFor(domain, f);
  std::string from = std::string(" FROM ") + spec.table + " t";
  if (spec.person_join) from += " LEFT JOIN dc_person p ON p.id = t.person_id";
  std::string where = " WHERE t.domain = ? AND t.deleted = 0";
  db::Params params{std::string(domain)};
  identity::SqlFilter scope = me.ScopeFor(domain).Where({.division = "t.division_code"});
  where += " AND (" + scope.sql + ")";
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  if (!f.division.empty() && f.division != "511724") {
    where += " AND t.division_code = ?";
    params.emplace_back(f.division);
  }
  if (!f.from.empty()) {
    where += std::string(" AND ") + spec.range_col + " >= ?";
    if (spec.period) {
      params.emplace_back(*ParsePeriod(f.from));
    } else {
      params.emplace_back(*ParseDate(f.from));
    }
  }
  if (!f.to.empty()) {
    where += std::string(" AND ") + spec.range_col + " <= ?";
    if (spec.period) {
      params.emplace_back(*ParsePeriod(f.to));
    } else {
      params.emplace_back(*ParseDate(f.to));
    }
  }
  if (!f.q.empty()) {
    if (auto id = NormalizePersonId(f.q, clock)) {
      where += " AND t.id_number = ?";
      params.emplace_back(*id);
    } else if (std::string_view(spec.name) == "case") {
      std::string pattern = "%";
      for (char ch : f.q) {
        if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
        pattern += ch;
      }
      pattern += "%";
      where += " AND (t.case_no = ? OR t.unit_name LIKE ? ESCAPE '!')";
      params.emplace_back(f.q);
      params.emplace_back(pattern);
    } else if (std::string_view(spec.name) == "arrears") {
      where += " AND t.unit_no = ?";
      params.emplace_back(f.q);
    } else {
      std::string name;
      for (char ch : f.q) {
        if (ch != ' ') name += ch;
      }
      where += std::string(" AND ") +
               (std::string_view(spec.name) == "institution" ? "t.name" : "p.name") + " = ?";
      params.emplace_back(name);
    }
  }
  HRSS_ASSIGN_OR_RETURN(auto conn, pool.Acquire());
  DomainPage page;
  if (count_cap > 0) {
    db::Params cp = params;
    cp.emplace_back(count_cap + 1);
    HRSS_ASSIGN_OR_RETURN(
        auto n,
        conn->QueryOne("SELECT COUNT(*) FROM (SELECT 1" + from + where + " LIMIT ?) x", cp));
    page.total = n.has_value() ? n->GetInt64(0) : 0;
    if (page.total > count_cap) {
      page.total = count_cap;
      page.total_capped = true;
    }
  }
  std::string cols;
  for (const Col& c : spec.cols) {
    cols += (cols.empty() ? "" : ", ") + std::string(c.expr);
    page.columns.push_back(c.key);
    page.labels.push_back(c.label);
  }
  params.emplace_back(limit);
  params.emplace_back(offset);
  HRSS_RETURN_IF_ERROR(
      conn->QueryEach("SELECT " + cols + from + where + " ORDER BY t.id DESC LIMIT ? OFFSET ?",
                      params, [&](const db::Row& r) -> Status {
                        json::object o;
                        for (size_t i = 0; i < spec.cols.size(); ++i) {
                          const Col& c = spec.cols[i];
                          switch (c.kind) {
                            case ColKind::kInt: o[c.key] = r.OptInt64(i).value_or(0); break;
                            case ColKind::kIdNumber:
                              o[c.key] = MaskIdNumber(r.OptText(i).value_or(""));
                              break;
                            case ColKind::kText: o[c.key] = r.OptText(i).value_or(""); break;
                          }
                        }
                        page.items.push_back(std::move(o));
                        return Status::Ok();
                      }));
  return page;
}

namespace {

struct State {
  Services s;

  Response List(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    std::string domain(req.PathParam("domain"));
    if (DomainEntities().find(domain) == DomainEntities().end()) {
      return Response::Error(
          Status::InvalidArgument("未知的业务域 domain：" + domain.substr(0, 32) +
                                  "（应为 jubao/shebao/jibao/jiuye/jiancha/dangan/renshi）"),
          req.request_id);
    }
    std::string key = DomainReadKey(domain);
    if (!me->HasPermission(key)) {
      return Response::Error(Status::PermissionDenied("没有权限：" + key), req.request_id);
    }
    auto page = IntParam(req, "page", 1, 1, 10000);
    if (!page.ok()) return Response::Error(page.status(), req.request_id);
    auto size = IntParam(req, "size", 20, 1, 200);
    if (!size.ok()) return Response::Error(size.status(), req.request_id);
    if ((*page - 1) * *size >= 10000) {
      return Response::Error(Status::InvalidArgument("参数 page 超出可翻页范围（前 10000 "
                                                     "条），请缩小筛选条件或申请导出"),
                             req.request_id);
    }
    DomainFilters f;
    for (auto [name, out] :
         {std::pair{"entity", &f.entity}, std::pair{"division", &f.division},
          std::pair{"from", &f.from}, std::pair{"to", &f.to}, std::pair{"q", &f.q}}) {
      auto v = TextParam(req, name, 64);
      if (!v.ok()) return Response::Error(v.status(), req.request_id);
      *out = std::move(*v);
    }
    auto result = RunDomainQuery(s.platform->db(), s.platform->clock(), *me, domain, f,
                                 (*page - 1) * *size, *size, 10000);
    if (!result.ok()) return Response::Error(result.status(), req.request_id);
    return Response::Json(200, json::object{{"items", std::move(result->items)},
                                            {"total", result->total},
                                            {"totalCapped", result->total_capped},
                                            {"page", *page},
                                            {"size", *size},
                                            {"entity", SpecFor(domain, f)->name}});
  }
};

}  // namespace

Status AddDomainRoutes(const Services& s) {
  auto st = std::make_shared<State>();
  st->s = s;
  return s.platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/datacenter/domain/{domain}",
      .permission = kQueryEntry,
      .execution = http::Execution::kWorker,
      .summary = "业务域数据查询（分页、筛选；须该业务域的查询权限，按数据范围过滤）",
      .handler = [st](Request& req) { return st->List(req); },
  });
}

}  // namespace hrss::datacenter::query
