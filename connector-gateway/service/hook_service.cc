#include "service/hook_service.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "dialect/classic_request.h"

namespace gatehouse::gateway {

HookResult HookService::Handle(Hook hook, std::string_view body) {
  std::string locale;
  try {
    auto claims = ParseClassicRequest(body);
    if (!claims.ok()) {
      return {.answer = {400, ErrorBody("invalid_request", std::string(claims.status().message()))},
              .action = "rejected"};
    }
    locale = claims->locale;
    // The route decides which hook this is; a mismatching `step` is most likely a connector
    // configured on the wrong step in the portal, which the operator should hear about.
    if (!claims->step.empty() && claims->step != ExpectedStep(hook)) {
      spdlog::warn("step '{}' sent to the {} route; answering as {}", claims->step,
                   ExpectedStep(hook), ExpectedStep(hook));
    }
    auto decision = core_.Decide(hook, *claims);
    std::string core_error;
    if (!decision.ok()) {
      spdlog::error("approval-core gave no decision, failing closed: {}",
                    decision.status().ToString());
      core_error = absl::StatusCodeToString(decision.status().code());
      decision = Decision::Unavailable();
    }
    const UserMessage message = messages_.For(decision->reason, locale);
    HookResult result{.answer = RenderClassicAnswer(hook, *decision, message),
                      .request_id = decision->request_id,
                      .core_error = std::move(core_error)};
    if (decision->action == Decision::Action::kContinue) {
      result.action = "Continue";
    } else {
      result.action = result.answer.status == 400 ? "ValidationError" : "ShowBlockPage";
      result.code = message.code;
    }
    return result;
  } catch (const std::exception& e) {
    spdlog::error("hook handler failed, failing closed: {}", e.what());
  }
  const UserMessage message = messages_.For(Decision::Reason::kUnavailable, locale);
  return {.answer = RenderClassicAnswer(hook, Decision::Unavailable(), message),
          .action = "ShowBlockPage",
          .code = message.code,
          .core_error = "INTERNAL"};
}

}  // namespace gatehouse::gateway
