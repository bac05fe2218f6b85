// Block pages in the applicant's language, through the real gateway, with an operator's
// override from the gateway's config file.
#include <fstream>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

class LocalizedLoopTest : public StackTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    const std::string config = dir_ + "/gateway.toml";
    std::ofstream(config)
        << "[messages.de]\n"
           "GATEHOUSE-APPROVAL-REQUESTED = \"Ihr Antrag liegt beim Team Zugang.\"\n";
    return {"--config", config};
  }
};

TEST_F(LocalizedLoopTest, ApplicantsReadTheBlockPageInTheirLanguage) {
  const char* german = R"({"email":"anna@contoso.de","ui_locales":"de-AT"})";
  ExpectBlock(Hook("request-approval", german), "GATEHOUSE-APPROVAL-REQUESTED",
              "Ihr Antrag liegt beim Team Zugang.");  // the operator's text
  ExpectBlock(Hook("check-approval", german), "GATEHOUSE-APPROVAL-PENDING",
              "Ihre Zugriffsanfrage wird bereits bearbeitet.");  // built-in German
  ExpectBlock(Hook("check-approval", R"({"email":"anna@contoso.de","ui_locales":"fr-CA"})"),
              "GATEHOUSE-APPROVAL-PENDING", "déjà en cours de traitement");
  ExpectBlock(Hook("check-approval", R"({"email":"anna@contoso.de","ui_locales":"pt-BR"})"),
              "GATEHOUSE-APPROVAL-PENDING", "already processing");  // English fallback
}

}  // namespace
}  // namespace gatehouse::testing
