#include "http/client_auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "common/base64.h"
#include "common/hex.h"
#include "common/openssl_ptr.h"

namespace gatehouse::gateway {
namespace {

using X509Ptr = OpenSslPtr<X509, X509_free>;

std::string Thumbprint(X509* certificate, const EVP_MD* digest) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  if (X509_digest(certificate, digest, md.data(), &size) != 1) return "";
  return LowerHex(std::span<const unsigned char>(md.data(), size));
}

}  // namespace

std::string NormalizeThumbprint(std::string_view thumbprint) {
  std::string out;
  for (char c : thumbprint) {
    if (c == ':' || c == ' ') continue;
    out += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<ClientAuthenticator>> ClientAuthenticator::Create(
    ClientAuthConfig config) {
  for (std::string& thumbprint : config.thumbprints) {
    thumbprint = NormalizeThumbprint(thumbprint);
    const bool hex = std::all_of(thumbprint.begin(), thumbprint.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (!hex || (thumbprint.size() != 40 && thumbprint.size() != 64)) {
      return absl::InvalidArgumentError(absl::StrCat("client thumbprint '", thumbprint,
                                                     "' must be a SHA-1 or SHA-256 hex digest"));
    }
  }
  if (config.basic.empty() && config.client_ca_path.empty() && config.thumbprints.empty()) {
    return absl::InvalidArgumentError(
        "the connector routes need Basic credentials (GATEHOUSE_BASIC_USERNAME and "
        "GATEHOUSE_BASIC_PASSWORD, or GATEHOUSE_BASIC_CREDENTIALS_FILE) or client certificates "
        "(--client-ca / --client-thumbprints)");
  }
  std::unique_ptr<ClientAuthenticator> auth(new ClientAuthenticator(std::move(config)));
  if (!auth->config_.client_ca_path.empty()) {
    auth->store_.reset(X509_STORE_new());
    if (!auth->store_ ||
        X509_STORE_load_file(auth->store_.get(), auth->config_.client_ca_path.c_str()) != 1) {
      return absl::NotFoundError(
          absl::StrCat("cannot read the client CA file ", auth->config_.client_ca_path));
    }
  }
  return auth;
}

bool ClientAuthenticator::requires_certificate() const {
  return !config_.client_ca_path.empty() || !config_.thumbprints.empty();
}

bool ClientAuthenticator::CertificateAllowed(X509* certificate, bool already_verified) const {
  if (certificate == nullptr) return false;
  // Made for client authentication: the extended key usage must name it (a server's
  // certificate from the same CA is not a caller's).
  if ((X509_get_extension_flags(certificate) & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(certificate) & XKU_SSL_CLIENT) == 0) {
    return false;
  }
  // Valid now, checked here too: a pinned certificate skips the chain check that would.
  if (X509_cmp_current_time(X509_get0_notBefore(certificate)) >= 0 ||
      X509_cmp_current_time(X509_get0_notAfter(certificate)) <= 0) {
    return false;
  }
  if (!already_verified && store_ != nullptr) {
    const OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free> context(X509_STORE_CTX_new());
    if (context == nullptr ||
        X509_STORE_CTX_init(context.get(), store_.get(), certificate, nullptr) != 1 ||
        X509_verify_cert(context.get()) != 1) {
      return false;
    }
  }
  if (config_.thumbprints.empty()) return true;
  const std::string sha1 = Thumbprint(certificate, EVP_sha1());
  const std::string sha256 = Thumbprint(certificate, EVP_sha256());
  return std::any_of(config_.thumbprints.begin(), config_.thumbprints.end(),
                     [&](const std::string& pinned) { return pinned == sha1 || pinned == sha256; });
}

bool ClientAuthenticator::Allows(const HttpRequest& request) const {
  bool basic_ok = true;
  if (!config_.basic.empty()) {
    // Every configured credential is compared, so timing does not tell which one nearly matched.
    bool any = false;
    const std::string_view header = request.Header("Authorization");
    for (const BasicCredentials& credentials : config_.basic) {
      any = BasicAuthMatches(header, credentials) || any;
    }
    basic_ok = any;
  }
  if (!requires_certificate()) return basic_ok;

  bool certificate_ok = false;
  if (request.ssl != nullptr) {
    // Direct TLS: with a client CA, OpenSSL already verified the chain in the handshake.
    const X509Ptr peer(SSL_get1_peer_certificate(request.ssl));
    certificate_ok = CertificateAllowed(peer.get(), /*already_verified=*/store_ != nullptr);
  } else if (std::find(config_.trusted_proxies.begin(), config_.trusted_proxies.end(),
                       request.remote_addr) != config_.trusted_proxies.end() &&
             request.HasHeader("X-ARR-ClientCert")) {
    // Behind Azure App Service: base64 DER, believed only from a configured proxy.
    if (const std::optional<std::string> der = DecodeBase64(request.Header("X-ARR-ClientCert"))) {
      const unsigned char* bytes = reinterpret_cast<const unsigned char*>(der->data());
      const X509Ptr certificate(d2i_X509(nullptr, &bytes, static_cast<long>(der->size())));
      certificate_ok = CertificateAllowed(certificate.get(), /*already_verified=*/false);
    }
  }
  return basic_ok && certificate_ok;
}

}  // namespace gatehouse::gateway
