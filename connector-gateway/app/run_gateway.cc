#include "app/run_gateway.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "app/core_channel.h"
#include "app/gateway_secrets.h"
#include "bearer/jwks_cache.h"
#include "bearer/token_validator.h"
#include "common/host_port.h"
#include "common/secret_env.h"
#include "common/shutdown_signal.h"
#include "core/caching_core_client.h"
#include "core/change_watch.h"
#include "core/decision_cache.h"
#include "core/grpc_core_client.h"
#include "dialect/classic_dialect.h"
#include "dialect/extension_dialect.h"
#include "http/gateway_server.h"
#include "messages/message_catalog.h"
#include "service/hook_service.h"

namespace gatehouse::gateway {
namespace {

// Each connection costs a descriptor: the soft limit is raised to the hard one, and
// connections are capped below it (beyond the cap they are closed at once, instead of accept()
// failing and being retried).
size_t MaxConnections(size_t wanted) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) return wanted;
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  getrlimit(RLIMIT_NOFILE, &files);
  constexpr rlim_t kReserved = 128;  // gRPC channels, log files, JWKS fetches
  if (files.rlim_cur == RLIM_INFINITY || files.rlim_cur > wanted + kReserved) return wanted;
  return files.rlim_cur > 2 * kReserved ? static_cast<size_t>(files.rlim_cur - kReserved)
                                        : kReserved;
}

}  // namespace

int RunGateway(GatewayOptions options, const std::string& config_path) {
  if (absl::Status entra = CheckEntraOptions(options); !entra.ok()) {
    spdlog::error("{}", std::string(entra.message()));
    return 2;
  }
  const auto listen = ParseHostPort(options.listen);
  if (!listen) {
    spdlog::error("--listen must be HOST:PORT, got '{}'", options.listen);
    return 2;
  }
  auto core_token = ReadSecret("GATEHOUSE_CORE_TOKEN");
  if (!core_token.ok()) {
    spdlog::error("{}", std::string(core_token.status().message()));
    return 2;
  }
  auto basic = ReadBasicCredentials();
  if (!basic.ok()) {
    spdlog::error("{}", std::string(basic.status().message()));
    return 2;
  }
  options.client_auth.basic = *std::move(basic);
  options.client_auth.client_ca_path = options.listener_tls.client_ca;
  auto auth = ClientAuthenticator::Create(options.client_auth);
  if (!auth.ok()) {
    spdlog::error("{}", std::string(auth.status().message()));
    return 2;
  }
  options.listener_tls.request_client_certificate = (*auth)->requires_certificate();

  auto channel = OpenCoreChannel(options.core, options.core_tls);
  if (!channel.ok()) {
    spdlog::error("{}", std::string(channel.status().message()));
    return 2;
  }
  GrpcCoreClient grpc_core(*channel, *core_token,
                           std::chrono::milliseconds(options.core_deadline_ms));
  // Hook 1 answers are reused between the core's change notices (see DecisionCache).
  DecisionCache decisions(std::chrono::milliseconds(options.decision_cache_ms));
  CachingCoreClient caching_core(grpc_core, decisions);
  std::optional<ChangeWatch> change_watch;
  if (options.decision_cache_ms > 0) {
    change_watch.emplace(*channel, *core_token, decisions);
  }
  CoreClient& core =
      options.decision_cache_ms > 0 ? static_cast<CoreClient&>(caching_core) : grpc_core;
  auto messages = MessageCatalog::Load(config_path);
  if (!messages.ok()) {
    spdlog::error("{}", std::string(messages.status().message()));
    return 2;
  }
  HookService hooks(core, *messages, ClassicDialect(),
                    std::chrono::milliseconds(options.core_deadline_ms));
  HookService extension_hooks(core, *messages, ExtensionDialect(),
                              std::chrono::milliseconds(options.entra_deadline_ms));
  JwksCache keys({.location = options.entra_jwks,
                  .min_refresh = std::chrono::seconds(options.entra_jwks_min_refresh_s)});
  TokenValidator tokens({.tenant_id = options.entra_tenant_id,
                         .audiences = options.entra_audiences,
                         .clock_skew = std::chrono::seconds(options.entra_clock_skew_s)},
                        keys);
  std::optional<ExtensionRoutes> extension_routes;
  if (!options.entra_tenant_id.empty()) {
    extension_routes.emplace(ExtensionRoutes{extension_hooks, tokens});
    if (absl::Status loaded = keys.Load(); !loaded.ok()) {
      // A bad file is a configuration error; an unreachable URL may come back, and until then
      // every extension call is refused (401), never let through.
      if (!options.entra_jwks.file.empty()) {
        spdlog::error("{}", std::string(loaded.message()));
        return 2;
      }
      spdlog::error("{}; extension calls are refused until the keys load",
                    std::string(loaded.message()));
    }
    keys.StartRefreshing();
  }
  HttpLimits limits;
  limits.threads = static_cast<size_t>(options.http_threads);
  limits.idle_timeout = limits.write_timeout = std::chrono::seconds(options.http_timeout_s);
  limits.request_timeout = std::chrono::seconds(options.http_request_timeout_s);
  limits.max_connections = MaxConnections(limits.max_connections);
  auto created =
      GatewayServer::Create(hooks, core, **auth, options.listener_tls, limits, extension_routes);
  if (!created.ok()) {
    spdlog::error("{}", std::string(created.status().message()));
    return 2;
  }
  GatewayServer& server = **created;

  auto port = server.Bind(listen->host, listen->port);
  if (!port.ok()) {
    spdlog::error("{}", std::string(port.status().message()));
    return 1;
  }
  std::thread stopper([&server] {
    const int signal_number = WaitForShutdownSignal();
    spdlog::info("signal {} received, stopping", signal_number);
    server.Stop();
  });
  spdlog::info("connector-gateway ready on {}:{} ({}{}; core {}, deadline {} ms{})", listen->host,
               *port, options.listener_tls.cert.empty() ? "http" : "https",
               (*auth)->requires_certificate() ? ", client certificates required" : "",
               options.core, options.core_deadline_ms,
               options.entra_tenant_id.empty()
                   ? ""
                   : absl::StrCat("; Entra extensions for tenant ", options.entra_tenant_id,
                                  ", deadline ", options.entra_deadline_ms, " ms"));
  const bool clean = server.Run();
  if (!clean) {
    // Run() returned on its own: wake the signal thread so it can be joined.
    kill(getpid(), SIGTERM);
  }
  stopper.join();
  spdlog::info("connector-gateway stopped");
  return clean ? 0 : 1;
}

}  // namespace gatehouse::gateway
