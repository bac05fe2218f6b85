#include "service/hook_service.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace gatehouse::gateway {

HookResult HookService::Handle(Hook hook, std::string_view body) {
  std::string locale;
  try {
    auto claims = dialect_.Parse(hook, body);
    if (!claims.ok()) {
      const UserMessage unavailable = messages_.For(Decision::Reason::kUnavailable, "");
      return {.answer = dialect_.Reject(hook, std::string(claims.status().message()), unavailable),
              .action = "rejected"};
    }
    locale = claims->locale;
    auto decision = core_.Decide(hook, *claims, deadline_);
    std::string core_error;
    if (!decision.ok()) {
      spdlog::error("approval-core gave no decision, failing closed: {}",
                    decision.status().ToString());
      core_error = absl::StatusCodeToString(decision.status().code());
      decision = Decision::Unavailable();
    }
    const UserMessage message = messages_.For(decision->reason, locale);
    HookResult result{.answer = dialect_.Render(hook, *decision, message),
                      .request_id = decision->request_id,
                      .core_error = std::move(core_error)};
    // The same labels for both dialects, so metrics and logs compare across them.
    if (decision->action == Decision::Action::kContinue) {
      result.action = "Continue";
    } else {
      const bool invalid =
          decision->action == Decision::Action::kInvalid && hook == Hook::kRequestApproval;
      result.action = invalid ? "ValidationError" : "ShowBlockPage";
      result.code = message.code;
    }
    return result;
  } catch (const std::exception& e) {
    spdlog::error("hook handler failed, failing closed: {}", e.what());
  }
  const UserMessage message = messages_.For(Decision::Reason::kUnavailable, locale);
  return {.answer = dialect_.Render(hook, Decision::Unavailable(), message),
          .action = "ShowBlockPage",
          .code = message.code,
          .core_error = "INTERNAL"};
}

}  // namespace gatehouse::gateway
