#include "app/serve_options.h"

namespace gatehouse::core {

void AddServeOptions(CLI::App& app, ServeOptions& options, std::string& config_path) {
  app.add_option("--listen", options.listen, "gRPC listen address HOST:PORT (port 0: any free)")
      ->envname("GATEHOUSE_CORE_LISTEN")
      ->capture_default_str();
  app.add_option("--db", options.db, "SQLite database file")
      ->envname("GATEHOUSE_CORE_DB")
      ->capture_default_str();
  app.add_option("--shutdown-grace-ms", options.shutdown_grace_ms,
                 "how long in-flight calls may finish after SIGTERM")
      ->envname("GATEHOUSE_CORE_SHUTDOWN_GRACE_MS")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  app.add_option("--pending-ttl-days", options.pending_ttl_days,
                 "pending requests nobody decided expire after this many days")
      ->envname("GATEHOUSE_CORE_PENDING_TTL_DAYS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  app.add_option("--retention-days", options.retention_days,
                 "purge applicants' personal data this many days after the decision (0: never)")
      ->envname("GATEHOUSE_CORE_RETENTION_DAYS")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  app.add_option("--watch-stall-ms", options.watch_stall_ms,
                 "cut off a WatchRequests client that takes no message for this long")
      ->envname("GATEHOUSE_CORE_WATCH_STALL_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_option("--max-streams-per-token", options.max_streams_per_token,
                 "open server streams (watches, hook 2 streams) one token may hold at once")
      ->envname("GATEHOUSE_CORE_MAX_STREAMS_PER_TOKEN")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--verified-email-issuers", options.verified_email_issuers,
                 "identity providers (issuer as sent) trusted to assert only emails their users "
                 "own; their emails match earlier requests (comma-separated)")
      ->envname("GATEHOUSE_CORE_VERIFIED_EMAIL_ISSUERS")
      ->delimiter(',');
  app.add_flag("--allow-insecure-plaintext", options.allow_insecure_plaintext,
               "serve plaintext gRPC on a non-loopback address (tokens cross the network in "
               "clear; only inside a private network)")
      ->envname("GATEHOUSE_CORE_ALLOW_INSECURE_PLAINTEXT");
  app.add_option("--tls-cert", options.tls.cert, "PEM certificate chain: serve TLS")
      ->envname("GATEHOUSE_CORE_TLS_CERT");
  app.add_option("--tls-key", options.tls.key, "PEM private key of --tls-cert")
      ->envname("GATEHOUSE_CORE_TLS_KEY");
  app.add_option("--client-ca", options.tls.ca,
                 "PEM CA: require client certificates signed by it (mutual TLS)")
      ->envname("GATEHOUSE_CORE_CLIENT_CA");
  app.add_option("--metrics-listen", options.metrics_listen,
                 "serve GET /metrics (Prometheus text) on HOST:PORT, plain HTTP; off by default")
      ->envname("GATEHOUSE_CORE_METRICS_LISTEN");
  app.add_option("--config", config_path,
                 "TOML config file (keys: listen, db, shutdown_grace_ms, pending_ttl_days, "
                 "retention_days, watch_stall_ms, max_streams_per_token, verified_email_issuers, "
                 "allow_insecure_plaintext, "
                 "tls_cert, tls_key, client_ca, metrics_listen; [[rule]] and [[notify]] tables)")
      ->envname("GATEHOUSE_CORE_CONFIG");
}

}  // namespace gatehouse::core
