// approval-core: composition root. Parses configuration and hands over to a command.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/maintenance_command.h"
#include "app/policy_command.h"
#include "app/serve_command.h"
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
  app.add_option("--listen", serve.listen, "gRPC listen address HOST:PORT (port 0: any free)")
      ->envname("GATEHOUSE_CORE_LISTEN")
      ->capture_default_str();
  app.add_option("--db", serve.db, "SQLite database file")
      ->envname("GATEHOUSE_CORE_DB")
      ->capture_default_str();
  app.add_option("--shutdown-grace-ms", serve.shutdown_grace_ms,
                 "how long in-flight calls may finish after SIGTERM")
      ->envname("GATEHOUSE_CORE_SHUTDOWN_GRACE_MS")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  app.add_option("--pending-ttl-days", serve.pending_ttl_days,
                 "pending requests nobody decided expire after this many days")
      ->envname("GATEHOUSE_CORE_PENDING_TTL_DAYS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  app.add_option("--retention-days", serve.retention_days,
                 "purge applicants' personal data this many days after the decision (0: never)")
      ->envname("GATEHOUSE_CORE_RETENTION_DAYS")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  app.add_option("--watch-stall-ms", serve.watch_stall_ms,
                 "cut off a WatchRequests client that takes no message for this long")
      ->envname("GATEHOUSE_CORE_WATCH_STALL_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_option("--max-streams-per-token", serve.max_streams_per_token,
                 "open server streams (watches, hook 2 streams) one token may hold at once")
      ->envname("GATEHOUSE_CORE_MAX_STREAMS_PER_TOKEN")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--verified-email-issuers", serve.verified_email_issuers,
                 "identity providers (issuer as sent) trusted to assert only emails their users "
                 "own; their emails match earlier requests (comma-separated)")
      ->envname("GATEHOUSE_CORE_VERIFIED_EMAIL_ISSUERS")
      ->delimiter(',');
  app.add_flag("--allow-insecure-plaintext", serve.allow_insecure_plaintext,
               "serve plaintext gRPC on a non-loopback address (tokens cross the network in "
               "clear; only inside a private network)")
      ->envname("GATEHOUSE_CORE_ALLOW_INSECURE_PLAINTEXT");
  app.add_option("--tls-cert", serve.tls.cert, "PEM certificate chain: serve TLS")
      ->envname("GATEHOUSE_CORE_TLS_CERT");
  app.add_option("--tls-key", serve.tls.key, "PEM private key of --tls-cert")
      ->envname("GATEHOUSE_CORE_TLS_KEY");
  app.add_option("--client-ca", serve.tls.ca,
                 "PEM CA: require client certificates signed by it (mutual TLS)")
      ->envname("GATEHOUSE_CORE_CLIENT_CA");
  app.add_option("--config", config_path,
                 "TOML config file (keys: listen, db, shutdown_grace_ms, pending_ttl_days, "
                 "retention_days, watch_stall_ms, max_streams_per_token, verified_email_issuers, "
                 "allow_insecure_plaintext, "
                 "tls_cert, tls_key, client_ca; [[rule]] tables)")
      ->envname("GATEHOUSE_CORE_CONFIG");

  CLI::App* token = app.add_subcommand("token", "manage API tokens")->require_subcommand(1);
  std::string command_db = serve.db, token_name, token_role;
  auto add_db = [&](CLI::App* command) {
    command->add_option("--db", command_db, "SQLite database file")
        ->envname("GATEHOUSE_CORE_DB")
        ->capture_default_str();
  };
  CLI::App* create = token->add_subcommand("create", "create a token and print its secret once");
  add_db(create);
  create->add_option("--name", token_name, "token name, recorded as the actor in the audit log")
      ->required();
  create->add_option("--role", token_role, "connector, reviewer or reader")->required();
  CLI::App* list = token->add_subcommand("list", "list tokens (never their secrets)");
  add_db(list);
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token at once");
  add_db(revoke);
  revoke->add_option("name", token_name, "token name")->required();

  std::string backup_to;
  CLI::App* backup = app.add_subcommand("backup", "online, consistent copy of the database");
  add_db(backup);
  backup->add_option("--to", backup_to, "new file to write")->required();
  CLI::App* check = app.add_subcommand("check", "verify the database's integrity (read-only)");
  add_db(check);

  std::string test_email, test_claims = "{}";
  std::vector<std::string> test_issuers;
  CLI::App* policy =
      app.add_subcommand("policy", "inspect the [[rule]] policy")->require_subcommand(1);
  CLI::App* policy_test = policy->add_subcommand(
      "test", "what would the rules do with this applicant? (records nothing)");
  policy_test->add_option("--config", config_path, "TOML config file with [[rule]] tables")
      ->envname("GATEHOUSE_CORE_CONFIG");
  policy_test->add_option("--email", test_email, "the applicant's email");
  policy_test->add_option("--issuer", test_issuers, "a federated identity's issuer (repeatable)")
      ->allow_extra_args(false);
  policy_test->add_option("--claims", test_claims, "other claims as a JSON object")
      ->capture_default_str();
  policy_test->footer(
      "Example:\n  approval-core policy test --config core.toml --email ann@fabrikam.com \\\n"
      "      --claims '{\"extension_Role\":\"supplier\"}'");

  // [[rule]] tables belong to the policy, read after parsing.
  if (auto exit_code = ParseCommandLine(app, argc, argv, "GATEHOUSE_CORE_CONFIG", {"rule"})) {
    return *exit_code;
  }

  if (*create) return core::CreateToken(command_db, token_name, token_role);
  if (*list) return core::ListTokens(command_db);
  if (*revoke) return core::RevokeToken(command_db, token_name);
  if (*backup) return core::RunBackup(command_db, backup_to);
  if (*check) return core::RunCheck(command_db);
  if (*policy_test) return core::TestPolicy(config_path, test_email, test_issuers, test_claims);
  serve.config_path = config_path;
  return core::RunServer(serve);
}
