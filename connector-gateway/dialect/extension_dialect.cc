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

class Extension final : public Dialect {
 public:
  absl::StatusOr<ApplicantClaims> Parse(Hook hook, std::string_view body) const override {
    auto request = ParseExtensionRequest(body);
    if (!request.ok()) return request.status();
    if (request->event && *request->event != hook) {
      spdlog::warn("{} event sent to the {} route; answering as {}", EventName(*request->event),
                   EventName(hook), EventName(hook));
    }
    return std::move(request->claims);
  }

  HttpAnswer Render(Hook hook, const Decision& decision,
                    const UserMessage& message) const override {
    return RenderExtensionAnswer(hook, decision, message);
  }

  HttpAnswer Reject(Hook hook, std::string_view error,
                    const UserMessage& unavailable) const override {
    spdlog::warn("unreadable {} call, failing closed: {}", EventName(hook), error);
    return RenderExtensionAnswer(hook, Decision::Unavailable(), unavailable);
  }
};

}  // namespace

const Dialect& ExtensionDialect() {
  static const Extension dialect;
  return dialect;
}

}  // namespace gatehouse::gateway
