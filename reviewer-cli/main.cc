// reviewer: composition root. Parses the command line, builds the client, runs one verb.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "absl/time/clock.h"
#include "commands/command_context.h"
#include "commands/decide_command.h"
#include "commands/list_command.h"
#include "commands/review_command.h"
#include "commands/show_command.h"
#include "commands/status_command.h"
#include "commands/watch_command.h"
#include "common/config_file.h"
#include "common/secret_env.h"
#include "common/tls_files.h"
#include "config/user_config.h"
#include "render/colour.h"
#include "terminal/raw_terminal.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  using namespace gatehouse::cli;

  const std::string default_config = DefaultConfigPath();
  CLI::App app{
      "reviewer: approve or deny Gatehouse sign-up requests.\n"
      "Settings: flags, then GATEHOUSE_* environment variables, then the config file\n"
      "(" +
      (default_config.empty() ? std::string("none: HOME is not set") : default_config) +
      "; keys server, token_file, tls_ca, tls_cert, tls_key, timeout_ms, output, color).\n"
      "The token: --token-file, GATEHOUSE_TOKEN, GATEHOUSE_TOKEN_FILE, then token_file.\n"
      "Exit codes: 0 ok, 1 failed (not found, conflict), 2 usage, 3 server unreachable,\n"
      "4 authentication or permission."};
  app.fallthrough();  // global flags may follow the verb: `reviewer list -o json`
  app.require_subcommand(1);
  std::string server = "127.0.0.1:50051";
  std::string output = "table";
  int timeout_ms = 5000;
  app.add_option("--server", server, "approval-core address HOST:PORT")
      ->envname("GATEHOUSE_SERVER")
      ->capture_default_str();
  app.add_option("-o,--output", output, "table, json, or jsonl (one JSON value per line)")
      ->envname("GATEHOUSE_OUTPUT")
      ->check(CLI::IsMember({"table", "json", "jsonl"}))
      ->capture_default_str();
  std::string colour_mode = "auto";
  app.add_option("--color", colour_mode, "auto (a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  std::string token_file;
  app.add_option("--token-file", token_file, "file holding the token (mode 600)");
  std::string config_path;
  app.add_option("--config", config_path, "config file instead of the default one")
      ->envname("GATEHOUSE_REVIEWER_CONFIG");
  TlsFiles tls;
  app.add_option("--tls-ca", tls.ca, "PEM CA of approval-core's certificate: use TLS")
      ->envname("GATEHOUSE_TLS_CA");
  app.add_option("--tls-cert", tls.cert, "PEM client certificate (mutual TLS)")
      ->envname("GATEHOUSE_TLS_CERT");
  app.add_option("--tls-key", tls.key, "PEM private key of --tls-cert")
      ->envname("GATEHOUSE_TLS_KEY");
  app.add_option("--timeout-ms", timeout_ms, "deadline of each call")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();

  ListOptions list_options;
  CLI::App* list = app.add_subcommand("list", "list requests, oldest first");
  list->add_option("--state", list_options.state,
                   "pending, approved, denied, expired, revoked or all")
      ->capture_default_str();
  list->add_option("--search", list_options.search, "text in the email or names");
  list->add_option("--limit", list_options.limit, "at most this many")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  list->footer("Examples:\n  reviewer list\n  reviewer list --state all --search fabrikam -o json");

  std::string show_id;
  CLI::App* show = app.add_subcommand("show", "everything known about one request");
  show->add_option("id", show_id, "request id")->required();
  show->footer("Example:\n  reviewer show k3v9q2xa");
  CLI::App* history = app.add_subcommand("history", "the audit history of one request");
  history->add_option("id", show_id, "request id")->required();
  history->footer("Example:\n  reviewer history k3v9q2xa -o json");

  std::vector<std::string> ids;
  std::string reason;
  CLI::App* approve = app.add_subcommand("approve", "approve pending requests");
  approve->add_option("ids", ids, "request ids")->required();
  approve->add_option("--reason", reason, "why (kept in the audit log)");
  std::vector<std::string> assignments;
  approve
      ->add_option("--set", assignments,
                   "claim to return on Continue: name=text, or name:=42|4.2|true|false")
      ->allow_extra_args(false);  // one value per --set, so ids may follow
  approve->footer(
      "Examples:\n  reviewer approve k3v9q2xa --reason \"known supplier\"\n"
      "  reviewer approve k3v9q2xa --set extension_Role=supplier --set extension_Level:=2");
  CLI::App* deny = app.add_subcommand("deny", "deny pending requests");
  deny->add_option("ids", ids, "request ids")->required();
  deny->add_option("--reason", reason, "why (required; kept in the audit log)")->required();
  deny->footer("Example:\n  reviewer deny k3v9q2xa --reason \"not an employee\"");
  std::string single_id;
  CLI::App* revoke = app.add_subcommand("revoke", "withdraw an approval");
  revoke->add_option("id", single_id, "request id")->required();
  revoke->add_option("--reason", reason, "why (required; kept in the audit log)")->required();
  revoke->footer("Example:\n  reviewer revoke k3v9q2xa --reason \"left the company\"");
  CLI::App* reopen =
      app.add_subcommand("reopen", "put a denied, expired or revoked request back in the queue");
  reopen->add_option("id", single_id, "request id")->required();
  reopen->add_option("--reason", reason, "why (kept in the audit log)");
  reopen->footer("Example:\n  reviewer reopen k3v9q2xa --reason \"appeal accepted\"");

  std::string status_id, status_email;
  CLI::App* status = app.add_subcommand("status", "the state of an applicant's latest request");
  status->add_option("--id", status_id, "request id");
  status->add_option("--email", status_email, "the applicant's email");
  status->footer(
      "Examples:\n  reviewer status --email jane@fabrikam.com\n  reviewer status --id k3v9q2xa -o "
      "json");
  int64_t since = 0;
  CLI::App* watch = app.add_subcommand("watch", "follow every change live (-o json: JSON lines)");
  watch->add_option("--since", since, "start after this revision (0: the whole history)")
      ->capture_default_str();
  watch->footer(
      "Examples:\n  reviewer watch\n  reviewer watch --since 1200 -o jsonl | jq .request");
  CLI::App* review = app.add_subcommand(
      "review", "walk the pending queue in a terminal: a approve, d deny, s skip, q quit");
  review->footer(
      "Example:\n  reviewer review\nEach key acts at once; deny asks for a reason. Ctrl-C quits.");

  if (auto exit_code =
          ParseCommandLine(app, argc, argv, "GATEHOUSE_REVIEWER_CONFIG", {}, default_config)) {
    return *exit_code;
  }

  if (*review && (isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1 || output != "table")) {
    std::cerr << "error: review is interactive and needs a terminal with -o table\n"
              << "hint: in scripts, use 'reviewer list -o json' with approve and deny.\n";
    return kExitUsage;
  }
  auto token =
      ResolveToken(app.count("--token-file") > 0 ? std::optional(token_file) : std::nullopt,
                   token_file, std::cerr);
  if (!token.ok()) {
    std::cerr << "error: no token: " << token.status().message() << "\n"
              << "hint: create one with 'approval-core token create --role reviewer' and put it "
                 "in GATEHOUSE_TOKEN or a file named by --token-file.\n";
    return kExitAuth;
  }
  auto credentials = ChannelCredentialsFor(tls);
  if (!credentials.ok()) {
    std::cerr << "error: " << credentials.status().message() << "\n";
    return kExitUsage;
  }
  ReviewClient client(grpc::CreateChannel(server, *credentials), *token,
                      std::chrono::milliseconds(timeout_ms));
  const CommandContext context{
      .client = client,
      .server = server,
      .format = output == "json"    ? OutputFormat::kJson
                : output == "jsonl" ? OutputFormat::kJsonLines
                                    : OutputFormat::kTable,
      .terminal = isatty(STDOUT_FILENO) == 1,
      .colour = ColourEnabled(colour_mode, isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"),
                              std::getenv("TERM")),
      .tls = !tls.ca.empty(),
      .now = absl::Now(),
      .out = std::cout,
      .err = std::cerr};
  if (*list) return RunList(context, list_options);
  if (*show) return RunShow(context, show_id);
  if (*history) return RunHistory(context, show_id);
  if (*status) return RunStatus(context, status_id, status_email);
  if (*watch) return RunWatch(context, since);
  if (*review) {
    auto keyboard = RawTerminal::Open(STDIN_FILENO, std::cout);
    if (!keyboard.ok()) {
      std::cerr << "error: " << keyboard.status().message() << "\n";
      return kExitUsage;
    }
    return RunReview(context, **keyboard);
  }
  if (*approve) {
    auto claims = ParseClaimAssignments(assignments);
    if (!claims.ok()) {
      std::cerr << "error: " << claims.status().message() << "\n";
      return kExitUsage;
    }
    return RunDecide(context, Verdict::kApprove, ids, reason, *claims);
  }
  if (*deny) return RunDecide(context, Verdict::kDeny, ids, reason);
  if (*revoke) return RunDecide(context, Verdict::kRevoke, {single_id}, reason);
  if (*reopen) return RunDecide(context, Verdict::kReopen, {single_id}, reason);
  return kExitUsage;
}
