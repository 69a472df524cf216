#include "core/ids.h"

#include <gtest/gtest.h>

#include <string>

#include "core/clock.h"

namespace hrss {
namespace {

// 2026-01-01T00:00:00Z (08:00 in China).
ManualClock& TestClock() {
  static ManualClock clock(1'767'225'600'000);
  return clock;
}

// Appends the correct check character to 17 digits.
std::string WithCheck(const std::string& first17) { return first17 + IdCheckChar(first17); }

void ExpectInvalid(std::string_view raw, std::string_view reason) {
  Result<std::string> r = NormalizeIdNumber(raw, TestClock());
  ASSERT_FALSE(r.ok()) << raw;
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind(reason, 0), 0u) << r.status().message();
}

TEST(IdCheckCharTest, DomainVectors) {
  EXPECT_EQ(IdCheckChar("51172419900101001"), '8');
  EXPECT_EQ(IdCheckChar("51172420000229004"), '5');
  EXPECT_EQ(IdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckChar("34052419800101001"), 'X');  // so ...0013 is wrong
}

TEST(NormalizeIdNumberTest, AcceptsValidDomainVectors) {
  for (const char* id : {"511724199001010018", "511724200002290045", "11010519491231002X"}) {
    Result<std::string> r = NormalizeIdNumber(id, TestClock());
    ASSERT_TRUE(r.ok()) << id << ": " << r.status().ToString();
    EXPECT_EQ(*r, id);
  }
}

TEST(NormalizeIdNumberTest, RejectsBadCheckDigit) {
  ExpectInvalid("340524198001010013", "bad check digit");
  ExpectInvalid("511724199001010019", "bad check digit");
}

TEST(NormalizeIdNumberTest, LowercaseXStoredUppercase) {
  Result<std::string> r = NormalizeIdNumber("11010519491231002x", TestClock());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(NormalizeIdNumberTest, FullWidthAndSpaces) {
  // Full-width digits and Ｘ, surrounded by ASCII and ideographic spaces.
  Result<std::string> r =
      NormalizeIdNumber(" \t\u3000１１０１０５１９４９１２３１００２Ｘ\u3000 ", TestClock());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "11010519491231002X");
  r = NormalizeIdNumber("１１０１０５１９４９１２３１００２ｘ", TestClock());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(NormalizeIdNumberTest, Converts15DigitLegacyIds) {
  // 511724 900101 001 -> 511724 19900101 001 + check '8'.
  Result<std::string> r = NormalizeIdNumber("511724900101001", TestClock());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "511724199001010018");
  r = NormalizeIdNumber("110105491231002", TestClock());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "11010519491231002X");
  // Round trip: the 18-digit form normalizes to itself and parses back to
  // the same address code, date and sex as the legacy number.
  Result<std::string> again = NormalizeIdNumber(*r, TestClock());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
  Result<IdInfo> info = ParseIdNumber(*r);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->division_code, "110105");
  EXPECT_EQ(info->birth_year, 1949);
  EXPECT_EQ(info->birth_month, 12);
  EXPECT_EQ(info->birth_day, 31);
  EXPECT_FALSE(info->male);  // sequence 002
}

TEST(NormalizeIdNumberTest, Rejects15DigitWithBadDateOrLetters) {
  ExpectInvalid("511724900230001", "bad birth date");  // 1990-02-30
  ExpectInvalid("51172490010100X", "bad characters");
}

TEST(NormalizeIdNumberTest, RejectsBadLength) {
  ExpectInvalid("51172419900101001", "bad length");
  ExpectInvalid("5117241990010100188", "bad length");
  ExpectInvalid("", "bad length");
  ExpectInvalid("   ", "bad length");
}

TEST(NormalizeIdNumberTest, RejectsBadCharacters) {
  ExpectInvalid("5117241990010100 8", "bad characters");
  ExpectInvalid("51172419900101001Y", "bad characters");
  ExpectInvalid("5117241990X1010018", "bad characters");
  ExpectInvalid("511724-19900101-0018", "bad characters");
  ExpectInvalid("51172419900101001\xff", "bad characters");  // not UTF-8
  ExpectInvalid("５１１７２４一九九〇０１０１００１８", "bad characters");
}

TEST(NormalizeIdNumberTest, RejectsImpossibleDates) {
  ExpectInvalid(WithCheck("51172419900230001"), "bad birth date");  // Feb 30
  ExpectInvalid(WithCheck("51172419010229001"), "bad birth date");  // 1901 not leap
  ExpectInvalid(WithCheck("51172419001301001"), "bad birth date");  // month 13
  ExpectInvalid(WithCheck("51172419900000001"), "bad birth date");  // month 0
  ExpectInvalid(WithCheck("51172419900100001"), "bad birth date");  // day 0
  ExpectInvalid(WithCheck("51172418991231001"), "bad birth date");  // before 1900
  // Leap years: 2000 is one (400), 1900 is not (100).
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("51172420000229004"), TestClock()).ok());
  ExpectInvalid(WithCheck("51172419000229001"), "bad birth date");
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("51172419000101001"), TestClock()).ok());
}

TEST(NormalizeIdNumberTest, RejectsFutureBirthDate) {
  ExpectInvalid(WithCheck("51172420260102001"), "bad birth date");
  ExpectInvalid(WithCheck("51172430000101001"), "bad birth date");
  // Born today is fine.
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("51172420260101001"), TestClock()).ok());
}

TEST(NormalizeIdNumberTest, TodayIsTheDateInChina) {
  // 2025-12-31T16:00:00Z is already 2026-01-01 in China (UTC+8).
  ManualClock clock(1'767'196'800'000);
  EXPECT_TRUE(NormalizeIdNumber(WithCheck("51172420260101001"), clock).ok());
  clock.Advance(std::chrono::milliseconds(-1));  // 2025-12-31T23:59:59.999+08:00
  EXPECT_FALSE(NormalizeIdNumber(WithCheck("51172420260101001"), clock).ok());
}

TEST(NormalizeIdNumberTest, ErrorMessageDoesNotEchoTheId) {
  Result<std::string> r = NormalizeIdNumber("340524198001010013", TestClock());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("340524"), std::string::npos);
}

TEST(ParseIdNumberTest, ExtractsFields) {
  Result<IdInfo> info = ParseIdNumber("511724199001010018");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->division_code, "511724");
  EXPECT_EQ(info->birth_year, 1990);
  EXPECT_EQ(info->birth_month, 1);
  EXPECT_EQ(info->birth_day, 1);
  EXPECT_TRUE(info->male);  // sequence 001
  info = ParseIdNumber("511724200002290045");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->birth_year, 2000);
  EXPECT_EQ(info->birth_month, 2);
  EXPECT_EQ(info->birth_day, 29);
  EXPECT_FALSE(info->male);  // sequence 004
}

TEST(ParseIdNumberTest, RejectsNonCanonicalInput) {
  EXPECT_FALSE(ParseIdNumber("11010519491231002x").ok());  // lowercase
  EXPECT_FALSE(ParseIdNumber("511724900101001").ok());     // 15 digits
  EXPECT_FALSE(ParseIdNumber("340524198001010013").ok());  // check digit
  EXPECT_FALSE(ParseIdNumber(" 511724199001010018").ok());
  EXPECT_EQ(ParseIdNumber("").status().code(), Code::kInvalidArgument);
}

TEST(CreditCodeTest, DomainVectorsAreValid) {
  for (const char* code : {"91350200776049653A", "91440101MA5CJQ4N59"}) {
    Result<CreditCodeCheck> r = NormalizeCreditCode(code);
    ASSERT_TRUE(r.ok()) << code << ": " << r.status().ToString();
    EXPECT_EQ(r->normalized, code);
    EXPECT_TRUE(r->check_digit_ok) << code;
  }
  EXPECT_EQ(CreditCodeCheckChar("91350200776049653"), 'A');
  EXPECT_EQ(CreditCodeCheckChar("91440101MA5CJQ4N5"), '9');
}

TEST(CreditCodeTest, NormalizesCaseSpacesAndFullWidth) {
  Result<CreditCodeCheck> r = NormalizeCreditCode("  91440101ma5cjq4n59\u3000");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->normalized, "91440101MA5CJQ4N59");
  EXPECT_TRUE(r->check_digit_ok);
  r = NormalizeCreditCode("９１３５０２００７７６０４９６５３Ａ");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->normalized, "91350200776049653A");
  EXPECT_TRUE(r->check_digit_ok);
  r = NormalizeCreditCode("９１４４０１０１ｍａ５ｃｊｑ４ｎ５９");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->normalized, "91440101MA5CJQ4N59");
}

TEST(CreditCodeTest, BadCheckIsAWarningNotAnError) {
  Result<CreditCodeCheck> r = NormalizeCreditCode("91350200776049653B");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->normalized, "91350200776049653B");
  EXPECT_FALSE(r->check_digit_ok);
}

TEST(CreditCodeTest, RejectsBadShape) {
  for (const char* bad :
       {"", "9135020077604965", "91350200776049653AA", "91350200776049653I", "9135020077604965OA",
        "91350200776049653S", "9135020077604965-A", "913502007760 49653A",
        "\xe9\x9d\x9e"
        "350200776049653A"}) {
    Result<CreditCodeCheck> r = NormalizeCreditCode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(NormalizeCreditCode("913502007760496").status().message().rfind("bad length", 0), 0u);
  EXPECT_EQ(NormalizeCreditCode("9135020077604965ZA").status().message().rfind("bad char", 0), 0u);
}

TEST(LuhnTest, Vectors) {
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("6222021234567890128"));
  EXPECT_FALSE(LuhnValid("6222021234567890123"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("0"));
  EXPECT_FALSE(LuhnValid("4111 1111 1111 1111"));
  EXPECT_FALSE(LuhnValid("41111111111111x1"));
}

}  // namespace
}  // namespace hrss
