// 社保 (shebao): the 金保工程 relational source (tables ab01 单位, ac01 人员,
// ac02 参保, ac43 缴费明细, ab07 单位欠费, ac84 待遇发放, ae10 业务经办日志),
// pulled by aae036.
// aae100 = '0' is a logical deletion. Persons are referenced by aac001 and
// resolved through dc_person_source (src_key = aac001).
#include "modules/datacenter/dialect_common.h"
#include "modules/datacenter/dictionary.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

class ShebaoMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "shebao"; }
  std::string StreamKind(std::string_view name) const override {
    for (const char* k : {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84", "ae10"}) {
      if (name == k) return k;
    }
    return {};
  }
  int KindRank(std::string_view kind) const override {
    static const char* order[] = {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84", "ae10"};
    for (int i = 0; i < 7; ++i) {
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
    if (kind == "ae10") return Business(rec, deleted, ctx, out);
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

  // "YYYYMMDDHHMMSS" → "YYYY-MM-DD HH:MM:SS" (BAD_DATE when not a real
  // date and time); empty allowed when !required.
  static bool DateTime(const MapContext& ctx, MappedRecord* out, std::string_view raw,
                       std::string_view label, bool required, std::string* text) {
    std::string v = ingest::CleanText(raw);
    if (v.empty()) {
      text->clear();
      return required ? Fail(out, "MISSING_FIELD", label) : true;
    }
    std::string date;
    bool digits = v.size() == 14 && std::all_of(v.begin(), v.end(), [](char c) {
                    return c >= '0' && c <= '9';
                  });
    if (!digits || v.substr(8, 2) > "23" || v.substr(10, 2) > "59" || v.substr(12, 2) > "59") {
      if (ctx.quality) ctx.quality->Check("validity.date", false);
      return Fail(out, "BAD_DATE", std::string(label) + "「" + v + "」");
    }
    if (!Date(ctx, out, v.substr(0, 8), label, true, &date)) return false;
    *text = date + " " + v.substr(8, 2) + ":" + v.substr(10, 2) + ":" + v.substr(12, 2);
    return true;
  }

  // Minutes between two "YYYY-MM-DD HH:MM:SS" of the same or later days.
  static int64_t Minutes(const std::string& from, const std::string& to) {
    auto at = [](const std::string& t) {
      int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(5, 2)), d = std::stoi(t.substr(8, 2));
      y -= m <= 2;
      const int64_t era = (y >= 0 ? y : y - 399) / 400;
      const int64_t yoe = y - era * 400;
      const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
      const int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
      return days * 1440 + std::stoi(t.substr(11, 2)) * 60 + std::stoi(t.substr(14, 2));
    };
    return std::max<int64_t>(0, at(to) - at(from));
  }

  // ae10 业务经办日志 → dc_business_record. The item code goes through the
  // code map (business_item: unknown → UNKNOWN_CODE, fixable on the code map
  // page); category, domain and name come from the standard item.
  void Business(const ingest::Record& rec, bool deleted, const MapContext& ctx,
                MappedRecord* out) const {
    std::string key = Text(rec, "aaz002");
    out->src_key = key;
    std::string outlet = Text(rec, "aab034");
    if (!Required(out, key, "aaz002 日志ID") || !Required(out, outlet, "aab034 经办机构")) return;
    std::string item_std, channel, status, accepted, finished, id;
    if (!Code(ctx, out, "business_item", Field(rec, "aaa121"), "aaa121 业务事项", &item_std)) {
      return;
    }
    const BusinessItemDef* item = FindBusinessItem(item_std);
    if (item == nullptr) {
      Fail(out, "UNKNOWN_CODE", "aaa121 业务事项映射到了未知的标准事项「" + item_std + "」");
      return;
    }
    if (!Code(ctx, out, "channel", Field(rec, "aae314"), "aae314 受理渠道", &channel)) return;
    if (!Code(ctx, out, "business_status", Field(rec, "aae115"), "aae115 办理状态", &status)) {
      return;
    }
    if (!DateTime(ctx, out, Field(rec, "aae040"), "aae040 受理时间", true, &accepted)) return;
    if (!DateTime(ctx, out, Field(rec, "aae043"), "aae043 办结时间", false, &finished)) return;
    if (!Id(ctx, out, Field(rec, "aac002"), "aac002 身份证号", false, &id)) return;
    std::string aac001 = Text(rec, "aac001");
    std::string division = Township(ctx, Text(rec, "aab301"));
    int64_t minutes = finished.empty() ? 0 : Minutes(accepted, finished);
    StdRow r;
    r.table = TableId::kBusinessRecord;
    r.src_key = key;
    r.deleted = deleted;
    if (!aac001.empty()) {
      r.person_src_key = aac001;
    } else {
      r.id_number = id;
    }
    r.cols = {int64_t{0},
              id,
              outlet,
              Text(rec, "aab035"),
              std::string(item->code),
              std::string(item->name),
              std::string(item->category),
              channel,
              Text(rec, "aae011"),
              Text(rec, "aae012"),
              status,
              accepted,
              finished,
              minutes,
              int64_t{Text(rec, "aae160") == "1" ? 1 : 0},
              std::string(item->domain),
              division};
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
