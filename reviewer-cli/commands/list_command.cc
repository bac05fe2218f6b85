#include "commands/list_command.h"

#include <vector>

#include "render/request_format.h"
#include "render/table.h"

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

constexpr int kMaxPageSize = 500;

bool ParseStateFilter(const std::string& text, pb::RequestState* state) {
  if (text == "all") {
    *state = pb::REQUEST_STATE_UNSPECIFIED;
    return true;
  }
  for (pb::RequestState candidate :
       {pb::REQUEST_STATE_PENDING, pb::REQUEST_STATE_APPROVED, pb::REQUEST_STATE_DENIED,
        pb::REQUEST_STATE_EXPIRED, pb::REQUEST_STATE_REVOKED}) {
    if (StateName(candidate) == text) {
      *state = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace

int RunList(const CommandContext& context, const ListOptions& options) {
  pb::ListRequestsRequest request;
  pb::RequestState state;
  if (!ParseStateFilter(options.state, &state)) {
    context.err << "error: --state must be pending, approved, denied, expired, revoked or all\n";
    return kExitUsage;
  }
  request.set_state(state);
  request.set_search(options.search);

  std::vector<pb::ApprovalRequest> found;
  while (static_cast<int>(found.size()) < options.limit) {
    request.set_page_size(std::min(kMaxPageSize, options.limit - static_cast<int>(found.size())));
    auto page = context.client.List(request);
    if (!page.ok()) return ReportFailure(context, page.status(), "");
    for (const auto& item : page->requests()) found.push_back(item);
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }

  if (IsJson(context)) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const auto& item : found) array.push_back(ToJson(item));
    PrintJson(context, array);
    return kExitOk;
  }
  if (found.empty()) {
    context.err << "no " << (options.state == "all" ? "" : options.state + " ") << "requests\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : found) {
    // On a terminal the queue shows at a glance who shares an address with another request;
    // piped output keeps one plain value per column.
    std::string email = item.applicant().email();
    if (context.terminal && !item.same_email_as().empty()) {
      email += " (same as " + item.same_email_as() + ")";
    }
    rows.push_back({item.id(), StateName(item.state()), email, NameOf(item), ProviderOf(item),
                    context.terminal ? FormatAge(item.create_time(), context.now)
                                     : FormatTime(item.create_time()),
                    std::to_string(item.attempts())});
  }
  PrintTable(context.out,
             {"ID", "STATE", "EMAIL", "NAME", "PROVIDER", context.terminal ? "AGE" : "CREATED",
              "ATTEMPTS"},
             rows, {.aligned = context.terminal, .state_column = 1, .colour = context.colour});
  return kExitOk;
}

namespace {

class ListVerb final : public Verb {
 public:
  explicit ListVerb(CLI::App& app)
      : Verb(app.add_subcommand("list", "list requests, oldest first")) {
    command()
        .add_option("--state", options_.state, "pending, approved, denied, expired, revoked or all")
        ->capture_default_str();
    command().add_option("--search", options_.search, "text in the email or names");
    command()
        .add_option("--limit", options_.limit, "at most this many")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    command().footer(
        "Examples:\n  reviewer list\n  reviewer list --state all --search fabrikam -o json");
  }
  int Run(const CommandContext& context) override { return RunList(context, options_); }

 private:
  ListOptions options_;
};

}  // namespace

std::unique_ptr<Verb> AddListVerb(CLI::App& app) { return std::make_unique<ListVerb>(app); }

}  // namespace gatehouse::cli
