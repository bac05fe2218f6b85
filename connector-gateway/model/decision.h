#pragma once

#include <string>

namespace gatehouse::gateway {

// The core's answer to a hook, as the gateway needs it to render a reply.
struct Decision {
  enum class Action { kContinue, kBlock, kInvalid };
  enum class Reason { kNone, kPending, kRequested, kDenied, kMissingIdentity, kUnavailable };

  Action action = Action::kBlock;
  Reason reason = Reason::kUnavailable;
  std::string request_id;  // empty when the applicant has no request

  // The fail-closed answer: used whenever the core's decision is not known.
  static Decision Unavailable() { return {Action::kBlock, Reason::kUnavailable, ""}; }
};

}  // namespace gatehouse::gateway
