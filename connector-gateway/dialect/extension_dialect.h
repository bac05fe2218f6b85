#pragma once

#include "dialect/dialect.h"

namespace gatehouse::gateway {

// Entra External ID custom authentication extensions (connector-contract.md §2):
// ParseExtensionRequest and RenderExtensionAnswer. Parse warns when the body names another
// event than the route's (most likely an extension attached to the wrong event; the route
// decides). Reject answers what Entra expects in every case, HTTP 200 with one action: the
// fail-closed block page. Only an authenticated caller (Entra itself) gets there, so the
// cause is logged, not sent.
const Dialect& ExtensionDialect();

}  // namespace gatehouse::gateway
