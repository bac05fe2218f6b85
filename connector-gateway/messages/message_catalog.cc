#include "messages/message_catalog.h"

namespace gatehouse::gateway {

UserMessage MessageCatalog::For(Decision::Reason reason, std::string_view /*locale*/) const {
  using Reason = Decision::Reason;
  switch (reason) {
    case Reason::kPending:
      return {"GATEHOUSE-APPROVAL-PENDING",
              "Your access request is already processing. You'll be notified when your request "
              "has been approved."};
    case Reason::kRequested:
      return {"GATEHOUSE-APPROVAL-REQUESTED",
              "Your account is now waiting for approval. You'll be notified when your request "
              "has been approved."};
    case Reason::kDenied:
      return {"GATEHOUSE-APPROVAL-DENIED",
              "Your sign up request has been denied. Please contact an administrator if you "
              "believe this is an error"};
    case Reason::kAutoDenied:  // same text: the applicant need not know a rule decided
      return {"GATEHOUSE-APPROVAL-AUTO-DENIED",
              "Your sign up request has been denied. Please contact an administrator if you "
              "believe this is an error"};
    case Reason::kMissingIdentity:
      return {"GATEHOUSE-MISSING-IDENTITY",
              "We could not tell who you are. Please sign up with an email address."};
    case Reason::kNone:
    case Reason::kUnavailable:
      break;
  }
  return {"GATEHOUSE-UNAVAILABLE",
          "We can't process your sign-up right now. Please try again in a few minutes."};
}

}  // namespace gatehouse::gateway
