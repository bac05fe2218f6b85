#include "commands/command_context.h"

namespace gatehouse::cli {

int ReportFailure(const CommandContext& context, const absl::Status& status,
                  const std::string& subject) {
  std::ostream& err = context.err;
  const std::string prefix = subject.empty() ? "error: " : "error: " + subject + ": ";
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      err << "error: cannot reach approval-core at " << context.server << "\n"
          << "hint: is it running? Point to it with --server or GATEHOUSE_SERVER.\n";
      return kExitUnreachable;
    case absl::StatusCode::kUnauthenticated:
      err << "error: the server did not accept the token (" << status.message() << ")\n"
          << "hint: set GATEHOUSE_TOKEN to a token from 'approval-core token create --role "
             "reviewer'.\n";
      return kExitAuth;
    case absl::StatusCode::kPermissionDenied:
      err << prefix << status.message() << "\n";
      return kExitAuth;
    case absl::StatusCode::kInvalidArgument:
      err << prefix << status.message() << "\n";
      return kExitUsage;
    case absl::StatusCode::kNotFound:
      err << prefix << status.message() << "\n"
          << "hint: 'reviewer list --state all' shows every request.\n";
      return kExitFailed;
    default:
      err << prefix << status.message() << "\n";
      return kExitFailed;
  }
}

}  // namespace gatehouse::cli
