// Base64 in both forms: strict decoding, and encoding that round-trips.
#include "common/base64.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(Base64UrlTest, DecodesStrictly) {
  EXPECT_EQ(DecodeBase64Url("aGVsbG8"), "hello");
  EXPECT_EQ(DecodeBase64Url("-_8"), std::string("\xfb\xff", 2));
  EXPECT_EQ(DecodeBase64Url(""), "");
  for (const char* bad : {"aGVsbG8=", "a", "a+b/", "a b", "aGVsbG8\n"}) {
    EXPECT_EQ(DecodeBase64Url(bad), std::nullopt) << bad;
  }
}

TEST(Base64Test, DecodesStrictlyWithPadding) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("YWxpY2U6cGE6c3M="), "alice:pa:ss");
  EXPECT_EQ(DecodeBase64("+/8="), std::string("\xfb\xff", 2));
  EXPECT_EQ(DecodeBase64("YQ=="), "a");
  EXPECT_EQ(DecodeBase64(""), "");
  for (const char* bad : {"aGVsbG8", "aGVsbG8==", "YQ=", "Y===", "a=bc", "-_8=", " aGVsbG8=",
                          "aGVs\nbG8=", "aGVsbG8=\r\n"}) {
    EXPECT_EQ(DecodeBase64(bad), std::nullopt) << bad;
  }
}

TEST(Base64Test, EncodesWhatDecodesBack) {
  for (std::string bytes : {std::string(""), std::string("a"), std::string("ab"),
                            std::string("abc"), std::string("\x00\xff\xfe\x10", 4)}) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(bytes)), bytes);
    EXPECT_EQ(DecodeBase64Url(EncodeBase64Url(bytes)), bytes);
  }
  EXPECT_EQ(EncodeBase64("hello"), "aGVsbG8=");
  EXPECT_EQ(EncodeBase64Url("hello"), "aGVsbG8");
}

}  // namespace
}  // namespace gatehouse
