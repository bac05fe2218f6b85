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

}  // namespace gatehouse::cli
