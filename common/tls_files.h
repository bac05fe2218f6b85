#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace gatehouse {

// PEM files for one side of a gRPC TLS connection. All paths empty: plaintext (loopback only).
struct TlsFiles {
  std::string cert;  // certificate chain (server: required for TLS; client: for mutual TLS)
  std::string key;   // its private key
  std::string ca;    // server: client certificates must chain to it (mutual TLS);
                     // client: the server's certificate must chain to it
};

// Server credentials: TLS when `files.cert` is set, client certificates required and verified
// when `files.ca` is set too. INVALID_ARGUMENT for an incomplete combination, NOT_FOUND for a
// file that cannot be read (naming it).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& files);

// Channel credentials: TLS when `files.ca` is set, presenting `files.cert` when that is set.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsFiles& files);

}  // namespace gatehouse
