#pragma once

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// The classic API connector of Azure AD B2C user flows and Entra self-service sign-up
// (connector-contract.md §1): ParseClassicRequest and RenderClassicAnswer.
class ClassicDialect final : public Dialect {
 public:
  // Warns when the body's `step` names the other hook: most likely a connector configured on
  // the wrong step in the portal. The route decides.
  absl::StatusOr<ApplicantClaims> Parse(Hook hook, std::string_view body) const override;
  HttpAnswer Render(Hook hook, const Decision& decision, const UserMessage& message) const override;
  // HTTP 400 with a JSON error naming the problem.
  HttpAnswer Reject(Hook hook, std::string_view error,
                    const UserMessage& unavailable) const override;
};

}  // namespace gatehouse::gateway
