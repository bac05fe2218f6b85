#include "app/policy_command.h"

#include <iostream>

#include "app/policy_file.h"
#include "json/claims_json.h"

namespace gatehouse::core {

int TestPolicy(const std::string& config_path, const std::string& email,
               const std::vector<std::string>& issuers, const std::string& claims_json) {
  auto policy = LoadPolicyFile(config_path);
  if (!policy.ok()) {
    std::cerr << "error: " << policy.status().message() << "\n";
    return 2;
  }
  Applicant applicant{.email = email, .claims_json = claims_json};
  for (const std::string& issuer : issuers) {
    applicant.identities.push_back({.issuer = issuer, .issuer_assigned_id = "policy-test"});
  }
  if (absl::Status parsed = ParseClaimsJson(applicant); !parsed.ok()) {
    std::cerr << "error: --claims " << parsed.message() << "\n";
    return 2;
  }
  const PolicyRule* rule = policy->FirstMatch(Normalized(applicant));
  std::cout << policy->rules().size() << " rule(s) in "
            << (config_path.empty() ? "(no config file)" : config_path) << "\n";
  if (rule == nullptr) {
    std::cout << "no rule matches: the request waits for a reviewer\n";
  } else {
    std::cout << "rule '" << rule->name << "' matches: " << ToString(rule->action)
              << (rule->action == PolicyAction::kReview ? " (waits for a reviewer)"
                                                        : " (recorded as " + RuleActor(*rule) + ")")
              << "\n";
  }
  return 0;
}

void AddPolicyCommands(CLI::App& app, std::string& config_path, std::vector<Subcommand>& commands) {
  struct Arguments {
    std::string email, claims = "{}";
    std::vector<std::string> issuers;
  };
  auto args = std::make_shared<Arguments>();
  CLI::App* policy =
      app.add_subcommand("policy", "inspect the [[rule]] policy")->require_subcommand(1);
  CLI::App* test = policy->add_subcommand(
      "test", "what would the rules do with this applicant? (records nothing)");
  test->add_option("--config", config_path, "TOML config file with [[rule]] tables")
      ->envname("GATEHOUSE_CORE_CONFIG");
  test->add_option("--email", args->email, "the applicant's email");
  test->add_option("--issuer", args->issuers, "a federated identity's issuer (repeatable)")
      ->allow_extra_args(false);
  test->add_option("--claims", args->claims, "other claims as a JSON object")
      ->capture_default_str();
  test->footer(
      "Example:\n  approval-core policy test --config core.toml --email ann@fabrikam.com \\\n"
      "      --claims '{\"extension_Role\":\"supplier\"}'");
  commands.push_back({test, [args, &config_path] {
                        return TestPolicy(config_path, args->email, args->issuers, args->claims);
                      }});
}

}  // namespace gatehouse::core
