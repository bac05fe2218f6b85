#include "commands/status_command.h"

#include "render/request_format.h"

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
  if (context.format == OutputFormat::kJson) {
    context.out << ToJson(*request).dump(2) << '\n';
    return kExitOk;
  }
  context.out << "request/" << request->id() << ' ' << StateName(request->state());
  if (!request->decided_by().empty()) {
    context.out << " by " << request->decided_by() << " at " << FormatTime(request->decide_time());
  }
  context.out << '\n';
  return kExitOk;
}

}  // namespace gatehouse::cli
