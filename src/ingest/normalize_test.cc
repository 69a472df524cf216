#include "ingest/normalize.h"

#include <gtest/gtest.h>

#include "core/ids.h"

namespace hrss::ingest {
namespace {

// Clock at 2026-01-01T00:00Z (2026-01-01 08:00 in China).
const ManualClock& TestClock() {
  static const ManualClock clock;
  return clock;
}

std::string Reason(const Status& s) {
  const std::string& m = s.message();
  return m.substr(0, m.find(':'));
}

template <typename T>
std::string ReasonOf(const Result<T>& r) {
  return r.ok() ? std::string("OK") : Reason(r.status());
}

TEST(Normalize, HalfWidthAndCleanText) {
  EXPECT_EQ(ToHalfWidth("５１１７２４ＡＢｃ！　x"), "511724ABc! x");
  EXPECT_EQ(ToHalfWidth("张三"), "张三");
  EXPECT_EQ(CleanText("  张　三 \t 丰  "), "张 三 丰");
  EXPECT_EQ(CleanText("ａ  ｂ"), "a b");
  EXPECT_EQ(CleanText(""), "");
}

TEST(Normalize, IdTestVectors) {
  const Clock& c = TestClock();
  EXPECT_EQ(*NormalizeId("511724199001010018", c), "511724199001010018");
  EXPECT_EQ(*NormalizeId("511724200002290045", c), "511724200002290045");
  EXPECT_EQ(*NormalizeId("11010519491231002X", c), "11010519491231002X");
  auto bad = NormalizeId("340524198001010013", c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Reason(bad.status()), "ID_CHECKSUM");
  EXPECT_EQ(bad.status().reason(), "ID_CHECKSUM");
  // The number is masked in the message: first 6, last 4.
  EXPECT_EQ(bad.status().message().find("340524198001010013"), std::string::npos);
  EXPECT_NE(bad.status().message().find("340524********0013"), std::string::npos)
      << bad.status().message();
}

TEST(Normalize, IdDirt) {
  const Clock& c = TestClock();
  // id15: 15 → 18 digits.
  EXPECT_EQ(*NormalizeId("511724900101001", c), "511724199001010018");
  // id_lower_x.
  EXPECT_EQ(*NormalizeId("11010519491231002x", c), "11010519491231002X");
  // fullwidth digits, Ｘ and full-width spaces.
  EXPECT_EQ(*NormalizeId("　１１０１０５１９４９１２３１００２Ｘ　", c), "11010519491231002X");
  EXPECT_EQ(*NormalizeId("１１０１０５１９４９１２３１００２ｘ", c), "11010519491231002X");
  // spaces inside and around.
  EXPECT_EQ(*NormalizeId(" 511724 19900101 0018 ", c), "511724199001010018");
  EXPECT_EQ(*NormalizeId("5117241990\t01010018", c), "511724199001010018");
  // Reasons.
  EXPECT_EQ(ReasonOf(NormalizeId("", c)), "ID_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeId(" 　 ", c)), "ID_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeId("51172419900101001", c)), "ID_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeId("51172419900101001A", c)), "ID_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeId("5117241990010100一8", c)), "ID_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeId("51172490010100X", c)), "ID_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeId("511724199001010019", c)), "ID_CHECKSUM");
  // Birth dates: no such day, before 1900, in the future (check digits fixed).
  auto with_check = [](std::string first17) { return first17 + IdCheckChar(first17); };
  EXPECT_EQ(ReasonOf(NormalizeId(with_check("51172419900230001"), c)), "ID_BIRTH");
  EXPECT_EQ(ReasonOf(NormalizeId(with_check("51172420300101001"), c)), "ID_BIRTH");
  EXPECT_EQ(ReasonOf(NormalizeId(with_check("51172418991231001"), c)), "ID_BIRTH");
  EXPECT_EQ(ReasonOf(NormalizeId(with_check("51172420260101001"), c)), "OK");  // today in China
  EXPECT_EQ(ReasonOf(NormalizeId(with_check("51172420260102001"), c)), "ID_BIRTH");
  for (const std::string& raw :
       {std::string("511724199001010019"), std::string("51172419900101001A"),
        with_check("51172420300101001")}) {
    auto r = NormalizeId(raw, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message().find(raw), std::string::npos) << r.status().message();
  }
}

TEST(Normalize, Credit) {
  bool ok = false;
  EXPECT_EQ(*NormalizeCredit(" 91350200776049653a ", &ok), "91350200776049653A");
  EXPECT_TRUE(ok);
  EXPECT_EQ(*NormalizeCredit("９１４４０１０１ＭＡ５ＣＪＱ４Ｎ５９", &ok), "91440101MA5CJQ4N59");
  EXPECT_TRUE(ok);
  EXPECT_EQ(*NormalizeCredit("91350200776049653B", &ok), "91350200776049653B");
  EXPECT_FALSE(ok);
  EXPECT_EQ(ReasonOf(NormalizeCredit("", &ok)), "CREDIT_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeCredit("9135020077604965", &ok)), "CREDIT_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeCredit("91350200776049653I", &ok)), "CREDIT_FORMAT");
}

TEST(Normalize, Names) {
  EXPECT_EQ(*NormalizeName("张三"), "张三");
  EXPECT_EQ(*NormalizeName(" 张 三 "), "张三");
  EXPECT_EQ(*NormalizeName("张　三"), "张三");
  EXPECT_EQ(*NormalizeName("阿依古丽・买买提"), "阿依古丽·买买提");
  EXPECT_EQ(*NormalizeName("阿依古丽•买买提"), "阿依古丽·买买提");
  EXPECT_EQ(*NormalizeName("阿依古丽．买买提"), "阿依古丽·买买提");
  EXPECT_EQ(*NormalizeName("ＪＯＨＮ"), "JOHN");
  EXPECT_EQ(ReasonOf(NormalizeName("  ")), "NAME_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeName("张3")), "NAME_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeName("张３")), "NAME_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeName(std::string(31 * 3, 'a'))), "NAME_FORMAT");
  std::string long_cn;
  for (int i = 0; i < 31; ++i) long_cn += "张";
  EXPECT_EQ(ReasonOf(NormalizeName(long_cn)), "NAME_FORMAT");
  EXPECT_EQ(ReasonOf(NormalizeName("\xFF")), "NAME_FORMAT");
}

TEST(Normalize, DateFormats) {
  for (const char* raw : {"1980-03-05", "1980-3-5", "1980/3/5", "1980/03/05", "1980.03.05",
                          "19800305", "1980年3月5日", "1980年03月05日", "１９８０－０３－０５",
                          "１９８０年３月５日", " 1980-03-05 ", "1980-03-05 00:00:00", "29285"}) {
    auto r = NormalizeDate(raw);
    ASSERT_TRUE(r.ok()) << raw << ": " << r.status().ToString();
    EXPECT_EQ(*r, "1980-03-05") << raw;
  }
  EXPECT_EQ(*NormalizeDate("45292"), "2024-01-01");
  EXPECT_EQ(*NormalizeDate("45292.5"), "2024-01-01");
  EXPECT_EQ(*NormalizeDate("1"), "1900-01-01");
  EXPECT_EQ(*NormalizeDate("59"), "1900-02-28");
  EXPECT_EQ(*NormalizeDate("61"), "1900-03-01");
  EXPECT_EQ(*NormalizeDate("2000-02-29"), "2000-02-29");
  EXPECT_EQ(ReasonOf(NormalizeDate("60")), "BAD_DATE");
  EXPECT_EQ(ReasonOf(NormalizeDate("0")), "BAD_DATE");
  EXPECT_EQ(ReasonOf(NormalizeDate("2958466")), "BAD_DATE");
  EXPECT_EQ(ReasonOf(NormalizeDate("45292", /*allow_serial=*/false)), "BAD_DATE");
  auto feb30 = NormalizeDate("2023-02-30");
  ASSERT_FALSE(feb30.ok());
  EXPECT_EQ(feb30.status().message(), "BAD_DATE: 2023-02-30");
  for (const char* raw :
       {"1900-02-29", "2023-13-01", "2023-00-10", "1899-12-31", "2101-01-01", "20230230", "abc",
        "2023-02", "1975.03", "2023--02-01", "1980年3月", "2023/02/30"}) {
    EXPECT_EQ(ReasonOf(NormalizeDate(raw)), "BAD_DATE") << raw;
  }
  EXPECT_EQ(ReasonOf(NormalizeDate("")), "DATE_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeDate(" 　")), "DATE_EMPTY");
}

TEST(Normalize, Periods) {
  for (const char* raw : {"202401", "2024-01", "2024-1", "2024/01", "2024.01", "2024年1月",
                          "2024年01月", "２０２４０１", " 2024-01 "}) {
    auto r = NormalizePeriod(raw);
    ASSERT_TRUE(r.ok()) << raw << ": " << r.status().ToString();
    EXPECT_EQ(*r, 202401) << raw;
  }
  EXPECT_EQ(*NormalizePeriod("1975.03"), 197503);
  EXPECT_EQ(*NormalizePeriod("2024-12"), 202412);
  for (const char* raw :
       {"", "202413", "202400", "2024", "2024-01-05", "abc", "24-01", "2024年13月"}) {
    EXPECT_EQ(ReasonOf(NormalizePeriod(raw)), "BAD_PERIOD") << raw;
  }
}

TEST(Normalize, Gender) {
  for (const char* m : {"1", "男", "男性", "M", "m", "male", "Male", " 男 ", "Ｍ"}) {
    EXPECT_EQ(*NormalizeGender(m), "1") << m;
  }
  for (const char* f : {"2", "女", "女性", "F", "f", "female", "FEMALE"}) {
    EXPECT_EQ(*NormalizeGender(f), "2") << f;
  }
  EXPECT_EQ(*NormalizeGender("9"), "9");
  EXPECT_EQ(*NormalizeGender("未说明"), "9");
  EXPECT_EQ(*NormalizeGender("0"), "0");
  EXPECT_EQ(*NormalizeGender(""), "0");
  EXPECT_EQ(*NormalizeGender("  "), "0");
  EXPECT_EQ(ReasonOf(NormalizeGender("3")), "BAD_GENDER");
  EXPECT_EQ(ReasonOf(NormalizeGender("x")), "BAD_GENDER");
}

TEST(Normalize, Amounts) {
  EXPECT_EQ(*NormalizeAmountFen("1234.5"), 123450);
  EXPECT_EQ(*NormalizeAmountFen("1,234.50"), 123450);
  EXPECT_EQ(*NormalizeAmountFen("1,000.00"), 100000);
  EXPECT_EQ(*NormalizeAmountFen("￥1234.50"), 123450);
  EXPECT_EQ(*NormalizeAmountFen("¥ 200.00"), 20000);
  EXPECT_EQ(*NormalizeAmountFen("１２３.５"), 12350);
  EXPECT_EQ(*NormalizeAmountFen("１２３．５０"), 12350);
  EXPECT_EQ(*NormalizeAmountFen("-12.34"), -1234);
  EXPECT_EQ(*NormalizeAmountFen("-￥5"), -500);
  EXPECT_EQ(*NormalizeAmountFen("1.500"), 150);
  EXPECT_EQ(*NormalizeAmountFen("0"), 0);
  EXPECT_EQ(*NormalizeAmountFen("0.01"), 1);
  EXPECT_EQ(*NormalizeAmountFen("200"), 20000);
  EXPECT_EQ(*NormalizeAmountFen(" 8500.5 "), 850050);
  EXPECT_EQ(*NormalizeAmountFen("100元"), 10000);
  EXPECT_EQ(*NormalizeAmountFen("92233720368547"), 9223372036854700);
  for (const char* raw : {"12..5", "abc", "0.125", "1.2.3", "-", ".", "1,,000", ",100", "100,",
                          "1e5", "+-1", "1 2.3x", "12.5元元", "1234567890123456"}) {
    auto r = NormalizeAmountFen(raw);
    ASSERT_FALSE(r.ok()) << raw;
    EXPECT_EQ(Reason(r.status()), "BAD_AMOUNT") << raw;
  }
  EXPECT_EQ(ReasonOf(NormalizeAmountFen("")), "AMOUNT_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeAmountFen("　")), "AMOUNT_EMPTY");
}

TEST(Normalize, Division) {
  EXPECT_EQ(*NormalizeDivision("竹阳街道"), "511724001");
  EXPECT_EQ(*NormalizeDivision("竹阳"), "511724001");
  EXPECT_EQ(*NormalizeDivision(" 石桥铺镇 "), "511724108");
  EXPECT_EQ(*NormalizeDivision("石桥铺"), "511724108");
  EXPECT_EQ(*NormalizeDivision("川主乡"), "511724231");
  EXPECT_EQ(*NormalizeDivision("四川省达州市大竹县白塔街道"), "511724003");
  EXPECT_EQ(*NormalizeDivision("511724001"), "511724001");
  EXPECT_EQ(*NormalizeDivision("５１１７２４００３"), "511724003");
  EXPECT_EQ(*NormalizeDivision("511724101000"), "511724101");
  EXPECT_EQ(*NormalizeDivision("511724101203"), "511724101");  // a village code: first 9
  EXPECT_EQ(ReasonOf(NormalizeDivision("511724")), "BAD_DIVISION");
  EXPECT_EQ(ReasonOf(NormalizeDivision("511724999")), "BAD_DIVISION");
  EXPECT_EQ(ReasonOf(NormalizeDivision("北京")), "BAD_DIVISION");
  EXPECT_EQ(ReasonOf(NormalizeDivision("")), "DIVISION_EMPTY");
  EXPECT_EQ(ReasonOf(NormalizeDivision("  ")), "DIVISION_EMPTY");
}

TEST(Normalize, Mobile) {
  EXPECT_EQ(*NormalizeMobile("13812345678"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("+86 138 1234 5678"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("+8613812345678"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("8613812345678"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("0086-138-1234-5678"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("１３８１２３４５６７８"), "13812345678");
  EXPECT_EQ(*NormalizeMobile("＋８６　138-1234-5678"), "13812345678");
  for (const char* raw :
       {"", "1381234567", "23812345678", "0818-6231234", "138123456789", "1381234567a"}) {
    EXPECT_EQ(ReasonOf(NormalizeMobile(raw)), "BAD_MOBILE") << raw;
  }
  auto r = NormalizeMobile("2381234567");
  EXPECT_EQ(r.status().message().find("2381234567"), std::string::npos);
}

TEST(Normalize, RowHash) {
  EXPECT_EQ(RowHash({}), 14695981039346656037ULL);
  EXPECT_EQ(RowHash({"a"}), 0xaf63dc4c8601ec8cULL);  // FNV-1a 64 of "a"
  EXPECT_NE(RowHash({"ab", "c"}), RowHash({"a", "bc"}));
  EXPECT_EQ(RowHash({"a", "b"}), RowHash({"a\x1f"
                                          "b"}));
}

}  // namespace
}  // namespace hrss::ingest
