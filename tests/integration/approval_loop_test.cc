// The approval loop end to end, as design.md §4 and connector-contract.md §1 describe it.
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

using ApprovalLoopTest = StackTest;

TEST_F(ApprovalLoopTest, NewApplicantIsHeldReviewedAndLetThrough) {
  ExpectContinue(Hook("check-approval", kJohn));  // nobody has asked yet
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED",
              "waiting for approval");
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-APPROVAL-PENDING", "already processing");
  // Azure retries: a second hook-2 call creates nothing new.
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-PENDING", "already processing");

  const std::string id = PendingId("john.smith@fabrikam.com");
  RunResult list = Reviewer({"list"}, reviewer_token_);  // piped: tab-separated
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find(id + "\tpending\tjohn.smith@fabrikam.com\tJohn Smith\tfacebook.com\t"),
            std::string::npos)
      << list.out;

  RunResult approve = Reviewer({"approve", id, "--reason", "known supplier"}, reviewer_token_);
  EXPECT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_EQ(approve.out, "request/" + id + " approved\n");

  ExpectContinue(Hook("check-approval", kJohn));
  ExpectContinue(Hook("request-approval", kJohn));

  RunResult show = Reviewer({"show", id, "-o", "json"}, reviewer_token_);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const json shown = json::parse(show.out);
  EXPECT_EQ(shown["state"], "approved");
  EXPECT_EQ(shown["decidedBy"], "alice");  // the reviewer's token name
  EXPECT_EQ(shown["reason"], "known supplier");
  EXPECT_EQ(shown["attempts"], 3);
  EXPECT_EQ(shown["claims"]["extension_abc_CustomAttribute1"], "custom attribute value");
  // The audit trail: created, the retry, the approval by alice, then two more attempts.
  std::vector<std::string> events;
  for (const json& event : shown["history"]) events.push_back(event["event"]);
  EXPECT_EQ(events, (std::vector<std::string>{"created", "seen_again", "approved", "seen_again"}));
  EXPECT_EQ(shown["history"][2]["actor"], "alice");
  EXPECT_EQ(shown["history"][2]["reason"], "known supplier");
  RunResult history = Reviewer({"history", id}, reviewer_token_);
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("\tapproved\talice\tapproved\tknown supplier\n"), std::string::npos)
      << history.out;
}

TEST_F(ApprovalLoopTest, ClaimsSetOnApprovalComeBackOnContinue) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  EXPECT_EQ(Reviewer({"approve", id, "--set", "extension_Level:=maybe"}, reviewer_token_).exit_code,
            2);
  RunResult bad = Reviewer({"approve", id, "--set", "action=Continue"}, reviewer_token_);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("field of the connector answer"), std::string::npos) << bad.err;

  RunResult approve = Reviewer({"approve", id, "--set", "extension_Role=supplier", "--set",
                                "extension_Level:=2", "--set", "extension_Vip:=true"},
                               reviewer_token_);
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  const json expected = {{"version", "1.0.0"},
                         {"action", "Continue"},
                         {"extension_Level", 2},
                         {"extension_Role", "supplier"},
                         {"extension_Vip", true}};
  for (const char* route : {"check-approval", "request-approval"}) {
    const HookReply reply = Hook(route, kJohn);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, expected) << route;
  }
  RunResult show = Reviewer({"show", id, "-o", "json"}, reviewer_token_);
  EXPECT_EQ(
      json::parse(show.out)["returnedClaims"],
      (json{{"extension_Level", 2}, {"extension_Role", "supplier"}, {"extension_Vip", true}}));
}

TEST_F(ApprovalLoopTest, DeniedApplicantIsBlockedAtBothHooks) {
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("mary@contoso.com");
  RunResult deny = Reviewer({"deny", id, "--reason", "not a customer"}, reviewer_token_);
  EXPECT_EQ(deny.exit_code, 0) << deny.err;
  EXPECT_EQ(deny.out, "request/" + id + " denied\n");
  for (int attempt = 0; attempt < 2; ++attempt) {
    ExpectBlock(Hook("check-approval", kMary), "GATEHOUSE-APPROVAL-DENIED", "denied");
    ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-DENIED", "denied");
  }
  // Once decided, nobody can flip it by accident.
  RunResult approve = Reviewer({"approve", id}, reviewer_token_);
  EXPECT_EQ(approve.exit_code, 1);
  EXPECT_NE(approve.err.find("already denied by alice"), std::string::npos) << approve.err;
}

TEST_F(ApprovalLoopTest, RevokedApprovalLocksOutAndReopenQueuesAgain) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
  ExpectContinue(Hook("check-approval", kJohn));

  EXPECT_EQ(Reviewer({"revoke", id}, reviewer_token_).exit_code, 2);  // --reason required
  RunResult revoke = Reviewer({"revoke", id, "--reason", "left the company"}, reviewer_token_);
  EXPECT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_EQ(revoke.out, "request/" + id + " revoked\n");
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-APPROVAL-DENIED", "denied");
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-DENIED", "denied");

  RunResult reopen = Reviewer({"reopen", id, "--reason", "rehired"}, reviewer_token_);
  EXPECT_EQ(reopen.exit_code, 0) << reopen.err;
  EXPECT_EQ(reopen.out, "request/" + id + " reopened\n");
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-APPROVAL-PENDING", "already processing");
  RunResult again = Reviewer({"reopen", id}, reviewer_token_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("is already pending; only denied, expired or revoked requests can be "
                           "reopened"),
            std::string::npos)
      << again.err;
}

TEST_F(ApprovalLoopTest, MissingIdentityIsAValidationErrorOnlyAtHook2) {
  const HookReply hook2 = Hook("request-approval", R"({"displayName":"Nobody"})");
  EXPECT_EQ(hook2.status, 400);
  EXPECT_EQ(hook2.body["status"], 400);
  EXPECT_EQ(hook2.body["action"], "ValidationError");
  EXPECT_EQ(hook2.body["version"], "1.0.0");
  ExpectBlock(Hook("check-approval", R"({"displayName":"Nobody"})"), "GATEHOUSE-MISSING-IDENTITY",
              "");
}

TEST_F(ApprovalLoopTest, ConnectorRoutesRequireBasicAuthentication) {
  httplib::Client client = Http();
  auto anonymous = client.Post("/api/connectors/check-approval", kJohn, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Basic realm=\"gatehouse\"");
  client.set_basic_auth(kBasicUser, "s3cret:with:colon");
  auto wrong = client.Post("/api/connectors/request-approval", kJohn, "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(json::parse(wrong->body)["error"], "unauthorized");
  // Nothing was recorded by the rejected calls.
  RunResult list = Reviewer({"list", "-o", "json"}, reviewer_token_);
  EXPECT_EQ(json::parse(list.out), json::array());
}

TEST_F(ApprovalLoopTest, BadHttpInputGetsClearJsonErrors) {
  httplib::Client client = Http();
  client.set_basic_auth(kBasicUser, kBasicPassword);
  auto text = client.Post("/api/connectors/check-approval", kJohn, "text/plain");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415);
  auto malformed = client.Post("/api/connectors/check-approval", "{\"email\":", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(json::parse(malformed->body)["error"], "invalid_request");
  auto huge = client.Post("/api/connectors/request-approval",
                          R"({"email":"x@y.z","pad":")" + std::string(70 * 1024, 'a') + "\"}",
                          "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_FALSE(json::parse(huge->body, nullptr, false).is_discarded());
  auto get = client.Get("/api/connectors/check-approval");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  auto unknown = client.Get("/nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"], "not_found");
  auto health = Http().Get("/healthz");  // no credentials needed
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ApprovalLoopTest, ReadyzFollowsTheCore) {
  auto ready = Http().Get("/readyz");  // no credentials needed
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(json::parse(ready->body)["status"], "ready");
  ASSERT_EQ(core_->Stop(SIGTERM), 0);
  const auto start = std::chrono::steady_clock::now();
  auto down = Http().Get("/readyz");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503);
  EXPECT_EQ(json::parse(down->body)["error"], "not_ready");
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(kCoreDeadlineMs) + 1500ms);
  auto health = Http().Get("/healthz");  // the gateway itself is alive
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(ApprovalLoopTest, MetricsAndTheAccessLogShowWhatHappened) {
  ExpectContinue(Hook("check-approval", kJohn));
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  httplib::Client anonymous = Http();
  ASSERT_TRUE(anonymous.Post("/api/connectors/check-approval", kJohn, "application/json"));
  ASSERT_EQ(core_->Stop(SIGTERM), 0);
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-UNAVAILABLE", "try again");

  auto metrics = Http().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  for (
      const char* line :
      {R"(gatehouse_gateway_requests_total{route="check-approval",status="200",answer="Continue",code=""} 1)",
       R"(gatehouse_gateway_requests_total{route="request-approval",status="200",answer="ShowBlockPage",code="GATEHOUSE-APPROVAL-REQUESTED"} 1)",
       R"(gatehouse_gateway_requests_total{route="check-approval",status="401",answer="",code=""} 1)",
       R"(gatehouse_gateway_requests_total{route="check-approval",status="200",answer="ShowBlockPage",code="GATEHOUSE-UNAVAILABLE"} 1)",
       R"(gatehouse_gateway_request_duration_seconds_count{route="check-approval"} 3)",
       R"(gatehouse_gateway_core_failures_total{code="UNAVAILABLE"} 1)"}) {
    EXPECT_NE(metrics->body.find(line), std::string::npos) << line << "\n" << metrics->body;
  }
  const std::string log = gateway_->Log();
  EXPECT_NE(log.find("access method=POST path=request-approval status=200 answer=ShowBlockPage "
                     "code=GATEHOUSE-APPROVAL-REQUESTED request="),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("code=GATEHOUSE-UNAVAILABLE request=- core_error=UNAVAILABLE"),
            std::string::npos)
      << log;
}

TEST_F(ApprovalLoopTest, CoreDownFailsClosedWithinTheDeadline) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
  ASSERT_EQ(core_->Stop(SIGTERM), 0) << core_->Log();  // clean stop
  for (const char* route : {"check-approval", "request-approval"}) {
    for (const char* body : {kJohn, kMary}) {  // approved or unknown: never Continue
      const auto start = std::chrono::steady_clock::now();
      ExpectBlock(Hook(route, body), "GATEHOUSE-UNAVAILABLE", "try again");
      // Generous bound for a shared machine; the point is "bounded", not "fast".
      EXPECT_LT(std::chrono::steady_clock::now() - start,
                std::chrono::milliseconds(kCoreDeadlineMs) + 1500ms);
    }
  }
}

TEST_F(ApprovalLoopTest, StateSurvivesACoreRestart) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string john = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", john}, reviewer_token_).exit_code, 0);

  ASSERT_EQ(core_->Stop(SIGKILL), -1);  // no chance to flush anything
  StartCore(CoreAddress());             // same port, so the running gateway reconnects

  const HookReply reply = HookOnceCoreIsBack("check-approval", kJohn);
  ExpectContinue(reply);
  ExpectBlock(Hook("check-approval", kMary), "GATEHOUSE-APPROVAL-PENDING", "already processing");
  EXPECT_EQ(PendingId("mary@contoso.com").size(), 8u);
}

TEST_F(ApprovalLoopTest, ReviewerExitCodesFollowTheDesign) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");

  RunResult unknown = Reviewer({"show", "zzzzzzzz"}, reviewer_token_);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no request with id"), std::string::npos) << unknown.err;

  EXPECT_EQ(Reviewer({"deny", id}, reviewer_token_).exit_code, 2);  // --reason required
  EXPECT_EQ(Reviewer({"frobnicate"}, reviewer_token_).exit_code, 2);

  RunResult bad_token = Reviewer({"list"}, "gh_not-a-real-token");
  EXPECT_EQ(bad_token.exit_code, 4);
  EXPECT_NE(bad_token.err.find("did not accept the token"), std::string::npos);

  RunResult reader = Reviewer({"approve", id}, reader_token_);  // readers may only look
  EXPECT_EQ(reader.exit_code, 4) << reader.err;
  EXPECT_EQ(Reviewer({"list"}, reader_token_).exit_code, 0);

  RunResult connector = Reviewer({"list"}, connector_token_);  // wrong role entirely
  EXPECT_EQ(connector.exit_code, 4);

  RunResult unreachable = RunCommand({kBin + "/reviewer", "--server", "127.0.0.1:1", "list"},
                                     {{"GATEHOUSE_TOKEN", reviewer_token_}});
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_NE(unreachable.err.find("cannot reach approval-core"), std::string::npos);

  // The request is untouched by all of the above.
  RunResult show = Reviewer({"show", id, "-o", "json"}, reviewer_token_);
  EXPECT_EQ(json::parse(show.out)["state"], "pending");
}

TEST_F(ApprovalLoopTest, ServersStopCleanlyOnSigterm) {
  EXPECT_EQ(gateway_->Stop(SIGTERM), 0) << gateway_->Log();
  EXPECT_EQ(core_->Stop(SIGTERM), 0) << core_->Log();
  EXPECT_NE(core_->Log().find("approval-core stopped"), std::string::npos);
}

TEST_F(ApprovalLoopTest, ASecondCoreCannotTakeTheSamePort) {
  RunResult second = RunCommand(
      {kBin + "/approval-core", "--listen", CoreAddress(), "--db", dir_ + "/other.db"}, {}, 10s);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen on " + CoreAddress()), std::string::npos) << second.err;
}

TEST_F(ApprovalLoopTest, ASecondGatewayCannotTakeTheSamePort) {
  const std::string address = "127.0.0.1:" + std::to_string(gateway_port_);
  RunResult second = RunCommand({kBin + "/connector-gateway", "--listen", address},
                                {{"GATEHOUSE_CORE_TOKEN", connector_token_},
                                 {"GATEHOUSE_BASIC_USERNAME", kBasicUser},
                                 {"GATEHOUSE_BASIC_PASSWORD", kBasicPassword}},
                                10s);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen on " + address), std::string::npos) << second.err;
}

TEST_F(ApprovalLoopTest, SecretsNeverReachTheLogs) {
  Hook("request-approval", kJohn);
  Reviewer({"list"}, reviewer_token_);
  for (const std::string& log : {core_->Log(), gateway_->Log()}) {
    for (const std::string& secret :
         {connector_token_, reviewer_token_, std::string(kBasicPassword)}) {
      EXPECT_EQ(log.find(secret), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace gatehouse::testing
