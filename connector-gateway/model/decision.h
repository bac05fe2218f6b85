#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace gatehouse::gateway {

// A claim returned to the platform, with its JSON type.
using ClaimValue = std::variant<std::string, int64_t, double, bool>;

// The core's answer to a hook, as the gateway needs it to render a reply.
struct Decision {
  enum class Action { kContinue, kBlock, kInvalid };
  enum class Reason {
    kNone,
    kPending,
    kRequested,
    kDenied,
    kAutoDenied,
    kMissingIdentity,
    kUnavailable
  };

  Action action = Action::kBlock;
  Reason reason = Reason::kUnavailable;
  std::string request_id;  // empty when the applicant has no request
  // With kContinue: claims the approving reviewer set (pre-fill at hook 1, override at hook 2).
  std::map<std::string, ClaimValue> returned_claims;

  // The fail-closed answer: used whenever the core's decision is not known.
  static Decision Unavailable() { return {Action::kBlock, Reason::kUnavailable, "", {}}; }
};

}  // namespace gatehouse::gateway
