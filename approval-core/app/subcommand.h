#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace gatehouse::core {

// An approval-core subcommand that declared its own arguments on the command line (Add*Command
// in its command's file); `run` is called, once parsing is done, if it was chosen, and returns
// the process exit code.
struct Subcommand {
  CLI::App* command;
  std::function<int()> run;
};

// Adds `--db` (the database file, GATEHOUSE_CORE_DB) to `command`, bound to `db`.
inline void AddDbOption(CLI::App* command, std::string& db) {
  command->add_option("--db", db, "SQLite database file")
      ->envname("GATEHOUSE_CORE_DB")
      ->capture_default_str();
}

}  // namespace gatehouse::core
