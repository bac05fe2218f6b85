#include "render/request_format.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

pb::ApprovalRequest Sample() {
  pb::ApprovalRequest r;
  r.set_id("k3v9q2xa");
  r.set_state(pb::REQUEST_STATE_APPROVED);
  r.mutable_applicant()->set_email("john@fabrikam.com");
  r.mutable_applicant()->set_given_name("John");
  r.mutable_applicant()->set_surname("Smith");
  r.mutable_applicant()->set_claims_json(R"({"extension_Level":3})");
  auto* identity = r.mutable_applicant()->add_identities();
  identity->set_issuer("facebook.com");
  identity->set_issuer_assigned_id("0123");
  r.mutable_create_time()->set_seconds(1'800'000'000);
  r.mutable_decide_time()->set_seconds(1'800'000'060);
  r.set_decided_by("alice");
  r.set_attempts(2);
  return r;
}

TEST(RequestFormatTest, JsonIsStableForScripts) {
  const auto json = ToJson(Sample());
  EXPECT_EQ(json["id"], "k3v9q2xa");
  EXPECT_EQ(json["state"], "approved");
  EXPECT_EQ(json["created"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(json["decided"], "2027-01-15T08:01:00Z");
  EXPECT_TRUE(json["updated"].is_null());
  EXPECT_EQ(json["claims"]["extension_Level"], 3);
  EXPECT_EQ(json["identities"][0]["issuer"], "facebook.com");
  EXPECT_EQ(json["attempts"], 2);
}

TEST(RequestFormatTest, NamesProvidersAndAges) {
  const pb::ApprovalRequest r = Sample();
  EXPECT_EQ(NameOf(r), "John Smith");
  EXPECT_EQ(ProviderOf(r), "facebook.com");
  EXPECT_EQ(ProviderOf(pb::ApprovalRequest()), "local");
  const absl::Time created = absl::FromUnixSeconds(1'800'000'000);
  EXPECT_EQ(FormatAge(r.create_time(), created + absl::Seconds(45)), "45s");
  EXPECT_EQ(FormatAge(r.create_time(), created + absl::Minutes(12)), "12m");
  EXPECT_EQ(FormatAge(r.create_time(), created + absl::Hours(3)), "3h");
  EXPECT_EQ(FormatAge(r.create_time(), created + absl::Hours(24 * 5)), "5d");
  EXPECT_EQ(FormatAge(r.update_time(), created), "-");
}

TEST(RequestFormatTest, DetailShowsEverything) {
  std::ostringstream out;
  PrintDetail(out, Sample(), /*colour=*/false);
  const std::string text = out.str();
  for (const char* expected : {"id: k3v9q2xa\n", "state: approved\n", "email: john@fabrikam.com (not verified)\n",
                               "name: John Smith\n", "identity: facebook.com / 0123\n",
                               "decided by: alice\n", "attempts: 2\n", "  extension_Level: 3\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
  }
}

TEST(RequestFormatTest, DetailPointsAtTheRequestThatSharesTheEmail) {
  pb::ApprovalRequest r = Sample();
  r.set_same_email_as("m4ry0001");
  pb::ApprovalRequest other = Sample();
  other.set_id("m4ry0001");
  other.set_email_verified(true);
  other.set_decision_reason("known customer");
  std::ostringstream out;
  PrintDetail(out, r, /*colour=*/false, &other);
  EXPECT_NE(out.str().find("same email as: request m4ry0001 (approved by alice at "),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find(": known customer, facebook.com)\n"), std::string::npos) << out.str();
  std::ostringstream unread;
  PrintDetail(unread, r, /*colour=*/false);
  EXPECT_NE(unread.str().find("same email as: request m4ry0001\n"), std::string::npos);
}

TEST(RequestFormatTest, DetailNeutralisesEscapeSequencesFromTheApplicant) {
  pb::ApprovalRequest r = Sample();
  r.mutable_applicant()->set_display_name("Eve\x1b]0;pwned\x07\x1b[2J");
  r.mutable_applicant()->set_claims_json(R"({"city":"\u001b[31mRed","\u009bX":"1"})");
  std::ostringstream out;
  PrintDetail(out, r, /*colour=*/true);
  const std::string text = out.str();
  // The only escapes left are our own colour around the state.
  EXPECT_NE(text.find("state: \x1b[32mapproved\x1b[0m\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\x1b]"), std::string::npos);
  EXPECT_EQ(text.find("\x1b[2J"), std::string::npos);
  EXPECT_EQ(text.find("\x1b[31m"), std::string::npos);
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(text.find("name: Eve ]0;pwned  [2J\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace gatehouse::cli
