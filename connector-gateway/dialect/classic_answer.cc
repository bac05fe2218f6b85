#include "dialect/classic_answer.h"

#include <nlohmann/json.hpp>

namespace gatehouse::gateway {

using json = nlohmann::ordered_json;

// Azure treats a missing or null version as an error and silently breaks block pages
// (Microsoft's sample issue #6), so every answer starts with it.
constexpr const char* kVersion = "1.0.0";

HttpAnswer RenderClassicAnswer(Hook hook, const Decision& decision, const UserMessage& message) {
  json body = {{"version", kVersion}};
  if (decision.action == Decision::Action::kContinue) {
    body["action"] = "Continue";
    // Returned claims pre-fill the form at hook 1 and overwrite collected values at hook 2.
    for (const auto& [name, value] : decision.returned_claims) {
      std::visit([&body, &name](const auto& v) { body[name] = v; }, value);
    }
    return {200, body.dump()};
  }
  if (decision.action == Decision::Action::kInvalid && hook == Hook::kRequestApproval) {
    body["status"] = 400;
    body["action"] = "ValidationError";
    body["userMessage"] = message.text;
    body["code"] = message.code;
    return {400, body.dump()};
  }
  body["action"] = "ShowBlockPage";
  body["userMessage"] = message.text;
  body["code"] = message.code;
  return {200, body.dump()};
}

}  // namespace gatehouse::gateway
