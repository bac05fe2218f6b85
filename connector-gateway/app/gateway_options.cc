#include "app/gateway_options.h"

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

void AddGatewayOptions(CLI::App& app, GatewayOptions& options, std::string& config_path) {
  app.add_option("--listen", options.listen, "HTTP listen address HOST:PORT (port 0: any free)")
      ->envname("GATEHOUSE_GATEWAY_LISTEN")
      ->capture_default_str();
  app.add_option("--core", options.core, "approval-core gRPC address HOST:PORT")
      ->envname("GATEHOUSE_CORE_ADDRESS")
      ->capture_default_str();
  app.add_option("--core-deadline-ms", options.core_deadline_ms,
                 "how long to wait for the core before failing closed")
      ->envname("GATEHOUSE_CORE_DEADLINE_MS")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  app.add_option("--decision-cache-ms", options.decision_cache_ms,
                 "reuse a hook 1 answer for up to this long while approval-core reports no "
                 "change (0: ask the core every time)")
      ->envname("GATEHOUSE_DECISION_CACHE_MS")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  app.add_option("--http-timeout-s", options.http_timeout_s,
                 "close a connection idle for this long, or whose client takes no answer")
      ->envname("GATEHOUSE_HTTP_TIMEOUT_S")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  app.add_option("--http-request-timeout-s", options.http_request_timeout_s,
                 "a request's head, and then its body, must each arrive within this long")
      ->envname("GATEHOUSE_HTTP_REQUEST_TIMEOUT_S")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  app.add_option("--http-threads", options.http_threads,
                 "HTTP worker threads: hook calls answered at once (waiting connections hold none)")
      ->envname("GATEHOUSE_HTTP_THREADS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--core-ca", options.core_tls.ca, "PEM CA of approval-core's certificate: use TLS")
      ->envname("GATEHOUSE_CORE_CA");
  app.add_option("--core-cert", options.core_tls.cert,
                 "PEM client certificate for approval-core (mutual TLS)")
      ->envname("GATEHOUSE_CORE_CLIENT_CERT");
  app.add_option("--core-key", options.core_tls.key, "PEM private key of --core-cert")
      ->envname("GATEHOUSE_CORE_CLIENT_KEY");
  app.add_option("--tls-cert", options.listener_tls.cert, "PEM certificate chain: serve HTTPS")
      ->envname("GATEHOUSE_GATEWAY_TLS_CERT");
  app.add_option("--tls-key", options.listener_tls.key, "PEM private key of --tls-cert")
      ->envname("GATEHOUSE_GATEWAY_TLS_KEY");
  app.add_option("--client-ca", options.listener_tls.client_ca,
                 "PEM CA: callers must present a client certificate it signed (mutual TLS, or "
                 "X-ARR-ClientCert from a trusted proxy)")
      ->envname("GATEHOUSE_GATEWAY_CLIENT_CA");
  app.add_option("--client-thumbprints", options.client_auth.thumbprints,
                 "comma-separated SHA-1/SHA-256 thumbprints the client certificate must match "
                 "(old and new during a rollover)")
      ->envname("GATEHOUSE_GATEWAY_CLIENT_THUMBPRINTS")
      ->delimiter(',');
  app.add_option("--trusted-proxies", options.client_auth.trusted_proxies,
                 "comma-separated proxy IPs whose X-ARR-ClientCert header is believed")
      ->envname("GATEHOUSE_GATEWAY_TRUSTED_PROXIES")
      ->delimiter(',');
  app.add_option("--entra-tenant-id", options.entra_tenant_id,
                 "serve Entra External ID custom authentication extensions for this tenant")
      ->envname("GATEHOUSE_ENTRA_TENANT_ID");
  app.add_option("--entra-audience", options.entra_audiences,
                 "comma-separated audiences a token may carry (the API's application id and/or "
                 "app id URI)")
      ->envname("GATEHOUSE_ENTRA_AUDIENCE")
      ->delimiter(',');
  app.add_option("--entra-jwks-url", options.entra_jwks.url,
                 "signing keys of the tenant, https only (default "
                 "https://login.microsoftonline.com/TENANT/discovery/v2.0/keys)")
      ->envname("GATEHOUSE_ENTRA_JWKS_URL");
  app.add_option("--entra-jwks-file", options.entra_jwks.file,
                 "signing keys from a local JWKS file instead of the URL")
      ->envname("GATEHOUSE_ENTRA_JWKS_FILE");
  app.add_option("--entra-deadline-ms", options.entra_deadline_ms,
                 "how long extension calls wait for the core before failing closed")
      ->envname("GATEHOUSE_ENTRA_DEADLINE_MS")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  app.add_option("--entra-clock-skew-s", options.entra_clock_skew_s,
                 "tolerance on a token's exp and nbf")
      ->envname("GATEHOUSE_ENTRA_CLOCK_SKEW_S")
      ->check(CLI::Range(0, 600))
      ->capture_default_str();
  app.add_option("--entra-jwks-min-refresh-s", options.entra_jwks_min_refresh_s,
                 "an unknown key id reloads the keys (in the background) at most this often")
      ->envname("GATEHOUSE_ENTRA_JWKS_MIN_REFRESH_S")
      ->check(CLI::Range(10, 86400))
      ->capture_default_str();
  app.add_option("--config", config_path,
                 "TOML config file (keys: the long options without dashes, e.g. core_deadline_ms, "
                 "entra_tenant_id; [messages.<locale>] tables)")
      ->envname("GATEHOUSE_GATEWAY_CONFIG");
}

absl::Status CheckEntraOptions(GatewayOptions& options) {
  if (options.entra_tenant_id.empty()) {
    if (!options.entra_audiences.empty() || !options.entra_jwks.url.empty() ||
        !options.entra_jwks.file.empty()) {
      return absl::InvalidArgumentError("the --entra-* options need --entra-tenant-id");
    }
    return absl::OkStatus();
  }
  if (options.entra_audiences.empty()) {
    return absl::InvalidArgumentError(
        "--entra-audience is required with --entra-tenant-id (the API's application id or "
        "app id URI)");
  }
  if (!options.entra_jwks.url.empty() && !options.entra_jwks.file.empty()) {
    return absl::InvalidArgumentError("give --entra-jwks-url or --entra-jwks-file, not both");
  }
  if (options.entra_jwks.url.empty() && options.entra_jwks.file.empty()) {
    options.entra_jwks.url = absl::StrCat("https://login.microsoftonline.com/",
                                          options.entra_tenant_id, "/discovery/v2.0/keys");
  }
  return JwksCache::CheckLocation(options.entra_jwks);
}

}  // namespace gatehouse::gateway
