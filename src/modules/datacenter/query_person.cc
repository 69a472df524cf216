// One-stop search, person 360° and a person's contribution months (R1.3,
// R2.4): indexed lookups only — dc_person by id / id_number / (name,
// birth_date), every section by its (person_id ...) index, contributions
// summarised per insurance type in SQL. See query_internal.h for the
// visibility and masking rules.
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/masking.h"
#include "core/text.h"
#include "modules/datacenter/query_internal.h"
#include "modules/identity/keyring.h"
#include "modules/identity/unmask.h"
#include "platform/platform.h"

namespace hrss::datacenter::query {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// Context of the SM4 encryption of dc_person.mobile_enc (hex of the sealed
// value, identity::KeyRing::EncryptField).
constexpr const char* kMobileContext = "datacenter.mobile";
constexpr const char* kNotVisible = "没有该人员，或不在您的数据范围内";

struct PersonRec {
  int64_t id = 0;
  std::string id_number, name, gender, birth_date, division, mobile_enc, death_date;
  int64_t conflict_count = 0;
};

constexpr const char* kPersonCols =
    "id, id_number, name, gender, birth_date, division_code, mobile_enc, death_date, "
    "conflict_count";

// One live source record of a person (dc_person_source, deleted = 0).
struct SourceRec {
  std::string system, src_key, name, birth_date;
  int64_t batch_id = 0, updated_at_ms = 0;
};

PersonRec ToPerson(const db::Row& r) {
  return {r.GetInt64(0), r.GetText(1), r.GetText(2), r.GetText(3), r.GetText(4),
          r.GetText(5),  r.GetText(6), r.GetText(7), r.GetInt64(8)};
}

// Live source systems of each person in `ids` (one query).
Result<std::map<int64_t, std::vector<std::string>>> SystemsOf(db::Connection& c,
                                                              const std::vector<int64_t>& ids) {
  std::map<int64_t, std::vector<std::string>> out;
  if (ids.empty()) return out;
  db::Params p(ids.begin(), ids.end());
  HRSS_ASSIGN_OR_RETURN(
      auto rows, c.Query("SELECT DISTINCT person_id, src_system FROM dc_person_source WHERE "
                         "person_id IN (" +
                             Placeholders(ids.size()) + ") AND deleted = 0 ORDER BY src_system",
                         p));
  for (const auto& r : rows) out[r.GetInt64(0)].push_back(r.GetText(1));
  return out;
}

std::string Today(const Clock& clock) {
  // Asia/Shanghai (UTC+8, no DST) civil date.
  int64_t days = (clock.NowMillis() / 1000 + 8 * 3600) / 86400;
  // H. Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

int64_t AgeOn(const std::string& birth, const std::string& today) {
  if (birth.size() != 10 || today.size() != 10) return 0;
  int64_t age = std::stoi(today.substr(0, 4)) - std::stoi(birth.substr(0, 4));
  if (today.substr(5) < birth.substr(5)) --age;
  return age < 0 ? 0 : age;
}

// 居保 (170) contributes once a year (period YYYY01): its gaps are counted
// in whole years, reported as 12 months each.
bool Yearly(std::string_view insurance_type) { return insurance_type == "170"; }

int64_t MonthIndex(int64_t period) { return (period / 100) * 12 + (period % 100) - 1; }
int64_t PeriodOf(int64_t index) { return (index / 12) * 100 + index % 12 + 1; }

// Missing months between two covered periods a < b (exclusive).
int64_t MissingBetween(std::string_view type, int64_t a, int64_t b) {
  if (Yearly(type)) return (b / 100 - a / 100 - 1) * 12;
  return MonthIndex(b) - MonthIndex(a) - 1;
}

// Source keys may embed an ID number as written (机保: credit code + "/" +
// 身份证号码): runs of 15–18 ID characters are masked like ID numbers.
std::string MaskEmbeddedIds(const std::string& key) {
  std::string out;
  size_t i = 0;
  while (i < key.size()) {
    size_t j = i;
    while (j < key.size() && ((key[j] >= '0' && key[j] <= '9') || key[j] == 'X' || key[j] == 'x')) {
      ++j;
    }
    if (j - i >= 15) {
      out += MaskIdNumber(key.substr(i, j - i));
    } else {
      out += key.substr(i, j - i);
    }
    if (j < key.size()) out += key[j];
    i = j + 1;
  }
  return out;
}

json::object PersonHitJson(const PersonRec& p, const std::vector<std::string>& systems,
                           bool clear_name) {
  json::array sys;
  for (const auto& s : systems) sys.emplace_back(s);
  return json::object{{"id", p.id},
                      {"name", ShownName(clear_name, p.name)},
                      {"idNumber", MaskIdNumber(p.id_number)},
                      {"gender", p.gender},
                      {"birthDate", p.birth_date},
                      {"divisionCode", p.division},
                      {"divisionName", DivisionName(p.division)},
                      {"systems", std::move(sys)}};
}

json::object UnitHitJson(const db::Row& r) {
  std::string div = r.GetText(6);
  return json::object{{"id", r.GetInt64(0)},      {"creditCode", r.GetText(1)},
                      {"unitNo", r.GetText(2)},   {"name", r.GetText(3)},
                      {"unitType", r.GetText(4)}, {"status", r.GetText(5)},
                      {"divisionCode", div},      {"divisionName", DivisionName(div)}};
}

constexpr const char* kUnitHitCols =
    "id, credit_code, unit_no, name, unit_type, status, division_code";

// Domains a business row of `section` can belong to.
const std::vector<std::string> kInsuranceDomains = {"jubao", "shebao", "jibao"};

std::vector<std::string> Allowed(const std::vector<std::string>& section,
                                 const std::vector<std::string>& restricted) {
  std::vector<std::string> out;
  for (const auto& d : section) {
    if (std::find(restricted.begin(), restricted.end(), d) == restricted.end()) out.push_back(d);
  }
  return out;
}

// `sql` with "{D}" replaced by the domain IN list, and its parameters: the
// person, then the domains.
std::pair<std::string, db::Params> SectionSql(std::string sql, int64_t person_id,
                                              const std::vector<std::string>& domains) {
  size_t at = sql.find("{D}");
  sql.replace(at, 3, "domain IN (" + Placeholders(domains.size()) + ")");
  db::Params p{person_id};
  for (const auto& d : domains) p.emplace_back(d);
  return {std::move(sql), std::move(p)};
}

// Runs `sql` (with "{D}" standing for the domain IN list) for one person.
Result<std::vector<db::Row>> SectionRows(db::Connection& c, std::string sql, int64_t person_id,
                                         const std::vector<std::string>& domains) {
  auto [q, p] = SectionSql(std::move(sql), person_id, domains);
  return c.Query(q, p);
}

struct State {
  Services s;

  // The person `id` with its live source records (ordered by system, then
  // record) and the distinct systems among them, in one statement; empty
  // when there is no such person or the caller's data scope does not cover
  // it.
  Result<std::optional<PersonRec>> LoadVisible(db::Connection& c, const identity::UserPrincipal& me,
                                               int64_t id, std::vector<std::string>* systems,
                                               std::vector<SourceRec>* sources = nullptr) {
    // kPersonCols of p, then the source columns (NULL without a live one).
    static constexpr const char* sql =
        "SELECT p.id, p.id_number, p.name, p.gender, p.birth_date, p.division_code, "
        "p.mobile_enc, p.death_date, p.conflict_count, s.src_system, s.src_key, s.name, "
        "s.birth_date, s.batch_id, s.updated_at_ms FROM dc_person p LEFT JOIN dc_person_source s "
        "ON s.person_id = p.id AND s.deleted = 0 WHERE p.id = ? ORDER BY s.src_system, s.id";
    std::optional<PersonRec> person;
    systems->clear();
    if (sources != nullptr) sources->clear();
    HRSS_RETURN_IF_ERROR(c.QueryEach(sql, {id}, [&](const db::Row& r) -> Status {
      if (!person.has_value()) person = ToPerson(r);
      if (r.IsNull(9)) return Status::Ok();  // no live source record
      std::string system = r.GetText(9);
      if (systems->empty() || systems->back() != system) systems->push_back(system);
      if (sources != nullptr) {
        sources->push_back({std::move(system), r.GetText(10), r.GetText(11), r.GetText(12),
                            r.GetInt64(13), r.GetInt64(14)});
      }
      return Status::Ok();
    }));
    if (!person.has_value() || !ScopeCoversAny(me, *systems, person->division)) {
      return std::optional<PersonRec>();
    }
    return person;
  }

  std::string ClearMobile(const PersonRec& p) const {
    if (p.mobile_enc.empty()) return {};
    auto sealed = HexDecode(p.mobile_enc);
    if (!sealed.ok()) return {};
    auto plain = s.keys->DecryptField(kMobileContext, *sealed);
    return plain.ok() ? *plain : std::string();
  }

  Response Search(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    bool persons_ok = me->HasPermission(kPersonRead);
    bool units_ok = me->HasPermission(kUnitRead);
    if (!persons_ok && !units_ok) {
      return Response::Error(
          Status::PermissionDenied("没有权限：" + std::string(kPersonRead) + " 或 " + kUnitRead),
          req.request_id);
    }
    auto q = TextParam(req, "q", 64);
    if (!q.ok()) return Response::Error(q.status(), req.request_id);
    if (q->empty()) {
      return Response::Error(
          Status::InvalidArgument("参数 q 不能为空：请输入身份证号、“姓名 "
                                  "出生日期”、统一社会信用代码、单位编号或单位名称"),
          req.request_id);
    }
    auto page = IntParam(req, "page", 1, 1, 100);
    if (!page.ok()) return Response::Error(page.status(), req.request_id);
    auto size = IntParam(req, "size", 20, 1, 50);
    if (!size.ok()) return Response::Error(size.status(), req.request_id);
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    db::Connection& c = **conn;

    std::string kind;
    std::vector<PersonRec> persons;
    std::vector<db::Row> units;
    auto persons_by = [&](const std::string& where, const db::Params& p) -> Status {
      HRSS_ASSIGN_OR_RETURN(
          auto rows, c.Query(std::string("SELECT ") + kPersonCols + " FROM dc_person WHERE " +
                                 where + " ORDER BY id LIMIT 50",
                             p));
      for (const auto& r : rows) persons.push_back(ToPerson(r));
      return Status::Ok();
    };
    auto units_by = [&](const std::string& where, const db::Params& p, int64_t limit) -> Status {
      db::Params pp = p;
      pp.emplace_back(limit);
      HRSS_ASSIGN_OR_RETURN(auto rows,
                            c.Query(std::string("SELECT ") + kUnitHitCols + " FROM dc_unit WHERE " +
                                        where + " ORDER BY name, id LIMIT ?",
                                    pp));
      for (auto& r : rows) units.push_back(std::move(r));
      return Status::Ok();
    };
    // Split "name birthdate".
    std::string name_part, date_part;
    if (size_t sp = q->rfind(' '); sp != std::string::npos) {
      name_part = std::string(TrimAscii(q->substr(0, sp)));
      date_part = q->substr(sp + 1);
    }
    Status st;
    if (auto id = NormalizePersonId(*q, s.platform->clock())) {
      kind = "idNumber";
      if (persons_ok) st = persons_by("id_number = ?", {*id});
    } else if (auto birth = ParseDate(date_part); birth && !name_part.empty()) {
      kind = "nameBirthDate";
      std::string name;
      for (char ch : name_part) {
        if (ch != ' ') name += ch;
      }
      if (persons_ok) st = persons_by("name = ? AND birth_date = ?", {name, *birth});
    } else if (auto cc = NormalizeCreditCode(*q); cc.ok()) {
      kind = "creditCode";
      if (units_ok) st = units_by("credit_code = ?", {cc->normalized}, 50);
    } else if (std::all_of(q->begin(), q->end(), [](char ch) {
                 return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= 'a' && ch <= 'z') || ch == '-';
               })) {
      kind = "unitNo";
      if (units_ok) st = units_by("unit_no = ?", {*q}, 50);
    } else {
      kind = "unitName";
      if (units_ok) {
        // Prefix matches first (an index range on dc_unit(name)), then
        // infix matches (a bounded scan), de-duplicated.
        int64_t want = *page * *size;
        std::string hi = *q + "\xF4\x8F\xBF\xBF";  // U+10FFFF sorts after any continuation
        st = units_by("name >= ? AND name < ?", {*q, hi}, want);
        if (st.ok() && static_cast<int64_t>(units.size()) < want) {
          std::string pattern = "%";
          for (char ch : *q) {
            if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
            pattern += ch;
          }
          pattern += "%";
          st = units_by("name LIKE ? ESCAPE '!' AND NOT (name >= ? AND name < ?)",
                        {pattern, *q, hi}, want - static_cast<int64_t>(units.size()));
        }
      }
    }
    if (!st.ok()) return Response::Error(st, req.request_id);

    json::array person_hits;
    {
      std::vector<int64_t> ids;
      for (const auto& p : persons) ids.push_back(p.id);
      auto systems = SystemsOf(c, ids);
      if (!systems.ok()) return Response::Error(systems.status(), req.request_id);
      for (const auto& p : persons) {
        const auto& sys = (*systems)[p.id];
        if (!ScopeCoversAny(*me, sys, p.division)) continue;
        person_hits.push_back(PersonHitJson(p, sys, true));
      }
    }
    json::array unit_hits;
    {
      std::vector<json::object> visible;
      for (const auto& r : units) {
        if (!ScopeCoversAny(*me, BusinessDomains(), r.GetText(6))) continue;
        visible.push_back(UnitHitJson(r));
      }
      size_t from = kind == "unitName" ? static_cast<size_t>((*page - 1) * *size) : 0;
      for (size_t i = from; i < visible.size() && i < from + static_cast<size_t>(*size); ++i) {
        unit_hits.push_back(std::move(visible[i]));
      }
    }
    return Response::Json(200, json::object{{"kind", kind},
                                            {"persons", std::move(person_hits)},
                                            {"units", std::move(unit_hits)}});
  }

  Response Person360(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    db::Connection& c = **conn;
    // SQLite: every section is read in one (deferred, read-only) transaction
    // instead of one implicit transaction per statement. Each read
    // transaction start takes the WAL read locks and, when any commit (e.g.
    // the audit chain's) happened since the connection's last one, drops its
    // whole page cache; one snapshot per view pays that at most once and
    // gives a consistent view. The pool rolls back a transaction left open
    // on an early return. MariaDB keeps autocommit reads.
    const bool snapshot = c.dialect() == db::Dialect::kSqlite;
    if (snapshot) {
      if (Status st = c.Exec("BEGIN").status(); !st.ok()) {
        return Response::Error(st, req.request_id);
      }
    }
    std::vector<std::string> systems;
    std::vector<SourceRec> source_recs;
    auto person = LoadVisible(c, *me, *id, &systems, &source_recs);
    if (!person.ok()) return Response::Error(person.status(), req.request_id);
    if (!person->has_value()) return Response::Error(Status::NotFound(kNotVisible), req.request_id);
    const PersonRec& p = **person;
    std::vector<std::string> restricted = RestrictedDomains(*me, p.division);
    auto fail = [&](const Status& st) { return Response::Error(st, req.request_id); };

    // --- person, sources, conflicts
    json::object person_json = PersonHitJson(p, systems, true);
    person_json.erase("systems");
    person_json["age"] = AgeOn(p.birth_date, Today(s.platform->clock()));
    person_json["deathDate"] = p.death_date;
    std::string mobile = ClearMobile(p);
    person_json["mobile"] = mobile.empty() ? "" : MaskPhone(mobile);
    {
      json::array sources;
      for (const SourceRec& r : source_recs) {
        if (std::find(restricted.begin(), restricted.end(), r.system) != restricted.end()) continue;
        sources.push_back(json::object{{"system", r.system},
                                       {"srcKey", MaskEmbeddedIds(r.src_key)},
                                       {"name", r.name},
                                       {"birthDate", r.birth_date},
                                       {"batchId", r.batch_id},
                                       {"updatedAt", r.updated_at_ms}});
      }
      person_json["sources"] = std::move(sources);
    }
    json::array conflicts;
    if (p.conflict_count > 0) {
      auto rows = c.Query(
          "SELECT id, field, values_json, status FROM dc_person_conflict WHERE person_id = ? AND "
          "status = 'open' ORDER BY id",
          {p.id});
      if (!rows.ok()) return fail(rows.status());
      for (const auto& r : *rows) {
        boost::system::error_code ec;
        json::value values = json::parse(r.GetText(2), ec);
        if (ec) values = json::array();
        conflicts.push_back(json::object{{"id", r.GetInt64(0)},
                                         {"field", r.GetText(1)},
                                         {"values", std::move(values)},
                                         {"status", r.GetText(3)}});
      }
    }
    person_json["conflicts"] = std::move(conflicts);

    json::object out;
    out["person"] = std::move(person_json);
    std::vector<std::string> ins = Allowed(kInsuranceDomains, restricted);
    if (!ins.empty()) {
      // --- enrolments
      auto rows = SectionRows(c,
                              "SELECT insurance_type, status, start_date, end_date, unit_no, "
                              "domain, src_system FROM dc_enrolment WHERE person_id = ? AND "
                              "deleted = 0 AND {D} ORDER BY insurance_type, start_date",
                              p.id, ins);
      if (!rows.ok()) return fail(rows.status());
      json::array enrolments;
      for (const auto& r : *rows) {
        enrolments.push_back(json::object{{"insuranceType", r.GetText(0)},
                                          {"status", r.GetText(1)},
                                          {"startDate", r.GetText(2)},
                                          {"endDate", r.GetText(3)},
                                          {"unitNo", r.GetText(4)},
                                          {"domain", r.GetText(5)},
                                          {"system", r.GetText(6)}});
      }
      out["enrolments"] = std::move(enrolments);

      // --- contributions: one aggregate per insurance type. Covered months
      // are paid or due (owed) ones; gaps are months with neither between
      // the first and the last covered period; arrears are the due amounts.
      rows = SectionRows(
          c,
          "SELECT insurance_type, "
          "COUNT(DISTINCT CASE WHEN status IN ('paid','due') THEN period END) AS n, "
          "MIN(CASE WHEN status IN ('paid','due') THEN period END) AS first_p, "
          "MAX(CASE WHEN status IN ('paid','due') THEN period END) AS last_p, "
          "SUM(CASE WHEN status = 'paid' THEN personal_fen ELSE 0 END) AS personal, "
          "SUM(CASE WHEN status = 'paid' THEN unit_fen ELSE 0 END) AS unit_part, "
          "SUM(CASE WHEN status = 'paid' THEN subsidy_fen ELSE 0 END) AS subsidy, "
          "SUM(CASE WHEN status = 'due' THEN personal_fen + unit_fen ELSE 0 END) AS due "
          "FROM dc_contribution WHERE person_id = ? AND deleted = 0 AND {D} "
          "GROUP BY insurance_type ORDER BY insurance_type",
          p.id, ins);
      if (!rows.ok()) return fail(rows.status());
      json::array summary;
      for (const auto& r : *rows) {
        std::string type = r.GetText(0);
        int64_t n = r.GetInt64(1);
        int64_t first = r.OptInt64(2).value_or(0), last = r.OptInt64(3).value_or(0);
        int64_t gaps = 0;
        if (n > 0) {
          int64_t span = Yearly(type) ? (last / 100 - first / 100 + 1)
                                      : MonthIndex(last) - MonthIndex(first) + 1;
          gaps = (span - n) * (Yearly(type) ? 12 : 1);
        }
        summary.push_back(json::object{{"insuranceType", type},
                                       {"months", Yearly(type) ? n * 12 : n},
                                       {"firstPeriod", first},
                                       {"lastPeriod", last},
                                       {"totalPersonalFen", r.OptInt64(4).value_or(0)},
                                       {"totalUnitFen", r.OptInt64(5).value_or(0)},
                                       {"totalSubsidyFen", r.OptInt64(6).value_or(0)},
                                       {"gaps", gaps},
                                       {"arrearsFen", r.OptInt64(7).value_or(0)}});
      }
      out["contributions"] = json::object{{"summary", std::move(summary)}};

      // --- benefits
      rows = SectionRows(c,
                         "SELECT benefit_type, approved_date, monthly_fen, qualification_status, "
                         "domain FROM dc_benefit_entitlement WHERE person_id = ? AND deleted = 0 "
                         "AND {D} ORDER BY approved_date DESC, id DESC",
                         p.id, ins);
      if (!rows.ok()) return fail(rows.status());
      json::array entitlements;
      for (const auto& r : *rows) {
        entitlements.push_back(json::object{{"benefitType", r.GetText(0)},
                                            {"approvedDate", r.GetText(1)},
                                            {"monthlyFen", r.GetInt64(2)},
                                            {"qualificationStatus", r.GetText(3)},
                                            {"domain", r.GetText(4)}});
      }
      // The 12 most recent payments and the total paid, in one pass over
      // the person's payments (newest first, by the (person_id, period)
      // index).
      json::array recent;
      int64_t total_paid = 0;
      {
        auto [sql, params] = SectionSql(
            "SELECT benefit_type, period, amount_fen, status, domain FROM dc_benefit_payment "
            "WHERE person_id = ? AND deleted = 0 AND {D} ORDER BY period DESC, id DESC",
            p.id, ins);
        Status st = c.QueryEach(sql, params, [&](const db::Row& r) -> Status {
          const int64_t amount = r.GetInt64(2);
          std::string status = r.GetText(3);
          if (status == "paid") total_paid += amount;
          if (recent.size() < 12) {
            recent.push_back(json::object{{"benefitType", r.GetText(0)},
                                          {"period", r.GetInt64(1)},
                                          {"amountFen", amount},
                                          {"status", std::move(status)},
                                          {"domain", r.GetText(4)}});
          }
          return Status::Ok();
        });
        if (!st.ok()) return fail(st);
      }
      out["benefits"] = json::object{
          {"entitlements", std::move(entitlements)},
          {"payments", json::object{{"recent", std::move(recent)}, {"totalFen", total_paid}}}};
    }
    // Employment events, cases, archives and institution posts: one
    // statement, a UNION ALL of the sections the caller may see, each
    // branch its newest 50. Every branch has the same shape so that both
    // databases type the columns alike: the section's index, nine text
    // columns ('' padded), one amount (0 without), then the section's sort
    // key (date, id), which orders the whole (a derived table's order does
    // not survive the outer query on every database).
    struct Single {
      const char* domain;
      const char* key;
      const char* sql;  // its columns in the common shape
      json::object (*to_json)(const db::Row& r);  // r: the section index, then sql's columns
    };
    // Derived-table columns need distinct names on MariaDB.
#define HRSS_SINGLE_COLS(a, b, c, d, e, f, g, h, i, amount, date)                           \
  "SELECT " a " AS c1, " b " AS c2, " c " AS c3, " d " AS c4, " e " AS c5, " f " AS c6, " g \
  " AS c7, " h " AS c8, " i " AS c9, " amount " AS amount, " date " AS sort_date, id AS sort_id "
    static const Single singles[] = {
        {"jiuye", "employment",
         HRSS_SINGLE_COLS("event_type", "event_date", "unit_credit_code", "''", "''", "''", "''",
                          "''", "''", "amount_fen", "event_date")
         "FROM dc_employment_event WHERE person_id = ? AND deleted = 0 AND domain = ? "
         "ORDER BY event_date DESC, id DESC LIMIT 50",
         [](const db::Row& r) {
           return json::object{{"eventType", r.GetText(1)},
                               {"eventDate", r.GetText(2)},
                               {"unitCreditCode", r.GetText(3)},
                               {"amountFen", r.GetInt64(10)}};
         }},
        {"jiancha", "cases",
         HRSS_SINGLE_COLS("kind", "case_no", "case_type", "unit_name", "cause", "status",
                          "received_date", "filed_date", "closed_date", "amount_fen",
                          "received_date")
         "FROM dc_case WHERE person_id = ? AND deleted = 0 AND domain = ? "
         "ORDER BY received_date DESC, id DESC LIMIT 50",
         [](const db::Row& r) {
           return json::object{{"kind", r.GetText(1)},      {"caseNo", r.GetText(2)},
                               {"caseType", r.GetText(3)},  {"unitName", r.GetText(4)},
                               {"cause", r.GetText(5)},     {"amountFen", r.GetInt64(10)},
                               {"status", r.GetText(6)},    {"receivedDate", r.GetText(7)},
                               {"filedDate", r.GetText(8)}, {"closedDate", r.GetText(9)}};
         }},
        {"dangan", "archives",
         HRSS_SINGLE_COLS("archive_no", "archive_type", "location", "received_date", "''", "''",
                          "''", "''", "''", "0", "received_date")
         "FROM dc_archive WHERE person_id = ? AND deleted = 0 AND domain = ? "
         "ORDER BY received_date DESC, id DESC LIMIT 50",
         [](const db::Row& r) {
           return json::object{{"archiveNo", r.GetText(1)},
                               {"archiveType", r.GetText(2)},
                               {"location", r.GetText(3)},
                               {"receivedDate", r.GetText(4)}};
         }},
        {"renshi", "institution",
         HRSS_SINGLE_COLS("unit_name", "unit_credit_code", "post", "entry_date", "''", "''", "''",
                          "''", "''", "salary_base_fen", "entry_date")
         "FROM dc_institution_personnel WHERE person_id = ? AND deleted = 0 AND domain = ? "
         "ORDER BY entry_date DESC, id DESC LIMIT 50",
         [](const db::Row& r) {
           return json::object{{"unitName", r.GetText(1)},
                               {"unitCreditCode", r.GetText(2)},
                               {"post", r.GetText(3)},
                               {"salaryBaseFen", r.GetInt64(10)},
                               {"entryDate", r.GetText(4)}};
         }},
    };
#undef HRSS_SINGLE_COLS
    {
      std::string sql;
      db::Params params;
      json::array items[std::size(singles)];
      bool shown[std::size(singles)] = {};
      for (size_t i = 0; i < std::size(singles); ++i) {
        const Single& sg = singles[i];
        if (std::find(restricted.begin(), restricted.end(), sg.domain) != restricted.end()) continue;
        shown[i] = true;
        if (!sql.empty()) sql += " UNION ALL ";
        sql += "SELECT " + std::to_string(i) + " AS section, t.* FROM (" + sg.sql + ") t";
        params.emplace_back(p.id);
        params.emplace_back(sg.domain);
      }
      if (!sql.empty()) {
        sql += " ORDER BY 1, 12 DESC, 13 DESC";
        Status st = c.QueryEach(sql, params, [&](const db::Row& r) -> Status {
          const auto i = static_cast<size_t>(r.GetInt64(0));  // one of ours: 0 .. size - 1
          items[i].push_back(singles[i].to_json(r));
          return Status::Ok();
        });
        if (!st.ok()) return fail(st);
      }
      for (size_t i = 0; i < std::size(singles); ++i) {
        if (shown[i]) out[singles[i].key] = std::move(items[i]);
      }
    }
    json::array restricted_json;
    for (const auto& d : restricted) restricted_json.emplace_back(d);
    out["restricted"] = restricted_json;
    // End the read snapshot before the audit append (another connection).
    if (snapshot) {
      if (Status st = c.Exec("COMMIT").status(); !st.ok()) return fail(st);
    }
    // Who looked at whom (the person id, never the ID number).
    if (Status st =
            AuditRequest(s, req, "datacenter.person.view", "dc_person", std::to_string(p.id),
                         json::object{{"restricted", std::move(restricted_json)}});
        !st.ok()) {
      return fail(st);
    }
    return Response::Json(200, out);
  }

  Response Contributions(Request& req) {
    const identity::UserPrincipal* me = identity::CurrentUser(req);
    if (me == nullptr) return Response::Error(Status::Unauthenticated("请先登录"), req.request_id);
    auto id = IdParam(req, "id");
    if (!id.ok()) return Response::Error(id.status(), req.request_id);
    auto type = TextParam(req, "insuranceType", 8);
    if (!type.ok()) return Response::Error(type.status(), req.request_id);
    static const std::set<std::string> kTypes = {"110", "120", "170", "210", "310", "410", "510"};
    if (!type->empty() && !kTypes.count(*type)) {
      return Response::Error(Status::InvalidArgument("参数 insuranceType 须为险种代码 110/120/170/"
                                                     "210/310/410/510"),
                             req.request_id);
    }
    int64_t bounds[2] = {0, 999999};
    const char* names[2] = {"from", "to"};
    for (int i = 0; i < 2; ++i) {
      auto v = TextParam(req, names[i], 16);
      if (!v.ok()) return Response::Error(v.status(), req.request_id);
      if (v->empty()) continue;
      auto period = ParsePeriod(*v);
      if (!period) {
        return Response::Error(Status::InvalidArgument(std::string("参数 ") + names[i] +
                                                       " 须为年月，如 202401 或 2024-01"),
                               req.request_id);
      }
      bounds[i] = *period;
    }
    if (bounds[0] > bounds[1]) {
      return Response::Error(Status::InvalidArgument("参数 from 不能晚于 to"), req.request_id);
    }
    auto conn = s.platform->db().Acquire();
    if (!conn.ok()) return Response::Error(conn.status(), req.request_id);
    db::Connection& c = **conn;
    std::vector<std::string> systems;
    auto person = LoadVisible(c, *me, *id, &systems);
    if (!person.ok()) return Response::Error(person.status(), req.request_id);
    if (!person->has_value()) return Response::Error(Status::NotFound(kNotVisible), req.request_id);
    std::vector<std::string> restricted = RestrictedDomains(*me, (*person)->division);
    std::vector<std::string> ins = Allowed(kInsuranceDomains, restricted);
    json::array months, gaps;
    int64_t arrears = 0;
    if (!ins.empty()) {
      std::string sql =
          "SELECT period, insurance_type, base_fen, personal_fen, unit_fen, status, unit_no FROM "
          "dc_contribution WHERE person_id = ? AND deleted = 0 AND period >= ? AND period <= ?";
      db::Params p{*id, bounds[0], bounds[1]};
      if (!type->empty()) {
        sql += " AND insurance_type = ?";
        p.emplace_back(*type);
      }
      sql += " AND domain IN (" + Placeholders(ins.size()) + ")";
      for (const auto& d : ins) p.emplace_back(d);
      sql += " ORDER BY insurance_type, period, id LIMIT 5000";
      auto rows = c.Query(sql, p);
      if (!rows.ok()) return Response::Error(rows.status(), req.request_id);
      std::string cur_type;
      int64_t last_covered = 0;
      for (const auto& r : *rows) {
        int64_t period = r.GetInt64(0);
        std::string t = r.GetText(1);
        std::string status = r.GetText(5);
        months.push_back(json::object{{"period", period},
                                      {"insuranceType", t},
                                      {"baseFen", r.GetInt64(2)},
                                      {"personalFen", r.GetInt64(3)},
                                      {"unitFen", r.GetInt64(4)},
                                      {"status", status},
                                      {"unitNo", r.GetText(6)}});
        if (status == "due") arrears += r.GetInt64(3) + r.GetInt64(4);
        if (status != "paid" && status != "due") continue;
        if (t != cur_type) {
          cur_type = t;
          last_covered = 0;
        }
        if (last_covered != 0 && period > last_covered) {
          int64_t missing = MissingBetween(t, last_covered, period);
          if (missing > 0) {
            int64_t from = Yearly(t) ? (last_covered / 100 + 1) * 100 + 1
                                     : PeriodOf(MonthIndex(last_covered) + 1);
            int64_t to =
                Yearly(t) ? (period / 100 - 1) * 100 + 1 : PeriodOf(MonthIndex(period) - 1);
            gaps.push_back(json::object{
                {"insuranceType", t}, {"from", from}, {"to", to}, {"months", missing}});
          }
        }
        if (period > last_covered) last_covered = period;
      }
    }
    json::array restricted_json;
    for (const auto& d : restricted) restricted_json.emplace_back(d);
    return Response::Json(200, json::object{{"months", std::move(months)},
                                            {"gaps", std::move(gaps)},
                                            {"arrearsFen", arrears},
                                            {"restricted", std::move(restricted_json)}});
  }

  // POST /api/v1/pii/unmask for object type "dc_person".
  Result<std::string> Unmask(const identity::UserPrincipal& me, const std::string& object_id,
                             const std::string& field) {
    int64_t id = 0;
    auto [ptr, ec] = std::from_chars(object_id.data(), object_id.data() + object_id.size(), id);
    if (ec != std::errc() || ptr != object_id.data() + object_id.size() || id <= 0) {
      return Status::InvalidArgument("人员编号须为正整数");
    }
    if (!me.HasPermission(kPersonRead))
      return Status::PermissionDenied("没有权限：" + std::string(kPersonRead));
    HRSS_ASSIGN_OR_RETURN(auto conn, s.platform->db().Acquire());
    std::vector<std::string> systems;
    HRSS_ASSIGN_OR_RETURN(auto person, LoadVisible(*conn, me, id, &systems));
    if (!person.has_value()) return Status::NotFound(kNotVisible);
    if (field == "idNumber") return person->id_number;
    if (field == "mobile") return ClearMobile(*person);
    if (field == "name") return person->name;
    return Status::InvalidArgument("字段 field 须为 idNumber、mobile 或 name");
  }
};

}  // namespace

Status AddPersonRoutes(const Services& s) {
  auto st = std::make_shared<State>();
  st->s = s;
  struct R {
    const char* pattern;
    const char* permission;
    const char* summary;
    Response (State::*fn)(Request&);
  };
  for (const R& r :
       {R{"/api/v1/datacenter/search", kQueryEntry,
          "一门式查询：身份证号、姓名+出生日期、信用代码、单位编号或单位名称（人员或单位查询权限）",
          &State::Search},
        R{"/api/v1/datacenter/persons/{id}", kPersonRead, "人员 360° 视图（留审计）",
          &State::Person360},
        R{"/api/v1/datacenter/persons/{id}/contributions", kPersonRead, "人员缴费明细、断缴与欠费",
          &State::Contributions}}) {
    auto fn = r.fn;
    HRSS_RETURN_IF_ERROR(s.platform->AddRoute({
        .method = http::Method::kGet,
        .pattern = r.pattern,
        .permission = r.permission,
        .execution = http::Execution::kWorker,
        .summary = r.summary,
        .handler = [st, fn](Request& req) { return ((*st).*fn)(req); },
    }));
  }
  if (s.unmask != nullptr) {
    s.unmask->Register("dc_person",
                       [st](const identity::UserPrincipal& me, const std::string& id,
                            const std::string& field) { return st->Unmask(me, id, field); });
  }
  return Status::Ok();
}

}  // namespace hrss::datacenter::query
