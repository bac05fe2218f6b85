#pragma once

#include <grpcpp/grpcpp.h>

#include <exception>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "auth/authenticator.h"

namespace gatehouse::core {

// absl::Status and gRPC share their code numbers; this is the one place they are mapped.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

// Runs one unary handler: authenticates the caller for `allowed` roles, then runs
// `body(principal)`, which returns an absl::Status. No exception leaves it (gRPC 1.51 would
// show the client UNIMPLEMENTED with an empty message).
template <typename Body>
grpc::Status GuardedCall(grpc::ServerContext& context, Authenticator& authenticator,
                         std::initializer_list<Role> allowed, Body&& body) {
  try {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find("authorization");
    std::string_view header;
    if (it != metadata.end()) header = std::string_view(it->second.data(), it->second.size());
    auto principal = authenticator.Authenticate(header, allowed);
    if (!principal.ok()) return ToGrpcStatus(principal.status());
    return ToGrpcStatus(body(*principal));
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
}

}  // namespace gatehouse::core
