// connector-gateway: composition root. Parses configuration and wires the HTTP server to the
// core client.
#include <grpcpp/grpcpp.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bearer/jwks_cache.h"
#include "bearer/token_validator.h"
#include "common/config_file.h"
#include "common/host_port.h"
#include "common/mutex_checks.h"
#include "common/secret_env.h"
#include "common/shutdown_signal.h"
#include "common/tls_files.h"
#include "common/keepalive.h"
#include "core/caching_core_client.h"
#include "core/change_watch.h"
#include "core/decision_cache.h"
#include "core/grpc_core_client.h"
#include "dialect/classic_dialect.h"
#include "dialect/extension_dialect.h"
#include "http/gateway_server.h"
#include "messages/message_catalog.h"
#include "service/hook_service.h"

namespace {

// Basic credentials Azure may use: the GATEHOUSE_BASIC_USERNAME/PASSWORD pair and the
// "username:password" lines of GATEHOUSE_BASIC_CREDENTIALS_FILE, all accepted, so a password
// can be rotated without downtime. Empty when none is configured.
absl::StatusOr<std::vector<gatehouse::gateway::BasicCredentials>> ReadBasicCredentials() {
  std::vector<gatehouse::gateway::BasicCredentials> all;
  auto username = gatehouse::ReadSecret("GATEHOUSE_BASIC_USERNAME");
  auto password = gatehouse::ReadSecret("GATEHOUSE_BASIC_PASSWORD");
  for (const auto* secret : {&username, &password}) {
    if (!secret->ok() && !absl::IsNotFound(secret->status())) return secret->status();
  }
  if (username.ok() != password.ok()) {
    return absl::InvalidArgumentError(
        "set both GATEHOUSE_BASIC_USERNAME and GATEHOUSE_BASIC_PASSWORD, or neither");
  }
  if (username.ok()) all.push_back({*username, *password});
  if (const char* path = std::getenv("GATEHOUSE_BASIC_CREDENTIALS_FILE"); path != nullptr) {
    if (*path == '\0') {
      return absl::InvalidArgumentError("GATEHOUSE_BASIC_CREDENTIALS_FILE is set but empty");
    }
    std::ifstream file(path);
    if (!file) return absl::NotFoundError("cannot read GATEHOUSE_BASIC_CREDENTIALS_FILE");
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line.front() == '#') continue;
      const size_t colon = line.find(':');  // passwords may contain ':'
      if (colon == std::string::npos || colon == 0 || colon + 1 == line.size()) {
        // The line itself may hold a secret: name only its number.
        return absl::InvalidArgumentError(absl::StrCat("GATEHOUSE_BASIC_CREDENTIALS_FILE line ",
                                                       number, " must be username:password"));
      }
      all.push_back({line.substr(0, colon), line.substr(colon + 1)});
    }
  }
  return all;
}

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
  return files.rlim_cur > 2 * kReserved ? static_cast<size_t>(files.rlim_cur - kReserved) : kReserved;
}

struct GatewayOptions {
  std::string listen = "127.0.0.1:8080";
  std::string core = "127.0.0.1:50051";
  int core_deadline_ms = 1000;
  // How long a hook 1 answer may be reused while the core reports no change; 0: never.
  int decision_cache_ms = 5000;
  // The listener's defaults are HttpLimits' own, so they are stated once.
  int http_threads = static_cast<int>(gatehouse::gateway::HttpLimits{}.threads);
  // A request's head, and then its body, must each arrive within this long.
  int http_request_timeout_s =
      static_cast<int>(gatehouse::gateway::HttpLimits{}.request_timeout.count());
  // An idle keep-alive connection, or a client that takes no answer, is cut off after this.
  int http_timeout_s = static_cast<int>(gatehouse::gateway::HttpLimits{}.idle_timeout.count());
  // To reach approval-core over TLS (ca), with a client certificate (cert + key).
  gatehouse::TlsFiles core_tls;
  gatehouse::gateway::ListenerTls listener_tls;  // HTTPS for Azure's calls
  gatehouse::gateway::ClientAuthConfig client_auth;
  // Entra External ID custom authentication extensions; off without a tenant.
  std::string entra_tenant_id;
  std::vector<std::string> entra_audiences;
  gatehouse::gateway::JwksLocation entra_jwks;
  int entra_deadline_ms = 700;  // Entra waits 1 s by default: leave room for the network
  int entra_clock_skew_s = 60;
  int entra_jwks_min_refresh_s = 60;
};

// The extension settings hang together: a tenant and an audience, at most one key source.
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
  return gatehouse::gateway::JwksCache::CheckLocation(options.entra_jwks);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gatehouse;
  using namespace gatehouse::gateway;
  IgnoreBrokenPipes();
  DisableMutexDeadlockDetection();
  BlockShutdownSignals();  // before any thread exists
  spdlog::set_default_logger(spdlog::stderr_color_mt("connector-gateway"));

  CLI::App app{
      "connector-gateway: Azure AD B2C / Entra API connector endpoint in front of approval-core.\n"
      "Secrets come from the environment: GATEHOUSE_CORE_TOKEN (connector-role token),\n"
      "GATEHOUSE_BASIC_USERNAME, GATEHOUSE_BASIC_PASSWORD (or *_FILE with a path)."};
  GatewayOptions options;
  std::string config_path;
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

  // [messages.<locale>] tables belong to the message catalog, read after parsing.
  if (auto exit_code =
          ParseCommandLine(app, argc, argv, "GATEHOUSE_GATEWAY_CONFIG", {"messages"})) {
    return *exit_code;
  }

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

  grpc::ChannelArguments channel_args;
  // Reconnect within a second of a core restart instead of backing off for up to two
  // minutes: every second without the core is a second of fail-closed block pages. The
  // "minimum reconnect backoff" is in fact how long one attempt may take to connect (TCP, TLS,
  // HTTP/2 settings): at 100 ms, a core behind a slow link or busy starting failed every
  // attempt for over a second. A refused connection still fails at once.
  channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  channel_args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 1000);
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // A core that vanished without closing the connection (a frozen process, a dropped route)
  // is noticed within kKeepalive * 2 by HTTP/2 pings, even while only the change watch is
  // open: the watch then fails and the decision cache stops serving (approval-core accepts
  // pings this often).
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, gatehouse::kCoreKeepaliveMs);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, gatehouse::kCoreKeepaliveMs);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  channel_args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto core_credentials = ChannelCredentialsFor(options.core_tls);
  if (!core_credentials.ok()) {
    spdlog::error("{}", std::string(core_credentials.status().message()));
    return 2;
  }
  auto channel = grpc::CreateCustomChannel(options.core, *core_credentials, channel_args);
  GrpcCoreClient grpc_core(channel, *core_token,
                           std::chrono::milliseconds(options.core_deadline_ms));
  // Hook 1 answers are reused between the core's change notices (see DecisionCache).
  DecisionCache decisions(std::chrono::milliseconds(options.decision_cache_ms));
  CachingCoreClient caching_core(grpc_core, decisions);
  std::optional<ChangeWatch> change_watch;
  if (options.decision_cache_ms > 0) {
    change_watch.emplace(channel, *core_token, decisions);
  }
  CoreClient& core =
      options.decision_cache_ms > 0 ? static_cast<CoreClient&>(caching_core) : grpc_core;
  auto messages = MessageCatalog::Load(config_path);
  if (!messages.ok()) {
    spdlog::error("{}", std::string(messages.status().message()));
    return 2;
  }
  const ClassicDialect classic;
  HookService hooks(core, *messages, classic, std::chrono::milliseconds(options.core_deadline_ms));
  const ExtensionDialect extension;
  HookService extension_hooks(core, *messages, extension,
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
