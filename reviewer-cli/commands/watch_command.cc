#include "commands/watch_command.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "render/colour.h"
#include "render/request_format.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {

int RunWatch(const CommandContext& context, int64_t since_revision) {
  int64_t last = since_revision;
  auto backoff = std::chrono::milliseconds(250);
  bool reported_loss = false;
  while (true) {
    const absl::Status ended =
        context.client.Watch(last, [&](const approval::v1::WatchRequestsResponse& change) {
          const auto& event = change.event();
          last = event.revision();
          backoff = std::chrono::milliseconds(250);
          reported_loss = false;
          if (IsJson(context)) {  // a stream: JSON lines for -o json and -o jsonl alike
            nlohmann::ordered_json line = ToJson(event);
            line["request"] = change.request().id();
            line["email"] = change.request().applicant().email();
            context.out << line.dump() << std::endl;  // flushed: a consumer sees it at once
          } else {
            const std::string state = StateName(event.state_after());
            context.out << FormatTime(event.time()) << '\t' << event.revision() << '\t'
                        << Paint(EventName(event.type()), StateColour(state), context.colour)
                        << "\trequest/" << change.request().id() << '\t'
                        << TerminalSafe(change.request().applicant().email()) << '\t' << state
                        << '\t' << TerminalSafe(event.actor()) << '\t'
                        << TerminalSafe(event.reason()) << std::endl;
          }
        });
    switch (ended.code()) {
      case absl::StatusCode::kUnauthenticated:
      case absl::StatusCode::kPermissionDenied:
      case absl::StatusCode::kInvalidArgument:
        return ReportFailure(context, ended, "");
      default:
        break;
    }
    if (!reported_loss) {
      context.err << "watch: stream ended (" << ended.message() << "); reconnecting from revision "
                  << last << "\n";
      reported_loss = true;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace gatehouse::cli
