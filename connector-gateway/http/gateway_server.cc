#include "http/gateway_server.h"

#include <spdlog/spdlog.h>

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

HttpResponse Error(int status, std::string_view error, std::string_view message) {
  return HttpResponse{.status = status, .body = ErrorBody(error, message)};
}

HttpResponse Json(std::string body) { return HttpResponse{.body = std::move(body)}; }

HttpResponse MethodNotAllowed(const std::string& allow) {
  HttpResponse response = Error(405, "method_not_allowed", "use " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Create(
    HookService& hooks, CoreClient& core, const ClientAuthenticator& auth, const ListenerTls& tls,
    const HttpLimits& limits, std::optional<ExtensionRoutes> extensions) {
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  SslContext context;
  if (!tls.cert.empty()) {
    context.reset(SSL_CTX_new(TLS_server_method()));
    std::string error;
    if (context == nullptr || !ConfigureTls(*context, tls, &error)) {
      return absl::InvalidArgumentError(error.empty() ? "cannot set up TLS" : error);
    }
  }
  std::unique_ptr<GatewayServer> gateway(new GatewayServer(hooks, core, auth, extensions));
  gateway->server_ = std::make_unique<HttpServer>(*gateway, limits, std::move(context));
  return gateway;
}

std::optional<HttpResponse> GatewayServer::OnHead(const HttpRequest& request) {
  const std::string& path = request.path;
  const bool classic = path.starts_with(kConnectorPrefix);
  const bool extension = extensions_ && path.starts_with(kExtensionPrefix);
  if (!classic && !extension) {
    if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
      if (request.method != "GET") return Logged(request, MethodNotAllowed("GET"));
      if (path == "/metrics") {
        return Logged(request, HttpResponse{.content_type = "text/plain; version=0.0.4",
                                            .body = metrics_.Render()});
      }
      if (path == "/healthz") return Logged(request, Json(R"({"status":"ok"})"));
      // Ready = the core answers in time and can record decisions; otherwise every hook
      // would be a fail-closed block, so a load balancer should send Azure elsewhere.
      const absl::Status ready = core_.Ready();
      if (ready.ok()) return Logged(request, Json(R"({"status":"ready"})"));
      return Logged(request, Error(503, "not_ready", std::string(ready.message())));
    }
    return Logged(request, Error(404, "not_found", "no such route"));
  }
  // Authentication before anything else (design.md §3), so nobody learns more without it.
  if (std::optional<HttpResponse> refused = Authenticate(request)) {
    return Logged(request, *std::move(refused));
  }
  const bool hook_path = path == kCheckPath || path == kRequestPath ||
                         (extension && (path == kStartPath || path == kSubmitPath));
  if (!hook_path) return Logged(request, Error(404, "not_found", "no such route"));
  if (request.method != "POST") return Logged(request, MethodNotAllowed("POST"));
  // Azure sends plain JSON; a compressed body would be a decompression bomb, never inflated.
  const std::string_view encoding = request.Header("Content-Encoding");
  if (!encoding.empty() && !EqualsIgnoreCase(encoding, "identity")) {
    return Logged(request, Error(415, "unsupported_media_type",
                                 "Content-Encoding must be identity (or absent)"));
  }
  if (!IsJsonMediaType(std::string(request.Header("Content-Type")))) {
    return Logged(request, Error(415, "unsupported_media_type",
                                 "Content-Type must be application/json"));
  }
  return std::nullopt;  // read the body
}

HttpResponse GatewayServer::OnRequest(const HttpRequest& request) {
  HookService& hooks = request.path.starts_with(kExtensionPrefix) ? extensions_->hooks : hooks_;
  const Hook hook = request.path == kCheckPath || request.path == kStartPath
                        ? Hook::kCheckApproval
                        : Hook::kRequestApproval;
  HookResult result = hooks.Handle(hook, request.body);
  if (!result.core_error.empty()) metrics_.RecordCoreFailure(result.core_error);
  HttpResponse response{.status = result.answer.status, .body = result.answer.body};
  return Logged(request, std::move(response), result);
}

HttpResponse GatewayServer::OnMalformed(const HttpRequest& request, int status,
                                        std::string_view message) {
  std::string_view error = "bad_request";
  if (status == 413) error = "payload_too_large";
  if (status == 431) error = "headers_too_large";
  if (status == 501 || status == 505) error = "not_implemented";
  return Logged(request, Error(status, error, message));
}

std::optional<HttpResponse> GatewayServer::Authenticate(const HttpRequest& request) const {
  if (request.path.starts_with(kConnectorPrefix)) {
    if (auth_.Allows(request)) return std::nullopt;
    HttpResponse response =
        Error(401, "unauthorized",
              "valid credentials are required (HTTP Basic and/or a client certificate)");
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"gatehouse\"");
    return response;
  }
  // Extension routes take Entra's bearer token and nothing else.
  const absl::Status valid =
      extensions_->tokens.Validate(std::string(request.Header("Authorization")), absl::Now());
  if (valid.ok()) return std::nullopt;
  spdlog::warn("{} from {}", std::string(valid.message()), request.remote_addr);
  HttpResponse response =
      Error(401, "unauthorized", "a valid bearer token from Microsoft Entra is required");
  response.headers.emplace_back("WWW-Authenticate",
                                "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
  return response;
}

HttpResponse GatewayServer::Logged(const HttpRequest& request, HttpResponse response,
                                   const HookResult& hook) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - request.started).count();
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
  return response;
}

}  // namespace gatehouse::gateway
