// 居保 (jubao): GBK CSV drops cbry_dNN (参保人员), jfmx_dNN (缴费明细),
// dyff_dNN (待遇发放); docs/datacenter/sources.md. Yearly contributions get
// the standard period YYYY01.
#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

bool Operation(MappedRecord* out, std::string_view raw, bool* deleted) {
  std::string op = ingest::CleanText(raw);
  if (op.empty() || op == "I" || op == "U" || op == "i" || op == "u") {
    *deleted = false;
    return true;
  }
  if (op == "D" || op == "d") {
    *deleted = true;
    return true;
  }
  return Fail(out, "BAD_OPERATION", "操作「" + op + "」（应为 I/U/D）");
}

class JubaoMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "jubao"; }
  std::string StreamKind(std::string_view name) const override {
    for (const char* k : {"cbry", "jfmx", "dyff"}) {
      if (name.rfind(k, 0) == 0) return k;
    }
    return {};
  }
  int KindRank(std::string_view kind) const override {
    return kind == "cbry" ? 0 : kind == "jfmx" ? 1 : 2;
  }

  void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
           const MapContext& ctx, MappedRecord* out) const override {
    bool deleted = op == "delete";
    if (op.empty() && !Operation(out, Field(rec, "操作"), &deleted)) return;
    if (kind == "cbry") return Person(rec, deleted, ctx, out);
    if (kind == "jfmx") return Contribution(rec, deleted, ctx, out);
    return Payment(rec, deleted, ctx, out);
  }

 private:
  void Person(const ingest::Record& rec, bool deleted, const MapContext& ctx,
              MappedRecord* out) const {
    std::string key = Text(rec, "个人编号");
    out->src_key = key;
    if (!Required(out, key, "个人编号")) return;
    std::string id, birth, status, start;
    std::string_view raw_id = Field(rec, "身份证号");
    if (!Id(ctx, out, raw_id, "身份证号", true, &id)) return;
    PersonFacts f;
    auto name = ingest::NormalizeName(Field(rec, "姓名"));
    if (!name.ok()) {
      Fail(out, ReasonCodeOf(name.status()) == "NAME_EMPTY" ? "MISSING_FIELD" : "NAME_FORMAT",
           "姓名");
      return;
    }
    f.name = std::move(name).value();
    if (!Gender(ctx, out, Field(rec, "性别"), id, &f.gender)) return;
    if (!Date(ctx, out, Field(rec, "出生日期"), "出生日期", false, &birth)) return;
    if (birth.empty()) birth = IdBirth(id);
    CheckBirth(ctx, id, birth);
    f.birth_date = birth;
    if (!Code(ctx, out, "enrolment_status", Field(rec, "参保状态"), "参保状态", &status)) return;
    if (!Date(ctx, out, Field(rec, "参保日期"), "参保日期", false, &start)) return;
    f.division_code = Township(ctx, Field(rec, "乡镇"));
    std::string mobile;
    f.mobile_enc = Mobile(ctx, Field(rec, "联系电话"), &mobile);
    std::string division = f.division_code;
    out->rows.push_back(PersonRow(key, deleted, id, raw_id, std::move(f), mobile, key));
    StdRow e;
    e.table = TableId::kEnrolment;
    e.src_key = key;
    e.deleted = deleted;
    e.id_number = id;
    e.cols = {int64_t{0}, id, "", "170", status, start, "", "jubao", ""};
    FinishRow(e);
    out->rows.push_back(std::move(e));
  }

  void Contribution(const ingest::Record& rec, bool deleted, const MapContext& ctx,
                    MappedRecord* out) const {
    std::string key = Text(rec, "流水号");
    out->src_key = key;
    if (!Required(out, key, "流水号")) return;
    std::string id;
    if (!Id(ctx, out, Field(rec, "身份证号"), "身份证号", true, &id)) return;
    std::string year = Text(rec, "缴费年度");
    int64_t y = 0;
    if (!Integer(out, year, "缴费年度", &y)) return;
    if (y < 1990 || y > 2100) {
      Fail(out, "BAD_PERIOD", "缴费年度「" + year + "」");
      return;
    }
    int64_t grade = 0, personal = 0, gov = 0, collective = 0;
    if (!Amount(ctx, out, Field(rec, "缴费档次"), "缴费档次", false, &grade)) return;
    if (!Amount(ctx, out, Field(rec, "个人缴费"), "个人缴费", true, &personal)) return;
    if (!Amount(ctx, out, Field(rec, "政府补贴"), "政府补贴", false, &gov)) return;
    if (!Amount(ctx, out, Field(rec, "集体补助"), "集体补助", false, &collective)) return;
    std::string arrived;
    if (!Date(ctx, out, Field(rec, "到账日期"), "到账日期", false, &arrived)) return;
    StdRow c;
    c.table = TableId::kContribution;
    c.src_key = key;
    c.deleted = deleted;
    c.id_number = id;
    c.cols = {int64_t{0}, id,         "",         "170", y * 100 + 1,
              grade,      personal,   int64_t{0}, gov + collective,
              arrived.empty() ? "due" : "paid",   "jubao", ""};
    FinishRow(c);
    out->rows.push_back(std::move(c));
  }

  void Payment(const ingest::Record& rec, bool deleted, const MapContext& ctx,
               MappedRecord* out) const {
    std::string key = Text(rec, "流水号");
    out->src_key = key;
    if (!Required(out, key, "流水号")) return;
    std::string id, status;
    if (!Id(ctx, out, Field(rec, "身份证号"), "身份证号", true, &id)) return;
    int64_t period = 0, amount = 0;
    if (!Period(ctx, out, Field(rec, "发放年月"), "发放年月", &period)) return;
    if (!Amount(ctx, out, Field(rec, "发放金额"), "发放金额", true, &amount)) return;
    if (!Code(ctx, out, "payment_status", Field(rec, "发放状态"), "发放状态", &status)) return;
    StdRow p;
    p.table = TableId::kBenefitPayment;
    p.src_key = key;
    p.deleted = deleted;
    p.id_number = id;
    p.cols = {int64_t{0}, id, "pension_resident", period, amount, status, "jubao", ""};
    FinishRow(p);
    out->rows.push_back(std::move(p));
  }
};

}  // namespace

const DialectMapper* JubaoDialect() {
  static const JubaoMapper m;
  return &m;
}

}  // namespace hrss::datacenter
