// Policy rules: matching, ordering, validation, loading from TOML, and their place in the
// decision table (design.md §4).
#include "domain/policy.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/policy_file.h"
#include "domain/approval_service.h"
#include "storage/sqlite_request_store.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::FakeClock;
using testing::SequentialIds;
using testing::TempDatabase;

PolicyRule Rule(std::string name, PolicyAction action) {
  return PolicyRule{.name = std::move(name), .action = action};
}

Policy Make(std::vector<PolicyRule> rules) {
  auto policy = Policy::Create(std::move(rules));
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *std::move(policy) : Policy();
}

std::string Match(const Policy& policy, Applicant applicant) {
  const PolicyRule* rule = policy.FirstMatch(Normalized(std::move(applicant)));
  return rule == nullptr ? "-" : rule->name;
}

TEST(PolicyTest, MatchesEmailsAndDomainsLikeAnOperatorMeansThem) {
  PolicyRule exact = Rule("exact", PolicyAction::kApprove);
  exact.email = "CEO@Fabrikam.com";
  PolicyRule domain = Rule("domain", PolicyAction::kApprove);
  domain.email_domain = "fabrikam.com";
  PolicyRule subdomains = Rule("subdomains", PolicyAction::kApprove);
  subdomains.email_domain = "contoso.com";
  subdomains.include_subdomains = true;
  const Policy policy = Make({exact, domain, subdomains});
  EXPECT_EQ(Match(policy, {.email = " ceo@FABRIKAM.com"}), "exact");
  EXPECT_EQ(Match(policy, {.email = "ann@fabrikam.com"}), "domain");
  EXPECT_EQ(Match(policy, {.email = "ann@sales.fabrikam.com"}), "-");  // no subdomains asked
  EXPECT_EQ(Match(policy, {.email = "ann@evilfabrikam.com"}), "-");
  EXPECT_EQ(Match(policy, {.email = "bob@contoso.com"}), "subdomains");
  EXPECT_EQ(Match(policy, {.email = "bob@eu.sales.contoso.com"}), "subdomains");
  EXPECT_EQ(Match(policy, {.email = "bob@notcontoso.com"}), "-");
  EXPECT_EQ(Match(policy, {.email = "fabrikam.com"}), "-");  // no '@': no domain
}

TEST(PolicyTest, MatchesIssuersAndTypedClaimsAndTheFirstMatchWins) {
  PolicyRule issuer = Rule("facebook", PolicyAction::kDeny);
  issuer.issuer = "facebook.com";
  PolicyRule level = Rule("level", PolicyAction::kApprove);
  level.claim_equals = {"extension_Level", int64_t{3}};
  PolicyRule name = Rule("name", PolicyAction::kReview);
  name.claim_equals = {"displayName", std::string("Test User")};
  const Policy policy = Make({issuer, level, name});
  EXPECT_EQ(Match(policy, {.identities = {{"federated", "facebook.com", "1"}}}), "facebook");
  EXPECT_EQ(Match(policy, {.email = "a@b.c", .claims = {{"extension_Level", int64_t{3}}}}),
            "level");
  EXPECT_EQ(Match(policy, {.email = "a@b.c", .claims = {{"extension_Level", 3.0}}}), "level");
  EXPECT_EQ(Match(policy, {.email = "a@b.c", .claims = {{"extension_Level", std::string("3")}}}),
            "-");  // a string is not a number
  EXPECT_EQ(Match(policy, {.email = "a@b.c", .display_name = "Test User"}), "name");
  // Both the issuer and the claim match: the earlier rule wins.
  EXPECT_EQ(Match(policy, {.identities = {{"federated", "facebook.com", "1"}},
                           .claims = {{"extension_Level", int64_t{3}}}}),
            "facebook");
}

TEST(PolicyTest, EveryConditionOfARuleMustHold) {
  PolicyRule both = Rule("both", PolicyAction::kApprove);
  both.email_domain = "fabrikam.com";
  both.issuer = "google.com";
  const Policy policy = Make({both});
  EXPECT_EQ(Match(policy, {.email = "a@fabrikam.com"}), "-");
  EXPECT_EQ(
      Match(policy, {.email = "a@fabrikam.com", .identities = {{"federated", "google.com", "1"}}}),
      "both");
}

TEST(PolicyTest, RefusesNamelessDuplicateAndConditionlessRules) {
  PolicyRule ok = Rule("ok", PolicyAction::kApprove);
  ok.email = "a@b.c";
  PolicyRule nameless = ok;
  nameless.name = "";
  EXPECT_FALSE(Policy::Create({nameless}).ok());
  EXPECT_FALSE(Policy::Create({ok, ok}).ok());
  EXPECT_FALSE(Policy::Create({Rule("empty", PolicyAction::kDeny)}).ok());
}

class PolicyFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const std::string path = dir_.path() + ".toml";
    std::ofstream(path) << text;
    return path;
  }
  TempDatabase dir_;
};

TEST_F(PolicyFileTest, ReadsRulesInOrderWithTypedValues) {
  auto policy = LoadPolicyFile(Write(R"(
listen = "127.0.0.1:1"
[[rule]]
name = "employees"
email_domain = "fabrikam.com"
include_subdomains = true
action = "approve"
[[rule]]
name = "vip"
claim = "extension_Vip"
equals = true
action = "review"
)"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_EQ(policy->rules().size(), 2u);
  EXPECT_EQ(policy->rules()[0].name, "employees");
  EXPECT_TRUE(policy->rules()[0].include_subdomains);
  EXPECT_EQ(policy->rules()[1].claim_equals->second, ClaimValue(true));
  EXPECT_TRUE(LoadPolicyFile("")->rules().empty());
}

TEST_F(PolicyFileTest, NamesTheRuleAndKeyThatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[[rule]]\nname='x'\naction='allow'\nemail='a@b'\n", "must be approve, deny or review"},
      {"[[rule]]\nname='x'\nemail='a@b'\n", "needs an action"},
      {"[[rule]]\nname='x'\naction='deny'\nemial='a@b'\n", "'emial' is not a rule key"},
      {"[[rule]]\nname='x'\naction='deny'\nclaim='k'\n", "'claim' and 'equals' go together"},
      {"[[rule]]\nname='x'\naction='deny'\nissuer=3\n", "'issuer' must be a string"},
      {"rule = 'x'\n", "[[rule]] tables"},
      {"[[rule]]\nname='x'\naction='deny'\n", "needs a condition"},
  };
  for (const auto& [text, message] : bad) {
    auto policy = LoadPolicyFile(Write(text));
    ASSERT_FALSE(policy.ok()) << text;
    EXPECT_NE(policy.status().message().find(message), absl::string_view::npos)
        << text << " -> " << policy.status();
  }
}

class PolicyDecisionTest : public ::testing::Test {
 protected:
  PolicyDecisionTest() : connection_(db_.Open()), store_(*connection_) {
    PolicyRule deny = Rule("blocked-provider", PolicyAction::kDeny);
    deny.issuer = "facebook.com";
    PolicyRule approve = Rule("employees", PolicyAction::kApprove);
    approve.email_domain = "fabrikam.com";
    PolicyRule review = Rule("interns", PolicyAction::kReview);
    review.email = "intern@fabrikam.com";
    service_ = std::make_unique<ApprovalService>(
        store_, clock_, ids_, ApprovalSettings{.policy = Make({deny, review, approve})});
  }

  TempDatabase db_;
  std::unique_ptr<SqliteConnection> connection_;
  SqliteRequestStore store_;
  FakeClock clock_;
  SequentialIds ids_;
  std::unique_ptr<ApprovalService> service_;
};

TEST_F(PolicyDecisionTest, AutoApprovedApplicantsContinueAtOnceAndAreRecorded) {
  const Applicant ann{.email = "ann@fabrikam.com"};
  EXPECT_EQ(service_->CheckApprovalStatus(ann)->action, ConnectorAction::kContinue);
  const ConnectorOutcome outcome = *RequestApproval(*service_, ann);
  EXPECT_EQ(outcome.action, ConnectorAction::kContinue);
  auto request = service_->Get(*outcome.request_id);
  EXPECT_EQ(request->state, RequestState::kApproved);
  EXPECT_EQ(request->decided_by, "rule:employees");
  EXPECT_EQ(request->decision_reason, "matched rule employees");
}

TEST_F(PolicyDecisionTest, AutoDeniedApplicantsAreBlockedAtBothHooks) {
  const Applicant mallory{.email = "mallory@fabrikam.com",
                          .identities = {{"federated", "facebook.com", "666"}}};
  EXPECT_EQ(service_->CheckApprovalStatus(mallory)->reason, BlockReason::kAutoDenied);
  EXPECT_TRUE(service_->List({.limit = 10})->requests.empty());  // hook 1 recorded nothing
  const ConnectorOutcome outcome = *RequestApproval(*service_, mallory);
  EXPECT_EQ(outcome.reason, BlockReason::kAutoDenied);
  EXPECT_EQ(service_->Get(*outcome.request_id)->decided_by, "rule:blocked-provider");
  // From now on it is an ordinary denied request, blocked until a reviewer reopens it.
  EXPECT_EQ(service_->CheckApprovalStatus(mallory)->reason, BlockReason::kDenied);
  EXPECT_EQ(RequestApproval(*service_, mallory)->reason, BlockReason::kDenied);
}

TEST_F(PolicyDecisionTest, ReviewRulesAndUnmatchedApplicantsWaitForAReviewer) {
  EXPECT_EQ(RequestApproval(*service_, {.email = "intern@fabrikam.com"})->reason,
            BlockReason::kRequested);
  EXPECT_EQ(RequestApproval(*service_, {.email = "someone@contoso.com"})->reason,
            BlockReason::kRequested);
}

TEST_F(PolicyDecisionTest, RulesDoNotOverrideAReviewersDecision) {
  const Applicant ann{.email = "ann@fabrikam.com"};
  const std::string id = *RequestApproval(*service_, ann)->request_id;
  ASSERT_TRUE(Revoke(*service_, id, "alice", "left").ok());
  EXPECT_EQ(RequestApproval(*service_, ann)->reason, BlockReason::kDenied);
}

}  // namespace
}  // namespace gatehouse::core
