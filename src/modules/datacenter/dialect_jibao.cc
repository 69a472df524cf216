// 机保 (jibao): personnel_dNN.xlsx (sheet 在编人员) and contrib_dNN.csv
// (GB18030). Personnel rows give the person, the institution (unit source
// keyed by its credit code), the 120 enrolment and the personnel record;
// 变动类型 减少 deletes them. Personnel streams run before contributions.
#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

class JibaoMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "jibao"; }
  std::string StreamKind(std::string_view name) const override {
    if (name.rfind("personnel", 0) == 0) return "personnel";
    if (name.rfind("contrib", 0) == 0) return "contrib";
    return {};
  }
  int KindRank(std::string_view kind) const override { return kind == "personnel" ? 0 : 1; }

  void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
           const MapContext& ctx, MappedRecord* out) const override {
    if (kind == "personnel") return Personnel(rec, op, ctx, out);
    return Contribution(rec, op, ctx, out);
  }

 private:
  static bool Credit(MappedRecord* out, const std::string& raw, std::string* code) {
    if (!Required(out, raw, "单位统一社会信用代码")) return false;
    bool check_ok = true;
    auto c = ingest::NormalizeCredit(raw, &check_ok);
    if (!c.ok()) return Fail(out, "CREDIT_FORMAT", "单位统一社会信用代码「" + raw + "」");
    *code = std::move(c).value();
    return true;
  }

  void Personnel(const ingest::Record& rec, std::string_view op, const MapContext& ctx,
                 MappedRecord* out) const {
    std::string credit_raw = Text(rec, "单位统一社会信用代码");
    std::string id_raw = Text(rec, "身份证号码");
    out->src_key = credit_raw + "/" + id_raw;
    bool deleted = op == "delete";
    if (op.empty()) {
      std::string change = Text(rec, "变动类型");
      if (change == "减少") {
        deleted = true;
      } else if (!change.empty() && change != "新增" && change != "变更") {
        Fail(out, "BAD_OPERATION", "变动类型「" + change + "」（应为 新增/变更/减少）");
        return;
      }
    }
    std::string credit, id;
    if (!Credit(out, credit_raw, &credit)) return;
    if (!Id(ctx, out, Field(rec, "身份证号码"), "身份证号码", true, &id)) return;
    PersonFacts f;
    auto name = ingest::NormalizeName(Field(rec, "姓名"));
    if (!name.ok()) {
      Fail(out, ReasonCodeOf(name.status()) == "NAME_EMPTY" ? "MISSING_FIELD" : "NAME_FORMAT",
           "姓名");
      return;
    }
    f.name = std::move(name).value();
    if (!Gender(ctx, out, Field(rec, "性别"), id, &f.gender)) return;
    // 出生年月 is a year and month: the ID's full date when they agree.
    std::string ym = Text(rec, "出生年月");
    f.birth_date = IdBirth(id);
    if (!ym.empty()) {
      int64_t period = 0;
      if (!Period(ctx, out, ym, "出生年月", &period)) return;
      std::string p = std::to_string(period);
      std::string from_period = p.substr(0, 4) + "-" + p.substr(4, 2);
      if (f.birth_date.substr(0, 7) != from_period) f.birth_date = from_period + "-01";
    }
    CheckBirth(ctx, id, f.birth_date);
    int64_t salary = 0;
    if (!Amount(ctx, out, Field(rec, "缴费工资"), "缴费工资", false, &salary)) return;
    std::string entry;
    if (!Date(ctx, out, Field(rec, "进入日期"), "进入日期", false, &entry)) return;
    std::string unit_name = Text(rec, "单位名称");
    std::string post = Text(rec, "岗位");
    if (ctx.quality) ctx.quality->Check("completeness.township", false);  // 机保 has no township
    std::string person_name = f.name;
    out->rows.push_back(PersonRow(out->src_key, deleted, id, id_raw, std::move(f), "", id_raw));
    // The institution, keyed by its credit code (never deleted by a person's 减少).
    StdRow u;
    u.table = TableId::kUnitSource;
    u.src_key = credit;
    u.cols = {int64_t{0}, credit, "", unit_name, "institution", "", ""};
    FinishRow(u);
    auto facts = std::make_shared<UnitFacts>();
    facts->credit_code = credit;
    facts->name = unit_name;
    facts->unit_type = "institution";
    u.unit = facts;
    out->rows.push_back(std::move(u));
    StdRow e;
    e.table = TableId::kEnrolment;
    e.src_key = out->src_key;
    e.deleted = deleted;
    e.id_number = id;
    e.cols = {int64_t{0}, id, credit, "120", deleted ? "3" : "1", entry, "", "jibao", ""};
    FinishRow(e);
    out->rows.push_back(std::move(e));
    StdRow p;
    p.table = TableId::kInstitutionPersonnel;
    p.src_key = out->src_key;
    p.deleted = deleted;
    p.id_number = id;
    p.cols = {int64_t{0}, id, person_name, credit, unit_name, post, salary, entry, "jibao", ""};
    FinishRow(p);
    out->rows.push_back(std::move(p));
  }

  void Contribution(const ingest::Record& rec, std::string_view op, const MapContext& ctx,
                    MappedRecord* out) const {
    std::string credit_raw = Text(rec, "单位统一社会信用代码");
    std::string id_raw = Text(rec, "身份证号码");
    std::string period_raw = Text(rec, "所属期");
    out->src_key = credit_raw + "/" + id_raw + "/" + period_raw;
    bool deleted = op == "delete";
    if (op.empty()) {
      std::string o = Text(rec, "操作");
      if (o == "D" || o == "d" || o == "删除") {
        deleted = true;
      } else if (!o.empty() && o != "I" && o != "U" && o != "i" && o != "u") {
        Fail(out, "BAD_OPERATION", "操作「" + o + "」（应为 I/U/D）");
        return;
      }
    }
    std::string credit, id;
    if (!Credit(out, credit_raw, &credit)) return;
    if (!Id(ctx, out, Field(rec, "身份证号码"), "身份证号码", true, &id)) return;
    int64_t period = 0, base = 0, personal = 0, unit = 0;
    if (!Period(ctx, out, period_raw, "所属期", &period)) return;
    if (!Amount(ctx, out, Field(rec, "缴费基数"), "缴费基数", false, &base)) return;
    if (!Amount(ctx, out, Field(rec, "个人缴纳"), "个人缴纳", true, &personal)) return;
    if (!Amount(ctx, out, Field(rec, "单位缴纳"), "单位缴纳", false, &unit)) return;
    StdRow c;
    c.table = TableId::kContribution;
    c.src_key = out->src_key;
    c.deleted = deleted;
    c.id_number = id;
    c.cols = {int64_t{0}, id,   credit,     "120",  period,  base,
              personal,   unit, int64_t{0}, "paid", "jibao", ""};
    FinishRow(c);
    out->rows.push_back(std::move(c));
  }
};

}  // namespace

const DialectMapper* JibaoDialect() {
  static const JibaoMapper m;
  return &m;
}

}  // namespace hrss::datacenter
