#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include "commands/command_context.h"

namespace gatehouse::cli {

// One reviewer verb (design.md §6): it declares its own subcommand, arguments, help and
// examples when added (Add*Verb in its command's file), and runs once chosen and connected.
class Verb {
 public:
  explicit Verb(CLI::App* command) : command_(command) {}
  virtual ~Verb() = default;

  bool chosen() const { return command_->parsed(); }

  // A usage error that needs no server (printed to `err`): its exit code, or nullopt to go on.
  virtual std::optional<int> CheckUsage(OutputFormat /*format*/, std::ostream& /*err*/) {
    return std::nullopt;
  }
  virtual int Run(const CommandContext& context) = 0;

 protected:
  CLI::App& command() { return *command_; }

 private:
  CLI::App* command_;
};

// Every verb, added to `app` in the order `reviewer --help` lists them.
std::vector<std::unique_ptr<Verb>> AddVerbs(CLI::App& app);

}  // namespace gatehouse::cli
