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
      return {{400, ErrorBody("invalid_request", std::string(claims.status().message()))}, "", ""};
    }
    locale = claims->locale;
    // The route decides which hook this is; a mismatching `step` is most likely a connector
    // configured on the wrong step in the portal, which the operator should hear about.
    if (!claims->step.empty() && claims->step != ExpectedStep(hook)) {
      spdlog::warn("step '{}' sent to the {} route; answering as {}", claims->step,
                   ExpectedStep(hook), ExpectedStep(hook));
    }
    auto decision = core_.Decide(hook, *claims);
    if (!decision.ok()) {
      spdlog::error("approval-core gave no decision, failing closed: {}",
                    decision.status().ToString());
      decision = Decision::Unavailable();
    }
    const UserMessage message = messages_.For(decision->reason, locale);
    const bool is_continue = decision->action == Decision::Action::kContinue;
    return {RenderClassicAnswer(hook, *decision, message), is_continue ? "" : message.code,
            decision->request_id};
  } catch (const std::exception& e) {
    spdlog::error("hook handler failed, failing closed: {}", e.what());
  }
  const UserMessage message = messages_.For(Decision::Reason::kUnavailable, locale);
  return {RenderClassicAnswer(hook, Decision::Unavailable(), message), message.code, ""};
}

}  // namespace gatehouse::gateway
