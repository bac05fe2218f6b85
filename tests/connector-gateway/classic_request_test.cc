// Every request variant of connector-contract.md §1.2, table-driven.
#include "dialect/classic_request.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

struct Case {
  std::string name;
  std::string body;
  std::string email;
  size_t identities;
  std::string surname;
  std::string locale;
  std::string client_id;
  std::string step;
  json other_claims;
};

// Names the case instead of dumping its bytes in test listings.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ClassicRequestVariants : public ::testing::TestWithParam<Case> {};

TEST_P(ClassicRequestVariants, Parses) {
  const Case& c = GetParam();
  auto claims = ParseClassicRequest(c.body);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->email, c.email);
  EXPECT_EQ(claims->identities.size(), c.identities);
  EXPECT_EQ(claims->surname, c.surname);
  EXPECT_EQ(claims->locale, c.locale);
  EXPECT_EQ(claims->client_id, c.client_id);
  EXPECT_EQ(claims->step, c.step);
  EXPECT_EQ(json::parse(claims->other_claims_json), c.other_claims);
}

INSTANTIATE_TEST_SUITE_P(
    ConnectorContract, ClassicRequestVariants,
    ::testing::Values(
        // The B2C example of connector-contract.md §1.2, verbatim apart from the app id.
        Case{"b2c_example",
             R"({
  "email": "johnsmith@fabrikam.onmicrosoft.com",
  "identities": [{"signInType": "federated", "issuer": "facebook.com", "issuerAssignedId": "0123456789"}],
  "displayName": "John Smith", "givenName": "John", "surname": "Smith",
  "jobTitle": "Supplier", "city": "Seattle", "postalCode": "12345", "country": "United States",
  "extension_0123abcd_CustomAttribute1": "custom attribute value",
  "step": "PostAttributeCollection", "client_id": "93fd07aa-333c-409d-955d-96008fd08dd9",
  "ui_locales": "en-US"
})",
             "johnsmith@fabrikam.onmicrosoft.com", 1, "Smith", "en-US",
             "93fd07aa-333c-409d-955d-96008fd08dd9", "PostAttributeCollection",
             json{{"jobTitle", "Supplier"},
                  {"city", "Seattle"},
                  {"postalCode", "12345"},
                  {"country", "United States"},
                  {"extension_0123abcd_CustomAttribute1", "custom attribute value"}}},
        // Entra ID / Microsoft account users: no identities, no step.
        Case{"entra_no_identities", R"({"email":"a@contoso.com","displayName":"A"})",
             "a@contoso.com", 0, "", "", "", "", json::object()},
        // One Entra example says lastName; older pages say clientId and email_address.
        Case{"legacy_spellings",
             R"({"email_address":"b@contoso.com","lastName":"Bee","clientId":"c1"})",
             "b@contoso.com", 0, "Bee", "", "c1", "", json::object()},
        // Typed custom attributes keep their JSON types.
        Case{"typed_extensions",
             R"({"email":"c@x.com","extension_Age":42,"extension_Vip":true,"extension_Score":1.5,)"
             R"("extension_Big":12345678901234567})",
             "c@x.com", 0, "", "", "", "",
             json{{"extension_Age", 42},
                  {"extension_Vip", true},
                  {"extension_Score", 1.5},
                  {"extension_Big", 12345678901234567}}},
        // Several locales: the first one wins.
        Case{"ui_locales_list", R"({"email":"d@x.com","ui_locales":"de-AT en-US"})", "d@x.com", 0,
             "", "de-AT", "", "", json::object()},
        // First hook for an email one-time passcode user.
        Case{
            "hook1_otp",
            R"({"email":"e@x.com","identities":[{"signInType":"federated","issuer":"mail","issuerAssignedId":"e@x.com"}],"step":"PostFederationSignup","ui_locales":"fr"})",
            "e@x.com", 1, "", "fr", "", "PostFederationSignup", json::object()},
        // Nulls count as absent; an empty object is a valid (if useless) request.
        Case{"nulls", R"({"email":null,"surname":null,"identities":null})", "", 0, "", "", "", "",
             json::object()},
        Case{"empty_object", "{}", "", 0, "", "", "", "", json::object()}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(ClassicRequestTest, IdentityFieldsAreRead) {
  auto claims = ParseClassicRequest(
      R"({"identities":[{"signInType":"federated","issuer":"facebook.com","issuerAssignedId":"42"}]})");
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->identities.size(), 1u);
  EXPECT_EQ(claims->identities[0].sign_in_type, "federated");
  EXPECT_EQ(claims->identities[0].issuer, "facebook.com");
  EXPECT_EQ(claims->identities[0].issuer_assigned_id, "42");
}

TEST(ClassicRequestTest, RejectsMalformedInputWithAClearMessage) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "not valid JSON"},
      {"{\"email\": \"a@b.c\",}", "not valid JSON"},  // Microsoft's docs have trailing commas
      {"{\"email\": \"a@b.c\" // comment\n}", "not valid JSON"},
      {"[1,2]", "must be a JSON object"},
      {"\"text\"", "must be a JSON object"},
      {R"({"email":42})", "'email' must be a string"},
      {R"({"identities":{"issuer":"x"}})", "'identities' must be an array"},
      {R"({"identities":["x"]})", "must be an object"},
      {R"({"identities":[{"issuer":7}]})", "'identities[].issuer' must be a string"},
      {R"({"ui_locales":["en"]})", "'ui_locales' must be a string"},
  };
  for (const auto& [body, message] : bad) {
    auto claims = ParseClassicRequest(body);
    ASSERT_FALSE(claims.ok()) << body;
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(claims.status().message().find(message), absl::string_view::npos)
        << body << " -> " << claims.status();
  }
}

TEST(ClassicRequestTest, RefusesDeepNestingAndHugeArrays) {
  const std::string deep =
      R"({"email":"a@b.c","x":)" + std::string(17, '[') + std::string(17, ']') + "}";
  EXPECT_NE(ParseClassicRequest(deep).status().message().find("nests deeper than 16"),
            absl::string_view::npos);
  const std::string ok_depth =
      R"({"email":"a@b.c","x":)" + std::string(15, '[') + std::string(15, ']') + "}";
  EXPECT_TRUE(ParseClassicRequest(ok_depth).ok());
  std::string huge = R"({"email":"a@b.c","x":[0)";
  for (int i = 0; i < 256; ++i) huge += ",0";
  huge += "]}";
  EXPECT_NE(ParseClassicRequest(huge).status().message().find("more than 256 elements"),
            absl::string_view::npos);
  std::string fits = R"({"email":"a@b.c","x":[0)";
  for (int i = 0; i < 255; ++i) fits += ",0";
  fits += "]}";
  EXPECT_TRUE(ParseClassicRequest(fits).ok());
  // Brackets and commas inside strings are text, not structure.
  const std::string text = R"({"email":"a@b.c","x":")" + std::string(100, '[') + R"(\")" +
                           std::string(300, ',') + R"("})";
  EXPECT_TRUE(ParseClassicRequest(text).ok()) << ParseClassicRequest(text).status();
}

}  // namespace
}  // namespace gatehouse::gateway
