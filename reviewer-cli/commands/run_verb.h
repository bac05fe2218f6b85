#pragma once

#include "commands/verb.h"
#include "config/global_options.h"

namespace gatehouse::cli {

// Runs the chosen `verb` against approval-core: checks its usage, finds the token (exit 4 with a
// hint when there is none), opens the channel (TLS per `options`) and the client, and hands the
// verb its context. Returns the exit code.
int RunVerb(Verb& verb, const GlobalOptions& options);

}  // namespace gatehouse::cli
