// 就业 (jiuye): the paginated HTTP JSON API (persons, units, events) or its
// JSONL backing data. Every item has id, updated_at (ms) and deleted.
#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter {
namespace {

using namespace dialect;

class JiuyeMapper final : public DialectMapper {
 public:
  std::string_view system() const override { return "jiuye"; }
  std::string StreamKind(std::string_view name) const override {
    // "/api/v1/persons", "persons.jsonl", "persons_d01.jsonl", "persons"
    for (const char* k : {"units", "persons", "events"}) {
      std::string_view n = name;
      size_t slash = n.rfind('/');
      if (slash != std::string_view::npos) n = n.substr(slash + 1);
      if (n.rfind(k, 0) == 0) return k;
    }
    return {};
  }
  int KindRank(std::string_view kind) const override {
    return kind == "units" ? 0 : kind == "persons" ? 1 : 2;
  }

  void Map(std::string_view kind, const ingest::Record& rec, std::string_view op,
           const MapContext& ctx, MappedRecord* out) const override {
    std::string key = Text(rec, "id");
    out->src_key = key;
    if (!Required(out, key, "id")) return;
    std::string del = Text(rec, "deleted");
    bool deleted = op == "delete" || del == "true" || del == "1";
    int64_t updated = 0;
    if (!Integer(out, Text(rec, "updated_at"), "updated_at", &updated)) return;
    out->change_ms = updated;
    CheckLag(ctx, updated);
    if (kind == "units") return Unit(rec, key, deleted, ctx, out);
    if (kind == "persons") return Person(rec, key, deleted, ctx, out);
    return Event(rec, key, deleted, ctx, out);
  }

 private:
  void Unit(const ingest::Record& rec, const std::string& key, bool deleted,
            const MapContext& ctx, MappedRecord* out) const {
    (void)ctx;
    UnitFacts u;
    std::string credit = Text(rec, "tyshxydm");
    if (!Required(out, credit, "tyshxydm 统一社会信用代码")) return;
    bool check_ok = true;
    auto c = ingest::NormalizeCredit(credit, &check_ok);
    if (!c.ok()) {
      Fail(out, "CREDIT_FORMAT", "tyshxydm「" + credit + "」");
      return;
    }
    u.credit_code = std::move(c).value();
    u.name = Text(rec, "dwmc");
    if (!Required(out, u.name, "dwmc 单位名称")) return;
    u.industry = Text(rec, "hy").substr(0, 4);
    std::string div = Text(rec, "xzqh");
    if (!div.empty()) {
      auto d = ingest::NormalizeDivision(div);
      if (d.ok()) u.division_code = std::move(d).value();
    }
    StdRow r;
    r.table = TableId::kUnitSource;
    r.src_key = key;
    r.deleted = deleted;
    r.cols = {int64_t{0}, u.credit_code, "", u.name, "", u.industry, u.division_code};
    FinishRow(r);
    r.unit = std::make_shared<UnitFacts>(std::move(u));
    out->rows.push_back(std::move(r));
  }

  void Person(const ingest::Record& rec, const std::string& key, bool deleted,
              const MapContext& ctx, MappedRecord* out) const {
    std::string id;
    std::string_view raw_id = Field(rec, "sfzh");
    if (!Id(ctx, out, raw_id, "sfzh 身份证号", true, &id)) return;
    PersonFacts f;
    auto name = ingest::NormalizeName(Field(rec, "xm"));
    if (!name.ok()) {
      Fail(out, ReasonCodeOf(name.status()) == "NAME_EMPTY" ? "MISSING_FIELD" : "NAME_FORMAT",
           "xm 姓名");
      return;
    }
    f.name = std::move(name).value();
    if (!Gender(ctx, out, Field(rec, "xb"), id, &f.gender)) return;
    if (!Date(ctx, out, Field(rec, "csrq"), "csrq 出生日期", false, &f.birth_date)) return;
    if (f.birth_date.empty()) f.birth_date = IdBirth(id);
    CheckBirth(ctx, id, f.birth_date);
    f.division_code = Township(ctx, Text(rec, "xzqh"));
    std::string mobile;
    f.mobile_enc = Mobile(ctx, Field(rec, "sjhm"), &mobile);
    out->rows.push_back(PersonRow(key, deleted, id, raw_id, std::move(f), mobile, key));
  }

  void Event(const ingest::Record& rec, const std::string& key, bool deleted,
             const MapContext& ctx, MappedRecord* out) const {
    std::string id, type, date;
    if (!Id(ctx, out, Field(rec, "sfzh"), "sfzh 身份证号", true, &id)) return;
    if (!Code(ctx, out, "employment_event_type", Field(rec, "lx"), "lx 类型", &type)) return;
    if (!Date(ctx, out, Field(rec, "rq"), "rq 日期", true, &date)) return;
    std::string credit = Text(rec, "tyshxydm");
    if (credit == "null") credit.clear();
    if (!credit.empty()) {
      bool check_ok = true;
      auto c = ingest::NormalizeCredit(credit, &check_ok);
      if (!c.ok()) {
        Fail(out, "CREDIT_FORMAT", "tyshxydm「" + credit + "」");
        return;
      }
      credit = std::move(c).value();
    }
    int64_t amount = 0;
    if (!Amount(ctx, out, Field(rec, "je"), "je 金额", false, &amount)) return;
    StdRow r;
    r.table = TableId::kEmploymentEvent;
    r.src_key = key;
    r.deleted = deleted;
    r.id_number = id;
    r.cols = {int64_t{0}, id, type, date, credit, amount, "jiuye", ""};
    FinishRow(r);
    out->rows.push_back(std::move(r));
  }
};

}  // namespace

const DialectMapper* JiuyeDialect() {
  static const JiuyeMapper m;
  return &m;
}

}  // namespace hrss::datacenter
