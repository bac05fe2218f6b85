// The gateway as deployed keeps hook 1 answers between the core's change notices
// (DecisionCache): they must be kept, and must never outlive a change or the core.
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

class KeptAnswersTest : public StackTest {
 protected:
  bool KeepHook1Answers() const override { return true; }

  // Asks hook 1 for `body` until it is answered with `code` ("" for Continue), for at most
  // `limit`; how long that took, or nullopt. A change reaches the gateway as a notice, so "at
  // once" means within the notice's delay, milliseconds even on a loaded machine.
  std::optional<std::chrono::milliseconds> TimeUntil(const std::string& body,
                                                     const std::string& code,
                                                     std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < limit) {
      if (Hook("check-approval", body).body.value("code", "") == code) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
      }
      std::this_thread::sleep_for(5ms);
    }
    return std::nullopt;
  }
};

TEST_F(KeptAnswersTest, AnswersAreKeptButNeverOutliveAChangeOrTheCore) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
  ASSERT_TRUE(TimeUntil(kJohn, "", 2s));  // asked, and kept

  // Kept indeed: with the core frozen (it can change nothing) the answer still comes, at once.
  core_->Signal(SIGSTOP);
  const auto asked = std::chrono::steady_clock::now();
  ExpectContinue(Hook("check-approval", kJohn));
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(kCoreDeadlineMs));
  ExpectBlock(Hook("check-approval", kMary), "GATEHOUSE-UNAVAILABLE", "try again");  // not kept
  core_->Signal(SIGCONT);

  // Each reviewer decision reaches the kept answers well before they would expire (5 s).
  for (int round = 0; round < 5; ++round) {
    ExpectContinue(Hook("check-approval", kJohn));
    ExpectContinue(Hook("check-approval", kJohn));
    ASSERT_EQ(
        Reviewer({"revoke", id, "--reason", "round " + std::to_string(round)}, reviewer_token_)
            .exit_code,
        0);
    auto seen = TimeUntil(kJohn, "GATEHOUSE-APPROVAL-DENIED", 2s);
    ASSERT_TRUE(seen) << "round " << round << ": the revoke was not seen";
    EXPECT_LT(*seen, 500ms) << "round " << round;
    ASSERT_EQ(Reviewer({"reopen", id}, reviewer_token_).exit_code, 0);
    EXPECT_TRUE(TimeUntil(kJohn, "GATEHOUSE-APPROVAL-PENDING", 2s)) << "round " << round;
    ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
    EXPECT_TRUE(TimeUntil(kJohn, "", 2s)) << "round " << round;
  }

  // The core gone: once the gateway has seen its stream end, a kept Continue is not given.
  ExpectContinue(Hook("check-approval", kJohn));
  ASSERT_EQ(core_->Stop(SIGKILL), -1);
  ASSERT_TRUE(gateway_->WaitForLog("no change notices from approval-core \\((.*)\\)", 5s))
      << gateway_->Log();
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-UNAVAILABLE", "try again");
}

// A core that vanishes without closing its connection (frozen, or a route dropped) sends no
// end of stream: the gateway's keepalive pings notice it within 10 s, and kept answers stop,
// even when they could otherwise be kept for a minute.
class SilentCoreTest : public KeptAnswersTest {
 protected:
  int DecisionCacheMs() const override { return 60000; }
};

TEST_F(SilentCoreTest, AFrozenCoreIsNoticedWithinTenSecondsAndKeptAnswersStop) {
  ASSERT_TRUE(gateway_->WaitForLog("(change notices from approval-core):", 5s)) << gateway_->Log();
  ASSERT_TRUE(TimeUntil(kJohn, "", 2s));  // a newcomer's Continue, asked and kept
  core_->Signal(SIGSTOP);
  const auto frozen = std::chrono::steady_clock::now();
  ExpectContinue(Hook("check-approval", kJohn));  // kept: the gateway cannot tell yet
  const auto noticed =
      gateway_->WaitForLog("no change notices from approval-core \\((.*)\\)", 15s);
  const auto took = std::chrono::steady_clock::now() - frozen;
  EXPECT_TRUE(noticed) << gateway_->Log();
  EXPECT_LT(took, 10s);
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-UNAVAILABLE", "try again");
  core_->Signal(SIGCONT);
  std::printf("[ figures  ] frozen core noticed after %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

}  // namespace
}  // namespace gatehouse::testing
