// olap_bench: generator and our-engine side of bench/olap (see README.md).
//
//   olap_bench gen --rows-scale county|small|<persons> [--seed 7] --out DIR
//   olap_bench run --data DIR --queries bench/olap/queries.json [--runs 5]
//                  [--threads 2] [--chunk 1000000] [--only q01,q02] [--out ours.json]
//
// `run` defines the contribution cube (docs/api/analytics.md), loads
// DIR/facts.csv into it in FactBatch chunks, then runs every query of the
// queries file `runs` times (after one warm-up run) with the result cache
// off, and writes build time, memory and per query the median time and the
// result (the engine's response object) as JSON.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/resource.h>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gen.h"

#ifdef HRSS_OLAP_BENCH_ENGINE
#include "olap/olap.h"
#endif

namespace hrss::olapbench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of the whole process (all threads), ms: on a shared, overloaded
// machine wall time measures the neighbours too; CPU time much less so.
double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

struct Args {
  std::vector<std::string> v;
  std::string Get(std::string_view name, std::string def = {}) const {
    for (size_t i = 0; i + 1 < v.size(); ++i)
      if (v[i] == name) return v[i + 1];
    return def;
  }
};

int Usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  olap_bench gen --rows-scale county|small|<persons> [--seed 7] --out DIR\n"
               "  olap_bench run --data DIR --queries FILE [--runs 5] [--threads 2] [--chunk 1000000]\n"
               "                 [--only q01,q02] [--out FILE]\n");
  return 2;
}

int Gen(const Args& a) {
  GenOptions opt;
  if (!PersonsForScale(a.Get("--rows-scale", "county"), &opt.persons)) {
    std::fprintf(stderr, "bad --rows-scale (county, small or a number of persons 100..20000000)\n");
    return 2;
  }
  std::string seed = a.Get("--seed", "7");
  if (std::from_chars(seed.data(), seed.data() + seed.size(), opt.seed).ec != std::errc()) return Usage();
  opt.out_dir = a.Get("--out");
  if (opt.out_dir.empty()) return Usage();
  auto t0 = Clock::now();
  GenStats st;
  std::string err;
  if (!Generate(opt, &st, &err)) {
    std::fprintf(stderr, "gen: %s\n", err.c_str());
    return 1;
  }
  std::printf(
      "generated %lld rows (居保 %lld from %lld enrolees, 职工 %lld from %lld employees, 机保 %lld from %lld "
      "persons) for %lld persons, %.1f MB, in %.1f s -> %s/facts.csv\n",
      static_cast<long long>(st.rows), static_cast<long long>(st.jubao_rows),
      static_cast<long long>(st.jubao_enrolees), static_cast<long long>(st.shebao_rows),
      static_cast<long long>(st.employees), static_cast<long long>(st.jibao_rows),
      static_cast<long long>(st.jibao_persons), static_cast<long long>(opt.persons), st.bytes / 1e6,
      MsSince(t0) / 1000, opt.out_dir.c_str());
  return 0;
}

#ifdef HRSS_OLAP_BENCH_ENGINE

int64_t ProcStatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') {
      return std::atoll(line.c_str() + n + 1);
    }
  }
  return -1;
}

olap::CubeSchema ContributionSchema() {
  using olap::DimKind;
  olap::CubeSchema s;
  s.name = "contribution";
  s.label = "缴费";
  {
    olap::DimensionDef d{.name = "region", .label = "区域", .kind = DimKind::kCode,
                         .levels = {{"county", "县"}, {"township", "乡镇"}}};
    for (const auto& t : Townships()) d.members.push_back({t.code, t.name, {"511724"}});
    d.parent_labels.push_back({"county", "511724", "大竹县"});
    s.dims.push_back(std::move(d));
  }
  s.dims.push_back({.name = "time", .label = "时间", .kind = DimKind::kMonth,
                    .levels = {{"year", "年"}, {"quarter", "季度"}, {"month", "月"}}});
  {
    olap::DimensionDef d{.name = "insurance", .label = "险种", .kind = DimKind::kCode,
                         .levels = {{"scheme", "制度"}, {"type", "险种"}}};
    d.members = {{"110", "企业职工基本养老保险", {"shebao"}}, {"120", "机关事业单位养老保险", {"jibao"}},
                 {"170", "城乡居民基本养老保险", {"jubao"}},  {"210", "失业保险", {"shebao"}},
                 {"310", "职工基本医疗保险", {"shebao"}},     {"410", "工伤保险", {"shebao"}},
                 {"510", "生育保险", {"shebao"}}};
    d.parent_labels = {{"scheme", "jubao", "城乡居民养老保险"},
                       {"scheme", "shebao", "职工社会保险"},
                       {"scheme", "jibao", "机关事业单位养老保险"}};
    s.dims.push_back(std::move(d));
  }
  s.dims.push_back({.name = "status", .label = "缴费状态", .kind = DimKind::kCode,
                    .levels = {{"status", "状态"}},
                    .members = {{"paid", "已到账", {}}, {"due", "应缴未缴", {}}, {"refunded", "已退回", {}},
                                {"suspended", "暂停", {}}}});
  s.dims.push_back({.name = "gender", .label = "性别", .kind = DimKind::kCode,
                    .levels = {{"gender", "性别"}},
                    .members = {{"1", "男", {}}, {"2", "女", {}}, {"9", "未说明", {}}}});
  {
    olap::DimensionDef d{.name = "age", .label = "年龄段", .kind = DimKind::kCode, .levels = {{"band", "年龄段"}}};
    for (const auto& b : AgeBands()) d.members.push_back({b.code, b.label, {}});
    s.dims.push_back(std::move(d));
  }
  {
    olap::DimensionDef d{.name = "industry", .label = "行业", .kind = DimKind::kCode,
                         .levels = {{"section", "行业门类"}}};
    const char* names[] = {"农、林、牧、渔业", "采矿业", "制造业", "电力、热力、燃气及水生产和供应业", "建筑业",
                           "批发和零售业", "交通运输、仓储和邮政业", "住宿和餐饮业",
                           "信息传输、软件和信息技术服务业", "金融业", "房地产业", "租赁和商务服务业",
                           "科学研究和技术服务业", "水利、环境和公共设施管理业", "居民服务、修理和其他服务业",
                           "教育", "卫生和社会工作", "文化、体育和娱乐业", "公共管理、社会保障和社会组织",
                           "国际组织"};
    for (int i = 0; i < 20; ++i) d.members.push_back({std::string(1, static_cast<char>('A' + i)), names[i], {}});
    d.members.push_back({"-", "无单位", {}});
    s.dims.push_back(std::move(d));
  }
  s.dims.push_back({.name = "unit_type", .label = "单位类型", .kind = DimKind::kCode,
                    .levels = {{"type", "单位类型"}},
                    .members = {{"enterprise", "企业", {}}, {"institution", "事业单位", {}}, {"organ", "机关", {}},
                                {"individual", "个体工商户", {}}, {"other", "其他组织", {}}, {"-", "无单位", {}}}});
  s.dims.push_back({.name = "domain", .label = "业务领域", .kind = DimKind::kCode,
                    .levels = {{"domain", "业务领域"}},
                    .members = {{"jubao", "居保", {}}, {"shebao", "社保", {}}, {"jibao", "机保", {}},
                                {"jiuye", "就业", {}}, {"jiancha", "劳动监察", {}}, {"dangan", "档案", {}},
                                {"renshi", "人事", {}}}});
  s.value_columns = {"amount", "personal", "unit_part", "subsidy"};
  s.has_person = true;
  s.measures = {
      {.name = "records", .label = "笔数", .agg = olap::Agg::kCount, .unit = "count"},
      {.name = "persons", .label = "缴费人数", .agg = olap::Agg::kDistinct, .unit = "person"},
      {.name = "amount", .label = "缴费金额", .agg = olap::Agg::kSum, .column = "amount", .unit = "fen"},
      {.name = "personal", .label = "个人缴费", .agg = olap::Agg::kSum, .column = "personal", .unit = "fen"},
      {.name = "unit_part", .label = "单位缴费", .agg = olap::Agg::kSum, .column = "unit_part", .unit = "fen"},
      {.name = "subsidy", .label = "政府补贴", .agg = olap::Agg::kSum, .column = "subsidy", .unit = "fen"},
      {.name = "avg_amount", .label = "人均缴费", .agg = olap::Agg::kRatio, .num = "amount", .den = "persons",
       .unit = "fen"},
  };
  s.region_dim = "region";
  s.domain_dim = "domain";
  return s;
}

// CSV column order (gen.h) → FactBatch: dims in schema order.
// csv: 0 person 1 township 2 month 3 ins_type 4 status 5 gender 6 age_band
//      7 industry 8 unit_type 9 domain 10 personal 11 unit 12 subsidy
constexpr int kDimCsvCol[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // region time insurance status gender age industry unit_type domain

class CsvChunks {
 public:
  explicit CsvChunks(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) { buf_.resize(64 << 20); }
  ~CsvChunks() {
    if (f_) std::fclose(f_);
  }
  bool ok() const { return f_ != nullptr; }
  // Fills batch with up to `max_rows` rows; false at end of file.
  bool Next(size_t max_rows, olap::FactBatch* b, int64_t* next_key, std::string* err) {
    b->keys.clear();
    b->person.clear();
    b->deletes.clear();
    b->dims.assign(9, {});
    b->values.assign(4, {});
    for (auto& d : b->dims) d.reserve(max_rows);
    for (auto& v : b->values) v.reserve(max_rows);
    b->keys.reserve(max_rows);
    b->person.reserve(max_rows);
    std::string_view cols[13];
    while (b->keys.size() < max_rows) {
      std::string_view line;
      if (!ReadLine(&line)) break;
      if (!header_done_) {
        header_done_ = true;
        continue;
      }
      if (line.empty()) continue;
      int n = 0;
      size_t pos = 0;
      while (n < 13) {
        size_t c = line.find(',', pos);
        cols[n++] = line.substr(pos, c == std::string_view::npos ? std::string_view::npos : c - pos);
        if (c == std::string_view::npos) break;
        pos = c + 1;
      }
      if (n != 13) {
        *err = "bad csv line: " + std::string(line);
        return false;
      }
      int64_t v[4] = {};
      for (int i = 0; i < 3; ++i) {
        if (std::from_chars(cols[10 + i].data(), cols[10 + i].data() + cols[10 + i].size(), v[1 + i]).ec !=
            std::errc()) {
          *err = "bad amount: " + std::string(line);
          return false;
        }
      }
      v[0] = v[1] + v[2] + v[3];
      int64_t person = 0;
      std::from_chars(cols[0].data(), cols[0].data() + cols[0].size(), person);
      b->keys.push_back((*next_key)++);
      b->person.push_back(person);
      for (int d = 0; d < 9; ++d) b->dims[d].emplace_back(cols[kDimCsvCol[d]]);
      for (int i = 0; i < 4; ++i) b->values[i].push_back(v[i]);
    }
    return !b->keys.empty();
  }

 private:
  bool ReadLine(std::string_view* line) {
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', len_ - pos_));
      if (nl) {
        *line = std::string_view(buf_.data() + pos_, static_cast<size_t>(nl - (buf_.data() + pos_)));
        pos_ = static_cast<size_t>(nl - buf_.data()) + 1;
        return true;
      }
      if (eof_) {
        if (pos_ < len_) {
          *line = std::string_view(buf_.data() + pos_, len_ - pos_);
          pos_ = len_;
          return true;
        }
        return false;
      }
      std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
      len_ -= pos_;
      pos_ = 0;
      size_t got = std::fread(buf_.data() + len_, 1, buf_.size() - len_, f_);
      if (got == 0) eof_ = true;
      len_ += got;
    }
  }
  FILE* f_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false, header_done_ = false;
};

Result<olap::Scope> ScopeFrom(const json::value& v) {
  if (v.is_null()) return olap::Scope::All();
  if (!v.is_object()) return Status::InvalidArgument("scope must be an object");
  olap::Scope s;
  for (const auto& [domain, towns] : v.as_object()) {
    if (towns.is_null()) {
      s.domains[std::string(domain)] = std::nullopt;
      continue;
    }
    std::set<std::string> codes;
    for (const auto& t : towns.as_array()) codes.insert(std::string(t.as_string()));
    s.domains[std::string(domain)] = std::move(codes);
  }
  return s;
}

int Run(const Args& a) {
  std::string data = a.Get("--data"), qfile = a.Get("--queries"), out = a.Get("--out");
  if (data.empty() || qfile.empty()) return Usage();
  int runs = std::atoi(a.Get("--runs", "5").c_str());
  int threads = std::atoi(a.Get("--threads", "2").c_str());
  size_t chunk = static_cast<size_t>(std::atoll(a.Get("--chunk", "1000000").c_str()));
  std::string only = a.Get("--only");
  if (runs < 1 || chunk < 1) return Usage();

  std::stringstream qs;
  qs << std::ifstream(qfile).rdbuf();
  json::value qdoc;
  try {
    qdoc = json::parse(qs.str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "queries: %s\n", e.what());
    return 1;
  }

  olap::Engine engine({.threads = threads, .cache_entries = 0});
  if (Status st = engine.DefineCube(ContributionSchema()); !st.ok()) {
    std::fprintf(stderr, "DefineCube: %s\n", st.ToString().c_str());
    return 1;
  }
  int64_t rss_before = ProcStatusKb("VmRSS");
  CsvChunks csv(data + "/facts.csv");
  if (!csv.ok()) {
    std::fprintf(stderr, "cannot open %s/facts.csv (run olap_bench gen first)\n", data.c_str());
    return 1;
  }
  double parse_ms = 0, apply_ms = 0;
  int64_t key = 1, batches = 0;
  auto t_build = Clock::now();
  {
    olap::FactBatch batch;
    std::string err;
    for (;;) {
      auto t0 = Clock::now();
      bool more = csv.Next(chunk, &batch, &key, &err);
      parse_ms += MsSince(t0);
      if (!err.empty()) {
        std::fprintf(stderr, "%s\n", err.c_str());
        return 1;
      }
      if (!more) break;
      t0 = Clock::now();
      if (Status st = engine.Apply("contribution", batch); !st.ok()) {
        std::fprintf(stderr, "Apply: %s\n", st.ToString().c_str());
        return 1;
      }
      apply_ms += MsSince(t0);
      ++batches;
    }
  }
  double build_ms = MsSince(t_build);
  int64_t rss_after = ProcStatusKb("VmRSS");
  olap::CubeStats cs;
  for (const auto& s : engine.Stats())
    if (s.name == "contribution") cs = s;
  std::fprintf(stderr,
               "ours: built contribution cube: %lld rows in %lld batches, %.0f ms (parse %.0f ms, Apply %.0f ms), "
               "Stats().bytes %.1f MB, RSS %.1f MB (before load %.1f MB, peak %.1f MB)\n",
               static_cast<long long>(cs.rows), static_cast<long long>(batches), build_ms, parse_ms, apply_ms,
               cs.bytes / 1e6, rss_after / 1e3, rss_before / 1e3, ProcStatusKb("VmHWM") / 1e3);

  json::array results;
  for (const auto& qv : qdoc.at("queries").as_array()) {
    const auto& q = qv.as_object();
    std::string name(q.at("name").as_string());
    if (!only.empty() && ("," + only + ",").find("," + name + ",") == std::string::npos) continue;
    auto scope = ScopeFrom(q.contains("scope") ? q.at("scope") : json::value());
    if (!scope.ok()) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), scope.status().ToString().c_str());
      return 1;
    }
    const json::value& query = q.at("query");
    std::vector<double> times, cpu;
    json::object last;
    for (int i = 0; i <= runs; ++i) {  // run 0 is the warm-up
      double c0 = CpuMs();
      auto t0 = Clock::now();
      auto r = engine.Query(query, *scope);
      double ms = MsSince(t0);
      double cms = CpuMs() - c0;
      if (!r.ok()) {
        std::fprintf(stderr, "%s: query failed: %s\n", name.c_str(), r.status().ToString().c_str());
        return 1;
      }
      if (auto* c = r->if_contains("cached"); c && c->is_bool() && c->as_bool()) {
        std::fprintf(stderr, "%s: result came from the cache although cache_entries = 0\n", name.c_str());
        return 1;
      }
      if (i > 0) {
        times.push_back(ms);
        cpu.push_back(cms);
      }
      last = std::move(*r);
    }
    auto med = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    double median = med(times), cpu_median = med(cpu);
    std::fprintf(stderr, "ours: %-30s median %9.2f ms (min %.2f, max %.2f, %d runs), CPU %.2f ms\n", name.c_str(),
                 median, *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()),
                 runs, cpu_median);
    json::array tj;
    for (double t : times) tj.push_back(t);
    results.push_back(json::object{{"name", name},
                                   {"ms", median},
                                   {"cpuMs", cpu_median},
                                   {"runs", std::move(tj)},
                                   {"result", std::move(last)}});
  }

  json::object doc{
      {"engine", "ours"},
      {"threads", threads},
      {"build",
       json::object{{"rows", cs.rows},
                    {"batches", batches},
                    {"ms", build_ms},
                    {"parseMs", parse_ms},
                    {"applyMs", apply_ms},
                    {"bytes", cs.bytes},
                    {"rssKb", rss_after},
                    {"rssBeforeKb", rss_before},
                    {"peakRssKb", ProcStatusKb("VmHWM")}}},
      {"queries", std::move(results)},
  };
  std::string text = json::serialize(doc);
  if (out.empty()) {
    std::cout << text << "\n";
  } else {
    std::ofstream(out) << text << "\n";
  }
  return 0;
}
#else
int Run(const Args&) {
  std::fprintf(stderr, "olap_bench was built without the engine (src/olap has no sources yet); only `gen` works\n");
  return 3;
}
#endif

}  // namespace
}  // namespace hrss::olapbench

int main(int argc, char** argv) {
  hrss::olapbench::Args a;
  for (int i = 2; i < argc; ++i) a.v.emplace_back(argv[i]);
  if (argc < 2) return hrss::olapbench::Usage();
  std::string_view cmd = argv[1];
  if (cmd == "gen") return hrss::olapbench::Gen(a);
  if (cmd == "run") return hrss::olapbench::Run(a);
  return hrss::olapbench::Usage();
}
