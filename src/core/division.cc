#include "core/division.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace hrss {
namespace {

// Township-level suffixes, longest first.
constexpr std::string_view kTownshipSuffixes[] = {"街道", "镇", "乡"};

std::vector<Division> BuiltinRows() {
  std::vector<Division> rows = {
      {"510000", "四川省", "", 1, "省", ""},
      {"511700", "达州市", "510000", 2, "市", ""},
      {"511702", "通川区", "511700", 3, "区", ""},
      {"511703", "达川区", "511700", 3, "区", ""},
      // 达县 was abolished in 2013 and became 达川区 (511703); the old code is
      // still printed on ID numbers issued before then.
      {"511721", "达县", "511700", 3, "县", "511703"},
      {"511722", "宣汉县", "511700", 3, "县", ""},
      {"511723", "开江县", "511700", 3, "县", ""},
      {"511724", "大竹县", "511700", 3, "县", ""},
      {"511725", "渠县", "511700", 3, "县", ""},
      {"511781", "万源市", "511700", 3, "市", ""},
  };
  // Dazhu's 31 township-level units (NBS 2023), see shared/DOMAIN.md.
  struct Unit {
    const char* suffix3;
    const char* name;
  };
  static constexpr Unit kSubdistricts[] = {{"001", "竹阳"}, {"002", "东柳"}, {"003", "白塔"}};
  static constexpr Unit kTowns[] = {
      {"101", "乌木"}, {"102", "团坝"}, {"103", "杨家"},   {"104", "清河"}, {"105", "柏林"},
      {"106", "石河"}, {"107", "中华"}, {"108", "石桥铺"}, {"109", "观音"}, {"110", "周家"},
      {"111", "石子"}, {"112", "文星"}, {"113", "妈妈"},   {"114", "高穴"}, {"115", "欧家"},
      {"116", "庙坝"}, {"117", "清水"}, {"118", "月华"},   {"119", "高明"}, {"120", "童家"},
      {"121", "天城"}, {"125", "四合"}, {"126", "永胜"}};
  static constexpr Unit kTownships[] = {
      {"203", "朝阳"}, {"214", "安吉"}, {"218", "八渡"}, {"220", "杨通"}, {"231", "川主"}};
  auto add = [&rows](const Unit& u, const char* kind) {
    rows.push_back(
        {std::string("511724") + u.suffix3, std::string(u.name) + kind, "511724", 4, kind, ""});
  };
  for (const Unit& u : kSubdistricts) add(u, "街道");
  for (const Unit& u : kTowns) add(u, "镇");
  for (const Unit& u : kTownships) add(u, "乡");
  return rows;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<DivisionTable> DivisionTable::Create(std::string version, std::vector<Division> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  std::set<std::string_view> codes;
  for (const Division& d : rows) {
    if (d.code.empty() || !AllDigits(d.code)) {
      return Status::InvalidArgument("division table: a code is empty or not all digits");
    }
    if (!codes.insert(d.code).second) {
      return Status::InvalidArgument("division table: duplicate code " + d.code);
    }
    if (d.level < 1 || d.level > 4) {
      return Status::InvalidArgument("division table: bad level for " + d.code);
    }
  }
  for (const Division& d : rows) {
    if (!d.parent_code.empty() && !codes.count(d.parent_code)) {
      return Status::InvalidArgument("division table: unknown parent of " + d.code);
    }
    if (d.retired() && !codes.count(d.successor_code)) {
      return Status::InvalidArgument("division table: unknown successor of " + d.code);
    }
  }
  return DivisionTable(std::move(version), std::move(rows));
}

const DivisionTable& DivisionTable::Builtin() {
  static const DivisionTable* const table = [] {
    Result<DivisionTable> t = Create("NBS-2023", BuiltinRows());
    if (!t.ok()) std::abort();  // a bug in the compiled-in data
    return new DivisionTable(std::move(t).value());
  }();
  return *table;
}

const Division* DivisionTable::Find(std::string_view code) const {
  if (code.size() == 12 && code.substr(9) == "000") code = code.substr(0, 9);
  auto it = std::lower_bound(rows_.begin(), rows_.end(), code,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  if (it == rows_.end() || it->code != code) return nullptr;
  return &*it;
}

const Division* DivisionTable::FindCurrent(std::string_view code) const {
  const Division* d = Find(code);
  // Bounded so that a cycle in loaded data cannot loop forever.
  for (size_t hops = 0; d != nullptr && d->retired() && hops <= rows_.size(); ++hops) {
    d = Find(d->successor_code);
  }
  return d != nullptr && d->retired() ? nullptr : d;
}

std::vector<const Division*> DivisionTable::Children(std::string_view parent) const {
  std::vector<const Division*> out;
  for (const Division& d : rows_) {
    if (d.parent_code == parent && !d.retired()) out.push_back(&d);
  }
  return out;
}

std::vector<const Division*> DivisionTable::Townships() const {
  std::vector<const Division*> out;
  for (const Division& d : rows_) {
    if (d.level == 4 && !d.retired()) out.push_back(&d);
  }
  return out;
}

const Division* DivisionTable::FindTownshipByName(std::string_view name) const {
  if (name.empty()) return nullptr;
  const Division* found = nullptr;
  for (const Division& d : rows_) {
    if (d.level != 4 || d.retired()) continue;
    bool match = d.name == name;
    for (std::string_view suffix : kTownshipSuffixes) {
      std::string_view n = d.name;
      if (!match && n.size() > suffix.size() && n.ends_with(suffix) &&
          n.substr(0, n.size() - suffix.size()) == name) {
        match = true;
      }
    }
    if (!match) continue;
    if (found != nullptr) return nullptr;  // ambiguous
    found = &d;
  }
  return found;
}

}  // namespace hrss
