#pragma once

#include <string>

#include "commands/command_context.h"
#include "commands/verb.h"

namespace gatehouse::cli {

struct ListOptions {
  std::string state = "pending";  // a state name or "all"
  std::string search;
  int limit = 50;
};

// `reviewer list`: requests oldest first, paging through the server as needed.
int RunList(const CommandContext& context, const ListOptions& options);

std::unique_ptr<Verb> AddListVerb(CLI::App& app);

}  // namespace gatehouse::cli
