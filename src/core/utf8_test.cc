#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hrss {
namespace {

TEST(Utf8Test, DecodeEncodeRoundTrip) {
  const std::string s = "a张\u00e9\U0001F600";
  std::vector<char32_t> cps;
  ASSERT_TRUE(DecodeUtf8(s, &cps));
  EXPECT_EQ(cps, (std::vector<char32_t>{U'a', U'张', 0xE9, 0x1F600}));
  EXPECT_EQ(EncodeUtf8(cps), s);
}

TEST(Utf8Test, RejectsMalformed) {
  std::vector<char32_t> cps;
  EXPECT_FALSE(DecodeUtf8("\x80", &cps));              // lone continuation
  EXPECT_FALSE(DecodeUtf8("\xe5\xbc", &cps));          // truncated
  EXPECT_FALSE(DecodeUtf8("\xc0\x80", &cps));          // overlong NUL
  EXPECT_FALSE(DecodeUtf8("\xe0\x80\xaf", &cps));      // overlong '/'
  EXPECT_FALSE(DecodeUtf8("\xed\xa0\x80", &cps));      // surrogate
  EXPECT_FALSE(DecodeUtf8("\xf4\x90\x80\x80", &cps));  // > U+10FFFF
  EXPECT_FALSE(DecodeUtf8("\xf8\x88\x80\x80\x80", &cps));
  EXPECT_FALSE(DecodeUtf8("\xe5\x41\xa0", &cps));  // bad continuation
  EXPECT_TRUE(DecodeUtf8("", &cps));
  EXPECT_TRUE(cps.empty());
}

TEST(Utf8Test, FullWidthAndSpaces) {
  EXPECT_EQ(FullWidthToAscii(U'０'), U'0');
  EXPECT_EQ(FullWidthToAscii(U'Ｘ'), U'X');
  EXPECT_EQ(FullWidthToAscii(U'ｘ'), U'x');
  EXPECT_EQ(FullWidthToAscii(0x3000), U' ');
  EXPECT_EQ(FullWidthToAscii(U'张'), U'张');
  EXPECT_TRUE(IsSpaceCodePoint(U' '));
  EXPECT_TRUE(IsSpaceCodePoint(U'\t'));
  EXPECT_TRUE(IsSpaceCodePoint(0x3000));
  EXPECT_FALSE(IsSpaceCodePoint(U'a'));
}

}  // namespace
}  // namespace hrss
