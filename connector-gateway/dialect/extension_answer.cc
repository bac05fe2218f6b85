#include "dialect/extension_answer.h"

#include <nlohmann/json.hpp>

namespace gatehouse::gateway {

using json = nlohmann::ordered_json;

HttpAnswer RenderExtensionAnswer(Hook hook, const Decision& decision, const UserMessage& message) {
  const bool start = hook == Hook::kCheckApproval;
  const std::string action_prefix = start ? "microsoft.graph.attributeCollectionStart."
                                          : "microsoft.graph.attributeCollectionSubmit.";
  json action;
  if (decision.action == Decision::Action::kContinue) {
    if (decision.returned_claims.empty()) {
      action["@odata.type"] = action_prefix + "continueWithDefaultBehavior";
    } else {
      // The claims the reviewer set pre-fill the form at start and overwrite what the
      // applicant entered at submit, as Continue-with-claims does in the classic dialect.
      json values = json::object();
      for (const auto& [name, value] : decision.returned_claims) {
        std::visit([&values, &name](const auto& v) { values[name] = v; }, value);
      }
      action["@odata.type"] =
          action_prefix + (start ? "setPrefillValues" : "modifyAttributeValues");
      action[start ? "inputs" : "attributes"] = std::move(values);
    }
  } else if (decision.action == Decision::Action::kInvalid && !start) {
    action["@odata.type"] = action_prefix + "showValidationError";
    action["message"] = message.text;
    action["attributeErrors"] = {{"email", message.text}};
  } else {
    action["@odata.type"] = action_prefix + "showBlockPage";
    action["title"] = message.title;
    action["message"] = message.text;
  }
  json body = {{"data",
                {{"@odata.type", start ? "microsoft.graph.onAttributeCollectionStartResponseData"
                                       : "microsoft.graph.onAttributeCollectionSubmitResponseData"},
                 {"actions", json::array({std::move(action)})}}}};
  return {200, body.dump()};
}

}  // namespace gatehouse::gateway
