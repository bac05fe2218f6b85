#pragma once

#include <string>
#include <vector>

#include "commands/claim_assignments.h"
#include "commands/command_context.h"
#include "commands/verb.h"

namespace gatehouse::cli {

// `reviewer approve|deny|revoke|reopen ID… --reason R`: acts on each id in turn and reports one
// line per id ("request/ID approved"), so a batch shows exactly what happened to each. Returns the
// exit code of the first failure (later ids are still tried), or 0.
int RunDecide(const CommandContext& context, Verdict verdict, const std::vector<std::string>& ids,
              const std::string& reason, const ClaimMap& claims = {});

// `reviewer approve|deny|revoke|reopen`.
std::unique_ptr<Verb> AddApproveVerb(CLI::App& app);
std::unique_ptr<Verb> AddDenyVerb(CLI::App& app);
std::unique_ptr<Verb> AddRevokeVerb(CLI::App& app);
std::unique_ptr<Verb> AddReopenVerb(CLI::App& app);

}  // namespace gatehouse::cli
