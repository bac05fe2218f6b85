// reviewer status and watch against the real core, including watch surviving a core restart.
#include <sstream>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

using ReviewerLiveTest = StackTest;

TEST_F(ReviewerLiveTest, StatusByEmailOrId) {
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("mary@contoso.com");
  ASSERT_EQ(Reviewer({"deny", id, "--reason", "no"}, reviewer_token_).exit_code, 0);
  RunResult by_email = Reviewer({"status", "--email", "MARY@contoso.com"}, reader_token_);
  EXPECT_EQ(by_email.exit_code, 0) << by_email.err;
  EXPECT_EQ(by_email.out.rfind("request/" + id + " denied by alice at ", 0), 0u) << by_email.out;
  RunResult by_id = Reviewer({"status", "--id", id, "-o", "json"}, reader_token_);
  EXPECT_EQ(json::parse(by_id.out)["state"], "denied");
  EXPECT_EQ(Reviewer({"status", "--email", "nobody@example.com"}, reader_token_).exit_code, 1);
  EXPECT_EQ(Reviewer({"status"}, reader_token_).exit_code, 2);
}

TEST_F(ReviewerLiveTest, WatchFollowsChangesAcrossACoreRestartWithoutGapsOrRepeats) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ChildProcess watch({kBin + "/reviewer", "--server", CoreAddress(), "watch", "-o", "jsonl"},
                     ReviewerEnv({{"GATEHOUSE_TOKEN", reader_token_}}), dir_ + "/watch.log");
  ASSERT_TRUE(watch.WaitForLog(R"("revision":1)", 10s)) << watch.Log();

  core_->Stop(SIGKILL);
  StartCore(CoreAddress());
  ExpectBlock(HookOnceCoreIsBack("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED",
              "waiting");
  ASSERT_EQ(Reviewer({"approve", PendingId("john.smith@fabrikam.com")}, reviewer_token_).exit_code,
            0);
  ASSERT_TRUE(watch.WaitForLog(R"(("event":"approved"))", 20s)) << watch.Log();
  watch.Stop(SIGTERM);

  std::vector<int64_t> revisions;
  std::istringstream lines(watch.Log());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;  // reconnect notices go to stderr
    revisions.push_back(json::parse(line)["revision"].get<int64_t>());
  }
  ASSERT_EQ(revisions.size(), 3u) << watch.Log();  // created, created, approved
  for (size_t i = 0; i < revisions.size(); ++i) EXPECT_EQ(revisions[i], int64_t(i + 1));
  EXPECT_NE(watch.Log().find("reconnecting from revision 1"), std::string::npos) << watch.Log();
}

}  // namespace
}  // namespace gatehouse::testing
