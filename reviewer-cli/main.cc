// reviewer: approve or deny Gatehouse sign-up requests from a terminal. Parses the command line;
// each verb declares its own arguments (commands/*_command.cc) and run_verb.cc connects it.
#include <CLI/CLI.hpp>

#include "commands/run_verb.h"
#include "commands/verb.h"
#include "common/config_file.h"
#include "config/global_options.h"
#include "config/user_config.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  using namespace gatehouse::cli;

  const std::string default_config = DefaultConfigPath();
  CLI::App app{ReviewerDescription(default_config)};
  app.fallthrough();  // global flags may follow the verb: `reviewer list -o json`
  app.require_subcommand(1);
  GlobalOptions options;
  AddGlobalOptions(app, options);
  const std::vector<std::unique_ptr<Verb>> verbs = AddVerbs(app);
  if (auto exit_code =
          ParseCommandLine(app, argc, argv, "GATEHOUSE_REVIEWER_CONFIG", {}, default_config)) {
    return *exit_code;
  }
  options.token_file_given = app.count("--token-file") > 0;
  for (const std::unique_ptr<Verb>& verb : verbs) {
    if (verb->chosen()) return RunVerb(*verb, options);
  }
  return kExitUsage;
}
