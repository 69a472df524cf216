// 社保 (shebao): the 金保工程 relational source (tables ab01 单位, ac01 人员,
// ac02 参保, ac43 缴费明细, ab07 单位欠费, ac84 待遇发放), pulled by aae036.
// aae100 = '0' is a logical deletion. Persons are referenced by aac001 and
// resolved through dc_person_source (src_key = aac001).
#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

class ShebaoMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "shebao"; }
  std::string StreamKind(std::string_view name) const override {
    for (const char* k : {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84"}) {
      if (name == k) return k;
    }
    return {};
  }
  int KindRank(std::string_view kind) const override {
    static const char* order[] = {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84"};
    for (int i = 0; i < 6; ++i) {
      if (kind == order[i]) return i;
    }
    return 9;
  }

  void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
           const MapContext& ctx, MappedRecord* out) const override {
    std::string flag = Text(rec, "aae100");
    bool deleted = op == "delete" || flag == "0";
    out->change_ms = ParseAae036(Text(rec, "aae036"));
    CheckLag(ctx, out->change_ms);
    if (kind == "ab01") return Unit(rec, deleted, ctx, out);
    if (kind == "ac01") return Person(rec, deleted, ctx, out);
    if (kind == "ac02") return Enrolment(rec, deleted, ctx, out);
    if (kind == "ac43") return Contribution(rec, deleted, ctx, out);
    if (kind == "ab07") return Arrears(rec, deleted, ctx, out);
    return Payment(rec, deleted, ctx, out);
  }

 private:
  void Unit(const ingest::Record& rec, bool deleted, const MapContext& ctx,
            MappedRecord* out) const {
    std::string no = Text(rec, "aab001");
    out->src_key = no;
    if (!Required(out, no, "aab001 单位编号")) return;
    UnitFacts u;
    u.unit_no = no;
    std::string credit = Text(rec, "aab003");
    if (!credit.empty()) {
      bool check_ok = true;
      auto c = ingest::NormalizeCredit(credit, &check_ok);
      if (!c.ok()) {
        Fail(out, "CREDIT_FORMAT", "aab003「" + credit + "」");
        return;
      }
      u.credit_code = std::move(c).value();
    }
    u.name = Text(rec, "aab004");
    if (!Required(out, u.name, "aab004 单位名称")) return;
    std::string type = Text(rec, "aab019");
    if (!type.empty() && !Code(ctx, out, "unit_type", type, "aab019 单位类型", &u.unit_type)) {
      return;
    }
    u.industry = Text(rec, "aab022").substr(0, 4);
    std::string div = Text(rec, "aab301");
    if (!div.empty()) {
      auto d = ingest::NormalizeDivision(div);
      if (d.ok()) u.division_code = std::move(d).value();
    }
    u.legal_person = Text(rec, "aab013");
    StdRow r;
    r.table = TableId::kUnitSource;
    r.src_key = no;
    r.deleted = deleted;
    r.cols = {int64_t{0}, u.credit_code, u.unit_no, u.name, u.unit_type, u.industry,
              u.division_code};
    FinishRow(r);
    r.unit = std::make_shared<UnitFacts>(std::move(u));
    out->rows.push_back(std::move(r));
  }

  void Person(const ingest::Record& rec, bool deleted, const MapContext& ctx,
              MappedRecord* out) const {
    std::string key = Text(rec, "aac001");
    out->src_key = key;
    if (!Required(out, key, "aac001 个人编号")) return;
    std::string id;
    std::string_view raw_id = Field(rec, "aac002");
    if (!Id(ctx, out, raw_id, "aac002 身份证号", true, &id)) return;
    PersonFacts f;
    auto name = ingest::NormalizeName(Field(rec, "aac003"));
    if (!name.ok()) {
      Fail(out, ReasonCodeOf(name.status()) == "NAME_EMPTY" ? "MISSING_FIELD" : "NAME_FORMAT",
           "aac003 姓名");
      return;
    }
    f.name = std::move(name).value();
    if (!Gender(ctx, out, Field(rec, "aac004"), id, &f.gender)) return;
    if (!Date(ctx, out, Field(rec, "aac006"), "aac006 出生日期", false, &f.birth_date)) return;
    if (f.birth_date.empty()) f.birth_date = IdBirth(id);
    CheckBirth(ctx, id, f.birth_date);
    f.division_code = Township(ctx, Text(rec, "aab301"));
    std::string mobile;
    f.mobile_enc = Mobile(ctx, Field(rec, "aae005"), &mobile);
    out->rows.push_back(PersonRow(key, deleted, id, raw_id, std::move(f), mobile, key));
  }

  static StdRow PersonLinked(TableId t, std::string key, bool deleted, std::string aac001) {
    StdRow r;
    r.table = t;
    r.src_key = std::move(key);
    r.deleted = deleted;
    r.person_src_key = std::move(aac001);
    return r;
  }

  void Enrolment(const ingest::Record& rec, bool deleted, const MapContext& ctx,
                 MappedRecord* out) const {
    std::string aac001 = Text(rec, "aac001"), type_raw = Text(rec, "aae140");
    out->src_key = aac001 + "/" + type_raw;
    if (!Required(out, aac001, "aac001 个人编号") || !Required(out, type_raw, "aae140 险种")) {
      return;
    }
    std::string type, status, start;
    if (!Code(ctx, out, "insurance_type", type_raw, "aae140 险种", &type)) return;
    if (!Code(ctx, out, "enrolment_status", Field(rec, "aac008"), "aac008 参保状态", &status)) {
      return;
    }
    if (!Date(ctx, out, Field(rec, "aac030"), "aac030 参保日期", false, &start)) return;
    StdRow r = PersonLinked(TableId::kEnrolment, out->src_key, deleted, aac001);
    r.cols = {int64_t{0}, "", Text(rec, "aab001"), type, status, start, "", "shebao", ""};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }

  void Contribution(const ingest::Record& rec, bool deleted, const MapContext& ctx,
                    MappedRecord* out) const {
    std::string key = Text(rec, "aaz223");
    out->src_key = key;
    std::string aac001 = Text(rec, "aac001");
    if (!Required(out, key, "aaz223 流水号") || !Required(out, aac001, "aac001 个人编号")) return;
    std::string type, status;
    if (!Code(ctx, out, "insurance_type", Field(rec, "aae140"), "aae140 险种", &type)) return;
    int64_t period = 0, base = 0, personal = 0, unit = 0;
    if (!Period(ctx, out, Field(rec, "aae003"), "aae003 费款所属期", &period)) return;
    if (!Amount(ctx, out, Field(rec, "aac040"), "aac040 缴费基数", false, &base)) return;
    if (!Amount(ctx, out, Field(rec, "aae020"), "aae020 个人缴费", true, &personal)) return;
    if (!Amount(ctx, out, Field(rec, "aae022"), "aae022 单位缴费", false, &unit)) return;
    if (!Code(ctx, out, "arrival_flag", Field(rec, "aae078"), "aae078 到账标志", &status)) return;
    StdRow r = PersonLinked(TableId::kContribution, key, deleted, aac001);
    r.cols = {int64_t{0}, "",         Text(rec, "aab001"), type,   period,   base,
              personal,   unit,       int64_t{0},          status, "shebao", ""};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }

  void Arrears(const ingest::Record& rec, bool deleted, const MapContext& ctx,
               MappedRecord* out) const {
    std::string key = Text(rec, "aaz288");
    out->src_key = key;
    std::string unit_no = Text(rec, "aab001");
    if (!Required(out, key, "aaz288") || !Required(out, unit_no, "aab001 单位编号")) return;
    std::string type;
    if (!Code(ctx, out, "insurance_type", Field(rec, "aae140"), "aae140 险种", &type)) return;
    int64_t period = 0, amount = 0;
    if (!Period(ctx, out, Field(rec, "aae003"), "aae003 费款所属期", &period)) return;
    if (!Amount(ctx, out, Field(rec, "aae019"), "aae019 欠费金额", true, &amount)) return;
    StdRow r;
    r.table = TableId::kArrears;
    r.src_key = key;
    r.deleted = deleted;
    r.unit_ref = unit_no;
    r.cols = {unit_no, int64_t{0}, "", type, period, amount, "shebao", ""};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }

  void Payment(const ingest::Record& rec, bool deleted, const MapContext& ctx,
               MappedRecord* out) const {
    std::string key = Text(rec, "aaz220");
    out->src_key = key;
    std::string aac001 = Text(rec, "aac001");
    if (!Required(out, key, "aaz220") || !Required(out, aac001, "aac001 个人编号")) return;
    std::string type, status;
    if (!Code(ctx, out, "benefit_type", Field(rec, "aaa036"), "aaa036 待遇类别", &type)) return;
    int64_t period = 0, amount = 0;
    if (!Period(ctx, out, Field(rec, "aae002"), "aae002 发放年月", &period)) return;
    if (!Amount(ctx, out, Field(rec, "aae019"), "aae019 金额", true, &amount)) return;
    if (!Code(ctx, out, "payment_status", Field(rec, "aae117"), "aae117 发放标志", &status)) {
      return;
    }
    StdRow r = PersonLinked(TableId::kBenefitPayment, key, deleted, aac001);
    r.cols = {int64_t{0}, "", type, period, amount, status, "shebao", ""};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }
};

}  // namespace

const DialectMapper* ShebaoDialect() {
  static const ShebaoMapper m;
  return &m;
}

}  // namespace hrss::datacenter
