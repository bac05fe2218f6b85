#pragma once

#include <string>
#include <vector>

#include "commands/command_context.h"

namespace gatehouse::cli {

enum class Verdict { kApprove, kDeny };

// `reviewer approve|deny ID… --reason R`: decides each id in turn and reports one line per
// id ("request/ID approved"), so a batch shows exactly what happened to each. Returns the
// exit code of the first failure (later ids are still tried), or 0.
int RunDecide(const CommandContext& context, Verdict verdict, const std::vector<std::string>& ids,
              const std::string& reason);

}  // namespace gatehouse::cli
