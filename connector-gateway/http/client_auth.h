#pragma once

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/openssl_ptr.h"
#include "http/basic_auth.h"
#include "http/http_message.h"

namespace gatehouse::gateway {

// How Azure must prove itself on the connector routes (connector-contract.md §1.5).
struct ClientAuthConfig {
  // Any of these may match: old and new side by side while a password is rotated.
  std::vector<BasicCredentials> basic;
  // Client certificates must chain to this CA: checked by TLS itself when the gateway serves
  // TLS, or on the X-ARR-ClientCert header from a trusted proxy.
  std::string client_ca_path;
  // If set, the client certificate's SHA-1 or SHA-256 thumbprint must be one of these (hex,
  // colons and case ignored): list old and new during a certificate rollover.
  std::vector<std::string> thumbprints;
  // Peers (IP addresses) whose X-ARR-ClientCert header is believed, e.g. Azure App Service's
  // front end. From anyone else the header is ignored.
  std::vector<std::string> trusted_proxies;
};

// Decides whether a connector request is authenticated: Basic when credentials are configured,
// a client certificate when a CA or thumbprints are, both when both are. A certificate must be
// valid now and carry the clientAuth extended key usage, pinned or not.
class ClientAuthenticator {
 public:
  // INVALID_ARGUMENT when nothing is configured (the routes would be open) or a thumbprint is
  // malformed; NOT_FOUND when the CA file cannot be read.
  static absl::StatusOr<std::unique_ptr<ClientAuthenticator>> Create(ClientAuthConfig config);

  bool Allows(const HttpRequest& request) const;
  bool requires_certificate() const;

 private:
  explicit ClientAuthenticator(ClientAuthConfig config) : config_(std::move(config)) {}
  bool CertificateAllowed(X509* certificate, bool already_verified) const;

  ClientAuthConfig config_;
  // The client CA, for X-ARR-ClientCert.
  OpenSslPtr<X509_STORE, X509_STORE_free> store_;
};

// Lower-case hex, without colons: the form thumbprints are compared in.
std::string NormalizeThumbprint(std::string_view thumbprint);

}  // namespace gatehouse::gateway
