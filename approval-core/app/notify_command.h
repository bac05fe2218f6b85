#pragma once

#include <string>
#include <vector>

#include "app/subcommand.h"

namespace gatehouse::core {

// `approval-core notify status|retry|test` (docs/notifications.md), added to `app`:
// - status --db: each target's position, backlog, oldest undelivered event, counts, failures;
// - retry --db NAME: turns a disabled target back on and has its failed events sent again by
//   the running core;
// - test --config NAME: sends one made-up event (revision 0) to the target and prints the answer.
// Exit codes: 0 done, 1 failed (store, receiver), 2 bad input.
void AddNotifyCommands(CLI::App& app, std::string& db, std::string& config_path,
                       std::vector<Subcommand>& commands);

}  // namespace gatehouse::core
