#pragma once

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
#include "http/http_limits.h"
#include "http/http_server.h"
#include "service/hook_service.h"

namespace gatehouse::gateway {

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

// The HTTP surface of design.md §3 on the gateway's own HttpServer, plus the extension routes
// when `extensions` is set. Everything but the body is decided from the head: authentication
// first, then route, method, Content-Encoding and Content-Type; only an authenticated hook
// call has its (bounded) body read. Every error body is JSON.
class GatewayServer final : public HttpHandler {
 public:
  // INVALID_ARGUMENT / NOT_FOUND when the TLS material cannot be used, naming the file.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Create(
      HookService& hooks, CoreClient& core, const ClientAuthenticator& auth, const ListenerTls& tls,
      const HttpLimits& limits, std::optional<ExtensionRoutes> extensions = std::nullopt);

  // Binds to host:port (port 0: any free port) and returns the port bound.
  absl::StatusOr<int> Bind(const std::string& host, int port) { return server_->Bind(host, port); }
  // Serves until Stop(); returns false if the server failed.
  bool Run() { return server_->Run(); }
  // Stops accepting; requests in flight finish. Safe from another thread.
  void Stop() { server_->Stop(); }

  std::optional<HttpResponse> OnHead(const HttpRequest& request) override;
  HttpResponse OnRequest(const HttpRequest& request) override;
  HttpResponse OnMalformed(const HttpRequest& request, int status,
                           std::string_view message) override;

 private:
  GatewayServer(HookService& hooks, CoreClient& core, const ClientAuthenticator& auth,
                std::optional<ExtensionRoutes> extensions)
      : hooks_(hooks), core_(core), auth_(auth), extensions_(extensions) {}
  // The 401 for `request`'s route, or nullopt when its caller proved who it is.
  std::optional<HttpResponse> Authenticate(const HttpRequest& request) const;
  // Metrics and one access-log line; returns `response`.
  HttpResponse Logged(const HttpRequest& request, HttpResponse response,
                      const HookResult& hook = {});

  HookService& hooks_;
  CoreClient& core_;
  GatewayMetrics metrics_;
  const ClientAuthenticator& auth_;
  std::optional<ExtensionRoutes> extensions_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace gatehouse::gateway
