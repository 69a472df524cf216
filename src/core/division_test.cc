#include "core/division.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace hrss {
namespace {

const DivisionTable& T() { return DivisionTable::Builtin(); }

TEST(DivisionTableTest, Version) { EXPECT_EQ(T().version(), "NBS-2023"); }

TEST(DivisionTableTest, Hierarchy) {
  const Division* sc = T().Find("510000");
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ(sc->name, "四川省");
  EXPECT_EQ(sc->level, 1);
  EXPECT_EQ(sc->parent_code, "");
  const Division* dz = T().Find("511700");
  ASSERT_NE(dz, nullptr);
  EXPECT_EQ(dz->name, "达州市");
  EXPECT_EQ(dz->parent_code, "510000");
  EXPECT_EQ(dz->level, 2);
  const Division* dzx = T().Find("511724");
  ASSERT_NE(dzx, nullptr);
  EXPECT_EQ(dzx->name, "大竹县");
  EXPECT_EQ(dzx->parent_code, "511700");
  EXPECT_EQ(dzx->level, 3);
  EXPECT_EQ(dzx->kind, "县");
  EXPECT_FALSE(dzx->retired());
}

TEST(DivisionTableTest, DazhouCounties) {
  std::vector<std::string> names;
  for (const Division* d : T().Children("511700")) names.push_back(d->code + d->name);
  EXPECT_EQ(names, (std::vector<std::string>{"511702通川区", "511703达川区", "511722宣汉县",
                                             "511723开江县", "511724大竹县", "511725渠县",
                                             "511781万源市"}));
}

TEST(DivisionTableTest, LegacyDaxianCode) {
  const Division* d = T().Find("511721");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "达县");
  EXPECT_TRUE(d->retired());
  const Division* cur = T().FindCurrent("511721");
  ASSERT_NE(cur, nullptr);
  EXPECT_EQ(cur->code, "511703");
  EXPECT_EQ(T().FindCurrent("511724")->code, "511724");
  EXPECT_EQ(T().FindCurrent("999999"), nullptr);
}

TEST(DivisionTableTest, ExactlyThe31Townships) {
  const std::vector<const Division*> ts = T().Townships();
  ASSERT_EQ(ts.size(), 31u);
  const std::vector<std::string> expected = {
      "511724001竹阳街道", "511724002东柳街道", "511724003白塔街道", "511724101乌木镇",
      "511724102团坝镇",   "511724103杨家镇",   "511724104清河镇",   "511724105柏林镇",
      "511724106石河镇",   "511724107中华镇",   "511724108石桥铺镇", "511724109观音镇",
      "511724110周家镇",   "511724111石子镇",   "511724112文星镇",   "511724113妈妈镇",
      "511724114高穴镇",   "511724115欧家镇",   "511724116庙坝镇",   "511724117清水镇",
      "511724118月华镇",   "511724119高明镇",   "511724120童家镇",   "511724121天城镇",
      "511724125四合镇",   "511724126永胜镇",   "511724203朝阳乡",   "511724214安吉乡",
      "511724218八渡乡",   "511724220杨通乡",   "511724231川主乡"};
  std::set<std::string> codes;
  std::set<std::string> names;
  for (size_t i = 0; i < ts.size(); ++i) {
    EXPECT_EQ(ts[i]->code + ts[i]->name, expected[i]);
    EXPECT_EQ(ts[i]->parent_code, "511724");
    EXPECT_EQ(ts[i]->level, 4);
    EXPECT_EQ(ts[i]->code.size(), 9u);
    const char suffix = ts[i]->code[6];
    EXPECT_EQ(ts[i]->kind, suffix == '0' ? "街道" : suffix == '1' ? "镇" : "乡");
    EXPECT_TRUE(ts[i]->name.ends_with(ts[i]->kind));
    codes.insert(ts[i]->code);
    names.insert(ts[i]->name);
  }
  EXPECT_EQ(codes.size(), 31u);
  EXPECT_EQ(names.size(), 31u);
  EXPECT_EQ(T().Children("511724").size(), 31u);
}

TEST(DivisionTableTest, FindAcceptsNbs12DigitCode) {
  const Division* d = T().Find("511724108000");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "石桥铺镇");
  EXPECT_EQ(T().Find("511724108001"), nullptr);
  EXPECT_EQ(T().Find(""), nullptr);
  EXPECT_EQ(T().Find("511724999"), nullptr);
}

TEST(DivisionTableTest, FindTownshipByName) {
  ASSERT_NE(T().FindTownshipByName("竹阳街道"), nullptr);
  EXPECT_EQ(T().FindTownshipByName("竹阳街道")->code, "511724001");
  EXPECT_EQ(T().FindTownshipByName("竹阳")->code, "511724001");
  EXPECT_EQ(T().FindTownshipByName("乌木镇")->code, "511724101");
  EXPECT_EQ(T().FindTownshipByName("石桥铺")->code, "511724108");
  EXPECT_EQ(T().FindTownshipByName("朝阳乡")->code, "511724203");
  EXPECT_EQ(T().FindTownshipByName("川主")->code, "511724231");
  EXPECT_EQ(T().FindTownshipByName("朝阳镇"), nullptr);  // wrong suffix
  EXPECT_EQ(T().FindTownshipByName("大竹县"), nullptr);
  EXPECT_EQ(T().FindTownshipByName(""), nullptr);
  EXPECT_EQ(T().FindTownshipByName("街道"), nullptr);
}

TEST(DivisionTableTest, CreateValidates) {
  EXPECT_TRUE(DivisionTable::Create("x", {{"510000", "四川省", "", 1, "省", ""}}).ok());
  EXPECT_FALSE(DivisionTable::Create(
                   "x", {{"510000", "a", "", 1, "省", ""}, {"510000", "b", "", 1, "省", ""}})
                   .ok());
  EXPECT_FALSE(DivisionTable::Create("x", {{"511700", "达州市", "510000", 2, "市", ""}}).ok());
  EXPECT_FALSE(DivisionTable::Create("x", {{"510000", "四川省", "", 5, "省", ""}}).ok());
  EXPECT_FALSE(DivisionTable::Create("x", {{"511721", "达县", "", 3, "县", "511703"}}).ok());
  // A successor cycle in loaded data does not hang FindCurrent.
  Result<DivisionTable> t = DivisionTable::Create(
      "x", {{"100000", "a", "", 1, "省", "200000"}, {"200000", "b", "", 1, "省", "100000"}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->FindCurrent("100000"), nullptr);
}

}  // namespace
}  // namespace hrss
