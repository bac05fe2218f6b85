#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/tls_files.h"

namespace gatehouse::gateway {

// The one channel to approval-core at `address` (TLS when `tls.ca` is set), shared by every
// call and stream: reconnects within a second of a core restart, and notices a core that
// vanished without closing the connection by keepalive pings. INVALID_ARGUMENT or NOT_FOUND
// for unusable TLS files.
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenCoreChannel(const std::string& address,
                                                               const TlsFiles& tls);

}  // namespace gatehouse::gateway
