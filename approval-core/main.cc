// approval-core: Gatehouse's approval engine. Parses the command line and runs the server or
// the subcommand chosen; each subcommand declares its own arguments (app/*_command.cc).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "app/maintenance_command.h"
#include "app/notify_command.h"
#include "app/policy_command.h"
#include "app/serve_command.h"
#include "app/serve_options.h"
#include "app/token_command.h"
#include "common/config_file.h"
#include "common/mutex_checks.h"
#include "common/shutdown_signal.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  IgnoreBrokenPipes();
  DisableMutexDeadlockDetection();
  BlockShutdownSignals();  // before gRPC starts any thread
  spdlog::set_default_logger(spdlog::stderr_color_mt("approval-core"));

  CLI::App app{"approval-core: Gatehouse's approval engine (gRPC, SQLite)"};
  app.require_subcommand(0, 1);
  core::ServeOptions serve;
  std::string config_path;
  core::AddServeOptions(app, serve, config_path);
  std::vector<core::Subcommand> commands;
  core::AddTokenCommands(app, serve.db, commands);
  core::AddMaintenanceCommands(app, serve.db, commands);
  core::AddPolicyCommands(app, config_path, commands);
  core::AddNotifyCommands(app, serve.db, config_path, commands);
  // [[rule]] and [[notify]] tables are read after parsing, by the policy and the notifier.
  if (auto exit_code =
          ParseCommandLine(app, argc, argv, "GATEHOUSE_CORE_CONFIG", {"rule", "notify"})) {
    return *exit_code;
  }
  for (const core::Subcommand& command : commands) {
    if (command.command->parsed()) return command.run();
  }
  serve.config_path = config_path;
  return core::RunServer(serve);
}
