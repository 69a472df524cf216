#include "core/masking.h"

#include <gtest/gtest.h>

#include <string>

namespace hrss {
namespace {

TEST(MaskNameTest, Patterns) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("王小二三"), "王***");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧阳**");
  EXPECT_EQ(MaskName("欧阳修"), "欧阳*");
  EXPECT_EQ(MaskName("诸葛亮"), "诸葛*");
  EXPECT_EQ(MaskName("司马相如"), "司马**");
  EXPECT_EQ(MaskName("欧阳"), "欧*");  // two characters: the rule for 2
  EXPECT_EQ(MaskName("张"), "*");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("  \u3000李四\u3000 "), "李*");
  EXPECT_EQ(MaskName("Tom"), "T**");
  // Characters outside the BMP count as one.
  EXPECT_EQ(MaskName("\U00020000三"), "\U00020000*");
  EXPECT_EQ(MaskName("买买提·艾力"), "买*****");
}

TEST(MaskNameTest, InvalidUtf8MasksEverything) {
  EXPECT_EQ(MaskName("\xe5\xbc"), kMaskedAll);  // truncated 张
  EXPECT_EQ(MaskName("\xff\xfe"), kMaskedAll);
  EXPECT_EQ(MaskName("\xc0\xaf"), kMaskedAll);                          // overlong '/'
  EXPECT_EQ(MaskName("\xed\xa0\x80"), kMaskedAll);                      // surrogate
  EXPECT_EQ(MaskName(std::string_view("\xe5\xbc\xa0\x00", 4)), "张*");  // NUL is a character
}

TEST(MaskIdNumberTest, Patterns) {
  EXPECT_EQ(MaskIdNumber("511724199001010018"), "5117************18");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "1101************2X");
  EXPECT_EQ(MaskIdNumber("511724900101001"), "5117*********01");
  EXPECT_EQ(MaskIdNumber(" 511724199001010018 "), "5117************18");
  EXPECT_EQ(MaskIdNumber("E12345678"), "E******78");  // passport-like
  EXPECT_EQ(MaskIdNumber("123456"), "******");
  EXPECT_EQ(MaskIdNumber(""), "");
  EXPECT_EQ(MaskIdNumber("5117\xff"), kMaskedAll);
}

TEST(MaskPhoneTest, Mobile) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("138 1234 5678"), "138****5678");
  EXPECT_EQ(MaskPhone("138-1234-5678"), "138****5678");
  EXPECT_EQ(MaskPhone("+86 13812345678"), "+86 138****5678");
  EXPECT_EQ(MaskPhone("+8613812345678"), "+86 138****5678");
  EXPECT_EQ(MaskPhone("１３８１２３４５６７８"), "138****5678");
}

TEST(MaskPhoneTest, Landline) {
  EXPECT_EQ(MaskPhone("0818-6231234"), "0818-*****34");
  EXPECT_EQ(MaskPhone("08186231234"), "0818-*****34");
  EXPECT_EQ(MaskPhone("010-12345678"), "010-******78");
  EXPECT_EQ(MaskPhone("(028)87654321"), "028-******21");
  EXPECT_EQ(MaskPhone("6231234"), "*****34");
}

TEST(MaskPhoneTest, OtherShapes) {
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskPhone("12333"), "*****");
  EXPECT_EQ(MaskPhone("123456"), "****56");
  EXPECT_EQ(MaskPhone("ext 1234"), "******34");
  EXPECT_EQ(MaskPhone("138\xff"), kMaskedAll);
}

TEST(MaskBankCardTest, Patterns) {
  EXPECT_EQ(MaskBankCard("6222021234567890123"), "622202*********0123");
  EXPECT_EQ(MaskBankCard("6222 0212 3456 7890"), "622202******7890");
  EXPECT_EQ(MaskBankCard("6222-0212-3456-7890"), "622202******7890");
  EXPECT_EQ(MaskBankCard("12345678901"), "*******8901");
  EXPECT_EQ(MaskBankCard("1234567"), "*******");
  EXPECT_EQ(MaskBankCard(""), "");
  EXPECT_EQ(MaskBankCard("\xff"), kMaskedAll);
  EXPECT_EQ(MaskBankCard("ACCT-12345678"), "*********5678");
}

TEST(MaskAddressTest, KeepsRegionThroughTownship) {
  EXPECT_EQ(MaskAddress("四川省达州市大竹县竹阳街道白塔路12号"), "四川省达州市大竹县竹阳街道****");
  EXPECT_EQ(MaskAddress("四川省达州市大竹县乌木镇新华村3组"), "四川省达州市大竹县乌木镇****");
  EXPECT_EQ(MaskAddress("大竹县石桥铺镇正街5号"), "大竹县石桥铺镇****");
  EXPECT_EQ(MaskAddress("大竹县朝阳乡某村"), "大竹县朝阳乡****");
  EXPECT_EQ(MaskAddress("竹阳街道白塔路1号"), "竹阳街道****");
  EXPECT_EQ(MaskAddress("达州市万源市太平镇1号"), "达州市万源市太平镇****");
  EXPECT_EQ(MaskAddress("北京市朝阳区建国路88号"), "北京市朝阳区****");
  EXPECT_EQ(MaskAddress("新疆维吾尔自治区乌鲁木齐市天山区解放路1号"),
            "新疆维吾尔自治区乌鲁木齐市天山区****");
  EXPECT_EQ(MaskAddress("四川省甘孜藏族自治州道孚县鲜水镇1号"),
            "四川省甘孜藏族自治州道孚县鲜水镇****");
  EXPECT_EQ(MaskAddress("四川省达州市大竹县"), "四川省达州市大竹县");
  EXPECT_EQ(MaskAddress("广东省广州市天河区天河路1号"), "广东省广州市天河区****");
  EXPECT_EQ(MaskAddress("达州市通川区西外镇"), "达州市通川区西外镇");
  EXPECT_EQ(MaskAddress("  达州市渠县 "), "达州市渠县");
}

TEST(MaskAddressTest, DoesNotKeepStreetsOrEstates) {
  EXPECT_EQ(MaskAddress("达州市幸福小区3栋"), "达州市****");
  EXPECT_EQ(MaskAddress("大竹县白塔路乡村小区"), "大竹县****");
  EXPECT_EQ(MaskAddress("大竹县农贸市场旁"), "大竹县****");
  EXPECT_EQ(MaskAddress("大竹县竹阳街道乡村路5号"), "大竹县竹阳街道****");
  EXPECT_EQ(MaskAddress("白塔路12号"), kMaskedAll);
  EXPECT_EQ(MaskAddress("12号"), kMaskedAll);
  EXPECT_EQ(MaskAddress("Room 5, Main St"), kMaskedAll);
  EXPECT_EQ(MaskAddress(""), "");
  EXPECT_EQ(MaskAddress("四川省\xff"), kMaskedAll);
}

TEST(MaskEmailTest, Patterns) {
  EXPECT_EQ(MaskEmail("zhangsan@example.com"), "z***@example.com");
  EXPECT_EQ(MaskEmail("ab@example.com"), "a***@example.com");
  EXPECT_EQ(MaskEmail("a@example.com"), "*@example.com");
  EXPECT_EQ(MaskEmail("张三@例子.中国"), "张***@例子.中国");
  EXPECT_EQ(MaskEmail("no-at-sign"), kMaskedAll);
  EXPECT_EQ(MaskEmail("@example.com"), kMaskedAll);
  EXPECT_EQ(MaskEmail("user@"), kMaskedAll);
  EXPECT_EQ(MaskEmail(""), "");
  EXPECT_EQ(MaskEmail("a\xff@x.cn"), kMaskedAll);
}

TEST(MaskTest, Dispatch) {
  EXPECT_EQ(Mask(PiiKind::kName, "欧阳娜娜"), "欧阳**");
  EXPECT_EQ(Mask(PiiKind::kIdNumber, "511724199001010018"), "5117************18");
  EXPECT_EQ(Mask(PiiKind::kPhone, "13812345678"), "138****5678");
  EXPECT_EQ(Mask(PiiKind::kBankCard, "6222021234567890123"), "622202*********0123");
  EXPECT_EQ(Mask(PiiKind::kAddress, "大竹县竹阳街道白塔路1号"), "大竹县竹阳街道****");
  EXPECT_EQ(Mask(PiiKind::kEmail, "zhangsan@example.com"), "z***@example.com");
}

TEST(MaskTest, ArbitraryBytesNeverCrashOrLeakWholeInput) {
  // Every single byte and many byte pairs: must not crash; a masked output
  // never equals a non-trivial input.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      const std::string in{static_cast<char>(a),
                           static_cast<char>(b),
                           static_cast<char>(a),
                           '1',
                           '2',
                           '3',
                           '4',
                           '5',
                           '6',
                           '7',
                           '8'};
      for (PiiKind k : {PiiKind::kName, PiiKind::kIdNumber, PiiKind::kPhone, PiiKind::kBankCard,
                        PiiKind::kAddress, PiiKind::kEmail}) {
        EXPECT_NE(Mask(k, in), in);
      }
    }
  }
}

}  // namespace
}  // namespace hrss
