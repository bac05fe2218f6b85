#include "commands/decide_command.h"

#include <nlohmann/json.hpp>

#include "render/colour.h"
#include "render/request_format.h"

namespace gatehouse::cli {
namespace {

// Result lines name what was done: "request/ID reopened", not the new state "pending".
const char* PastTense(Verdict verdict) {
  switch (verdict) {
    case Verdict::kApprove:
      return "approved";
    case Verdict::kDeny:
      return "denied";
    case Verdict::kRevoke:
      return "revoked";
    case Verdict::kReopen:
      return "reopened";
  }
  return "changed";
}

}  // namespace

int RunDecide(const CommandContext& context, Verdict verdict, const std::vector<std::string>& ids,
              const std::string& reason, const ClaimMap& claims) {
  int exit_code = kExitOk;
  nlohmann::ordered_json decided = nlohmann::ordered_json::array();
  for (const std::string& id : ids) {
    auto result = context.client.Decide(verdict, id, reason, claims);
    if (!result.ok()) {
      const int code = ReportFailure(context, result.status(), "request/" + id);
      if (exit_code == kExitOk) exit_code = code;
      // Nothing further can succeed without a server or a valid token.
      if (code == kExitUnreachable || code == kExitAuth) break;
      continue;
    }
    if (IsJson(context)) {
      decided.push_back(ToJson(*result));
    } else {
      context.out << "request/" << result->id() << ' '
                  << Paint(PastTense(verdict), StateColour(StateName(result->state())),
                           context.colour)
                  << '\n';
    }
  }
  if (IsJson(context)) PrintJson(context, decided);
  return exit_code;
}

namespace {

class DecideVerb final : public Verb {
 public:
  // approve and deny take several ids, revoke and reopen one; deny and revoke need a reason.
  DecideVerb(CLI::App* command, Verdict verdict, bool several, bool reason_required,
             const char* example)
      : Verb(command), verdict_(verdict) {
    if (several) {
      command->add_option("ids", ids_, "request ids")->required();
    } else {
      command->add_option("id", ids_, "request id")->required()->expected(1);
    }
    CLI::Option* reason = command->add_option(
        "--reason", reason_,
        reason_required ? "why (required; kept in the audit log)" : "why (kept in the audit log)");
    if (reason_required) reason->required();
    if (verdict == Verdict::kApprove) {
      command
          ->add_option("--set", assignments_,
                       "claim to return on Continue: name=text, or name:=42|4.2|true|false")
          ->allow_extra_args(false);  // one value per --set, so ids may follow
    }
    command->footer(example);
  }

  int Run(const CommandContext& context) override {
    auto claims = ParseClaimAssignments(assignments_);
    if (!claims.ok()) {
      context.err << "error: " << claims.status().message() << "\n";
      return kExitUsage;
    }
    return RunDecide(context, verdict_, ids_, reason_, *claims);
  }

 private:
  const Verdict verdict_;
  std::vector<std::string> ids_;
  std::string reason_;
  std::vector<std::string> assignments_;
};

}  // namespace

std::unique_ptr<Verb> AddApproveVerb(CLI::App& app) {
  return std::make_unique<DecideVerb>(
      app.add_subcommand("approve", "approve pending requests"), Verdict::kApprove, true, false,
      "Examples:\n  reviewer approve k3v9q2xa --reason \"known supplier\"\n"
      "  reviewer approve k3v9q2xa --set extension_Role=supplier --set extension_Level:=2");
}

std::unique_ptr<Verb> AddDenyVerb(CLI::App& app) {
  return std::make_unique<DecideVerb>(app.add_subcommand("deny", "deny pending requests"),
                                      Verdict::kDeny, true, true,
                                      "Example:\n  reviewer deny k3v9q2xa --reason \"not an "
                                      "employee\"");
}

std::unique_ptr<Verb> AddRevokeVerb(CLI::App& app) {
  return std::make_unique<DecideVerb>(app.add_subcommand("revoke", "withdraw an approval"),
                                      Verdict::kRevoke, false, true,
                                      "Example:\n  reviewer revoke k3v9q2xa --reason \"left the "
                                      "company\"");
}

std::unique_ptr<Verb> AddReopenVerb(CLI::App& app) {
  return std::make_unique<DecideVerb>(
      app.add_subcommand("reopen", "put a denied, expired or revoked request back in the queue"),
      Verdict::kReopen, false, false,
      "Example:\n  reviewer reopen k3v9q2xa --reason \"appeal accepted\"");
}

}  // namespace gatehouse::cli
