// A bounded, deterministic mutation fuzzer over the connector request path (parse → decide →
// render): seeded from the contract's example bodies, it flips, inserts and deletes bytes and
// splices fragments, and checks that every answer is well-formed. Runs in the test command.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>

#include "dialect/classic_dialect.h"
#include "dialect/extension_dialect.h"
#include "service/hook_service.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

class ScriptedCore final : public CoreClient {
 public:
  absl::StatusOr<Decision> next =
      Decision{Decision::Action::kContinue, Decision::Reason::kNone, "", {}};
  absl::Status Ready() override { return absl::OkStatus(); }
  absl::StatusOr<Decision> Decide(Hook, const ApplicantClaims&,
                                  std::chrono::milliseconds) override {
    return next;
  }
  // Continue (with or without claims), a block, an invalid applicant or an outage.
  void ScriptNext(std::mt19937& rng) {
    switch (rng() % 5) {
      case 0:
        next = Decision{Decision::Action::kContinue, Decision::Reason::kNone, "", {}};
        break;
      case 1:
        next = Decision{Decision::Action::kContinue, Decision::Reason::kNone, "", {{"c", true}}};
        break;
      case 2:
        next = Decision{Decision::Action::kBlock, Decision::Reason::kPending, "r", {}};
        break;
      case 3:
        next = Decision{Decision::Action::kInvalid, Decision::Reason::kMissingIdentity, "", {}};
        break;
      default:
        next = absl::UnavailableError("down");
    }
  }
  bool SaidContinue() const { return next.ok() && next->action == Decision::Action::kContinue; }
};

const std::vector<std::string> kSeeds = {
    R"({"email":"johnsmith@fabrikam.onmicrosoft.com","identities":[{"signInType":"federated","issuer":"facebook.com","issuerAssignedId":"0123456789"}],"displayName":"John Smith","givenName":"John","surname":"Smith","jobTitle":"Supplier","extension_abc_CustomAttribute1":"v","step":"PostAttributeCollection","client_id":"93fd07aa","ui_locales":"en-US"})",
    R"({"email_address":"b@contoso.com","lastName":"Bee","clientId":"c1","extension_Age":42,"extension_Vip":true})",
    R"({"identities":[{"signInType":"federated","issuer":"mail","issuerAssignedId":"e@x.com"}],"step":"PostFederationSignup"})",
    R"({"email":"a@b.c","extension_List":[1,"two",{"three":3}],"extension_Null":null})",
    "{}",
};
const std::vector<std::string> kFragments = {
    "{",     "}",  "[",    "]",    ",",        ":",        "\"",          "\\u0000", "\\ud800",
    "1e999", "-0", "null", "true", "\xff\xfe", "\xc3\x28", "{\"email\":", "]]]]"};

std::string Mutate(std::string body, std::mt19937& rng) {
  const int steps = std::uniform_int_distribution<int>(1, 6)(rng);
  for (int i = 0; i < steps; ++i) {
    const size_t at = body.empty() ? 0 : std::uniform_int_distribution<size_t>(0, body.size())(rng);
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0:
        if (!body.empty() && at < body.size()) body[at] = static_cast<char>(rng() & 0xff);
        break;
      case 1:
        body.insert(at, 1, static_cast<char>(rng() & 0xff));
        break;
      case 2:
        if (at < body.size()) body.erase(at, std::uniform_int_distribution<size_t>(1, 8)(rng));
        break;
      default:
        body.insert(at, kFragments[rng() % kFragments.size()]);
    }
  }
  return body;
}

// Drives `runs` mutated seeds through a HookService of `dialect`, the core answering at random,
// and hands each input, hook, result and parsed answer to `check`, which uses gtest
// assertions. Returns {answered, rejected} counts.
template <typename Check>
std::pair<int, int> Fuzz(const Dialect& dialect, const std::vector<std::string>& seeds, int runs,
                         unsigned seed, Check check) {
  // The fail-closed paths log on every run; silence them for this test only.
  const auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::off);
  struct Restore {
    spdlog::level::level_enum level;
    ~Restore() { spdlog::set_level(level); }
  } restore{level};
  std::mt19937 rng(seed);
  ScriptedCore core;
  MessageCatalog messages;
  HookService service(core, messages, dialect, std::chrono::milliseconds(1000));
  int answered = 0, rejected = 0;
  for (int run = 0; run < runs && !::testing::Test::HasFatalFailure(); ++run) {
    const std::string body = Mutate(seeds[rng() % seeds.size()], rng);
    const Hook hook = (rng() & 1) ? Hook::kCheckApproval : Hook::kRequestApproval;
    core.ScriptNext(rng);
    const HookResult result = service.Handle(hook, body);
    const json answer = json::parse(result.answer.body, nullptr, false);
    if (!answer.is_object()) {
      ADD_FAILURE() << "not a JSON object for input: " << json(body).dump();
      break;
    }
    ++(result.action == "rejected" ? rejected : answered);
    check(body, hook, result, answer, core);
  }
  return {answered, rejected};
}

TEST(MutationFuzzTest, EveryMutatedBodyGetsAWellFormedAnswer) {
  const auto [answered, rejected] =
      Fuzz(ClassicDialect(), kSeeds, 200000, 20261121,
           [](const std::string&, Hook hook, const HookResult& result, const json& answer,
              const ScriptedCore& core) {
             if (result.answer.status == 200) {
               ASSERT_EQ(answer.value("version", ""), "1.0.0");
               const std::string action = answer.value("action", "");
               ASSERT_TRUE(action == "Continue" || action == "ShowBlockPage") << answer.dump();
               // Continue only when the core said so: a core failure never lets anyone in.
               if (action == "Continue") {
                 ASSERT_TRUE(core.SaidContinue());
               }
               return;
             }
             ASSERT_EQ(result.answer.status, 400) << answer.dump();
             const bool validation = answer.value("action", "") == "ValidationError";
             ASSERT_TRUE(validation ? hook == Hook::kRequestApproval && answer["status"] == 400
                                    : answer.contains("error"))
                 << answer.dump();
           });
  EXPECT_GT(answered, 0);
  EXPECT_GT(rejected, 0);
}

const std::vector<std::string> kExtensionSeeds = {
    R"({"type":"microsoft.graph.authenticationEvent.attributeCollectionSubmit","source":"/tenants/t/applications/a","data":{"@odata.type":"microsoft.graph.onAttributeCollectionSubmitCalloutData","tenantId":"t","authenticationContext":{"client":{"locale":"en-us"}},"userSignUpInfo":{"attributes":{"givenName":{"@odata.type":"microsoft.graph.stringDirectoryAttributeValue","value":"Larissa","attributeType":"builtIn"},"extension_a_year":{"@odata.type":"microsoft.graph.int64DirectoryAttributeValue","value":2010}},"identities":[{"signInType":"email","issuer":"contoso.onmicrosoft.com","issuerAssignedId":"l@contoso.com"}]}}})",
    R"({"type":"microsoft.graph.authenticationEvent.attributeCollectionStart","data":{"@odata.Type":"microsoft.graph.onAttributeCollectionStartCalloutData","userSignUpInfo":{"attributes":{"email":"a@b.c","extension_g":{"value":["x","y"]}},"identities":[]}}})",
    R"({"data":{}})",
};

TEST(MutationFuzzTest, EveryMutatedExtensionBodyGetsHttp200AndExactlyOneAction) {
  const auto [answered, rejected] = Fuzz(
      ExtensionDialect(), kExtensionSeeds, 100000, 20261122,
      [](const std::string&, Hook, const HookResult& result, const json& answer,
         const ScriptedCore& core) {
        ASSERT_EQ(result.answer.status, 200) << answer.dump();  // Entra expects 200 in every case
        const json& actions = answer["data"]["actions"];
        ASSERT_EQ(actions.size(), 1u) << answer.dump();
        const std::string type = actions[0]["@odata.type"];
        const bool lets_in = type.ends_with("continueWithDefaultBehavior") ||
                             type.ends_with("setPrefillValues") ||
                             type.ends_with("modifyAttributeValues");
        if (lets_in) {
          // Continue only when the core said so, and never for a body that was not understood.
          ASSERT_TRUE(core.SaidContinue() && result.action != "rejected") << answer.dump();
        }
      });
  EXPECT_GT(answered, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace gatehouse::gateway
