#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bearer/jwks_cache.h"
#include "common/tls_files.h"
#include "http/client_auth.h"
#include "http/gateway_server.h"
#include "http/http_limits.h"

namespace gatehouse::gateway {

// Everything connector-gateway is configured with, as flags, GATEHOUSE_* variables and config
// keys (design.md §2); secrets are not here, they come from the environment (gateway_secrets.h).
struct GatewayOptions {
  std::string listen = "127.0.0.1:8080";
  std::string core = "127.0.0.1:50051";
  int core_deadline_ms = 1000;
  // How long a hook 1 answer may be reused while the core reports no change; 0: never.
  int decision_cache_ms = 5000;
  // The listener's defaults are HttpLimits' own, so they are stated once.
  int http_threads = static_cast<int>(HttpLimits{}.threads);
  // A request's head, and then its body, must each arrive within this long.
  int http_request_timeout_s = static_cast<int>(HttpLimits{}.request_timeout.count());
  // An idle keep-alive connection, or a client that takes no answer, is cut off after this.
  int http_timeout_s = static_cast<int>(HttpLimits{}.idle_timeout.count());
  // To reach approval-core over TLS (ca), with a client certificate (cert + key).
  TlsFiles core_tls;
  ListenerTls listener_tls;  // HTTPS for Azure's calls
  ClientAuthConfig client_auth;
  // Entra External ID custom authentication extensions; off without a tenant.
  std::string entra_tenant_id;
  std::vector<std::string> entra_audiences;
  JwksLocation entra_jwks;
  int entra_deadline_ms = 700;  // Entra waits 1 s by default: leave room for the network
  int entra_clock_skew_s = 60;
  int entra_jwks_min_refresh_s = 60;
};

// Declares every option on `app`, with its environment variable, bound to `options`;
// `config_path` gets --config.
void AddGatewayOptions(CLI::App& app, GatewayOptions& options, std::string& config_path);

// The extension settings hang together: a tenant and an audience, at most one key source (the
// tenant's published keys by default, filled in here). INVALID_ARGUMENT otherwise.
absl::Status CheckEntraOptions(GatewayOptions& options);

}  // namespace gatehouse::gateway
