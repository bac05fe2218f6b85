#include "commands/show_command.h"

#include "render/request_format.h"

namespace gatehouse::cli {

int RunShow(const CommandContext& context, const std::string& id) {
  auto request = context.client.Get(id);
  if (!request.ok()) return ReportFailure(context, request.status(), "request/" + id);
  auto history = context.client.History(id);
  if (!history.ok()) return ReportFailure(context, history.status(), "request/" + id);
  if (IsJson(context)) {
    nlohmann::ordered_json json = ToJson(*request);
    json["history"] = nlohmann::ordered_json::array();
    for (const auto& event : *history) json["history"].push_back(ToJson(event));
    PrintJson(context, json);
  } else {
    PrintDetail(context.out, *request, context.colour, SameEmailRequest(context, *request).get());
    context.out << "history:\n";
    PrintHistory(context.out, *history, /*aligned=*/true, context.colour);
  }
  return kExitOk;
}

int RunHistory(const CommandContext& context, const std::string& id) {
  auto history = context.client.History(id);
  if (!history.ok()) return ReportFailure(context, history.status(), "request/" + id);
  if (IsJson(context)) {
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (const auto& event : *history) json.push_back(ToJson(event));
    PrintJson(context, json);
  } else {
    PrintHistory(context.out, *history, context.terminal, context.colour);
  }
  return kExitOk;
}

}  // namespace gatehouse::cli
