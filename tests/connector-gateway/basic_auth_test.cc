// HTTP Basic as connector-contract.md §1.5 demands (and Microsoft's sample got wrong).
#include "http/basic_auth.h"

#include <gtest/gtest.h>

namespace gatehouse::gateway {
namespace {

const BasicCredentials kExpected{"azure", "pa:ss:word"};

TEST(BasicAuthTest, SplitsOnTheFirstColonOnly) {
  // base64("azure:pa:ss:word")
  EXPECT_TRUE(BasicAuthMatches("Basic YXp1cmU6cGE6c3M6d29yZA==", kExpected));
  EXPECT_TRUE(BasicAuthMatches("basic YXp1cmU6cGE6c3M6d29yZA==", kExpected));
}

TEST(BasicAuthTest, RejectsWrongOrMalformedCredentials) {
  for (const char* header : {
           "", "Basic", "Basic ", "Bearer YXp1cmU6cGE6c3M6d29yZA==",
           "Basic YXp1cmU6cGE6c3M6d29yZA",    // bad padding
           "Basic !!!!",                      // not base64
           "Basic YXp1cmU6cGE6c3M=",          // azure:pa:ss (prefix of the password)
           "Basic YXp1cmU6cGE6c3M6d29yZDE=",  // azure:pa:ss:word1
           "Basic QXp1cmU6cGE6c3M6d29yZA==",  // Azure:... (user is case-sensitive)
           "Basic YXp1cmVwYTpzczp3b3Jk",      // azurepa:ss:word (split moved)
           "Basic YXp1cmU=",                  // no colon at all
       }) {
    EXPECT_FALSE(BasicAuthMatches(header, kExpected)) << header;
  }
}

}  // namespace
}  // namespace gatehouse::gateway
