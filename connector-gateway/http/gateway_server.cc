#include "http/gateway_server.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dialect/error_body.h"

namespace gatehouse::gateway {
namespace {

constexpr const char* kJson = "application/json";
constexpr std::string_view kConnectorPrefix = "/api/connectors/";
constexpr const char* kCheckPath = "/api/connectors/check-approval";
constexpr const char* kRequestPath = "/api/connectors/request-approval";
constexpr std::string_view kExtensionPrefix = "/api/extensions/";
constexpr const char* kStartPath = "/api/extensions/attribute-collection-start";
constexpr const char* kSubmitPath = "/api/extensions/attribute-collection-submit";

bool IsJsonMediaType(const std::string& content_type) {
  const std::string_view media = std::string_view(content_type).substr(0, content_type.find(';'));
  return absl::EqualsIgnoreCase(
      absl::StripAsciiWhitespace(absl::string_view(media.data(), media.size())), kJson);
}

// What the handler of the request this thread is serving learned, for the access log.
// httplib runs pre-routing, the handler and the logger of one request on one thread.
struct RequestTrace {
  const httplib::Request* request = nullptr;
  std::chrono::steady_clock::time_point start;
  HookResult hook;
};
thread_local RequestTrace trace;

// Accepts any client certificate: with pinned thumbprints and no CA, the pin is the check
// (ClientAuthenticator), not the chain.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

// TLS 1.2+ with forward-secret AEAD/CBC-SHA2 suites only (connector-contract.md §1.5 asks for
// ECDHE-GCM or ECDHE-CBC-SHA256/384); client certificates asked for when configured.
bool ConfigureTls(SSL_CTX& ctx, const ListenerTls& tls, std::string* error) {
  if (SSL_CTX_use_certificate_chain_file(&ctx, tls.cert.c_str()) != 1) {
    *error = "cannot use the TLS certificate file " + tls.cert;
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, tls.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1) {
    *error = "cannot use the TLS key file " + tls.key + " with " + tls.cert;
    return false;
  }
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(&ctx,
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                          "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:"
                          "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384");
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (!tls.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(&ctx, tls.client_ca.c_str(), nullptr) != 1) {
      *error = "cannot read the client CA file " + tls.client_ca;
      return false;
    }
    SSL_CTX_set_client_CA_list(&ctx, SSL_load_client_CA_file(tls.client_ca.c_str()));
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else if (tls.request_client_certificate) {
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       AcceptAnyCertificate);
  }
  return true;
}

// Bounded label values for metrics.
std::string RouteLabel(const std::string& path) {
  if (path == kCheckPath) return "check-approval";
  if (path == kRequestPath) return "request-approval";
  if (path == kStartPath) return "attribute-collection-start";
  if (path == kSubmitPath) return "attribute-collection-submit";
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") return path.substr(1);
  return "other";
}

void SendError(httplib::Response& response, int status, std::string_view error,
               std::string_view message) {
  response.status = status;
  response.set_content(ErrorBody(error, message), kJson);
}

}  // namespace

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Create(
    HookService& hooks, CoreClient& core, const ClientAuthenticator& auth, const ListenerTls& tls,
    const HttpLimits& limits, std::optional<ExtensionRoutes> extensions) {
  std::unique_ptr<httplib::Server> server;
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (tls.cert.empty()) {
    server = std::make_unique<httplib::Server>();
  } else {
    std::string error;
    auto ssl = std::make_unique<httplib::SSLServer>(
        [&tls, &error](SSL_CTX& ctx) { return ConfigureTls(ctx, tls, &error); });
    if (!ssl->is_valid()) return absl::InvalidArgumentError(error);
    server = std::move(ssl);
  }
  return std::unique_ptr<GatewayServer>(
      new GatewayServer(hooks, core, auth, std::move(server), limits, extensions));
}

GatewayServer::GatewayServer(HookService& hooks, CoreClient& core, const ClientAuthenticator& auth,
                             std::unique_ptr<httplib::Server> server, const HttpLimits& limits,
                             std::optional<ExtensionRoutes> extensions)
    : hooks_(hooks),
      core_(core),
      auth_(auth),
      extensions_(extensions),
      listen_backlog_(limits.listen_backlog),
      server_(std::move(server)) {
  // Without TCP_NODELAY every answer waits ~40 ms on Nagle + delayed ACK.
  server_->set_tcp_nodelay(true);
  server_->set_payload_max_length(limits.max_body_bytes);
  server_->set_keep_alive_max_count(limits.keep_alive_max_requests);
  server_->set_keep_alive_timeout(limits.keep_alive_idle.count());
  server_->set_read_timeout(limits.read_timeout);
  server_->set_write_timeout(limits.write_timeout);
  const size_t threads = limits.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Replaces httplib's default, which sets SO_REUSEPORT and so lets a second gateway bind the
  // same port and silently share its traffic. SO_REUSEADDR alone still allows a restart while
  // old connections sit in TIME_WAIT. The descriptor is kept to raise the backlog in Bind().
  server_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd_ = sock;
  });
  RegisterRoutes();
}

void GatewayServer::RegisterRoutes() {
  // Authentication (and the media type) are checked before the body is read, so an
  // unauthenticated caller cannot make us buffer 64 KiB.
  server_->set_pre_routing_handler([this](const httplib::Request& request,
                                          httplib::Response& response) {
    trace = RequestTrace{&request, std::chrono::steady_clock::now(), {}};
    const bool classic = request.path.starts_with(kConnectorPrefix);
    const bool extension = extensions_ && request.path.starts_with(kExtensionPrefix);
    if (!classic && !extension) return httplib::Server::HandlerResponse::Unhandled;
    if (!Authenticate(request, response)) return httplib::Server::HandlerResponse::Handled;
    if (request.method == "POST" && !IsJsonMediaType(request.get_header_value("Content-Type"))) {
      SendError(response, 415, "unsupported_media_type", "Content-Type must be application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  struct HookRoute {
    const char* path;
    HookService* hooks;
    Hook hook;
  };
  std::vector<HookRoute> hook_routes = {{kCheckPath, &hooks_, Hook::kCheckApproval},
                                        {kRequestPath, &hooks_, Hook::kRequestApproval}};
  if (extensions_) {
    hook_routes.push_back({kStartPath, &extensions_->hooks, Hook::kCheckApproval});
    hook_routes.push_back({kSubmitPath, &extensions_->hooks, Hook::kRequestApproval});
  }
  const auto method_not_allowed = [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Allow", "POST");
    SendError(response, 405, "method_not_allowed", "use POST");
  };
  for (const HookRoute& route : hook_routes) {
    const char* path = route.path;
    server_->Post(path,
                  [this, route](const httplib::Request& request, httplib::Response& response) {
                    HandleHook(*route.hooks, route.hook, request, response);
                  });
    server_->Get(path, method_not_allowed);
    server_->Put(path, method_not_allowed);
    server_->Patch(path, method_not_allowed);
    server_->Delete(path, method_not_allowed);
    server_->Options(path, method_not_allowed);
  }
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics_.Render(), "text/plain; version=0.0.4");
  });
  server_->set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    LogRequest(request, response);
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"status":"ok"})", kJson);
  });
  // Ready = the core answers in time and can record decisions; otherwise every hook would be
  // a fail-closed block, so a load balancer should send Azure elsewhere.
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& response) {
    const absl::Status ready = core_.Ready();
    if (ready.ok()) {
      response.set_content(R"({"status":"ready"})", kJson);
    } else {
      response.status = 503;
      response.set_content(ErrorBody("not_ready", std::string(ready.message())), kJson);
    }
  });

  // httplib calls this for every status >= 400; fill in a JSON body only where the handler
  // left none (404 for unknown paths, 413 from the body limit, 400 for unparsable requests).
  server_->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                     httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    switch (response.status) {
      case 404:
        SendError(response, 404, "not_found", "no such route");
        break;
      case 413:
        SendError(response, 413, "payload_too_large", "the body exceeds 64 KiB");
        break;
      default:
        SendError(response, response.status, "bad_request", absl::StrCat("HTTP ", response.status));
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        SendError(response, 500, "internal_error", "internal error");
      });
}

bool GatewayServer::Authenticate(const httplib::Request& request,
                                 httplib::Response& response) const {
  if (request.path.starts_with(kConnectorPrefix)) {
    if (auth_.Allows(request)) return true;
    response.set_header("WWW-Authenticate", "Basic realm=\"gatehouse\"");
    SendError(response, 401, "unauthorized",
              "valid credentials are required (HTTP Basic and/or a client certificate)");
    return false;
  }
  // Extension routes take Entra's bearer token and nothing else.
  const absl::Status valid =
      extensions_->tokens.Validate(request.get_header_value("Authorization"), absl::Now());
  if (valid.ok()) return true;
  spdlog::warn("{} from {}", std::string(valid.message()), request.remote_addr);
  response.set_header("WWW-Authenticate", "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
  SendError(response, 401, "unauthorized", "a valid bearer token from Microsoft Entra is required");
  return false;
}

void GatewayServer::HandleHook(HookService& hooks, Hook hook, const httplib::Request& request,
                               httplib::Response& response) {
  HookResult result = hooks.Handle(hook, request.body);
  response.status = result.answer.status;
  response.set_content(result.answer.body, kJson);
  if (!result.core_error.empty()) metrics_.RecordCoreFailure(result.core_error);
  if (trace.request == &request) trace.hook = std::move(result);
}

void GatewayServer::LogRequest(const httplib::Request& request, const httplib::Response& response) {
  const bool traced = trace.request == &request;
  const double seconds =
      traced ? std::chrono::duration<double>(std::chrono::steady_clock::now() - trace.start).count()
             : 0.0;
  const HookResult none;
  const HookResult& hook = traced ? trace.hook : none;
  metrics_.RecordRequest(RouteLabel(request.path), response.status, hook.action, hook.code,
                         seconds);
  // One logfmt line per request; no header, body or credential is ever logged.
  spdlog::info(
      "access method={} path={} status={} answer={} code={} request={} core_error={} ms={:.2f} "
      "peer={}",
      request.method, RouteLabel(request.path), response.status,
      hook.action.empty() ? "-" : hook.action, hook.code.empty() ? "-" : hook.code,
      hook.request_id.empty() ? "-" : hook.request_id,
      hook.core_error.empty() ? "-" : hook.core_error, seconds * 1000, request.remote_addr);
  trace = RequestTrace{};
}

absl::StatusOr<int> GatewayServer::Bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port));
  }
  // Calling listen() again on a listening socket only changes its backlog (Linux).
  if (::listen(listen_fd_, listen_backlog_) != 0) {
    return absl::InternalError(absl::StrCat("cannot set the listen backlog on ", host, ":", port));
  }
  return bound;
}

bool GatewayServer::Run() { return server_->listen_after_bind(); }

void GatewayServer::Stop() { server_->stop(); }

}  // namespace gatehouse::gateway
