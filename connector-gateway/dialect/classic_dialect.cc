#include "dialect/classic_dialect.h"

#include <spdlog/spdlog.h>

#include "dialect/classic_answer.h"
#include "dialect/classic_request.h"
#include "dialect/error_body.h"

namespace gatehouse::gateway {
namespace {

class Classic final : public Dialect {
 public:
  absl::StatusOr<ApplicantClaims> Parse(Hook hook, std::string_view body) const override {
    auto claims = ParseClassicRequest(body);
    if (claims.ok() && !claims->step.empty() && claims->step != ExpectedStep(hook)) {
      spdlog::warn("step '{}' sent to the {} route; answering as {}", claims->step,
                   ExpectedStep(hook), ExpectedStep(hook));
    }
    return claims;
  }

  HttpAnswer Render(Hook hook, const Decision& decision,
                    const UserMessage& message) const override {
    return RenderClassicAnswer(hook, decision, message);
  }

  HttpAnswer Reject(Hook, std::string_view error, const UserMessage&) const override {
    return {400, ErrorBody("invalid_request", error)};
  }
};

}  // namespace

const Dialect& ClassicDialect() {
  static const Classic dialect;
  return dialect;
}

}  // namespace gatehouse::gateway
