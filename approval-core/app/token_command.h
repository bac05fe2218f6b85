#pragma once

#include <string>

#include "app/subcommand.h"

namespace gatehouse::core {

// `approval-core token create`: stores the hash of a new token and prints the secret alone
// on stdout (the only time it is ever shown). Returns the process exit code.
int CreateToken(const std::string& db, const std::string& name, const std::string& role);

// `approval-core token list`: name, role, created, revoked; never a secret or a hash.
int ListTokens(const std::string& db);

// `approval-core token revoke`: takes effect on the next call, no restart needed.
int RevokeToken(const std::string& db, const std::string& name);

// `token create|list|revoke`, added to `app`; `default_db` is --db's default.
void AddTokenCommands(CLI::App& app, const std::string& default_db,
                      std::vector<Subcommand>& commands);

}  // namespace gatehouse::core
