#pragma once

#include <string>

#include "commands/command_context.h"

namespace gatehouse::cli {

// `reviewer show ID`: everything known about one request.
int RunShow(const CommandContext& context, const std::string& id);

}  // namespace gatehouse::cli
