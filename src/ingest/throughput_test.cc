// Throughput of the collection hot path: a 1M-line GBK CSV read and its key
// fields normalized. Disabled by default (it writes ~110 MB to the temp dir);
// run with --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "core/ids.h"
#include "ingest/normalize.h"
#include "ingest/reader.h"
#include "ingest/test_util.h"

namespace hrss::ingest {
namespace {

std::string MakeJfmx(int rows) {
  std::string utf8 =
      "流水号,个人编号,姓名,身份证号,出生日期,乡镇,缴费年度,个人缴费,政府补贴,到账日期,操作\r\n";
  const char* names[] = {"张三", "李四", "王五", "欧阳娜娜", "阿依古丽·买买提"};
  const char* towns[] = {"竹阳街道", "石桥铺镇", "", "川主乡", "白塔街道"};
  const char* amounts[] = {"200.00", "1,000.00", "300.00", "500.00", "１００.００"};
  char buf[64];
  for (int i = 0; i < rows; ++i) {
    std::snprintf(buf, sizeof buf, "511724%04d%02d%02d%03d", 1950 + i % 50, 1 + i % 12, 1 + i % 28,
                  i % 1000);
    std::string first17(buf, 17);
    std::string id = first17 + IdCheckChar(first17);
    if (i % 50 == 0) id.back() = id.back() == '1' ? '2' : '1';  // wrong check digit
    std::string birth =
        first17.substr(6, 4) + "-" + first17.substr(10, 2) + "-" + first17.substr(12, 2);
    utf8 += "LS" + std::to_string(10000000 + i) + ",JB" + std::to_string(1000000000 + i / 3) + "," +
            names[i % 5] + "," + id + "," + birth + "," + towns[i % 5] + ",2024," +
            (i % 5 == 1 ? std::string("\"1,000.00\"") : std::string(amounts[i % 5])) +
            ",30.00,2024/3/" + std::to_string(1 + i % 28) + ",I\r\n";
  }
  return testing::Gbk(utf8);
}

TEST(Throughput, DISABLED_GbkCsvParseAndNormalize) {
  testing::TempDir dir;
  const int kRows = 1000000;
  const std::string path = dir.File("jfmx_d01.csv");
  testing::WriteBytes(path, MakeJfmx(kRows));
  const ManualClock clock;
  for (int pass = 0; pass < 2; ++pass) {
    CsvOptions o;
    o.encoding = Encoding::kGbk;
    auto t0 = std::chrono::steady_clock::now();
    auto reader = OpenCsv(path, o);
    ASSERT_TRUE(reader.ok());
    Record rec;
    int64_t rows = 0, ok = 0, fen = 0;
    // Parse only.
    while (true) {
      auto r = (*reader)->Next(&rec);
      ASSERT_TRUE(r.ok());
      if (!*r) break;
      ++rows;
    }
    auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE((*reader)->Seek(Position{}).ok());
    while (true) {
      auto r = (*reader)->Next(&rec);
      ASSERT_TRUE(r.ok());
      if (!*r) break;
      auto id = NormalizeId(rec.values[3], clock);
      auto birth = NormalizeDate(rec.values[4]);
      auto amount = NormalizeAmountFen(rec.values[7]);
      auto paid = NormalizeDate(rec.values[9]);
      if (id.ok() && birth.ok() && amount.ok() && paid.ok()) {
        ++ok;
        fen += *amount;
      }
    }
    auto t2 = std::chrono::steady_clock::now();
    ASSERT_TRUE((*reader)->Seek(Position{}).ok());
    while (true) {
      auto r = (*reader)->Next(&rec);
      ASSERT_TRUE(r.ok());
      if (!*r) break;
      auto id = NormalizeId(rec.values[3], clock);
      auto name = NormalizeName(rec.values[2]);
      auto birth = NormalizeDate(rec.values[4]);
      auto town = rec.values[5].empty() ? Result<std::string>(std::string())
                                        : NormalizeDivision(rec.values[5]);
      auto period = NormalizePeriod(rec.values[6] + "01");
      auto amount = NormalizeAmountFen(rec.values[7]);
      auto sub = NormalizeAmountFen(rec.values[8]);
      auto paid = NormalizeDate(rec.values[9]);
      uint64_t h = RowHash({rec.values[0], rec.values[1], rec.values[3], rec.values[7]});
      (void)h;
    }
    auto t3 = std::chrono::steady_clock::now();
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::printf(
        "pass %d: %lld rows, %.1f MB; parse only %.0f rows/s; parse+id+2 dates+amount %.0f rows/s "
        "(%lld ok, %lld fen); parse+8 normalizers+hash %.0f rows/s\n",
        pass, static_cast<long long>(rows), (*reader)->size_hint() / 1e6, rows / secs(t0, t1),
        rows / secs(t1, t2), static_cast<long long>(ok), static_cast<long long>(fen),
        rows / secs(t2, t3));
    EXPECT_EQ(rows, kRows);
    EXPECT_EQ(ok, kRows - kRows / 50);
  }
}

}  // namespace
}  // namespace hrss::ingest
