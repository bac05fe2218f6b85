// reviewer: composition root. Parses the command line, builds the client, runs one verb.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "absl/time/clock.h"
#include "commands/command_context.h"
#include "commands/decide_command.h"
#include "commands/list_command.h"
#include "commands/show_command.h"
#include "commands/status_command.h"
#include "commands/watch_command.h"
#include "common/config_file.h"
#include "common/secret_env.h"
#include "common/tls_files.h"

int main(int argc, char** argv) {
  using namespace gatehouse;
  using namespace gatehouse::cli;

  CLI::App app{
      "reviewer: approve or deny Gatehouse sign-up requests.\n"
      "The token comes from GATEHOUSE_TOKEN (or a file named by GATEHOUSE_TOKEN_FILE).\n"
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
  app.add_option("-o,--output", output, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
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
  watch->footer("Examples:\n  reviewer watch\n  reviewer watch --since 1200 -o json | jq .");

  if (auto exit_code = ParseCommandLine(app, argc, argv, nullptr)) return *exit_code;

  auto token = ReadSecret("GATEHOUSE_TOKEN");
  if (!token.ok()) {
    std::cerr << "error: no token: " << token.status().message() << "\n"
              << "hint: create one with 'approval-core token create --role reviewer'.\n";
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
      .format = output == "json" ? OutputFormat::kJson : OutputFormat::kTable,
      .terminal = isatty(STDOUT_FILENO) == 1,
      .now = absl::Now(),
      .out = std::cout,
      .err = std::cerr};
  if (*list) return RunList(context, list_options);
  if (*show) return RunShow(context, show_id);
  if (*history) return RunHistory(context, show_id);
  if (*status) return RunStatus(context, status_id, status_email);
  if (*watch) return RunWatch(context, since);
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
