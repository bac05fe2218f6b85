#pragma once

#include <string>
#include <vector>

#include "app/subcommand.h"

namespace gatehouse::core {

// `approval-core policy test`: what the rules in `config_path` would do with this applicant,
// recording nothing. The applicant goes through the same translation as a connector call.
// Returns the exit code (0 whatever the verdict, 2 for bad input or a bad rule file).
int TestPolicy(const std::string& config_path, const std::string& email,
               const std::vector<std::string>& issuers, const std::string& claims_json);

// `policy test`, added to `app`. Its --config is `config_path`, the same as serve's.
void AddPolicyCommands(CLI::App& app, std::string& config_path, std::vector<Subcommand>& commands);

}  // namespace gatehouse::core
