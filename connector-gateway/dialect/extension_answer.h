#pragma once

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// Renders a decision as an Entra custom authentication extension answer
// (connector-contract.md §2): HTTP 200 and exactly one action under data.actions.
//   start:  continueWithDefaultBehavior, or setPrefillValues (inputs) with returned claims,
//           or showBlockPage (title, message) — also for an invalid applicant;
//   submit: continueWithDefaultBehavior, or modifyAttributeValues (attributes) with returned
//           claims, showBlockPage, or showValidationError (message, attributeErrors on email).
HttpAnswer RenderExtensionAnswer(Hook hook, const Decision& decision, const UserMessage& message);

}  // namespace gatehouse::gateway
