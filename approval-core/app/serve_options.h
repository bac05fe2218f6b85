#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common/tls_files.h"

namespace gatehouse::core {

// What `approval-core` (serve) is configured with, as flags, GATEHOUSE_CORE_* variables and
// config keys (design.md §2).
struct ServeOptions {
  std::string listen = "127.0.0.1:50051";
  std::string db = "./data/gatehouse.db";
  int shutdown_grace_ms = 5000;
  int pending_ttl_days = 30;
  int retention_days = 0;         // 0: keep personal data forever
  int watch_stall_ms = 30000;     // a watch client that takes no message for this long is cut off
  int max_streams_per_token = 8;  // open server streams one token may hold (RESOURCE_EXHAUSTED)
  std::string config_path;        // its [[rule]] tables are the policy
  // Identity providers whose emails count as verified (ApprovalSettings).
  std::vector<std::string> verified_email_issuers;
  TlsFiles tls;                // cert + key: TLS; + ca: client certificates required
  std::string metrics_listen;  // HOST:PORT for GET /metrics (Prometheus); empty: none
  // Serve plaintext gRPC on an address other machines can reach (tokens would cross the
  // network in clear): refused unless this is set.
  bool allow_insecure_plaintext = false;
};

// Declares every serve option on `app`, with its environment variable, bound to `options`;
// `config_path` gets --config.
void AddServeOptions(CLI::App& app, ServeOptions& options, std::string& config_path);

}  // namespace gatehouse::core
