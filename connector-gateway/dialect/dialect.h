#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "messages/message_catalog.h"
#include "model/applicant_claims.h"
#include "model/decision.h"
#include "model/hook.h"

namespace gatehouse::gateway {

struct HttpAnswer {
  int status = 200;
  std::string body;  // always JSON
};

// One wire format in which an identity platform asks about an applicant and hears the
// decision: the classic API connector (connector-contract.md §1) or Entra's custom
// authentication extension (§2). Both map onto the same two hooks and the same decisions.
class Dialect {
 public:
  virtual ~Dialect() = default;

  // The applicant in a request body sent to `hook`'s route. INVALID_ARGUMENT, with a message
  // fit for the caller, for a malformed body.
  virtual absl::StatusOr<ApplicantClaims> Parse(Hook hook, std::string_view body) const = 0;

  // The decision as this dialect's answer at `hook`.
  virtual HttpAnswer Render(Hook hook, const Decision& decision,
                            const UserMessage& message) const = 0;

  // The answer to a body Parse() refused with `error`. `unavailable` is the fail-closed
  // message, for dialects whose caller must always get a decision-shaped answer.
  virtual HttpAnswer Reject(Hook hook, std::string_view error,
                            const UserMessage& unavailable) const = 0;
};

}  // namespace gatehouse::gateway
