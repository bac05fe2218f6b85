#include "config/global_options.h"

namespace gatehouse::cli {

std::string ReviewerDescription(const std::string& default_config) {
  return "reviewer: approve or deny Gatehouse sign-up requests.\n"
         "Settings: flags, then GATEHOUSE_* environment variables, then the config file\n"
         "(" +
         (default_config.empty() ? std::string("none: HOME is not set") : default_config) +
         "; keys server, token_file, tls_ca, tls_cert, tls_key, timeout_ms, output, color).\n"
         "The token: --token-file, GATEHOUSE_TOKEN, GATEHOUSE_TOKEN_FILE, then token_file.\n"
         "Exit codes: 0 ok, 1 failed (not found, conflict), 2 usage, 3 server unreachable,\n"
         "4 authentication or permission.";
}

void AddGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.add_option("--server", options.server, "approval-core address HOST:PORT")
      ->envname("GATEHOUSE_SERVER")
      ->capture_default_str();
  app.add_option("-o,--output", options.output, "table, json, or jsonl (one JSON value per line)")
      ->envname("GATEHOUSE_OUTPUT")
      ->check(CLI::IsMember({"table", "json", "jsonl"}))
      ->capture_default_str();
  app.add_option("--color", options.colour_mode,
                 "auto (a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--token-file", options.token_file, "file holding the token (mode 600)");
  app.add_option("--config", options.config_path, "config file instead of the default one")
      ->envname("GATEHOUSE_REVIEWER_CONFIG");
  app.add_option("--tls-ca", options.tls.ca, "PEM CA of approval-core's certificate: use TLS")
      ->envname("GATEHOUSE_TLS_CA");
  app.add_option("--tls-cert", options.tls.cert, "PEM client certificate (mutual TLS)")
      ->envname("GATEHOUSE_TLS_CERT");
  app.add_option("--tls-key", options.tls.key, "PEM private key of --tls-cert")
      ->envname("GATEHOUSE_TLS_KEY");
  app.add_option("--timeout-ms", options.timeout_ms, "deadline of each call")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
}

}  // namespace gatehouse::cli
