#pragma once

#include <string>

#include "commands/command_context.h"
#include "commands/verb.h"

namespace gatehouse::cli {

// `reviewer show ID`: everything known about one request, with its audit history.
int RunShow(const CommandContext& context, const std::string& id);

// `reviewer history ID`: the request's audit history only.
int RunHistory(const CommandContext& context, const std::string& id);

// `reviewer show ID` and `reviewer history ID`.
std::unique_ptr<Verb> AddShowVerb(CLI::App& app);
std::unique_ptr<Verb> AddHistoryVerb(CLI::App& app);

}  // namespace gatehouse::cli
