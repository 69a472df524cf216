#include "sim/truth.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/division.h"
#include "core/ids.h"
#include "sim/calendar.h"
#include "sim/random.h"

namespace hrss::sim {
namespace {

// UTF-8 CJK characters are 3 bytes each; lists are strings of them.
constexpr std::string_view kSurnames =
    "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "蒲冉敬税";
constexpr std::string_view kMaleChars =
    "伟强军勇杰涛明超刚平辉鹏华飞斌波宇浩凯健俊帆磊林洋鑫文建国志成兵东海峰龙云新德福贵安春忠荣祥豪翔川"
    "发全友良清松江红永";
constexpr std::string_view kFemaleChars =
    "芳丽敏静燕娟艳霞秀英玲桂兰萍红梅琴慧莉婷雪琳倩佳颖欣悦洁丹凤蓉月莲珍琼淑群素晓玉琪露雨";
// Homophone / look-alike pairs for name variants (first → second).
constexpr std::string_view kVariantFrom = "军杰明华平刚辉鹏飞斌波磊林文建国志成东峰云新春荣祥芳丽敏静燕娟霞秀英玲兰红梅琴慧婷琳倩佳颖欣洁凤珍三";
constexpr std::string_view kVariantTo   = "君洁铭化萍钢晖朋菲彬博蕾琳雯健帼智诚冬锋芸欣椿蓉翔方莉民婧艳鹃侠绣瑛铃岚虹玫芹惠亭林茜家莹新杰风贞叁";
constexpr std::string_view kBrandChars =
    "鑫源华宏盛兴隆发达祥瑞丰泰恒昌顺新嘉竹海鼎晟金阳光明川渝巴蜀东方天成永利宝德诚信安泰汇通";

size_t CharCount(std::string_view s) { return s.size() / 3; }
std::string_view CharAt(std::string_view s, size_t i) { return s.substr(i * 3, 3); }

// Weighted so the common surnames dominate, as in Sichuan.
std::string_view PickSurname(uint64_t h) {
  size_t n = CharCount(kSurnames);
  // Quadratic skew toward the front of the list.
  double u = static_cast<double>(h % 1000003) / 1000003.0;
  size_t i = static_cast<size_t>(u * u * static_cast<double>(n));
  return CharAt(kSurnames, std::min(i, n - 1));
}

const char* const kBureaus[] = {
    "人力资源和社会保障局", "财政局", "教育局", "卫生健康局", "农业农村局", "民政局", "公安局",
    "自然资源局", "住房和城乡建设局", "交通运输局", "水务局", "商务局", "文化广播电视和旅游局",
    "市场监督管理局", "审计局", "统计局", "应急管理局", "司法局", "退役军人事务局", "医疗保障局",
    "林业局", "生态环境局", "发展和改革局", "经济和信息化局", "乡村振兴局", "机关事务服务中心"};
const char* const kTownOffices[] = {"党政办公室", "社会事务办公室", "经济发展办公室", "综合执法办公室",
                                    "财政所", "社会保障服务中心"};
const char* const kInstitutions[] = {"中心小学", "卫生院", "初级中学", "农业综合服务中心", "便民服务中心",
                                     "文化站", "中心幼儿园", "畜牧兽医站"};
const char* const kCountyInstitutions[] = {"人民医院", "中医院", "妇幼保健院", "疾病预防控制中心",
                                           "职业中学", "实验小学", "第二中学", "竹海中学", "就业服务中心",
                                           "社会保险事务中心", "融媒体中心", "图书馆"};
const char* const kShopKinds[] = {"副食店", "餐馆", "五金店", "理发店", "汽修部", "农资店", "服装店",
                                  "火锅店", "茶馆", "建材经营部", "水果店", "药房"};
const char* const kOtherKinds[] = {"协会", "商会", "种植专业合作社", "养殖专业合作社", "民办培训学校",
                                   "养老服务中心"};

struct Industry {
  char letter;
  const char* words[3];
  int weight;
};
const Industry kIndustries[] = {
    {'A', {"农业开发", "种植", "养殖"}, 8},     {'B', {"矿业", "石材", "砂石"}, 2},
    {'C', {"食品", "建材", "竹制品"}, 20},      {'D', {"电力", "水务", "燃气"}, 2},
    {'E', {"建筑工程", "建设", "路桥"}, 12},    {'F', {"商贸", "百货", "贸易"}, 18},
    {'G', {"物流", "运输", "客运"}, 6},         {'H', {"餐饮管理", "酒店", "农家乐"}, 8},
    {'I', {"网络科技", "信息技术", "电子"}, 3}, {'J', {"小额贷款", "融资担保", "典当"}, 1},
    {'K', {"房地产开发", "物业管理", "置业"}, 5}, {'L', {"劳务", "人力资源", "商务服务"}, 6},
    {'M', {"检测", "工程设计", "技术服务"}, 2}, {'N', {"园林绿化", "环境治理", "水利"}, 2},
    {'O', {"家政服务", "汽车维修", "保洁"}, 3}, {'R', {"文化传媒", "广告", "体育"}, 2},
};

constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// GB 11714 organization code: 8 body characters and a check character.
std::string OrgCode(Rng& rng) {
  std::string body;
  if (rng.Chance(0.3)) {
    body = "MA";
    for (int i = 0; i < 6; ++i) body += kCodeAlphabet[rng.Below(kCodeAlphabet.size())];
  } else {
    for (int i = 0; i < 8; ++i) body += static_cast<char>('0' + rng.Below(10));
  }
  static const int kW[] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char c = body[static_cast<size_t>(i)];
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kW[i];
  }
  int c9 = 11 - sum % 11;
  body += c9 == 10 ? 'X' : c9 == 11 ? '0' : static_cast<char>('0' + c9);
  return body;
}

std::string ShortTownName(const std::string& name) {
  for (std::string_view suffix : {std::string_view("街道"), std::string_view("镇"), std::string_view("乡")}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

std::string Brand(Rng& rng) {
  std::string s;
  s += CharAt(kBrandChars, rng.Below(CharCount(kBrandChars)));
  s += CharAt(kBrandChars, rng.Below(CharCount(kBrandChars)));
  return s;
}

int PickTownship(Rng& rng, int n) {
  // The urban streets (first codes) are bigger.
  if (rng.Chance(0.3)) return static_cast<int>(rng.Below(static_cast<uint64_t>(std::min(n, 3))));
  return static_cast<int>(rng.Below(static_cast<uint64_t>(n)));
}

void BuildUnits(Population& pop) {
  const Preset& p = pop.preset;
  std::set<std::string> codes, names;
  int n = p.units;
  int organs = std::max(1, n * 15 / 1000), institutions = std::max(3, n * 5 / 100);
  int others = std::max(2, n * 55 / 1000), individuals = n * 28 / 100;
  int industry_total = 0;
  for (const auto& ind : kIndustries) industry_total += ind.weight;
  int nt = static_cast<int>(pop.townships.size());
  for (int i = 0; i < n; ++i) {
    Rng rng = Rng::Stream(pop.seed, Tag("unit"), static_cast<uint64_t>(i));
    Unit u;
    u.township = PickTownship(rng, nt);
    const std::string& town = pop.townships[static_cast<size_t>(u.township)].name;
    std::string prefix;
    if (i < organs) {
      u.type = 30;
      u.industry = 'S';
      prefix = "11";
      u.weight = rng.Range(5, 40);
    } else if (i < organs + institutions) {
      u.type = 50;
      u.industry = "PQPRM"[rng.Below(5)];
      prefix = "12";
      u.weight = rng.Range(8, 80);
    } else if (i < organs + institutions + others) {
      u.type = 90;
      u.industry = rng.Chance(0.5) ? 'S' : 'A';
      prefix = "52";
      u.weight = rng.Range(1, 5);
    } else if (i < organs + institutions + others + individuals) {
      u.type = 60;
      u.industry = "FHOF"[rng.Below(4)];
      prefix = "92";
      u.weight = rng.Range(1, 3);
    } else {
      u.type = 10;
      int r = static_cast<int>(rng.Below(static_cast<uint64_t>(industry_total)));
      for (const auto& ind : kIndustries) {
        if (r < ind.weight) {
          u.industry = ind.letter;
          break;
        }
        r -= ind.weight;
      }
      prefix = "91";
      u.weight = rng.Chance(0.06) ? rng.Range(40, 400) : rng.Range(2, 25);
    }
    for (int attempt = 0;; ++attempt) {
      std::string name;
      if (u.type == 30) {
        int k = static_cast<int>(rng.Below(3));
        if (k == 0) {
          name = std::string("大竹县") + kBureaus[rng.Below(std::size(kBureaus))];
        } else if (k == 1) {
          name = town + (town.ends_with("街道") ? "办事处" : "人民政府");
        } else {
          name = town + kTownOffices[rng.Below(std::size(kTownOffices))];
        }
      } else if (u.type == 50) {
        if (rng.Chance(0.25)) {
          name = std::string("大竹县") + kCountyInstitutions[rng.Below(std::size(kCountyInstitutions))];
        } else {
          name = "大竹县" + town + kInstitutions[rng.Below(std::size(kInstitutions))];
        }
      } else if (u.type == 90) {
        name = "大竹县" + Brand(rng) + kOtherKinds[rng.Below(std::size(kOtherKinds))];
      } else if (u.type == 60) {
        name = "大竹县" + ShortTownName(town) + Brand(rng) + kShopKinds[rng.Below(std::size(kShopKinds))];
      } else {
        const char* word = "商贸";
        for (const auto& ind : kIndustries) {
          if (ind.letter == u.industry) word = ind.words[rng.Below(3)];
        }
        static const char* const kForms[] = {"有限公司", "有限责任公司", "有限公司", "股份有限公司", "厂"};
        name = std::string(rng.Chance(0.8) ? "大竹县" : "四川") + Brand(rng) + word +
               kForms[rng.Below(std::size(kForms))];
      }
      if (attempt >= 4) name += "第" + std::to_string(attempt) + "分部";
      if (names.insert(name).second) {
        u.name = std::move(name);
        break;
      }
    }
    for (;;) {
      std::string first17 = prefix + "511724" + OrgCode(rng);
      std::string code = first17 + CreditCodeCheckChar(first17);
      if (codes.insert(code).second) {
        u.credit_code = std::move(code);
        break;
      }
    }
    u.legal_rep = RandomName(rng.Next(), rng.Chance(0.75));
    pop.units.push_back(std::move(u));
  }
  // About 1% of the enterprises first reach the systems on day 2 (orphans).
  int late = 0;
  for (size_t i = 0; i < pop.units.size(); ++i) {
    Rng rng = Rng::Stream(pop.seed, Tag("unit.late"), i);
    if (pop.units[i].type == 10 && (rng.Chance(0.01) || (late < 2 && i + 1 >= pop.units.size() - 2))) {
      pop.units[i].late = true;
      ++late;
    }
  }
}

// Cumulative weights for picking units of some types.
struct UnitPicker {
  std::vector<int64_t> cum;
  std::vector<int> index;
  int Pick(Rng& rng) const {
    if (cum.empty()) return -1;
    int64_t r = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(cum.back())));
    size_t k = static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), r) - cum.begin());
    return index[k];
  }
};

UnitPicker MakePicker(const Population& pop, bool organs) {
  UnitPicker p;
  int64_t total = 0;
  for (size_t i = 0; i < pop.units.size(); ++i) {
    int t = pop.units[i].type;
    bool is_organ = t == 30 || t == 50;
    if (is_organ != organs) continue;
    total += pop.units[i].weight;
    p.cum.push_back(total);
    p.index.push_back(static_cast<int>(i));
  }
  return p;
}

int BirthYear(Rng& rng) {
  // Piecewise age pyramid of a rural Sichuan county (per-year weights x10).
  static const int kWeights[] = {4, 9, 15, 18, 13};
  static const int kFrom[] = {1935, 1945, 1956, 1967, 1996};
  static const int kTo[] = {1944, 1955, 1966, 1995, 2008};
  int w[5];
  for (int i = 0; i < 5; ++i) w[i] = kWeights[i] * (kTo[i] - kFrom[i] + 1);
  int k = rng.Weighted(w);
  return rng.Range(kFrom[k], kTo[k]);
}

}  // namespace

Result<Preset> FindPreset(std::string_view name) {
  Preset p;
  p.name = std::string(name);
  if (name == "small") {
    p.residents = 2000;
    p.units = 60;
    p.first_month = 202401;
    p.last_month = 202610;
    p.jiancha_cases = 40;
  } else if (name == "county") {
    p.residents = 1100000;
    p.units = 20000;
    p.first_month = 201611;
    p.last_month = 202610;
    p.jiancha_cases = 3000;
  } else {
    return Status::InvalidArgument("unknown preset (small|county): " + std::string(name));
  }
  return p;
}

std::string RandomName(uint64_t h, bool male) {
  Rng rng(h);
  std::string s(PickSurname(rng.Next()));
  std::string_view chars = male ? kMaleChars : kFemaleChars;
  int given = rng.Chance(0.78) ? 2 : 1;
  for (int i = 0; i < given; ++i) s += CharAt(chars, rng.Below(CharCount(chars)));
  return s;
}

std::string NameVariant(std::string_view name) {
  for (size_t i = CharCount(name); i-- > 1;) {
    std::string_view c = CharAt(name, i);
    size_t pos = kVariantFrom.find(c);
    if (pos != std::string_view::npos && pos % 3 == 0) {
      std::string out(name);
      out.replace(i * 3, 3, kVariantTo.substr(pos, 3));
      return out;
    }
  }
  std::string out(name.substr(0, 3));
  out += ' ';
  out += name.substr(3);
  return out;
}

Population BuildPopulation(const Preset& preset, uint64_t seed) {
  Population pop;
  pop.preset = preset;
  pop.seed = seed;
  for (const Division* d : DivisionTable::Builtin().Townships()) pop.townships.push_back({d->code, d->name});
  BuildUnits(pop);
  UnitPicker employers = MakePicker(pop, false), organs = MakePicker(pop, true);

  const int first = preset.first_month, last = preset.last_month;
  const int first_i = MonthIndex(first), last_i = MonthIndex(last);
  static const char* const kOtherCounties[] = {"511702", "511703", "511722", "511723", "511725", "511781"};
  std::unordered_map<uint64_t, int> next_seq;  // lookups only; never iterated
  pop.residents.reserve(static_cast<size_t>(preset.residents));
  const int nt = static_cast<int>(pop.townships.size());
  for (int i = 0; i < preset.residents; ++i) {
    Rng rng = Rng::Stream(seed, Tag("resident"), static_cast<uint64_t>(i));
    Resident r;
    int year = BirthYear(rng);
    int month = rng.Range(1, 12);
    int day = rng.Range(1, DaysInMonth(year, month));
    r.birth = year * 10000 + month * 100 + day;
    r.male = rng.Chance(0.51);
    r.township = static_cast<uint8_t>(PickTownship(rng, nt));
    int county = rng.Chance(0.93) ? -1 : static_cast<int>(rng.Below(std::size(kOtherCounties)));
    std::string prefix = county < 0 ? "511724" : kOtherCounties[county];
    uint64_t key = (static_cast<uint64_t>(county + 1) << 40) | (static_cast<uint64_t>(r.birth) << 1) | (r.male ? 1 : 0);
    auto [it, inserted] = next_seq.try_emplace(key, 0);
    if (inserted) it->second = static_cast<int>(Mix64(Combine(seed, key)) % 60);
    int seq = it->second * 2 + (r.male ? 1 : 2);
    it->second += 1 + static_cast<int>(rng.Below(3));
    if (seq > 998) seq = (r.male ? 1 : 2) + static_cast<int>(rng.Below(400)) * 2;  // practically never
    std::string first17 = prefix + std::to_string(r.birth) + static_cast<char>('0' + seq / 100) +
                          static_cast<char>('0' + seq / 10 % 10) + static_cast<char>('0' + seq % 10);
    std::copy(first17.begin(), first17.end(), r.id.begin());
    r.id[17] = IdCheckChar(first17);
    r.name = RandomName(rng.Next(), r.male);

    // Deaths during the window, mostly of the old.
    double p_death = year <= 1945 ? 0.7 : year <= 1955 ? 0.4 : year <= 1966 ? 0.12 : 0.01;
    if (rng.Chance(p_death)) r.death_month = YyyymmOf(rng.Range(first_i, last_i));
    auto alive_in = [&](int yyyymm) { return r.death_month == 0 || yyyymm < r.death_month; };

    // 职工 employees and pensioners.
    int retire = r.MonthAtAge(r.male ? 60 : 55);
    if (year >= 1956 && year <= 2006 && rng.Chance(0.19)) {
      int adult = r.MonthAtAge(18);
      int start = rng.Chance(0.45) ? std::max(first, adult) : YyyymmOf(rng.Range(first_i, last_i));
      start = std::max(start, adult);
      if (start <= last && start < retire && alive_in(start)) {
        r.unit = employers.Pick(rng);
        r.emp_from = start;
        if (rng.Chance(0.3)) r.emp_to = YyyymmOf(rng.Range(MonthIndex(start), last_i));
        if (retire <= last && (r.emp_to == 0 || r.emp_to >= retire)) {
          r.emp_to = YyyymmOf(MonthIndex(retire) - 1);
          r.retire_month = retire;
        }
        if (r.death_month && (r.emp_to == 0 || r.emp_to >= r.death_month)) {
          r.emp_to = YyyymmOf(MonthIndex(r.death_month) - 1);
          r.retire_month = 0;
        }
        if (r.emp_to != 0 && r.emp_to < r.emp_from) {
          r.unit = -1;
          r.emp_from = r.emp_to = r.retire_month = 0;
        } else {
          r.systems |= kInShebao;
          r.base = rng.Range(3500, 9000);
          r.insurance = 1;
          if (rng.Chance(0.25)) r.insurance |= 2;
          if (rng.Chance(0.05)) r.insurance |= 4;
          if (rng.Chance(0.15)) r.insurance |= 8;
          if (rng.Chance(0.03)) r.insurance |= 16;
        }
      }
    } else if (year <= 1966 && retire <= last && rng.Chance(0.07)) {
      r.systems |= kInShebao;  // retired before the window or during it
      r.retire_month = retire;
      r.unit = employers.Pick(rng);
      r.insurance = 1;
      r.base = rng.Range(2500, 6000);
    }
    // 机保 personnel of organs and institutions.
    if (!(r.systems & kInShebao) && year >= 1967 && year <= 2000 && rng.Chance(0.0265)) {
      r.jibao_unit = organs.Pick(rng);
      int entry_m = std::min(last_i, MonthIndex(r.MonthAtAge(22)) + rng.Range(0, 120));
      int ym = YyyymmOf(entry_m);
      r.jibao_entry = ym * 100 + rng.Range(1, 28);
      r.jibao_salary = rng.Range(4000, 10000);
      if (r.jibao_unit >= 0 && (r.death_month == 0 || ym < r.death_month)) {
        r.systems |= kInJibao;
      } else {
        r.jibao_unit = -1;
      }
    }
    // 居保: residents 16+ not in 职工 or 机保 (and some former employees).
    bool adult_at_end = r.MonthAtAge(16) <= last;
    bool employed_now = r.unit >= 0 && r.emp_to == 0 && r.retire_month == 0;
    bool shebao_pensioner = r.retire_month != 0;
    if (adult_at_end && !employed_now && !shebao_pensioner && !(r.systems & kInJibao)) {
      bool former = r.unit >= 0 && r.emp_to != 0;
      if (rng.Chance(former ? 0.3 : 0.82)) {
        int from_month = former ? YyyymmOf(MonthIndex(r.emp_to) + 1) : std::max(r.MonthAtAge(16), 201001);
        if (!former && rng.Chance(0.4)) from_month = std::max(from_month, YyyymmOf(rng.Range(first_i - 60, last_i)));
        if (from_month <= last && alive_in(from_month)) {
          r.systems |= kInJubao;
          r.jubao_from = from_month * 100 + rng.Range(1, 28);
          static const int kLevels[] = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000, 3000, 4000, 5000};
          static const int kLevelWeights[] = {30, 25, 15, 6, 8, 2, 1, 1, 1, 5, 2, 2, 1, 1, 1};
          r.jubao_level = kLevels[rng.Weighted(kLevelWeights)];
        }
      }
    }
    // 就业 services.
    bool working_age = year >= 1962 && year <= 2008;
    double p_jiuye = (r.systems & kInShebao) && r.emp_from ? 0.3 : (r.systems & kInJubao) && working_age ? 0.08
                     : working_age ? 0.03 : 0.0;
    if (rng.Chance(p_jiuye)) r.systems |= kInJiuye;
    pop.residents.push_back(std::move(r));
  }
  // Birth conflicts: persons in at least two master systems; the wrong date
  // is written by 居保, 社保 or 就业 (机保 writes only year and month).
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    Resident& r = pop.residents[i];
    int n = __builtin_popcount(r.systems);
    if (n < 2) continue;
    Rng rng = Rng::Stream(seed, Tag("birth_conflict"), i);
    if (!rng.Chance(0.04)) continue;
    uint8_t options[3];
    int k = 0;
    for (uint8_t bit : {kInJubao, kInShebao, kInJiuye}) {
      if (r.systems & bit) options[k++] = bit;
    }
    if (k > 0) r.birth_conflict_in = options[rng.Below(static_cast<uint64_t>(k))];
  }
  return pop;
}

}  // namespace hrss::sim
