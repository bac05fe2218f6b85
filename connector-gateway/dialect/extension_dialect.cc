#include "dialect/extension_dialect.h"

#include <spdlog/spdlog.h>

#include "dialect/extension_answer.h"
#include "dialect/extension_request.h"

namespace gatehouse::gateway {
namespace {

std::string_view EventName(Hook hook) {
  return hook == Hook::kCheckApproval ? "OnAttributeCollectionStart"
                                      : "OnAttributeCollectionSubmit";
}

}  // namespace

absl::StatusOr<ApplicantClaims> ExtensionDialect::Parse(Hook hook, std::string_view body) const {
  auto request = ParseExtensionRequest(body);
  if (!request.ok()) return request.status();
  if (request->event && *request->event != hook) {
    spdlog::warn("{} event sent to the {} route; answering as {}", EventName(*request->event),
                 EventName(hook), EventName(hook));
  }
  return std::move(request->claims);
}

HttpAnswer ExtensionDialect::Render(Hook hook, const Decision& decision,
                                    const UserMessage& message) const {
  return RenderExtensionAnswer(hook, decision, message);
}

HttpAnswer ExtensionDialect::Reject(Hook hook, std::string_view error,
                                    const UserMessage& unavailable) const {
  spdlog::warn("unreadable {} call, failing closed: {}", EventName(hook), error);
  return RenderExtensionAnswer(hook, Decision::Unavailable(), unavailable);
}

}  // namespace gatehouse::gateway
