#include "commands/watch_command.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "render/colour.h"
#include "render/request_format.h"
#include "render/table.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {
namespace {

// One line a change. A stream cannot measure its columns in advance, so on a terminal they
// get fixed widths (wide enough for ids, events and most emails); piped, they are tab-separated.
void PrintChangeLine(const CommandContext& context,
                     const approval::v1::WatchRequestsResponse& change) {
  const auto& event = change.event();
  const std::string state = StateName(event.state_after());
  const std::vector<std::pair<std::string, size_t>> fields = {
      {FormatTime(event.time()), 20},
      {std::to_string(event.revision()), 6},
      {EventName(event.type()), 13},
      {"request/" + change.request().id(), 16},
      {TerminalSafe(change.request().applicant().email()), 28},
      {state, 8},
      {TerminalSafe(event.actor()), 12},
      {TerminalSafe(event.reason()), 0}};
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string text = fields[i].first;
    if (const size_t width = DisplayWidth(text); context.terminal && width < fields[i].second) {
      text.append(fields[i].second - width, ' ');
    }
    // Painted after padding, so the escape codes never count as width.
    const bool is_event = i == 2;
    context.out << Paint(text, is_event ? StateColour(state) : Colour::kNone,
                         is_event && context.colour);
    if (i + 1 < fields.size()) context.out << (context.terminal ? "  " : "\t");
  }
  context.out << std::endl;  // flushed: a consumer sees it at once
}

}  // namespace

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
            PrintChangeLine(context, change);
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

namespace {

class WatchVerb final : public Verb {
 public:
  explicit WatchVerb(CLI::App& app)
      : Verb(app.add_subcommand("watch", "follow every change live (-o json: JSON lines)")) {
    command()
        .add_option("--since", since_, "start after this revision (0: the whole history)")
        ->capture_default_str();
    command().footer(
        "Examples:\n  reviewer watch\n  reviewer watch --since 1200 -o jsonl | jq .request");
  }
  int Run(const CommandContext& context) override { return RunWatch(context, since_); }

 private:
  int64_t since_ = 0;
};

}  // namespace

std::unique_ptr<Verb> AddWatchVerb(CLI::App& app) { return std::make_unique<WatchVerb>(app); }

}  // namespace gatehouse::cli
