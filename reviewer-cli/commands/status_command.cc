#include "commands/status_command.h"

#include "render/colour.h"
#include "render/request_format.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {

int RunStatus(const CommandContext& context, const std::string& id, const std::string& email) {
  if (id.empty() == email.empty()) {
    context.err << "error: give exactly one of --id or --email\n";
    return kExitUsage;
  }
  auto request = context.client.Status(id, email);
  if (!request.ok()) {
    return ReportFailure(context, request.status(), id.empty() ? email : "request/" + id);
  }
  if (IsJson(context)) {
    PrintJson(context, ToJson(*request));
    return kExitOk;
  }
  const std::string state = StateName(request->state());
  context.out << "request/" << request->id() << ' '
              << Paint(state, StateColour(state), context.colour);
  if (!request->decided_by().empty()) {
    context.out << " by " << TerminalSafe(request->decided_by()) << " at "
                << FormatTime(request->decide_time());
  }
  context.out << '\n';
  return kExitOk;
}

namespace {

class StatusVerb final : public Verb {
 public:
  explicit StatusVerb(CLI::App& app)
      : Verb(app.add_subcommand("status", "the state of an applicant's latest request")) {
    command().add_option("--id", id_, "request id");
    command().add_option("--email", email_, "the applicant's email");
    command().footer(
        "Examples:\n  reviewer status --email jane@fabrikam.com\n  reviewer status --id "
        "k3v9q2xa -o json");
  }
  int Run(const CommandContext& context) override { return RunStatus(context, id_, email_); }

 private:
  std::string id_, email_;
};

}  // namespace

std::unique_ptr<Verb> AddStatusVerb(CLI::App& app) { return std::make_unique<StatusVerb>(app); }

}  // namespace gatehouse::cli
