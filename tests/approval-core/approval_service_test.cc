// The decision table of design.md §4 and reviewer decisions, on a real SQLite file.
#include "domain/approval_service.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>
#include <vector>

#include "storage/sqlite_request_store.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::FakeClock;
using testing::ServiceHarness;

Applicant John() {
  return Applicant{.email = "John.Smith@Fabrikam.com",
                   .identities = {{"federated", "facebook.com", "0123456789"}},
                   .display_name = "John Smith",
                   .claims_json = R"({"jobTitle":"Supplier"})"};
}

Applicant Mary() { return Applicant{.email = "mary@contoso.com", .display_name = "Mary"}; }

class ApprovalServiceTest : public ::testing::Test {
 protected:
  ConnectorOutcome Check(const Applicant& a) {
    auto outcome = service_.CheckApprovalStatus(a);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.value_or(ConnectorOutcome{});
  }
  ConnectorOutcome Request(const Applicant& a) {
    auto outcome = RequestApproval(service_, a);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.value_or(ConnectorOutcome{});
  }
  std::vector<ApprovalRequest> All() {
    auto page = service_.List(RequestQuery{.limit = 1000});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->requests : std::vector<ApprovalRequest>{};
  }
  // Forces a stored request into `state`, as later features (expiry, revoke) will.
  void ForceState(const std::string& id, RequestState state) {
    ASSERT_TRUE(store_
                    .Transact([&](RequestRepository& repo) -> absl::Status {
                      auto found = repo.FindById(id);
                      if (!found.ok()) return found.status();
                      ApprovalRequest r = **found;
                      r.state = state;
                      r.version += 1;
                      return repo.Update(r, r.version - 1);
                    })
                    .ok());
  }

  ServiceHarness harness_;
  SqliteRequestStore& store_ = harness_.store;
  FakeClock& clock_ = harness_.clock;
  ApprovalService& service_ = harness_.service;
};

TEST_F(ApprovalServiceTest, NoRequestContinuesAtHook1AndRecordsNothing) {
  EXPECT_EQ(Check(John()), (ConnectorOutcome{ConnectorAction::kContinue, BlockReason::kNone}));
  EXPECT_TRUE(All().empty());
}

TEST_F(ApprovalServiceTest, NoRequestCreatesPendingAtHook2) {
  const ConnectorOutcome outcome = Request(John());
  EXPECT_EQ(outcome.action, ConnectorAction::kBlock);
  EXPECT_EQ(outcome.reason, BlockReason::kRequested);
  ASSERT_EQ(outcome.request_id, "r0001");
  const auto all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, RequestState::kPending);
  EXPECT_EQ(all[0].applicant.email, "john.smith@fabrikam.com");  // normalized
  EXPECT_EQ(all[0].applicant.claims_json, R"({"jobTitle":"Supplier"})");
  EXPECT_EQ(all[0].attempts, 1);
}

TEST_F(ApprovalServiceTest, PendingBlocksBothHooksAndCountsAttemptsWithoutDuplicating) {
  Request(John());
  EXPECT_EQ(Check(John()).reason, BlockReason::kPending);
  const ConnectorOutcome again = Request(John());
  EXPECT_EQ(again.action, ConnectorAction::kBlock);
  EXPECT_EQ(again.reason, BlockReason::kPending);
  EXPECT_EQ(again.request_id, "r0001");
  const auto all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].attempts, 2);
}

TEST_F(ApprovalServiceTest, ApprovedContinuesAtBothHooks) {
  const std::string id = *Request(John()).request_id;
  auto approved = Approve(service_, id, "alice", "known supplier");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state, RequestState::kApproved);
  EXPECT_EQ(approved->decided_by, "alice");
  EXPECT_EQ(approved->decision_reason, "known supplier");
  EXPECT_EQ(Check(John()).action, ConnectorAction::kContinue);
  EXPECT_EQ(Request(John()).action, ConnectorAction::kContinue);
}

TEST_F(ApprovalServiceTest, DeniedBlocksBothHooksOnEveryLaterAttempt) {
  const std::string id = *Request(Mary()).request_id;
  ASSERT_TRUE(Deny(service_, id, "alice", "not a customer").ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Check(Mary()), (ConnectorOutcome{ConnectorAction::kBlock, BlockReason::kDenied, id,
                                               RequestState::kDenied}));
    EXPECT_EQ(Request(Mary()).reason, BlockReason::kDenied);
  }
  EXPECT_EQ(All().size(), 1u);
}

TEST_F(ApprovalServiceTest, RevokedBlocksLikeDenied) {
  const std::string id = *Request(Mary()).request_id;
  ForceState(id, RequestState::kRevoked);
  EXPECT_EQ(Check(Mary()).reason, BlockReason::kDenied);
  EXPECT_EQ(Request(Mary()).reason, BlockReason::kDenied);
}

TEST_F(ApprovalServiceTest, ExpiredContinuesAtHook1AndOpensANewRequestAtHook2) {
  const std::string old_id = *Request(Mary()).request_id;
  ForceState(old_id, RequestState::kExpired);
  EXPECT_EQ(Check(Mary()).action, ConnectorAction::kContinue);
  const ConnectorOutcome renewed = Request(Mary());
  EXPECT_EQ(renewed.reason, BlockReason::kRequested);
  EXPECT_NE(renewed.request_id, old_id);
  const auto all = All();
  ASSERT_EQ(all.size(), 2u);  // history kept
  EXPECT_EQ(all[0].state, RequestState::kExpired);
  EXPECT_EQ(all[1].state, RequestState::kPending);
  EXPECT_EQ(all[1].same_email_as, "");  // its own history is no other applicant
}

TEST_F(ApprovalServiceTest, AVerifiedEmailMatchesNormalized) {
  Request(Mary());  // a local account: the platform verified the address
  Applicant same_email{.email = "  MARY@Contoso.COM "};
  EXPECT_EQ(Check(same_email).reason, BlockReason::kPending);
  EXPECT_EQ(Request(same_email).reason, BlockReason::kPending);
  EXPECT_EQ(All().size(), 1u);
  EXPECT_TRUE(All()[0].applicant.email_verified);
}

// Whoever can make some identity provider assert an approved person's address must not ride
// that person's approval, nor the claims a reviewer set for them (design.md §4).
TEST_F(ApprovalServiceTest, AnUnverifiedEmailNeverRidesAnotherRequestsApproval) {
  const std::string mary = *Request(Mary()).request_id;
  ASSERT_TRUE(Approve(service_, mary, "alice", "known", {{"jobTitle", std::string("CFO")}}).ok());
  const Applicant impostor{.email = "mary@contoso.com",
                           .identities = {{"federated", "google.com", "g-mallory"}}};

  const ConnectorOutcome first = Check(impostor);  // hook 1: no request of their own yet
  EXPECT_EQ(first.action, ConnectorAction::kContinue);
  EXPECT_FALSE(first.request_id.has_value());
  EXPECT_TRUE(first.returned_claims.empty());

  const ConnectorOutcome second = Request(impostor);  // hook 2: their own pending request
  EXPECT_EQ(second.reason, BlockReason::kRequested);
  ASSERT_TRUE(second.request_id.has_value());
  EXPECT_NE(*second.request_id, mary);
  EXPECT_TRUE(second.returned_claims.empty());
  auto theirs = service_.Get(*second.request_id);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->same_email_as, mary);  // shown to the reviewer
  EXPECT_FALSE(theirs->applicant.email_verified);
  EXPECT_EQ(service_.Get(mary)->attempts, 1);  // Mary's request is untouched

  // Seen again: their own request, still pending, by identity.
  EXPECT_EQ(Check(impostor).reason, BlockReason::kPending);
  EXPECT_EQ(Request(impostor).request_id, second.request_id);
  // And Mary still gets her own decision.
  EXPECT_EQ(Check(Mary()).request_id, mary);
  EXPECT_EQ(Check(Mary()).action, ConnectorAction::kContinue);
}

TEST_F(ApprovalServiceTest, AnImpostorsDenialNeverBlocksTheVerifiedOwner) {
  const Applicant impostor{.email = "victim@example.com",
                           .identities = {{"federated", "facebook.com", "fb-1"}}};
  const std::string denied = *Request(impostor).request_id;
  ASSERT_TRUE(Deny(service_, denied, "alice", "not who they say").ok());

  const Applicant owner{.email = "victim@example.com"};  // local account, verified
  EXPECT_EQ(Check(owner).action, ConnectorAction::kContinue);
  const ConnectorOutcome created = Request(owner);
  EXPECT_EQ(created.reason, BlockReason::kRequested);
  EXPECT_NE(created.request_id, denied);
  EXPECT_EQ(service_.Get(*created.request_id)->same_email_as, denied);
  EXPECT_EQ(Check(impostor).reason, BlockReason::kDenied);  // the impostor stays denied
}

TEST_F(ApprovalServiceTest, EntrasEmailSignInIdentityIsAVerifiedEmail) {
  const Applicant entra{.email = "ella@contoso.com",
                        .identities = {{"email", "contoso.onmicrosoft.com", "Ella@Contoso.com"}}};
  const std::string id = *Request(entra).request_id;
  EXPECT_TRUE(service_.Get(id)->applicant.email_verified);
  EXPECT_EQ(Check({.email = "ella@contoso.com"}).request_id, id);
  // An email identity for another address verifies nothing.
  const Applicant odd{.email = "boss@contoso.com",
                      .identities = {{"email", "contoso.onmicrosoft.com", "Ella@Contoso.com"}}};
  EXPECT_EQ(Check(odd).request_id, id);  // by identity, as always
  EXPECT_FALSE(Check({.email = "boss@contoso.com"}).request_id.has_value());
}

TEST(ApprovalServiceSettingsTest, AnIssuerTheOperatorListsVerifiesItsEmails) {
  ServiceHarness h(ApprovalSettings{.verified_email_issuers = {"login.fabrikam.com"}});
  auto local = RequestApproval(h.service, {.email = "ann@fabrikam.com"});
  ASSERT_TRUE(local.ok());
  ASSERT_TRUE(
      Approve(h.service, *local->request_id, "alice", "staff", {{"jobTitle", std::string("Ops")}})
          .ok());
  const Applicant trusted{.email = "ann@fabrikam.com",
                          .identities = {{"federated", "login.fabrikam.com", "ann-7"}}};
  auto outcome = h.service.CheckApprovalStatus(trusted);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->request_id, local->request_id);
  EXPECT_EQ(outcome->action, ConnectorAction::kContinue);
  EXPECT_EQ(outcome->returned_claims.size(), 1u);
  // Another provider's word for the same address is still not enough.
  auto other = h.service.CheckApprovalStatus(
      {.email = "ann@fabrikam.com", .identities = {{"federated", "google.com", "g-ann"}}});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->request_id.has_value());
}

TEST_F(ApprovalServiceTest, StatusByEmailPrefersTheVerifiedOwnersRequest) {
  const std::string impostor =
      *Request({.email = "kim@example.com", .identities = {{"federated", "google.com", "g-x"}}})
           .request_id;
  auto only = service_.FindLatest({.email = "kim@example.com"});
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(only->id, impostor);  // nothing verified yet: the only request with that email
  const std::string owner = *Request({.email = "kim@example.com"}).request_id;
  Request({.email = "kim@example.com", .identities = {{"federated", "google.com", "g-y"}}});
  EXPECT_EQ(service_.FindLatest({.email = "kim@example.com"})->id, owner);
}

TEST_F(ApprovalServiceTest, MatchesByFederatedIdentityEvenWithAnotherEmail) {
  const std::string id = *Request(John()).request_id;
  ASSERT_TRUE(Deny(service_, id, "alice", "fraud").ok());
  Applicant new_email{.email = "someone.else@example.com",
                      .identities = {{"federated", "facebook.com", "0123456789"}}};
  EXPECT_EQ(Check(new_email).reason, BlockReason::kDenied);
  EXPECT_EQ(Request(new_email).reason, BlockReason::kDenied);
  EXPECT_EQ(All().size(), 1u);
}

TEST_F(ApprovalServiceTest, SameIdAtAnotherIssuerIsSomeoneElse) {
  Request(John());
  Applicant other{.identities = {{"federated", "google.com", "0123456789"}}};
  EXPECT_EQ(Check(other).action, ConnectorAction::kContinue);
}

TEST_F(ApprovalServiceTest, NoEmailNorIdentityBlocksAtHook1AndIsInvalidAtHook2) {
  Applicant nobody{.identities = {{"federated", "", "123"}}, .display_name = "Anonymous"};
  EXPECT_EQ(Check(nobody),
            (ConnectorOutcome{ConnectorAction::kBlock, BlockReason::kMissingIdentity}));
  EXPECT_EQ(Request(nobody),
            (ConnectorOutcome{ConnectorAction::kInvalid, BlockReason::kMissingIdentity}));
  EXPECT_TRUE(All().empty());
}

TEST_F(ApprovalServiceTest, DecidedRequestCannotBeDecidedAgain) {
  const std::string id = *Request(John()).request_id;
  ASSERT_TRUE(Approve(service_, id, "alice", "").ok());
  auto deny = Deny(service_, id, "bob", "changed my mind");
  EXPECT_EQ(deny.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(deny.status().message().find("already approved by alice"), absl::string_view::npos)
      << deny.status();
  auto approve_again = Approve(service_, id, "bob", "");
  EXPECT_EQ(approve_again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Check(John()).action, ConnectorAction::kContinue);  // still approved
}

TEST_F(ApprovalServiceTest, DenyNeedsAReasonAndUnknownIdsAreNotFound) {
  const std::string id = *Request(John()).request_id;
  EXPECT_EQ(Deny(service_, id, "alice", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Approve(service_, "nope", "alice", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_.Get("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(All()[0].state, RequestState::kPending);
}

// Every (state, action) pair: allowed ones succeed, all others are refused and change nothing.
TEST_F(ApprovalServiceTest, EveryTransitionOfTheDesignAndNoOther) {
  using S = RequestState;
  using A = ReviewAction;
  const std::map<std::pair<S, A>, S> allowed = {
      {{S::kPending, A::kApprove}, S::kApproved}, {{S::kPending, A::kDeny}, S::kDenied},
      {{S::kApproved, A::kRevoke}, S::kRevoked},  {{S::kDenied, A::kReopen}, S::kPending},
      {{S::kExpired, A::kReopen}, S::kPending},   {{S::kRevoked, A::kReopen}, S::kPending},
  };
  int n = 0;
  for (S from : {S::kPending, S::kApproved, S::kDenied, S::kExpired, S::kRevoked}) {
    for (A action : {A::kApprove, A::kDeny, A::kRevoke, A::kReopen}) {
      Applicant applicant{.email = "user" + std::to_string(++n) + "@example.com"};
      const std::string id = *Request(applicant).request_id;
      ForceState(id, from);
      auto result = service_.Apply(action, id, "alice", "because");
      auto it = allowed.find({from, action});
      if (it != allowed.end()) {
        ASSERT_TRUE(result.ok()) << ToString(from) << " " << result.status();
        EXPECT_EQ(result->state, it->second);
        EXPECT_EQ(service_.Get(id)->state, it->second);
      } else {
        EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition)
            << ToString(from) << " " << result.status();
        EXPECT_NE(result.status().message().find("is already " + std::string(ToString(from))),
                  absl::string_view::npos)
            << result.status();
        EXPECT_EQ(service_.Get(id)->state, from);
      }
    }
  }
}

TEST_F(ApprovalServiceTest, RevokeLocksTheApplicantOutAndReopenQueuesThemAgain) {
  const std::string id = *Request(John()).request_id;
  ASSERT_TRUE(Approve(service_, id, "alice", "").ok());
  EXPECT_EQ(Revoke(service_, id, "bob", "").status().code(), absl::StatusCode::kInvalidArgument);
  auto revoked = Revoke(service_, id, "bob", "left the company");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->decided_by, "bob");
  EXPECT_EQ(Check(John()).reason, BlockReason::kDenied);
  EXPECT_EQ(Request(John()).reason, BlockReason::kDenied);

  auto reopened = Reopen(service_, id, "carol", "rehired");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state, RequestState::kPending);
  EXPECT_FALSE(reopened->decided.has_value());
  EXPECT_TRUE(reopened->decided_by.empty());
  EXPECT_EQ(Check(John()).reason, BlockReason::kPending);
  ASSERT_TRUE(Approve(service_, id, "carol", "welcome back").ok());
  EXPECT_EQ(Check(John()).action, ConnectorAction::kContinue);
}

TEST_F(ApprovalServiceTest, ClaimsSetOnApprovalAreReturnedOnContinueAtBothHooks) {
  const std::string id = *Request(John()).request_id;
  const ReturnedClaims claims = {{"extension_Role", std::string("supplier")},
                                 {"extension_Level", int64_t{2}},
                                 {"extension_Score", 4.5},
                                 {"extension_Vip", true}};
  ASSERT_TRUE(Approve(service_, id, "alice", "", claims).ok());
  EXPECT_EQ(Check(John()).returned_claims, claims);
  EXPECT_EQ(Request(John()).returned_claims, claims);
  EXPECT_EQ(service_.Get(id)->returned_claims, claims);

  ASSERT_TRUE(Revoke(service_, id, "bob", "gone").ok());  // a revoked approval returns nothing
  EXPECT_TRUE(service_.Get(id)->returned_claims.empty());
  EXPECT_TRUE(Check(John()).returned_claims.empty());
}

TEST_F(ApprovalServiceTest, BadReturnedClaimsAreRefusedAndChangeNothing) {
  const std::string id = *Request(John()).request_id;
  for (const ReturnedClaims& bad : std::vector<ReturnedClaims>{
           {{"", std::string("x")}},
           {{"extension Role", std::string("x")}},
           {{"action", std::string("Continue")}},  // would corrupt the answer
           {{"version", std::string("2")}},
           {{"extension_Long", std::string(2000, 'x')}}}) {
    EXPECT_EQ(Approve(service_, id, "alice", "", bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(
      service_.Apply(ReviewAction::kDeny, id, "alice", "no", {{"extension_Role", std::string("x")}})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(service_.Get(id)->state, RequestState::kPending);
}

constexpr absl::Duration kTtl = absl::Hours(24 * 30);  // the default

TEST_F(ApprovalServiceTest, PendingExpiresAfterTheTtlAndTheApplicantMayAskAgain) {
  const std::string old_id = *Request(Mary()).request_id;
  clock_.Advance(kTtl);
  EXPECT_EQ(Check(Mary()).reason, BlockReason::kPending);  // exactly at the TTL: not yet
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Check(Mary()).action, ConnectorAction::kContinue);     // hook 1 treats it as expired
  EXPECT_EQ(service_.Get(old_id)->state, RequestState::kPending);  // ...without writing

  const ConnectorOutcome renewed = Request(Mary());
  EXPECT_EQ(renewed.reason, BlockReason::kRequested);
  EXPECT_NE(renewed.request_id, old_id);
  auto expired = service_.Get(old_id);
  EXPECT_EQ(expired->state, RequestState::kExpired);
  EXPECT_EQ(expired->decided_by, "system");
  EXPECT_EQ(expired->decision_reason, "pending for more than 30 days");
}

TEST_F(ApprovalServiceTest, AnOverdueRequestCanNoLongerBeApprovedButCanBeReopened) {
  const std::string id = *Request(Mary()).request_id;
  clock_.Advance(kTtl + absl::Minutes(1));
  auto approve = Approve(service_, id, "alice", "");
  EXPECT_EQ(approve.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(approve.status().message().find("already expired"), absl::string_view::npos)
      << approve.status();
  auto reopened = Reopen(service_, id, "alice", "late review");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state, RequestState::kPending);
  // The TTL counts again from the reopen.
  clock_.Advance(kTtl - absl::Minutes(1));
  EXPECT_TRUE(Approve(service_, id, "alice", "").ok());
}

TEST_F(ApprovalServiceTest, TheSweeperRecordsOnlyOverdueRequests) {
  const std::string old_id = *Request(Mary()).request_id;
  clock_.Advance(kTtl / 2);
  const std::string young_id = *Request(John()).request_id;
  clock_.Advance(kTtl / 2 + absl::Seconds(1));
  auto swept = service_.ExpireOverdue(100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(service_.Get(old_id)->state, RequestState::kExpired);
  EXPECT_EQ(service_.Get(young_id)->state, RequestState::kPending);
  EXPECT_EQ(*service_.ExpireOverdue(100), 0);  // idempotent
}

TEST_F(ApprovalServiceTest, EveryChangeIsInTheAuditLog) {
  const std::string id = *Request(John()).request_id;
  Request(John());
  ASSERT_TRUE(Approve(service_, id, "alice", "ok").ok());
  auto listed = service_.ListEvents({.request_id = id});
  ASSERT_TRUE(listed.ok()) << listed.status();
  const std::vector<AuditEvent>& events = *listed;
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, EventType::kCreated);
  EXPECT_EQ(events[1].type, EventType::kSeenAgain);
  EXPECT_EQ(events[2].type, EventType::kApproved);
  EXPECT_EQ(events[2].actor, "alice");
  EXPECT_EQ(events[2].reason, "ok");
  EXPECT_LT(events[0].revision, events[1].revision);
  EXPECT_LT(events[1].revision, events[2].revision);
}

TEST_F(ApprovalServiceTest, TheWholeAuditLogPagesByRevision) {
  const std::string john = *Request(John()).request_id;
  const std::string mary = *Request(Mary()).request_id;
  ASSERT_TRUE(Deny(service_, mary, "alice", "no").ok());
  auto first = service_.ListEvents({.limit = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].request_id, john);
  EXPECT_EQ((*first)[1].request_id, mary);
  auto rest = service_.ListEvents({.after_revision = (*first)[1].revision});
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].type, EventType::kDenied);
  EXPECT_EQ(service_.ListEvents({.request_id = "nope"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ApprovalServiceTest, ConcurrentRetriesCreateOneRequest) {
  constexpr int kCalls = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] {
      if (!RequestApproval(service_, John()).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const auto all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].attempts, kCalls);
}

TEST_F(ApprovalServiceTest, TwoReviewersDecidingAtOnceExactlyOneWins) {
  const std::string id = *Request(John()).request_id;
  std::atomic<int> wins{0}, refusals{0};
  std::thread approve([&] {
    auto r = Approve(service_, id, "alice", "yes");
    (r.ok() ? wins : refusals)++;
  });
  std::thread deny([&] {
    auto r = Deny(service_, id, "bob", "no");
    (r.ok() ? wins : refusals)++;
  });
  approve.join();
  deny.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(refusals.load(), 1);
}

}  // namespace
}  // namespace gatehouse::core
