// Entra External ID custom authentication extensions through the real gateway and core, next
// to the classic routes, with Entra's tokens signed by a local key and its key set in a file.
#include <filesystem>
#include <fstream>

#include "stack_fixture.h"
#include "support/test_jwt.h"

namespace gatehouse::testing {
namespace {

constexpr char kTenant[] = "8c6f2f2a-1111-4d7e-9d39-3c1b1f1a0e55";
constexpr char kAudience[] = "api://gatehouse-approvals";
constexpr int kEntraDeadlineMs = 300;
constexpr char kStart[] = "attribute-collection-start";
constexpr char kSubmit[] = "attribute-collection-submit";

// An OnAttributeCollectionStart/Submit call as Entra sends it, with `identities` as given and
// `email` typed into the form.
std::string EntraBodyWith(const std::string& route, const std::string& email, json identities,
                          const json& more_attributes = json::object()) {
  const bool start = route == kStart;
  json attributes = more_attributes;
  if (!email.empty()) {
    attributes["email"] = {{"@odata.type", "microsoft.graph.stringDirectoryAttributeValue"},
                           {"value", email},
                           {"attributeType", "builtIn"}};
  }
  return json{{"type", std::string("microsoft.graph.authenticationEvent.") +
                           (start ? "attributeCollectionStart" : "attributeCollectionSubmit")},
              {"source", std::string("/tenants/") + kTenant + "/applications/app-1"},
              {"data",
               {{"@odata.type", start ? "microsoft.graph.onAttributeCollectionStartCalloutData"
                                      : "microsoft.graph.onAttributeCollectionSubmitCalloutData"},
                {"tenantId", kTenant},
                {"authenticationContext", {{"client", {{"locale", "en-us"}}}}},
                {"userSignUpInfo", {{"attributes", attributes}, {"identities", identities}}}}}}
      .dump();
}

// A local account: Entra's `email` sign-in identity, its address also in the form.
std::string EntraBody(const std::string& route, const std::string& email,
                      const json& more_attributes = json::object()) {
  json identities = json::array();
  if (!email.empty()) {
    identities.push_back({{"signInType", "email"},
                          {"issuer", "contoso.onmicrosoft.com"},
                          {"issuerAssignedId", email}});
  }
  return EntraBodyWith(route, email, identities, more_attributes);
}

// Signed in through Google: Google's word for the address is all there is.
std::string EntraGoogleBody(const std::string& route, const std::string& email,
                            const std::string& google_id) {
  return EntraBodyWith(route, email,
                       json::array({{{"signInType", "federated"},
                                     {"issuer", "google.com"},
                                     {"issuerAssignedId", google_id}}}));
}

class EntraLoopTest : public StackTest {
 protected:
  // Before the gateway starts: it loads the keys at start-up.
  void PrepareDataDirectory() override { SetKeys({&signer_}); }

  // The tenant's keys from a file: a key set URL must be https, which this loopback-only test
  // cannot serve with a certificate the gateway would trust.
  std::vector<std::string> ExtraGatewayArgs() override {
    return {
        "--entra-tenant-id",          kTenant,
        "--entra-audience",           std::string("other,") + kAudience,
        "--entra-jwks-file",          KeysPath(),
        "--entra-jwks-min-refresh-s", "10",
        "--entra-deadline-ms",        std::to_string(kEntraDeadlineMs)};
  }

  std::string KeysPath() const { return dir_ + "/entra-keys.json"; }

  void SetKeys(const std::vector<const TestSigner*>& signers) {
    const std::string next = KeysPath() + ".next";
    std::ofstream(next) << JwksOf(signers);
    std::filesystem::rename(next, KeysPath());  // whole, as a deployment would replace it
  }

  json Claims() const { return EntraClaims(kTenant, kAudience, std::time(nullptr)); }
  std::string Token() const { return signer_.Token(Claims()); }

  // POST to an extension route with a bearer token ("" for none).
  HookReply Extension(const std::string& route, const std::string& body, const std::string& token) {
    httplib::Client client = Http();
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto result = client.Post("/api/extensions/" + route, headers, body, "application/json");
    if (!result) {
      ADD_FAILURE() << "no HTTP answer: " << httplib::to_string(result.error());
      return {0, json::object()};
    }
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    if (result->status == 401) {
      EXPECT_EQ(result->get_header_value("WWW-Authenticate").rfind("Bearer ", 0), 0u);
    }
    return {result->status, json::parse(result->body, nullptr, false)};
  }

  // The one action of a 200 answer.
  static json Action(const HookReply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    // value(): a body of another shape fails the test instead of tripping json's assertions.
    const json actions =
        reply.body.is_object()
            ? reply.body.value("data", json::object()).value("actions", json::array())
            : json::array();
    EXPECT_EQ(actions.size(), 1u) << reply.body.dump();
    return actions.empty() ? json::object() : actions[0];
  }

  static inline const TestSigner signer_{"entra-key-1"};
};

TEST_F(EntraLoopTest, BothDialectsWalkTheSameApprovalLoopOnOneGatewayAndCore) {
  const std::string start_type = "microsoft.graph.attributeCollectionStart.";
  const std::string submit_type = "microsoft.graph.attributeCollectionSubmit.";
  // A newcomer passes the start page, and submitting records a request.
  EXPECT_EQ(Action(Extension(kStart, EntraBody(kStart, "larissa@contoso.com"), Token())),
            json({{"@odata.type", start_type + "continueWithDefaultBehavior"}}));
  const json requested = Action(Extension(
      kSubmit,
      EntraBody(
          kSubmit, "larissa@contoso.com",
          {{"extension_app1_graduationYear",
            {{"@odata.type", "microsoft.graph.int64DirectoryAttributeValue"}, {"value", 2010}}}}),
      Token()));
  EXPECT_EQ(requested["@odata.type"], submit_type + "showBlockPage");
  EXPECT_EQ(requested["title"], "Hold tight...");
  EXPECT_EQ(requested["message"],
            "Your account is now waiting for approval. You'll be notified when your request has "
            "been approved.");
  // Pending, in both dialects: it is one applicant in one core.
  const json pending = Action(Extension(kStart, EntraBody(kStart, "larissa@contoso.com"), Token()));
  EXPECT_EQ(pending["@odata.type"], start_type + "showBlockPage");
  EXPECT_NE(pending["message"].get<std::string>().find("already processing"), std::string::npos);
  ExpectBlock(Hook("check-approval", R"({"email":"larissa@contoso.com"})"),
              "GATEHOUSE-APPROVAL-PENDING", "already processing");

  // The reviewer sees the typed attribute and approves with a claim to return.
  const std::string id = PendingId("larissa@contoso.com");
  RunResult show = Reviewer({"show", id, "-o", "json"}, reviewer_token_);
  EXPECT_EQ(json::parse(show.out)["claims"]["extension_app1_graduationYear"], 2010) << show.out;
  ASSERT_EQ(
      Reviewer({"approve", id, "--set", "extension_app1_Role=supplier"}, reviewer_token_).exit_code,
      0);
  EXPECT_EQ(Action(Extension(kStart, EntraBody(kStart, "larissa@contoso.com"), Token())),
            json({{"@odata.type", start_type + "setPrefillValues"},
                  {"inputs", {{"extension_app1_Role", "supplier"}}}}));
  EXPECT_EQ(Action(Extension(kSubmit, EntraBody(kSubmit, "larissa@contoso.com"), Token())),
            json({{"@odata.type", submit_type + "modifyAttributeValues"},
                  {"attributes", {{"extension_app1_Role", "supplier"}}}}));
  HookReply classic = Hook("check-approval", R"({"email":"larissa@contoso.com"})");
  EXPECT_EQ(classic.body["action"], "Continue");

  // Denied: blocked with a denial title, at both events and at the classic hooks.
  Action(Extension(kSubmit, EntraBody(kSubmit, "mallory@evil.example"), Token()));
  ASSERT_EQ(Reviewer({"deny", PendingId("mallory@evil.example"), "--reason", "no"}, reviewer_token_)
                .exit_code,
            0);
  for (const char* route : {kStart, kSubmit}) {
    const json denied = Action(Extension(route, EntraBody(route, "mallory@evil.example"), Token()));
    EXPECT_TRUE(denied["@odata.type"].get<std::string>().ends_with(".showBlockPage"));
    EXPECT_EQ(denied["title"], "Sign-up denied");
  }
  ExpectBlock(Hook("request-approval", R"({"email":"mallory@evil.example"})"),
              "GATEHOUSE-APPROVAL-DENIED", "denied");

  // Nobody to identify: a validation error on submit, a block page at start.
  const json invalid = Action(Extension(kSubmit, EntraBody(kSubmit, ""), Token()));
  EXPECT_EQ(invalid["@odata.type"], submit_type + "showValidationError");
  EXPECT_TRUE(invalid["attributeErrors"].contains("email")) << invalid.dump();
  EXPECT_EQ(Action(Extension(kStart, EntraBody(kStart, ""), Token()))["@odata.type"],
            start_type + "showBlockPage");

  // A body the gateway cannot read still gets HTTP 200 and one action: the fail-closed block
  // page. Nothing is recorded.
  const json unreadable = Action(Extension(kSubmit, R"({"data":[]})", Token()));
  EXPECT_EQ(unreadable["@odata.type"], submit_type + "showBlockPage");
  EXPECT_NE(unreadable["message"].get<std::string>().find("try again in a few minutes"),
            std::string::npos);
  EXPECT_EQ(AllRequests().size(), 2u);
}

// design.md §4, "Matching", at both hooks of both dialects: an approval stays with the
// identity that was reviewed.
TEST_F(EntraLoopTest, AnApprovalStaysWithTheIdentityThatWasReviewed) {
  const std::string start_type = "microsoft.graph.attributeCollectionStart.";
  // Mary signs up with a local account (classic dialect) and is approved with a claim.
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string mary = PendingId("mary@contoso.com");
  ASSERT_EQ(Reviewer({"approve", mary, "--set", "jobTitle=CFO"}, reviewer_token_).exit_code, 0);
  const json cfo = {{"version", "1.0.0"}, {"action", "Continue"}, {"jobTitle", "CFO"}};
  EXPECT_EQ(Hook("check-approval", kMary).body, cfo);

  // Mallory makes Google assert Mary's address: classic dialect, both hooks.
  const std::string mallory_classic = R"({"email":"Mary@Contoso.com","identities":[
      {"signInType":"federated","issuer":"google.com","issuerAssignedId":"g-mallory"}]})";
  ExpectContinue(Hook("check-approval", mallory_classic));  // a newcomer: no claims of Mary's
  ExpectBlock(Hook("request-approval", mallory_classic), "GATEHOUSE-APPROVAL-REQUESTED",
              "waiting");
  ExpectBlock(Hook("check-approval", mallory_classic), "GATEHOUSE-APPROVAL-PENDING",
              "already processing");
  // Entra dialect, through Google too: the start page continues without Mary's prefill, the
  // submit finds Mallory's own pending request.
  EXPECT_EQ(Action(Extension(kStart, EntraGoogleBody(kStart, "mary@contoso.com", "g-mallory2"),
                             Token())),
            json({{"@odata.type", start_type + "continueWithDefaultBehavior"}}));
  EXPECT_EQ(Action(Extension(kSubmit, EntraGoogleBody(kSubmit, "mary@contoso.com", "g-mallory2"),
                             Token()))["title"],
            "Hold tight...");
  // Mary herself, through Entra's email sign-in (verified): her approval and her claim.
  EXPECT_EQ(Action(Extension(kStart, EntraBody(kStart, "mary@contoso.com"), Token())),
            json({{"@odata.type", start_type + "setPrefillValues"},
                  {"inputs", {{"jobTitle", "CFO"}}}}));
  EXPECT_EQ(Hook("request-approval", kMary).body, cfo);

  // The reviewer sees each newcomer pointing at Mary's request.
  const json all = AllRequests();
  ASSERT_EQ(all.size(), 3u) << all.dump();
  for (const json& request : all) {
    if (request["id"] == mary) {
      EXPECT_TRUE(request["emailVerified"].get<bool>());
      EXPECT_EQ(request["attempts"], 2);  // Mary's own second visit only
      continue;
    }
    EXPECT_EQ(request["state"], "pending");
    EXPECT_FALSE(request["emailVerified"].get<bool>());
    EXPECT_EQ(request["sameEmailAs"], mary);
  }
  RunResult show = Reviewer({"show", all[1]["id"]}, reviewer_token_);
  EXPECT_NE(show.out.find("same email as: request " + mary + " (approved by alice at "),
            std::string::npos)
      << show.out;

  // Eve registers Vic's address through Facebook first and is denied...
  const std::string eve = R"({"email":"vic@example.com","identities":[
      {"signInType":"federated","issuer":"facebook.com","issuerAssignedId":"fb-eve"}]})";
  ExpectBlock(Hook("request-approval", eve), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ASSERT_EQ(Reviewer({"deny", PendingId("vic@example.com"), "--reason", "impostor"},
                     reviewer_token_)
                .exit_code,
            0);
  ExpectBlock(Hook("check-approval", eve), "GATEHOUSE-APPROVAL-DENIED", "denied");
  // ...which never blocks Vic, the verified owner: in either dialect he is a newcomer.
  const std::string vic = R"({"email":"vic@example.com"})";
  ExpectContinue(Hook("check-approval", vic));
  EXPECT_EQ(Action(Extension(kStart, EntraBody(kStart, "vic@example.com"), Token())),
            json({{"@odata.type", start_type + "continueWithDefaultBehavior"}}));
  ExpectBlock(Hook("request-approval", vic), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  EXPECT_NE(Action(Extension(kSubmit, EntraBody(kSubmit, "vic@example.com"), Token()))["message"]
                .get<std::string>()
                .find("already processing"),
            std::string::npos);  // the same verified address: Vic's own request

  // In the Entra dialect the address is the email sign-in identity's, not the form's.
  Action(Extension(kSubmit,
                   EntraBodyWith(kSubmit, "typed@elsewhere.example",
                                 json::array({{{"signInType", "email"},
                                               {"issuer", "contoso.onmicrosoft.com"},
                                               {"issuerAssignedId", "signed.in@contoso.com"}}})),
                   Token()));
  RunResult recorded =
      Reviewer({"show", PendingId("signed.in@contoso.com"), "-o", "json"}, reviewer_token_);
  const json shown = json::parse(recorded.out, nullptr, false);
  EXPECT_TRUE(shown.value("emailVerified", false)) << recorded.out;
  EXPECT_EQ(shown["claims"].value("email", ""), "typed@elsewhere.example") << recorded.out;
}

TEST_F(EntraLoopTest, EveryBadTokenIsRefusedBeforeAnythingReachesTheCore) {
  const std::string body = EntraBody(kSubmit, "eve@evil.example");
  const int64_t now = std::time(nullptr);
  auto with = [&](const std::function<void(json&)>& change) {
    json claims = Claims();
    change(claims);
    return signer_.Token(claims);
  };
  const TestSigner unknown_key("not-published");
  const TestSigner forger("entra-key-1");  // claims a published kid, signs with its own key
  const std::string good = Token();
  std::string tampered = good;
  tampered[good.find('.') + 5] = tampered[good.find('.') + 5] == 'x' ? 'y' : 'x';
  const std::string none = EncodeBase64Url(R"({"alg":"none","kid":"entra-key-1"})") +
                           good.substr(good.find('.'), good.rfind('.') - good.find('.')) + ".";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"expired", with([&](json& c) { c["exp"] = now - 600; })},
      {"wrong audience", with([](json& c) { c["aud"] = "api://someone-else"; })},
      {"wrong issuer",
       with([](json& c) { c["iss"] = "https://login.microsoftonline.com/common/v2.0"; })},
      {"wrong caller", with([](json& c) { c["azp"] = "11111111-2222-3333-4444-555555555555"; })},
      {"unknown key", unknown_key.Token(Claims())},
      {"forged signature", forger.Token(Claims())},
      {"tampered payload", tampered},
      {"alg none", none},
      {"no token", ""},
  };
  for (const auto& [what, token] : refused) {
    HookReply reply = Extension(kSubmit, body, token);
    EXPECT_EQ(reply.status, 401) << what;
    EXPECT_EQ(reply.body.value("error", ""), "unauthorized") << what;
  }
  // Basic credentials are for the classic routes only, and a bearer token only for these.
  httplib::Client client = Http();
  client.set_basic_auth(kBasicUser, kBasicPassword);
  EXPECT_EQ(
      client.Post("/api/extensions/attribute-collection-submit", body, "application/json")->status,
      401);
  httplib::Client bearer_on_classic = Http();
  bearer_on_classic.set_bearer_token_auth(good);
  EXPECT_EQ(bearer_on_classic
                .Post("/api/connectors/request-approval", R"({"email":"eve@evil.example"})",
                      "application/json")
                ->status,
            401);
  EXPECT_TRUE(AllRequests().empty());  // nothing reached the core
  EXPECT_EQ(Action(Extension(kSubmit, body, good))["title"], "Hold tight...");  // control
  EXPECT_EQ(gateway_->Log().find(good.substr(good.rfind('.'))), std::string::npos)
      << "a token reached the log";
}

// A key Entra starts signing with is picked up by a reload in the background: the first call
// with it is refused at once (no request waits for a fetch), and it is accepted once loaded,
// within the minimum reload interval (10 s).
TEST_F(EntraLoopTest, ARotatedSigningKeyIsLoadedInTheBackground) {
  const TestSigner next("entra-key-2");
  SetKeys({&signer_, &next});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Extension(kStart, EntraBody(kStart, "new@contoso.com"), next.Token(Claims())).status,
            401);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  json action;
  while (std::chrono::steady_clock::now() - start < 15s) {
    HookReply reply = Extension(kStart, EntraBody(kStart, "new@contoso.com"), next.Token(Claims()));
    if (reply.status == 200) {
      action = Action(reply);
      break;
    }
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_EQ(action.value("@odata.type", ""),
            "microsoft.graph.attributeCollectionStart.continueWithDefaultBehavior");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 12s);
  // The old key still works.
  EXPECT_EQ(Extension(kStart, EntraBody(kStart, "old@contoso.com"), Token()).status, 200);
}

TEST(EntraKeysTest, AKeySetUrlMustBeHttps) {
  RunResult run = RunCommand(
      {kBin + "/connector-gateway", "--listen", "127.0.0.1:0", "--core", "127.0.0.1:1",
       "--entra-tenant-id", kTenant, "--entra-audience", kAudience, "--entra-jwks-url",
       "http://login.example/keys"},
      {{"GATEHOUSE_CORE_TOKEN", "t"}, {"GATEHOUSE_BASIC_USERNAME", "u"},
       {"GATEHOUSE_BASIC_PASSWORD", "p"}},
      10s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("must be https://host/path"), std::string::npos) << run.err;
}

TEST_F(EntraLoopTest, CoreDownFailsClosedWithinTheExtensionDeadline) {
  // Connected first, then frozen: calls hang until the deadline, which is the extensions' own
  // (300 ms), not the classic routes' (500 ms).
  Action(Extension(kStart, EntraBody(kStart, "warm@contoso.com"), Token()));
  core_->Signal(SIGSTOP);
  const auto started = std::chrono::steady_clock::now();
  const json action = Action(Extension(kSubmit, EntraBody(kSubmit, "late@contoso.com"), Token()));
  const auto took = std::chrono::steady_clock::now() - started;
  core_->Signal(SIGCONT);
  EXPECT_EQ(action["@odata.type"], "microsoft.graph.attributeCollectionSubmit.showBlockPage");
  EXPECT_NE(action["message"].get<std::string>().find("try again in a few minutes"),
            std::string::npos);
  EXPECT_GE(took, std::chrono::milliseconds(kEntraDeadlineMs));
  EXPECT_LT(took, std::chrono::milliseconds(kEntraDeadlineMs + 150)) << "well inside Entra's 1 s";
}

}  // namespace
}  // namespace gatehouse::testing
