#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gatehouse {

// absl::Status and gRPC share their code numbers (style.md: mapped once per boundary); these
// are the one place the two are converted, message kept.
absl::Status ToAbsl(const grpc::Status& status);
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace gatehouse
