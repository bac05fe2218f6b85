#pragma once

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// Entra External ID custom authentication extensions (connector-contract.md §2):
// ParseExtensionRequest and RenderExtensionAnswer.
class ExtensionDialect final : public Dialect {
 public:
  // Warns when the body names the other event than the route's: most likely an extension
  // attached to the wrong event. The route decides.
  absl::StatusOr<ApplicantClaims> Parse(Hook hook, std::string_view body) const override;
  HttpAnswer Render(Hook hook, const Decision& decision, const UserMessage& message) const override;
  // Entra expects HTTP 200 and one action in every case: the fail-closed block page. Only an
  // authenticated caller (Entra itself) gets here, so the cause is logged, not sent.
  HttpAnswer Reject(Hook hook, std::string_view error,
                    const UserMessage& unavailable) const override;
};

}  // namespace gatehouse::gateway
