// Unit 360° and a unit's roster (R2.4). A unit is visible when the caller's
// scope in any business domain covers its township; its sections are built
// from rows of the domains whose scope covers that row's township (roster,
// contributions: jubao/shebao/jibao; arrears: shebao; cases: jiancha).
// Rows are matched to the unit by its 社保 unit number and its credit code
// (机保 and 监察 key units by credit code).
#include <algorithm>

#include "core/masking.h"
#include "modules/datacenter/query_internal.h"
#include "platform/platform.h"

namespace hrss::datacenter::query {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kNotVisible = "没有该单位，或不在您的数据范围内";
const std::vector<std::string> kInsuranceDomains = {"jubao", "shebao", "jibao"};

struct UnitRec {
  int64_t id = 0;
  std::string credit_code, unit_no, name, unit_type, industry, division, legal_person, status;
};

// The keys rows use for this unit: unit number and credit code (non-empty).
db::Params UnitKeys(const UnitRec& u) {
  db::Params p;
  if (!u.unit_no.empty()) p.emplace_back(u.unit_no);
  if (!u.credit_code.empty()) p.emplace_back(u.credit_code);
  if (p.empty()) p.emplace_back(std::string("\x01"));  // matches nothing
  return p;
}

// "<alias>.unit_no IN (?, ..)" for `n` UnitKeys. The "<> ''" term repeats
// what the keys guarantee; it lets SQLite use the partial unit indexes of
// contributions and enrolments, which leave out the rows without a unit
// (居保; migration datacenter v7).
std::string UnitNoIn(const char* alias, size_t n) {
  const std::string col = std::string(alias) + ".unit_no";
  return col + " IN (" + Placeholders(n) + ") AND " + col + " <> ''";
}

struct State {
  Services s;

  Result<std::optional<UnitRec>> LoadVisible(db::Connection& c, const identity::UserPrincipal& me,
                                             int64_t id) {
    HRSS_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, credit_code, unit_no, name, unit_type, "
                                               "industry, division_code, legal_person, status "
                                               "FROM dc_unit WHERE id = ?",
                                               {id}));
    if (!row.has_value()) return std::optional<UnitRec>();
    UnitRec u{row->GetInt64(0), row->GetText(1), row->GetText(2), row->GetText(3), row->GetText(4),
              row->GetText(5),  row->GetText(6), row->GetText(7), row->GetText(8)};
    if (!ScopeCoversAny(me, BusinessDomains(), u.division)) return std::optional<UnitRec>();
    return std::optional<UnitRec>(std::move(u));
  }

  Response Unit360(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    db::Connection& c = **conn;
    auto fail = [&](const Status& st) { return Response::Error(st, req.request_id); };
    auto unit = LoadVisible(c, *me, *id);
    if (!unit.ok()) return fail(unit.status());
    if (!unit->has_value()) return fail(Status::NotFound(kNotVisible));
    const UnitRec& u = **unit;
    json::object out;
    json::object uj{{"id", u.id},
                    {"creditCode", u.credit_code},
                    {"unitNo", u.unit_no},
                    {"name", u.name},
                    {"unitType", u.unit_type},
                    {"industry", u.industry},
                    {"divisionCode", u.division},
                    {"divisionName", DivisionName(u.division)},
                    {"legalPerson", MaskName(u.legal_person)},
                    {"status", u.status}};
    {
      auto rows = c.Query(
          "SELECT src_system, src_key, name, batch_id, updated_at_ms FROM dc_unit_source WHERE "
          "unit_id = ? AND deleted = 0 ORDER BY src_system, id",
          {u.id});
      if (!rows.ok()) return fail(rows.status());
      json::array sources;
      for (const auto& r : *rows) {
        sources.push_back(json::object{{"system", r.GetText(0)},
                                       {"srcKey", r.GetText(1)},
                                       {"name", r.GetText(2)},
                                       {"batchId", r.GetInt64(3)},
                                       {"updatedAt", r.GetInt64(4)}});
      }
      uj["sources"] = std::move(sources);
    }
    out["unit"] = std::move(uj);
    db::Params keys = UnitKeys(u);

    // Sections whose domains are all outside the caller's scope are left
    // out (and named in `restricted`), never shown empty.
    std::vector<std::string> restricted = RestrictedDomains(*me, u.division);
    auto covered = [&](std::initializer_list<const char*> domains) {
      for (const char* d : domains) {
        if (std::find(restricted.begin(), restricted.end(), d) == restricted.end()) return true;
      }
      return false;
    };
    const bool insurance = covered({"jubao", "shebao", "jibao"});

    // --- roster: persons with an active enrolment at the unit.
    if (insurance) {
      SqlPart scope = DomainScopePredicate(*me, kInsuranceDomains, "e");
      std::string sql =
          "SELECT e.insurance_type, COUNT(DISTINCT e.person_id) AS n FROM dc_enrolment e WHERE " +
          UnitNoIn("e", keys.size()) + " AND e.deleted = 0 AND e.status = '1' AND " + scope.sql +
          " GROUP BY e.insurance_type ORDER BY e.insurance_type";
      db::Params p = keys;
      p.insert(p.end(), scope.params.begin(), scope.params.end());
      auto rows = c.Query(sql, p);
      if (!rows.ok()) return fail(rows.status());
      json::object by_type;
      for (const auto& r : *rows) by_type[r.GetText(0)] = r.GetInt64(1);
      auto total =
          c.QueryOne("SELECT COUNT(DISTINCT e.person_id) FROM dc_enrolment e WHERE " +
                         UnitNoIn("e", keys.size()) + " AND e.deleted = 0 AND e.status = '1' AND " + scope.sql,
                     p);
      if (!total.ok()) return fail(total.status());
      out["roster"] = json::object{{"total", total->has_value() ? (**total).GetInt64(0) : 0},
                                   {"byInsuranceType", std::move(by_type)}};
    }
    // --- contributions of the last 12 periods present.
    if (insurance) {
      SqlPart scope = DomainScopePredicate(*me, kInsuranceDomains, "t");
      std::string sql =
          "SELECT t.period, COUNT(DISTINCT t.person_id) AS persons, "
          "SUM(t.personal_fen + t.unit_fen) AS total FROM dc_contribution t WHERE " +
          UnitNoIn("t", keys.size()) + " AND t.deleted = 0 AND t.status = 'paid' AND " + scope.sql +
          " GROUP BY t.period ORDER BY t.period DESC LIMIT 12";
      db::Params p = keys;
      p.insert(p.end(), scope.params.begin(), scope.params.end());
      auto rows = c.Query(sql, p);
      if (!rows.ok()) return fail(rows.status());
      json::array by_month;
      for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
        by_month.push_back(json::object{{"period", it->GetInt64(0)},
                                        {"persons", it->GetInt64(1)},
                                        {"totalFen", it->OptInt64(2).value_or(0)}});
      }
      out["contributions"] = json::object{{"byMonth", std::move(by_month)}};
    }
    // --- arrears (社保 unit arrears).
    if (insurance) {
      SqlPart scope = DomainScopePredicate(*me, {"shebao", "jibao", "jubao"}, "t");
      db::Params p = keys;
      p.insert(p.end(), scope.params.begin(), scope.params.end());
      std::string where =
          " FROM dc_arrears t WHERE " + UnitNoIn("t", keys.size()) + " AND t.deleted = 0 AND " + scope.sql;
      auto total = c.QueryOne("SELECT SUM(t.amount_fen)" + where, p);
      if (!total.ok()) return fail(total.status());
      auto rows = c.Query("SELECT t.insurance_type, t.period, t.amount_fen" + where +
                              " ORDER BY t.period DESC, t.id DESC LIMIT 100",
                          p);
      if (!rows.ok()) return fail(rows.status());
      json::array items;
      for (const auto& r : *rows) {
        items.push_back(json::object{{"insuranceType", r.GetText(0)},
                                     {"period", r.GetInt64(1)},
                                     {"amountFen", r.GetInt64(2)}});
      }
      out["arrears"] =
          json::object{{"totalFen", total->has_value() ? (**total).OptInt64(0).value_or(0) : 0},
                       {"items", std::move(items)}};
    }
    // --- cases against the unit (jiancha).
    if (covered({"jiancha"})) {
      json::array cases;
      if (!u.credit_code.empty()) {
        SqlPart scope = DomainScopePredicate(*me, {"jiancha"}, "t");
        db::Params p{u.credit_code};
        p.insert(p.end(), scope.params.begin(), scope.params.end());
        auto rows = c.Query(
            "SELECT t.kind, t.case_no, t.case_type, t.cause, t.amount_fen, t.workers, t.status, "
            "t.received_date, t.closed_date FROM dc_case t WHERE t.unit_credit_code = ? AND "
            "t.deleted = 0 AND " +
                scope.sql + " ORDER BY t.received_date DESC, t.id DESC LIMIT 50",
            p);
        if (!rows.ok()) return fail(rows.status());
        for (const auto& r : *rows) {
          cases.push_back(json::object{{"kind", r.GetText(0)},
                                       {"caseNo", r.GetText(1)},
                                       {"caseType", r.GetText(2)},
                                       {"cause", r.GetText(3)},
                                       {"amountFen", r.GetInt64(4)},
                                       {"workers", r.GetInt64(5)},
                                       {"status", r.GetText(6)},
                                       {"receivedDate", r.GetText(7)},
                                       {"closedDate", r.GetText(8)}});
        }
      }
      out["cases"] = std::move(cases);
    }
    json::array restricted_json;
    for (const auto& d : restricted) restricted_json.emplace_back(d);
    out["restricted"] = std::move(restricted_json);
    return Response::Json(200, out);
  }

  Response Roster(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    auto page = IntParam(req, "page", 1, 1, 100000);
    if (!page.ok()) return Response::Error(page.status(), req.request_id);
    auto size = IntParam(req, "size", 20, 1, 200);
    if (!size.ok()) return Response::Error(size.status(), req.request_id);
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    db::Connection& c = **conn;
    auto unit = LoadVisible(c, *me, *id);
    if (!unit.ok()) return Response::Error(unit.status(), req.request_id);
    if (!unit->has_value()) return Response::Error(Status::NotFound(kNotVisible), req.request_id);
    db::Params keys = UnitKeys(**unit);
    SqlPart scope = DomainScopePredicate(*me, kInsuranceDomains, "e");
    std::string where = " FROM dc_enrolment e WHERE " + UnitNoIn("e", keys.size()) +
                        " AND e.deleted = 0 AND e.status = '1' AND " + scope.sql;
    db::Params p = keys;
    p.insert(p.end(), scope.params.begin(), scope.params.end());
    auto total = c.QueryOne("SELECT COUNT(DISTINCT e.person_id)" + where, p);
    if (!total.ok()) return Response::Error(total.status(), req.request_id);
    db::Params pp = p;
    pp.emplace_back(*size);
    pp.emplace_back((*page - 1) * *size);
    auto rows = c.Query(
        "SELECT e.person_id, p.name, p.id_number, GROUP_CONCAT(DISTINCT e.insurance_type) AS "
        "types, MIN(e.start_date) AS since FROM dc_enrolment e JOIN dc_person p ON p.id = "
        "e.person_id WHERE " +
            UnitNoIn("e", keys.size()) + " AND e.deleted = 0 AND e.status = '1' AND " + scope.sql +
            " GROUP BY e.person_id, p.name, p.id_number ORDER BY e.person_id LIMIT ? OFFSET ?",
        pp);
    if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
    json::array items;
    for (const auto& r : *rows) {
      json::array types;
      std::string t = r.GetText(3);
      std::vector<std::string> parts;
      size_t start = 0;
      while (start <= t.size()) {
        size_t comma = t.find(',', start);
        if (comma == std::string::npos) comma = t.size();
        if (comma > start) parts.push_back(t.substr(start, comma - start));
        start = comma + 1;
      }
      std::sort(parts.begin(), parts.end());
      for (auto& x : parts) types.emplace_back(x);
      // Rows pass the scope predicate, so the caller handles these persons.
      items.push_back(json::object{{"personId", r.GetInt64(0)},
                                   {"name", r.GetText(1)},
                                   {"idNumber", MaskIdNumber(r.GetText(2))},
                                   {"insuranceTypes", std::move(types)},
                                   {"since", r.GetText(4)}});
    }
    return Response::Json(200,
                          json::object{{"items", std::move(items)},
                                       {"total", total->has_value() ? (**total).GetInt64(0) : 0},
                                       {"page", *page},
                                       {"size", *size}});
  }
};

}  // namespace

Status AddUnitRoutes(const Services& s) {
  auto st = std::make_shared<State>();
  st->s = s;
  HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/datacenter/units/{id}",
      .permission = kUnitRead,
      .execution = http::Execution::kWorker,
      .summary = "单位 360° 视图",
      .handler = [st](Request& req) { return st->Unit360(req); },
  }));
  return s.platform->AddRoute({
      .method = http::Method::kGet,
      .pattern = "/api/v1/datacenter/units/{id}/roster",
      .permission = kUnitRead,
      .execution = http::Execution::kWorker,
      .summary = "单位参保人员名册",
      .handler = [st](Request& req) { return st->Roster(req); },
  });
}

}  // namespace hrss::datacenter::query
