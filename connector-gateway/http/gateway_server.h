#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "bearer/token_validator.h"
#include "core/core_client.h"
#include "http/basic_auth.h"
#include "http/client_auth.h"
#include "http/gateway_metrics.h"
#include "service/hook_service.h"

namespace gatehouse::gateway {

struct HttpLimits {
  size_t max_body_bytes = 64 * 1024;  // design.md §3: larger bodies get 413
  // cpp-httplib gives each open connection a worker until it closes (after
  // keep_alive_max_requests, or keep_alive_idle without one), and a connection beyond the
  // workers waits for one: with 32 workers and 48 busy keep-alive connections, 16 callers
  // waited ~0.9 s each (gatehouse-load). An idle worker costs ~8 KB of memory, so the pool is
  // sized well above the connections expected.
  size_t threads = 256;
  size_t keep_alive_max_requests = 1000;
  std::chrono::seconds keep_alive_idle{5};
  std::chrono::seconds read_timeout{5};  // slow clients are cut off, not waited for
  std::chrono::seconds write_timeout{5};
  // cpp-httplib 0.11 listens with a backlog of 5: a burst of new connections beyond that has
  // its SYNs dropped and waits a second for the retransmit, or fails. Bind() raises it.
  int listen_backlog = 1024;
};

// The gateway's own listener: HTTPS when a certificate is set (TLS 1.2+, ECDHE suites only),
// asking for client certificates when the authenticator needs them.
struct ListenerTls {
  std::string cert;       // PEM chain
  std::string key;        // PEM private key
  std::string client_ca;  // PEM CA that client certificates must chain to
  bool request_client_certificate = false;
};

// Entra External ID custom authentication extensions, served next to the classic routes:
// their own hooks (dialect and deadline) and bearer-token check.
struct ExtensionRoutes {
  HookService& hooks;
  const TokenValidator& tokens;
};

// The HTTP surface of design.md §3 on cpp-httplib, plus the extension routes when
// `extensions` is set. Authentication runs before the body is read; every error body is JSON.
class GatewayServer {
 public:
  // INVALID_ARGUMENT / NOT_FOUND when the TLS material cannot be used, naming the file.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Create(
      HookService& hooks, CoreClient& core, const ClientAuthenticator& auth, const ListenerTls& tls,
      const HttpLimits& limits, std::optional<ExtensionRoutes> extensions = std::nullopt);

  // Binds to host:port (port 0: any free port) and returns the port bound.
  absl::StatusOr<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns false if the server failed.
  bool Run();
  // Stops accepting; requests in flight finish. Safe from another thread.
  void Stop();

 private:
  GatewayServer(HookService& hooks, CoreClient& core, const ClientAuthenticator& auth,
                std::unique_ptr<httplib::Server> server, const HttpLimits& limits,
                std::optional<ExtensionRoutes> extensions);
  void RegisterRoutes();
  // Who may call `request`'s route; false after writing the 401.
  bool Authenticate(const httplib::Request& request, httplib::Response& response) const;
  void HandleHook(HookService& hooks, Hook hook, const httplib::Request& request,
                  httplib::Response& response);
  // Metrics and one access-log line for every request, after the answer is written.
  void LogRequest(const httplib::Request& request, const httplib::Response& response);

  HookService& hooks_;
  CoreClient& core_;
  GatewayMetrics metrics_;
  const ClientAuthenticator& auth_;
  std::optional<ExtensionRoutes> extensions_;
  const int listen_backlog_;
  int listen_fd_ = -1;  // set while binding, see Bind()
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace gatehouse::gateway
