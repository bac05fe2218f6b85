#pragma once

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// The classic API connector of Azure AD B2C user flows and Entra self-service sign-up
// (connector-contract.md §1): ParseClassicRequest and RenderClassicAnswer. Parse warns when
// the body's `step` names the other hook (most likely a connector configured on the wrong
// step in the portal; the route decides); Reject answers HTTP 400 with a JSON error naming
// the problem.
const Dialect& ClassicDialect();

}  // namespace gatehouse::gateway
