// 就业 (employment services): the backing data of the paginated JSON API,
// one JSON object per line in jiuye/jiuye.jsonl.d/<kind>_dNN.jsonl. A later
// line for the same id is a newer version (the server keeps the latest).
#include <cstdio>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {
namespace {

class DayJsonl {
 public:
  DayJsonl(const SimContext& ctx, std::string kind) : ctx_(ctx), kind_(std::move(kind)) {}
  Status Open() {
    for (int d = 1; d <= ctx_.days; ++d) {
      files_.push_back(std::make_unique<OutFile>());
      rows_.push_back(0);
      HRSS_RETURN_IF_ERROR(files_.back()->Open(ctx_.out_dir + "/" + Rel(d), ingest::Encoding::kUtf8, false));
    }
    return Status::Ok();
  }
  Status Write(int day, const std::string& line) {
    files_[static_cast<size_t>(day - 1)]->Append(line);
    files_[static_cast<size_t>(day - 1)]->Append("\n");
    ++rows_[static_cast<size_t>(day - 1)];
    return files_[static_cast<size_t>(day - 1)]->MaybeFlush();
  }
  Status Close(Ledger& L) {
    int64_t total = 0;
    for (int d = 1; d <= ctx_.days; ++d) {
      HRSS_RETURN_IF_ERROR(files_[static_cast<size_t>(d - 1)]->Close());
      L.files.push_back({Rel(d), "UTF-8", rows_[static_cast<size_t>(d - 1)]});
      total += rows_[static_cast<size_t>(d - 1)];
    }
    L.AddTable(kind_, total);
    return Status::Ok();
  }

 private:
  std::string Rel(int d) const {
    char buf[80];
    std::snprintf(buf, sizeof buf, "jiuye/jiuye.jsonl.d/%s_d%02d.jsonl", kind_.c_str(), d);
    return buf;
  }
  const SimContext& ctx_;
  std::string kind_;
  std::vector<std::unique_ptr<OutFile>> files_;
  std::vector<int64_t> rows_;
};

// Builds {"id":..,"updated_at":..,"deleted":..,<fields>}; values already JSON.
std::string Item(const std::string& id, int64_t updated_at, bool deleted,
                 const std::vector<std::pair<const char*, std::string>>& fields) {
  std::string out = "{\"id\":";
  AppendJsonString(out, id);
  out += ",\"updated_at\":" + std::to_string(updated_at) + ",\"deleted\":" + (deleted ? "true" : "false");
  for (const auto& [k, v] : fields) {
    out += ",\"";
    out += k;
    out += "\":";
    out += v;
  }
  out += '}';
  return out;
}

std::string J(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

struct Event {
  const char* type;
  int date;
  int unit;       // -1 none
  int64_t fen;    // -1 none
};

}  // namespace

Status GenerateJiuye(const SimContext& ctx, Ledger* ledger) {
  const Population& pop = *ctx.pop;
  Ledger& L = *ledger;
  L.persons_seen.assign(pop.residents.size(), 0);
  L.units_seen.assign(pop.units.size(), 0);
  std::vector<uint8_t> unit_day1(pop.units.size(), 0);
  DayJsonl persons(ctx, "persons"), units(ctx, "units"), events(ctx, "events");
  HRSS_RETURN_IF_ERROR(persons.Open());
  HRSS_RETURN_IF_ERROR(units.Open());
  HRSS_RETURN_IF_ERROR(events.Open());
  const int first = pop.preset.first_month, last = pop.preset.last_month;
  const int first_day = first * 100 + 1;
  const int64_t span = DaysOf(last * 100 + DaysInMonth(last / 100, last % 100)) - DaysOf(first_day);
  std::vector<int> enterprises;
  for (size_t u = 0; u < pop.units.size(); ++u) {
    if (pop.units[u].type == 10) enterprises.push_back(static_cast<int>(u));
  }
  auto day_ms = [&](int day, Rng& rng) { return EpochMsShanghai(ctx.DayDate(day), rng.Range(8 * 3600, 18 * 3600)); };
  int64_t event_no = 0;
  std::vector<Event> evs;
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    const Resident& r = pop.residents[i];
    if (!(r.systems & kInJiuye)) continue;
    Rng rng = Rng::Stream(pop.seed, Tag("jiuye.person"), i);
    auto random_date = [&]() { return CivilFromDays(DaysOf(first_day) + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span + 1)))); };
    evs.clear();
    if (r.emp_from) {
      int d = std::max(first, r.emp_from) * 100 + rng.Range(1, 28);
      evs.push_back({"就业登记", d, r.unit, -1});
      if (r.emp_to && !r.retire_month && r.emp_to < last) {
        evs.push_back({"失业登记", YyyymmOf(MonthIndex(r.emp_to) + 1) * 100 + rng.Range(1, 28), -1, -1});
        if (rng.Chance(0.3)) evs.push_back({"补贴", random_date(), -1, rng.Range(5, 30) * 10000LL});
      }
      if (rng.Chance(0.2)) evs.push_back({"职业培训", random_date(), -1, rng.Range(10, 30) * 10000LL});
    } else {
      if (rng.Chance(0.5)) evs.push_back({"失业登记", random_date(), -1, -1});
      if (rng.Chance(0.3)) evs.push_back({"就业困难人员认定", random_date(), -1, -1});
      if (rng.Chance(0.3)) evs.push_back({"职业培训", random_date(), -1, rng.Range(10, 30) * 10000LL});
      if (rng.Chance(0.15)) evs.push_back({"补贴", random_date(), -1, rng.Range(5, 50) * 10000LL});
      if (rng.Chance(0.05)) evs.push_back({"创业担保贷款", random_date(), -1, rng.Range(5, 30) * 1000000LL});
      if (rng.Chance(0.1) && !enterprises.empty()) {
        evs.push_back({"就业见习", random_date(), enterprises[rng.Below(enterprises.size())], rng.Range(15, 30) * 10000LL});
      }
      if (evs.empty()) evs.push_back({"失业登记", random_date(), -1, -1});
    }
    int earliest = evs[0].date;
    for (const Event& e : evs) earliest = std::min(earliest, e.date);
    if (r.death_month && earliest / 100 >= r.death_month) continue;  // never came to the office

    // The person.
    char pid[32];
    std::snprintf(pid, sizeof pid, "P%09zu", i);
    const bool conflict = r.birth_conflict_in == kInJiuye;
    const int pday = earliest / 100 == last && rng.Chance(0.5) ? ctx.LaterDay(rng) : 1;
    Fatal fatal = conflict ? Fatal::kNone : PickFatal(rng, true, false, false);
    std::string name = ctx.NameVariantIn(i, kInJiuye) ? NameVariant(r.name) : r.name;
    if (name != r.name) L.Count(Dirt::kNameVariant);
    int birth = r.birth;
    if (conflict) {
      birth = ConflictingBirth(r.birth, rng.Next());
      L.Count(Dirt::kBirthConflict);
      ++L.birth_conflicts;
    }
    std::string xb = r.male ? "M" : "F";
    if (rng.Chance(kRates.gender_codes)) {
      L.Count(Dirt::kGenderCodes);
      xb = r.male ? "男" : "女";
    }
    double fu = rng.Unit();
    DateFormat bf = fu < 0.6 ? DateFormat::kIso : fu < 0.8 ? DateFormat::kSlash : DateFormat::kCompact;
    if (bf != DateFormat::kIso) L.Count(Dirt::kDateFormats);
    std::string xzqh = J(pop.townships[r.township].code);
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      xzqh = "null";
    }
    std::vector<std::pair<const char*, std::string>> fields = {
        {"sfzh", J(WriteId(r.id_view(), rng, L, fatal == Fatal::kIdChecksum))},
        {"xm", J(WriteName(name, rng, L))},
        {"xb", J(xb)},
        {"csrq", J(FormatDate(birth, bf))},
        {"xzqh", xzqh},
        {"sjhm", J(Phone(rng.Next()))}};
    int64_t updated = pday == 1 ? EpochMsShanghai(earliest, rng.Range(8 * 3600, 18 * 3600)) : day_ms(pday, rng);
    HRSS_RETURN_IF_ERROR(persons.Write(pday, Item(pid, updated, false, fields)));
    L.Quarantined(fatal);
    if (fatal == Fatal::kNone) {
      L.persons_seen[i] = 1;
      if (pday < ctx.days && rng.Chance(kRates.late_update * 2)) {
        L.Count(Dirt::kLateUpdate);
        fields[5].second = J(Phone(rng.Next()));
        int d = ctx.DayAfter(pday, rng);
        HRSS_RETURN_IF_ERROR(persons.Write(d, Item(pid, day_ms(d, rng), false, fields)));
      } else if (!conflict && pday < ctx.days && rng.Chance(kRates.deletion)) {
        L.Count(Dirt::kDeletion);
        HRSS_RETURN_IF_ERROR(persons.Write(ctx.days, Item(pid, day_ms(ctx.days, rng), true, fields)));
      }
    }

    // The events.
    for (const Event& e : evs) {
      if (e.date / 100 > last || (r.death_month && e.date / 100 >= r.death_month)) continue;
      char eid[32];
      std::snprintf(eid, sizeof eid, "E%09lld", static_cast<long long>(++event_no));
      int eday = e.date / 100 == last && pday > 1 ? pday : 1;
      Fatal f = PickFatal(rng, true, true, e.fen >= 0);
      std::string code = "null";
      if (e.unit >= 0) {
        code = J(pop.units[static_cast<size_t>(e.unit)].credit_code);
        L.units_seen[static_cast<size_t>(e.unit)] = 1;
        if (eday == 1) unit_day1[static_cast<size_t>(e.unit)] = 1;
      }
      std::string je = e.fen < 0 ? "null" : J(f == Fatal::kBadAmount ? BadAmount(e.fen, rng) : WriteMoney(e.fen, rng, L));
      std::vector<std::pair<const char*, std::string>> ef = {
          {"sfzh", J(WriteId(r.id_view(), rng, L, f == Fatal::kIdChecksum))},
          {"lx", J(e.type)},
          {"rq", J(f == Fatal::kBadDate ? BadDate(e.date, rng) : FormatDate(e.date, DateFormat::kIso))},
          {"tyshxydm", code},
          {"je", je},
          {"xzqh", J(pop.townships[r.township].code)}};
      int64_t eu = eday == 1 ? EpochMsShanghai(e.date, rng.Range(8 * 3600, 18 * 3600)) : day_ms(eday, rng);
      HRSS_RETURN_IF_ERROR(events.Write(eday, Item(eid, eu, false, ef)));
      L.Quarantined(f);
      if (f != Fatal::kNone || eday >= ctx.days) continue;
      if (rng.Chance(kRates.late_update * 2)) {
        L.Count(Dirt::kLateUpdate);
        if (e.fen >= 0) {
          ef[4].second = J(Money(e.fen + 10000));
        } else {
          ef[2].second = J(FormatDate(CivilFromDays(DaysOf(e.date) + 1), DateFormat::kIso));
        }
        int d = ctx.DayAfter(eday, rng);
        HRSS_RETURN_IF_ERROR(events.Write(d, Item(eid, day_ms(d, rng), false, ef)));
      } else if (rng.Chance(kRates.deletion)) {
        L.Count(Dirt::kDeletion);
        HRSS_RETURN_IF_ERROR(events.Write(ctx.days, Item(eid, day_ms(ctx.days, rng), true, ef)));
      }
    }
  }
  // Units referenced by events (late units first arrive on day 2).
  for (size_t u = 0; u < pop.units.size(); ++u) {
    if (!L.units_seen[u]) continue;
    const Unit& unit = pop.units[u];
    Rng rng = Rng::Stream(pop.seed, Tag("jiuye.unit"), u);
    char uid[32];
    std::snprintf(uid, sizeof uid, "U%08zu", u);
    int day = 1;
    int64_t updated = EpochMsShanghai(CivilFromDays(DaysOf(first_day) - static_cast<int64_t>(rng.Below(2000))),
                                      rng.Range(8 * 3600, 18 * 3600));
    if (unit.late) {
      day = 2;
      updated = day_ms(2, rng);
      if (unit_day1[u]) L.Count(Dirt::kOrphanUnit);
    }
    std::string xzqh = J(pop.townships[static_cast<size_t>(unit.township)].code);
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      xzqh = "null";
    }
    std::vector<std::pair<const char*, std::string>> fields = {
        {"tyshxydm", J(unit.credit_code)}, {"dwmc", J(unit.name)}, {"hy", J(std::string(1, unit.industry))}, {"xzqh", xzqh}};
    HRSS_RETURN_IF_ERROR(units.Write(day, Item(uid, updated, false, fields)));
    if (day < ctx.days && rng.Chance(kRates.late_update * 2)) {
      L.Count(Dirt::kLateUpdate);
      fields[1].second = J(unit.name + "（更名）");
      int d = ctx.DayAfter(day, rng);
      HRSS_RETURN_IF_ERROR(units.Write(d, Item(uid, day_ms(d, rng), false, fields)));
    }
  }
  Rng key_rng = Rng::Stream(pop.seed, Tag("jiuye.api_key"), 0);
  char key[48];
  std::snprintf(key, sizeof key, "jy-%016llx%016llx", static_cast<unsigned long long>(key_rng.Next()),
                static_cast<unsigned long long>(key_rng.Next()));
  L.extra.emplace_back("api_key", key);
  HRSS_RETURN_IF_ERROR(persons.Close(L));
  HRSS_RETURN_IF_ERROR(units.Close(L));
  return events.Close(L);
}

}  // namespace hrss::sim
