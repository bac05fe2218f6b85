// Policy rules from approval-core's config file, seen through the connector as Azure sees them.
#include <fstream>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

class PolicyLoopTest : public StackTest {
 protected:
  std::vector<std::string> ExtraCoreArgs() override {
    const std::string config = dir_ + "/core.toml";
    std::ofstream(config) << R"(
pending_ttl_days = 14

[[rule]]
name = "blocked-provider"
issuer = "facebook.com"
action = "deny"

[[rule]]
name = "employees"
email_domain = "fabrikam.com"
include_subdomains = true
action = "approve"
)";
    return {"--config", config};
  }
};

TEST_F(PolicyLoopTest, RulesDecideRoutineApplicantsWithoutAReviewer) {
  // A Facebook identity is denied by rule before anything is recorded...
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-APPROVAL-AUTO-DENIED", "denied");
  // ...and at hook 2 the denial is recorded, with the rule as the decider.
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-AUTO-DENIED", "denied");

  const char* employee = R"({"email":"Ann@Sales.Fabrikam.com","displayName":"Ann"})";
  ExpectContinue(Hook("check-approval", employee));
  ExpectContinue(Hook("request-approval", employee));  // approved on the spot
  ExpectContinue(Hook("check-approval", employee));

  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");

  const json all = AllRequests();
  ASSERT_EQ(all.size(), 3u) << all.dump();
  std::map<std::string, std::pair<std::string, std::string>> by_email;
  for (const json& r : all) by_email[r["email"]] = {r["state"], r["decidedBy"]};
  EXPECT_EQ(by_email["john.smith@fabrikam.com"],
            std::make_pair(std::string("denied"), std::string("rule:blocked-provider")));
  EXPECT_EQ(by_email["ann@sales.fabrikam.com"],
            std::make_pair(std::string("approved"), std::string("rule:employees")));
  EXPECT_EQ(by_email["mary@contoso.com"], std::make_pair(std::string("pending"), std::string("")));
}

TEST_F(PolicyLoopTest, SettingsFromTheConfigFileAndFlagsTakeEffect) {
  // pending_ttl_days from the file, retention from the environment, rules from the file.
  core_->Stop(SIGTERM);
  const std::vector<std::string> args = ExtraCoreArgs();
  RunResult r = RunCommand({kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_,
                            "--config", args[1], "--shutdown-grace-ms", "0"},
                           {{"GATEHOUSE_CORE_RETENTION_DAYS", "400"}}, 3s);
  EXPECT_NE(r.err.find("pending requests expire after 14 days; personal data is purged 400 "
                       "days after a decision; policy: 2 rule(s)"),
            std::string::npos)
      << r.err;
}

TEST_F(PolicyLoopTest, ABrokenRuleFileStopsTheCoreAtStartUpNamingTheRule) {
  const std::string config = dir_ + "/broken.toml";
  std::ofstream(config) << "[[rule]]\nname = \"x\"\naction = \"approve\"\nemial = \"a@b.c\"\n";
  RunResult r = RunCommand(
      {kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_, "--config", config}, {},
      10s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rule 1 (line 1): 'emial' is not a rule key"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gatehouse::testing
