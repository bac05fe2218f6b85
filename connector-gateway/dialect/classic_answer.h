#pragma once

#include <string>

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// Renders a decision as a classic API connector answer (connector-contract.md §1.3):
// `version` "1.0.0" always; Continue (with any returned claims, in their JSON types) and
// ShowBlockPage with HTTP 200; ValidationError with HTTP
// 400 and "status":400, only at the request-approval hook (at the check hook an invalid
// applicant gets a block page instead). Blocks carry a `code` for troubleshooting.
HttpAnswer RenderClassicAnswer(Hook hook, const Decision& decision, const UserMessage& message);

}  // namespace gatehouse::gateway
