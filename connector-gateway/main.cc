// connector-gateway: the Azure AD B2C / Entra API connector endpoint in front of approval-core.
// Parses the configuration; app/run_gateway.cc wires and runs the rest.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "app/gateway_options.h"
#include "app/run_gateway.h"
#include "common/config_file.h"
#include "common/mutex_checks.h"
#include "common/shutdown_signal.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  IgnoreBrokenPipes();
  DisableMutexDeadlockDetection();
  BlockShutdownSignals();  // before any thread exists
  spdlog::set_default_logger(spdlog::stderr_color_mt("connector-gateway"));

  CLI::App app{
      "connector-gateway: Azure AD B2C / Entra API connector endpoint in front of approval-core.\n"
      "Secrets come from the environment: GATEHOUSE_CORE_TOKEN (connector-role token),\n"
      "GATEHOUSE_BASIC_USERNAME, GATEHOUSE_BASIC_PASSWORD (or *_FILE with a path)."};
  gateway::GatewayOptions options;
  std::string config_path;
  gateway::AddGatewayOptions(app, options, config_path);
  // [messages.<locale>] tables belong to the message catalog, read after parsing.
  if (auto exit_code =
          ParseCommandLine(app, argc, argv, "GATEHOUSE_GATEWAY_CONFIG", {"messages"})) {
    return *exit_code;
  }
  return gateway::RunGateway(std::move(options), config_path);
}
