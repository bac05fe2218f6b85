#include "commands/decide_command.h"
#include "commands/list_command.h"
#include "commands/review_command.h"
#include "commands/show_command.h"
#include "commands/status_command.h"
#include "commands/verb.h"
#include "commands/watch_command.h"

namespace gatehouse::cli {

std::vector<std::unique_ptr<Verb>> AddVerbs(CLI::App& app) {
  std::vector<std::unique_ptr<Verb>> verbs;
  for (auto add : {&AddListVerb, &AddShowVerb, &AddHistoryVerb, &AddApproveVerb, &AddDenyVerb,
                   &AddRevokeVerb, &AddReopenVerb, &AddStatusVerb, &AddWatchVerb, &AddReviewVerb}) {
    verbs.push_back(add(app));
  }
  return verbs;
}

}  // namespace gatehouse::cli
