// 劳动监察 (jiancha): cases_dNN.csv (UTF-8 with BOM) → dc_case. 仲裁 cases are
// kind "arbitration", the rest "inspection". The complainant's ID, when
// given, links the case to the person.
#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

class JianchaMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "jiancha"; }
  std::string StreamKind(std::string_view name) const override {
    return name.rfind("cases", 0) == 0 ? "cases" : "";
  }
  int KindRank(std::string_view) const override { return 0; }

  void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
           const MapContext& ctx, MappedRecord* out) const override {
    (void)kind;
    std::string no = Text(rec, "案件编号");
    out->src_key = no;
    if (!Required(out, no, "案件编号")) return;
    std::string type, status, id, received, filed, closed;
    if (!Code(ctx, out, "case_type", Field(rec, "案件类型"), "案件类型", &type)) return;
    if (!Code(ctx, out, "case_status", Field(rec, "状态"), "状态", &status)) return;
    if (!Id(ctx, out, Field(rec, "投诉人身份证号"), "投诉人身份证号", false, &id)) return;
    std::string credit = Text(rec, "统一社会信用代码");
    if (!credit.empty()) {
      bool check_ok = true;
      auto c = ingest::NormalizeCredit(credit, &check_ok);
      if (!c.ok()) {
        Fail(out, "CREDIT_FORMAT", "统一社会信用代码「" + credit + "」");
        return;
      }
      credit = std::move(c).value();
    }
    int64_t amount = 0, workers = 0;
    if (!Amount(ctx, out, Field(rec, "涉及金额"), "涉及金额", false, &amount)) return;
    if (!Integer(out, Field(rec, "涉及人数"), "涉及人数", &workers)) return;
    if (!Date(ctx, out, Field(rec, "登记日期"), "登记日期", true, &received)) return;
    if (!Date(ctx, out, Field(rec, "立案日期"), "立案日期", false, &filed)) return;
    if (!Date(ctx, out, Field(rec, "结案日期"), "结案日期", false, &closed)) return;
    std::string division = Township(ctx, Field(rec, "所属乡镇"));
    std::string cause = Text(rec, "案由");
    if (cause.size() > 250) {  // at most 250 bytes, cut at a character boundary
      size_t cut = 250;
      while (cut > 0 && (static_cast<unsigned char>(cause[cut]) & 0xC0) == 0x80) --cut;
      cause.resize(cut);
    }
    StdRow r;
    r.table = TableId::kCase;
    r.src_key = no;
    r.deleted = op == "delete";
    r.id_number = id;
    r.cols = {type == "arbitration" ? "arbitration" : "inspection",
              no,
              type,
              credit,
              Text(rec, "被投诉单位"),
              int64_t{0},
              id,
              cause,
              amount,
              workers,
              status,
              received,
              filed,
              closed,
              std::string(Field(rec, "附件")),
              "jiancha",
              division};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }
};

}  // namespace

const DialectMapper* JianchaDialect() {
  static const JianchaMapper m;
  return &m;
}

const DialectMapper* JubaoDialect();
const DialectMapper* ShebaoDialect();
const DialectMapper* JibaoDialect();
const DialectMapper* JiuyeDialect();

const DialectMapper* FindMapper(std::string_view dialect) {
  if (dialect == "jubao") return JubaoDialect();
  if (dialect == "shebao") return ShebaoDialect();
  if (dialect == "jibao") return JibaoDialect();
  if (dialect == "jiuye") return JiuyeDialect();
  if (dialect == "jiancha") return JianchaDialect();
  return nullptr;
}

}  // namespace hrss::datacenter

