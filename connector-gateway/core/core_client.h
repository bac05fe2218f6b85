#pragma once

#include <chrono>

#include "absl/status/statusor.h"
#include "model/applicant_claims.h"
#include "model/decision.h"
#include "model/hook.h"

namespace gatehouse::gateway {

// The gateway's port to approval-core. Implementations bound every call by a deadline.
class CoreClient {
 public:
  virtual ~CoreClient() = default;
  // The core's decision for `hook`, within `deadline` (each dialect has its own budget). Any
  // error (unreachable, deadline exceeded, rejected token, ...) means the decision is unknown
  // and the caller must fail closed.
  virtual absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                          std::chrono::milliseconds deadline) = 0;

  // OK when the core answers its health check as SERVING within the deadline (it can then
  // record decisions); UNAVAILABLE with the reason otherwise. For /readyz.
  virtual absl::Status Ready() = 0;
};

}  // namespace gatehouse::gateway
