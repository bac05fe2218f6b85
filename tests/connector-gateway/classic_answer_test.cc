// Answers exactly as connector-contract.md §1.3.
#include "dialect/classic_answer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::gateway {
namespace {

using nlohmann::json;
using Action = Decision::Action;
using Reason = Decision::Reason;

const MessageCatalog kMessages;

HttpAnswer Render(Hook hook, Action action, Reason reason) {
  return RenderClassicAnswer(hook, Decision{action, reason, "r1"}, kMessages.For(reason, "en"));
}

TEST(ClassicAnswerTest, ContinueIsMinimalWithVersion) {
  for (Hook hook : {Hook::kCheckApproval, Hook::kRequestApproval}) {
    const HttpAnswer answer = Render(hook, Action::kContinue, Reason::kNone);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, R"({"version":"1.0.0","action":"Continue"})");
  }
}

TEST(ClassicAnswerTest, ContinueCarriesReturnedClaimsInTheirJsonTypes) {
  Decision decision{Action::kContinue, Reason::kNone, "r1", {}};
  decision.returned_claims = {{"extension_Role", std::string("supplier")},
                              {"extension_Level", int64_t{2}},
                              {"extension_Score", 4.5},
                              {"extension_Vip", true}};
  const HttpAnswer answer =
      RenderClassicAnswer(Hook::kCheckApproval, decision, kMessages.For(Reason::kNone, ""));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body,
            R"({"version":"1.0.0","action":"Continue","extension_Level":2,)"
            R"("extension_Role":"supplier","extension_Score":4.5,"extension_Vip":true})");
}

TEST(ClassicAnswerTest, BlockPagesCarryMicrosoftsTextsAndACode) {
  struct Expected {
    Reason reason;
    std::string code;
    std::string text;
  };
  for (const Expected& e : std::vector<Expected>{
           {Reason::kPending, "GATEHOUSE-APPROVAL-PENDING",
            "Your access request is already processing. You'll be notified when your request has "
            "been approved."},
           {Reason::kRequested, "GATEHOUSE-APPROVAL-REQUESTED",
            "Your account is now waiting for approval. You'll be notified when your request has "
            "been approved."},
           {Reason::kDenied, "GATEHOUSE-APPROVAL-DENIED",
            "Your sign up request has been denied. Please contact an administrator if you believe "
            "this is an error"},
           {Reason::kUnavailable, "GATEHOUSE-UNAVAILABLE",
            "We can't process your sign-up right now. Please try again in a few minutes."}}) {
    const HttpAnswer answer = Render(Hook::kRequestApproval, Action::kBlock, e.reason);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(json::parse(answer.body), (json{{"version", "1.0.0"},
                                              {"action", "ShowBlockPage"},
                                              {"userMessage", e.text},
                                              {"code", e.code}}));
  }
}

TEST(ClassicAnswerTest, ValidationErrorIsHttp400WithStatus400AtHook2) {
  const HttpAnswer answer =
      Render(Hook::kRequestApproval, Action::kInvalid, Reason::kMissingIdentity);
  EXPECT_EQ(answer.status, 400);
  const json body = json::parse(answer.body);
  EXPECT_EQ(body["version"], "1.0.0");
  EXPECT_EQ(body["status"], 400);
  EXPECT_EQ(body["action"], "ValidationError");
  EXPECT_EQ(body["code"], "GATEHOUSE-MISSING-IDENTITY");
  EXPECT_FALSE(body["userMessage"].get<std::string>().empty());
}

TEST(ClassicAnswerTest, ValidationErrorIsNeverSentAtHook1) {
  const HttpAnswer answer =
      Render(Hook::kCheckApproval, Action::kInvalid, Reason::kMissingIdentity);
  EXPECT_EQ(answer.status, 200);
  const json body = json::parse(answer.body);
  EXPECT_EQ(body["action"], "ShowBlockPage");
  EXPECT_FALSE(body.contains("status"));
}

}  // namespace
}  // namespace gatehouse::gateway
