// base64url as tokens, JWTs and JWKs use it: strict decoding.
#include "common/base64url.h"

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

}  // namespace
}  // namespace gatehouse
