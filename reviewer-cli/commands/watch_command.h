#pragma once

#include <cstdint>

#include "commands/command_context.h"
#include "commands/verb.h"

namespace gatehouse::cli {

// `reviewer watch [--since N]`: every change as it happens, one line each (`-o json` gives
// JSON lines). Survives a core restart: it reconnects with backoff and resumes after the last
// revision printed, so nothing is missed or printed twice. Runs until interrupted, or until
// the token is refused.
int RunWatch(const CommandContext& context, int64_t since_revision);

std::unique_ptr<Verb> AddWatchVerb(CLI::App& app);

}  // namespace gatehouse::cli
