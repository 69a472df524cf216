// 居保 (urban and rural residents' pension): GBK CSV drops cbry/jfmx/dyff.
#include <algorithm>
#include <cstdio>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {
namespace {

// Yearly 政府补贴 (yuan) for a 档次, Sichuan-style.
int Subsidy(int level) {
  if (level <= 100) return 40;
  if (level <= 300) return 50;
  if (level <= 500) return 60;
  if (level < 1000) return 70;
  if (level < 2000) return 80;
  return 100;
}

std::string Gender(bool male, Rng& rng, Ledger& ledger) {
  if (rng.Chance(kRates.gender_codes)) {
    ledger.Count(Dirt::kGenderCodes);
    switch (rng.Below(3)) {
      case 0: return male ? "1" : "2";
      case 1: return "";
      default: return male ? "1" : "2";
    }
  }
  return male ? "男" : "女";
}

}  // namespace

Status GenerateJubao(const SimContext& ctx, Ledger* ledger) {
  const Population& pop = *ctx.pop;
  Ledger& L = *ledger;
  L.persons_seen.assign(pop.residents.size(), 0);
  L.units_seen.assign(pop.units.size(), 0);
  const auto gbk = ingest::Encoding::kGbk;
  DayCsv cbry(ctx.out_dir, "jubao", "cbry",
              {"个人编号", "姓名", "性别", "身份证号", "出生日期", "乡镇", "村组", "参保状态", "参保日期", "联系电话", "操作"},
              gbk, false, "GBK", ctx.days);
  DayCsv jfmx(ctx.out_dir, "jubao", "jfmx",
              {"流水号", "个人编号", "身份证号", "缴费年度", "缴费档次", "个人缴费", "政府补贴", "集体补助", "到账日期", "操作"},
              gbk, false, "GBK", ctx.days);
  DayCsv dyff(ctx.out_dir, "jubao", "dyff",
              {"流水号", "个人编号", "身份证号", "发放年月", "基础养老金", "个人账户养老金", "发放金额", "发放状态", "操作"},
              gbk, false, "GBK", ctx.days);
  HRSS_RETURN_IF_ERROR(cbry.Open());
  HRSS_RETURN_IF_ERROR(jfmx.Open());
  HRSS_RETURN_IF_ERROR(dyff.Open());

  const int first = pop.preset.first_month, last = pop.preset.last_month;
  int64_t jf_serial = 0, ff_serial = 0;
  std::vector<std::string> row;
  int64_t members = 0;
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    const Resident& r = pop.residents[i];
    if (!(r.systems & kInJubao)) continue;
    Rng rng = Rng::Stream(pop.seed, Tag("jubao.person"), i);
    char key[32];
    std::snprintf(key, sizeof key, "JB%010llu", static_cast<unsigned long long>(1000000000ULL + i));
    const bool conflict = r.birth_conflict_in == kInJubao;
    const int day = r.jubao_from / 100 == last ? ctx.LaterDay(rng) : 1;
    Fatal fatal = conflict ? Fatal::kNone : PickFatal(rng, true, true, false);
    std::string name = ctx.NameVariantIn(i, kInJubao) ? NameVariant(r.name) : r.name;
    if (name != r.name) L.Count(Dirt::kNameVariant);
    int birth = conflict ? ConflictingBirth(r.birth, rng.Next()) : r.birth;
    if (conflict) {
      L.Count(Dirt::kBirthConflict);
      ++L.birth_conflicts;
    }
    const Township& town = pop.townships[r.township];
    std::string town_name = town.name;
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      town_name.clear();
    }
    int group = rng.Range(1, 12);
    static const char* const kVillages[] = {"新民村", "团结村", "石河村", "金竹村", "白鹤村", "永安村", "和平村", "龙井村", "双河村", "桂花村"};
    std::string village = std::string(kVillages[rng.Below(std::size(kVillages))]) + std::to_string(group) + "组";
    std::string status = r.death_month ? "终止" : rng.Chance(0.03) ? "暂停" : "正常缴费";
    std::string phone = Phone(rng.Next());
    std::string gender = Gender(r.male, rng, L);
    std::string enrol = fatal == Fatal::kBadDate ? BadDate(r.jubao_from, rng) : FormatDate(r.jubao_from, DateFormat::kIso);
    row = {key, WriteName(name, rng, L), gender, WriteId(r.id_view(), rng, L, fatal == Fatal::kIdChecksum),
           WriteDate(birth, DateFormat::kIso, rng, L), town_name, village, status, enrol, phone, "I"};
    HRSS_RETURN_IF_ERROR(cbry.Write(day, row));
    L.Quarantined(fatal);
    if (fatal == Fatal::kNone) {
      L.persons_seen[i] = 1;
      if (rng.Chance(kRates.duplicate)) {
        L.Count(Dirt::kDuplicate);
        HRSS_RETURN_IF_ERROR(cbry.Write(day, row));
      }
      if (day < ctx.days && rng.Chance(kRates.late_update * 2)) {
        L.Count(Dirt::kLateUpdate);
        row[9] = Phone(rng.Next());
        if (!r.death_month && rng.Chance(0.3)) row[7] = "暂停";
        row[10] = "U";
        HRSS_RETURN_IF_ERROR(cbry.Write(ctx.DayAfter(day, rng), row));
      } else if (!conflict && day < ctx.days && rng.Chance(kRates.deletion)) {
        L.Count(Dirt::kDeletion);
        row[10] = "D";
        HRSS_RETURN_IF_ERROR(cbry.Write(ctx.days, row));
      }
    }

    // Yearly contributions while 16..59.
    const int from_year = r.jubao_from / 10000;
    const int jf_first_year = (first % 100 == 1 ? first / 100 : first / 100 + 1);
    for (int y = std::max(from_year, jf_first_year); y <= last / 100; ++y) {
      int age = r.AgeInYear(y);
      if (age < 16 || age >= 60) continue;
      if (r.death_month && r.death_month <= y * 100 + 6) break;
      if (!rng.Chance(0.85)) continue;
      int level = r.jubao_level;
      int paid = y * 10000 + rng.Range(1, 6) * 100 + rng.Range(1, 28);
      if (paid < r.jubao_from) paid = r.jubao_from;
      int jday = day;
      if (y == last / 100 && jday == 1 && rng.Chance(0.01)) jday = ctx.LaterDay(rng);
      Fatal f = PickFatal(rng, true, true, true);
      char serial[48];
      std::snprintf(serial, sizeof serial, "JF%04d%08lld", y, static_cast<long long>(++jf_serial));
      int64_t collective = rng.Chance(0.05) ? rng.Range(5, 20) * 1000 : 0;
      std::string personal = f == Fatal::kBadAmount ? BadAmount(level * 100LL, rng) : WriteMoney(level * 100LL, rng, L);
      row = {serial, key, WriteId(r.id_view(), rng, L, f == Fatal::kIdChecksum), std::to_string(y),
             std::to_string(level), personal, Money(Subsidy(level) * 100LL), Money(collective),
             f == Fatal::kBadDate ? BadDate(paid, rng) : FormatDate(paid, DateFormat::kIso), "I"};
      HRSS_RETURN_IF_ERROR(jfmx.Write(jday, row));
      L.Quarantined(f);
      if (f != Fatal::kNone) continue;
      if (rng.Chance(kRates.duplicate)) {
        L.Count(Dirt::kDuplicate);
        HRSS_RETURN_IF_ERROR(jfmx.Write(jday, row));
      }
      if (jday < ctx.days && rng.Chance(kRates.late_update)) {
        L.Count(Dirt::kLateUpdate);
        row[7] = Money(collective + 5000);
        row[9] = "U";
        HRSS_RETURN_IF_ERROR(jfmx.Write(ctx.DayAfter(jday, rng), row));
      } else if (jday < ctx.days && rng.Chance(kRates.deletion)) {
        L.Count(Dirt::kDeletion);
        row[9] = "D";
        HRSS_RETURN_IF_ERROR(jfmx.Write(ctx.days, row));
      }
    }

    // Monthly pension from the month after turning 60.
    int start = std::max({first, YyyymmOf(MonthIndex(r.MonthAtAge(60)) + 1), r.jubao_from / 100});
    int end = r.death_month ? YyyymmOf(MonthIndex(r.death_month) - 1) : last;
    end = std::min(end, last);
    int64_t account_fen = rng.Range(500, 8000);
    for (int mi = MonthIndex(start); mi <= MonthIndex(end); ++mi) {
      int ym = YyyymmOf(mi);
      int y = ym / 100;
      int64_t basic = (95 + 4 * (y - 2016) + (r.AgeInYear(y) >= 80 ? 20 : 0)) * 100LL;
      int64_t total = basic + account_fen;
      int fday = day;
      if (ym == last && fday == 1 && rng.Chance(0.05)) fday = 2;
      Fatal f = PickFatal(rng, true, false, true);
      char serial[48];
      std::snprintf(serial, sizeof serial, "FF%06d%08lld", ym, static_cast<long long>(++ff_serial));
      std::string month_text = std::to_string(ym);
      if (rng.Chance(kRates.date_formats)) {
        L.Count(Dirt::kDateFormats);
        month_text = month_text.substr(0, 4) + "-" + month_text.substr(4);
      }
      double u = rng.Unit();
      const char* st = u < 0.985 ? "已发放" : u < 0.995 ? "暂停" : "退回";
      row = {serial, key, WriteId(r.id_view(), rng, L, f == Fatal::kIdChecksum), month_text, Money(basic),
             Money(account_fen), f == Fatal::kBadAmount ? BadAmount(total, rng) : WriteMoney(total, rng, L), st, "I"};
      HRSS_RETURN_IF_ERROR(dyff.Write(fday, row));
      L.Quarantined(f);
      if (f != Fatal::kNone) continue;
      if (rng.Chance(kRates.duplicate / 3)) {
        L.Count(Dirt::kDuplicate);
        HRSS_RETURN_IF_ERROR(dyff.Write(fday, row));
      }
      if (fday < ctx.days && std::string_view(st) == "退回") {
        L.Count(Dirt::kLateUpdate);
        row[7] = "已发放";
        row[8] = "U";
        HRSS_RETURN_IF_ERROR(dyff.Write(ctx.DayAfter(fday, rng), row));
      } else if (fday < ctx.days && rng.Chance(kRates.deletion / 4)) {
        L.Count(Dirt::kDeletion);
        row[8] = "D";
        HRSS_RETURN_IF_ERROR(dyff.Write(ctx.days, row));
      }
    }
    if (++members % 100000 == 0) ctx.Progress("jubao", "rows", cbry.rows() + jfmx.rows() + dyff.rows());
  }
  HRSS_RETURN_IF_ERROR(cbry.Close(L));
  HRSS_RETURN_IF_ERROR(jfmx.Close(L));
  HRSS_RETURN_IF_ERROR(dyff.Close(L));
  return Status::Ok();
}

}  // namespace hrss::sim
