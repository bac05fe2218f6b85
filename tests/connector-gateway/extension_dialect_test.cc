// The Entra External ID custom authentication extension dialect: the attribute envelope in,
// exactly one action out, always HTTP 200 JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dialect/extension_answer.h"
#include "dialect/extension_request.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

// connector-contract.md §2, verbatim.
constexpr char kSubmit[] = R"({
  "type": "microsoft.graph.authenticationEvent.attributeCollectionSubmit",
  "source": "/tenants/<tenantId>/applications/<appId>",
  "data": {
    "@odata.type": "microsoft.graph.onAttributeCollectionSubmitCalloutData",
    "tenantId": "<tenantId>",
    "authenticationEventListenerId": "<guid>",
    "customAuthenticationExtensionId": "<guid>",
    "authenticationContext": {"correlationId": "<guid>", "client": {"ip": "30.51.176.110", "locale": "en-us", "market": "en-us"}, "protocol": "OAUTH2.0"},
    "userSignUpInfo": {
      "attributes": {
        "givenName": {"@odata.type": "microsoft.graph.stringDirectoryAttributeValue", "value": "Larissa Price", "attributeType": "builtIn"},
        "extension_<appid>_graduationYear": {"@odata.type": "microsoft.graph.int64DirectoryAttributeValue", "value": 2010, "attributeType": "directorySchemaExtension"}
      },
      "identities": [{"signInType": "email", "issuer": "contoso.onmicrosoft.com", "issuerAssignedId": "larissa.price@contoso.onmicrosoft.com"}]
    }
  }
})";

TEST(ExtensionRequestTest, ParsesTheContractExample) {
  auto request = ParseExtensionRequest(kSubmit);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->event, Hook::kRequestApproval);
  EXPECT_EQ(request->tenant_id, "<tenantId>");
  const ApplicantClaims& c = request->claims;
  EXPECT_EQ(c.email, "larissa.price@contoso.onmicrosoft.com");  // from the email identity
  EXPECT_EQ(c.given_name, "Larissa Price");
  EXPECT_EQ(c.locale, "en-us");
  EXPECT_EQ(c.client_id, "<appId>");
  ASSERT_EQ(c.identities.size(), 1u);
  EXPECT_EQ(c.identities[0].issuer, "contoso.onmicrosoft.com");
  EXPECT_EQ(json::parse(c.other_claims_json),
            (json{{"extension_<appid>_graduationYear", 2010}}));  // typed, not a string
}

// The email sign-in identity is what Entra verified; a typed form value never replaces it
// (design.md §4), and is kept with the other claims when it differs.
TEST(ExtensionRequestTest, TheEmailComesFromTheEmailSignInIdentityNotTheForm) {
  auto request = ParseExtensionRequest(R"({
    "type": "microsoft.graph.authenticationEvent.attributeCollectionSubmit",
    "data": {"userSignUpInfo": {
      "attributes": {"email": {"value": "ceo@fabrikam.com"}},
      "identities": [{"signInType": "email", "issuer": "contoso.onmicrosoft.com",
                      "issuerAssignedId": "mallory@contoso.com"}]}}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->claims.email, "mallory@contoso.com");
  EXPECT_EQ(json::parse(request->claims.other_claims_json),
            (json{{"email", "ceo@fabrikam.com"}}));
}

TEST(ExtensionRequestTest, StartEventOdataTypeSpellingsBareValuesAndMultiValues) {
  auto request = ParseExtensionRequest(R"({
    "type": "microsoft.graph.authenticationEvent.attributeCollectionStart",
    "data": {"@odata.Type": "microsoft.graph.onAttributeCollectionStartCalloutData",
      "userSignUpInfo": {"attributes": {
        "email": {"@odata.Type": "microsoft.graph.stringDirectoryAttributeValue", "value": "Sam@Contoso.com"},
        "displayName": "Sam Rivera",
        "extension_x_groups": {"value": "Alumni,Faculty"},
        "extension_x_oldGroups": {"value": ["Alumni", "Faculty"]},
        "extension_x_mailingList": {"@odata.type": "microsoft.graph.booleanDirectoryAttributeValue", "value": true},
        "surname": {"value": null}
      }, "identities": [{"signInType": "federated", "issuer": "google.com", "issuerAssignedId": "1029"}]}}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->event, Hook::kCheckApproval);
  EXPECT_EQ(request->claims.email, "Sam@Contoso.com");
  EXPECT_EQ(request->claims.display_name, "Sam Rivera");
  EXPECT_EQ(request->claims.surname, "");
  EXPECT_EQ(json::parse(request->claims.other_claims_json),
            (json{{"extension_x_groups", "Alumni,Faculty"},
                  {"extension_x_oldGroups", "Alumni,Faculty"},  // both forms read the same
                  {"extension_x_mailingList", true}}));
  // Only data.@odata.type names the event.
  auto by_data = ParseExtensionRequest(
      R"({"data":{"@odata.type":"microsoft.graph.onAttributeCollectionSubmitCalloutData"}})");
  ASSERT_TRUE(by_data.ok());
  EXPECT_EQ(by_data->event, Hook::kRequestApproval);
  EXPECT_EQ(ParseExtensionRequest(R"({"data":{}})")->event, std::nullopt);
}

TEST(ExtensionRequestTest, MalformedBodiesAreClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "not valid JSON"},
      {"[]", "must be a JSON object"},
      {"{}", "no 'data' object"},
      {R"({"data":[]})", "no 'data' object"},
      {R"({"data":{"userSignUpInfo":{"attributes":[]}}})", "'userSignUpInfo.attributes' must be"},
      {R"({"data":{"userSignUpInfo":{"attributes":{"email":{"value":42}}}}})",
       "attribute 'email' must be a string"},
      {R"({"data":{"userSignUpInfo":{"attributes":{"x":{"attributeType":"builtIn"}}}}})",
       "attribute 'x' has no value"},
      {R"({"data":{"userSignUpInfo":{"attributes":{"x":{"value":[1]}}}}})", "must hold strings"},
      {R"({"data":{"userSignUpInfo":{"identities":{}}}})", "'identities' must be an array"},
      {std::string(40, '[') + std::string(40, ']'), "nest"},
  };
  for (const auto& [body, message] : cases) {
    auto request = ParseExtensionRequest(body);
    ASSERT_FALSE(request.ok()) << body;
    EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
    EXPECT_NE(request.status().message().find(message), std::string::npos)
        << body << " -> " << request.status().message();
  }
}

const UserMessage kPending{"GATEHOUSE-APPROVAL-PENDING",
                           "Your access request is already processing.", "Hold tight..."};

json Answer(Hook hook, const Decision& decision, const UserMessage& message = kPending) {
  const HttpAnswer answer = RenderExtensionAnswer(hook, decision, message);
  EXPECT_EQ(answer.status, 200);
  const json body = json::parse(answer.body);
  EXPECT_EQ(body["data"]["actions"].size(), 1u) << body.dump();  // exactly one action
  return body;
}

TEST(ExtensionAnswerTest, OneActionPerDecisionAtEachEvent) {
  const Decision go{Decision::Action::kContinue, Decision::Reason::kNone, "r1", {}};
  EXPECT_EQ(Answer(Hook::kCheckApproval, go),
            json::parse(
                R"({"data":{"@odata.type":"microsoft.graph.onAttributeCollectionStartResponseData",
              "actions":[{"@odata.type":"microsoft.graph.attributeCollectionStart.continueWithDefaultBehavior"}]}})"));
  EXPECT_EQ(Answer(Hook::kRequestApproval, go)["data"]["actions"][0]["@odata.type"],
            "microsoft.graph.attributeCollectionSubmit.continueWithDefaultBehavior");

  const Decision with_claims{
      Decision::Action::kContinue,
      Decision::Reason::kNone,
      "r1",
      {{"extension_x_Role", std::string("supplier")}, {"extension_x_Level", int64_t{2}}}};
  EXPECT_EQ(
      Answer(Hook::kCheckApproval, with_claims)["data"]["actions"][0],
      json::parse(R"({"@odata.type":"microsoft.graph.attributeCollectionStart.setPrefillValues",
              "inputs":{"extension_x_Level":2,"extension_x_Role":"supplier"}})"));
  EXPECT_EQ(Answer(Hook::kRequestApproval, with_claims)["data"]["actions"][0],
            json::parse(
                R"({"@odata.type":"microsoft.graph.attributeCollectionSubmit.modifyAttributeValues",
              "attributes":{"extension_x_Level":2,"extension_x_Role":"supplier"}})"));

  const Decision pending{Decision::Action::kBlock, Decision::Reason::kPending, "r1", {}};
  EXPECT_EQ(Answer(Hook::kRequestApproval, pending),
            json::parse(
                R"({"data":{"@odata.type":"microsoft.graph.onAttributeCollectionSubmitResponseData",
              "actions":[{"@odata.type":"microsoft.graph.attributeCollectionSubmit.showBlockPage",
                          "title":"Hold tight...","message":"Your access request is already processing."}]}})"));

  const UserMessage missing{"GATEHOUSE-MISSING-IDENTITY", "Sign up with an email.", "Not possible"};
  const Decision invalid{Decision::Action::kInvalid, Decision::Reason::kMissingIdentity, "", {}};
  EXPECT_EQ(
      Answer(Hook::kRequestApproval, invalid, missing)["data"]["actions"][0],
      json::parse(R"({"@odata.type":"microsoft.graph.attributeCollectionSubmit.showValidationError",
              "message":"Sign up with an email.","attributeErrors":{"email":"Sign up with an email."}})"));
  // No validation error at start: a block page instead, as at the classic first hook.
  EXPECT_EQ(Answer(Hook::kCheckApproval, invalid, missing)["data"]["actions"][0]["@odata.type"],
            "microsoft.graph.attributeCollectionStart.showBlockPage");
}

}  // namespace
}  // namespace gatehouse::gateway
