#pragma once

#include <string_view>
#include <vector>

#include "domain/audit_event.h"
#include "domain/request_state.h"

namespace gatehouse::core {

// What a reviewer can do to a request (design.md §4). Anything not listed in a transition's
// `from` is refused, so nothing approved is denied by accident and nothing is decided twice.
enum class ReviewAction { kApprove, kDeny, kRevoke, kReopen };

struct Transition {
  std::vector<RequestState> from;
  RequestState to;
  EventType event;
  bool reason_required;
  std::string_view past_tense;  // "approved", for messages
};

const Transition& TransitionFor(ReviewAction action);

}  // namespace gatehouse::core
