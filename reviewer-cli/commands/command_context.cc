#include "commands/command_context.h"

#include "render/terminal_safe.h"

namespace gatehouse::cli {

bool IsJson(const CommandContext& context) { return context.format != OutputFormat::kTable; }

void PrintJson(const CommandContext& context, const nlohmann::ordered_json& value) {
  if (context.format != OutputFormat::kJsonLines) {
    context.out << value.dump(2) << '\n';
  } else if (value.is_array()) {
    for (const auto& element : value) context.out << element.dump() << '\n';
  } else {
    context.out << value.dump() << '\n';
  }
  context.out.flush();
}

int ReportFailure(const CommandContext& context, const absl::Status& status,
                  const std::string& subject) {
  std::ostream& err = context.err;
  const std::string prefix = subject.empty() ? "error: " : "error: " + subject + ": ";
  const std::string message = TerminalSafe(std::string(status.message()));
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      err << "error: cannot reach approval-core at " << context.server << "\n"
          << (context.tls ? "hint: is it running, and is its certificate signed by the --tls-ca "
                            "you gave (and yours by its --client-ca)?\n"
                          : "hint: is it running? Point to it with --server or GATEHOUSE_SERVER; "
                            "if it uses TLS, give its CA with --tls-ca.\n");
      return kExitUnreachable;
    case absl::StatusCode::kUnauthenticated:
      err << "error: the server did not accept the token (" << message << ")\n"
          << "hint: set GATEHOUSE_TOKEN to a token from 'approval-core token create --role "
             "reviewer'.\n";
      return kExitAuth;
    case absl::StatusCode::kPermissionDenied:
      err << prefix << message << "\n";
      return kExitAuth;
    case absl::StatusCode::kInvalidArgument:
      err << prefix << message << "\n";
      return kExitUsage;
    case absl::StatusCode::kNotFound:
      err << prefix << message << "\n"
          << "hint: 'reviewer list --state all' shows every request.\n";
      return kExitFailed;
    default:
      err << prefix << message << "\n";
      return kExitFailed;
  }
}

std::unique_ptr<approval::v1::ApprovalRequest> SameEmailRequest(
    const CommandContext& context, const approval::v1::ApprovalRequest& request) {
  if (request.same_email_as().empty()) return nullptr;
  auto other = context.client.Get(request.same_email_as());
  if (!other.ok()) return nullptr;
  return std::make_unique<approval::v1::ApprovalRequest>(*std::move(other));
}

}  // namespace gatehouse::cli
