#include "commands/claim_assignments.h"

#include <gtest/gtest.h>

namespace gatehouse::cli {
namespace {

TEST(ClaimAssignmentsTest, TextByDefaultTypedAfterColonEquals) {
  auto claims = ParseClaimAssignments({"extension_Role=supplier", "extension_Level:=2",
                                       "extension_Score:=4.5", "extension_Vip:=true",
                                       "extension_Code=007", "extension_Eq=a=b"});
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->at("extension_Role").string_value(), "supplier");
  EXPECT_EQ(claims->at("extension_Level").integer_value(), 2);
  EXPECT_EQ(claims->at("extension_Score").number_value(), 4.5);
  EXPECT_TRUE(claims->at("extension_Vip").bool_value());
  EXPECT_EQ(claims->at("extension_Code").string_value(), "007");  // text stays text
  EXPECT_EQ(claims->at("extension_Eq").string_value(), "a=b");
}

TEST(ClaimAssignmentsTest, RejectsMalformedAssignments) {
  for (const char* bad : {"novalue", "=x", ":=1", "k:=maybe", "k:=", "k:=1x"}) {
    EXPECT_EQ(ParseClaimAssignments({bad}).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(ParseClaimAssignments({"k=1", "k=2"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::cli
