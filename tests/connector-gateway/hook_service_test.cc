// Parse -> decide -> render, and failing closed whenever the core's decision is unknown.
#include "service/hook_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "dialect/classic_dialect.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

// A CoreClient that answers what it is told and remembers what it was asked.
class FakeCore final : public CoreClient {
 public:
  absl::StatusOr<Decision> answer =
      Decision{Decision::Action::kContinue, Decision::Reason::kNone, ""};
  std::optional<Hook> last_hook;
  ApplicantClaims last_claims;
  int calls = 0;

  absl::Status Ready() override { return absl::OkStatus(); }

  std::chrono::milliseconds last_deadline{0};

  absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                  std::chrono::milliseconds deadline) override {
    ++calls;
    last_deadline = deadline;
    last_hook = hook;
    last_claims = claims;
    return answer;
  }
};

class HookServiceTest : public ::testing::Test {
 protected:
  FakeCore core_;
  MessageCatalog messages_;
  HookService service_{core_, messages_, ClassicDialect(), std::chrono::milliseconds(750)};
};

TEST_F(HookServiceTest, PassesTheClaimsAndTheHookToTheCore) {
  const HookResult result = service_.Handle(Hook::kRequestApproval,
                                            R"({"email":"a@b.c","displayName":"A","city":"Graz"})");
  EXPECT_EQ(core_.last_deadline, std::chrono::milliseconds(750));  // the dialect's budget
  EXPECT_EQ(result.answer.status, 200);
  EXPECT_EQ(json::parse(result.answer.body)["action"], "Continue");
  EXPECT_EQ(core_.last_hook, Hook::kRequestApproval);
  EXPECT_EQ(core_.last_claims.email, "a@b.c");
  EXPECT_EQ(core_.last_claims.other_claims_json, R"({"city":"Graz"})");
}

TEST_F(HookServiceTest, CoreFailuresFailClosedAtBothHooks) {
  for (absl::Status failure :
       {absl::UnavailableError("down"), absl::DeadlineExceededError("slow"),
        absl::UnauthenticatedError("bad token"), absl::InternalError("bug")}) {
    core_.answer = failure;
    for (Hook hook : {Hook::kCheckApproval, Hook::kRequestApproval}) {
      const HookResult result = service_.Handle(hook, R"({"email":"a@b.c"})");
      EXPECT_EQ(result.answer.status, 200);
      const json body = json::parse(result.answer.body);
      EXPECT_EQ(body["action"], "ShowBlockPage") << failure;
      EXPECT_EQ(body["code"], "GATEHOUSE-UNAVAILABLE");
      EXPECT_EQ(body["version"], "1.0.0");
    }
  }
}

TEST_F(HookServiceTest, MalformedBodiesAre400AndNeverReachTheCore) {
  for (const char* body : {"{", "[]", R"({"email":1})"}) {
    const HookResult result = service_.Handle(Hook::kCheckApproval, body);
    EXPECT_EQ(result.answer.status, 400) << body;
    const json parsed = json::parse(result.answer.body);
    EXPECT_EQ(parsed["error"], "invalid_request");
  }
  EXPECT_EQ(core_.calls, 0);
}

TEST_F(HookServiceTest, StepMismatchIsAnsweredForTheRoute) {
  core_.answer = Decision{Decision::Action::kInvalid, Decision::Reason::kMissingIdentity, ""};
  // A request-approval body sent to the check route still gets no ValidationError there.
  const HookResult result =
      service_.Handle(Hook::kCheckApproval, R"({"step":"PostAttributeCollection"})");
  EXPECT_EQ(core_.last_hook, Hook::kCheckApproval);
  EXPECT_EQ(result.answer.status, 200);
  EXPECT_EQ(json::parse(result.answer.body)["action"], "ShowBlockPage");
}

}  // namespace
}  // namespace gatehouse::gateway
