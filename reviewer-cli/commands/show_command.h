#pragma once

#include <string>

#include "commands/command_context.h"

namespace gatehouse::cli {

// `reviewer show ID`: everything known about one request, with its audit history.
int RunShow(const CommandContext& context, const std::string& id);

// `reviewer history ID`: the request's audit history only.
int RunHistory(const CommandContext& context, const std::string& id);

}  // namespace gatehouse::cli
