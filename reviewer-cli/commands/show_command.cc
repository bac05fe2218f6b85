#include "commands/show_command.h"

#include "render/request_format.h"

namespace gatehouse::cli {

int RunShow(const CommandContext& context, const std::string& id) {
  auto request = context.client.Get(id);
  if (!request.ok()) return ReportFailure(context, request.status(), "request/" + id);
  auto history = context.client.History(id);
  if (!history.ok()) return ReportFailure(context, history.status(), "request/" + id);
  if (context.format == OutputFormat::kJson) {
    nlohmann::ordered_json json = ToJson(*request);
    json["history"] = nlohmann::ordered_json::array();
    for (const auto& event : *history) json["history"].push_back(ToJson(event));
    context.out << json.dump(2) << '\n';
  } else {
    PrintDetail(context.out, *request);
    context.out << "history:\n";
    PrintHistory(context.out, *history, /*aligned=*/true);
  }
  return kExitOk;
}

int RunHistory(const CommandContext& context, const std::string& id) {
  auto history = context.client.History(id);
  if (!history.ok()) return ReportFailure(context, history.status(), "request/" + id);
  if (context.format == OutputFormat::kJson) {
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (const auto& event : *history) json.push_back(ToJson(event));
    context.out << json.dump(2) << '\n';
  } else {
    PrintHistory(context.out, *history, context.terminal);
  }
  return kExitOk;
}

}  // namespace gatehouse::cli
