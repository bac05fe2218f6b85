#include "commands/run_verb.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/time/clock.h"
#include "config/user_config.h"
#include "render/colour.h"

namespace gatehouse::cli {

int RunVerb(Verb& verb, const GlobalOptions& options) {
  const OutputFormat format = options.output == "json"    ? OutputFormat::kJson
                              : options.output == "jsonl" ? OutputFormat::kJsonLines
                                                          : OutputFormat::kTable;
  if (auto refused = verb.CheckUsage(format, std::cerr)) return *refused;
  auto token =
      ResolveToken(options.token_file_given ? std::optional(options.token_file) : std::nullopt,
                   options.token_file, std::cerr);
  if (!token.ok()) {
    std::cerr << "error: no token: " << token.status().message() << "\n"
              << "hint: create one with 'approval-core token create --role reviewer' and put it "
                 "in GATEHOUSE_TOKEN or a file named by --token-file.\n";
    return kExitAuth;
  }
  auto credentials = ChannelCredentialsFor(options.tls);
  if (!credentials.ok()) {
    std::cerr << "error: " << credentials.status().message() << "\n";
    return kExitUsage;
  }
  ReviewClient client(grpc::CreateChannel(options.server, *credentials), *token,
                      std::chrono::milliseconds(options.timeout_ms));
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  const CommandContext context{
      .client = client,
      .server = options.server,
      .format = format,
      .terminal = terminal,
      .colour = ColourEnabled(options.colour_mode, terminal, std::getenv("NO_COLOR"),
                              std::getenv("TERM")),
      .tls = !options.tls.ca.empty(),
      .now = absl::Now(),
      .out = std::cout,
      .err = std::cerr};
  return verb.Run(context);
}

}  // namespace gatehouse::cli
