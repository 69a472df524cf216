#include "gen.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

namespace hrss::olapbench {
namespace {

// splitmix64: a small, fully specified PRNG (std:: distributions differ
// between standard libraries; this output is the same everywhere).
struct Rng {
  uint64_t s;
  Rng(uint64_t seed, uint64_t stream, uint64_t id) : s(seed * 0x9E3779B97F4A7C15ULL ^ (stream << 56) ^ id) {
    Next();
    Next();
  }
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double U() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0,1)
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  template <size_t N>
  int Pick(const int (&w)[N]) {  // index by weight
    int total = 0;
    for (int x : w) total += x;
    int r = static_cast<int>(Next() % static_cast<uint64_t>(total));
    for (size_t i = 0; i < N; ++i) {
      if (r < w[i]) return static_cast<int>(i);
      r -= w[i];
    }
    return N - 1;
  }
};

constexpr int kFirstYear = 2016;
constexpr int kMonths = 120;  // 2016-01 .. 2025-12

enum Stream : uint64_t { kPersonStream = 1, kUnitStream = 2 };

struct Unit {
  const char* industry;
  const char* type;
  int injury_permille;  // 工伤 unit rate by industry risk class
};

const char* const kSections[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J",
                                 "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"};
// Enterprise employment by section in a mostly rural county.
const int kSectionWeight[] = {6, 2, 26, 2, 14, 16, 6, 9, 2, 3, 3, 3, 1, 2, 5, 0, 0, 1, 0, 0};
const int kInjuryPermille[] = {9, 19, 10, 6, 16, 4, 9, 4, 2, 2, 4, 4, 2, 6, 4, 2, 3, 4, 2, 2};

class Writer {
 public:
  explicit Writer(FILE* f) : f_(f) { buf_.resize(1 << 22); }
  ~Writer() { Flush(); }
  void Str(const char* s) { Str(std::string_view(s)); }
  void Str(std::string_view s) {
    Reserve(s.size());
    std::memcpy(buf_.data() + n_, s.data(), s.size());
    n_ += s.size();
  }
  void Int(int64_t v) {
    Reserve(24);
    auto r = std::to_chars(buf_.data() + n_, buf_.data() + buf_.size(), v);
    n_ = static_cast<size_t>(r.ptr - buf_.data());
  }
  void Ch(char c) {
    Reserve(1);
    buf_[n_++] = c;
  }
  void Flush() {
    if (n_) {
      bytes_ += static_cast<int64_t>(std::fwrite(buf_.data(), 1, n_, f_));
      n_ = 0;
    }
  }
  int64_t bytes() const { return bytes_ + static_cast<int64_t>(n_); }

 private:
  void Reserve(size_t k) {
    if (n_ + k > buf_.size()) Flush();
  }
  FILE* f_;
  std::vector<char> buf_;
  size_t n_ = 0;
  int64_t bytes_ = 0;
};

struct Person {
  int64_t id;
  const char* township;
  int gender;
  int birth_year, birth_month;
  int AgeAt(int month_index) const {
    int y = kFirstYear + month_index / 12, m = month_index % 12 + 1;
    return y - birth_year - (m < birth_month ? 1 : 0);
  }
};

void Row(Writer& w, const Person& p, int month_index, int ins_type, const char* status,
         const char* industry, const char* unit_type, const char* domain, int64_t personal,
         int64_t unit, int64_t subsidy) {
  w.Int(p.id);
  w.Ch(',');
  w.Str(p.township);
  w.Ch(',');
  w.Int((kFirstYear + month_index / 12) * 100 + month_index % 12 + 1);
  w.Ch(',');
  w.Int(ins_type);
  w.Ch(',');
  w.Str(status);
  w.Ch(',');
  w.Int(p.gender);
  w.Ch(',');
  w.Str(AgeBandOf(p.AgeAt(month_index)));
  w.Ch(',');
  w.Str(industry);
  w.Ch(',');
  w.Str(unit_type);
  w.Ch(',');
  w.Str(domain);
  w.Ch(',');
  w.Int(personal);
  w.Ch(',');
  w.Int(unit);
  w.Ch(',');
  w.Int(subsidy);
  w.Ch('\n');
}

}  // namespace

const std::vector<Township>& Townships() {
  static const std::vector<Township> k = {
      {"511724001", "竹阳街道", 130}, {"511724002", "东柳街道", 80}, {"511724003", "白塔街道", 74},
      {"511724101", "乌木镇", 30},    {"511724102", "团坝镇", 32},   {"511724103", "杨家镇", 28},
      {"511724104", "清河镇", 35},    {"511724105", "柏林镇", 27},   {"511724106", "石河镇", 33},
      {"511724107", "中华镇", 25},    {"511724108", "石桥铺镇", 38}, {"511724109", "观音镇", 26},
      {"511724110", "周家镇", 40},    {"511724111", "石子镇", 34},   {"511724112", "文星镇", 29},
      {"511724113", "妈妈镇", 24},    {"511724114", "高穴镇", 31},   {"511724115", "欧家镇", 27},
      {"511724116", "庙坝镇", 36},    {"511724117", "清水镇", 22},   {"511724118", "月华镇", 30},
      {"511724119", "高明镇", 21},    {"511724120", "童家镇", 26},   {"511724121", "天城镇", 23},
      {"511724125", "四合镇", 25},    {"511724126", "永胜镇", 24},   {"511724203", "朝阳乡", 12},
      {"511724214", "安吉乡", 11},    {"511724218", "八渡乡", 9},    {"511724220", "杨通乡", 10},
      {"511724231", "川主乡", 8},
  };
  return k;
}

const std::vector<AgeBand>& AgeBands() {
  static const std::vector<AgeBand> k = {
      {"lt16", "16岁以下"}, {"16-29", "16-29岁"}, {"30-39", "30-39岁"}, {"40-49", "40-49岁"},
      {"50-59", "50-59岁"}, {"60-69", "60-69岁"}, {"ge70", "70岁及以上"},
  };
  return k;
}

const char* AgeBandOf(int age) {
  const auto& b = AgeBands();
  if (age < 16) return b[0].code;
  if (age < 30) return b[1].code;
  if (age < 40) return b[2].code;
  if (age < 50) return b[3].code;
  if (age < 60) return b[4].code;
  if (age < 70) return b[5].code;
  return b[6].code;
}

bool PersonsForScale(std::string_view scale, int64_t* persons) {
  if (scale == "county") {
    *persons = 1'100'000;
    return true;
  }
  if (scale == "small") {
    *persons = 40'000;
    return true;
  }
  int64_t v = 0;
  auto r = std::from_chars(scale.data(), scale.data() + scale.size(), v);
  if (r.ec != std::errc() || r.ptr != scale.data() + scale.size() || v < 100 || v > 20'000'000) return false;
  *persons = v;
  return true;
}

bool Generate(const GenOptions& opt, GenStats* st, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(opt.out_dir, ec);
  if (ec) {
    *error = "cannot create " + opt.out_dir + ": " + ec.message();
    return false;
  }
  const std::string tmp = opt.out_dir + "/facts.csv.tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    *error = "cannot write " + tmp;
    return false;
  }
  *st = {};

  // Township sampling table (per mille).
  std::vector<const char*> town_by_permille;
  for (const auto& t : Townships())
    for (int i = 0; i < t.weight; ++i) town_by_permille.push_back(t.code);
  if (town_by_permille.size() != 1000) {
    *error = "township weights do not sum to 1000";
    std::fclose(f);
    return false;
  }

  // Units: enterprises etc. for 职工, organs and institutions for 机保.
  const int n_units = static_cast<int>(std::max<int64_t>(200, opt.persons / 180));
  std::vector<Unit> units(n_units), public_units(std::max(20, n_units / 20));
  for (int u = 0; u < n_units; ++u) {
    Rng r(opt.seed, kUnitStream, static_cast<uint64_t>(u));
    int s = r.Pick(kSectionWeight);
    const int type_w[] = {80, 12, 8};  // enterprise, individual, other
    const char* types[] = {"enterprise", "individual", "other"};
    units[u] = {kSections[s], types[r.Pick(type_w)], kInjuryPermille[s]};
  }
  for (size_t u = 0; u < public_units.size(); ++u) {
    Rng r(opt.seed, kUnitStream, 1'000'000'000ULL + u);
    if (r.U() < 0.4) {
      public_units[u] = {"S", "organ", 2};
    } else {
      const char* sec[] = {"P", "Q", "S", "N", "M"};
      const int w[] = {50, 25, 15, 6, 4};
      int k = r.Pick(w);
      public_units[u] = {sec[k], "institution", 2};
    }
  }

  Writer w(f);
  w.Str("person,township,month,ins_type,status,gender,age_band,industry,unit_type,domain,personal,unit,subsidy\n");

  const int age_band_w[] = {16, 17, 14, 16, 17, 12, 8};
  const int age_lo[] = {0, 16, 30, 40, 50, 60, 70};
  const int age_hi[] = {15, 29, 39, 49, 59, 69, 94};
  const int jubao_month_w[] = {2, 3, 10, 14, 14, 12, 8, 7, 8, 9, 8, 5};
  const int jubao_tier_yuan[] = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000, 3000};
  const int jubao_tier_w[] = {35, 15, 12, 6, 10, 4, 2, 2, 1, 6, 2, 3, 2};

  for (int64_t pid = 1; pid <= opt.persons; ++pid) {
    Rng r(opt.seed, kPersonStream, static_cast<uint64_t>(pid));
    Person p;
    p.id = pid;
    p.township = town_by_permille[r.Next() % 1000];
    double g = r.U();
    p.gender = g < 0.001 ? 9 : (g < 0.511 ? 1 : 2);
    int band = r.Pick(age_band_w);
    int age2025 = r.Int(age_lo[band], age_hi[band]);
    p.birth_year = 2025 - age2025;
    p.birth_month = r.Int(1, 12);
    double cat = r.U();

    if (age2025 >= 22 && age2025 <= 59 && cat < 0.0192) {
      // 机保: monthly 120 over the whole window while aged 22..59.
      ++st->jibao_persons;
      const Unit& u = public_units[r.Next() % public_units.size()];
      int start = r.U() < 0.12 ? r.Int(1, 100) : 0;
      int64_t base = 400000 + static_cast<int64_t>(r.U() * 500000);  // fen
      for (int m = start; m < kMonths; ++m) {
        int age = p.AgeAt(m);
        if (age < 22 || age >= 60) continue;
        int64_t b = base + base * 5 * (m / 12) / 100;
        const char* status = r.U() < 0.995 ? "paid" : "due";
        Row(w, p, m, 120, status, u.industry, u.type, "jibao", b * 8 / 100, b * 16 / 100, 0);
        ++st->jibao_rows;
        ++st->rows;
      }
    } else if (age2025 >= 20 && age2025 <= 60 && cat < 0.0192 + 0.235) {
      // 职工: monthly 110/310/210/410/510 over one employment spell.
      ++st->employees;
      const Unit& u = units[r.Next() % units.size()];
      int start = r.Int(-40, 112);
      int len = 6 + static_cast<int>(r.U() * 100);
      bool has210 = r.U() < 0.9, has410 = r.U() < 0.95, has510 = r.U() < 0.85;
      double q = r.U();
      int64_t base = 280000 + static_cast<int64_t>(q * q * 900000);  // fen, 2016
      for (int m = std::max(0, start); m < std::min(kMonths, start + len); ++m) {
        int age = p.AgeAt(m);
        if (age < 18 || age >= 60) continue;
        if (r.U() < 0.03) continue;  // a month not reported
        int64_t b = base + base * 6 * (m / 12) / 100;
        double s = r.U();
        const char* status = s < 0.98 ? "paid" : (s < 0.997 ? "due" : "refunded");
        int year = kFirstYear + m / 12, month = m % 12 + 1;
        int64_t pension_unit = (year * 100 + month) < 201905 ? 20 : 16;
        Row(w, p, m, 110, status, u.industry, u.type, "shebao", b * 8 / 100, b * pension_unit / 100, 0);
        Row(w, p, m, 310, status, u.industry, u.type, "shebao", b * 2 / 100, b * 65 / 1000, 0);
        st->rows += 2;
        st->shebao_rows += 2;
        if (has210) {
          Row(w, p, m, 210, status, u.industry, u.type, "shebao", b * 5 / 1000, b * 5 / 1000, 0);
          ++st->rows;
          ++st->shebao_rows;
        }
        if (has410) {
          Row(w, p, m, 410, status, u.industry, u.type, "shebao", 0, b * u.injury_permille / 1000, 0);
          ++st->rows;
          ++st->shebao_rows;
        }
        if (has510) {
          Row(w, p, m, 510, status, u.industry, u.type, "shebao", 0, b * 8 / 1000, 0);
          ++st->rows;
          ++st->shebao_rows;
        }
      }
    } else if (age2025 >= 16 && age2025 <= 69 && r.U() < 0.89) {
      // 居保: one yearly contribution per year aged 16..59, by propensity.
      ++st->jubao_enrolees;
      double propensity = 0.6 + 0.4 * r.U();
      int tier = r.Pick(jubao_tier_w);
      for (int y = 0; y < 10; ++y) {
        if (r.U() >= propensity) continue;
        int m = y * 12 + r.Pick(jubao_month_w);
        int age = p.AgeAt(m);
        if (age < 16 || age >= 60) continue;
        if (r.U() < 0.15) tier = r.Pick(jubao_tier_w);
        int64_t personal = int64_t{jubao_tier_yuan[tier]} * 100;
        int64_t subsidy = (jubao_tier_yuan[tier] <= 400 ? 30 : jubao_tier_yuan[tier] < 1000 ? 60 : 80) * 100;
        double s = r.U();
        const char* status = s < 0.97 ? "paid" : (s < 0.99 ? "due" : "refunded");
        Row(w, p, m, 170, status, "-", "-", "jubao", personal, 0, subsidy);
        ++st->jubao_rows;
        ++st->rows;
      }
    }
  }
  w.Flush();
  st->bytes = w.bytes();
  if (std::fclose(f) != 0) {
    *error = "write failed: " + tmp;
    return false;
  }
  fs::rename(tmp, opt.out_dir + "/facts.csv", ec);
  if (ec) {
    *error = "rename failed: " + ec.message();
    return false;
  }
  FILE* m = std::fopen((opt.out_dir + "/meta.json").c_str(), "wb");
  if (!m) {
    *error = "cannot write meta.json";
    return false;
  }
  std::fprintf(m,
               "{\"persons\":%lld,\"seed\":%llu,\"rows\":%lld,\"jubaoRows\":%lld,\"shebaoRows\":%lld,"
               "\"jibaoRows\":%lld,\"jubaoEnrolees\":%lld,\"employees\":%lld,\"jibaoPersons\":%lld,"
               "\"bytes\":%lld}\n",
               static_cast<long long>(opt.persons), static_cast<unsigned long long>(opt.seed),
               static_cast<long long>(st->rows), static_cast<long long>(st->jubao_rows),
               static_cast<long long>(st->shebao_rows), static_cast<long long>(st->jibao_rows),
               static_cast<long long>(st->jubao_enrolees), static_cast<long long>(st->employees),
               static_cast<long long>(st->jibao_persons), static_cast<long long>(st->bytes));
  std::fclose(m);
  return true;
}

}  // namespace hrss::olapbench
