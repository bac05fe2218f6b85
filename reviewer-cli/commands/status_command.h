#pragma once

#include <string>

#include "commands/command_context.h"
#include "commands/verb.h"

namespace gatehouse::cli {

// `reviewer status --email E | --id ID`: the state of an applicant's latest request, as other
// systems see it through StatusService.
int RunStatus(const CommandContext& context, const std::string& id, const std::string& email);

std::unique_ptr<Verb> AddStatusVerb(CLI::App& app);

}  // namespace gatehouse::cli
