#include "commands/show_command.h"

#include "render/request_format.h"

namespace gatehouse::cli {

int RunShow(const CommandContext& context, const std::string& id) {
  auto request = context.client.Get(id);
  if (!request.ok()) return ReportFailure(context, request.status(), "request/" + id);
  if (context.format == OutputFormat::kJson) {
    context.out << ToJson(*request).dump(2) << '\n';
  } else {
    PrintDetail(context.out, *request);
  }
  return kExitOk;
}

}  // namespace gatehouse::cli
