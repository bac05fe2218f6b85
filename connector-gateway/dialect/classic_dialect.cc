#include "dialect/classic_dialect.h"

#include <spdlog/spdlog.h>

#include "dialect/classic_answer.h"
#include "dialect/classic_request.h"
#include "dialect/error_body.h"

namespace gatehouse::gateway {

absl::StatusOr<ApplicantClaims> ClassicDialect::Parse(Hook hook, std::string_view body) const {
  auto claims = ParseClassicRequest(body);
  if (claims.ok() && !claims->step.empty() && claims->step != ExpectedStep(hook)) {
    spdlog::warn("step '{}' sent to the {} route; answering as {}", claims->step,
                 ExpectedStep(hook), ExpectedStep(hook));
  }
  return claims;
}

HttpAnswer ClassicDialect::Render(Hook hook, const Decision& decision,
                                  const UserMessage& message) const {
  return RenderClassicAnswer(hook, decision, message);
}

HttpAnswer ClassicDialect::Reject(Hook, std::string_view error, const UserMessage&) const {
  return {400, ErrorBody("invalid_request", error)};
}

}  // namespace gatehouse::gateway
