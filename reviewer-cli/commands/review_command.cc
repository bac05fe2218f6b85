#include "commands/review_command.h"

#include <unistd.h>

#include <cctype>
#include <set>

#include "absl/strings/ascii.h"
#include "commands/decide_command.h"
#include "render/colour.h"
#include "render/request_format.h"
#include "terminal/raw_terminal.h"

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

constexpr int kPageSize = 500;

struct NextRequest {
  pb::ApprovalRequest request;
  int waiting = 0;         // not skipped, on the first page
  bool more_than = false;  // the queue is longer than one page
};

struct Tally {
  int approved = 0;
  int denied = 0;
  int skipped = 0;
};

// The oldest pending request not skipped in this session, or nullopt when there is none.
absl::StatusOr<std::optional<NextRequest>> FindNext(const CommandContext& context,
                                                    const std::set<std::string>& skipped) {
  pb::ListRequestsRequest query;
  query.set_state(pb::REQUEST_STATE_PENDING);
  query.set_page_size(kPageSize);
  std::optional<NextRequest> next;
  while (true) {
    auto page = context.client.List(query);
    if (!page.ok()) return page.status();
    for (const auto& request : page->requests()) {
      if (skipped.contains(request.id())) continue;
      if (!next) next = NextRequest{.request = request};
      ++next->waiting;
    }
    if (page->next_page_token().empty()) return next;
    if (next) {  // counting further would read the whole queue on every step
      next->more_than = true;
      return next;
    }
    query.set_page_token(page->next_page_token());
  }
}

void PrintSummary(const CommandContext& context, const Tally& tally) {
  context.out << tally.approved << " approved, " << tally.denied << " denied, " << tally.skipped
              << " skipped\n";
}

void PrintHeading(const CommandContext& context, const NextRequest& next) {
  context.out << '\n'
              << Paint("── request/" + next.request.id() + " · " + std::to_string(next.waiting) +
                           (next.more_than ? "+" : "") + " waiting ──",
                       Colour::kBold, context.colour)
              << '\n';
  PrintDetail(context.out, next.request, context.colour,
              SameEmailRequest(context, next.request).get());
}

enum class Step { kNext, kAgain, kQuit };

// Asks for a reason and denies; an empty or cancelled reason asks again.
Step Deny(const CommandContext& context, Keyboard& keys, const std::string& id, Tally& tally,
          int& exit_code) {
  context.out << "deny\nreason (required; Ctrl-C to go back): " << std::flush;
  const std::optional<std::string> reason = keys.ReadLine();
  if (!reason) return Step::kAgain;
  if (absl::StripAsciiWhitespace(*reason).empty()) {
    context.out << "a reason is required to deny\n";
    return Step::kAgain;
  }
  exit_code = RunDecide(context, Verdict::kDeny, {id}, std::string(*reason));
  if (exit_code == kExitOk) ++tally.denied;
  return Step::kNext;
}

// One key press for the request on screen.
Step Act(const CommandContext& context, Keyboard& keys, const std::string& id, Tally& tally,
         std::set<std::string>& skipped, int& exit_code) {
  context.out << "[a]pprove  [d]eny  [s]kip  [q]uit > " << std::flush;
  const std::optional<char> key = keys.ReadKey();
  if (!key) {
    context.out << "quit\n";
    return Step::kQuit;
  }
  switch (std::tolower(static_cast<unsigned char>(*key))) {
    case 'a':
      context.out << "approve\n";
      exit_code = RunDecide(context, Verdict::kApprove, {id}, "");
      if (exit_code == kExitOk) ++tally.approved;
      return Step::kNext;
    case 'd':
      return Deny(context, keys, id, tally, exit_code);
    case 's':
      context.out << "skip\n";
      skipped.insert(id);
      ++tally.skipped;
      return Step::kNext;
    case 'q':
      context.out << "quit\n";
      return Step::kQuit;
    default:
      context.out << "\npress a to approve, d to deny (with a reason), s to skip, q to quit\n";
      return Step::kAgain;
  }
}

}  // namespace

int RunReview(const CommandContext& context, Keyboard& keys) {
  std::set<std::string> skipped;
  Tally tally;
  while (true) {
    auto next = FindNext(context, skipped);
    if (!next.ok()) return ReportFailure(context, next.status(), "");
    if (!next->has_value()) {
      if (tally.approved + tally.denied + tally.skipped == 0) {
        context.out << "no pending requests\n";
      } else {
        context.out << "\nno more pending requests: ";
        PrintSummary(context, tally);
      }
      return kExitOk;
    }
    PrintHeading(context, **next);
    Step step = Step::kAgain;
    int exit_code = kExitOk;
    while (step == Step::kAgain) {
      step = Act(context, keys, (*next)->request.id(), tally, skipped, exit_code);
    }
    // A conflict (decided elsewhere meanwhile) was reported by RunDecide; the walk goes on.
    // Without a server or a valid token nothing further can succeed.
    if (exit_code == kExitUnreachable || exit_code == kExitAuth) return exit_code;
    if (step == Step::kQuit) {
      PrintSummary(context, tally);
      return kExitOk;
    }
  }
}

namespace {

class ReviewVerb final : public Verb {
 public:
  explicit ReviewVerb(CLI::App& app)
      : Verb(app.add_subcommand(
            "review", "walk the pending queue in a terminal: a approve, d deny, s skip, q quit")) {
    command().footer(
        "Example:\n  reviewer review\nEach key acts at once; deny asks for a reason. Ctrl-C "
        "quits.");
  }
  std::optional<int> CheckUsage(OutputFormat format, std::ostream& err) override {
    if (isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && format == OutputFormat::kTable) {
      return std::nullopt;
    }
    err << "error: review is interactive and needs a terminal with -o table\n"
        << "hint: in scripts, use 'reviewer list -o json' with approve and deny.\n";
    return kExitUsage;
  }
  int Run(const CommandContext& context) override {
    auto keyboard = RawTerminal::Open(STDIN_FILENO, context.out);
    if (!keyboard.ok()) {
      context.err << "error: " << keyboard.status().message() << "\n";
      return kExitUsage;
    }
    return RunReview(context, **keyboard);
  }
};

}  // namespace

std::unique_ptr<Verb> AddReviewVerb(CLI::App& app) { return std::make_unique<ReviewVerb>(app); }

}  // namespace gatehouse::cli
