#include "sim/simulate.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {

int SimContext::DayDate(int d) const {
  int last = pop->preset.last_month;
  int next = YyyymmOf(MonthIndex(last) + 1);
  return CivilFromDays(DaysOf(next * 100 + 1) + d - 1);
}

std::string SimContext::DayStamp(int d, int seconds) const { return Stamp(DayDate(d), seconds); }

bool SimContext::NameVariantIn(size_t i, uint8_t system) const {
  const Resident& r = pop->residents[i];
  if (__builtin_popcount(r.systems) < 2) return false;
  // At most one system writes the variant, so the other keeps the true name.
  Rng rng = Rng::Stream(pop->seed, Tag("name_variant"), i);
  if (!rng.Chance(kRates.name_variant)) return false;
  uint8_t bits[4];
  int k = 0;
  for (uint8_t b : {kInJubao, kInShebao, kInJibao, kInJiuye}) {
    if (r.systems & b) bits[k++] = b;
  }
  return bits[rng.Below(static_cast<uint64_t>(k))] == system;
}

void SimContext::Progress(const char* system, const char* what, int64_t rows) const {
  if (progress) std::fprintf(stderr, "simulate: %-7s %s %lld\n", system, what, static_cast<long long>(rows));
}

namespace {

using Clock = std::chrono::steady_clock;

struct SystemRun {
  const char* name;
  Status (*generate)(const SimContext&, Ledger*);
  Ledger ledger;
  Status status;
  double seconds = 0;
};

void Run(const SimContext& ctx, SystemRun& run) {
  auto t0 = Clock::now();
  run.status = run.generate(ctx, &run.ledger);
  run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  ctx.Progress(run.name, run.status.ok() ? "done, rows" : "FAILED, rows", run.ledger.rows);
}

std::string MonthText(int yyyymm) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", yyyymm / 100, yyyymm % 100);
  return buf;
}

boost::json::object Manifest(const SimContext& ctx, const SimulateOptions& options, std::vector<SystemRun>& runs) {
  const Population& pop = *ctx.pop;
  namespace json = boost::json;
  json::object m;
  m["preset"] = pop.preset.name;
  m["seed"] = options.seed;
  int last_day = ctx.DayDate(ctx.days);
  char generated[40];
  std::snprintf(generated, sizeof generated, "%04d-%02d-%02dT20:00:00+08:00", last_day / 10000, last_day / 100 % 100,
                last_day % 100);
  m["generated_at"] = generated;
  m["months"] = json::object{{"from", MonthText(pop.preset.first_month)}, {"to", MonthText(pop.preset.last_month)}};
  json::array days;
  for (int d = 1; d <= ctx.days; ++d) {
    int v = ctx.DayDate(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v / 10000, v / 100 % 100, v % 100);
    days.emplace_back(buf);
  }
  m["days"] = days;

  json::object dirt_total, quarantine_total, quarantine_by_system;
  for (size_t k = 0; k < static_cast<size_t>(Dirt::kCount); ++k) dirt_total[DirtName(static_cast<Dirt>(k))] = 0;
  for (size_t q = 0; q < static_cast<size_t>(Quarantine::kCount); ++q) quarantine_total[QuarantineName(static_cast<Quarantine>(q))] = 0;
  std::vector<uint8_t> persons(pop.residents.size(), 0), units(pop.units.size(), 0);
  int64_t conflicts = 0, rows_total = 0, business = 0, business_deleted = 0, business_completed = 0;
  json::object rows_by_system;
  for (SystemRun& run : runs) {
    const Ledger& L = run.ledger;
    json::object sys;
    for (const auto& [k, v] : L.extra) sys[k] = v;
    json::array files;
    for (const auto& f : L.files) {
      files.push_back(json::object{{"path", f.path}, {"encoding", f.encoding}, {"rows", f.rows}});
    }
    sys["files"] = std::move(files);
    json::object tables;
    for (const auto& [t, n] : L.tables) tables[t] = n;
    sys["tables"] = std::move(tables);
    sys["rows"] = L.rows;
    json::object dirt;
    for (size_t k = 0; k < L.dirt.size(); ++k) {
      dirt[DirtName(static_cast<Dirt>(k))] = L.dirt[k];
      dirt_total[DirtName(static_cast<Dirt>(k))] = dirt_total[DirtName(static_cast<Dirt>(k))].as_int64() + L.dirt[k];
    }
    sys["dirt"] = std::move(dirt);
    json::object quarantine;
    for (size_t q = 0; q < L.quarantine.size(); ++q) {
      std::string_view name = QuarantineName(static_cast<Quarantine>(q));
      quarantine[name] = L.quarantine[q];
      quarantine_total[name] = quarantine_total[name].as_int64() + L.quarantine[q];
    }
    sys["quarantine"] = std::move(quarantine);
    int64_t sys_persons = 0;
    for (size_t i = 0; i < L.persons_seen.size(); ++i) {
      if (L.persons_seen[i]) {
        persons[i] = 1;
        ++sys_persons;
      }
    }
    int64_t sys_units = 0;
    for (size_t u = 0; u < L.units_seen.size(); ++u) {
      if (L.units_seen[u]) {
        units[u] = 1;
        ++sys_units;
      }
    }
    sys["persons_distinct"] = sys_persons;
    sys["units_distinct"] = sys_units;
    sys["birth_conflicts"] = L.birth_conflicts;
    conflicts += L.birth_conflicts;
    business += L.business_records;
    business_deleted += L.business_deleted;
    business_completed += L.business_completed;
    rows_total += L.rows;
    rows_by_system[run.name] = L.rows;
    m[run.name] = std::move(sys);
  }
  m["dirt"] = std::move(dirt_total);
  int64_t n_persons = 0, n_units = 0;
  for (uint8_t p : persons) n_persons += p;
  for (uint8_t u : units) n_units += u;
  json::object truth;
  truth["residents"] = static_cast<int64_t>(pop.residents.size());
  truth["units"] = static_cast<int64_t>(pop.units.size());
  truth["persons_distinct"] = n_persons;
  truth["units_distinct"] = n_units;
  truth["birth_conflicts"] = conflicts;
  // 社保 ae10 经办记录 that reach dc_business_record (deleted ones flagged).
  truth["business_records"] = json::object{
      {"rows", business}, {"deleted", business_deleted}, {"completed", business_completed}};
  truth["quarantine"] = std::move(quarantine_total);
  truth["rows_by_system"] = std::move(rows_by_system);
  truth["rows"] = rows_total;
  m["truth"] = std::move(truth);
  return m;
}

}  // namespace

Result<SimulateSummary> Simulate(const SimulateOptions& options) {
  auto t0 = Clock::now();
  HRSS_ASSIGN_OR_RETURN(Preset preset, FindPreset(options.preset));
  if (options.out_dir.empty()) return Status::InvalidArgument("--out is required");
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return Status::Internal("cannot create " + options.out_dir + ": " + ec.message());
  for (const char* sub : {"jubao", "shebao", "jibao", "jiuye", "jiancha"}) {
    std::filesystem::remove_all(std::filesystem::path(options.out_dir) / sub, ec);
  }
  if (options.progress) std::fprintf(stderr, "simulate: building the %s population (seed %llu)\n", preset.name.c_str(), static_cast<unsigned long long>(options.seed));
  Population pop = BuildPopulation(preset, options.seed);
  SimContext ctx;
  ctx.pop = &pop;
  ctx.out_dir = options.out_dir;
  ctx.progress = options.progress;
  if (options.progress) {
    std::fprintf(stderr, "simulate: %zu residents, %zu units in %.1f s\n", pop.residents.size(), pop.units.size(),
                 std::chrono::duration<double>(Clock::now() - t0).count());
  }

  std::vector<SystemRun> runs;
  runs.push_back({"jubao", &GenerateJubao, {}, {}, 0});
  runs.push_back({"shebao", &GenerateShebao, {}, {}, 0});
  runs.push_back({"jibao", &GenerateJibao, {}, {}, 0});
  runs.push_back({"jiuye", &GenerateJiuye, {}, {}, 0});
  runs.push_back({"jiancha", &GenerateJiancha, {}, {}, 0});
  if (options.threads > 1) {
    // 社保 (SQLite + SQL dump) on its own thread; the file systems on this one.
    std::thread shebao([&] { Run(ctx, runs[1]); });
    for (size_t k : {0u, 2u, 3u, 4u}) Run(ctx, runs[k]);
    shebao.join();
  } else {
    for (SystemRun& run : runs) Run(ctx, run);
  }
  for (const SystemRun& run : runs) {
    if (!run.status.ok()) return Status(run.status.code(), std::string(run.name) + ": " + run.status.message());
  }
  boost::json::object manifest = Manifest(ctx, options, runs);
  std::string text = boost::json::serialize(manifest);
  std::string path = options.out_dir + "/manifest.json";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Internal("cannot create " + path);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fputc('\n', f);
  if (std::fclose(f) != 0) return Status::Internal("write failed: " + path);

  SimulateSummary summary;
  for (const SystemRun& run : runs) {
    summary.systems.push_back({run.name, run.ledger.rows, run.seconds});
    summary.rows += run.ledger.rows;
  }
  summary.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return summary;
}

}  // namespace hrss::sim
