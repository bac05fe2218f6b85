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

namespace {

// show and history: one request id.
class RequestVerb final : public Verb {
 public:
  using Runner = int (*)(const CommandContext&, const std::string&);
  RequestVerb(CLI::App* command, Runner run, const char* example) : Verb(command), run_(run) {
    command->add_option("id", id_, "request id")->required();
    command->footer(example);
  }
  int Run(const CommandContext& context) override { return run_(context, id_); }

 private:
  Runner run_;
  std::string id_;
};

}  // namespace

std::unique_ptr<Verb> AddShowVerb(CLI::App& app) {
  return std::make_unique<RequestVerb>(
      app.add_subcommand("show", "everything known about one request"), &RunShow,
      "Example:\n  reviewer show k3v9q2xa");
}

std::unique_ptr<Verb> AddHistoryVerb(CLI::App& app) {
  return std::make_unique<RequestVerb>(
      app.add_subcommand("history", "the audit history of one request"), &RunHistory,
      "Example:\n  reviewer history k3v9q2xa -o json");
}

}  // namespace gatehouse::cli
