#pragma once

#include <string>

#include "app/subcommand.h"

namespace gatehouse::core {

// `approval-core backup --db PATH --to FILE`: an online, consistent copy made with SQLite's
// backup API while the server keeps running. Writes FILE.partial and renames it, so FILE is
// either complete or absent; refuses to overwrite an existing FILE. Returns the exit code.
int RunBackup(const std::string& db, const std::string& to);

// `approval-core check --db PATH`: integrity and foreign-key checks and the schema version,
// read-only. Exit 0 when healthy, 1 with one line per problem otherwise.
int RunCheck(const std::string& db);

// `backup` and `check`, added to `app`; `default_db` is --db's default.
void AddMaintenanceCommands(CLI::App& app, const std::string& default_db,
                            std::vector<Subcommand>& commands);

}  // namespace gatehouse::core
