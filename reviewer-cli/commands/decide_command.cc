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

}  // namespace gatehouse::cli
