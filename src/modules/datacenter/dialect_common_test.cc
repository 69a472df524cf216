// dialect::Field remembers, per reader header, where each asked-for column
// is; the answer must stay that of a search through the header whatever the
// headers and names that come and go.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "modules/datacenter/dialect_common.h"

namespace hrss::datacenter::dialect {
namespace {

ingest::Record Rec(std::shared_ptr<const std::vector<std::string>> cols,
                   std::vector<std::string> values) {
  ingest::Record r;
  r.columns = std::move(cols);
  r.values = std::move(values);
  return r;
}

TEST(DialectField, FollowsEachHeaderAndName) {
  auto a = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"流水号", "身份证号", "发放年月"});
  auto b = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"发放年月", "流水号"});
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(Field(Rec(a, {"F1", "ID", "202401"}), "身份证号"), "ID");
    EXPECT_EQ(Field(Rec(a, {"F1", "ID", "202401"}), "流水号"), "F1");
    // Another header, the same literal names: other positions.
    EXPECT_EQ(Field(Rec(b, {"202402", "F2"}), "流水号"), "F2");
    EXPECT_EQ(Field(Rec(b, {"202402", "F2"}), "身份证号"), "");
    EXPECT_EQ(Field(Rec(b, {"202402", "F2"}), "发放年月"), "202402");
  }
  // A name at one address that changes its text between calls (a reused
  // buffer) is looked up by its text.
  std::string name = "流水号";
  EXPECT_EQ(Field(Rec(a, {"F1", "ID", "202401"}), name), "F1");
  name = "身份证";
  name += "号";
  EXPECT_EQ(Field(Rec(a, {"F1", "ID", "202401"}), name), "ID");
  // A record shorter than its header: the missing values are absent.
  EXPECT_EQ(Field(Rec(a, {"F1"}), "发放年月"), "");
  EXPECT_EQ(Field(Rec(a, {"F1", "ID", "202401"}), "发放年月"), "202401");
  // More names than remembered places: still found.
  std::vector<std::string> many_cols, many_values;
  for (int i = 0; i < 40; ++i) {
    many_cols.push_back("c" + std::to_string(i));
    many_values.push_back("v" + std::to_string(i));
  }
  auto m = std::make_shared<const std::vector<std::string>>(many_cols);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 40; ++i) {
      EXPECT_EQ(Field(Rec(m, many_values), many_cols[static_cast<size_t>(i)]), many_values[i]);
    }
  }
}

}  // namespace
}  // namespace hrss::datacenter::dialect
