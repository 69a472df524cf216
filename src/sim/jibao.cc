// 机保 (organs and institutions' pension): personnel XLSX and GB18030
// contribution CSV drops.
#include <cstdio>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {

Status GenerateJibao(const SimContext& ctx, Ledger* ledger) {
  const Population& pop = *ctx.pop;
  Ledger& L = *ledger;
  L.persons_seen.assign(pop.residents.size(), 0);
  L.units_seen.assign(pop.units.size(), 0);
  const int first = pop.preset.first_month, last = pop.preset.last_month;
  using Row = std::vector<ingest::XlsxCell>;
  std::vector<std::vector<Row>> sheets(static_cast<size_t>(ctx.days));
  const Row header = {{"序号"}, {"单位统一社会信用代码"}, {"单位名称"}, {"姓名"}, {"身份证号码"}, {"性别"},
                      {"出生年月"}, {"岗位"}, {"缴费工资"}, {"进入日期"}, {"变动类型"}};
  for (auto& s : sheets) s.push_back(header);
  DayCsv contrib(ctx.out_dir, "jibao", "contrib", {"单位统一社会信用代码", "身份证号码", "所属期", "缴费基数", "个人缴纳", "单位缴纳", "操作"},
                 ingest::Encoding::kGb18030, false, "GB18030", ctx.days);
  HRSS_RETURN_IF_ERROR(contrib.Open());
  static const char* const kPosts[] = {"科员", "副主任科员", "主任科员", "副科长", "科长", "教师", "一级教师",
                                       "高级教师", "医师", "主治医师", "护士", "护师", "会计", "工勤人员", "办事员"};
  std::vector<std::string> row;
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    const Resident& r = pop.residents[i];
    if (!(r.systems & kInJibao)) continue;
    Rng rng = Rng::Stream(pop.seed, Tag("jibao.person"), i);
    const Unit& unit = pop.units[static_cast<size_t>(r.jibao_unit)];
    L.units_seen[static_cast<size_t>(r.jibao_unit)] = 1;
    const int entry_month = r.jibao_entry / 100;
    const int day = entry_month == last ? ctx.LaterDay(rng) : 1;
    Fatal fatal = PickFatal(rng, true, false, false);
    std::string name = ctx.NameVariantIn(i, kInJibao) ? NameVariant(r.name) : r.name;
    if (name != r.name) L.Count(Dirt::kNameVariant);
    // One written form of the ID for all rows of the person: it is part of the source key.
    std::string id = WriteId(r.id_view(), rng, L, fatal == Fatal::kIdChecksum);
    std::string gender = r.male ? "男" : "女";
    if (rng.Chance(kRates.gender_codes)) {
      L.Count(Dirt::kGenderCodes);
      gender = rng.Chance(0.5) ? (r.male ? "男性" : "女性") : (r.male ? "1" : "2");
    }
    char born[32];
    if (rng.Chance(0.5)) {
      std::snprintf(born, sizeof born, "%04d.%02d", r.birth / 10000, r.birth / 100 % 100);
    } else {
      std::snprintf(born, sizeof born, "%d年%d月", r.birth / 10000, r.birth / 100 % 100);
    }
    ingest::XlsxCell entry;
    if (rng.Chance(0.7)) {
      entry = {std::to_string(ExcelSerial(r.jibao_entry)), true};
    } else {
      entry = {WriteDate(r.jibao_entry, DateFormat::kIso, rng, L), false};
    }
    int salary = r.jibao_salary;
    auto sheet_row = [&](int d, const char* change, int pay) {
      auto& sheet = sheets[static_cast<size_t>(d - 1)];
      sheet.push_back({{std::to_string(sheet.size()), true}, {unit.credit_code}, {unit.name}, {WriteName(name, rng, L)},
                       {id}, {gender}, {born}, {kPosts[i % std::size(kPosts)]}, {std::to_string(pay), true}, entry,
                       {change}});
    };
    sheet_row(day, "新增", salary);
    L.Quarantined(fatal);
    if (fatal == Fatal::kNone) L.persons_seen[i] = 1;
    bool leaves = r.death_month != 0 && fatal == Fatal::kNone;
    const std::string contrib_id = fatal == Fatal::kNone ? id : std::string(r.id_view());
    if (fatal == Fatal::kNone && day < ctx.days) {
      if (rng.Chance(kRates.late_update * 3)) {
        L.Count(Dirt::kLateUpdate);
        sheet_row(ctx.DayAfter(day, rng), "变更", salary + rng.Range(2, 10) * 100);
      } else if (!leaves && rng.Chance(kRates.deletion * 3)) {
        L.Count(Dirt::kDeletion);
        sheet_row(ctx.days, "减少", salary);
      }
    }
    if (leaves) {
      L.Count(Dirt::kDeletion);
      sheet_row(day, "减少", salary);
    }

    // Monthly contributions from entry.
    int end = r.death_month ? std::min(last, YyyymmOf(MonthIndex(r.death_month) - 1)) : last;
    for (int mi = MonthIndex(std::max(first, entry_month)); mi <= MonthIndex(end); ++mi) {
      int ym = YyyymmOf(mi);
      int64_t base = static_cast<int64_t>(salary) * 100;
      for (int y = entry_month / 100; y < ym / 100; ++y) base = base * 104 / 100;
      base = base / 100 * 100;
      int cday = ym == last && day == 1 && rng.Chance(0.03) ? 2 : day;
      Fatal f = PickFatal(rng, true, true, true);
      std::string period = std::to_string(ym);
      if (f == Fatal::kBadDate) period = std::to_string(ym / 100) + "13";
      row = {unit.credit_code, f == Fatal::kIdChecksum ? WriteId(r.id_view(), rng, L, true) : contrib_id, period,
             f == Fatal::kBadAmount ? BadAmount(base, rng) : Money(base), Money(base * 8 / 100), Money(base * 16 / 100), "I"};
      HRSS_RETURN_IF_ERROR(contrib.Write(cday, row));
      L.Quarantined(f);
      if (f != Fatal::kNone) continue;
      if (rng.Chance(kRates.duplicate)) {
        L.Count(Dirt::kDuplicate);
        HRSS_RETURN_IF_ERROR(contrib.Write(cday, row));
      }
      if (cday < ctx.days && rng.Chance(kRates.late_update / 4)) {
        L.Count(Dirt::kLateUpdate);
        int64_t fixed = base + 10000;
        row[3] = Money(fixed);
        row[4] = Money(fixed * 8 / 100);
        row[5] = Money(fixed * 16 / 100);
        row[6] = "U";
        HRSS_RETURN_IF_ERROR(contrib.Write(ctx.DayAfter(cday, rng), row));
      } else if (cday < ctx.days && rng.Chance(kRates.deletion / 2)) {
        L.Count(Dirt::kDeletion);
        row[6] = "D";
        HRSS_RETURN_IF_ERROR(contrib.Write(ctx.days, row));
      }
    }
  }
  int64_t personnel = 0;
  for (int d = 1; d <= ctx.days; ++d) {
    char name[64];
    std::snprintf(name, sizeof name, "jibao/personnel_d%02d.xlsx", d);
    const auto& sheet = sheets[static_cast<size_t>(d - 1)];
    HRSS_RETURN_IF_ERROR(ingest::WriteXlsx(ctx.out_dir + "/" + name, "在编人员", sheet));
    L.files.push_back({name, "XLSX", static_cast<int64_t>(sheet.size()) - 1});
    personnel += static_cast<int64_t>(sheet.size()) - 1;
  }
  L.AddTable("personnel", personnel);
  return contrib.Close(L);
}

}  // namespace hrss::sim
