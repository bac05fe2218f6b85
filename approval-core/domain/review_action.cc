#include "domain/review_action.h"

namespace gatehouse::core {

const Transition& TransitionFor(ReviewAction action) {
  using S = RequestState;
  static const Transition kApprove{
      {S::kPending}, S::kApproved, EventType::kApproved, false, "approved"};
  static const Transition kDeny{{S::kPending}, S::kDenied, EventType::kDenied, true, "denied"};
  // Withdrawing an approval locks the applicant out again: say why.
  static const Transition kRevoke{
      {S::kApproved}, S::kRevoked, EventType::kRevoked, true, "revoked"};
  static const Transition kReopen{
      {S::kDenied, S::kExpired, S::kRevoked}, S::kPending, EventType::kReopened, false, "reopened"};
  switch (action) {
    case ReviewAction::kApprove:
      return kApprove;
    case ReviewAction::kDeny:
      return kDeny;
    case ReviewAction::kRevoke:
      return kRevoke;
    case ReviewAction::kReopen:
      return kReopen;
  }
  return kApprove;  // unreachable: every enumerator is handled above
}

}  // namespace gatehouse::core
